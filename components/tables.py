"""Tables: the points under the chart, the CSV of a view's points, and the comparison table.
Pure functions of the view; no callbacks here."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import numpy as np
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
    ("Cost, hyperscaler ($/M tok)", "cost_total_hyperscaler", 4),
    ("tok/s/MW", "tokmw", 0),
    ("J/token", "jtok", 4),
    ("TTFT median (s)", "ttft_median", 4),
    ("E2E latency median (s)", "e2el_median", 3),
    ("Date", "date", None),
]


def points_frame(points: pd.DataFrame, on_frontier, metric: str, x: str, sides: list | None = None) -> pd.DataFrame:
    """The points a chart shows, one row each, with readable headers (the on-screen table);
    ``on_frontier`` and ``sides`` hold one value per point."""
    columns = list(POINT_COLUMNS)
    for m in (Y_METRICS[metric], X_AXES[x]):  # the plotted values, beside throughput
        if m.column not in {c for _, c, _ in columns}:
            columns.insert(10, (f"{m.label} ({m.unit})", m.column, m.decimals + 2))
    out = pd.DataFrame(index=points.index)
    if sides is not None:
        out["Side"] = sides
    for header, column, decimals in columns:
        if column not in points:
            continue
        values = points[column]
        if decimals is None:
            out[header] = values.astype(object).where(values.notna(), "")
        else:
            out[header] = values.astype(float).round(decimals)
    out["On frontier"] = np.where(on_frontier, "yes", "no")
    out = out.reset_index(drop=True)
    out.attrs["decimals"] = {header: decimals for header, _column, decimals in columns if decimals is not None}
    return out


def table_data(frame: pd.DataFrame, row_series, series_keys: list[str], view: str, summary: str = "") -> dict:
    """The on-screen table's data, compact: column names once, then one list of values per
    row (assets/points_table.js renders, sorts, filters and pages it). A row's id is its
    position in ``rows``; ``series`` gives each row's series (a position in ``keys``, the
    series' hide= keys) so the browser can leave hidden series out, and ``view`` is the
    address of the view the rows belong to, which a CSV request names; ``summary`` is the
    sentence under the table with its counts left as {points}, {series} and {frontier}."""
    decimals = frame.attrs.get("decimals", {})
    columns = []
    for name in frame.columns:
        column = {"name": name, "numeric": bool(pd.api.types.is_numeric_dtype(frame[name]))}
        if column["numeric"] and name in decimals:
            column["decimals"] = decimals[name]  # every cell of the column shows as many
        columns.append(column)
    rows = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return {"columns": columns, "rows": rows, "series": [int(n) for n in row_series], "keys": list(series_keys),
            "view": view, "summary": summary}


# The CSV: (header, source column), named as InferenceX names them where it has a name.
CONFIGURATION = [
    ("model", "model"), ("isl", "isl"), ("osl", "osl"), ("gpu", "gpu"), ("gpu_label", "gpu_label"),
    ("framework", "framework"), ("precision", "precision"), ("spec_decoding", "spec"), ("deployment", "deployment"),
    ("parallelism", "parallelism"), ("tp", "tp"), ("ep", "ep"), ("dp_attention", "dpa"),
    ("prefill_num_workers", "prefill_workers"), ("prefill_tp", "prefill_tp"), ("prefill_ep", "prefill_ep"),
    ("prefill_dp_attention", "prefill_dpa"), ("num_prefill_gpu", "prefill_gpus"),
    ("decode_num_workers", "decode_workers"), ("decode_tp", "decode_tp"), ("decode_ep", "decode_ep"),
    ("decode_dp_attention", "decode_dpa"), ("num_decode_gpu", "decode_gpus"), ("gpus", "gpus"), ("conc", "conc"),
]
INTEGER_COLUMNS = {"isl", "osl", "tp", "ep", "prefill_workers", "prefill_tp", "prefill_ep", "prefill_gpus",
                   "decode_workers", "decode_tp", "decode_ep", "decode_gpus", "gpus", "conc"}
FLAG_COLUMNS = {"dpa", "prefill_dpa", "decode_dpa"}
MEASURED = [("tput_per_gpu", "tput"), ("input_tput_per_gpu", "tput_input"), ("output_tput_per_gpu", "tput_output")] + [
    (f"{stat}_{name}", f"{name}_{stat}") for name in ("ttft", "tpot") for stat in ("median", "p90", "p99")]
LATENCY = [(f"{stat}_e2el", f"e2el_{stat}") for stat in ("median", "p90", "p99")]
RUN = [("date", "date"), ("image", "image"), ("run_url", "run_url")]


def _text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "")


def _integers(values: pd.Series) -> pd.Series:
    """Whole numbers written as "16", not "16.0" (blank where unknown)."""
    numbers = pd.to_numeric(values, errors="coerce")
    known = numbers.dropna()
    return numbers.round().astype("Int64") if (known == known.round()).all() else numbers


def _flags(values: pd.Series) -> pd.Series:
    return values.map({True: "true", False: "false"}).astype(object).where(values.notna(), "")


def _per_token(tpot: pd.Series) -> pd.Series:
    """Interactivity from a TPOT statistic: 1 / TPOT (tok/s/user); blank where TPOT is not positive."""
    tpot = tpot.astype(float)
    return (1.0 / tpot).where(tpot > 0)


def export_frame(points: pd.DataFrame, names: list[str], keys: list[str], on_frontier, metric: str, x: str,
                 provider: str, sides: list | None = None) -> pd.DataFrame:
    """The CSV of a view's points, every column InferenceX users work with, snake_case headers,
    numbers unrounded; ``names``, ``keys``, ``on_frontier`` and ``sides`` hold one value per point."""
    out = pd.DataFrame(index=points.index)
    if sides is not None:
        out["side"] = sides
    out["series"] = names
    out["series_key"] = keys
    for header, column in CONFIGURATION:
        values = points[column] if column in points else pd.Series(np.nan, index=points.index)
        if column in INTEGER_COLUMNS:
            out[header] = _integers(values)
        elif column in FLAG_COLUMNS:
            out[header] = _flags(values)
        else:
            out[header] = _text(values)
    y_metric, x_metric = Y_METRICS[metric], X_AXES[x]
    out[f"x_{x_metric.id}"] = points[x_metric.column].astype(float)
    out[f"y_{y_metric.id}"] = points[y_metric.column].astype(float)
    out["on_frontier"] = np.where(on_frontier, "true", "false")
    for header, column in MEASURED:
        out[header] = points[column].astype(float) if column in points else np.nan
    out["median_intvty"] = points["intvty"].astype(float)
    for stat in ("p90", "p99"):  # as InferenceX defines them: 1 / that TPOT percentile
        out[f"{stat}_intvty"] = _per_token(points[f"tpot_{stat}"]) if f"tpot_{stat}" in points else np.nan
    for header, column in LATENCY:
        out[header] = points[column].astype(float) if column in points else np.nan
    out["cost_provider"] = provider
    for kind, header in (("total", "cost_per_m_tokens"), ("input", "cost_per_m_input_tokens"),
                         ("output", "cost_per_m_output_tokens")):
        out[header] = points[f"cost_{kind}_{provider}"].astype(float)
    out["tok_s_per_mw"] = points["tokmw"].astype(float)
    out["joules_per_token"] = points["jtok"].astype(float)
    for header, column in RUN:
        out[header] = _text(points[column]) if column in points else ""
    return out.reset_index(drop=True)


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
