"""The page shell: navigation, theme switch, data notices, footer."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from frontier.problems import summarise

from . import ids


def navbar() -> dbc.Navbar:
    return dbc.Navbar(
        dbc.Container([
            dcc.Link(html.Span([html.Span("◢ ", className="brand-mark"), "Inference Frontier"]), href="/",
                     className="navbar-brand"),
            dbc.Nav([
                dbc.NavItem(dcc.Link("Explorer", href="/", className="nav-link")),
                dbc.NavItem(dcc.Link("Comparisons", href="/compare", className="nav-link")),
                dbc.NavItem(dcc.Link("Calculator", href="/calculator", className="nav-link")),
                dbc.NavItem(dcc.Link("History", href="/history", className="nav-link")),
                dbc.NavItem(dcc.Link("Methodology", href="/methodology", className="nav-link")),
            ], className="me-auto flex-row flex-wrap gap-3", navbar=True),
            html.Div([
                dbc.Switch(id=ids.THEME_SWITCH, label="Dark", value=False, className="mb-0 text-body"),
            ], className="d-flex align-items-center"),
        ], fluid=True, className="flex-wrap"),
        color=None, dark=False,
        className="mb-3 border-bottom app-navbar",
    )


def data_notice(problems) -> html.Div:
    """Loading problems, visible on every page; details fold away so they never crowd it."""
    if not problems:
        return html.Div(id=ids.DATA_NOTICE)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    head = []
    if errors:
        head.append(f"{len(errors)} record(s) or file(s) could not be loaded and were left out")
    if warnings:
        head.append(f"{len(warnings)} warning(s)")
    lines = summarise(errors) + summarise(warnings)
    return html.Div(
        dbc.Alert([
            html.Strong("Data notice: "), "; ".join(head) + ". Everything else loaded normally.",
            html.Details([html.Summary("Details"), html.Ul([html.Li(line) for line in lines], className="mb-0 small")]),
        ], color="danger" if errors else "warning", className="py-2"),
        id=ids.DATA_NOTICE,
    )


def revision_text(dataset) -> str:
    if not dataset.revision:
        return ""
    pinned = f" (pinned by the link's rev=; the latest is {dataset.pinned_from})" if dataset.pinned_from else ""
    return f" Data revision {dataset.revision}{pinned}."


def footer(dataset) -> html.Footer:
    return html.Footer(
        dbc.Container([
            html.Hr(),
            html.P([
                "Benchmark results: SemiAnalysis InferenceX (inferencex.semianalysis.com; GPL-3.0 app fixtures, "
                "Apache-2.0 runner). Qwen 3.5 B300 points are a reconstructed fixture, not measurements. See ",
                html.Code("data/SOURCES.md"), f". Loaded {len(dataset.points):,} measurements from "
                f"{len(dataset.files)} file(s); {len(dataset.latest):,} are the latest of their configuration."
                + revision_text(dataset),
            ], className="small text-body-secondary"),
        ], fluid=True),
        className="mt-4",
    )


def shell(dataset, page=None, title: str | None = None, address: tuple[str, str] | None = None,
          extra_problems=()) -> html.Div:
    """``page``: content already rendered for ``address`` (pathname, search) on a first load.
    The address is then also given to the Location, which so finds nothing to report when it
    mounts: the routing callback is not called at all. ``extra_problems``: why the data served
    may be out of date (a failed reload), listed with the data's own problems."""
    where = {"pathname": address[0], "search": address[1]} if address else {}
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False, **where),
        dcc.Store(id=ids.THEME, storage_type="local"),
        dcc.Store(id=ids.RENDERED, data="".join(address) if address else None),
        html.Div(title, id=ids.PAGE_TITLE, style={"display": "none"}),
        dbc.Toast(id=ids.ERROR_TOAST, header="Something went wrong", is_open=False, dismissable=True, duration=12000,
                  icon="danger", className="error-toast", style={"position": "fixed", "top": 70, "right": 16,
                                                                 "zIndex": 2000, "maxWidth": 420}),
        navbar(),
        dbc.Container([data_notice(list(dataset.problems) + list(extra_problems)), html.Main(page, id=ids.PAGE)],
                      fluid=True, className="app-main"),
        footer(dataset),
    ], className="dbc")
