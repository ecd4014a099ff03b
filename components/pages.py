"""Page factories: explorer, comparison pages, the comparison index and the not-found page.

Each takes plain data and returns a skeleton of components with ids; what depends on the
view is filled in by presenters/pageview.py. All text from data or the URL goes in as plain
strings (Dash escapes them), never as HTML."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from . import ids
from .controls import calculator_fields, control_panel, decision_panel, history_fields
from .tables import points_table

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "filename": "inference-frontier", "scale": 2},
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


def page_state() -> html.Div:
    """Per-page URL and view state: everything the resolver touches lives in the page."""
    return html.Div([dcc.Location(id=ids.PAGE_URL, refresh="callback-nav"), dcc.Store(id=ids.VIEW_STATE),
                     dcc.Store(id=ids.ADDRESS_CHANGE)])


LINK_NOTICE = "Some link parameters were ignored: "
CHANGE_NOTICE = "Some of your choices had to change: "


def url_notice(notices: list[str], heading: str = LINK_NOTICE) -> dbc.Alert:
    return dbc.Alert(
        [html.Strong(heading), html.Ul([html.Li(n) for n in notices], className="mb-0")]
        if notices else [],
        id=ids.URL_NOTICE, color="warning", is_open=bool(notices), dismissable=True, className="py-2",
    )


def chart_card() -> dbc.Card:
    toolbar = html.Div([
        dbc.Button("Copy link", id=ids.COPY_LINK, size="sm", color="primary", outline=True, className="me-2"),
        dbc.Button("Download PNG", id=ids.DOWNLOAD_PNG, size="sm", color="secondary", outline=True, className="me-2"),
        dbc.Button("Download CSV", id=ids.DOWNLOAD_CSV, size="sm", color="secondary", outline=True, className="me-2"),
        html.Span(id=ids.COPY_LINK_DONE, className="small text-success", role="status"),
    ], className="chart-toolbar mb-2")
    return dbc.Card(dbc.CardBody([
        toolbar,
        html.Div(id=ids.CHART_EMPTY),
        # No dcc.Loading wrapper: it re-renders the graph on every update; assets/style.css
        # dims the chart while Dash marks it as loading instead.
        dcc.Graph(id=ids.CHART, config=GRAPH_CONFIG, figure={"data": [], "layout": {"height": 560}},
                  className="main-chart"),
        html.Div(id=ids.CHART_LEGEND, className="chart-legend"),
        dcc.Store(id=ids.CHART_DATA),
        dcc.Store(id=ids.CHART_DRAWN),
        dcc.Store(id=ids.HIDDEN_SERIES, data=[]),
        dcc.Store(id=ids.CHOICE_REQUEST),
        dcc.Store(id=ids.CSV_REQUEST),
        html.Div(id=ids.POINT_DETAILS, className="point-details small", **{"aria-live": "polite"}),
        dcc.Download(id=ids.CSV_DOWNLOAD),
    ]), className="mb-3")


def points_section() -> html.Section:
    return html.Section([
        html.H2("Points in the chart", className="h5 mt-2"),
        html.P(id=ids.POINTS_SUMMARY, className="small text-body-secondary"),
        points_table(),
    ], className="mb-4", **{"aria-label": "Table of the points in the chart"})


def methodology() -> html.Section:
    items = [
        ("Interactivity", "tokens per second seen by one user: 1 / median time per output token (TPOT). "
                          "Higher means a snappier stream. It is never derived from inter-token latency."),
        ("Throughput per GPU", "input + output tokens processed per second, divided by every GPU the deployment uses "
                               "(prefill and decode pools together for disaggregated serving)."),
        ("Cost per million tokens", "$ per GPU-hour ÷ (throughput × 3600 / 10⁶). Prices per GPU-hour come from "
                                   "data/hardware.csv (hyperscaler, neocloud, 3-year rental); input and output costs "
                                   "use input and output throughput."),
        ("tok/s/MW", "throughput × 1000 ÷ all-in kW per GPU: tokens per second a megawatt of facility power buys. "
                     "J/token is its inverse view: kW per GPU × 1000 ÷ throughput."),
        ("Frontier", "for each series (GPU × framework × speculative decoding, × precision when several are shown) the "
                     "points no other point beats on both axes. The line through them is a monotone cubic (Steffen) "
                     "interpolant, the same curve the comparison tables read their numbers from."),
        ("Latest data", "each configuration, sequence and concurrency shows its most recent measurement unless a run "
                        "date is chosen; older runs are kept for history."),
    ]
    return html.Section([
        html.H2("Methodology", className="h5", id="methodology"),
        html.Dl([part for term, text in items for part in (html.Dt(term), html.Dd(text))], className="methodology"),
    ], className="mb-4")


def curated_views(presets) -> html.Nav:
    """Ready-made questions the data can answer (frontier/presets.py), each a link to its view:
    one compact row, so that the chart stays near the top of the page; each link's title says
    what the view shows."""
    links = [dcc.Link(p.title, href=p.href, title=p.description, className="curated-view") for p in presets]
    return html.Nav([html.Span("Start from a question:", className="curated-label")] + links,
                    id=ids.PRESETS, className="curated-views mb-2", **{"aria-label": "Curated views"})


def explorer_page(presets=()) -> html.Div:
    return html.Div([
        page_state(),
        html.H1("Inference Performance", className="h3 mt-2"),
        html.P("Throughput per GPU against per-user interactivity for every measured serving configuration. "
               "Each line is the Pareto frontier of one GPU, framework and speculative-decoding setting.",
               className="lead-sm text-body-secondary"),
        url_notice([]),
        curated_views(presets) if presets else None,
        control_panel(),
        chart_card(),
        points_section(),
        methodology(),
    ])


def no_data_page() -> html.Div:
    return html.Div([html.H1("Inference Performance"), dbc.Alert(
        "No benchmark data is loaded. Point the app at a folder of results with --data-dir, or add files with "
        "python -m frontier ingest.", color="info")])


def compare_page(title: str, intro: str, caveat: str | None, precision_control: str,
                 precision_help: str | None, compared_filter: str | None = None) -> html.Div:
    return html.Div([
        page_state(),
        html.Nav(dcc.Link("← All comparisons", href="/compare"), className="small mt-2"),
        html.H1(title, className="h3 mt-1", id=ids.COMPARISON_HEADER),
        html.P(intro, className="text-body-secondary"),
        dbc.Alert(caveat, color="info", className="small") if caveat else None,
        url_notice([]),
        control_panel(precision_control=precision_control, precision_help=precision_help, gpus=False,
                      run_date=False, targets=True, best=False, compared_filter=compared_filter, provider_choice=True),
        chart_card(),
        html.Section([
            html.H2("At matched interactivity", className="h5"),
            html.P(id=ids.COMPARISON_PINNED, className="small text-body-secondary"),
            html.Div(id=ids.COMPARISON_TABLE, className="table-responsive"),
            html.Div(id=ids.COMPARISON_NARRATIVE, className="narrative"),
            html.Div(id=ids.COMPARISON_ACCURACY, className="accuracy"),
            html.P(html.A("These numbers as JSON", id=ids.COMPARISON_API_LINK, href="#"), className="small"),
        ], className="mb-4"),
        points_section(),
        methodology(),
    ])


PLAIN_GRAPH = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def decision_state(page: ids.DecisionIds) -> html.Div:
    """A decision page's own Location and view state (not the explorer's: see ids.DecisionIds)."""
    return html.Div([dcc.Location(id=page.url, refresh="callback-nav"), dcc.Store(id=page.state)])


def decision_chart(page: ids.DecisionIds, height: int) -> html.Div:
    """A plain Plotly figure (presenters/decide.py), themed in the browser (assets/app.js themed)."""
    return html.Div([dcc.Graph(id=page.chart, config=PLAIN_GRAPH, figure={"data": [], "layout": {"height": height}}),
                     dcc.Store(id=page.chart_data)])


def json_link(page: ids.DecisionIds, text: str) -> html.P:
    return html.P(html.A(text, id=page.api_link, href="#"), className="small")


def calculator_page() -> html.Div:
    page = ids.CALCULATOR
    return html.Div([
        decision_state(page),
        html.H1("Calculator", className="h3 mt-2"),
        html.P("Every GPU read at one target interactivity and ranked, with what serving a number of users at that "
               "speed takes: GPUs, dollars a month and megawatts. Each row pools all of a GPU's frameworks, deployments "
               "and speculative-decoding settings into one frontier (or reads each series alone); a click on a row "
               "compares that GPU with the leader.", className="lead-sm text-body-secondary"),
        url_notice([]),
        decision_panel(page, calculator_fields(page)),
        html.P(id=page.summary, className="small", **{"aria-live": "polite"}),
        dbc.Row([
            dbc.Col(html.Div(html.Table(id=page.table, className="table table-sm table-hover calculator"),
                             className="table-responsive"), xs=12, xl=9),
            dbc.Col(decision_chart(page, 360), xs=12, xl=3),
        ], className="g-3"),
        html.Div(id=page.notes, className="small text-body-secondary decision-notes"),
        json_link(page, "These rows as JSON"),
        methodology(),
    ])


def history_page() -> html.Div:
    page = ids.HISTORY
    return html.Div([
        decision_state(page),
        html.H1("History", className="h3 mt-2"),
        html.P("Each GPU's best throughput (or cost) at one target interactivity on every run date: the view as it "
               "stood that day, every configuration's latest measurement pooled per GPU. Software and recipe gains "
               "show as steps up, regressions as steps down.", className="lead-sm text-body-secondary"),
        url_notice([]),
        decision_panel(page, history_fields(page)),
        html.P(id=page.summary, className="small", **{"aria-live": "polite"}),
        dbc.Card(dbc.CardBody(decision_chart(page, 460)), className="mb-3"),
        html.Div(id=page.notes, className="decision-notes"),
        html.Section([
            html.H2("Readings by run date", className="h5"),
            html.Div(html.Table(id=page.table, className="table table-sm table-hover history"),
                     className="table-responsive history-scroll"),
            json_link(page, "Every date and GPU as JSON"),
        ], className="mb-4"),
        methodology(),
    ])


def comparison_links(groups) -> html.Div:
    """``groups``: [(model label, [(kind title, [(link text, href)])])]."""
    out = []
    for model_label, sections in groups:
        cols = [dbc.Col([html.H3(title, className="h6"),
                         html.Ul([html.Li(dcc.Link(text, href=href)) for text, href in links], className="small")], md=4)
                for title, links in sections]
        out.append(html.Section([html.H2(model_label, className="h5 mt-3"), dbc.Row(cols, className="mx-0")]))
    return html.Div(out or [html.P("The loaded data supports no comparison yet.")])


def compare_index_page(groups) -> html.Div:
    return html.Div([
        html.H1("Comparisons", className="h3 mt-2"),
        html.P("Every comparison the loaded data supports, generated from it: speculative decoding on a GPU, one GPU "
               "against another, and one precision against another. Each page reads both sides at matched "
               "interactivity.", className="text-body-secondary"),
        comparison_links(groups),
    ])


def methodology_page() -> html.Div:
    return html.Div([html.H1("Methodology", className="h3 mt-2"),
                     html.P(["How every number on this site is computed. ", dcc.Link("Open the explorer", href="/"),
                             " · ", dcc.Link("All comparisons", href="/compare")], className="text-body-secondary"),
                     methodology()])


def page_not_found(path: str) -> html.Div:
    """An address that is no page of this site (not a comparison: see ``not_found_page``)."""
    return html.Div([
        html.H1("Page not found", className="h3 mt-2"),
        dbc.Alert(["There is no page at ", html.Code(path), "."], color="warning"),
        html.P(["Try ", dcc.Link("the explorer", href="/"), ", ", dcc.Link("all comparisons", href="/compare"),
                " or ", dcc.Link("the methodology", href="/methodology"), "."]),
    ], className="not-found")


def not_found_page(path: str, groups, model_label: str | None = None) -> html.Div:
    return html.Div([
        html.H1("Comparison not found", className="h3 mt-2"),
        dbc.Alert([
            "Nothing is available at ", html.Code(path), ". The model, GPU or precision in the address is unknown, "
            "or the loaded data has no points for one side of that comparison.",
        ], color="warning"),
        html.P([dcc.Link("Back to the explorer", href="/"), " · ", dcc.Link("All comparisons", href="/compare")]),
        html.H2("Comparisons that exist" + (f" for {model_label}" if model_label else ""), className="h5"),
        comparison_links(groups),
    ], className="not-found")
