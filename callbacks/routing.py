"""Path -> page: a navigation renders the new page with everything in it (presenters/pageview.py)."""

from __future__ import annotations

from dash import Input, Output, State
from dash.exceptions import PreventUpdate

from components import ids
from presenters.pageview import page_view


def register(app, context) -> None:
    @app.callback(Output(ids.PAGE, "children"), Output(ids.PAGE_TITLE, "children"), Output(ids.RENDERED, "data"),
                  Input(ids.URL, "pathname"), State(ids.URL, "search"), State(ids.RENDERED, "data"),
                  # A prerendered first load gives the Location its address, so this runs only for a
                  # layout served without one (no Referer) and for later navigation.
                  prevent_initial_call=True)
    def show_page(pathname, search, rendered):
        pathname = pathname if isinstance(pathname, str) else "/"
        search = search if isinstance(search, str) else ""
        here = pathname + search
        if rendered == here:
            raise PreventUpdate  # the layout came with this page already rendered
        view = page_view(context.index, pathname, search)
        return view.layout(), view.title, here
