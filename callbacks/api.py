"""JSON and CSV endpoints serving the same numbers as the pages (SPEC §6), from presenters/."""

from __future__ import annotations

import orjson
from flask import Response, g, redirect, request

from frontier.kinds import KINDS
from frontier.problems import by_file, sample, summarise
from frontier.http_ingest import handle_ingest
from frontier.routes import find_comparison, resolve
from presenters.chart import csv_export
from presenters.compare import comparison_payload
from presenters.decide import decision_payload


def _json(payload, status=200) -> Response:
    # orjson: several times faster than json for the history's thousands of rows (a NaN, which
    # no payload should hold, is written as null rather than as invalid JSON)
    return Response(orjson.dumps(payload, default=_default, option=orjson.OPT_SERIALIZE_NUMPY), status=status,
                    mimetype="application/json")


def _default(value):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _query() -> str:
    return request.query_string.decode("utf-8", "replace")


ENDPOINTS = [
    ("GET /api/v1/compare/<kind>/<slug>?seq=&precision=&targets=&provider=",
     "a comparison page's band, targets and every cell, unrounded and formatted"),
    ("GET /api/v1/comparisons", "every comparison the loaded data supports"),
    ("GET /api/v1/calculator?model=&seq=&precision=&target=&users=&maxcost=&by=&sort=&provider=",
     "the calculator's rows: one object per GPU (or series), every value unrounded and formatted"),
    ("GET /api/v1/history?model=&seq=&precision=&target=&gpus=&provider=",
     "each GPU's value at the target on every run date: one object per GPU and date"),
    ("GET /api/v1/presets", "the curated views the loaded data supports, each with its address"),
    ("GET /api/v1/points.csv?<explorer query>",
     "the explorer chart's points as CSV, the columns of Download CSV (hide= leaves series out)"),
    ("GET /api/v1/problems", "what could not be loaded, by file, record and field"),
    ("POST /api/v1/results (Authorization: Bearer $FRONTIER_INGEST_TOKEN)",
     "add benchmark results (JSON, a file upload or a zip); the ingest report"),
]
# Every response names the data revision it was computed from (also X-Frontier-Revision); any
# endpoint takes rev=<revision> to answer as of an earlier revision.


def register(app, context) -> None:
    server = app.server

    @server.after_request
    def name_the_revision(response):
        # the revision the answer was computed from: a pinned one when a handler used it
        revision = g.get("revision") or context.snapshot().revision
        if revision:
            response.headers["X-Frontier-Revision"] = revision
        return response

    def used(index):
        g.revision = index.revision
        return index

    @server.route("/api/v1")
    @server.route("/api/v1/")
    def api_index():
        return _json({"endpoints": [{"endpoint": e, "returns": r} for e, r in ENDPOINTS],
                      "kinds": list(KINDS), "revision": context.index.revision})

    @server.post("/api/v1/results")
    def api_results():
        settings = context.settings
        # its own size limit (413), applied only once the token is checked (401 first)
        request.max_content_length = None
        status, payload, headers = handle_ingest(
            request.headers.get("Authorization"), request.content_type, request.stream,
            token=settings.ingest_token, store=context.live.store, max_bytes=settings.max_upload_bytes,
            content_length=request.content_length, query=request.args.to_dict(flat=False),
            remote=request.remote_addr or "")
        if status == 200:
            context.live.poke()  # serve the new batch without waiting for the next poll
        response = _json(payload, status)
        response.headers.update(headers)
        return response

    @server.route("/api/v1/<path:rest>")
    def api_unknown(rest):
        return _json({"error": f"no API endpoint at /api/v1/{rest}", "see": "/api/v1"}, 404)

    @server.route("/api/v1/compare/<kind>/<slug>")
    def api_compare(kind, slug):
        available = find_comparison(context.index, KINDS[kind], slug) if kind in KINDS else None
        if available is not None and available.spec.slug != slug:  # another spelling of it
            return redirect(f"/api/v1/compare/{kind}/{available.spec.slug}" + (f"?{_query()}" if _query() else ""), 308)
        payload, status = comparison_payload(context.index, kind, slug, _query())
        if payload.get("revision"):
            g.revision = payload["revision"]
        return _json(payload, status)

    @server.route("/api/v1/comparisons")
    def api_comparisons():
        return _json([{"kind": a.spec.kind, "path": a.spec.path, "model": a.spec.model, "seqs": list(a.seqs)}
                      for a in context.index.comparisons])

    @server.route("/api/v1/calculator")
    def api_calculator():
        payload, status = decision_payload(context.index, "calculator", _query())
        g.revision = payload.get("revision") or g.get("revision")
        return _json(payload, status)

    @server.route("/api/v1/history")
    def api_history():
        payload, status = decision_payload(context.index, "history", _query())
        g.revision = payload.get("revision") or g.get("revision")
        return _json(payload, status)

    @server.route("/api/v1/presets")
    def api_presets():
        index = used(context.index)
        return _json({"presets": [p.to_json() for p in index.presets], "revision": index.revision})

    @server.route("/api/v1/points.csv")
    def api_points_csv():
        found = resolve(context.index, "/", _query())
        state, notices, index = found.state, found.notices, used(found.index)
        if state is None:
            return Response("no data loaded\n", status=404, mimetype="text/plain")
        content, filename = csv_export(index, state)
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        if notices:
            headers["X-Frontier-Notices"] = " | ".join(notices).encode("ascii", "replace").decode()
        return Response(content, mimetype="text/csv", headers=headers)

    @server.route("/api/v1/problems")
    def api_problems():
        problems = context.problems()
        return _json({"count": len(problems), "summary": summarise(problems), "revision": context.index.revision,
                      "files": by_file(problems), "problems": [p.to_dict() for p in sample(problems, 1000)]})
