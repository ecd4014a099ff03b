"""Responses travel compressed when the browser accepts it (flask-compress)."""

from __future__ import annotations

import gzip

import brotli
import pytest

SEED = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"


@pytest.mark.parametrize("path", ["/", SEED, "/api/v1/comparisons", "/api/v1/points.csv?model=dsr1"])
def test_text_responses_are_compressed_and_decode_to_the_same_bytes(client, path):
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    br = client.get(path, headers={"Accept-Encoding": "br, gzip"})
    assert br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in br.headers.get("Vary", "")
    gz = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    if path.startswith("/api"):  # pages carry a fresh nonce each time; data responses are identical
        assert brotli.decompress(br.data) == plain.data == gzip.decompress(gz.data)
    else:
        assert len(brotli.decompress(br.data)) == len(plain.data)
    assert len(br.data) < len(plain.data) / 3
