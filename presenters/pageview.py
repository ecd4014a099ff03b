"""The page-view model: (address, data) -> every element property a page shows.

``page_view(index, pathname, search)`` resolves an address once (frontier/routes.py) and
answers ``values(section, ...)`` with a mapping {(element id, property): value}. The first
load fills the page's skeleton with all of them (``layout()``); each callback asks for the
sections it writes. Both go through ``SECTIONS`` below, so the chart, the tables and the
exports cannot drift apart. From an element id: find its section here, then the presenter
function that section names."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from components import ids
from components.pages import (calculator_page, compare_index_page, compare_page, explorer_page, history_page,
                              methodology_page, no_data_page, not_found_page, page_not_found, url_notice)
from frontier.kinds import KINDS
from frontier.routes import DECISION_PAGES, PageRequest, Route, resolve
from frontier.viewstate import (CalculatorState, CompareState, ExplorerState, HistoryState, serialize_calculator,
                                serialize_explorer, serialize_history)

from . import chart, compare, controls, decide

APP_NAME = "Inference Frontier"


def _address(view: "PageView") -> dict:
    return {(ids.PAGE_URL, "pathname"): view.route.path, (ids.PAGE_URL, "search"): view.canonical_search,
            (ids.VIEW_STATE, "data"): view.state_dict, (ids.PAGE_TITLE, "children"): view.title}


def _decision_address(view: "PageView") -> dict:
    page = decide.page_ids(view.state)
    return {(page.url, "pathname"): view.route.path, (page.url, "search"): view.canonical_search,
            (page.state, "data"): view.state_dict, (ids.PAGE_TITLE, "children"): view.title}


def _notice(view: "PageView") -> dict:
    alert = url_notice(view.notices)
    return {(ids.URL_NOTICE, "children"): alert.children, (ids.URL_NOTICE, "is_open"): bool(view.notices)}


def _chart(view: "PageView") -> dict:
    figure, empty = chart.chart_section(view.index, view.state)
    return {(ids.CHART_DATA, "data"): figure, (ids.CHART_EMPTY, "children"): empty,
            (ids.HIDDEN_SERIES, "data"): list(view.state.hidden)}


def _options(view: "PageView") -> dict:
    options = controls.control_options(view.index, view.state)
    return {**options, **controls.only_choices(options), **controls.filter_choices(view.index, view.state)}


def _table(view: "PageView") -> dict:
    rows, summary = chart.table_section(view.index, view.state)
    return {(ids.POINTS_DATA, "data"): rows, (ids.POINTS_SUMMARY, "children"): summary}


def _comparison(view: "PageView") -> dict:
    if not isinstance(view.state, CompareState):
        return {}
    table, narrative, pinned, api = compare.comparison_section(view.index, view.state)
    return {(ids.COMPARISON_TABLE, "children"): table, (ids.COMPARISON_NARRATIVE, "children"): narrative,
            (ids.COMPARISON_PINNED, "children"): pinned, (ids.COMPARISON_API_LINK, "href"): api,
            (ids.COMPARISON_ACCURACY, "children"): compare.accuracy_section(view.index, view.state)}


# section -> the presenter that computes it (each returns {(id, property): value})
SECTIONS = {
    "address": _address,  # the page's Location, its view-state store and document title
    "notice": _notice,  # what the address asked for that had to be ignored
    "options": lambda view: _options(view),
    "prices": lambda view: controls.price_inputs(view.index, view.state),  # the prices panel
    "controls": lambda view: controls.control_values(view.index, view.state),
    "chart": _chart,  # presenters/chart.py chart_section, and the series hidden in the legend
    "table": _table,  # presenters/chart.py table_section
    "comparison": _comparison,  # presenters/compare.py comparison_section
    # the calculator and the history (presenters/decide.py), with ids of their own (components/ids.py DecisionIds)
    "decision-address": _decision_address,
    "decision-options": lambda view: decide.decision_options(view.index, view.state),
    "decision-prices": lambda view: decide.decision_prices(view.index, view.state),
    "decision-controls": lambda view: decide.decision_values(view.index, view.state),
    "calculator": lambda view: decide.calculator_section(view.index, view.state),
    "history": lambda view: decide.history_section(view.index, view.state),
}
# each page's sections: what its first load fills in
CHART_SECTIONS = ("address", "notice", "options", "prices", "controls", "chart", "table", "comparison")
DECISION_SECTIONS = ("decision-address", "notice", "decision-options", "decision-prices", "decision-controls")
PAGE_SECTIONS = {"explorer": CHART_SECTIONS, "comparison": CHART_SECTIONS,
                 "calculator": DECISION_SECTIONS + ("calculator",), "history": DECISION_SECTIONS + ("history",)}


@dataclass
class PageView:
    index: object
    request: PageRequest
    search: str = ""  # the address as given (the canonical one may differ)

    @property
    def route(self) -> Route:
        return self.request.route

    @property
    def state(self) -> ExplorerState | CompareState | CalculatorState | HistoryState | None:
        return self.request.state

    @property
    def notices(self) -> list[str]:
        return self.request.notices

    @property
    def state_dict(self) -> dict | None:
        """The view state as the browser's store holds it (JSON: lists where the state has tuples)."""
        if self.state is None:
            return None
        page = self.route.page if self.route.page != "comparison" else self.state.kind
        # the address travels with the state: callbacks triggered by the store read it back
        return json.loads(json.dumps({"page": page, "search": self.canonical_search, **self.state.to_dict()}))

    @property
    def canonical_search(self) -> str:
        if isinstance(self.state, ExplorerState):
            return serialize_explorer(self.state)
        if isinstance(self.state, CompareState):
            return KINDS[self.state.kind].query(self.state)
        if isinstance(self.state, CalculatorState):
            return serialize_calculator(self.state)
        if isinstance(self.state, HistoryState):
            return serialize_history(self.state)
        return self.search

    @property
    def status(self) -> int:
        return 200 if self.request.found else 404

    @property
    def title(self) -> str:
        page = self.route.page
        if page == "explorer":
            name = "Inference Performance"
            if self.state is not None:
                name = f"{self.index.reference.model_label(self.state.model)} · {name}"
        elif page == "compare-index":
            name = "Comparisons"
        elif page == "methodology":
            name = "Methodology"
        elif page in DECISION_PAGES:
            name = page.capitalize()
            if self.state is not None:
                name = f"{name} · {self.index.reference.model_label(self.state.model)}"
        elif self.state is not None:
            name = KINDS[self.state.kind].title(self.index.spec(self.state), self.index.reference)[0]
        elif page == "comparison":
            name = "Comparison not found"
        else:
            name = "Page not found"
        return f"{name} · {APP_NAME}"

    def values(self, *sections: str) -> dict:
        """{(element id, property): value} of the named sections (all when none is named)."""
        if self.state is None:
            return {}
        out = {}
        for name in sections or PAGE_SECTIONS[self.route.page]:
            out.update(SECTIONS[name](self))
        return out

    def layout(self):
        """The page's components with every value in place (first loads and navigation)."""
        page = self.skeleton()
        if self.state is not None:
            values = self.values()
            # the Location keeps the address as typed, so it has nothing to report when it mounts
            location = decide.page_ids(self.state).url if self.route.page in DECISION_PAGES else ids.PAGE_URL
            values[(location, "search")] = self.search
            fill(page, values)
        return page

    def skeleton(self):
        page, index = self.route.page, self.index
        if page == "explorer":
            return explorer_page(index.presets) if self.state is not None else no_data_page()
        if page in DECISION_PAGES:
            if self.state is None:
                return no_data_page()
            return calculator_page() if page == "calculator" else history_page()
        if page == "compare-index":
            return compare_index_page(compare.comparison_groups(index))
        if page == "methodology":
            return methodology_page()
        if page == "not-found":
            return page_not_found(self.route.path)
        if self.state is not None:
            kind = KINDS[self.state.kind]
            title, intro = kind.title(index.spec(self.state), index.reference)
            return compare_page(title, intro, kind.caveat, kind.precision_control, kind.precision_help,
                                kind.compared_filter)
        model = None
        if self.route.slug:  # a comparison path naming a model we know: list that model's comparisons
            model = next((m for m in sorted(index.catalog.models, key=len, reverse=True)
                          if self.route.slug.lower().startswith(m + "-")), None)
        return not_found_page(self.route.path, compare.comparison_groups(index, model),
                              index.reference.model_label(model) if model else None)


