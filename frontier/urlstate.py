"""The URL is the source of truth for a view (SPEC §6).

``parse_query`` reads a query string, the helpers below read one parameter each (with a
readable notice for every value that had to be ignored), and ``serialize_*`` write a state
back. ``frontier/routes.py`` puts them together into the state of a whole page."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from urllib.parse import parse_qsl, quote, urlencode

from .metrics import DEFAULT_X, DEFAULT_Y, X_AXES, Y_METRICS, metric_provider
from .reference import PROVIDERS

DEFAULT_PROVIDER = "hyperscaler"
from .sequences import parse_sequence, sequence_key

TOGGLES = ("optimal", "log", "labels", "contrast")
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}
MAX_TARGETS = 8
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


@dataclass(frozen=True)
class ExplorerState:
    model: str
    seq: str
    precisions: tuple[str, ...]
    metric: str = DEFAULT_Y
    x: str = DEFAULT_X
    gpus: tuple[str, ...] = ()  # empty: every GPU
    optimal: bool = False
    log: bool = False
    labels: bool = False
    contrast: bool = False
    date: str | None = None
    hidden: tuple[str, ...] = ()  # series keys switched off in the legend (applied in the browser)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ExplorerState":
        data = dict(data)
        data["precisions"] = tuple(data.get("precisions") or ())
        data["gpus"] = tuple(data.get("gpus") or ())
        data["hidden"] = tuple(data.get("hidden") or ())
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


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


def _toggle(query: dict, key: str, res: Resolution) -> bool:
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


def resolve_common(query: dict, res: Resolution) -> dict:
    metric = single_value(query, "metric", res)
    if metric is not None and metric not in Y_METRICS:
        res.note(f"Ignored metric={shown(metric)}: unknown metric.")
        metric = None
    x = single_value(query, "x", res)
    if x is not None and x not in X_AXES:
        res.note(f"Ignored x={shown(x)}: expected one of {', '.join(X_AXES)}.")
        x = None
    out = {"metric": metric or DEFAULT_Y, "x": x or DEFAULT_X}
    for key in TOGGLES:
        out[key] = _toggle(query, key, res)
    return out


def state_query(values: dict) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for key in ("model", "seq", "metric", "x", "date"):
        if values.get(key):
            query[key] = [str(values[key])]
    for key, name in (("precisions", "precision"), ("gpus", "gpus")):
        if values.get(key):
            query[name] = [str(v) for v in values[key]]
    for key in TOGGLES:
        if values.get(key):
            query[key] = ["1"]
    if values.get("targets"):
        query["targets"] = [str(t) for t in values["targets"]]
    if values.get("hidden"):
        query["hide"] = [str(k) for k in values["hidden"]]
    return query


def serialize_explorer(state: ExplorerState) -> str:
    """The five main choices always (a shared link must not depend on today's defaults);
    filters and toggles only when set."""
    pairs = [("model", state.model), ("seq", state.seq), ("precision", ",".join(state.precisions)),
             ("metric", state.metric), ("x", state.x)]
    if state.gpus:
        pairs.append(("gpus", ",".join(state.gpus)))
    if state.date:
        pairs.append(("date", state.date))
    pairs += [(key, "1") for key in TOGGLES if getattr(state, key)]
    return _query_text(pairs, state.hidden)


def _query_text(pairs: list, hidden: tuple[str, ...]) -> str:
    if hidden:
        pairs = pairs + [("hide", ",".join(hidden))]
    return "?" + urlencode(pairs, safe=",/", quote_via=quote)


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


# ---- comparison pages -------------------------------------------------------------------

@dataclass(frozen=True)
class CompareState:
    kind: str
    slug: str
    model: str
    seq: str
    table_precision: str  # the precision the table is pinned to
    precisions: tuple[str, ...]  # what the chart shows
    metric: str = DEFAULT_Y
    x: str = DEFAULT_X
    targets: tuple[float, ...] = ()  # empty: the band's quartiles
    provider: str = DEFAULT_PROVIDER  # whose prices the table's costs use
    optimal: bool = False
    log: bool = False
    labels: bool = False
    contrast: bool = False
    hidden: tuple[str, ...] = ()  # series keys switched off in the legend (applied in the browser)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "CompareState":
        data = dict(data)
        data["precisions"] = tuple(data.get("precisions") or ())
        data["targets"] = tuple(data.get("targets") or ())
        data["hidden"] = tuple(data.get("hidden") or ())
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})



def parse_targets(values: list[str] | None, res: Resolution) -> tuple[float, ...]:
    if not values:
        return ()
    targets, bad = [], []
    for value in values:
        try:
            number = float(value)
        except ValueError:
            bad.append(value)
            continue
        if not (0 < number < 1e6) or number != number:
            bad.append(value)
        elif number not in targets:
            targets.append(int(number) if number.is_integer() else round(number, 3))
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


def serialize_compare(state: CompareState, precision_in_query: bool) -> str:
    pairs = [("seq", state.seq)]
    if precision_in_query:
        pairs.append(("precision", ",".join(state.precisions)))
    if state.metric != DEFAULT_Y:
        pairs.append(("metric", state.metric))
    if state.x != DEFAULT_X:
        pairs.append(("x", state.x))
    if state.targets:
        pairs.append(("targets", ",".join(_num(t) for t in state.targets)))
    if state.provider != DEFAULT_PROVIDER:
        pairs.append(("provider", state.provider))
    pairs += [(key, "1") for key in TOGGLES if getattr(state, key)]
    return _query_text(pairs, state.hidden)


def _num(t: float) -> str:
    return str(int(t)) if float(t).is_integer() else f"{t:g}"
