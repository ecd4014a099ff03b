"""JSON and CSV endpoints serving the same numbers as the pages (SPEC §6)."""

from __future__ import annotations

import json

from flask import Response, request

from callbacks.chart import chart_view, csv_name
from callbacks.compare import comparison_subject
from frontier.compare import KINDS, ComparisonError
from frontier.problems import by_file, sample, summarise
from frontier.urlstate import parse_query, resolve_explorer
from frontier.views import KIND_PREFIX, resolve_compare


def _json(payload, status=200) -> Response:
    return Response(json.dumps(payload, allow_nan=False, default=_default), status=status, mimetype="application/json")


def _default(value):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def compare_payload(index, kind: str, slug: str, search: str) -> tuple[dict, int]:
    if kind not in KINDS:
        return {"error": f"unknown comparison kind {kind!r}", "kinds": list(KINDS)}, 404
    state, notices = resolve_compare(index, kind, slug, parse_query(search))
    if state is None:
        return {
            "error": f"no {kind} comparison {slug!r} in the loaded data",
            "available": [a.spec.path.replace(KIND_PREFIX[a.spec.kind], f"/api/v1/compare/{a.spec.kind}/")
                          for a in index.comparisons if a.spec.kind == kind],
        }, 404
    try:
        result = index.comparison(state)
    except ComparisonError as exc:
        return {"error": str(exc), "notices": notices}, 404
    payload = result.to_json(index.reference.model_label(state.model), comparison_subject(index, state))
    payload["notices"] = notices
    payload["page"] = index.comparison_lookup[(state.kind, state.slug)].spec.path + "?seq=" + state.seq
    return payload, 200


def register(app, context) -> None:
    server = app.server

    @server.route("/api/v1/compare/<kind>/<slug>")
    def api_compare(kind, slug):
        payload, status = compare_payload(context.index, kind, slug, request.query_string.decode("utf-8", "replace"))
        return _json(payload, status)

    @server.route("/api/v1/comparisons")
    def api_comparisons():
        return _json([{"kind": a.spec.kind, "path": a.spec.path, "model": a.spec.model, "seqs": list(a.seqs)}
                      for a in context.index.comparisons])

    @server.route("/api/v1/points.csv")
    def api_points_csv():
        state, notices = resolve_explorer(parse_query(request.query_string.decode("utf-8", "replace")),
                                          context.index.catalog)
        if state is None:
            return Response("no data loaded\n", status=404, mimetype="text/plain")
        _state, _figure, frame, _series = chart_view(context.index, {"page": "explorer", **state.to_dict()})
        headers = {"Content-Disposition": f'attachment; filename="{csv_name(state)}"'}
        if notices:
            headers["X-Frontier-Notices"] = " | ".join(notices).encode("ascii", "replace").decode()
        return Response(frame.to_csv(index=False), mimetype="text/csv", headers=headers)

    @server.route("/api/v1/problems")
    def api_problems():
        ds = context.dataset
        return _json({"count": len(ds.problems), "summary": summarise(ds.problems),
                      "files": by_file(ds.problems), "problems": [p.to_dict() for p in sample(ds.problems, 1000)]})