def page_view(index, pathname: str | None, search: str | None) -> PageView:
    """(``index``: the latest data; a ``rev=`` address reads an earlier revision's.)"""
    request = resolve(index, pathname, search)
    return PageView(request.index or index, request, search or "")


# a view state's fields and the URL parameters they are read back through
STATE_SCALARS = {"model": "model", "seq": "seq", "metric": "metric", "x": "x", "date": "date", "provider": "provider"}
STATE_LISTS = {"precisions": "precision", "gpus": "gpus", "targets": "targets", "dates": "dates"}
STATE_FLAGS = ("optimal", "log", "labels", "contrast")
MAX_STATE_ITEMS = 64  # far above any real list (targets are capped at 8 on the way in anyway)
MAX_ADDRESS_BYTES = 4096  # as for a typed address (callbacks/hardening.py)


def address_of_state(data) -> tuple[str, str] | None:
    """The address that asks for a stored view state, or None when ``data`` is no view state.
    Callbacks read what the browser sends back through it, so a crafted store value meets the
    same checks as a typed URL (unknown values dropped, targets capped, numbers bounded)."""
    if not isinstance(data, dict):
        return None
    page, slug = data.get("page"), data.get("slug")
    if page == "explorer":
        path = "/"
    elif isinstance(page, str) and page in KINDS and isinstance(slug, str) and 0 < len(slug) <= 200:
        path = KINDS[page].prefix + slug
    else:
        return None
    search = data.get("search")
    if isinstance(search, str) and len(search) <= MAX_ADDRESS_BYTES:
        return path, search
    pairs = [(param, data[key]) for key, param in STATE_SCALARS.items()
             if isinstance(data.get(key), str) and 0 < len(data[key]) <= 200]
    for key, param in STATE_LISTS.items():
        items = data.get(key)
        if isinstance(items, list) and items:
            kept = [str(v) for v in items[:MAX_STATE_ITEMS]
                    if isinstance(v, (str, int, float)) and not isinstance(v, bool) and len(str(v)) <= 50]
            pairs.append((param, ",".join(kept)))
    pairs += [(flag, "1") for flag in STATE_FLAGS if data.get(flag) is True]
    return path, "?" + urlencode(pairs, safe=",", quote_via=quote)


def view_of_state(index, data) -> PageView | None:
    """The view a page's store says it shows, re-read as an address; None if it is none."""
    address = address_of_state(data)
    if address is None:
        return None
    view = page_view(index, *address)
    return view if view.state is not None else None


def fill(component, values: dict) -> None:
    """Sets ``values`` ({(id, property): value}) on the components of a tree."""
    by_id: dict = {}
    for (id_, prop), value in values.items():
        by_id.setdefault(id_, {})[prop] = value
    stack = [component]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
            continue
        if not hasattr(node, "to_plotly_json"):
            continue
        node_id = getattr(node, "id", None)
        for prop, value in (by_id.get(node_id, {}) if isinstance(node_id, str) else {}).items():
            setattr(node, prop, value)
        children = getattr(node, "children", None)
        if children is not None:
            stack.append(children)
