"""A comparison page's table, narrative and notes, the same numbers as JSON, and the lists of
comparisons that exist (for /compare and not-found pages)."""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import html

from components.tables import clamped_legend, comparison_table
from frontier.compare import ComparisonError, ComparisonResult
from frontier.evaluations import SideAccuracy, noise_wording, side_accuracy, within_noise
from frontier.kinds import KINDS
from frontier.routes import resolve
from frontier.sequences import sequence_label
from frontier.prices import prices_sentence, prices_used
from frontier.urlstate import DEFAULT_PROVIDER
from frontier.viewstate import CompareState


def subject(index, state: CompareState) -> str:
    return KINDS[state.kind].subject(index.spec(state), state.table_precision, index.reference)


def api_path(state: CompareState) -> str:
    query = {"seq": state.seq}
    if KINDS[state.kind].table_precision_in_query:
        query["precision"] = state.table_precision
    if state.targets:
        query["targets"] = ",".join(f"{t:g}" for t in state.targets)
    if state.provider != DEFAULT_PROVIDER:
        query["provider"] = state.provider
    return f"/api/v1/compare/{state.kind}/{state.slug}?{urlencode(query, safe=',')}"


def prices_in_force(index, state: CompareState) -> list[dict]:
    """The $/GPU-hr and kW behind the table's cost and power rows, per GPU of the comparison."""
    spec = index.spec(state)
    return prices_used(index.reference, state.prices, dict.fromkeys((spec.gpu_a, spec.gpu_b)))


def comparison_section(index, state: CompareState) -> tuple:
    """(table, narrative paragraphs, pinned-workload note, JSON link) of a comparison page."""
    try:
        result = index.comparison(state)
    except ComparisonError as exc:
        alert = dbc.Alert(f"No comparison at {sequence_label(state.seq)}: {exc}.", color="info")
        return alert, None, None, api_path(state)
    pinned = (f"Pinned to {sequence_label(state.seq)} · {state.table_precision.upper()}: the table reads both sides at "
              f"the targets below, inside the {result.band_text} tok/s/user band where both have measurements. "
              f"Changing the sequence or model updates table and chart; {KINDS[state.kind].pinned_end}")
    table = html.Div([comparison_table(result, result.table()), clamped_legend(result),
                      html.P(prices_sentence(prices_in_force(index, state)),
                             className="small text-body-secondary prices-used")])
    model_label = index.reference.model_label(state.model)
    paragraphs = [html.P(text) for text in KINDS[state.kind].narrative(result, model_label, subject(index, state))]
    return table, paragraphs, pinned, api_path(state)


def side_accuracies(index, result: ComparisonResult) -> tuple[SideAccuracy, SideAccuracy]:
    """Each side's GSM8K accuracy: that of the serving recipes on its frontier, the
    configurations its table cells are read from."""
    return tuple(side_accuracy(index.evaluations, side.frontier, side.label, table=index.accuracy)
                 for side in (result.a, result.b))


def accuracy_section(index, state: CompareState):
    """Both sides' accuracy and whether they are within noise of each other, on the kinds whose
    sides can answer differently (frontier/kinds.py ``shows_accuracy``)."""
    if not KINDS[state.kind].shows_accuracy:
        return None
    try:
        result = index.comparison(state)
    except ComparisonError:
        return None
    a, b = side_accuracies(index, result)
    return dbc.Alert([html.Strong("Accuracy beside speed. "), noise_wording(a, b),
                      html.Div("Exact-match accuracy on GSM8K of the frontier's serving recipes (model, GPU, precision, "
                               "framework, speculative decoding), from their latest evaluation; two sides are within "
                               "noise when their 95% intervals overlap.", className="small text-body-secondary mt-1")],
                     color="light", className="py-2 accuracy-note")


def comparison_payload(index, kind: str, slug: str, search: str) -> tuple[dict, int]:
    """The JSON of GET /api/v1/compare/<kind>/<slug>: the page's numbers, unrounded and formatted."""
    if kind not in KINDS:
        return {"error": f"unknown comparison kind {kind!r}", "kinds": list(KINDS)}, 404
    request = resolve(index, KINDS[kind].prefix + slug, search)  # rev= picks the data revision
    state, notices, index = request.state, request.notices, request.index
    if state is None:
        return {
            "error": f"no {kind} comparison {slug!r} in the loaded data",
            "available": [f"/api/v1/compare/{kind}/{a.spec.slug}" for a in index.comparisons_for(kind=kind)],
        }, 404
    try:
        result = index.comparison(state)
    except ComparisonError as exc:
        return {"error": str(exc), "notices": notices}, 404
    model_label = index.reference.model_label(state.model)
    payload = result.to_json(model_label, subject(index, state))
    payload["narrative"] = KINDS[state.kind].narrative(result, model_label, subject(index, state))
    payload["notices"] = notices
    payload["revision"] = index.revision
    payload["prices"] = prices_in_force(index, state)
    if KINDS[state.kind].shows_accuracy:
        a, b = side_accuracies(index, result)
        payload["accuracy"] = {"task": "gsm8k", "a": a.to_json(), "b": b.to_json(), "within_noise": within_noise(a, b),
                               "text": noise_wording(a, b)}
    # the page showing these numbers: every parameter asked for, in canonical form
    payload["page"] = index.spec(state).path + KINDS[state.kind].query(state)
    return payload, 200


def comparison_groups(index, model: str | None = None) -> list[tuple[str, list[tuple[str, list[tuple[str, str]]]]]]:
    """[(model label, [(kind title, [(link text, href)])])] of the comparisons that exist."""
    groups = []
    for m in [model] if model else index.catalog.models:
        sections = []
        for kind in KINDS.values():
            links = [(f"{kind.link_text(a.spec, index.reference)} ({', '.join(sequence_label(s) for s in a.seqs)})",
                      a.spec.path + "?seq=" + ("1k1k" if "1k1k" in a.seqs else a.seqs[0]))
                     for a in index.comparisons_for(m, kind.key)]
            if links:
                sections.append((kind.index_title, links))
        if sections:
            groups.append((index.reference.model_label(m), sections))
    return groups
