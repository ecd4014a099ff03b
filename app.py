"""Inference Frontier: a dashboard of LLM-inference benchmark results.

    python app.py [--host H] [--port N] [--data-dir DIR] [--cache-dir DIR] [--database-url URL] [--debug]

The same settings come from HOST, PORT, FRONTIER_DATA_DIR and FRONTIER_CACHE_DIR, which is
how gunicorn is configured: ``gunicorn 'app:create_server()'``. Importing this module builds
nothing; ``create_app`` loads the data and builds an app."""

from __future__ import annotations

import argparse
import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

import dash
from dash._utils import to_json
from flask import g, has_request_context, make_response, redirect, request
from flask_compress import Compress
from werkzeug.serving import WSGIRequestHandler

from callbacks import hardening, register_all, transfer
from callbacks.hardening import nonce, request_address
from components import ids
from components.layout import shell
from frontier.dataset import BUNDLED_DATA_DIR, Dataset
from frontier.evaluations import load_evaluations
from frontier.live import LiveData
from frontier.problems import summarise
from frontier.routes import canonical_address, preset_address
from frontier.settings import Settings, from_env
from frontier.stores import open_store
from frontier.views import Index
from presenters import first_paint
from presenters.pageview import page_view

log = logging.getLogger("frontier")
ASSETS = Path(__file__).resolve().parent / "assets"
INTERNAL_PREFIXES = ("/_dash", "/_frontier/", "/_reload", "/_favicon", "/assets/", "/api/", "/health", "/favicon")


@dataclass
class AppContext:
    """What every request reads: the settings and the live data. A request takes one snapshot
    (``g.snapshot``) and uses it throughout, so a reload swapped in meanwhile never mixes two
    datasets in one answer."""

    settings: Settings
    live: LiveData

    def snapshot(self):
        if has_request_context():
            if "snapshot" not in g:
                g.snapshot = self.live.current()
            return g.snapshot
        return self.live.current()

    @property
    def index(self) -> Index:
        return self.snapshot().derived

    @property
    def dataset(self) -> Dataset:
        return self.snapshot().dataset

    def problems(self) -> list:
        """Everything the page notice lists: the data's own problems and the others."""
        return list(self.dataset.problems) + self.other_problems()

    def other_problems(self) -> list:
        """Besides the data's own problems: unreadable evaluations, a failed reload."""
        return self.index.evaluation_problems + self.live.problems()


def report_callback_error(err: Exception):
    """Any unexpected callback failure: logged in full on the server, a short note in the page."""
    log.exception("callback failed: %s", err, exc_info=err)
    dash.set_props(ids.ERROR_TOAST, {"is_open": True, "children": "This view could not be updated. The other "
                                     "controls still work; the server log has the details."})
    return None


# Dash ships @babel/polyfill (core-js) for old browsers. Current browsers need none of it, and
# it costs ~0.2 s of script time on every first load and slows String.prototype.trim on every
# update (bench/README.md). The one global it provides that Dash's bundles use,
# regeneratorRuntime, is also defined by dash-bootstrap-components' bundle.
POLYFILL_SCRIPT = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\s*')
# Dash registers dash_table with every app; no page here has a DataTable, so its bundle is not
# sent (33 KB of script evaluated before the first chart).
UNUSED_SCRIPTS = (POLYFILL_SCRIPT, re.compile(r'<script src="[^"]*/dash_table/bundle[^"]*"></script>\s*'))


def without_unused_scripts(scripts: str) -> str:
    for unused in UNUSED_SCRIPTS:
        scripts = unused.sub("", scripts)
    return scripts


# Plotly, app.js, points_table.js and first_paint.js run first: the page's picture
# (presenters/first_paint.py) gets its charts drawn before anything else is evaluated. The other
# scripts (React, Dash's renderer and components, the rest of ours) are held in a <template>
# (inert: not fetched, not run) and asked for only once the picture's chart is drawn, in order,
# after which Dash's renderer starts: fetched and compiled earlier, they cost the picture's chart
# ~65 ms of a 2-core machine (bench/README.md), and they are not needed any sooner.
FIRST_SCRIPTS = ("/assets/vendor/plotly-", "/assets/app.js", "/assets/points_table.js", "/assets/first_paint.js")
SCRIPT_TAG = re.compile(r'<script src="[^"]*"></script>\s*')

# Dash's renderer script, run once the held scripts have arrived (HELD_ID: the template's id,
# DASH_START: Dash's own code)
START_AFTER_HELD = (
    '(function () { var held = document.getElementById(HELD_ID).content.querySelectorAll("script"), last = null;'
    ' Array.prototype.forEach.call(held, function (tag) { last = document.createElement("script");'
    ' last.src = tag.getAttribute("src"); last.async = false; document.body.appendChild(last); });'
    ' function start() { DASH_START }'
    ' if (last) { last.addEventListener("load", start); } else { start(); } })();')


