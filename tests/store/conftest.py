"""Fixtures for the results-store tests: a real PostgreSQL server, a fresh database per test.

The server is the one named by FRONTIER_TEST_DATABASE_URL (``bash .ci/run`` starts one and
sets it); without it, one is started here for the session when Debian's initdb is installed
(tests/store/pgserver.py), and the PostgreSQL tests are skipped, with the reason, otherwise.
Under CI (CI=true) a missing server fails instead of skipping."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from .pgserver import TempPostgres, create_database, drop_database, find_bindir

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
BENCHMARKS = DATA / "benchmarks"
SEED_DIR = BENCHMARKS / "qwen35-b300-fp4-1k1k"
API_DIR = BENCHMARKS / "inferencex"
RUNNER_AGG = REPO / "tests" / "fixtures" / "runner" / "agg"


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_admin_url():
    """URL of a database with the right to CREATE DATABASE on the test server."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -r requirements.txt)")
    url = os.environ.get("FRONTIER_TEST_DATABASE_URL")
    if url:
        yield url
        return
    if find_bindir() is None:
        _unavailable("no PostgreSQL server: set FRONTIER_TEST_DATABASE_URL or apt-get install -y postgresql "
                     "(bash .ci/run does both)")
    server = TempPostgres().start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def make_pg_url(pg_admin_url):
    """``make_pg_url()`` -> URL of a fresh empty database, dropped after the test."""
    made = []

    def make() -> str:
        name = f"frontier_test_{uuid.uuid4().hex[:10]}"
        made.append(name)
        return create_database(pg_admin_url, name)

    yield make
    for name in made:
        drop_database(pg_admin_url, name)


@pytest.fixture
def pg_url(make_pg_url) -> str:
    return make_pg_url()


@pytest.fixture
def empty_data_dir(tmp_path) -> Path:
    """A data folder with the bundled reference tables and no results."""
    d = tmp_path / "data"
    d.mkdir()
    for name in ("hardware.csv", "models.csv"):
        shutil.copy(DATA / name, d / name)
    return d


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "bundled"
    shutil.copytree(DATA, target)
    return target
