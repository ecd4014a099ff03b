"""The points table, the CSV of the rows it lists and a clicked point's details (presenters/chart.py)."""

from __future__ import annotations

from dash import Input, Output, State, no_update

from components import ids
from presenters.chart import point_details, requested_csv, state_from_dict
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
        if not data:
            return answer({}, TABLE)
        return answer(view_of_state(context.index, data).values("table"), TABLE)

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
        if not data:
            return None
        return point_details(context.index, state_from_dict(data), click)
