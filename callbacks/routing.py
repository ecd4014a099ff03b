"""Path -> page. Pages are rendered with controls already set from the URL."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from dash import Input, Output, State
from dash.exceptions import PreventUpdate

from components import ids
from components.pages import compare_index_page, compare_page, compare_title, explorer_page, not_found_page
from frontier.urlstate import TOGGLES, parse_query, resolve_explorer
from frontier.views import KIND_PREFIX, comparison_models, resolve_compare, route

APP_NAME = "Inference Frontier"
VIEW_TOGGLES = ("log", "labels", "contrast")


def view_toggles(state) -> list[str]:
    return [k for k in VIEW_TOGGLES if getattr(state, k, False)]


def render_page(index, pathname: str | None, search: str | None):
    """(page component, document title)."""
    kind, slug = route(pathname)
    query = parse_query(search)
    if kind == "explorer":
        state, notices = resolve_explorer(query, index.catalog)
        title = "Inference Performance"
        if state is not None:
            title = f"{index.reference.model_label(state.model)} · Inference Performance"
        return explorer_page(index, state, notices, view_toggles(state)), f"{title} · {APP_NAME}"
    if kind == "compare-index":
        return compare_index_page(index), f"Comparisons · {APP_NAME}"
    if kind == "404":
        return not_found_page(index, pathname), f"Not found · {APP_NAME}"
    state, notices = resolve_compare(index, kind, slug, query)
    if state is None:
        model = next((m for m in sorted(index.catalog.models, key=len, reverse=True) if slug.lower().startswith(m + "-")), None)
        return not_found_page(index, pathname, model), f"Comparison not found · {APP_NAME}"

    page = compare_page(index, state, notices, comparison_models(index, state), view_toggles(state))
    return page, f"{compare_title(index, state)[0]} · {APP_NAME}"


def is_known_page(index, pathname: str) -> bool:
    """For the HTTP status of a first request: unknown pages answer 404."""
    kind, slug = route(pathname)
    if kind in ("explorer", "compare-index"):
        return True
    if kind == "404":
        return False
    state, _ = resolve_compare(index, kind, slug, {})
    return state is not None


def fill(component, values: dict) -> None:
    """Sets props on the components of a tree by id (``values``: id -> {prop: value})."""
    stack = [component]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
            continue
        if not hasattr(node, "to_plotly_json"):
            continue
        for prop, value in values.get(getattr(node, "id", None), {}).items():
            setattr(node, prop, value)
        children = getattr(node, "children", None)
        if children is not None:
            stack.append(children)


def prerender(index, pathname: str, search: str):
    """A first load's page with its state, chart and tables already in it, so the chart can be
    drawn without waiting for the routing, resolver and chart callbacks. The resolver then
    finds the page already showing its state and changes nothing."""
    from callbacks.chart import chart_outputs, table_outputs
    from callbacks.compare import comparison_view

    page, title = render_page(index, pathname, search)
    kind, slug = route(pathname)
    query = parse_query(search)
    if kind == "explorer":
        state, _ = resolve_explorer(query, index.catalog)
    elif kind in KIND_PREFIX:
        state, _ = resolve_compare(index, kind, slug, query)
    else:
        state = None
    if state is not None:
        data = json.loads(json.dumps({"page": kind, **state.to_dict()}))
        figure, empty = chart_outputs(index, data)
        points, summary = table_outputs(index, data)
        # the page's Location then has nothing to report when it mounts: no resolver call
        values = {ids.PAGE_URL: {"pathname": pathname, "search": search}, ids.VIEW_STATE: {"data": data},
                  ids.CHART_DATA: {"data": figure}, ids.CHART_EMPTY: {"children": empty},
                  ids.POINTS_DATA: {"data": points}, ids.POINTS_SUMMARY: {"children": summary}}
        if kind != "explorer":
            table, narrative, pinned, api = comparison_view(index, data)
            values.update({ids.COMPARISON_TABLE: {"children": table}, ids.COMPARISON_NARRATIVE: {"children": narrative},
                           ids.COMPARISON_PINNED: {"children": pinned}, ids.COMPARISON_API_LINK: {"href": api}})
        fill(page, values)
    return page, title


def page_address(referrer: str | None, host: str) -> tuple[str, str] | None:
    """The page a /_dash-layout request comes from (its Referer), when it is this site's."""
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc != host:
        return None
    return parts.path or "/", f"?{parts.query}" if parts.query else ""


def register(app, context) -> None:
    @app.callback(Output(ids.PAGE, "children"), Output(ids.PAGE_TITLE, "children"), Output(ids.RENDERED, "data"),
                  Input(ids.URL, "pathname"), State(ids.URL, "search"), State(ids.RENDERED, "data"),
                  # A prerendered first load gives the Location its address, so this runs only for a
                  # layout served without one (no Referer) and for later navigation.
                  prevent_initial_call=True)
    def show_page(pathname, search, rendered):
        here = (pathname or "/") + (search or "")
        if rendered == here:
            raise PreventUpdate  # the layout came with this page already rendered
        # rendered with its state, chart and tables, like a first load: one request, not a chain
        page, title = prerender(context.index, pathname, search)
        return page, title, here


__all__ = ["register", "render_page", "is_known_page", "TOGGLES"]
