"""Path -> page. Pages are rendered with controls already set from the URL."""

from __future__ import annotations

from dash import Input, Output, State

from components import ids
from components.pages import compare_index_page, compare_page, compare_title, explorer_page, not_found_page
from frontier.urlstate import TOGGLES, parse_query, resolve_explorer
from frontier.views import comparison_models, resolve_compare, route

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


def register(app, context) -> None:
    @app.callback(Output(ids.PAGE, "children"), Output(ids.PAGE_TITLE, "children"),
                  Input(ids.URL, "pathname"), State(ids.URL, "search"))
    def show_page(pathname, search):
        return render_page(context.index, pathname, search)


__all__ = ["register", "render_page", "is_known_page", "TOGGLES"]
