"""The control panel shared by the explorer and the comparison pages.

The panel is a skeleton; every option list and value is filled in for the resolved state
before the page is sent, so a deep link is on screen from the first paint (and Dash 4
dropdowns never see a value that is not among their options)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from frontier.catalog import Catalog
from frontier.metrics import X_AXES, Y_METRICS
from frontier.reference import PROVIDER_LABELS
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


def only_links(control: str, options: list[dict]) -> list:
    """One "only X" button per choice, for a one-click switch (FP8 -> FP4, B200 -> H200)."""
    if len(options) < 2:
        return []
    return [html.Span("Only: ", className="only-label")] + [
        html.Button(o["label"] if isinstance(o["label"], str) else o["value"], type="button",
                    id={"type": ids.ONLY, "control": control, "value": o["value"]},
                    className="btn btn-link btn-sm p-0 me-2 only-link", title=f"Show only {o['label']}",
                    disabled=bool(o.get("disabled")))
        for o in options]


def filter_pills(filter_key: str, label: str, hidden: bool = False, filter_ids: dict = ids.FILTERS):
    """A compact pill group for one SPEC §9 filter; its options come from the view's points."""
    return _field(label, dbc.Checklist(
        id=filter_ids[filter_key], options=[], inline=True, className="btn-group-toggle pill-group",
        inputClassName="btn-check", labelClassName="btn btn-outline-secondary btn-sm",
        labelCheckedClassName="active"), {"xs": 12, "md": "auto"}, hidden=hidden)


FILTER_LABELS = {"vendor": "Vendor", "framework": "Framework", "deployment": "Deployment", "spec": "Spec decoding",
                 "gpucount": "GPUs per deployment"}


def filter_row(compared: str | None = None, filter_ids: dict = ids.FILTERS) -> dbc.Row:
    """Every filter but the one a comparison page is about (``compared``)."""
    return dbc.Row([filter_pills(key, label, key == compared, filter_ids) for key, label in FILTER_LABELS.items()],
                   className="gx-3 gy-1 filter-row")


def filters_panel(compared: str | None = None, filter_ids: dict = ids.FILTERS, panel_id: str = ids.FILTERS_PANEL,
                  badge_id: str = ids.FILTERS_BADGE) -> html.Details:
    """The filters, folded under one line so the chart starts near the top of the page; the page
    view opens it whenever a filter is on, and its badge says how many are."""
    return html.Details([
        html.Summary(["Filters: vendor, framework, deployment, spec decoding, GPUs per deployment ",
                      html.Span(id=badge_id, className="badge text-bg-primary ms-1")]),
        filter_row(compared, filter_ids),
    ], id=panel_id, className="filters-panel mt-2")


def price_row(gpu: str, label: str, price_default: float | None, kw_default: float | None,
              price: float | None, kw: float | None, prices_ids: ids.PricesIds = ids.PRICES) -> html.Tr:
    """One GPU's $/GPU-hr and kW inputs: empty means the reference value (shown as placeholder)."""
    def box(kind, value, default, step):
        # the table's row and column headers name each box for assistive technology
        return dbc.Input(id={"type": kind, "gpu": gpu}, type="number", min=0, step=step, debounce=True, size="sm",
                         value=value, placeholder="" if default is None else f"{default:g}", name=f"{kind}-{gpu}")
    return html.Tr([html.Th(label, scope="row"), html.Td(box(prices_ids.price_input, price, price_default, "any")),
                    html.Td(box(prices_ids.kw_input, kw, kw_default, "any"))])


def price_rows(rows: list[html.Tr]) -> html.Table:
    return html.Table([html.Thead(html.Tr([html.Th("GPU"), html.Th("$ per GPU-hour"), html.Th("kW per GPU")])),
                       html.Tbody(rows)], className="table table-sm align-middle mb-2 price-table")


def prices_panel(provider_choice: bool, prices_ids: ids.PricesIds = ids.PRICES) -> html.Details:
    """Edit $/GPU-hr and all-in kW per GPU; the reference values show as placeholders."""
    body = []
    if provider_choice:
        body.append(_field("Prices of", dbc.RadioItems(id=prices_ids.provider, options=[
            {"label": label, "value": key} for key, label in PROVIDER_LABELS.items()], inline=True), {"xs": 12}))
    else:  # the explorer's costs follow the provider of the Y-axis metric; keep the id for the resolver
        body.append(html.Div(dbc.RadioItems(id=prices_ids.provider, options=[]), className="d-none"))
    body += [
        html.P("Leave a box empty for the reference value (from hardware.csv). Press Enter to apply; every chart, "
               "table, narrative and export then uses your figures.", className="small text-body-secondary mb-2"),
        html.Div(id=prices_ids.rows),
        dbc.Button("Reset to reference prices", id=prices_ids.reset, size="sm", color="secondary", outline=True),
    ]
    return html.Details([
        html.Summary(["Prices and power ", html.Span(id=prices_ids.badge, className="badge text-bg-warning ms-1")]),
        html.Div(body, className="pt-2"),
    ], id=prices_ids.panel, className="prices-panel mt-2")


