"""Curated views (frontier/presets.py) on the explorer and behind ``/?preset=<id>``."""

from __future__ import annotations

from components import ids
from presenters.pageview import page_view
from tests.callbacks.conftest import collect, find


def test_the_explorer_lists_every_preset_as_a_link_to_its_view(client, index):
    section = find(page_view(index, "/", "").layout(), ids.PRESETS)
    hrefs = collect(section, "href")
    assert hrefs == [p.href for p in index.presets] and len(hrefs) >= 6
    for href in hrefs:
        path, _, query = href.partition("?")
        r = client.get(href)
        assert r.status_code == 200, href  # a canonical address: no redirect, data behind it
        view = page_view(index, path, "?" + query)
        assert view.notices == [] and view.state is not None, (href, view.notices)


def test_a_preset_id_redirects_to_its_address(client, index):
    for preset in index.presets:
        r = client.get(f"/?preset={preset.id}")
        assert r.status_code == 302 and r.headers["Location"] == preset.href
    assert client.get("/?preset=B200-SOFTWARE-GAINS").headers["Location"].startswith("/history?")


def test_an_unknown_preset_is_noticed_on_the_explorer(client, index):
    r = client.get("/?preset=no-such-view")
    assert r.status_code == 200
    notices = page_view(index, "/", "?preset=no-such-view").notices
    assert any("no-such-view" in n and "Curated views" in n for n in notices)


def test_presets_as_json(client, index):
    data = client.get("/api/v1/presets").get_json()
    assert [p["href"] for p in data["presets"]] == [p.href for p in index.presets]
    assert data["revision"] == index.revision
