"""The points table, the CSV of the rows it lists and a clicked point's details (presenters/chart.py)."""

from __future__ import annotations

from dash import Input, Output, State, no_update

from components import ids
from presenters.chart import point_details, requested_csv
from presenters.pageview import view_of_state

from .wiring import answer, outputs

TABLE = [(ids.POINTS_DATA, "data"), (ids.POINTS_SUMMARY, "children")]


def register(app, context) -> None:
    @app.callback(output=outputs(TABLE), inputs={"drawn": Input(ids.CHART_DRAWN, "data")},
                  state={"data": State(ids.VIEW_STATE, "data")},
                  prevent_initial_call=True)  # pages arrive with their table
    def update_points_table(drawn, data):
        # Triggered once the browser has drawn the chart for a new view, so that building the
        # table never competes with drawing the chart.
        view = view_of_state(context.index, data)
        return answer(view.values("table") if view else {}, TABLE)

    @app.callback(Output(ids.CSV_DOWNLOAD, "data"), Input(ids.CSV_REQUEST, "data"), prevent_initial_call=True)
    def download_csv(request):
        # the browser names the rows its table lists (callbacks/clientside.py, csvRequest)
        found = requested_csv(context.index, request)
        if found is None:
            return no_update
        content, filename = found
        return {"content": content, "filename": filename, "type": "text/csv"}

    @app.callback(Output(ids.POINT_DETAILS, "children"), Input(ids.CHART, "clickData"), State(ids.VIEW_STATE, "data"),
                  prevent_initial_call=True)
    def show_point_details(click, data):
        view = view_of_state(context.index, data)
        return point_details(context.index, view.state, click) if view else None
