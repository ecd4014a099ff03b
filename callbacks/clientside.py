"""Browser-side callbacks (assets/app.js, assets/points_table.js): view toggles, points table,
theme, title, copy link, PNG, the CSV request, and a GPU or filter choice the chart already
has the series of. The legend writes HIDDEN_SERIES in the browser; no server callback takes it as an
input, so hiding a series makes no request."""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Input, Output, State

from components import ids


def register(app, _context=None) -> None:
    app.clientside_callback(
        ClientsideFunction("frontier", "compose"),
        Output(ids.CHART, "figure"),
        Input(ids.CHART_DATA, "data"), Input(ids.TOGGLES, "value"), State(ids.HIDDEN_SERIES, "data"),
    )
    # A GPU or series-filter choice: drawn here when the server's last view has the series (no
    # request), else handed to the resolver (callbacks/state.py) through CHOICE_REQUEST.
    series_filters = list(ids.SERIES_FILTERS.values())  # vendor, framework, spec: viewChoice's argument order
    app.clientside_callback(
        ClientsideFunction("frontier", "viewChoice"),
        Output(ids.CHOICE_REQUEST, "data"),
        Input(ids.GPUS, "value"), Input({"type": ids.ONLY, "control": "gpus", "value": ALL}, "n_clicks"),
        *[Input(control, "value") for control in series_filters],
        *[State(control, "options") for control in series_filters],
        State(ids.VIEW_STATE, "data"), State(ids.CHART_DATA, "data"), State(ids.POINTS_DATA, "data"),
        State(ids.HIDDEN_SERIES, "data"),
        prevent_initial_call=True,
    )
    # The resolver hears of a new address only when the page does not already show it (an
    # address written for a view drawn in the browser, or by the resolver itself, needs nothing).
    app.clientside_callback(
        ClientsideFunction("frontier", "addressChange"),
        Output(ids.ADDRESS_CHANGE, "data"), Input(ids.PAGE_URL, "search"), State(ids.VIEW_STATE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("frontierTable", "render"),
        Output(ids.POINTS_TABLE, "data-rows"), Input(ids.POINTS_DATA, "data"), Input(ids.HIDDEN_SERIES, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("frontierTable", "csvRequest"),
        Output(ids.CSV_REQUEST, "data"),
        Input(ids.DOWNLOAD_CSV, "n_clicks"), State(ids.POINTS_DATA, "data"), State(ids.HIDDEN_SERIES, "data"),
        prevent_initial_call=True,
    )
    for page in (ids.CALCULATOR, ids.HISTORY):  # their plain figures, in the page's theme
        app.clientside_callback(ClientsideFunction("frontier", "themed"), Output(page.chart, "figure"),
                                Input(page.chart_data, "data"))
    app.clientside_callback(
        ClientsideFunction("frontier", "theme"),
        Output(ids.THEME_SWITCH, "value"), Output(ids.THEME, "data"),
        Input(ids.THEME_SWITCH, "value"), Input(ids.THEME, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("frontier", "title"),
        Output(ids.PAGE_TITLE, "title"), Input(ids.PAGE_TITLE, "children"),
    )
    app.clientside_callback(
        ClientsideFunction("frontier", "copyLink"),
        Output(ids.COPY_LINK_DONE, "children"), Input(ids.COPY_LINK, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("frontier", "downloadPng"),
        Output(ids.DOWNLOAD_PNG, "title"), Input(ids.DOWNLOAD_PNG, "n_clicks"), State(ids.HIDDEN_SERIES, "data"),
        prevent_initial_call=True,
    )