def metric_options() -> list[dict]:
    return [{"label": f"{m.label} [{m.unit}]", "value": m.id} for m in Y_METRICS.values()]


def x_options() -> list[dict]:
    return [{"label": f"{m.label} [{m.unit}]", "value": m.id} for m in X_AXES.values()]


def overlay_date_options(dates: list[str], chosen: tuple[str, ...] = ()) -> list[dict]:
    """Run dates for ``dates=`` (newest first), with any chosen date between runs kept."""
    return [{"label": d + ("" if d in dates else " (between runs)"), "value": d}
            for d in sorted(set(dates) | set(chosen), reverse=True)]


def date_options(dates: list[str], chosen: str | None = None) -> list[dict]:
    """Run dates with data for the view's model and sequence, newest first, plus the chosen
    date when it falls between runs (a Dash 4 dropdown drops a value missing from its options)."""
    shown = sorted(set(dates) | ({chosen} if chosen else set()), reverse=True)
    return [{"label": "Latest run of each configuration", "value": ""}] + [
        {"label": f"As of {d}" + ("" if d in dates else " (between runs)"), "value": d} for d in shown
    ]


def _field(label: str, control, width: dict, help_text: str | None = None, hidden: bool = False):
    body = [dbc.Label(label, html_for=getattr(control, "id", None), className="control-label"), control]
    if help_text:
        body.append(html.Small(help_text, className="text-body-secondary d-block"))
    return dbc.Col(body, **width, className="mb-2" + (" d-none" if hidden else ""))


def control_panel(*, precision_control: str = "many", precision_help: str | None = None, gpus: bool = True,
                  run_date: bool = True, targets: bool = False, best: bool = True, compared_filter: str | None = None,
                  provider_choice: bool = False) -> html.Div:
    """Every control with its id; options and values are filled in for the page's state
    (presenters/pageview.py) before the page leaves the server. ``precision_control``: "many"
    (a checklist), "one" (a radio) or "fixed" (a checklist the page fills disabled)."""
    row1 = dbc.Row([
        _field("Model", dcc.Dropdown(id=ids.MODEL, options=[], clearable=False, searchable=False), {"xs": 12, "md": 4}),
        _field("Sequence (input/output)", dbc.RadioItems(
            id=ids.SEQUENCE, options=[], inline=True, className="btn-group-toggle seq-radio", inputClassName="btn-check",
            labelClassName="btn btn-outline-primary btn-sm", labelCheckedClassName="active"), {"xs": 12, "md": 4}),
        _field("Precision", html.Div([(dbc.RadioItems if precision_control == "one" else dbc.Checklist)(
            id=ids.PRECISION, options=[], inline=True),
            html.Div(id=ids.ONLY_PRECISION, className="only-links small",
                     hidden=precision_control != "many")]), {"xs": 12, "md": 4}, precision_help),
    ], className="g-2")
    row2 = dbc.Row([
        _field("Y axis", dcc.Dropdown(id=ids.METRIC, options=metric_options(), clearable=False, searchable=False),
               {"xs": 12, "md": 4}),
        _field("X axis", dcc.Dropdown(id=ids.X, options=x_options(), clearable=False, searchable=False),
               {"xs": 12, "md": 4}),
        _field("GPUs", html.Div([
            dcc.Dropdown(id=ids.GPUS, options=[], multi=True, placeholder="All GPUs", searchable=False),
            html.Div(id=ids.ONLY_GPUS, className="only-links small")]), {"xs": 12, "md": 4}, hidden=not gpus),
    ], className="g-2")
    row3 = dbc.Row([
        _field("Frontier", html.Div([
            dbc.Checklist(id=ids.OPTIMAL, options=[{"label": "Optimal points only", "value": "optimal"}], switch=True),
            dbc.Checklist(id=ids.BEST, options=[{"label": "Best per GPU (pool configurations)", "value": "best"}],
                          switch=True, className="" if best else "d-none"),
        ]), {"xs": 12, "md": 3}),
        _field("View", dbc.Checklist(id=ids.TOGGLES, options=[{"label": t, "value": k} for k, t in VIEW_TOGGLES],
                                     switch=True, inline=True), {"xs": 12, "md": 3}),
        # the run date and the earlier frontiers share the row, so the chart starts higher up
        _field("Run date", dcc.Dropdown(id=ids.DATE, options=[], clearable=False, searchable=False),
               {"xs": 12, "md": 3}, hidden=not run_date),
        _field("Compare with the frontiers as of", dcc.Dropdown(
            id=ids.DATES, options=[], multi=True, placeholder="No earlier frontiers", searchable=False),
            {"xs": 12, "md": 3}, "Drawn over the chart, one line style per date.", hidden=not run_date),
        _field("Target interactivities (tok/s/user)", dbc.InputGroup([
            dbc.Input(id=ids.TARGETS, placeholder="band quartiles", debounce=True, type="text", inputMode="decimal"),
            dbc.Button("Reset", id=ids.TARGETS_RESET, color="secondary", outline=True, size="sm"),
        ], size="sm"), {"xs": 12, "md": 4}, "Comma-separated; press Enter to apply.", hidden=not targets),
    ], className="g-2")
    return html.Div([row1, row2, row3, filters_panel(compared_filter), prices_panel(provider_choice)],
                    className="control-panel card card-body mb-3")


