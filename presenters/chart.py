"""The chart, the points table under it, its CSV and a clicked point's details, for a view state."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import dcc, html

from components.charts import build_figure, empty_figure
from components.tables import export_frame, points_frame, table_data
from frontier.formatting import fixed, spreadsheet_safe
from frontier.kinds import KINDS
from frontier.metrics import X_AXES, Y_METRICS, metric_provider
from frontier.routes import resolve, with_hidden
from frontier.sequences import sequence_label
from frontier.urlstate import DEFAULT_PROVIDER, MAX_HIDDEN, Resolution, parse_hidden, stored_keys
from frontier.viewstate import CompareState, ExplorerState, serialize_explorer


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
    """A view's figure, its points (one row each: the table's and the CSV's, in the same
    order, so a row's position is its id) and the series behind them."""

    def __init__(self, index, state):
        self.state = state
        self.points, self.series, targets = view_series(index, state)
        index_labels = [s.view.index.to_numpy()[s.positions] for s in self.series]
        owners = [np.full(len(s.positions), n) for n, s in enumerate(self.series)]
        # each point's series (a position in self.series), found by index label without a Python loop
        self.row_series = (pd.Series(np.concatenate(owners), index=np.concatenate(index_labels))
                           .reindex(self.points.index).to_numpy(dtype=int) if self.series else np.zeros(0, dtype=int))
        frontier = np.concatenate([s.frontier_labels for s in self.series]) if self.series else []
        self.on_frontier = self.points.index.isin(frontier)
        self.sides = None  # comparison pages: each point's side ("MTP"), the CSV's side column
        table_sides = None  # ... and its series' name ("MTP · FP4"), the table's Side column
        if not isinstance(state, ExplorerState):
            side_label = dict(zip("ab", index.side_labels(index.spec(state))))
            self.sides = [side_label[self.series[n].side] for n in self.row_series]
            table_sides = [self.series[n].name for n in self.row_series]
        self.frame = points_frame(self.points, self.on_frontier, state.metric, state.x, table_sides)
        self.summary = summary_template(index, state)
        dates = self.points["date"].dropna().astype(str) if len(self.points) else []
        parts = export_parts(state)
        self.export_name = export_name(state, max(dates) if len(dates) else None, parts)
        self.figure = build_figure(self.series, state.metric, state.x, targets=targets,
                                   **figure_styles(index, state)) if len(self.points) else None
        if self.figure is not None:
            what, when = self.export_name
            stem, _gpus, tail = parts
            self.figure["layout"]["meta"]["export"] = {
                "title": export_title(index, state), "name": what, "when": when,
                # what the browser needs to name a subset of the GPUs' files (assets/app.js narrowExport)
                "stem": stem, "tail": tail, "dated": bool(getattr(state, "date", None)),
                "gpu_files": {s.gpu: _file_part(s.gpu) for s in self.series if s.gpu}}

    @property
    def series_keys(self) -> list[str]:
        return [s.url_key for s in self.series]

    def table(self) -> dict:
        """The points table's compact rows (components.tables.table_data), built once per view:
        every table request of the view sends the same rows (shared: not to be changed)."""
        rows = self.__dict__.get("_table")
        if rows is None:
            rows = self._table = table_data(self.frame, self.row_series, self.series_keys, view_address(self.state),
                                            self.summary)
        return rows

    def visible_rows(self, hidden) -> np.ndarray:
        """Per row: whether its series is shown (not one of the ``hidden`` keys)."""
        hidden = set(hidden)
        shown = np.array([k not in hidden for k in self.series_keys], dtype=bool)
        return shown[self.row_series] if len(self.series) else np.zeros(0, dtype=bool)

    def export(self, rows, provider: str) -> pd.DataFrame:
        """The CSV frame of the rows at ``rows`` (row ids), in that order."""
        rows = np.asarray(rows, dtype=int)
        owners = self.row_series[rows]
        return export_frame(self.points.iloc[rows], [self.series[n].name for n in owners],
                            [self.series[n].url_key for n in owners], self.on_frontier[rows], self.state.metric,
                            self.state.x, provider, None if self.sides is None else [self.sides[r] for r in rows])


def figure_styles(index, state) -> dict:
    """What fixes an explorer chart's colours and markers whichever GPUs it shows: every GPU
    and engine of the model and sequence, and the view's own precision choice."""
    if not isinstance(state, ExplorerState):
        return {}
    return {"overlay_dates": state.dates, "gpu_order": index.catalog.gpus.get((state.model, state.seq), []),
            "framework_order": index.present_values(state.model, state.seq)["framework"],
            "several_precisions": len(state.precisions) > 1}


