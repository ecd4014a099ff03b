"""The calculator and the history (SPEC §11-§12): their controls, table, chart and notes for a
view state, and the same numbers as JSON. The page and its API read one memoised result
(``Index.calculator`` / ``Index.history``), so what the table shows is what the JSON says."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import dcc, html

from components import ids
from components.charts import VENDOR_COLOURS, VENDOR_FALLBACK, esc, typed
from components.controls import gpu_options, model_options, precision_options, sequence_options
from frontier.calculator import COLUMN_BY_KEY, CalculatorResult, CalculatorRow
from frontier.evaluations import TASK_LABELS
from frontier.filters import filter_pairs
from frontier.formatting import fixed, number_text
from frontier.history import REGRESSION_DROP, HistoryResult
from frontier.kinds import KINDS, ComparisonSpec
from frontier.prices import price_pairs, prices_sentence
from frontier.routes import resolve
from frontier.sequences import sequence_label
from frontier.viewstate import CalculatorState, HistoryState, serialize_calculator, serialize_history

from .controls import filter_choices, filter_values, filters_panel_values, prices_panel_values

TASK = TASK_LABELS["gsm8k"]
HISTORY_TABLE_ROWS = 100  # the newest readings listed (a page of components stays light); the JSON has them all
LARGEST_DROPS = 5  # regressions called out above the table


def page_ids(state) -> ids.DecisionIds:
    return ids.CALCULATOR if isinstance(state, CalculatorState) else ids.HISTORY


def canonical_path(state) -> str:
    if isinstance(state, CalculatorState):
        return "/calculator" + serialize_calculator(state)
    return "/history" + serialize_history(state)


def _gpus(index, state) -> list[str]:
    """The GPUs the page can show (the prices panel lists them)."""
    shown = list(getattr(state, "gpus", ()))
    return shown or index.catalog.gpus.get((state.model, state.seq), [])


# ---- controls ------------------------------------------------------------------------------

def decision_options(index, state) -> dict:
    """{(id, "options")} of a decision page's controls: only choices with data behind them."""
    page, cat = page_ids(state), index.catalog
    out = {(page.model, "options"): model_options(cat), (page.sequence, "options"): sequence_options(cat, state.model),
           (page.precision, "options"): precision_options(cat.precisions[(state.model, state.seq)])}
    if isinstance(state, HistoryState):
        out[(page.gpus, "options")] = gpu_options(cat, cat.gpus[(state.model, state.seq)])
    return {**out, **filter_choices(index, state, page.filters)}


def decision_values(index, state) -> dict:
    """{(id, "value")} of a decision page's controls, in the form each holds it."""
    page = page_ids(state)
    out = {(page.model, "value"): state.model, (page.sequence, "value"): state.seq,
           (page.precision, "value"): state.precision, (page.prices.provider, "value"): state.prices.provider,
           **filter_values(index, state, page.filters),
           **filters_panel_values(state.filters, page.filters_panel, page.filters_badge)}
    if isinstance(state, CalculatorState):
        p = state.params
        out.update({(page.target, "value"): p.target, (page.users, "value"): p.users,
                    (page.maxcost, "value"): p.maxcost, (page.by, "value"): p.by})
    else:
        out.update({(page.target, "value"): state.target, (page.metric, "value"): state.metric,
                    (page.gpus, "value"): list(state.gpus)})
    return out


def decision_prices(index, state) -> dict:
    return prices_panel_values(index, state.prices, _gpus(index, state), page_ids(state).prices)


def _workload(index, state) -> str:
    return f"{index.reference.model_label(state.model)} · {sequence_label(state.seq)} · {state.precision.upper()}"


def _clamped_mark(held_at: float) -> html.Span:
    return html.Span(" ⚑", className="clamped-mark",
                     title=f"Outside this frontier's range: held at {fixed(held_at, 1)} tok/s/user")


# ---- the calculator ---------------------------------------------------------------------------