def decision_panel(page: ids.DecisionIds, own: list) -> html.Div:
    """The calculator's and the history's controls: the workload (model, sequence, one
    precision), the target interactivity, the page's ``own`` fields, the filters and prices."""
    row1 = dbc.Row([
        _field("Model", dcc.Dropdown(id=page.model, options=[], clearable=False, searchable=False), {"xs": 12, "md": 4}),
        _field("Sequence (input/output)", dbc.RadioItems(
            id=page.sequence, options=[], inline=True, className="btn-group-toggle seq-radio", inputClassName="btn-check",
            labelClassName="btn btn-outline-primary btn-sm", labelCheckedClassName="active"), {"xs": 12, "md": 4}),
        _field("Precision", dbc.RadioItems(id=page.precision, options=[], inline=True), {"xs": 12, "md": 4}),
    ], className="g-2")
    row2 = dbc.Row([
        _field("Target interactivity (tok/s/user)", dbc.Input(
            id=page.target, type="number", min=0.01, step="any", debounce=True, size="sm", inputMode="decimal"),
            {"xs": 6, "md": 3}, "Every GPU is read at this speed per user; press Enter to apply."),
        *own,
    ], className="g-2")
    return html.Div([row1, row2, filters_panel(None, page.filters, page.filters_panel, page.filters_badge),
                     prices_panel(True, page.prices)],
                    className="control-panel card card-body mb-3")


def calculator_fields(page: ids.DecisionIds) -> list:
    """The calculator's own controls: users, cost cap, and one row per GPU or per series."""
    return [
        _field("Users", dbc.Input(id=page.users, type="number", min=1, step=1, debounce=True, size="sm",
                                  placeholder="none", inputMode="numeric"),
               {"xs": 6, "md": 2}, "Each streaming at the target: sizes the fleet."),
        _field("Max cost ($/M tokens)", dbc.Input(id=page.maxcost, type="number", min=0, step="any", debounce=True,
                                                  size="sm", placeholder="no cap", inputMode="decimal"),
               {"xs": 6, "md": 2}, "Rows dearer than this are hidden."),
        _field("One row per", dbc.RadioItems(id=page.by, options=[
            {"label": "GPU (configurations pooled)", "value": "gpu"},
            {"label": "Series (GPU × framework × spec decoding)", "value": "series"}]), {"xs": 12, "md": 5}),
    ]


def history_fields(page: ids.DecisionIds) -> list:
    """The history's own controls: what the chart draws, and which GPUs."""
    return [
        _field("Chart", dbc.RadioItems(id=page.metric, options=[
            {"label": "Throughput (tok/s/GPU)", "value": "tput"}, {"label": "Cost ($/M tokens)", "value": "cost"}],
            inline=True), {"xs": 12, "md": 4}),
        _field("GPUs", dcc.Dropdown(id=page.gpus, options=[], multi=True, placeholder="All GPUs", searchable=False),
               {"xs": 12, "md": 5}),
    ]
