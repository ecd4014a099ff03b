"""View state -> chart data, the points table, the CSV download and point details."""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from components import ids
from components.charts import build_figure, empty_figure
from components.tables import points_frame, table_data
from frontier.formatting import fixed
from frontier.metrics import Y_METRICS
from frontier.sequences import sequence_label
from frontier.urlstate import CompareState, ExplorerState


def view_series(index, data: dict):
    """(state, points shown, series, target lines) for a view state; memoised underneath."""
    if data["page"] == "explorer":
        state = ExplorerState.from_dict(data)
        points, series = index.explorer_view(state)
        return state, points, series, None
    state = CompareState.from_dict(data)
    points, series = index.compare_series(state)
    targets = list(index.comparison(state).targets) if state.x == "intvty" and _has_comparison(index, state) else None
    return state, points, series, targets


def chart_view(index, data: dict):
    """(state, figure, points frame, series); the figure lacks the view toggles."""
    state, points, series, targets = view_series(index, data)
    side_labels = None
    if not isinstance(state, ExplorerState):
        side_labels = {i: s.name for s in series for i in s.view.index.to_numpy()[s.positions]}
    frontier_ids = {i for s in series for i in s.frontier_labels}
    frame = points_frame(points, frontier_ids, state.metric, state.x, side_labels)
    figure = build_figure(series, state.metric, state.x, targets=targets) if len(points) else None
    return state, figure, frame, series


def clicked_point(index, data: dict, click: dict):
    """The data row behind a clicked marker (the figure's trace 0 holds every point)."""
    point = click["points"][0]
    _state, _points, series, _targets = view_series(index, data)
    if point["curveNumber"] != 0:
        return None  # a frontier line
    position = point["pointNumber"]  # trace 0 holds every series' points, in series order
    for owner in series:
        if position < len(owner.positions):
            return owner, owner.view.iloc[owner.positions[position]]
        position -= len(owner.positions)
    return None


def _has_comparison(index, state) -> bool:
    try:
        index.comparison(state)
        return True
    except ValueError:
        return False


def summary_text(index, state, frame, series) -> str:
    if isinstance(state, ExplorerState):
        what = f"{index.reference.model_label(state.model)}, {sequence_label(state.seq)}, {', '.join(p.upper() for p in state.precisions)}"
        when = f", measurements as of {state.date}" if state.date else ", latest measurement of each configuration"
    else:
        what = f"{index.reference.model_label(state.model)}, {sequence_label(state.seq)}"
        when = ""
    on_frontier = int((frame["On frontier"] == "yes").sum()) if len(frame) else 0
    return (f"{len(frame)} points in {len(series)} series ({what}{when}); {on_frontier} on a frontier. "
            f"Sort by any column (click its header) or filter the rows; Download CSV saves exactly these points.")


def empty_state(state) -> html.Div:
    reset = f"/?model={state.model}&seq={state.seq}" if isinstance(state, ExplorerState) else "/compare"
    return dbc.Alert([
        html.Strong("No data for this combination. "),
        "The chosen precision and GPU filter leave no measured points for this model and sequence. ",
        dcc.Link("Reset the filters", href=reset), " or pick another precision above.",
    ], color="info", className="empty-state")


CHART_OUTPUTS = 2  # chart data, empty-state notice (assets/app.js draws the legend from the data)


def chart_outputs(index, data: dict) -> tuple:
    """What the chart shows for a view state. The resolver returns it with the state in the
    same response, so a control change costs one round trip; the points table follows in its
    own callback so that rendering the table never delays drawing the chart."""
    state, figure, _frame, _series = cached_chart_view(index, data)
    if figure is None:
        return empty_figure("No data for this combination"), empty_state(state)
    return figure, None


def table_outputs(index, data: dict) -> tuple:
    """(the points table's data, summary) for a view state."""
    state, figure, frame, series = cached_chart_view(index, data)
    if figure is None:
        return {"columns": [], "rows": []}, "No points to show."
    return table_data(frame), summary_text(index, state, frame, series)


_recent: dict = {}


def cached_chart_view(index, data: dict):
    """chart_view for the last few states: the table callback asks for the view the resolver
    just built."""
    key = (id(index), json.dumps(data, sort_keys=True))
    if key not in _recent:
        if len(_recent) >= 16:
            _recent.pop(next(iter(_recent)))
        _recent[key] = chart_view(index, data)
    return _recent[key]


def register(app, context) -> None:
    @app.callback(
        Output(ids.POINTS_DATA, "data"), Output(ids.POINTS_SUMMARY, "children"),
        Input(ids.CHART_DRAWN, "data"), State(ids.VIEW_STATE, "data"),
        prevent_initial_call=True,  # pages arrive with their table (routing.prerender)
    )
    def update_points_table(_drawn, data):
        # Triggered once the browser has drawn the chart for a new view, so that building the
        # table never competes with drawing the chart.
        if not data:
            return no_update, no_update
        return table_outputs(context.index, data)

    @app.callback(
        Output(ids.CSV_DOWNLOAD, "data"),
        Input(ids.DOWNLOAD_CSV, "n_clicks"), State(ids.VIEW_STATE, "data"),
        prevent_initial_call=True,
    )
    def download_csv(_clicks, data):
        if not data:
            return no_update
        state, _figure, frame, _series = chart_view(context.index, data)
        return {"content": frame.to_csv(index=False), "filename": csv_name(state), "type": "text/csv"}

    @app.callback(Output(ids.POINT_DETAILS, "children"), Input(ids.CHART, "clickData"), State(ids.VIEW_STATE, "data"),
                  prevent_initial_call=True)
    def point_details(click, data):
        return details(context.index, data, click)


def csv_name(state) -> str:
    if isinstance(state, ExplorerState):
        return f"inference-frontier_{state.model}_{state.seq}_{'-'.join(state.precisions)}.csv"
    return f"inference-frontier_{state.kind}_{state.slug}_{state.seq}.csv"


def details(index, data, click) -> html.Div | None:
    """The clicked point's configuration and its run link (a hover cannot hold a link)."""
    try:
        found = clicked_point(index, data, click)
    except (TypeError, KeyError, IndexError, ValueError):
        return None
    if found is None:
        return None
    series, row = found
    parts = [
        html.Strong(f"{series.name}: {row['parallelism'] or 'n/a'} · {row['deployment']} · {int(row['gpus'])} GPUs · "
                    f"concurrency {int(row['conc'])}"),
        f" — {fixed(row['tput'], 1, True)} tok/s/GPU at {fixed(row['intvty'], 1)} tok/s/user; "
        f"TTFT {fixed(row['ttft_median'], 3)} s, E2E {fixed(row['e2el_median'], 2)} s; measured {row['date']}"
        + (f"; image {row['image']}." if isinstance(row.get("image"), str) else "."),
    ]
    url = row.get("run_url")
    if isinstance(url, str) and url.startswith("https://"):
        parts += [" ", html.A("Open the benchmark run", href=url, target="_blank", rel="noopener noreferrer")]
    return html.Div(parts)


__all__ = ["register", "chart_view", "Y_METRICS"]