def chart_view(index, state) -> ChartView:
    """Memoised on the index (per dataset): the table callback asks for the view the resolver
    has just built. Hidden series are the browser's business: one view serves every hide=."""
    state = replace(state, hidden=())
    key = ("chart", json.dumps(state.to_dict(), sort_keys=True))
    return index.memo.get(key, lambda: ChartView(index, state))


def view_address(state) -> str:
    """The address of a view without its hidden series: what the points table's rows are of."""
    state = replace(state, hidden=())
    if isinstance(state, ExplorerState):
        return "/" + serialize_explorer(state)
    kind = KINDS[state.kind]
    return kind.prefix + state.slug + kind.query(state)


def export_title(index, state) -> str:
    """The title an exported image carries: what is compared, sequence, precision, metric."""
    ref = index.reference
    precisions = "/".join(p.upper() for p in state.precisions)
    axes = f"{Y_METRICS[state.metric].label} vs {X_AXES[state.x].label}"
    if isinstance(state, ExplorerState):
        when = f" · as of {state.date}" if state.date else ""
        overlays = f" (frontiers as of {', '.join(state.dates)} dashed)" if state.dates else ""
        return f"{ref.model_label(state.model)} · {sequence_label(state.seq)} · {precisions}{when}: {axes}{overlays}"
    title = KINDS[state.kind].title(index.spec(state), ref)[0]
    return f"{title} · {sequence_label(state.seq)} · {precisions}: {axes}"


def _file_part(text) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(text)).strip("-")


def export_parts(state) -> tuple[str, str, str]:
    """A file name's "what" in three: before the GPUs, the GPUs (``gpus-b200-h200`` or ""),
    after them. The browser rebuilds it for a subset of the GPUs from the first and last and
    each GPU's spelling (``_file_part`` of its id; assets/app.js narrowExport)."""
    if isinstance(state, ExplorerState):
        parts = ["inference-frontier", state.model, state.seq]
    else:
        parts = ["inference-frontier", state.kind, state.slug, state.seq]
    parts += ["-".join(state.precisions), f"{state.metric}-vs-{state.x}"]
    gpus = getattr(state, "gpus", ())
    return ("_".join(_file_part(p) for p in parts),
            "gpus-" + "-".join(_file_part(g) for g in gpus) if gpus else "", "_optimal" if state.optimal else "")


def export_name(state, newest_date: str | None, parts: tuple[str, str, str] | None = None) -> tuple[str, str]:
    """What a file name says of the view, as (what, when): what is shown (sequence, precision,
    metric and axis, GPUs) and the date of the data (a run-date view's date, else its newest
    run). An export adds its own filters between the two (``file_name``). ``parts``: the
    state's ``export_parts`` when the caller has them."""
    stem, gpus, tail = parts or export_parts(state)
    date = getattr(state, "date", None)
    when = f"as-of-{date}" if date else f"latest-{newest_date}" if newest_date else "latest"
    return stem + ("_" + gpus if gpus else "") + tail, _file_part(when)


def file_name(name: tuple[str, str], hidden: int, filtered: bool, extension: str) -> str:
    """e.g. inference-frontier_dsr1_1k1k_fp8_tput-vs-intvty_2-hidden_filtered_latest-2026-06-11.csv
    (assets/app.js exportFileName names the PNG the same way)."""
    what, when = name
    extra = ([f"{hidden}-hidden"] if hidden else []) + (["filtered"] if filtered else [])
    return "_".join([what, *extra, when]) + extension


SUMMARY_COUNT = re.compile(r"\{(points|series|frontier)\}")


def summary_template(index, state) -> str:
    """The points table's summary with its counts as {points}, {series} and {frontier}: the
    table data carries it, so the browser can say the same of a subset of the series it draws
    (assets/app.js narrowView; fill_summary here)."""
    if isinstance(state, ExplorerState):
        what = (f"{index.reference.model_label(state.model)}, {sequence_label(state.seq)}, "
                f"{', '.join(p.upper() for p in state.precisions)}")
        when = f", measurements as of {state.date}" if state.date else ", latest measurement of each configuration"
    else:
        what = f"{index.reference.model_label(state.model)}, {sequence_label(state.seq)}"
        when = ""
    pooled = (" Each GPU is one series, its best configuration at every interactivity: switch off “Best per GPU” "
              "above to see every framework and speculative-decoding setting on its own."
              if getattr(state, "best", False) else "")
    # the legend and the filter box narrow the table in the browser: the sentence holds either way
    return (f"{{points}} points in {{series}} series ({what}{when}); {{frontier}} on a frontier.{pooled} "
            f"Sort by any column (click its header) or filter the rows; series hidden in the legend are left out "
            f"of the table too, and Download CSV saves exactly the rows the table lists.")


