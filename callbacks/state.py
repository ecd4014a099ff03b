"""The one resolver: (URL, controls) -> view state, control values and the URL.

One callback owns both directions so the URL and the controls cannot fight (two callbacks
would form a cycle that overwrites deep links). It reads the URL on page load and on
back/forward, and the controls otherwise; it only pushes a history entry for a user's
change. View-only toggles (log, labels, contrast) are read here but changed in the browser."""

from __future__ import annotations

from dataclasses import dataclass, field

import json

from dash import Input, Output, State, ctx, no_update

from callbacks.chart import CHART_OUTPUTS, chart_outputs

from components import ids
from components.controls import date_options, gpu_options, model_options, precision_options, sequence_options
from components.pages import url_notice
from frontier.urlstate import (parse_query, resolve_explorer, serialize_compare, serialize_explorer,
                               state_query)
from frontier.views import comparison_models, comparison_path_for_model, resolve_compare, route

VIEW_TOGGLE_KEYS = ("log", "labels", "contrast")
CONTROL_IDS = {ids.MODEL, ids.SEQUENCE, ids.PRECISION, ids.METRIC, ids.X, ids.GPUS, ids.OPTIMAL, ids.DATE,
               ids.TARGETS, ids.TARGETS_RESET}


@dataclass
class Resolved:
    """Everything the resolver sets; ``None`` for search/pathname means leave the URL alone."""

    page: str
    state: dict | None
    search: str | None = None
    pathname: str | None = None
    controls: dict = field(default_factory=dict)
    toggles: list | None = None  # set only when read from the URL
    notices: list[str] | None = None  # None: keep the current notice


def parse_targets_text(text: str | None) -> list[str]:
    return [p for p in (text or "").replace(";", ",").replace(" ", ",").split(",") if p.strip()]


def _as_list(value) -> list | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def resolve_view(index, pathname: str, search: str, trigger: str | None, controls: dict, toggles: list,
                 current: dict | None = None) -> Resolved:
    """Pure: which state the page shows, given what triggered the resolver.

    ``current`` is the view state the page already shows: when the address moves to another
    page, this page's resolver stands aside and the router renders the new one."""
    kind, slug = route(pathname)
    if kind in ("compare-index", "404"):
        return Resolved(kind, None)
    from_url = trigger not in CONTROL_IDS
    if from_url and current and (current.get("page"), current.get("slug")) != (kind, slug if kind != "explorer" else None):
        return Resolved(kind, None)
    if from_url:
        query = parse_query(search)
    else:
        url_query = parse_query(search)
        values = {
            "model": controls.get("model"), "seq": controls.get("seq"),
            "precisions": _as_list(controls.get("precisions")),
            "metric": controls.get("metric"), "x": controls.get("x"), "gpus": controls.get("gpus"),
            "date": controls.get("date"), "optimal": "optimal" in (controls.get("optimal") or []),
        }
        if kind != "explorer" and trigger != ids.TARGETS_RESET:
            values["targets"] = parse_targets_text(controls.get("targets"))
        if kind == "gpu" and values["precisions"] and len(values["precisions"]) > 1:
            # One precision at a time here: the one just chosen is the one not already shown.
            shown = url_query.get("precision", [])
            values["precisions"] = [p for p in values["precisions"] if p not in shown][-1:] or values["precisions"][-1:]
        query = state_query(values)
        # A control that reports None (a Dash 4 dropdown resetting itself) changes nothing.
        for control, param in (("model", "model"), ("seq", "seq"), ("metric", "metric"), ("x", "x"),
                               ("date", "date"), ("precisions", "precision")):
            if controls.get(control) is None and param in url_query:
                query[param] = url_query[param]
        for key in VIEW_TOGGLE_KEYS:
            if key in (toggles or []):
                query[key] = ["1"]
    if kind == "explorer":
        state, notices = resolve_explorer(query, index.catalog)
        if state is None:
            return Resolved("explorer", None, notices=notices)
        new_search = serialize_explorer(state)
        cat = index.catalog
        out = Resolved("explorer", {"page": "explorer", **state.to_dict()}, controls={
            "model": state.model, "model_options": model_options(cat),
            "seq": state.seq, "seq_options": sequence_options(cat, state.model),
            "precisions": list(state.precisions), "precision_options": precision_options(cat.precisions[(state.model, state.seq)]),
            "metric": state.metric, "x": state.x,
            "gpus": list(state.gpus), "gpu_options": gpu_options(cat, cat.gpus[(state.model, state.seq)]),
            "optimal": ["optimal"] if state.optimal else [], "date": state.date or "",
            "date_options": date_options(cat, state.date), "targets": "",
        })
    else:
        state, notices = resolve_compare(index, kind, slug, query)
        if state is None:
            return Resolved(kind, None)
        if not from_url and controls.get("model") and controls["model"] != state.model:
            # A model change on a comparison page opens that model's page for the same comparison.
            models = comparison_models(index, state)
            if controls["model"] in models:
                path = comparison_path_for_model(index, state, controls["model"])
                if state.kind == "gpu":  # the other model may have other precisions
                    query.pop("precision", None)
                query.pop("targets", None)
                query["seq"] = [state.seq]
                new_state, _ = resolve_compare(index, kind, path.rsplit("/", 1)[1], query)
                search = serialize_compare(new_state, state.kind != "precision") if new_state else ""
                return Resolved(kind, None, search=search, pathname=path, notices=[])
        new_search = serialize_compare(state, precision_in_query=state.kind != "precision")
        cat = index.catalog
        available = index.comparison_lookup[(state.kind, state.slug)]
        chart_choices = cat.precisions.get((state.model, state.seq), [])
        if state.kind == "gpu":
            chart_choices = [p for p in available.precisions if p in chart_choices]
        out = Resolved(kind, {"page": kind, **state.to_dict()}, controls={
            "model": state.model, "model_options": model_options(cat, comparison_models(index, state)),
            "seq": state.seq, "seq_options": sequence_options(cat, state.model, list(available.seqs)),
            # GPU pages show one precision at a time: their control is a radio (a string value).
            "precisions": state.precisions[0] if state.kind == "gpu" else list(state.precisions),
            "precision_options": precision_options(chart_choices or list(state.precisions), state.kind == "precision"),
            "metric": state.metric, "x": state.x, "gpus": [], "gpu_options": [],
            "optimal": ["optimal"] if state.optimal else [], "date": "", "date_options": date_options(cat),
            "targets": ", ".join(str(int(t)) if float(t).is_integer() else f"{t:g}" for t in state.targets),
        })
    if from_url:
        out.toggles = [k for k in VIEW_TOGGLE_KEYS if getattr(state, k)]
        out.notices = notices
    else:
        out.search = new_search if new_search != (search or "") else None
        out.notices = []
    return out


