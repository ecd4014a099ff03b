"""The URL is the source of truth for a view (SPEC §6).

``parse_query`` reads a query string and the helpers below read one parameter each, with a
readable notice for every value that had to be ignored. ``frontier/viewstate.py`` holds the
states they make and writes them back; ``frontier/routes.py`` puts them together for a page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from .metrics import DEFAULT_X, DEFAULT_Y, X_AXES, Y_METRICS, metric_provider
from .reference import PROVIDERS
from .sequences import parse_sequence, sequence_key

DEFAULT_PROVIDER = "hyperscaler"

TOGGLES = ("optimal", "log", "labels", "contrast")
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}
MAX_TARGETS = 8
MAX_TARGET = 1e6  # tok/s/user: far past any measured interactivity (targets past the data are clamped)
MAX_TARGET_CHARS = 24
TARGET_RE = re.compile(r"(?:\d{1,7}(?:\.\d{0,12})?|\.\d{1,12})(?:[eE][+-]?\d{1,2})?")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# hide=: series keys (see ``series_key``) separated by commas, bounded so a link stays a link
MAX_HIDDEN = 200
MAX_KEY_LENGTH = 120
SERIES_KEY_RE = re.compile(r"^[a-z0-9._+-]+(/[a-z0-9._+-]+){1,3}$")


def shown(value: str, limit: int = 40) -> str:
    """A user-supplied value, quoted and shortened, safe to place in a notice."""
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def parse_query(search: str | None) -> dict[str, list[str]]:
    """``?a=1,2&a=3&b=x`` -> {"a": ["1", "2", "3"], "b": ["x"]}; keys lower-cased."""
    out: dict[str, list[str]] = {}
    for key, value in parse_qsl((search or "").lstrip("?"), keep_blank_values=True):
        parts = [v.strip() for v in value.split(",")]
        out.setdefault(key.strip().lower(), []).extend(p for p in parts if p != "" or value == "")
    return out


@dataclass
class Resolution:
    notices: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)


def single_value(query: dict, key: str, res: Resolution) -> str | None:
    values = query.get(key)
    if not values:
        return None
    if len(values) > 1:
        res.note(f"Parameter '{key}' takes one value; used the first of {len(values)}.")
    return values[0]


def toggle(query: dict, key: str, res: Resolution) -> bool:
    value = single_value(query, key, res)
    if value is None:
        return False
    if value.lower() in TRUE:
        return True
    if value.lower() not in FALSE:
        res.note(f"Ignored {key}={shown(value)}: expected 1 or 0.")
    return False


def sequence_choice(raw: str | None, available: list[str], res: Resolution, default: str | None) -> str | None:
    if raw is None:
        return default
    pair = parse_sequence(raw)
    key = sequence_key(*pair) if pair else None
    if key in available:
        return key
    options = ", ".join(available) or "none"
    res.note(f"Ignored seq={shown(raw)}: this model has data for {options}.")
    return default


def choose_many(raw: list[str] | None, available: list[str], name: str, res: Resolution, default: list[str]) -> tuple:
    if raw is None:
        return tuple(default)
    chosen, unknown = [], []
    for value in raw:
        v = value.lower()
        if v in available and v not in chosen:
            chosen.append(v)
        elif v not in available:
            unknown.append(value)
    if unknown:
        res.note(f"Ignored {name} {', '.join(shown(u) for u in unknown)}: not in the data for this view.")
    return tuple(chosen) if chosen else tuple(default)


def resolve_common(query: dict, res: Resolution, default_metric: str = DEFAULT_Y) -> dict:
    metric = single_value(query, "metric", res)
    if metric is not None and metric not in Y_METRICS:
        res.note(f"Ignored metric={shown(metric)}: unknown metric.")
        metric = None
    x = single_value(query, "x", res)
    if x is not None and x not in X_AXES:
        res.note(f"Ignored x={shown(x)}: expected one of {', '.join(X_AXES)}.")
        x = None
    out = {"metric": metric or default_metric, "x": x or DEFAULT_X}
    for key in TOGGLES:
        out[key] = toggle(query, key, res)
    return out


def parse_targets(values: list[str] | None, res: Resolution) -> tuple[float, ...]:
    if not values:
        return ()
    targets, bad = [], []
    for value in values:
        # plain decimals only, of bounded length: float() never sees megabytes of digits
        if len(value) > MAX_TARGET_CHARS or not TARGET_RE.fullmatch(value.strip()):
            bad.append(value)
            continue
        number = round(float(value), 3)
        if not (0 < number < MAX_TARGET):
            bad.append(value)
        elif number not in targets:
            targets.append(int(number) if number.is_integer() else number)
    if bad:
        res.note(f"Ignored target {', '.join(shown(b) for b in bad)}: expected positive numbers of tok/s/user.")
    if len(targets) > MAX_TARGETS:
        res.note(f"Kept the first {MAX_TARGETS} targets.")
        targets = targets[:MAX_TARGETS]
    return tuple(sorted(targets))


def parse_provider(query: dict, metric: str, res: Resolution) -> str:
    """``provider=`` when given; else the provider of a cost metric shown on the chart, so the
    table prices what the chart does; else the default (SPEC §10)."""
    raw = single_value(query, "provider", res)
    if raw is not None:
        if raw.lower() in PROVIDERS:
            return raw.lower()
        res.note(f"Ignored provider={shown(raw)}: expected one of {', '.join(PROVIDERS)}.")
    return metric_provider(metric) or DEFAULT_PROVIDER


def series_key(*parts) -> str:
    """A series' stable name in an address (``hide=``): its defining values joined by "/",
    e.g. "b200/sglang/mtp/fp8" (explorer) or "a/fp4" (a comparison's side). It depends on
    what the series is, never on its position, so a link keeps working when data is added."""
    return "/".join(re.sub(r"[^a-z0-9._+-]+", "-", str(p).lower()) or "-" for p in parts)


def parse_hidden(values: list[str] | None, res: Resolution) -> tuple[str, ...]:
    """The well-formed series keys of ``hide=`` (each malformed one noticed); whether a key is
    a series of the view is for the caller to say (one that is not is dropped silently)."""
    keys: dict[str, None] = {}  # ordered, without repeats
    bad = []
    for value in values or []:
        key = value.lower()
        if not key:
            continue  # "hide=" hides nothing
        if len(key) <= MAX_KEY_LENGTH and SERIES_KEY_RE.match(key):
            keys[key] = None
        else:
            bad.append(value)
    if bad:
        res.note(f"Ignored hide={', '.join(shown(b) for b in bad[:3])}{' and more' if len(bad) > 3 else ''}: "
                 f"not a series key (like b200/sglang/mtp/fp8).")
    if len(keys) > MAX_HIDDEN:
        res.note(f"Kept the first {MAX_HIDDEN} hidden series.")
    return tuple(keys)[:MAX_HIDDEN]


def stored_keys(value) -> list[str]:
    """The series keys a browser store holds (the legend's hidden series); anything else: none."""
    return [k for k in value if isinstance(k, str)] if isinstance(value, list) else []
