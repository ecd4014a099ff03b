"""View state -> the pinned comparison table and narrative."""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import Input, Output, html, no_update

from components import ids
from components.tables import clamped_legend, comparison_table
from frontier.compare import ComparisonError
from frontier.sequences import sequence_label
from frontier.urlstate import CompareState


def comparison_subject(index, state: CompareState) -> str:
    spec = index.comparison_lookup[(state.kind, state.slug)].spec
    gpu = index.reference.gpu_label(spec.gpu_a)
    if state.kind == "spec-decode":
        return f"{gpu} {state.table_precision.upper()}"
    if state.kind == "gpu":
        return f"{state.table_precision.upper()}"
    return gpu


def api_path(state: CompareState) -> str:
    query = {"seq": state.seq}
    if state.kind == "gpu":
        query["precision"] = state.table_precision
    if state.targets:
        query["targets"] = ",".join(f"{t:g}" for t in state.targets)
    return f"/api/v1/compare/{state.kind}/{state.slug}?{urlencode(query, safe=',')}"


def comparison_view(index, data: dict):
    state = CompareState.from_dict(data)
    try:
        result = index.comparison(state)
    except ComparisonError as exc:
        alert = dbc.Alert(f"No comparison at {sequence_label(state.seq)}: {exc}.", color="info")
        return alert, None, None, api_path(state)
    model_label = index.reference.model_label(state.model)
    pinned = (f"Pinned to {sequence_label(state.seq)} · {state.table_precision.upper()}: the table reads both sides at "
              f"the targets below, inside the {result.band_text} tok/s/user band where both have measurements. "
              f"Changing the sequence or model updates table and chart; ")
    pinned += ("the precision control changes the chart only." if state.kind == "spec-decode" else
               "the precision control changes both." if state.kind == "gpu" else "targets can be edited above.")
    table = html.Div([comparison_table(result, result.table()), clamped_legend(result)])
    paragraphs = [html.P(text) for text in result.narrative(model_label, comparison_subject(index, state))]
    return table, paragraphs, pinned, api_path(state)


def register(app, context) -> None:
    @app.callback(
        Output(ids.COMPARISON_TABLE, "children"), Output(ids.COMPARISON_NARRATIVE, "children"),
        Output(ids.COMPARISON_PINNED, "children"), Output(ids.COMPARISON_API_LINK, "href"),
        Input(ids.VIEW_STATE, "data"),
        prevent_initial_call=True,  # pages arrive with their comparison (routing.prerender)
    )
    def update_comparison(data):
        if not data or data.get("page") == "explorer":
            return no_update, no_update, no_update, no_update
        return comparison_view(context.index, data)
