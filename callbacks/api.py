"""JSON and CSV endpoints serving the same numbers as the pages (SPEC §6), from presenters/."""

from __future__ import annotations

import json

from flask import Response, redirect, request

from frontier.kinds import KINDS
from frontier.problems import by_file, sample, summarise
from frontier.routes import find_comparison, resolve_explorer
from frontier.urlstate import parse_query
from presenters.chart import csv_export
from presenters.compare import comparison_payload


def _json(payload, status=200) -> Response:
    return Response(json.dumps(payload, allow_nan=False, default=_default), status=status, mimetype="application/json")


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
    ("GET /api/v1/points.csv?<explorer query>",
     "the explorer chart's points as CSV, the columns of Download CSV (hide= leaves series out)"),
    ("GET /api/v1/problems", "what could not be loaded, by file, record and field"),
]


def register(app, context) -> None:
    server = app.server

    @server.route("/api/v1")
    @server.route("/api/v1/")
    def api_index():
        return _json({"endpoints": [{"endpoint": e, "returns": r} for e, r in ENDPOINTS],
                      "kinds": list(KINDS)})

    @server.route("/api/v1/<path:rest>")
    def api_unknown(rest):
        return _json({"error": f"no API endpoint at /api/v1/{rest}", "see": "/api/v1"}, 404)

    @server.route("/api/v1/compare/<kind>/<slug>")
    def api_compare(kind, slug):
        available = find_comparison(context.index, KINDS[kind], slug) if kind in KINDS else None
        if available is not None and available.spec.slug != slug:  # another spelling of it
            return redirect(f"/api/v1/compare/{kind}/{available.spec.slug}" + (f"?{_query()}" if _query() else ""), 308)
        payload, status = comparison_payload(context.index, kind, slug, _query())
        return _json(payload, status)

    @server.route("/api/v1/comparisons")
    def api_comparisons():
        return _json([{"kind": a.spec.kind, "path": a.spec.path, "model": a.spec.model, "seqs": list(a.seqs)}
                      for a in context.index.comparisons])

    @server.route("/api/v1/points.csv")
    def api_points_csv():
        state, notices = resolve_explorer(parse_query(_query()), context.index)
        if state is None:
            return Response("no data loaded\n", status=404, mimetype="text/plain")
        content, filename = csv_export(context.index, state)
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        if notices:
            headers["X-Frontier-Notices"] = " | ".join(notices).encode("ascii", "replace").decode()
        return Response(content, mimetype="text/csv", headers=headers)

    @server.route("/api/v1/problems")
    def api_problems():
        ds = context.dataset
        return _json({"count": len(ds.problems), "summary": summarise(ds.problems),
                      "files": by_file(ds.problems), "problems": [p.to_dict() for p in sample(ds.problems, 1000)]})
