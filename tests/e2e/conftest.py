"""Browser-test guard: besides console errors (the ``page`` fixture), a browser test fails when
the server logged an error while it ran, e.g. a callback that raised (the app turns those
into a log record and a toast, so the page alone may look fine)."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture(autouse=True)
def no_server_errors(request, caplog):
    caplog.set_level(logging.ERROR)
    yield
    if request.node.get_closest_marker("xfail"):
        return  # a known bug is allowed to log its error
    errors = [f"{r.name}: {r.getMessage()}" for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    assert errors == [], f"the server logged errors during the test: {errors}"
