"""The URL is the source of truth for a view (SPEC §6).

``parse_query`` reads a query string; ``resolve_*`` turn the raw values into a valid state
for the loaded data, with a readable notice for every value that had to be ignored; and
``serialize_*`` write a state back. Pure functions: the Dash resolver callback is a thin
adapter around them."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from urllib.parse import parse_qsl, quote, urlencode

from .catalog import Catalog, precision_sort_key
from .metrics import DEFAULT_X, DEFAULT_Y, X_AXES, Y_METRICS
from .sequences import parse_sequence, sequence_key

TOGGLES = ("optimal", "log", "labels", "contrast")
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}
MAX_TARGETS = 8
MAX_TARGET = 1e6  # tok/s/user: far past any measured interactivity (targets past the data are clamped)
MAX_TARGET_CHARS = 24
TARGET_RE = re.compile(r"(?:\d{1,7}(?:\.\d{0,12})?|\.\d{1,12})(?:[eE][+-]?\d{1,2})?")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ExplorerState":
        data = dict(data)
        data["precisions"] = tuple(data.get("precisions") or ())
        data["gpus"] = tuple(data.get("gpus") or ())
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class Resolution:
    notices: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)


def _single(query: dict, key: str, res: Resolution) -> str | None:
    values = query.get(key)
    if not values:
        return None
    if len(values) > 1:
        res.note(f"Parameter '{key}' takes one value; used the first of {len(values)}.")
    return values[0]


def _toggle(query: dict, key: str, res: Resolution) -> bool:
    value = _single(query, key, res)
    if value is None:
        return False
    if value.lower() in TRUE:
        return True
    if value.lower() not in FALSE:
        res.note(f"Ignored {key}={shown(value)}: expected 1 or 0.")
    return False


def _sequence(raw: str | None, available: list[str], res: Resolution, default: str | None) -> str | None:
    if raw is None:
        return default
    pair = parse_sequence(raw)
    key = sequence_key(*pair) if pair else None
    if key in available:
        return key
    options = ", ".join(available) or "none"
    res.note(f"Ignored seq={shown(raw)}: this model has data for {options}.")
    return default


def _choose_many(raw: list[str] | None, available: list[str], name: str, res: Resolution, default: list[str]) -> tuple:
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
    metric = _single(query, "metric", res)
    if metric is not None and metric not in Y_METRICS:
        res.note(f"Ignored metric={shown(metric)}: unknown metric.")
        metric = None
    x = _single(query, "x", res)
    if x is not None and x not in X_AXES:
        res.note(f"Ignored x={shown(x)}: expected one of {', '.join(X_AXES)}.")
        x = None
    out = {"metric": metric or DEFAULT_Y, "x": x or DEFAULT_X}
    for key in TOGGLES:
        out[key] = _toggle(query, key, res)
    return out


def resolve_model(query: dict, catalog: Catalog, res: Resolution, allowed: list[str] | None = None) -> str | None:
    models = allowed if allowed is not None else catalog.models
    raw = _single(query, "model", res)
    if raw is not None:
        if raw.lower() in models:
            return raw.lower()
        res.note(f"Ignored model={shown(raw)}: no data for that model.")
    return models[0] if models else None


EXPLORER_KEYS = {"model", "seq", "precision", "metric", "x", "gpus", "date", *TOGGLES}


def resolve_explorer(query: dict, catalog: Catalog) -> tuple[ExplorerState | None, list[str]]:
    res = Resolution()
    for key in query:
        if key not in EXPLORER_KEYS:
            res.note(f"Ignored unknown parameter {shown(key)}.")
    model = resolve_model(query, catalog, res)
    if model is None:
        return None, res.notices
    seq = _sequence(_single(query, "seq", res), catalog.seqs[model], res, catalog.default_seq(model))
    precisions = _choose_many(query.get("precision"), catalog.precisions[(model, seq)], "precision", res,
                              catalog.default_precisions(model, seq))
    gpus = _choose_many(query.get("gpus"), catalog.gpus[(model, seq)], "gpus", res, [])
    date = _single(query, "date", res)
    if date is not None and (not DATE_RE.match(date) or (catalog.dates and date < catalog.dates[0])):
        first = catalog.dates[0] if catalog.dates else "the first run"
        res.note(f"Ignored date={shown(date)}: expected YYYY-MM-DD on or after {first}.")
        date = None
    state = ExplorerState(model=model, seq=seq, precisions=tuple(sorted(precisions, key=precision_sort_key)),
                          gpus=tuple(gpus), date=date, **resolve_common(query, res))
    return state, res.notices


def explorer_from_controls(values: dict, catalog: Catalog) -> tuple[ExplorerState | None, list[str]]:
    """Control values go through the same resolver as the URL, so they cascade the same way
    (a model without the chosen sequence falls back to one it has)."""
    return resolve_explorer(state_query(values), catalog)


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
    return "?" + urlencode(pairs, safe=",", quote_via=quote)


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
    optimal: bool = False
    log: bool = False
    labels: bool = False
    contrast: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "CompareState":
        data = dict(data)
        data["precisions"] = tuple(data.get("precisions") or ())
        data["targets"] = tuple(data.get("targets") or ())
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def with_(self, **changes) -> "CompareState":
        return replace(self, **changes)


COMPARE_KEYS = {"seq", "precision", "metric", "x", "targets", *TOGGLES}


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
    pairs += [(key, "1") for key in TOGGLES if getattr(state, key)]
    return "?" + urlencode(pairs, safe=",", quote_via=quote)


def _num(t: float) -> str:
    return str(int(t)) if float(t).is_integer() else f"{t:g}"
