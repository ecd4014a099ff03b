"""Every page the app serves carries window.FRONTIER_IDS before its first script, which is
what assets/*.js reads element ids from (components/ids.py browser_ids)."""

from __future__ import annotations

import json
import re

import pytest

from components import ids

IDS_SCRIPT = re.compile(r'<script nonce="([^"]+)">window\.FRONTIER_IDS = (\{.*?\}); '
                        r'window\.FRONTIER_PATHS = (\{.*?\});</script>')


@pytest.mark.parametrize("path,status", [
    ("/", 200),
    ("/?log=1&metric=cost", 200),
    ("/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k", 200),
    ("/no-such-page", 404),  # the app's own not-found page runs the same scripts
])
def test_the_page_carries_the_ids_before_any_script(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    body = response.get_data(as_text=True)
    found = IDS_SCRIPT.findall(body)
    assert len(found) == 1, "window.FRONTIER_IDS missing or written twice"
    script_nonce, ids_json, paths_json = found[0]
    assert json.loads(ids_json) == json.loads(ids.browser_ids())
    assert json.loads(paths_json) == {"NEXT": ids.NEXT_PATH}
    # an inline script runs under the Content-Security-Policy only with this response's nonce
    assert f"'nonce-{script_nonce}'" in response.headers["Content-Security-Policy"]
    # before every script that runs code from a file (assets/*.js among them)
    assert body.index("window.FRONTIER_IDS") < body.index("<script src=") < body.index("/assets/app.js")
