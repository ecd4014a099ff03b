"""Sequence keys: (isl, osl) <-> "1k1k" (URL form) <-> "1k/1k" (display form)."""

from __future__ import annotations

import re

from .plausible import MAX_SEQUENCE_TOKENS

STANDARD = {"1k1k": (1024, 1024), "1k8k": (1024, 8192), "8k1k": (8192, 1024)}
ORDER = list(STANDARD)


def _short(n: int) -> str:
    return f"{n // 1024}k" if n % 1024 == 0 else str(n)


def sequence_key(isl: int, osl: int) -> str:
    return f"{_short(int(isl))}{_short(int(osl))}" if int(isl) % 1024 == 0 and int(osl) % 1024 == 0 else f"{int(isl)}-{int(osl)}"


def sequence_label(key: str) -> str:
    pair = parse_sequence(key)
    if pair is None:
        return key
    return f"{_short(pair[0])}/{_short(pair[1])}"


# At most seven digits a side: int() of user text stays cheap (and below Python's 4,300-digit
# limit), and no real length needs more (see MAX_SEQUENCE_TOKENS).
_TOKEN = r"(\d{1,7})(k?)"
_LONGEST_TEXT = 64


def parse_sequence(text: str | None) -> tuple[int, int] | None:
    """Accepts 1k1k, 1k/1k, 1024/1024, 1024-1024 (case-insensitive); None if not a sequence,
    or if a length is not a plausible one (1 to MAX_SEQUENCE_TOKENS)."""
    if not text or len(str(text)) > _LONGEST_TEXT:
        return None
    m = re.fullmatch(rf"\s*{_TOKEN}\s*([/\-_x]?)\s*{_TOKEN}\s*", str(text).lower())
    if not m:
        return None
    a, ak, sep, b, bk = m.groups()
    if not sep and not ak:  # "11k" or "10241024" are ambiguous
        return None
    isl = int(a) * (1024 if ak else 1)
    osl = int(b) * (1024 if bk else 1)
    if not (0 < isl <= MAX_SEQUENCE_TOKENS and 0 < osl <= MAX_SEQUENCE_TOKENS):
        return None
    return isl, osl


def sort_key(key: str) -> tuple:
    if key in STANDARD:
        return (0, ORDER.index(key))
    pair = parse_sequence(key) or (0, 0)
    return (1, *pair)
