"""The results store inside the running app (issue 11): the same numbers from PostgreSQL as from
the bundled files, live reload of the folder store, HTTP ingest, revision-pinned links."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from urllib.parse import quote

import pytest

from app import create_app
from frontier.pgstore import PostgresStore
from frontier.settings import Settings

from .conftest import API_DIR, DATA, REPO, SEED_DIR

TOKEN = "ci-token-0123456789"
COMPARISONS = ["/api/v1/compare/spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k",
               "/api/v1/compare/gpu/dsr1-h200-vs-b200?seq=1k1k&precision=fp8",
               "/api/v1/compare/precision/dsr1-b200-fp4-vs-fp8?seq=8k1k",
               "/api/v1/compare/spec-decode/dsr1-b200-fp4-mtp-vs-off?seq=1k8k"]


def numbers(client, path) -> dict:
    r = client.get(path)
    assert r.status_code == 200, r.data[:300]
    body = r.get_json()
    return {k: body[k] for k in ("band", "targets", "table", "narrative")}


STARTED = []


@pytest.fixture(autouse=True)
def stop_pollers():
    """Each app polls its store; stop them with the test (its database is dropped after it)."""
    yield
    while STARTED:
        STARTED.pop().server.config["FRONTIER_CONTEXT"].live.stop()


def app_on(tmp_path, **settings):
    app = create_app(Settings(cache_dir=tmp_path / "cache", poll_interval=0.3, **settings))
    STARTED.append(app)
    return app


def wait_until(check, timeout=15.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return time.time()
        time.sleep(0.2)
    raise AssertionError("not within %.0f s" % timeout)


def test_a_database_serves_the_same_comparison_numbers_as_the_bundled_files(pg_url, empty_data_dir, tmp_path):
    PostgresStore(pg_url).ingest([API_DIR, SEED_DIR])
    from_db = app_on(tmp_path, database_url=pg_url, data_dir=empty_data_dir).server.test_client()
    from_files = app_on(tmp_path / "f", data_dir=DATA).server.test_client()
    for path in COMPARISONS:
        assert numbers(from_db, path) == numbers(from_files, path), path
    assert from_db.get("/api/v1/comparisons").get_json() == from_files.get("/api/v1/comparisons").get_json()
    assert from_db.get("/").headers["X-Frontier-Revision"] == "1"  # one batch so far


def test_an_ingest_into_the_served_folder_shows_up_without_a_restart(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("qwen35-b300-fp4-1k1k"))
    client = app_on(tmp_path, data_dir=data).server.test_client()
    seed = "/api/v1/compare/spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"
    assert client.get(seed).status_code == 404  # not there yet
    before = client.get("/").headers["X-Frontier-Revision"]
    started = time.time()
    subprocess.run([sys.executable, "-m", "frontier", "ingest", str(SEED_DIR / "agg_bmk.json"), "--data-dir", str(data)],
                   cwd=REPO, check=True, capture_output=True, timeout=120)
    seen = wait_until(lambda: client.get(seed).status_code == 200)
    assert seen - started < 15
    assert client.get("/").headers["X-Frontier-Revision"] != before
    assert "4729.0" in json.dumps(client.get(seed).get_json()["table"])


def post_results(client, body: bytes, token: str | None = TOKEN, content_type="application/json"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/results?source=ci-job-7", data=body, headers=headers, content_type=content_type)


@pytest.mark.parametrize("store", ["folder", "postgres"])
def test_http_ingest_adds_a_batch_that_is_served_and_rev_links_keep_the_old_numbers(store, tmp_path, request,
                                                                                    empty_data_dir):
    if store == "postgres":
        url = request.getfixturevalue("pg_url")
        PostgresStore(url).ingest([API_DIR])
        app = app_on(tmp_path, database_url=url, data_dir=empty_data_dir, ingest_token=TOKEN)
    else:
        data = tmp_path / "results"
        shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("qwen35-b300-fp4-1k1k"))
        app = app_on(tmp_path, data_dir=data, ingest_token=TOKEN)
    client = app.server.test_client()
    old_rev = client.get("/").headers["X-Frontier-Revision"]
    gpu = "/api/v1/compare/gpu/dsr1-h200-vs-b200?seq=1k1k&precision=fp8"
    old = numbers(client, gpu)

    r = post_results(client, (SEED_DIR / "agg_bmk.json").read_bytes())
    assert r.status_code == 200, r.data
    report = r.get_json()
    assert report["added"] == 27 and report["ok"] and report["source"] == "http: ci-job-7"
    seed = "/api/v1/compare/spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"
    wait_until(lambda: client.get(seed).status_code == 200)
    new_rev = client.get("/").headers["X-Frontier-Revision"]
    assert new_rev != old_rev and client.get(seed).get_json()["revision"] == new_rev
    # the same upload again: every measurement a duplicate, nothing new
    again = post_results(client, (SEED_DIR / "agg_bmk.json").read_bytes()).get_json()
    assert again["added"] == 0 and again["duplicates"] == 27

    # a link pinned to the old revision keeps its numbers and says so
    pinned = client.get(f"{gpu}&rev={old_rev}")
    # (a folder's revision is "<batch>+<files hash>": the batch part is what a link pins)
    assert pinned.headers["X-Frontier-Revision"].split("+")[0] == old_rev.split("+")[0]
    assert numbers(client, f"{gpu}&rev={old_rev}") == old
    assert client.get(f"{seed}&rev={old_rev}").status_code == 404  # that comparison did not exist yet
    assert f"rev={quote(old_rev, safe='')}" in client.get(f"{gpu}&rev={old_rev}").get_json()["page"]
    page = client.get(f"/compare/dsr1-h200-vs-b200?seq=1k1k&precision=fp8&rev={old_rev}").get_data(as_text=True)
    assert f"Data revision {old_rev.split('+')[0]}" in page and "(pinned by the link" in page
    unknown = client.get(f"{gpu}&rev=999").get_json()
    assert any("rev='999'" in n for n in unknown["notices"]) and unknown["revision"] == new_rev


def test_http_ingest_refuses_without_the_right_token_or_past_the_size_limit(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    body = (SEED_DIR / "agg_bmk.json").read_bytes()
    closed = app_on(tmp_path, data_dir=data).server.test_client()  # no token configured: disabled
    assert post_results(closed, body).status_code == 404
    app = app_on(tmp_path / "c", data_dir=data, ingest_token=TOKEN, max_upload_bytes=4096)
    client = app.server.test_client()
    bad = post_results(client, body, token="wrong")
    assert bad.status_code == 401 and "WWW-Authenticate" in bad.headers
    assert post_results(client, body, token=None).status_code == 401
    big = post_results(client, body)  # 27 records: far past 4 KB
    assert big.status_code == 413 and "limit" in big.get_json()["error"]
    assert sorted(p.name for p in (data / "benchmarks").rglob("*.json")) == sorted(
        p.name for p in (DATA / "benchmarks").rglob("*.json"))  # nothing written
