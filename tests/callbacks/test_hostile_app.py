"""The running app on the real DSR1 rows plus every hostile file (issue 12): it starts, names
each bad file in the page notice and in /api/v1/problems, and serves the same comparison numbers
as without them."""

from __future__ import annotations

import shutil

import pytest

from components import ids
from tests.callbacks.conftest import text_of
from tests.callbacks.test_callbacks import inline_json_of
from tests.conftest import DATA, make_app
from tests.unit import hostile
from tests.unit.conftest import API_LATEST, read_json

COMPARISONS = ["/api/v1/compare/gpu/dsr1-h200-vs-b200?seq=1k1k&precision=fp8",
               "/api/v1/compare/spec-decode/dsr1-b200-fp4-mtp-vs-off?seq=1k1k",
               "/api/v1/compare/precision/dsr1-b200-fp4-vs-fp8?seq=8k1k",
               "/api/v1/compare/spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"]


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-app")
    dirty = root / "dirty"
    shutil.copytree(DATA, dirty)
    expect = hostile.write_corpus(dirty / "hostile", read_json(API_LATEST), root / "outside")
    return make_app(DATA).server.test_client(), make_app(dirty, root / "cache").server.test_client(), expect


def find_json(node, id_):
    """The component with ``id_`` in a layout's JSON form."""
    if isinstance(node, list):
        return next((hit for child in node if (hit := find_json(child, id_)) is not None), None)
    if not isinstance(node, dict):
        return None
    props = node.get("props", {})
    if props.get("id") == id_:
        return node
    return find_json(props.get("children"), id_)


def numbers(client, path):
    body = client.get(path).get_json()
    return body["band"], body["targets"], body["table"], body["narrative"]


def test_every_hostile_file_is_named_and_the_numbers_do_not_move(clients):
    clean, dirty, expect = clients
    listed = {f["file"] for f in dirty.get("/api/v1/problems").get_json()["files"]}
    for name in expect:
        assert any(f == f"hostile/{name}" or f.startswith(f"hostile/{name}") for f in listed), name
    layout = inline_json_of(dirty.get("/").get_data(as_text=True), ids.FIRST_LAYOUT)
    notice = text_of(find_json(layout, ids.DATA_NOTICE))
    assert "could not be loaded and were left out" in notice
    for name in ("deep.json", "truncated.json", "bomb.zip", "many-members.zip", "implausible.json"):
        assert f"hostile/{name}" in notice, name
    for path in COMPARISONS:
        assert numbers(dirty, path) == numbers(clean, path), path
