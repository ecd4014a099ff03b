"""From an address to what a page shows: which page a path is, the valid state its query
asks for (each ignored value named in a notice), and the canonical address of a page that
was typed in another spelling. Every page, first load and callback alike, starts here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .catalog import precision_sort_key
from .compare import default_gpu_precision
from .filters import FILTER_KEYS, resolve_filters
from .kinds import KINDS, Available, ComparisonKind, Known, kind_for_path
from .prices import resolve_prices
from .urlstate import (DATE_RE, TOGGLES, Resolution, choose_many, parse_hidden, parse_query, parse_targets,
                       resolve_common, sequence_choice, shown, single_value, stored_keys, toggle)
from .viewstate import CompareState, ExplorerState, serialize_compare

# pages that are not comparisons: path -> page name
FIXED_PAGES = {"/": "explorer", "/compare": "compare-index", "/methodology": "methodology"}
STATEFUL_PAGES = {"explorer", "comparison"}  # pages whose view comes from their query

PRICE_KEYS = ("price", "kw")
EXPLORER_KEYS = {"model", "seq", "precision", "metric", "x", "gpus", "date", "best", "hide", "rev", *FILTER_KEYS,
                 *PRICE_KEYS, *TOGGLES}
COMPARE_KEYS = {"seq", "precision", "metric", "x", "targets", "provider", "hide", "rev", *FILTER_KEYS, *PRICE_KEYS,
                *TOGGLES}


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
    state: ExplorerState | CompareState | None = None
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
    common = resolve_common(query, res)
    filters = resolve_filters(query, index.points_for(model, seq), index.reference, res,
                              present=index.present_values(model, seq))
    # the explorer's provider is the one its cost metric reads (a provider= here would disagree with it)
    prices = resolve_prices({k: v for k, v in query.items() if k != "provider"}, index.reference, res, common["metric"])
    state = ExplorerState(model=model, seq=seq, precisions=tuple(sorted(precisions, key=precision_sort_key)),
                          gpus=tuple(gpus), date=date, best=toggle(query, "best", res), filters=filters, prices=prices,
                          **common)
    return with_hidden(index, state, parse_hidden(query.get("hide"), res)), res.notices


def with_hidden(index, state, keys: tuple[str, ...]):
    """The state with the keys of ``hide=`` that name a series of its view, in legend order;
    a key the view has no series for (other data, another filter) is dropped without a word."""
    if not keys:
        return state
    return replace(state, hidden=tuple(k for k in index.series_keys(state) if k in keys))


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
    common = resolve_common(query, res)
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
    return spec.path, serialize_compare(new_state, kind.precision_in_query) if new_state else ""


# ---- addresses --------------------------------------------------------------------------

def canonical_address(index, pathname: str, search: str) -> str | None:
    """Where a page typed in another spelling lives (for a permanent redirect), else None."""
    r = route(pathname)
    if r.page != "comparison":
        return None
    available = find_comparison(index, r.kind, r.slug)
    if available is None or available.spec.path == pathname:
        return None
    return available.spec.path + (f"?{search.lstrip('?')}" if search and search.lstrip("?") else "")
