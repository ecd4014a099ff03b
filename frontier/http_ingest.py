"""``POST /api/v1/results``: benchmark results uploaded by CI, as plain Python (no Flask).

The route is a thin registration, e.g.::

    @server.post("/api/v1/results")
    def upload_results():
        status, payload, headers = handle_ingest(
            request.headers.get("Authorization"), request.content_type, request.stream,
            token=settings.ingest_token, store=store, max_bytes=settings.max_upload_bytes,
            content_length=request.content_length, query=request.args.to_dict(flat=False))
        return flask.jsonify(payload), status, headers   # then live.poke() when payload["batch"]

Bodies accepted (the same formats, validation and report as ``python -m frontier ingest``):

- ``application/json``: one JSON document (API rows, a runner aggregate, a raw result);
- ``application/zip`` (or ``application/octet-stream`` starting with a zip signature): an
  archive such as a GitHub Actions artifact, nested zips included;
- ``multipart/form-data``: one or more file parts (``curl -F file=@agg_bmk.json``), each read
  by its file name like a file on disk.

Query parameters: ``source`` (the batch's label, e.g. the CI run URL), ``dry_run=1``,
``strict=1``, and any ``--set`` name (``gpu=mi355x&model=gptoss120b&seq=1k1k`` ...) for raw
results, or ``set=NAME=VALUE`` repeated.

Answers (JSON, always with ``revision``, also sent as ``X-Frontier-Revision``): 200 with the ingest report (``IngestReport.to_dict``)
when something was added or everything was already there; 422 with the report when nothing
usable was found or ``strict`` refused rejections; 400 bad request (no file in a form, bad
setting); 401 missing or wrong bearer token (``WWW-Authenticate: Bearer``); 404 when ingest is
not enabled (no token configured); 413 body over ``max_bytes``; 415 unsupported content type;
503 when the store cannot be written (database down). The token is compared with
``hmac.compare_digest`` (constant time)."""

from __future__ import annotations

import email.parser
import email.policy
import hmac
import logging
import re

from .ingest import IngestUsageError, Upload
from .loaders import parse_settings
from .pgstore import StoreError  # no database driver is loaded by this import

log = logging.getLogger(__name__)

ZIP_MAGIC = b"PK\x03\x04"
JSON_TYPES = ("application/json", "text/json")
ZIP_TYPES = ("application/zip", "application/x-zip-compressed", "application/x-zip")
_RESERVED = {"source", "dry_run", "strict", "set"}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._:+=@-]+")


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def authorised(authorization: str | None, token: str) -> bool:
    """``Authorization: Bearer <token>``, compared in constant time."""
    if not authorization:
        return False
    scheme, _, given = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))


