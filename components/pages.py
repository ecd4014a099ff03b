"""Page factories: explorer, comparison pages, the comparison index and the not-found page.

Each takes the resolved state and returns components; all text from data or the URL goes
in as plain strings (Dash escapes them), never as HTML."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from frontier.compare import KIND_TITLES
from frontier.sequences import sequence_label
from frontier.urlstate import CompareState, ExplorerState

from . import ids
from .controls import control_panel
from .tables import points_table

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "filename": "inference-frontier", "scale": 2},
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


def page_state() -> html.Div:
    """Per-page URL and view state: everything the resolver touches lives in the page."""
    return html.Div([dcc.Location(id=ids.PAGE_URL, refresh="callback-nav"), dcc.Store(id=ids.VIEW_STATE)])


def url_notice(notices: list[str]) -> dbc.Alert:
    return dbc.Alert(
        [html.Strong("Some link parameters were ignored: "), html.Ul([html.Li(n) for n in notices], className="mb-0")]
        if notices else [],
        id=ids.URL_NOTICE, color="warning", is_open=bool(notices), dismissable=True, className="py-2",
    )


def chart_card(page: str) -> dbc.Card:
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


def explorer_page(index, state: ExplorerState, notices: list[str], view_toggles=()) -> html.Div:
    cat = index.catalog
    if state is None:
        return html.Div([html.H1("Inference Performance"), dbc.Alert(
            "No benchmark data is loaded. Point the app at a folder of results with --data-dir, or add files with "
            "python -m frontier ingest.", color="info")])
    return html.Div([
        page_state(),
        html.H1("Inference Performance", className="h3 mt-2"),
        html.P("Throughput per GPU against per-user interactivity for every measured serving configuration. "
               "Each line is the Pareto frontier of one GPU, framework and speculative-decoding setting.",
               className="lead-sm text-body-secondary"),
        url_notice(notices),
        control_panel(cat, model=state.model, seq=state.seq, precisions=state.precisions, metric=state.metric,
                      x=state.x, precision_choices=cat.precisions[(state.model, state.seq)], gpus=state.gpus,
                      gpu_choices=cat.gpus[(state.model, state.seq)], optimal=state.optimal,
                      view_toggles=view_toggles, date=state.date, page="explorer"),
        chart_card("explorer"),
        points_section(),
        methodology(),
    ])


def compare_title(index, state: CompareState) -> tuple[str, str]:
    spec = index.comparison_lookup[(state.kind, state.slug)].spec
    ref = index.reference
    model = ref.model_label(spec.model)
    gpu = ref.gpus.get(spec.gpu_a)
    family = f"{gpu.vendor} {gpu.family}".strip() if gpu else "unknown vendor"
    if state.kind == "spec-decode":
        subject = f"{ref.gpu_label(spec.gpu_a)} {spec.precision_a.upper()}"
        return (f"{subject}: MTP vs Off speculative decoding",
                f"How multi-token prediction (MTP) speculative decoding changes throughput and cost on "
                f"{subject} ({family}) serving {model}, read at matched per-user interactivity. The chart takes the "
                f"same controls as the main explorer.")
    if state.kind == "gpu":
        a, b = ref.gpu_label(spec.gpu_a), ref.gpu_label(spec.gpu_b)
        return (f"{a} vs {b}: {model}",
                f"{a} against {b} serving {model} at the same sequence and precision, every framework, deployment "
                f"mode and speculative-decoding setting of each GPU pooled into one side.")
    p1, p2 = spec.precision_a.upper(), spec.precision_b.upper()
    return (f"{ref.gpu_label(spec.gpu_a)}: {p1} vs {p2} on {model}",
            f"{p1} against {p2} on {ref.gpu_label(spec.gpu_a)} ({family}) serving {model}, every framework and "
            f"deployment mode pooled per precision.")


def compare_page(index, state: CompareState, notices: list[str], models: list[str], view_toggles=()) -> html.Div:
    cat = index.catalog
    available = index.comparison_lookup[(state.kind, state.slug)]
    title, intro = compare_title(index, state)
    chart_precisions = cat.precisions.get((state.model, state.seq), [])
    if state.kind == "gpu":
        chart_precisions = [p for p in available.precisions if p in chart_precisions]
    caveat = None
    if state.kind == "spec-decode":
        caveat = dbc.Alert(
            "Engines implement MTP differently and accept draft tokens at different rates. Both sides pool every "
            "framework measured on this GPU, so a gap at matched interactivity can come from the engines as much as "
            "from speculative decoding itself. Compare across engines with care.", color="info", className="small")
    elif state.kind == "gpu":
        caveat = dbc.Alert("Each side pools every framework, deployment mode and speculative-decoding setting "
                           "measured on that GPU, so each side's frontier is the best configuration found at each "
                           "interactivity.", color="info", className="small")
    return html.Div([
        page_state(),
        html.Nav(dcc.Link("← All comparisons", href="/compare"), className="small mt-2"),
        html.H1(title, className="h3 mt-1", id=ids.COMPARISON_HEADER),
        html.P(intro, className="text-body-secondary"),
        caveat,
        url_notice(notices),
        control_panel(cat, model=state.model, models=models, seq=state.seq, seqs=list(available.seqs),
                      precisions=state.precisions, precision_choices=chart_precisions or list(state.precisions),
                      precision_locked=state.kind == "precision", metric=state.metric, x=state.x,
                      optimal=state.optimal, view_toggles=view_toggles,
                      targets_text=", ".join(_num(t) for t in state.targets), page=state.kind),
        chart_card(state.kind),
        html.Section([
            html.H2("At matched interactivity", className="h5"),
            html.P(id=ids.COMPARISON_PINNED, className="small text-body-secondary"),
            html.Div(id=ids.COMPARISON_TABLE, className="table-responsive"),
            html.Div(id=ids.COMPARISON_NARRATIVE, className="narrative"),
            html.P(html.A("These numbers as JSON", id=ids.COMPARISON_API_LINK, href="#"), className="small"),
        ], className="mb-4"),
        points_section(),
        methodology(),
    ])


def _num(t) -> str:
    return str(int(t)) if float(t).is_integer() else f"{t:g}"


def comparison_links(index, model: str | None = None) -> html.Div:
    groups = []
    models = [model] if model else index.catalog.models
    for m in models:
        items = index.comparisons_for(m)
        if not items:
            continue
        sections = []
        for kind, title in KIND_TITLES.items():
            links = [html.Li(dcc.Link(_link_text(index, a), href=a.spec.path + _default_query(a)))
                     for a in items if a.spec.kind == kind]
            if links:
                sections.append(dbc.Col([html.H3(title, className="h6"), html.Ul(links, className="small")], md=4))
        groups.append(html.Section([html.H2(index.reference.model_label(m), className="h5 mt-3"),
                                    dbc.Row(sections, className="mx-0")]))
    return html.Div(groups or [html.P("The loaded data supports no comparison yet.")])


def _default_query(available) -> str:
    return "?seq=" + ("1k1k" if "1k1k" in available.seqs else available.seqs[0])


def _link_text(index, available) -> str:
    spec = available.spec
    ref = index.reference
    seqs = ", ".join(sequence_label(s) for s in available.seqs)
    if spec.kind == "spec-decode":
        text = f"{ref.gpu_label(spec.gpu_a)} {spec.precision_a.upper()}: MTP vs Off"
    elif spec.kind == "gpu":
        text = f"{ref.gpu_label(spec.gpu_a)} vs {ref.gpu_label(spec.gpu_b)}"
    else:
        text = f"{ref.gpu_label(spec.gpu_a)}: {spec.precision_a.upper()} vs {spec.precision_b.upper()}"
    return f"{text} ({seqs})"


def compare_index_page(index) -> html.Div:
    return html.Div([
        html.H1("Comparisons", className="h3 mt-2"),
        html.P("Every comparison the loaded data supports, generated from it: speculative decoding on a GPU, one GPU "
               "against another, and one precision against another. Each page reads both sides at matched "
               "interactivity.", className="text-body-secondary"),
        comparison_links(index),
    ])


def not_found_page(index, path: str, model: str | None = None) -> html.Div:
    return html.Div([
        html.H1("Comparison not found", className="h3 mt-2"),
        dbc.Alert([
            "Nothing is available at ", html.Code(path), ". The model, GPU or precision in the address is unknown, "
            "or the loaded data has no points for one side of that comparison.",
        ], color="warning"),
        html.P([dcc.Link("Back to the explorer", href="/"), " · ", dcc.Link("All comparisons", href="/compare")]),
        html.H2("Comparisons that exist" + (f" for {index.reference.model_label(model)}" if model else ""),
                className="h5"),
        comparison_links(index, model),
    ], className="not-found")
