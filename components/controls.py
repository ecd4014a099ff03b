"""The control panel shared by the explorer and the comparison pages.

Controls are always rendered with the options and values of the resolved state, so a
deep link is on screen from the first paint (and Dash 4 dropdowns never see a value that
is not among their options)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from frontier.catalog import Catalog
from frontier.metrics import X_AXES, Y_METRICS
from frontier.sequences import STANDARD, sequence_label, sort_key

from . import ids

VIEW_TOGGLES = [("log", "Log scale"), ("labels", "Point labels"), ("contrast", "High contrast")]


def model_options(catalog: Catalog, models: list[str] | None = None) -> list[dict]:
    return [{"label": catalog.model_labels.get(m, m), "value": m} for m in (models or catalog.models)]


def sequence_options(catalog: Catalog, model: str, available: list[str] | None = None) -> list[dict]:
    have = available if available is not None else catalog.seqs.get(model, [])
    keys = sorted(set(STANDARD) | set(have), key=sort_key)
    return [{"label": sequence_label(k), "value": k, "disabled": k not in have} for k in keys]


def precision_options(available: list[str], disabled: bool = False) -> list[dict]:
    return [{"label": p.upper(), "value": p, "disabled": disabled} for p in available]


def gpu_options(catalog: Catalog, gpus: list[str]) -> list[dict]:
    return [{"label": f"{catalog.gpu_labels.get(g, g.upper())} ({catalog.gpu_vendors.get(g, 'Other')})", "value": g}
            for g in gpus]


def metric_options() -> list[dict]:
    return [{"label": f"{m.label} [{m.unit}]", "value": m.id} for m in Y_METRICS.values()]


def x_options() -> list[dict]:
    return [{"label": f"{m.label.split(' (')[0]}", "value": m.id} for m in X_AXES.values()]


def date_options(catalog: Catalog, chosen: str | None = None) -> list[dict]:
    """Run dates, newest first, plus the chosen date when it falls between runs (a Dash 4
    dropdown drops a value missing from its options)."""
    dates = sorted(set(catalog.dates) | ({chosen} if chosen else set()), reverse=True)
    return [{"label": "Latest run of each configuration", "value": ""}] + [
        {"label": f"As of {d}" + ("" if d in catalog.dates else " (between runs)"), "value": d} for d in dates
    ]


def _field(label: str, control, width: dict, help_text: str | None = None, hidden: bool = False):
    body = [dbc.Label(label, html_for=getattr(control, "id", None), className="control-label"), control]
    if help_text:
        body.append(html.Small(help_text, className="text-body-secondary d-block"))
    return dbc.Col(body, **width, className="mb-2" + (" d-none" if hidden else ""))


def control_panel(catalog: Catalog, *, model: str, seq: str, precisions, metric: str, x: str,
                  models: list[str] | None = None, seqs: list[str] | None = None,
                  precision_choices: list[str] | None = None, gpus=(), gpu_choices=(), optimal=False,
                  view_toggles=(), date: str | None = None, targets_text: str = "", page: str = "explorer",
                  precision_locked: bool = False) -> html.Div:
    explorer = page == "explorer"
    row1 = dbc.Row([
        _field("Model", dcc.Dropdown(id=ids.MODEL, options=model_options(catalog, models), value=model,
                                     clearable=False, searchable=False), {"xs": 12, "md": 4}),
        _field("Sequence (input/output)", dbc.RadioItems(
            id=ids.SEQUENCE, options=sequence_options(catalog, model, seqs), value=seq, inline=True,
            className="btn-group-toggle seq-radio", inputClassName="btn-check",
            labelClassName="btn btn-outline-primary btn-sm", labelCheckedClassName="active"), {"xs": 12, "md": 4}),
        _field("Precision", (dbc.RadioItems if page == "gpu" else dbc.Checklist)(
            id=ids.PRECISION, options=precision_options(precision_choices or [], precision_locked),
            value=precisions[0] if page == "gpu" else list(precisions), inline=True), {"xs": 12, "md": 4},
            "Changes the chart only; the table stays on this page's precision." if page == "spec-decode" else None),
    ], className="g-2")
    row2 = dbc.Row([
        _field("Y axis", dcc.Dropdown(id=ids.METRIC, options=metric_options(), value=metric, clearable=False,
                                      searchable=False), {"xs": 12, "md": 4}),
        _field("X axis", dbc.RadioItems(id=ids.X, options=x_options(), value=x, inline=True), {"xs": 12, "md": 4}),
        _field("GPUs", dcc.Dropdown(id=ids.GPUS, options=gpu_options(catalog, list(gpu_choices)), value=list(gpus),
                                    multi=True, placeholder="All GPUs", searchable=False), {"xs": 12, "md": 4},
               hidden=not explorer),
    ], className="g-2")
    row3 = dbc.Row([
        _field("Frontier", dbc.Checklist(id=ids.OPTIMAL, options=[{"label": "Optimal points only", "value": "optimal"}],
                                         value=["optimal"] if optimal else [], switch=True), {"xs": 12, "md": 3}),
        _field("View", dbc.Checklist(id=ids.TOGGLES, options=[{"label": t, "value": k} for k, t in VIEW_TOGGLES],
                                     value=list(view_toggles), switch=True, inline=True), {"xs": 12, "md": 5}),
        _field("Run date", dcc.Dropdown(id=ids.DATE, options=date_options(catalog, date), value=date or "",
                                        clearable=False, searchable=False), {"xs": 12, "md": 4}, hidden=not explorer),
        _field("Target interactivities (tok/s/user)", dbc.InputGroup([
            dbc.Input(id=ids.TARGETS, value=targets_text, placeholder="band quartiles", debounce=True,
                      type="text", inputMode="decimal"),
            dbc.Button("Reset", id=ids.TARGETS_RESET, color="secondary", outline=True, size="sm"),
        ], size="sm"), {"xs": 12, "md": 4}, "Comma-separated; press Enter to apply.", hidden=explorer),
    ], className="g-2")
    return html.Div([row1, row2, row3], className="control-panel card card-body mb-3")