def comparison_href(index, state: CalculatorState, leader: str, gpu: str) -> str | None:
    """The registry's GPU-vs-GPU page for the pair (its canonical order), at the calculator's
    sequence and precision, with its filters and prices; None when the data has no such page."""
    for a, b in ((leader, gpu), (gpu, leader)):
        spec = ComparisonSpec(KINDS["gpu"].key, state.model, a, b, None, None)
        available = index.available(spec.kind, spec.slug)
        if available is not None:
            if state.precision not in available.precisions or state.seq not in available.seqs:
                return None
            pairs = [("seq", state.seq), ("precision", state.precision)]
            pairs += filter_pairs(state.filters) + price_pairs(state.prices)
            return available.spec.path + "?" + urlencode(pairs, safe=",:", quote_via=quote)
    return None


def accuracy_text(accuracy) -> str:
    """A row's accuracy in a table cell whose header names the interval: "95.3% (94.2–96.4%)"."""
    if not accuracy.found:
        return "not evaluated"
    if len(accuracy.found) > 1:
        return accuracy.text  # "94.9–95.8% across 2 recipes"
    a = accuracy.found[0]
    return f"{fixed(a.value * 100, 1)}% ({fixed(a.lo * 100, 1)}–{fixed(a.hi * 100, 1)}%)"


def noise_text(row: CalculatorRow, leader: CalculatorRow) -> str:
    """How a row's accuracy stands against the leader's: within noise when the 95 % intervals
    overlap."""
    if row is leader:
        return "leader"
    if row.noise_vs_leader is None:
        return "leader not evaluated" if row.accuracy.found else ""
    if row.noise_vs_leader:
        return "within noise of the leader"
    higher = row.accuracy.envelope[0] > leader.accuracy.envelope[1]
    return f"{'above' if higher else 'below'} the leader, beyond noise"


def _sort_header(page: ids.DecisionIds, key: str, label, result: CalculatorResult) -> html.Th:
    on = result.sort == key
    direction = "descending" if result.descending else "ascending"
    mark = (" ▼" if result.descending else " ▲") if on else ""
    parts = label if isinstance(label, list) else [label]
    return html.Th(html.Button([*parts, html.Span(mark, className="sort-mark")], id={"type": page.sort, "column": key},
                               className="sort-button", title="Rank by this column", n_clicks=0),
                   scope="col", className="" if key == "gpu" else "text-end",
                   **{"aria-sort": direction if on else "none", "data-key": key})


def calculator_table(index, state: CalculatorState, result: CalculatorResult) -> list:
    """The table's header and rows (``calculator-table``): one row per GPU (or series), ranked."""
    page = ids.CALCULATOR
    columns = result.columns
    head = [html.Th("#", scope="col"), _sort_header(page, "gpu", "Series" if result.by == "series" else "GPU", result)]
    head += [_sort_header(page, c.key, [c.label, html.Br(), html.Small(c.unit, className="text-body-secondary")]
                          if c.unit and c.unit != c.label else c.label, result) for c in columns]
    head += [html.Th([f"{TASK} accuracy", html.Br(), html.Small("95% interval", className="text-body-secondary")],
                     scope="col", **{"data-key": "accuracy"}),
             html.Th("Compare", scope="col", **{"data-key": "compare"})]
    if not result.rows:
        body = [html.Tr(html.Td("No row to show: " + (result.hidden_text or "no GPU has points for this workload."),
                                colSpan=len(head)))]
        return [html.Thead(html.Tr(head)), html.Tbody(body)]
    leader = result.rows[0]
    body = []
    for rank, row in enumerate(result.rows, 1):
        cells = [html.Td(str(rank)), html.Th(row.label, scope="row")]
        for c in columns:
            value = [html.Span(row.texts.get(c.key, "n/a"), className="cell-value")]
            if c.key == "throughput" and row.clamped:
                value.append(_clamped_mark(row.read_at))
            cells.append(html.Td(value, className="text-end", **{"data-key": c.key}))
        cells.append(html.Td([html.Span(accuracy_text(row.accuracy), className="cell-value", title=row.accuracy.text),
                              html.Small(noise_text(row, leader), className="d-block text-body-secondary noise")],
                             **{"data-key": "accuracy"}))
        href = comparison_href(index, state, leader.gpu, row.gpu) if row.gpu != leader.gpu else None
        link = dcc.Link(f"vs {leader.gpu_label}", href=href, className="row-link",
                        title=f"Open {row.gpu_label} vs {leader.gpu_label}") if href else ""
        cells.append(html.Td(link, **{"data-key": "compare"}))
        body.append(html.Tr(cells, className="row-clickable" if href else ""))
    return [html.Thead(html.Tr(head)), html.Tbody(body)]


