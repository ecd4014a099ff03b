"""HTTP-level rules every response follows: security headers and a strict Content-Security-
Policy, bounded request bodies and addresses, callback bodies checked before Dash reads them,
cache headers for fingerprinted assets, and plain 4xx answers (never a traceback) for
requests the app cannot serve."""

from __future__ import annotations

import json
import logging
import secrets

from dash.exceptions import DependencyException
from flask import Response, g, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

log = logging.getLogger("frontier")

MAX_BODY_BYTES = 2 * 2**20  # the largest real callback body is a CSV row selection, far below this
MAX_ADDRESS_BYTES = 4096  # what Chromium still sends whole as a Referer, and gunicorn reads as a request line
ASSET_MAX_AGE = 365 * 24 * 3600  # assets are fingerprinted (?m=mtime or a versioned file name)
UPDATE_PATH = "/_dash-update-component"

TOO_LONG_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Address too long · Inference Frontier</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>This address is too long</h1>
<p>The link is {length:,} bytes; this site serves addresses of up to {limit:,} bytes, so it cannot tell which view
you meant. Shorten the link (a view needs only its model, sequence, precision, metric and filters), or start from
<a href="/">the explorer</a>.</p></body></html>"""


def nonce() -> str:
    """This response's script nonce (one per request, created on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(script_nonce: str) -> str:
    # Plotly and Dash's components inject <style> elements, hence 'unsafe-inline' for styles only;
    # scripts come from this site or carry this response's nonce. Nothing from any CDN.
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{script_nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


def request_address() -> str:
    """The address exactly as the browser sent it (percent-encoding kept)."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        return raw
    query = request.query_string.decode("latin-1")
    return request.path + (f"?{query}" if query else "")


def _json_error(message: str, status: int) -> Response:
    return Response(json.dumps({"error": message}), status=status, mimetype="application/json")


def declared_outputs(output: str) -> list[tuple[str, str]]:
    """Dash's output key ("..a.prop...b.prop.." or "a.prop") as (id, property) pairs."""
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    return [tuple(part.rsplit(".", 1)) for part in parts if "." in part]


MAX_PATTERN_ITEMS = 500  # components one wildcard input may match (a prices panel has one per GPU)


def _matches(item, want: dict) -> bool:
    """A body entry is the declared input: same id and property, or, for a pattern-matching
    id ({"type": ..., "gpu": ALL}), a bounded list of entries whose ids fit the pattern."""
    if not (isinstance(want["id"], str) and want["id"].startswith("{")):
        return isinstance(item, dict) and item.get("id") == want["id"] and item.get("property") == want["property"]
    pattern = json.loads(want["id"])
    if not isinstance(item, list) or len(item) > MAX_PATTERN_ITEMS:
        return False
    for entry in item:
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(entry_id, dict) or entry.get("property") != want["property"] or set(entry_id) != set(pattern):
            return False
        if any(not isinstance(wild, list) and entry_id[key] != wild for key, wild in pattern.items()):
            return False
    return True


def check_update_body(app, body) -> str | None:
    """Why a callback request body is not one this app's renderer could send, or None when it
    is: the callback exists, and its outputs, inputs and state are the ones it declares."""
    if not isinstance(body, dict):
        return "expected a JSON object"
    spec = app.callback_map.get(body.get("output")) if isinstance(body.get("output"), str) else None
    if spec is None:
        return "unknown callback output"
    for part in ("inputs", "state"):
        given, declared = body.get(part, []), spec.get(part, [])
        if not isinstance(given, list) or len(given) != len(declared):
            return f"'{part}' does not match the callback"
        for item, want in zip(given, declared):
            if not _matches(item, want):
                return f"'{part}' does not match the callback"
    outputs = body.get("outputs")
    outputs = outputs if isinstance(outputs, list) else [outputs]
    declared = declared_outputs(body["output"])
    if len(outputs) != len(declared) or any(not isinstance(item, dict) or (item.get("id"), item.get("property")) != want
                                            for item, want in zip(outputs, declared)):
        return "'outputs' does not match the callback"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' is malformed"
    return None


def register(app) -> None:
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @server.before_request
    def bounded_requests():
        if len(request_address()) > MAX_ADDRESS_BYTES:
            return Response(TOO_LONG_PAGE.format(length=len(request_address()), limit=MAX_ADDRESS_BYTES), status=414,
                            mimetype="text/html")
        if request.method == "POST" and request.path == UPDATE_PATH:
            body = request.get_json(silent=True)  # raises 413 past MAX_CONTENT_LENGTH
            problem = check_update_body(app, body)
            if problem:
                return _json_error(f"bad callback request: {problem}", 400)
        return None

    @server.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Content-Security-Policy", content_security_policy(nonce()))
        if response.mimetype == "text/html":
            headers.setdefault("Cache-Control", "no-cache")
        elif request.path.startswith("/assets/") and request.args.get("m"):
            headers["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}, immutable"
        return response

    @server.errorhandler(RequestEntityTooLarge)
    def too_large(_exc):
        return _json_error(f"request body too large (the limit is {MAX_BODY_BYTES:,} bytes)", 413)

    @server.errorhandler(DependencyException)
    def unknown_script(_exc):
        return Response("No such script.\n", status=404, mimetype="text/plain")

    @server.errorhandler(Exception)
    def unexpected(exc):
        # Flask's own HTTP errors (404, 405, ...) keep their status; anything else is logged in
        # full here and answered with a short message, never a traceback.
        if isinstance(exc, HTTPException):
            return exc
        log.exception("request failed: %s %s", request.method, request.path, exc_info=exc)
        if request.path.startswith(("/api/", UPDATE_PATH)):
            return _json_error("the server could not answer this request; its log has the details", 500)
        return Response("The server could not answer this request; its log has the details.\n", status=500,
                        mimetype="text/plain")