def split_scripts(scripts: str) -> tuple[str, str]:
    """(the picture's scripts, first asked for; every other script tag, in Dash's order)."""
    tags = SCRIPT_TAG.findall(scripts)
    first = [tag for prefix in FIRST_SCRIPTS for tag in tags if prefix in tag]
    later = [tag for tag in tags if tag not in first]
    if SCRIPT_TAG.sub("", scripts).strip():
        return "", scripts  # something Dash wrote that is not a plain script tag: hold nothing back
    return "".join(tag.replace('"></script>', '" fetchpriority="high"></script>', 1) for tag in first), "".join(later)


def held_then_dash(renderer: str, script_nonce: str) -> str | None:
    """Dash's renderer script, made to load the held scripts first and start Dash after them
    (None: not the form this was written for, so nothing may be held back)."""
    code = re.fullmatch(r'\s*<script id="_dash-renderer" type="application/javascript">(.*)</script>\s*', renderer,
                        re.S)
    if code is None:
        return None
    loader = START_AFTER_HELD.replace("HELD_ID", json.dumps(ids.HELD_SCRIPTS)).replace("DASH_START", code.group(1))
    return f'<script nonce="{script_nonce}" id="_dash-renderer" type="application/javascript">{loader}</script>'


def theme_script(script_nonce: str) -> str:
    """Sets the reader's stored theme before anything is painted (Dash's store keeps it as JSON)."""
    key = json.dumps(ids.THEME)
    return (f'<script nonce="{script_nonce}">try {{ var t = JSON.parse(localStorage.getItem({key})); '
            'if (t === "dark" || t === "light") { document.documentElement.setAttribute("data-bs-theme", t); } '
            '} catch (e) {}</script>')


# dcc loads the code of its Graph and Dropdown on demand, once the page's layout has arrived;
# every page shows both, so the browser may as well fetch them with the other scripts.
EARLY_CHUNKS = ("dcc/async-graph.js", "dcc/async-dropdown.js")


def inline_json(element_id: str, text: str) -> str:
    """JSON in a page, inert (never executed) and unable to close its element: every '<' is escaped."""
    return f'<script type="application/json" id="{element_id}">' + text.replace("<", "\\u003c") + "</script>"


# gzip / brotli for every text response: pages, layout and callback JSON, scripts, CSV exports
COMPRESSED_TYPES = ["text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
                    "application/json", "image/svg+xml"]


class FrontierDash(dash.Dash):
    """Dash with the first view in the page itself: the HTML for an address carries that
    address's layout and the callback list, which assets/first_view.js hands to Dash's renderer
    instead of fetching them, so the page draws from its own URL (whatever the Referer policy)
    with no further round trip; and a picture of the page (presenters/first_paint.py) painted
    before Dash starts. ``first_view(pathname, search)`` is set by create_app."""

    first_view = None

    def interpolate_index(self, **kwargs):
        script_nonce = nonce()
        # the ids assets/*.js read, before any script (components/ids.py browser_ids)
        scripts = without_unused_scripts(kwargs["scripts"])
        first, later = split_scripts(scripts)
        renderer = held_then_dash(kwargs["renderer"], script_nonce) if first else None
        if renderer is None:  # Dash's scripts and renderer as Dash wrote them
            renderer = kwargs["renderer"].replace("<script ", f'<script nonce="{script_nonce}" ', 1)
        else:
            scripts = first + f'<template id="{ids.HELD_SCRIPTS}">{later}</template>'
        kwargs["scripts"] = (f'<script nonce="{script_nonce}">window.FRONTIER_IDS = {ids.browser_ids()}; '
                             f'window.FRONTIER_PATHS = {ids.browser_paths()};</script>' + scripts)
        kwargs["renderer"] = renderer
        kwargs["css"] = theme_script(script_nonce) + kwargs["css"] + "".join(
            f'<link rel="preload" as="script" href="{self.get_relative_path("/_dash-component-suites/dash/" + chunk)}">'
            for chunk in EARLY_CHUNKS)
        if self.first_view is not None and has_request_context():
            pathname, _, search = request_address().partition("?")
            layout, picture = self.first_view(pathname, f"?{search}" if search else "")
            kwargs["app_entry"] = picture + kwargs["app_entry"]
            kwargs["config"] += (inline_json(ids.FIRST_LAYOUT, layout)
                                 + inline_json(ids.FIRST_DEPENDENCIES, to_json(self._callback_list)))
        return super().interpolate_index(**kwargs)


