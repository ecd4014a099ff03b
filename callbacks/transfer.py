"""Scripts and stylesheets are compressed once per process, not on every request.

flask-compress compresses each response as it goes out; for the page's scripts (1.2 MB of
Plotly alone) that is ~5-17 ms of CPU per cold page load per file, the same bytes every time.
Here a compressed asset is kept in memory (a few MB for every asset and encoding) and
answered from there; everything else about the response is flask-compress's: the encoding
it would choose for the request's Accept-Encoding, the ETag with the encoding appended,
conditional requests answered 304, ``Vary: Accept-Encoding``. Pages and data responses are
left to flask-compress (they differ per request)."""

from __future__ import annotations

from flask import current_app, request
from flask_compress.flask_compress import _choose_algorithm, _compress_data

from frontier.memo import Memo

ASSET_PREFIXES = ("/assets/", "/_dash-component-suites/")


def request_encoding(compress) -> str | None:
    """The encoding flask-compress would choose for this request's Accept-Encoding (None: none)."""
    return _choose_algorithm(compress.enabled_algorithms, request.headers.get("Accept-Encoding", ""))


def encoded(body: bytes, algorithm: str) -> bytes:
    """``body`` compressed as flask-compress compresses it with ``algorithm``."""
    return _compress_data(current_app, body, algorithm)


class CompressedAssets:
    def __init__(self, compress, maxsize: int = 256):
        self.compress = compress  # the app's flask_compress.Compress (its algorithms and types)
        self.memo = Memo(maxsize=maxsize)

    def __call__(self, response):
        if (request.method not in ("GET", "HEAD") or response.status_code != 200
                or not request.path.startswith(ASSET_PREFIXES) or "Content-Encoding" in response.headers
                or response.mimetype not in self.compress.compress_mimetypes_set):
            return response
        if response.content_length is not None and response.content_length < current_app.config["COMPRESS_MIN_SIZE"]:
            return response
        algorithm = request_encoding(self.compress)
        if algorithm is None:
            return response
        etag, weak = response.get_etag()
        # the address names the file and its version (?m=mtime, or a versioned name); the
        # validators change with its content too
        key = (request.full_path, etag, response.headers.get("Last-Modified"), algorithm)

        def compressed() -> bytes:
            response.direct_passthrough = False
            return encoded(response.get_data(), algorithm)

        body = self.memo.get(key, compressed)
        source = response.response
        if hasattr(source, "close"):  # a file send_file opened
            source.close()
        response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Encoding"] = algorithm
        vary = response.headers.get("Vary")
        if not vary:
            response.headers["Vary"] = "Accept-Encoding"
        elif "accept-encoding" not in vary.lower():
            response.headers["Vary"] = f"{vary}, Accept-Encoding"
        if etag and not weak:
            response.set_etag(f"{etag}:{algorithm}")
        return response.make_conditional(request)


def register(server, compress) -> CompressedAssets:
    """Call after ``Compress(server)``: Flask runs after-request functions last registered
    first, so assets are answered here and flask-compress leaves them alone."""
    assets = CompressedAssets(compress)
    server.after_request(assets)
    server.extensions["frontier_compressed_assets"] = assets
    return assets