def fill_summary(template: str, counts: dict) -> str:
    """The template's counts filled in, in one pass (data text between them is left as it is)."""
    return SUMMARY_COUNT.sub(lambda m: str(counts[m.group(1)]), template)


def summary_text(index, view: ChartView) -> str:
    return fill_summary(view.summary, {
        "points": len(view.frame), "series": len(view.series), "frontier": int(view.on_frontier.sum())})


def empty_reason(index, state) -> tuple[str, str, str]:
    """Why a view has no points, said truly, and the one click out: (reason, link text, href)."""
    ref, cat = index.reference, index.catalog
    what = f"{ref.model_label(state.model)} {sequence_label(state.seq)}"
    precisions = "/".join(p.upper() for p in state.precisions)
    if isinstance(state, CompareState):
        path = index.spec(state).path
        back = replace(state, precisions=(state.table_precision,))
        return (f"This comparison has no {precisions} points for {what}.", f"Show {state.table_precision.upper()}",
                path + KINDS[state.kind].query(back))
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
        return {"columns": [], "rows": [], "series": [], "keys": [], "view": view_address(state)}, "No points to show."
    return view.table(), summary_text(index, view)


def csv_provider(state) -> str:
    """Whose prices the CSV's costs use: a comparison page's provider; on the explorer the
    provider of the cost metric shown, else the default."""
    if isinstance(state, CompareState):
        return state.provider
    return metric_provider(state.metric) or DEFAULT_PROVIDER


def csv_export(index, state, rows=None) -> tuple[str, str]:
    """(CSV text, file name) of a view's points: the rows at ``rows`` (row ids, in that order)
    or, without them, every row; rows of the state's hidden series are left out either way.
    Memoised per (view, hidden series, rows) on the index (``Index.exports``, a few files)."""
    key = (json.dumps(state.to_dict(), sort_keys=True), None if rows is None else tuple(rows))
    return index.exports.get(key, lambda: _csv_export(index, state, rows))


def _csv_export(index, state, rows) -> tuple[str, str]:
    view = chart_view(index, state)
    visible = view.visible_rows(state.hidden)
    chosen = np.flatnonzero(visible) if rows is None else [r for r in rows if visible[r]]
    filtered = len(chosen) < int(visible.sum())
    return (csv_text(view.export(chosen, csv_provider(state))),
            file_name(view.export_name, len(state.hidden), filtered, ".csv"))


def csv_text(frame: pd.DataFrame) -> str:
    """The CSV of a frame, its text cells made safe to open in a spreadsheet (numbers untouched)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or isinstance(safe[column].dtype, pd.CategoricalDtype):
            safe[column] = safe[column].astype(object).map(spreadsheet_safe)
    return safe.to_csv(index=False)


MAX_VIEW_ADDRESS = 4000


def requested_csv(index, request) -> tuple[str, str] | None:
    """The CSV a page's Download CSV asks for (assets/points_table.js ``csvRequest``):
    {"view": the address of the table's view, "rows": the ids of the rows it lists,
    "hidden": the legend's hidden keys}. The address is resolved like any other (a stale
    table's rows stay its own view's rows); None for anything that is not such a request."""
    if not isinstance(request, dict):
        return None
    address, rows, hidden = request.get("view"), request.get("rows"), request.get("hidden", [])
    if not isinstance(address, str) or len(address) > MAX_VIEW_ADDRESS or not isinstance(hidden, list):
        return None
    path, _, query = address.partition("?")
    state = resolve(index, path, "?" + query).state
    if state is None or len(hidden) > MAX_HIDDEN:
        return None
    count = len(chart_view(index, state).points)
    if (not isinstance(rows, list) or len(rows) > count or not all(type(r) is int and 0 <= r < count for r in rows)
            or len(set(rows)) != len(rows)):
        return None
    keys = parse_hidden(stored_keys(hidden), Resolution())
    return csv_export(index, with_hidden(index, state, keys), rows)


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