def create_app(settings: Settings | None = None) -> dash.Dash:
    settings = settings or from_env()
    started = time.perf_counter()
    store = open_store(settings)
    live: LiveData | None = None

    def index_of(dataset: Dataset) -> Index:
        # every Index can reach the same data at an earlier revision (rev= links); the accuracy
        # evaluations are read again with every load, from the folder of the reference tables
        problems: list = []
        evaluations = load_evaluations(Path(settings.data_dir), dataset.reference, BUNDLED_DATA_DIR, problems)
        return Index(dataset, revisions=lambda rev: getattr(live.at_revision(rev), "derived", None),
                     evaluations=evaluations, evaluation_problems=problems)

    live = LiveData(store, derive=index_of, interval=settings.poll_interval)
    context = AppContext(settings, live)
    dataset = context.dataset
    for line in summarise(dataset.problems):
        log.warning("data: %s", line)
    app = FrontierDash(
        __name__,
        title="Inference Frontier",
        update_title=None,
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,  # pages are rendered by a routing callback
        health_endpoint="health",
        on_error=report_callback_error,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description", "content": "Pareto frontiers of LLM-inference throughput, cost and "
                                                      "interactivity across GPUs, engines and configurations."}],
    )
    def first_view(pathname: str, search: str) -> tuple[str, str]:
        """A page's layout JSON, rendered for its address, and its picture (presenters/first_paint.py),
        memoised with the dataset's views."""
        def render():
            view = page_view(context.index, pathname, search)
            tree = shell(view.index.dataset, view.layout(), view.title, (pathname, search), context.other_problems())
            return to_json(tree), first_paint.page(tree)
        return context.index.memo.get(("first-view", pathname, search, tuple(map(str, context.live.problems()))),
                                      render)

    # A layout asked for by itself (a page's inline copy is used first) is the shell; the
    # routing callback then renders the page for the browser's address.
    app.layout = lambda: shell(context.dataset, extra_problems=context.other_problems())
    app.first_view = first_view
    register_all(app, context)
    hardening.register(app)
    app.server.config["FRONTIER_CONTEXT"] = context

    @app.server.before_request
    def page_status():
        # A page typed in another spelling moves permanently to its canonical address; an
        # unknown page still renders (with links to what exists) but answers 404 for scripts.
        path = request.path
        if request.method != "GET" or path.startswith(INTERNAL_PREFIXES):
            return None
        search = request.query_string.decode("utf-8", "replace")
        moved = canonical_address(context.index, path, search)
        if moved is not None:
            return redirect(moved, code=308)
        preset = preset_address(context.index, path, search)
        if preset is not None:  # a curated view lives at its own address (which follows the data: not permanent)
            return redirect(preset, code=302)
        if page_view(context.index, path, search).status == 404:
            return make_response(app.index(), 404)
        return None

    app.server.config["COMPRESS_MIMETYPES"] = COMPRESSED_TYPES
    transfer.register(app.server, Compress(app.server))  # scripts and stylesheets compressed once
    # Dash registers its script paths on the first request, and a second request arriving while
    # that runs finds it marked done but not done (500s on a fresh worker): do it now, once.
    with app.server.test_request_context("/"):
        app._setup_server()
    log.info("loaded %d points (%d latest) from %s, revision %s, in %.2fs", len(dataset.points), len(dataset.latest),
             store.describe(), dataset.revision or "-", time.perf_counter() - started)
    return app


class QuietHandler(WSGIRequestHandler):
    """The development server without its version banner (``Server: Werkzeug/x Python/y``)."""

    def version_string(self) -> str:
        return "Inference-Frontier"


def create_server(settings: Settings | None = None):
    """The WSGI app for gunicorn: ``gunicorn 'app:create_server()'``."""
    return create_app(settings).server


def parse_args(argv=None) -> Settings:
    parser = argparse.ArgumentParser(description="Serve the Inference Frontier dashboard.")
    parser.add_argument("--host", help="interface to bind (default 127.0.0.1, env HOST)")
    parser.add_argument("--port", type=int, help="port (default 8050, env PORT)")
    parser.add_argument("--data-dir", help="folder of benchmark results to serve (default: bundled data/, env FRONTIER_DATA_DIR)")
    parser.add_argument("--cache-dir", help="cache folder (default: .frontier-cache beside the data; 'off' disables)")
    parser.add_argument("--database-url", help="serve results from PostgreSQL (env FRONTIER_DATABASE_URL); the data "
                                               "folder then only supplies hardware.csv/models.csv")
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (development only)")
    args = parser.parse_args(argv)
    return from_env(host=args.host, port=args.port, data_dir=args.data_dir, cache_dir=args.cache_dir, debug=args.debug,
                    database_url=args.database_url)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    cli_settings = parse_args()
    app = create_app(cli_settings)
    print(f"Inference Frontier: open http://{cli_settings.host}:{cli_settings.port}/ in a browser", flush=True)
    app.run(host=cli_settings.host, port=cli_settings.port, debug=cli_settings.debug, request_handler=QuietHandler)
