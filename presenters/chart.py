"""The chart, the points table under it, its CSV and a clicked point's details, for a view state."""

from __future__ import annotations

import json
from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.charts import build_figure, empty_figure
from components.tables import points_frame, table_data
from frontier.formatting import fixed
from frontier.sequences import sequence_label
from frontier.kinds import KINDS
from frontier.viewstate import CompareState, ExplorerState, serialize_compare, serialize_explorer


def view_series(index, state):
    """(points shown, series, target lines) for a view state; memoised underneath."""
    if isinstance(state, ExplorerState):
        points, series = index.explorer_view(state)
        return points, series, None
    points, series = index.compare_series(state)
    targets = list(index.comparison(state).targets) if state.x == "intvty" and _has_comparison(index, state) else None
    return points, series, targets


def _has_comparison(index, state) -> bool:
    try:
        index.comparison(state)
        return True
    except ValueError:
        return False


class ChartView:
    """A view's figure, its points as a table frame, and the series behind both."""

    def __init__(self, index, state):
        self.state = state
        points, self.series, targets = view_series(index, state)
        side_labels = None
        if not isinstance(state, ExplorerState):
            side_labels = {i: s.name for s in self.series for i in s.view.index.to_numpy()[s.positions]}
        frontier_ids = {i for s in self.series for i in s.frontier_labels}
        self.frame = points_frame(points, frontier_ids, state.metric, state.x, side_labels)
        self.figure = build_figure(self.series, state.metric, state.x, targets=targets) if len(points) else None


def chart_view(index, state) -> ChartView:
    """Memoised on the index (per dataset): the table callback asks for the view the resolver
    has just built."""
    key = ("chart", json.dumps(state.to_dict(), sort_keys=True))
    return index.memo.get(key, lambda: ChartView(index, state))


def summary_text(index, view: ChartView) -> str:
    state, frame = view.state, view.frame
    if isinstance(state, ExplorerState):
        what = (f"{index.reference.model_label(state.model)}, {sequence_label(state.seq)}, "
                f"{', '.join(p.upper() for p in state.precisions)}")
        when = f", measurements as of {state.date}" if state.date else ", latest measurement of each configuration"
    else:
        what = f"{index.reference.model_label(state.model)}, {sequence_label(state.seq)}"
        when = ""
    on_frontier = int((frame["On frontier"] == "yes").sum()) if len(frame) else 0
    return (f"{len(frame)} points in {len(view.series)} series ({what}{when}); {on_frontier} on a frontier. "
            f"Sort by any column (click its header) or filter the rows; Download CSV saves exactly these points.")


def empty_reason(index, state) -> tuple[str, str, str]:
    """Why a view has no points, said truly, and the one click out: (reason, link text, href)."""
    ref, cat = index.reference, index.catalog
    what = f"{ref.model_label(state.model)} {sequence_label(state.seq)}"
    precisions = "/".join(p.upper() for p in state.precisions)
    if isinstance(state, CompareState):
        path = index.spec(state).path
        back = replace(state, precisions=(state.table_precision,))
        return (f"This comparison has no {precisions} points for {what}.", f"Show {state.table_precision.upper()}",
                path + serialize_compare(back, KINDS[state.kind].precision_in_query))
    pts = index.points_for(state.model, state.seq, state.date)
    if state.date and pts.empty:
        dates = cat.dates_for(state.model, state.seq)
        first = f"; the first is from {dates[0]}" if dates else ""
        return (f"No {what} measurement on or before {state.date}{first}.", "Show the latest measurements",
                "/" + serialize_explorer(replace(state, date=None)))
    at_precision = pts[pts["precision"].astype(str).isin(state.precisions)]
    if at_precision.empty:
        default = tuple(cat.default_precisions(state.model, state.seq))
        return (f"No {what} measurement at {precisions}" + (f" on or before {state.date}." if state.date else "."),
                f"Show {'/'.join(p.upper() for p in default)}", "/" + serialize_explorer(replace(state, precisions=default)))
    gpus = ", ".join(ref.gpu_label(g) for g in state.gpus)
    return (f"{gpus} {'has' if len(state.gpus) == 1 else 'have'} no {precisions} measurement for {what}"
            + (f" on or before {state.date}." if state.date else "."), "Show every GPU",
            "/" + serialize_explorer(replace(state, gpus=())))


def empty_state(index, state) -> dbc.Alert:
    reason, link_text, href = empty_reason(index, state)
    return dbc.Alert([html.Strong("No data for this view. "), reason + " ", dcc.Link(link_text, href=href)],
                     color="info", className="empty-state")


def chart_section(index, state) -> tuple:
    """(figure data for assets/app.js, empty-state notice)."""
    view = chart_view(index, state)
    if view.figure is None:
        return empty_figure("No data for this view"), empty_state(index, state)
    return view.figure, None


def table_section(index, state) -> tuple:
    """(the points table's compact rows, its summary)."""
    view = chart_view(index, state)
    if view.figure is None:
        return {"columns": [], "rows": []}, "No points to show."
    return table_data(view.frame), summary_text(index, view)


def csv_name(state) -> str:
    if isinstance(state, ExplorerState):
        return f"inference-frontier_{state.model}_{state.seq}_{'-'.join(state.precisions)}.csv"
    return f"inference-frontier_{state.kind}_{state.slug}_{state.seq}.csv"


def csv_export(index, state) -> tuple[str, str]:
    """(CSV text of the view's points, file name)."""
    return chart_view(index, state).frame.to_csv(index=False), csv_name(state)


def clicked_point(index, state, click: dict):
    """(series, data row) behind a clicked marker (the figure's trace 0 holds every point)."""
    point = click["points"][0]
    if point["curveNumber"] != 0:
        return None
    position = point["pointNumber"]  # trace 0 holds every series' points, in series order
    for owner in chart_view(index, state).series:
        if position < len(owner.positions):
            return owner, owner.view.iloc[owner.positions[position]]
        position -= len(owner.positions)
    return None


def point_details(index, state, click) -> html.Div | None:
    """The clicked point's configuration and its run link (a hover cannot hold a link)."""
    try:
        found = clicked_point(index, state, click)
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
