"""From an address to what a page shows: which page a path is, the valid state its query
asks for (each ignored value named in a notice), and the canonical address of a page that
was typed in another spelling. Every page, first load and callback alike, starts here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .calculator import CALCULATOR_KEYS, parse_target, resolve_calculator_params
from .catalog import precision_sort_key
from .compare import default_gpu_precision
from .filters import FILTER_KEYS, resolve_filters
from .history import parse_dates
from .kinds import KINDS, Available, ComparisonKind, Known, kind_for_path
from .presets import preset_by_id
from .prices import resolve_prices
from .urlstate import (DATE_RE, TOGGLES, Resolution, choose_many, parse_hidden, parse_provider, parse_query, parse_targets,
                       resolve_common, sequence_choice, shown, single_value, stored_keys, toggle)
from .viewstate import HISTORY_METRICS, CalculatorState, CompareState, ExplorerState, HistoryState

# pages that are not comparisons: path -> page name
FIXED_PAGES = {"/": "explorer", "/compare": "compare-index", "/methodology": "methodology",
               "/calculator": "calculator", "/history": "history"}
CHART_PAGES = {"explorer", "comparison"}  # the pages of the points chart and its control panel
DECISION_PAGES = {"calculator", "history"}  # read every GPU at one target
STATEFUL_PAGES = CHART_PAGES | DECISION_PAGES  # pages whose view comes from their query

PRICE_KEYS = ("price", "kw")
EXPLORER_KEYS = {"model", "seq", "precision", "metric", "x", "gpus", "date", "dates", "best", "hide", "rev", "preset",
                 *FILTER_KEYS, *PRICE_KEYS, *TOGGLES}
COMPARE_KEYS = {"seq", "precision", "metric", "x", "targets", "provider", "hide", "rev", *FILTER_KEYS, *PRICE_KEYS,
                *TOGGLES}
CALCULATOR_PAGE_KEYS = {*CALCULATOR_KEYS, "rev"}
HISTORY_KEYS = {"model", "seq", "precision", "target", "metric", "gpus", "provider", "rev", *PRICE_KEYS, *FILTER_KEYS}


@dataclass(frozen=True)
class Route:
    page: str  # "explorer", "compare-index", "methodology", "comparison" or "not-found"
    path: str
    kind: ComparisonKind | None = None
    slug: str | None = None

    @property
    def identity(self) -> tuple:
        """Two addresses show the same page (maybe in another state) when this is equal."""
        return self.page, self.kind.key if self.kind else None, self.slug


def route(pathname: str | None) -> Route:
    path = (pathname or "/").rstrip("/") or "/"
    if path in FIXED_PAGES:
        return Route(FIXED_PAGES[path], path)
    found = kind_for_path(path)
    if found:
        return Route("comparison", path, found[0], found[1])
    return Route("not-found", path)


@dataclass
class PageRequest:
    """A page and the state its address resolves to; ``state`` is None for a page with no
    view state, for a comparison the data does not support, and when no data is loaded."""

    route: Route
    state: ExplorerState | CompareState | CalculatorState | HistoryState | None = None
    notices: list[str] = field(default_factory=list)
    index: object = None  # the data the state was read against: the latest, or a pinned revision

    @property
    def found(self) -> bool:
        return self.route.page in FIXED_PAGES.values() or (self.route.page == "comparison" and self.state is not None)


def resolve(index, pathname: str | None, search: str | None) -> PageRequest:
    r = route(pathname)
    query = parse_query(search)
    if r.page not in STATEFUL_PAGES:
        return PageRequest(r, index=index)
    index, rev, notices = pinned_index(index, query)
    if r.page == "explorer":
        state, more = resolve_explorer(query, index)
    elif r.page == "calculator":
        state, more = resolve_calculator(query, index)
    elif r.page == "history":
        state, more = resolve_history(query, index)
    else:
        state, more = resolve_compare(index, r.kind, r.slug, query)
    if state is not None and rev:
        state = replace(state, rev=rev)
    return PageRequest(r, state, notices + more, index)


REV_RE = re.compile(r"^[0-9a-z+]{1,40}$")


def pinned_index(index, query: dict) -> tuple[object, str | None, list[str]]:
    """(the data a view reads, the revision it is pinned to, notices) for ``rev=``: a link kept
    in a decision document reopens with the numbers it had; an unknown revision is noticed
    and the latest data shown."""
    res = Resolution()
    raw = single_value(query, "rev", res)
    if raw is None:
        return index, None, res.notices
    rev = raw.strip().lower().replace(" ", "+")  # a "+" typed unescaped in a query reads as a space
    pinned = index.for_revision(rev) if REV_RE.match(rev) else None
    if pinned is None:
        res.note(f"Ignored rev={shown(raw)}: no such data revision here; showing the latest "
                 f"(revision {index.revision or 'unnumbered'}).")
        return index, None, res.notices
    return pinned, rev, res.notices


# ---- the explorer -----------------------------------------------------------------------

def resolve_explorer(query: dict, index) -> tuple[ExplorerState | None, list[str]]:
    """A bare address (the landing page) shows the best configuration of each GPU, the view a
    newcomer can read; any address with a query shows what it asks for (every configuration
    unless it says ``best=1``)."""
    catalog = index.catalog
    res = Resolution()
    for key in query:
        if key not in EXPLORER_KEYS:
            res.note(f"Ignored unknown parameter {shown(key)}.")
    model = resolve_model(query, catalog.models, res)
    if model is None:
        return None, res.notices
    seq = sequence_choice(single_value(query, "seq", res), catalog.seqs[model], res, catalog.default_seq(model))
    precisions = choose_many(query.get("precision"), catalog.precisions[(model, seq)], "precision", res,
                             catalog.default_precisions(model, seq))
    gpus = choose_many(query.get("gpus"), catalog.gpus[(model, seq)], "gpus", res, [])
    date = single_value(query, "date", res)
    if date is not None and (not DATE_RE.match(date) or (catalog.dates and date < catalog.dates[0])):
        first = catalog.dates[0] if catalog.dates else "the first run"
        res.note(f"Ignored date={shown(date)}: expected YYYY-MM-DD on or after {first}.")
        date = None
    dates = parse_dates(query.get("dates"), catalog.dates[0] if catalog.dates else None, res)
    preset = single_value(query, "preset", res)
    if preset is not None and preset_by_id(index.presets, preset) is None:
        # (a known one never gets here: the server redirects it to its address)
        res.note(f"Ignored preset={shown(preset)}: no curated view by that name; those that exist are listed "
                 f"under Curated views.")
    common = resolve_common(query, res)
    filters = resolve_filters(query, index.points_for(model, seq), index.reference, res,
                              present=index.present_values(model, seq))
    # the explorer's provider is the one its cost metric reads (a provider= here would disagree with it)
    prices = resolve_prices({k: v for k, v in query.items() if k != "provider"}, index.reference, res, common["metric"])
    state = ExplorerState(model=model, seq=seq, precisions=tuple(sorted(precisions, key=precision_sort_key)),
                          gpus=tuple(gpus), date=date, dates=dates,
                          best=toggle(query, "best", res) if "best" in query else not query,
                          filters=filters, prices=prices, **common)
    return with_hidden(index, state, parse_hidden(query.get("hide"), res)), res.notices


def with_hidden(index, state, keys: tuple[str, ...]):
    """The state with the keys of ``hide=`` that name a series of its view, in legend order;
    a key the view has no series for (other data, another filter) is dropped without a word."""
    if not keys:
        return state
    return replace(state, hidden=tuple(k for k in index.series_keys(state) if k in keys))


# ---- the calculator and the history -------------------------------------------------------

def _workload(query: dict, index, known: set, res: Resolution) -> tuple[str, str, str] | None:
    """(model, sequence, precision) of a decision page: one precision, the one with the most
    points by default; every unknown parameter noticed."""
    for key in query:
        if key not in known:
            res.note(f"Ignored unknown parameter {shown(key)}.")
    catalog = index.catalog
    model = resolve_model(query, catalog.models, res)
    if model is None:
        return None
    seq = sequence_choice(single_value(query, "seq", res), catalog.seqs[model], res, catalog.default_seq(model))
    precision = choose_many(query.get("precision"), catalog.precisions[(model, seq)], "precision", res,
                            catalog.default_precisions(model, seq))
    if len(precision) > 1:
        res.note("This page reads one precision; kept the first.")
    return model, seq, precision[0]


def resolve_calculator(query: dict, index) -> tuple[CalculatorState | None, list[str]]:
    res = Resolution()
    workload = _workload(query, index, CALCULATOR_PAGE_KEYS, res)
    if workload is None:
        return None, res.notices
    model, seq, precision = workload
    params = resolve_calculator_params(query, res)
    filters = resolve_filters(query, index.points_for(model, seq), index.reference, res)
    prices = resolve_prices(query, index.reference, res)
    return CalculatorState(model, seq, precision, params, filters, prices), res.notices


def resolve_history(query: dict, index) -> tuple[HistoryState | None, list[str]]:
    res = Resolution()
    workload = _workload(query, index, HISTORY_KEYS, res)
    if workload is None:
        return None, res.notices
    model, seq, precision = workload
    target = parse_target(query, res)
    metric = single_value(query, "metric", res)
    if metric is not None and metric.lower() not in HISTORY_METRICS:
        res.note(f"Ignored metric={shown(metric)}: the history draws {' or '.join(HISTORY_METRICS)}.")
        metric = None
    gpus = choose_many(query.get("gpus"), index.catalog.gpus[(model, seq)], "gpus", res, [])
    filters = resolve_filters(query, index.points_for(model, seq), index.reference, res)
    prices = resolve_prices(query, index.reference, res)
    return HistoryState(model, seq, precision, target, (metric or "tput").lower(), tuple(gpus), filters,
                        prices), res.notices


def resolve_model(query: dict, models: list[str], res: Resolution) -> str | None:
    raw = single_value(query, "model", res)
    if raw is not None:
        if raw.lower() in models:
            return raw.lower()
        res.note(f"Ignored model={shown(raw)}: no data for that model.")
    return models[0] if models else None


# ---- comparison pages -------------------------------------------------------------------

def known_keys(index) -> Known:
    cat = index.catalog
    return Known.of(cat.models, list(cat.gpu_labels), sorted({p for ps in cat.precisions.values() for p in ps}),
                    index.reference.model_aliases)


def find_comparison(index, kind: ComparisonKind, slug: str) -> Available | None:
    """The comparison a slug names in any spelling the kind accepts (sides in either order,
    model aliases), or None when it names nothing the data supports."""
    spec = kind.parse(slug.strip().lower(), known_keys(index))
    if spec is None:
        return None
    for candidate in (spec, *kind.equivalents(spec)):
        available = index.available(kind.key, candidate.slug)
        if available is not None:
            return available
    return None


def resolve_compare(index, kind: ComparisonKind, slug: str, query: dict) -> tuple[CompareState | None, list[str]]:
    available = find_comparison(index, kind, slug)
    if available is None:
        return None, []
    spec = available.spec
    res = Resolution()
    for key in query:
        if key not in COMPARE_KEYS:
            res.note(f"Ignored unknown parameter {shown(key)}.")
    seqs = list(available.seqs)
    seq = sequence_choice(single_value(query, "seq", res), seqs, res, "1k1k" if "1k1k" in seqs else seqs[0])
    choices = kind.chart_precisions(available, index.catalog.precisions.get((spec.model, seq), []))
    table_precision, precisions = kind.resolve_precisions(
        spec, query.get("precision"), choices, lambda: default_gpu_precision(index.by_model[spec.model], spec, seq), res)
    # the provider's own notices come with the prices below; here it only picks the default metric
    common = resolve_common(query, res, kind.default_metric(parse_provider(query, "", Resolution())))
    ignore = {kind.compared_filter} if kind.compared_filter else set()
    filters = resolve_filters(query, index.points_for(spec.model, seq), index.reference, res, ignore=ignore,
                              present=index.present_values(spec.model, seq))
    state = CompareState(kind=kind.key, slug=spec.slug, model=spec.model, seq=seq, table_precision=table_precision,
                         precisions=tuple(sorted(precisions, key=precision_sort_key)),
                         targets=parse_targets(query.get("targets"), res), filters=filters,
                         prices=resolve_prices(query, index.reference, res, common["metric"]), **common)
    return with_hidden(index, state, parse_hidden(query.get("hide"), res)), res.notices


def comparison_for_model(index, state: CompareState, model: str, search: str,
                         hidden=()) -> tuple[str, str] | None:
    """(path, query) of the same comparison on another model, keeping what still applies
    (``hidden``: the legend's hidden keys, newer than the address's hide=)."""
    spec = index.spec(state).for_model(model)
    if index.available(spec.kind, spec.slug) is None:
        return None
    kind = KINDS[spec.kind]
    query = parse_query(search)
    query.pop("targets", None)  # the other model's band has other quartiles
    if kind.precision_control == "one":
        query.pop("precision", None)  # the other model may have other precisions
    query["seq"] = [state.seq]
    query["hide"] = stored_keys(hidden)
    new_state, _ = resolve_compare(index, kind, spec.slug, query)
    return spec.path, kind.query(new_state) if new_state else ""


# ---- addresses --------------------------------------------------------------------------

def preset_address(index, pathname: str, search: str) -> str | None:
    """Where ``/?preset=<id>`` lives (the curated view's own address), else None."""
    if route(pathname).page != "explorer":
        return None
    values = parse_query(search).get("preset")
    preset = preset_by_id(index.presets, values[0]) if values else None
    return preset.href if preset else None


def canonical_address(index, pathname: str, search: str) -> str | None:
    """Where a page typed in another spelling lives (for a permanent redirect), else None."""
    r = route(pathname)
    if r.page != "comparison":
        return None
    available = find_comparison(index, r.kind, r.slug)
    if available is None or available.spec.path == pathname:
        return None
    return available.spec.path + (f"?{search.lstrip('?')}" if search and search.lstrip("?") else "")
