"""The state of a view, as a page shows it and its address spells it (SPEC §6, §9-§12).

States are frozen (hashable): views are memoised on them. ``serialize_*`` write the
canonical address of a state; ``frontier/routes.py`` reads addresses into states."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import quote, urlencode

from .calculator import DEFAULT_TARGET, CalculatorParams, calculator_pairs
from .filters import NO_FILTERS, Filters, filter_pairs
from .formatting import number_text
from .metrics import DEFAULT_X, DEFAULT_Y
from .prices import DEFAULT_PRICES, PriceOverrides, price_pairs
from .urlstate import TOGGLES


@dataclass(frozen=True)
class ExplorerState:
    model: str
    seq: str
    precisions: tuple[str, ...]
    metric: str = DEFAULT_Y
    x: str = DEFAULT_X
    gpus: tuple[str, ...] = ()  # empty: every GPU
    best: bool = False  # one series per GPU, its configurations pooled (SPEC §9)
    filters: Filters = NO_FILTERS
    prices: PriceOverrides = DEFAULT_PRICES  # the provider follows the metric here
    optimal: bool = False
    log: bool = False
    labels: bool = False
    contrast: bool = False
    date: str | None = None
    dates: tuple[str, ...] = ()  # frontiers as of these dates drawn over the view's (dates=)
    hidden: tuple[str, ...] = ()  # series keys switched off in the legend (applied in the browser)
    rev: str | None = None  # the data revision the view is pinned to (rev=), None: the latest

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CalculatorState:
    """The calculator (SPEC §11): one precision of a model and sequence, read at a target."""

    model: str
    seq: str
    precision: str
    params: CalculatorParams = CalculatorParams()  # target, users, by, maxcost, sort
    filters: Filters = NO_FILTERS
    prices: PriceOverrides = DEFAULT_PRICES
    rev: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


HISTORY_METRICS = ("tput", "cost")  # what the history chart draws (the table shows both)


@dataclass(frozen=True)
class HistoryState:
    """The history (SPEC §12): each GPU read at a target on every run date."""

    model: str
    seq: str
    precision: str
    target: float = DEFAULT_TARGET
    metric: str = "tput"  # one of HISTORY_METRICS
    gpus: tuple[str, ...] = ()  # empty: every GPU
    filters: Filters = NO_FILTERS
    prices: PriceOverrides = DEFAULT_PRICES
    rev: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


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
    filters: Filters = NO_FILTERS  # narrow both sides
    prices: PriceOverrides = DEFAULT_PRICES  # whose prices (and which custom ones) the costs use
    optimal: bool = False
    log: bool = False
    labels: bool = False
    contrast: bool = False
    hidden: tuple[str, ...] = ()  # series keys switched off in the legend (applied in the browser)
    rev: str | None = None  # the data revision the view is pinned to (rev=), None: the latest

    @property
    def provider(self) -> str:
        return self.prices.provider

    def to_dict(self) -> dict:
        return asdict(self)


def state_query(values: dict) -> dict[str, list[str]]:
    """Control values ({"model": ..., "precisions": [...], ...}) as a parsed query."""
    query: dict[str, list[str]] = {}
    for key in ("model", "seq", "metric", "x", "date"):
        if values.get(key):
            query[key] = [str(values[key])]
    for key, name in (("precisions", "precision"), ("gpus", "gpus"), ("dates", "dates")):
        if values.get(key):
            query[name] = [str(v) for v in values[key]]
    for key in (*TOGGLES, "best"):
        if values.get(key):
            query[key] = ["1"]
    if values.get("targets"):
        query["targets"] = [str(t) for t in values["targets"]]
    if values.get("hidden"):
        query["hide"] = [str(k) for k in values["hidden"]]
    return query


def _encode(pairs, hidden: tuple[str, ...] = (), rev: str | None = None) -> str:
    if rev:
        pairs = pairs + [("rev", rev)]
    if hidden:  # last: the longest value, and the one a reader changes in the browser
        pairs = pairs + [("hide", ",".join(hidden))]
    return "?" + urlencode(pairs, safe=",:/", quote_via=quote)


def serialize_explorer(state: ExplorerState) -> str:
    """The five main choices always (a shared link must not depend on today's defaults);
    filters, prices and toggles only when set."""
    pairs = [("model", state.model), ("seq", state.seq), ("precision", ",".join(state.precisions)),
             ("metric", state.metric), ("x", state.x)]
    if state.gpus:
        pairs.append(("gpus", ",".join(state.gpus)))
    if state.best:
        pairs.append(("best", "1"))
    pairs += filter_pairs(state.filters)
    pairs += price_pairs(state.prices, include_provider=False)
    if state.date:
        pairs.append(("date", state.date))
    if state.dates:
        pairs.append(("dates", ",".join(state.dates)))
    pairs += [(key, "1") for key in TOGGLES if getattr(state, key)]
    return _encode(pairs, state.hidden, state.rev)


def serialize_calculator(state: CalculatorState) -> str:
    """Model, sequence, precision and target always (a shared link must not depend on today's
    defaults); the rest only when set."""
    pairs = [("model", state.model), ("seq", state.seq), ("precision", state.precision)]
    pairs += calculator_pairs(state.params) + filter_pairs(state.filters) + price_pairs(state.prices)
    return _encode(pairs, rev=state.rev)


def serialize_history(state: HistoryState) -> str:
    pairs = [("model", state.model), ("seq", state.seq), ("precision", state.precision),
             ("target", number_text(state.target))]
    if state.metric != "tput":
        pairs.append(("metric", state.metric))
    if state.gpus:
        pairs.append(("gpus", ",".join(state.gpus)))
    pairs += filter_pairs(state.filters) + price_pairs(state.prices)
    return _encode(pairs, rev=state.rev)


def serialize_compare(state: CompareState, precision_in_query: bool, default_metric: str = DEFAULT_Y) -> str:
    """A comparison page's query (its kind says whether the precisions are in it and which
    chart metric goes without saying: ``ComparisonKind.query``)."""
    pairs = [("seq", state.seq)]
    if precision_in_query:
        pairs.append(("precision", ",".join(state.precisions)))
    if state.metric != default_metric:
        pairs.append(("metric", state.metric))
    if state.x != DEFAULT_X:
        pairs.append(("x", state.x))
    if state.targets:
        pairs.append(("targets", ",".join(_num(t) for t in state.targets)))
    pairs += filter_pairs(state.filters)
    pairs += price_pairs(state.prices)
    pairs += [(key, "1") for key in TOGGLES if getattr(state, key)]
    return _encode(pairs, state.hidden, state.rev)


def _num(t: float) -> str:
    return str(int(t)) if float(t).is_integer() else f"{t:g}"
