"""POST /api/v1/results: tokens, size limit, body kinds, the report, both stores; and the
handler mounted on a real Flask app the way the app will mount it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from frontier.http_ingest import authorised, handle_ingest, uploads_from_body
from frontier.stores import FolderStore

from .conftest import REPO, SEED_DIR
from .helpers import agg_records

TOKEN = "s3cret-token-for-tests"
GOOD = f"Bearer {TOKEN}"
RAW_DIR = REPO / "tests" / "fixtures" / "runner" / "raw_benchmark_serving"


@pytest.fixture
def seed_json() -> bytes:
    return json.dumps(agg_records(SEED_DIR / "agg_bmk.json")).encode()


@pytest.fixture
def folder_store(empty_data_dir):
    return FolderStore(empty_data_dir)


def post(store, body, content_type="application/json", authorization=GOOD, token=TOKEN, max_bytes=1 << 20, **kw):
    return handle_ingest(authorization, content_type, body, token=token, store=store, max_bytes=max_bytes, **kw)


class Untouchable(io.RawIOBase):
    """A request body that must not be read (the request is refused before)."""

    def read(self, n=-1):
        raise AssertionError("the body was read")


def test_no_token_configured_means_ingest_is_off(folder_store, seed_json):
    status, payload, _ = post(folder_store, seed_json, token=None)
    assert status == 404 and "FRONTIER_INGEST_TOKEN" in payload["error"] and not payload["ok"]
    assert folder_store.load().points.empty


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x",
                                           TOKEN])
def test_a_bad_or_missing_token_is_401_and_the_body_is_not_read(folder_store, authorization):
    status, payload, headers = post(folder_store, Untouchable(), authorization=authorization)
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    assert "bearer token" in payload["error"] and payload["revision"] == folder_store.revision()
    assert folder_store.load().points.empty


def test_token_comparison():
    assert authorised(f"Bearer {TOKEN}", TOKEN) and authorised(f"bearer   {TOKEN} ", TOKEN)
    assert not authorised(f"Bearer {TOKEN[:-1]}", TOKEN) and not authorised("Bearer ", TOKEN)
    assert authorised("Bearer ünï", "ünï")


def test_good_token_json_body_is_ingested_with_the_report(folder_store, seed_json):
    status, payload, headers = post(folder_store, seed_json, query={"source": ["ci run 42"]})
    assert status == 200 and payload["ok"] and payload["added"] == 27 and payload["batch"] == 1
    assert payload["revision"] == folder_store.revision() == headers["X-Frontier-Revision"]
    assert payload["source"] == "http: ci run 42" and payload["files"] == ["request.json"]
    assert any(line.startswith("Added: 27 records") for line in payload["report"])
    again = post(folder_store, seed_json)
    assert again[0] == 200 and again[1]["added"] == 0 and again[1]["duplicates_existing"] == 27


def test_oversized_bodies_are_413(folder_store, seed_json):
    status, payload, _ = post(folder_store, Untouchable(), max_bytes=1000, content_length=len(seed_json))
    assert status == 413 and "over the limit of 1000 bytes" in payload["error"]
    # no Content-Length (chunked): the stream is read to one byte past the limit, no further
    stream = io.BytesIO(seed_json)
    status, _, _ = post(folder_store, stream, max_bytes=1000)
    assert status == 413 and stream.tell() == 1001
    assert post(folder_store, seed_json, max_bytes=len(seed_json))[0] == 200  # exactly at the limit is fine


def test_zip_and_multipart_bodies(folder_store, seed_json):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("artifacts/agg_bmk.json", seed_json)
    status, payload, _ = post(folder_store, buf.getvalue(), content_type="application/zip")
    assert status == 200 and payload["added"] == 27

    records = agg_records(SEED_DIR / "agg_bmk.json")
    later = json.dumps([dict(r, date="2031-05-05") for r in records[:4]]).encode()
    body, ctype = multipart({"file": ("later.json", later), "note": (None, b"hello"),
                             "file2": ("again.json", seed_json)})
    status, payload, _ = post(folder_store, body, content_type=ctype)
    assert status == 200 and payload["files"] == ["later.json", "again.json"]
    assert (payload["added"], payload["duplicates_existing"]) == (4, 27)


def test_unusable_bodies_get_specific_answers(folder_store):
    status, payload, _ = post(folder_store, b'[{"hw": "b300", "conc": ', content_type="application/json")
    assert status == 422 and not payload["ok"]
    assert payload["errors"][0]["message"].startswith("malformed JSON at line 1")
    assert post(folder_store, b"hello", content_type="text/plain")[0] == 415
    assert post(folder_store, b"", content_type="application/json")[0] == 400
    body, ctype = multipart({"note": (None, b"no file here")})
    status, payload, _ = post(folder_store, body, content_type=ctype)
    assert status == 400 and "holds no file" in payload["error"]
    status, payload, _ = post(folder_store, b"{}", query={"colour": ["red"]})
    assert status == 400 and "parameter colour: unknown setting" in payload["error"]


def test_raw_results_with_settings_in_the_query(folder_store):
    path = next(RAW_DIR.rglob("*.json"))
    body, ctype = multipart({"file": (path.name, path.read_bytes())})
    query = {"gpu": ["mi355x"], "model": ["gptoss120b"], "framework": ["vllm"], "precision": ["fp4"],
             "seq": ["1k1k"], "tp": ["8"]}
    status, payload, _ = post(folder_store, body, content_type=ctype, query=query)
    assert status == 200 and payload["added"] == 1, payload["report"]


def test_strict_and_dry_run_parameters(folder_store):
    records = agg_records(SEED_DIR / "agg_bmk.json")
    records[0] = dict(records[0], conc="many")
    body = json.dumps(records).encode()
    status, payload, _ = post(folder_store, body, query={"strict": ["1"]})
    assert status == 422 and "--strict" in payload["reason"] and payload["errors"][0]["field"] == "conc"
    status, payload, _ = post(folder_store, body, query={"dry_run": ["1"]})
    assert status == 200 and payload["dry_run"] and payload["added"] == 26 and payload["batch"] is None
    assert folder_store.load().points.empty


def test_http_ingest_into_postgres(pg_url, seed_json):
    from frontier.pgstore import PostgresStore

    store = PostgresStore(pg_url)
    status, payload, headers = post(store, seed_json, query={"source": ["gha 7"]})
    assert status == 200 and payload["added"] == 27 and payload["revision"] == "1" == headers["X-Frontier-Revision"]
    assert store.batches()[0].source == "http: gha 7"
    assert post(store, Untouchable(), authorization="Bearer nope")[0] == 401
    assert post(store, seed_json, max_bytes=10)[0] == 413
    assert store.revision() == "1" and len(store.load().points) == 27


def test_database_down_is_503_and_nothing_written(seed_json):
    from frontier.pgstore import PostgresStore

    store = PostgresStore("postgresql://nobody@127.0.0.1:1/none", connect_timeout=2)
    status, payload, _ = post(store, seed_json)
    assert status == 503 and "cannot connect" in payload["error"] and "nothing was written" in payload["error"]


def test_mounted_on_a_flask_app(folder_store, seed_json):
    """The registration the app will use (five lines), through Werkzeug's request parsing."""
    import flask

    server = flask.Flask("t")

    @server.post("/api/v1/results")
    def upload_results():
        status, payload, headers = handle_ingest(
            flask.request.headers.get("Authorization"), flask.request.content_type, flask.request.stream,
            token=TOKEN, store=folder_store, max_bytes=1 << 20, content_length=flask.request.content_length,
            query=flask.request.args.to_dict(flat=False), remote=flask.request.remote_addr or "")
        return flask.jsonify(payload), status, headers

    client = server.test_client()
    r = client.post("/api/v1/results?source=ci", data=seed_json, content_type="application/json",
                    headers={"Authorization": GOOD})
    assert r.status_code == 200 and r.json["added"] == 27 and r.headers["X-Frontier-Revision"] == r.json["revision"]
    r = client.post("/api/v1/results", data={"file": (io.BytesIO(seed_json), "agg_bmk.json")},
                    content_type="multipart/form-data", headers={"Authorization": GOOD})
    assert r.status_code == 200 and r.json["duplicates_existing"] == 27 and r.json["files"] == ["agg_bmk.json"]
    r = client.post("/api/v1/results", data=seed_json, content_type="application/json",
                    headers={"Authorization": "Bearer bad"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    r = client.post("/api/v1/results", data=b"x" * (2 << 20), content_type="application/json",
                    headers={"Authorization": GOOD})
    assert r.status_code == 413


def multipart(fields: dict) -> tuple[bytes, str]:
    """A multipart/form-data body as curl -F builds it: name -> (filename or None, bytes)."""
    boundary = "----frontier-test-boundary"
    out = io.BytesIO()
    for name, (filename, data) in fields.items():
        out.write(f"--{boundary}\r\n".encode())
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out.write(f"Content-Disposition: {disposition}\r\n".encode())
        if filename:
            out.write(b"Content-Type: application/octet-stream\r\n")
        out.write(b"\r\n" + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def test_uploads_named_by_content():
    (zipped,) = uploads_from_body("application/octet-stream", b"PK\x03\x04rest")
    assert zipped.name == "upload.zip"
    body, ctype = multipart({"f": ("../../etc/agg.json", b"[]"), "g": ("noext", b"PK\x03\x04")})
    assert [u.name for u in uploads_from_body(ctype, body)] == ["agg.json", "noext.zip"]
