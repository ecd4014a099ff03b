"""Shared fixtures: an app factory, a live server in a thread, and headless Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = ROOT / "tests" / "fixtures"
CHROMIUM = os.environ.get("FRONTIER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the bundled data folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def make_app(data_dir: Path | None = None, cache_dir: Path | None = None):
    from app import create_app
    from frontier.settings import Settings

    return create_app(Settings(data_dir=Path(data_dir or DATA), cache_dir=cache_dir))


class LiveServer:
    def __init__(self, app):
        from werkzeug.serving import make_server

        self.app = app
        self.server = make_server("127.0.0.1", 0, app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server():
    """The app on the bundled data, served for the whole session."""
    server = LiveServer(make_app())
    yield server
    server.stop()


@pytest.fixture
def serve():
    """Start extra servers (e.g. on a temporary data folder); stopped after the test."""
    servers = []

    def _start(app):
        s = LiveServer(app)
        servers.append(s)
        return s

    yield _start
    for s in servers:
        s.stop()


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (bash .ci/run does)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(browser, bypass_csp: bool):
    context = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True, bypass_csp=bypass_csp)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(e.stack or str(e)))  # with where it was thrown
    pg.console_errors = errors
    return context, pg


@pytest.fixture
def page(browser):
    """A fresh browser page; console errors and page errors fail the test at teardown.
    Playwright evaluates string predicates (wait_for_function) with eval, which the app's
    Content-Security-Policy forbids, so these pages bypass it; ``strict_page`` does not."""
    context, pg = _page(browser, bypass_csp=True)
    yield pg
    context.close()
    assert pg.console_errors == [], f"console errors: {pg.console_errors}"


@pytest.fixture
def strict_page(browser):
    """A page under the app's own Content-Security-Policy: any violation is a console error."""
    context, pg = _page(browser, bypass_csp=False)
    yield pg
    context.close()
    assert pg.console_errors == [], f"console errors: {pg.console_errors}"