def register(app, context) -> None:
    outputs = [
        Output(ids.PAGE_URL, "search"), Output(ids.PAGE_URL, "pathname"), Output(ids.VIEW_STATE, "data"),
        Output(ids.MODEL, "options"), Output(ids.MODEL, "value"),
        Output(ids.SEQUENCE, "options"), Output(ids.SEQUENCE, "value"),
        Output(ids.PRECISION, "options"), Output(ids.PRECISION, "value"),
        Output(ids.METRIC, "value"), Output(ids.X, "value"),
        Output(ids.GPUS, "options"), Output(ids.GPUS, "value"),
        Output(ids.OPTIMAL, "value"), Output(ids.TOGGLES, "value"), Output(ids.DATE, "value"),
        Output(ids.DATE, "options"),
        Output(ids.TARGETS, "value"),
        Output(ids.URL_NOTICE, "children"), Output(ids.URL_NOTICE, "is_open"),
        Output(ids.CHART_DATA, "data"), Output(ids.CHART_EMPTY, "children"),
    ]
    inputs = [
        Input(ids.PAGE_URL, "search"), Input(ids.MODEL, "value"), Input(ids.SEQUENCE, "value"),
        Input(ids.PRECISION, "value"), Input(ids.METRIC, "value"), Input(ids.X, "value"), Input(ids.GPUS, "value"),
        Input(ids.OPTIMAL, "value"), Input(ids.DATE, "value"), Input(ids.TARGETS, "value"),
        Input(ids.TARGETS_RESET, "n_clicks"),
        State(ids.PAGE_URL, "pathname"), State(ids.TOGGLES, "value"), State(ids.VIEW_STATE, "data"),
    ]

    # Pages arrive with their state, controls and chart filled in (routing.prerender) and their
    # Location already at the address, so nothing calls this until the reader acts.
    @app.callback(*outputs, *inputs, prevent_initial_call=True)
    def resolve(search, model, seq, precisions, metric, x, gpus, optimal, date, targets, _reset, pathname, toggles,
                current):
        controls = {"model": model, "seq": seq, "precisions": precisions, "metric": metric, "x": x, "gpus": gpus,
                    "optimal": optimal, "date": date, "targets": targets}
        r = resolve_view(context.index, pathname, search, ctx.triggered_id, controls, toggles, current)
        return unchanged_controls(to_outputs(r, current), controls) + chart_part(context.index, r, current)


# positions in to_outputs of control values, and the control each one belongs to
_VALUE_SLOTS = {4: "model", 6: "seq", 8: "precisions", 9: "metric", 10: "x", 12: "gpus", 13: "optimal", 15: "date",
                17: "targets"}


def unchanged_controls(outputs: tuple, controls: dict) -> tuple:
    """A control already showing the resolved value is left alone (no re-render in the browser)."""
    out = list(outputs)
    for slot, name in _VALUE_SLOTS.items():
        if out[slot] is not no_update and out[slot] == controls.get(name):
            out[slot] = no_update
    return tuple(out)


def same_state(state: dict | None, current: dict | None) -> bool:
    """The store holds JSON (lists where the state has tuples): compare in that form."""
    return state is not None and current is not None and json.loads(json.dumps(state)) == current


def chart_part(index, r: Resolved, current: dict | None) -> tuple:
    if r.state is None or same_state(r.state, current):
        return (no_update,) * CHART_OUTPUTS
    return chart_outputs(index, r.state)


def to_outputs(r: Resolved, current: dict | None = None) -> tuple:
    if r.state is None:
        search = r.search if r.search is not None else no_update
        return (search, r.pathname or no_update, no_update, *(no_update,) * 15, *_notice(r.notices))
    c = r.controls
    # Option lists only change with the page, model or sequence: resending them is wasted work
    # for the browser (every control re-renders).
    same_options = bool(current) and all(current.get(k) == r.state.get(k) for k in ("page", "slug", "model", "seq"))
    keep = (lambda value: no_update) if same_options else (lambda value: value)
    date_options = no_update if same_options and current.get("date") == r.state.get("date") else c["date_options"]
    return (
        r.search if r.search is not None else no_update,
        r.pathname or no_update,
        no_update if same_state(r.state, current) else r.state,
        keep(c["model_options"]), c["model"], keep(c["seq_options"]), c["seq"], keep(c["precision_options"]),
        c["precisions"], c["metric"], c["x"], keep(c["gpu_options"]), c["gpus"], c["optimal"],
        r.toggles if r.toggles is not None else no_update,
        c["date"], date_options, c["targets"],
        *_notice(r.notices),
    )


def _notice(notices):
    if notices is None:
        return no_update, no_update
    alert = url_notice(notices)
    return alert.children, bool(notices)
