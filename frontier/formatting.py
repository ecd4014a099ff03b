"""Displayed numbers. Every rounding a person sees rounds halves up (SPEC §5).

Rounding goes through the shortest decimal form of the float (``repr``), so 0.1375 shows as
0.138 the way a person reading the number expects, not as the binary neighbour below it."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

_WIDE = Context(prec=400)  # any finite float, every digit: the default 28 digits overflow near 1e28


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP, context=_WIDE)


def round_int(value: float) -> int:
    return int(round_half_up(value, 0))


def fixed(value: float | None, decimals: int, thousands: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    spec = f",.{decimals}f" if thousands else f".{decimals}f"
    if abs(value) < 1e9 and decimals <= 6 and not _tie(repr(float(value)), decimals):
        # Away from a tie, Python's correctly rounded formatting gives the digits of rounding the
        # shortest form half up: no tie at these decimals lies between a float and its repr, which
        # differ by under half a unit in the last place, far below 10**-decimals at this size.
        # (Tables and JSON format tens of thousands of values: this skips the Decimal detour.)
        return format(float(value), spec)
    return format(round_half_up(value, decimals), spec)


def _tie(shortest: str, decimals: int) -> bool:
    """The shortest decimal form ends in a 5 just past ``decimals`` (or is in exponent form)."""
    if "e" in shortest:
        return True
    fraction = shortest.partition(".")[2]
    return len(fraction) == decimals + 1 and fraction[-1] == "5"


def money(value: float | None, decimals: int) -> str:
    text = fixed(value, decimals)
    return text if text == "n/a" else f"${text}"


def approx_int(value: float | None) -> str:
    text = fixed(value, 0)
    return text if text == "n/a" else f"~{text}"


def percent_more(high: float, low: float) -> int:
    """round((high / low - 1) x 100), halves up."""
    return round_int((high / low - 1.0) * 100.0)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell a spreadsheet would run as a formula (OWASP CSV injection) is prefixed with
    an apostrophe, which shows the text as typed; anything that is not text is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def number_text(value: float) -> str:
    """A number as an address spells it: the shortest text that reads back to the same float
    ("3.1", not "3.1000000000000001"; "35", not "35.0")."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
