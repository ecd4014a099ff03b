"""Tables: the points under the chart (and the CSV of exactly those points), and the
comparison table. Pure functions of the view; no callbacks here."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from frontier.metrics import X_AXES, Y_METRICS

from . import ids

# column in the points table -> (header, source column, decimals or None for text)
POINT_COLUMNS = [
    ("GPU", "gpu_label", None),
    ("Framework", "framework", None),
    ("Precision", "precision", None),
    ("Spec decoding", "spec_label", None),
    ("Deployment", "deployment", None),
    ("Parallelism", "parallelism", None),
    ("GPUs", "gpus", 0),
    ("Concurrency", "conc", 0),
    ("Interactivity (tok/s/user)", "intvty", 2),
    ("Throughput (tok/s/GPU)", "tput", 2),
    ("Output throughput (tok/s/GPU)", "tput_output", 2),
    ("Cost, hyperscaler ($/M tok)", "cost_total_hyperscaler", 4),
    ("tok/s/MW", "tokmw", 0),
    ("J/token", "jtok", 4),
    ("TTFT median (s)", "ttft_median", 4),
    ("E2E latency median (s)", "e2el_median", 3),
    ("TPOT median (s)", "tpot_median", 5),
    ("Date", "date", None),
    ("Image", "image", None),
    ("Run", "run_url", None),
]


def points_frame(points: pd.DataFrame, frontier_ids: set, metric: str, x: str, side_labels: dict | None = None) -> pd.DataFrame:
    """The points a chart shows, one row each, with readable headers (table and CSV)."""
    columns = list(POINT_COLUMNS)
    extra = [Y_METRICS[metric], X_AXES[x]]
    for m in extra:
        if m.column not in {c for _, c, _ in columns}:
            columns.insert(10, (f"{m.label} ({m.unit})", m.column, m.decimals + 2))
    out = pd.DataFrame(index=points.index)
    if side_labels is not None:
        out["Side"] = [side_labels.get(i, "") for i in points.index]
    for header, column, decimals in columns:
        if column not in points:
            continue
        values = points[column]
        if decimals is None:
            out[header] = values.astype(object).where(values.notna(), "")
        else:
            out[header] = values.astype(float).round(decimals)
    out["On frontier"] = ["yes" if i in frontier_ids else "no" for i in points.index]
    out = out.reset_index(drop=True)
    out.attrs["decimals"] = {header: decimals for header, _column, decimals in columns if decimals is not None}
    return out


TABLE_SKIP = {"Image", "Run", "TPOT median (s)", "Output throughput (tok/s/GPU)"}  # in the CSV, not on screen


def table_data(frame: pd.DataFrame) -> dict:
    """The on-screen table's data, compact: column names once, then one list of values per
    row (assets/points_table.js renders, sorts, filters and pages it)."""
    names = [name for name in frame.columns if name not in TABLE_SKIP]
    shown = frame[names]
    decimals = frame.attrs.get("decimals", {})
    columns = []
    for name in names:
        column = {"name": name, "numeric": bool(pd.api.types.is_numeric_dtype(shown[name]))}
        if column["numeric"] and name in decimals:
            column["decimals"] = decimals[name]  # every cell of the column shows as many
        columns.append(column)
    rows = shown.astype(object).where(shown.notna(), None).to_numpy().tolist()
    return {"columns": columns, "rows": rows}


def points_table() -> html.Div:
    """An empty box and the store it is drawn from; the browser builds the table itself."""
    return html.Div([
        dcc.Store(id=ids.POINTS_DATA),
        html.Div(id=ids.POINTS_TABLE, className="points-table", role="region",
                 **{"aria-label": "Points table", "data-rows": "0"}),
    ])


def comparison_table(result, table: list[dict]) -> html.Table:
    """Targets as columns; each cell shows both sides, labelled ("MTP: 4729.0")."""
    a_label, b_label = result.a.label, result.b.label
    few = {s.key for s in result.sides_with_few_points()}
    head = html.Thead(html.Tr([html.Th("Metric", scope="col")] + [
        html.Th([html.Span(_target(t), className="target-value"), html.Br(), html.Small("tok/s/user")], scope="col",
                className="text-end")
        for t in result.targets
    ]))
    body = []
    for row in table:
        cells = [html.Th([row["label"], html.Br(), html.Small(row["unit"], className="text-body-secondary")] if row["unit"] and row["unit"] != row["label"] else row["label"], scope="row")]
        for cell in row["cells"]:
            cells.append(html.Td([_side_line(a_label, cell["a"], "a", "a" in few),
                                  _side_line(b_label, cell["b"], "b", "b" in few)], className="text-end"))
        body.append(html.Tr(cells))
    return html.Table([head, html.Tbody(body)], className="table table-sm table-hover align-middle comparison")


def _side_line(label: str, cell: dict, side: str, few_points: bool = False) -> html.Div:
    parts = [html.Span(f"{label}: ", className=f"side-label side-{side}"), html.Span(cell["text"], className="cell-value")]
    if few_points:
        parts.append(html.Span(" †", className="few-points-mark",
                               title=f"{label} is read off a frontier of fewer than 3 points"))
    if cell["clamped"]:
        parts.append(html.Span(" ⚑", className="clamped-mark",
                               title=f"Outside {label}'s frontier range: held at {cell['read_at']:.1f} tok/s/user"))
    if "implied" in cell:
        parts.append(html.Div(f"price ÷ throughput gives {cell['implied']['text']}", className="implied-cost small"))
    return html.Div(parts, className="side-line")


def _target(t: float) -> str:
    return str(int(t)) if float(t).is_integer() else f"{t:g}"


def clamped_legend(result) -> html.Div | None:
    """What the table's marks mean, for the marks it shows."""
    table = result.table()
    lines = []
    if any(c["a"]["clamped"] or c["b"]["clamped"] for row in table for c in row["cells"]):
        lines.append(html.Div([html.Span("⚑ ", className="clamped-mark"),
                               "marks a value read at the edge of that side's measured frontier: the target lies "
                               "outside the interactivity range it covers, so the figure is held at the nearest "
                               "measured end."]))
    for side in result.sides_with_few_points():
        lines.append(html.Div([html.Span("† ", className="few-points-mark"),
                               f"{side.label} is read off a frontier of only {len(side.frontier)} point(s): between "
                               f"two points the curve is a straight segment, so its figures rest on little data."]))
    if any("implied" in c[s] for row in table for c in row["cells"] for s in ("a", "b")):
        lines.append(html.Div("Cost is interpolated from each point's own cost, as the throughput is from each "
                              "point's throughput; where the two readings differ by more than 10 %, the cost that "
                              "price ÷ interpolated throughput gives is shown under the cell."))
    if not lines:
        return None
    return dbc.Alert(lines, color="secondary", className="py-2 small table-marks")