def _colour(index, gpu: str) -> str:
    if gpu in VENDOR_COLOURS:
        return VENDOR_COLOURS[gpu]
    info = index.reference.gpus.get(gpu)
    return VENDOR_FALLBACK.get(info.vendor if info else "Other", VENDOR_FALLBACK["Other"])[0]


def calculator_figure(index, result: CalculatorResult) -> dict:
    """The ranked metric as horizontal bars, in the table's order (the first row on top)."""
    key = result.sort if result.sort in COLUMN_BY_KEY else "throughput"
    column = COLUMN_BY_KEY[key]
    rows = [r for r in result.rows if r.values.get(key) is not None]
    bars = {"type": "bar", "orientation": "h", "y": [r.label for r in rows], "x": [r.values[key] for r in rows],
            "text": [r.texts[key] + (" ⚑" if r.clamped else "") for r in rows], "textposition": "auto",
            "marker": {"color": [_colour(index, r.gpu) for r in rows]}, "hoverinfo": "y+text", "name": column.label}
    return {"data": [bars], "layout": {
        "height": max(240, 70 + 26 * len(rows)), "margin": {"l": 150, "r": 16, "t": 10, "b": 50},
        "xaxis": {"title": {"text": f"{column.label} ({column.unit})" if column.unit else column.label},
                  "rangemode": "tozero", "zeroline": False},
        "yaxis": {"autorange": "reversed", "automargin": True}, "showlegend": False, "bargap": 0.25}}


def calculator_summary(index, result: CalculatorResult, state: CalculatorState) -> str:
    what = "series" if result.by == "series" else ("GPU" if len(result.rows) == 1 else "GPUs")
    users = f" for {result.users:,} users each streaming at that speed" if result.users else ""
    column = COLUMN_BY_KEY.get(result.sort)
    order = "GPU" if column is None else column.label.lower()
    text = (f"{_workload(index, state)}: {len(result.rows)} {what} read at {number_text(result.target)} tok/s/user"
            f"{users}, ranked by {order} ({'highest' if result.descending else 'lowest'} first).")
    if result.hidden_text:
        text += " " + result.hidden_text
    if not result.users:
        text += " Enter a number of users to size the fleet."
    return text


def calculator_notes(index, result: CalculatorResult) -> list:
    notes = []
    if any(r.clamped for r in result.rows):
        notes.append(html.P([html.Span("⚑ ", className="clamped-mark"),
                             "marks a row whose frontier does not reach the target: its figures are held at the "
                             "nearest measured end, and the fleet is still sized for the target speed."]))
    notes.append(html.P(f"{TASK} accuracy (strict match, 95% interval) of the configurations each row is read from at "
                        f"the target; two rows are within noise of each other when their intervals overlap. GPUs needed "
                        f"= ceil(users × target ÷ output tok/s/GPU); cost per month = GPUs × $/GPU-hour × 730 hours; "
                        f"power = GPUs × kW per GPU."))
    if result.prices:
        notes.append(html.P(prices_sentence(result.prices), className="prices-used"))
    return notes


def calculator_section(index, state: CalculatorState) -> dict:
    page = ids.CALCULATOR
    result = index.calculator(state)
    return {(page.table, "children"): calculator_table(index, state, result),
            (page.chart_data, "data"): calculator_figure(index, result),
            (page.summary, "children"): calculator_summary(index, result, state),
            (page.notes, "children"): calculator_notes(index, result),
            (page.api_link, "href"): "/api/v1/calculator" + serialize_calculator(state)}