def read_limited(body, max_bytes: int, content_length: int | None = None) -> bytes:
    """The body as bytes, refusing (413) anything over ``max_bytes`` without reading it all:
    a declared Content-Length is checked first, a stream is read to at most one byte more."""
    if content_length is not None and content_length > max_bytes:
        raise HttpError(413, f"request body of {content_length} bytes is over the limit of {max_bytes} bytes "
                             "(FRONTIER_MAX_UPLOAD_MB)")
    if isinstance(body, (bytes, bytearray, memoryview)):
        data = bytes(body)
    else:
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = body.read(min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        data = b"".join(chunks)
    if len(data) > max_bytes:
        raise HttpError(413, f"request body is over the limit of {max_bytes} bytes (FRONTIER_MAX_UPLOAD_MB)")
    return data


def _file_name(name: str | None, data: bytes, fallback: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _SAFE_NAME.sub("_", base)[:200] or fallback
    if not base.lower().endswith((".json", ".zip")):
        base += ".zip" if data.startswith(ZIP_MAGIC) else ".json"
    return base


def uploads_from_body(content_type: str | None, data: bytes) -> list[Upload]:
    """The files a request carries. Raises HttpError 400/415 with the reason."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if not data:
        raise HttpError(400, "empty request body: send a JSON document, a zip, or a multipart form with files")
    if mime in JSON_TYPES or mime.endswith("+json"):
        return [Upload("request.json", data)]
    if mime in ZIP_TYPES or (mime in ("application/octet-stream", "") and data.startswith(ZIP_MAGIC)):
        return [Upload("upload.zip", data)]
    if mime == "multipart/form-data":
        return _multipart(content_type, data)
    if mime == "application/octet-stream":
        return [Upload("request.json", data)]
    raise HttpError(415, f"unsupported content type {mime or '(none)'!r}: use application/json, application/zip "
                         "or multipart/form-data")


def _multipart(content_type: str, data: bytes) -> list[Upload]:
    if "boundary=" not in content_type:
        raise HttpError(400, "multipart/form-data without a boundary")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + data)
    if not message.is_multipart():
        raise HttpError(400, "malformed multipart/form-data body")
    uploads, seen = [], set()
    for n, part in enumerate(message.iter_parts()):
        filename = part.get_filename()
        if filename is None:
            continue  # a plain form field, not a file
        payload = part.get_payload(decode=True) or b""
        name = _file_name(filename, payload, f"part-{n}")
        while name in seen:  # two parts with one name still report separately
            stem, dot, ext = name.rpartition(".")
            name = f"{stem}-{n}.{ext}"
        seen.add(name)
        uploads.append(Upload(name, payload))
    if not uploads:
        raise HttpError(400, "the form holds no file: send it as a file part, e.g. curl -F file=@agg_bmk.json")
    return uploads


def overrides_from_query(query: dict | None) -> tuple[dict, dict]:
    """(--set overrides, options) from query parameters (values are lists, as Flask gives
    them with ``to_dict(flat=False)``; plain strings are accepted too)."""
    query = {k: (v if isinstance(v, list) else [v]) for k, v in (query or {}).items()}
    pairs = [f"{k}={v[-1]}" for k, v in query.items() if k not in _RESERVED and v]
    pairs += list(query.get("set", []))
    try:
        overrides = parse_settings(pairs)
    except ValueError as exc:
        raise HttpError(400, str(exc).replace("--set ", "parameter ")) from exc

    def flag(name: str) -> bool:
        return bool(query.get(name)) and query[name][-1].strip().lower() in ("1", "true", "yes", "on", "")

    source = (query.get("source") or [""])[-1].strip()[:500]
    return overrides, {"source": source, "dry_run": flag("dry_run"), "strict": flag("strict")}


def _revision(store) -> str:
    try:
        return store.revision()
    except Exception:
        return ""


def handle_ingest(authorization: str | None, content_type: str | None, body, *, token: str | None, store,
                  max_bytes: int, content_length: int | None = None, query: dict | None = None,
                  remote: str = "") -> tuple[int, dict, dict]:
    """One upload request -> (HTTP status, JSON payload, extra headers). ``body`` is bytes or a
    readable stream (read only after the token was checked, and never beyond ``max_bytes``)."""
    headers: dict = {}
    try:
        if not token:
            raise HttpError(404, "HTTP ingest is not enabled on this server (set FRONTIER_INGEST_TOKEN)")
        if not authorised(authorization, token):
            raise HttpError(401, "missing or wrong bearer token (Authorization: Bearer $FRONTIER_INGEST_TOKEN)",
                            {"WWW-Authenticate": 'Bearer realm="frontier-ingest"'})
        overrides, options = overrides_from_query(query)
        data = read_limited(body, max_bytes, content_length)
        uploads = uploads_from_body(content_type, data)
        source = "http: " + (options["source"] or remote or "upload")
        try:
            report = store.ingest(uploads, overrides, source=source, dry_run=options["dry_run"],
                                  strict=options["strict"])
        except IngestUsageError as exc:
            raise HttpError(400, str(exc)) from exc
        except OSError as exc:
            log.exception("HTTP ingest could not write to %s", store.describe())
            raise HttpError(503, f"could not write to {store.describe()}: {exc}; nothing was written") from exc
        except StoreError as exc:
            raise HttpError(503, f"{exc}; nothing was written") from exc
    except HttpError as err:
        headers.update(err.headers)
        revision = _revision(store)
        headers["X-Frontier-Revision"] = revision
        return err.status, {"ok": False, "error": err.message, "revision": revision}, headers
    payload = report.to_dict()
    if not payload["revision"]:
        payload["revision"] = _revision(store)
    headers["X-Frontier-Revision"] = payload["revision"]
    log.info("HTTP ingest from %s: added %d, duplicates %d, rejected %d -> revision %s", source, report.added,
             report.duplicates, report.rejected_records, payload["revision"])
    return (200 if report.exit_code == 0 else 422), payload, headers


__all__ = ["handle_ingest", "authorised", "read_limited", "uploads_from_body", "overrides_from_query", "HttpError"]