# ---- the history ------------------------------------------------------------------------------

def history_figure(index, result: HistoryResult, metric: str) -> dict:
    """A line per GPU over run dates (a step: a value holds until the GPU's next run), a marker
    on each date it ran (open where clamped), and a cross on each drop of more than 5 %."""
    key, unit = ("cost", "$/M tokens") if metric == "cost" else ("throughput", "tok/s/GPU")
    value_format = "%{y:$.3f}" if metric == "cost" else "%{y:,.1f}"
    traces, drops = [], []
    # dates as epoch milliseconds (a date axis reads them), converted once per date
    epoch = dict(zip(result.dates, pd.to_datetime(result.dates).to_numpy(dtype="datetime64[ms]").astype(np.int64)
                     .astype(float).tolist()))
    by_gpu: dict[str, list] = {}
    for r in result.rows:
        by_gpu.setdefault(r.gpu, []).append(r)
    for gpu in result.gpus:
        rows = by_gpu.get(gpu)
        if not rows:
            continue
        days = [epoch[r.date] for r in rows]
        values = [np.nan if r.values[key] is None else r.values[key] for r in rows]
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": rows[0].gpu_label, "line": {"shape": "hv", "width": 2},
            "x": typed(days), "y": typed(values),
            "marker": {"color": _colour(index, gpu), "size": typed([7 if r.measured else 0 for r in rows], "u1"),
                       "symbol": typed([100 if r.clamped else 0 for r in rows], "u1")},
            "text": [" (held at the edge of its frontier)" if r.clamped else "" for r in rows],
            "hovertemplate": f"<b>{esc(rows[0].gpu_label)}</b> %{{x|%Y-%m-%d}}: {value_format} {unit}%{{text}}<extra></extra>",
        })
        drops += [(d, v, r) for d, v, r in zip(days, values, rows) if r.regression]
    if drops:
        traces.append({"type": "scatter", "mode": "markers", "name": f"Drop of more than {REGRESSION_DROP:.0%}",
                       "x": typed([d for d, _v, _r in drops]), "y": typed([v for _d, v, _r in drops]),
                       "marker": {"symbol": "x-thin-open", "size": 14, "color": "#d62728", "line": {"width": 2}},
                       "text": [f"{r.gpu_label} {r.change_text}" for _d, _v, r in drops],
                       "hovertemplate": "%{text}<extra></extra>"})
    return {"data": traces, "layout": {
        "height": 460, "margin": {"l": 70, "r": 20, "t": 10, "b": 50}, "hovermode": "closest",
        "xaxis": {"type": "date", "title": {"text": "Run date"}},
        "yaxis": {"title": {"text": f"{'Cost' if metric == 'cost' else 'Throughput'} at {number_text(result.target)} "
                                    f"tok/s/user ({unit})"}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": -0.15}}}


def listed_readings(result: HistoryResult) -> list:
    """The readings the table lists: the dates each GPU ran (a date it did not run repeats its
    previous value), newest first, at most HISTORY_TABLE_ROWS."""
    ran = [r for r in result.rows if r.measured]
    return sorted(ran, key=lambda r: r.date, reverse=True)[:HISTORY_TABLE_ROWS]


HISTORY_COLUMNS = [("date", "Date", ""), ("gpu", "GPU", ""), ("throughput", "Throughput", "tok/s/GPU"),
                   ("cost", "Cost", "$/M tok"), ("change", "Change", "since the GPU's previous value")]


def history_table(result: HistoryResult) -> list:
    head = [html.Th([label, html.Br(), html.Small(unit, className="text-body-secondary")] if unit else label,
                    scope="col", className="text-end" if key in ("throughput", "cost", "change") else "",
                    **{"data-key": key}) for key, label, unit in HISTORY_COLUMNS]
    rows = listed_readings(result)
    if not rows:
        return [html.Thead(html.Tr(head)), html.Tbody(html.Tr(html.Td("No readings for this view.", colSpan=5)))]
    body = []
    for r in rows:  # plain cells, marks only where they apply: a long table is many components
        throughput = [r.texts["throughput"], _clamped_mark(r.read_at)] if r.clamped else r.texts["throughput"]
        change = [html.Span("▼ ", className="drop-mark", title="A drop of more than 5 %"), r.change_text] \
            if r.regression else r.change_text
        body.append(html.Tr([html.Td(r.date), html.Th(r.gpu_label, scope="row"),
                             html.Td(throughput, className="text-end"), html.Td(r.texts["cost"], className="text-end"),
                             html.Td(change, className="text-end")], className="regression" if r.regression else None))
    return [html.Thead(html.Tr(head)), html.Tbody(body)]


def largest_drops(result: HistoryResult) -> list:
    return sorted(result.regressions, key=lambda r: r.change)[:LARGEST_DROPS]


def history_notes(result: HistoryResult) -> dbc.Alert:
    """The largest regressions, said plainly."""
    drops = largest_drops(result)
    if not drops:
        return dbc.Alert(f"No GPU fell by more than {REGRESSION_DROP:.0%} from one run date to the next.",
                         color="success", className="py-2 small regressions")
    items = [html.Li(f"{r.gpu_label} on {r.date}: {r.change_text} ({fixed(r.previous, 1)} → {r.texts['throughput']} "
                     f"tok/s/GPU)") for r in drops]
    more = len(result.regressions) - len(drops)
    return dbc.Alert([html.Strong(f"Largest drops of more than {REGRESSION_DROP:.0%} from one run date to the next"
                                  + (f" ({more} more in the table and the JSON)" if more > 0 else "") + ":"),
                      html.Ul(items, className="mb-0")], color="warning", className="py-2 small regressions")


def history_summary(index, result: HistoryResult, state: HistoryState) -> str:
    where = f"{_workload(index, state)} at {number_text(state.target)} tok/s/user"
    if not result.rows:
        return f"{where}: no readings."
    ran = sum(1 for r in result.rows if r.measured)
    listed = len(listed_readings(result))
    gpus = f"{len(result.gpus)} GPU{'s' if len(result.gpus) != 1 else ''}"
    which = f"the {listed} newest of {ran}" if listed < ran else f"the {ran}"
    return (f"{where}: {gpus} over {len(result.dates)} run dates, {result.dates[0]} to {result.dates[-1]}. The table "
            f"lists {which} readings on the dates each GPU ran (on other dates a GPU keeps its previous value); the "
            f"JSON has every date and GPU.")


def history_section(index, state: HistoryState) -> dict:
    page = ids.HISTORY
    result = index.history(state)
    return {(page.table, "children"): history_table(result),
            (page.chart_data, "data"): history_figure(index, result, state.metric),
            (page.summary, "children"): history_summary(index, result, state),
            (page.notes, "children"): history_notes(result),
            (page.api_link, "href"): "/api/v1/history" + serialize_history(state)}


# ---- JSON -------------------------------------------------------------------------------------

def decision_payload(index, page: str, search: str) -> tuple[dict, int]:
    """GET /api/v1/calculator and /api/v1/history: the page's rows, unrounded and formatted."""
    request = resolve(index, "/" + page, search)
    state, index = request.state, request.index
    if state is None:
        return {"error": "no data loaded", "notices": request.notices}, 404
    if isinstance(state, CalculatorState):
        payload = index.calculator(state).to_json()
    else:
        result = index.history(state)
        payload = result.to_json()
        payload["largest_drops"] = [{"date": r.date, "gpu": r.gpu, "change": r.change} for r in largest_drops(result)]
        payload["listed"] = [{"date": r.date, "gpu": r.gpu} for r in listed_readings(result)]
    payload.update(notices=request.notices, revision=index.revision, page=canonical_path(state),
                   filters=state.to_dict()["filters"])
    return payload, 200
