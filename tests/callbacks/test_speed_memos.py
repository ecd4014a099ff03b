"""What is memoised or skipped for speed answers exactly as before: the resolver's lazily
computed option lists and prices panel, the per-model filter values, the points table's rows,
the CSV exports and the compressed scripts and stylesheets. No timings here (bench/ has them)."""

from __future__ import annotations

import gzip
from datetime import date, timedelta
import json

import brotli
import pytest
from backports import zstd

from callbacks.state import CONTROL_VALUES, OPTIONS, PRICES, changed_values, resolve_change
from components.pages import CHANGE_NOTICE, url_notice
from components import ids
from components.tables import table_data
from frontier.filters import present_values
from presenters.chart import _csv_export, chart_view, csv_export, requested_csv, table_section, view_address
from presenters.controls import changed_choices, option_identity
from presenters.pageview import page_view

START = "?model=dsr1&seq=1k1k&precision=fp4&metric=tput&x=intvty"
SEED = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off"


def reference_changed_values(view, current, controls, from_url, search, shown_controls=None):
    """``changed_values`` as it was before the option lists and prices became lazy (every
    section computed, then the unchanged ones dropped), verbatim."""
    same_state = current is not None and view.state_dict == current
    values = view.values("address", "notice", "options", "prices", "controls", *(() if same_state else ("chart",)))
    values.pop((ids.PAGE_URL, "pathname"))
    if from_url or values[(ids.PAGE_URL, "search")] == (search or ""):
        values.pop((ids.PAGE_URL, "search"))
    if same_state:
        values.pop((ids.VIEW_STATE, "data"))
        values.pop((ids.PAGE_TITLE, "children"))
    if not from_url:
        changes = changed_choices(view.index, controls, view.state)
        values.update({(ids.URL_NOTICE, "children"): url_notice(changes, CHANGE_NOTICE).children,
                       (ids.URL_NOTICE, "is_open"): bool(changes)})
        values.pop((ids.TOGGLES, "value"))
    if option_identity(current) == option_identity(view.state_dict):
        for pair in OPTIONS:
            values.pop(pair, None)
        if current.get("prices") == view.state_dict.get("prices"):
            for pair in PRICES:
                values.pop(pair, None)
    shown_controls = controls if shown_controls is None else shown_controls
    for id_ in CONTROL_VALUES:
        if values.get((id_, "value")) == shown_controls.get(id_):
            values.pop((id_, "value"))
    return values


TRANSITIONS = [
    # (path, shown search, asked search): the page shows one view, the reader asks for another
    ("/", START, "?model=dsr1&seq=1k1k&precision=fp4,fp8&metric=tput&x=intvty"),  # same options
    ("/", START, "?model=dsr1&seq=8k1k&precision=fp4&metric=tput&x=intvty"),  # new sequence: new options
    ("/", START, "?model=qwen3.5&seq=1k1k&precision=fp4&metric=tput&x=intvty"),  # new model
    ("/", START, START + "&price=b200:9.5"),  # same options, new prices
    ("/", START, START + "&vendor=amd"),
    ("/", START, START),  # nothing changed
    (SEED, "?seq=1k1k", "?seq=1k1k&metric=cost"),
    (SEED, "?seq=1k1k", "?seq=1k1k&kw=b300:3"),
]


def _json(values):
    return json.dumps({f"{i}.{p}": v for (i, p), v in values.items()}, sort_keys=True, default=str)


@pytest.mark.parametrize("path,shown,asked", TRANSITIONS)
@pytest.mark.parametrize("from_url", [True, False], ids=["back-forward", "control"])
def test_the_resolver_writes_what_it_wrote_when_every_section_was_computed(index, path, shown, asked, from_url):
    current = page_view(index, path, shown).state_dict
    view = page_view(index, path, asked)
    for controls in ({}, page_view(index, path, shown).values("controls")):  # nothing shown / the old view's
        controls = {i: v for (i, prop), v in controls.items() if prop == "value"}
        expected = reference_changed_values(view, current, controls, from_url, shown)
        assert _json(changed_values(view, current, controls, from_url, shown)) == _json(expected)


def _dates(index):
    return index.catalog.dates_for("dsr1", "1k1k")


@pytest.mark.parametrize("path,shown,asked", TRANSITIONS + [
    ("/", START, START + "&dates=DATE0"),  # an earlier frontier overlaid
    ("/", START + "&dates=DATE0", START + "&dates=DATE0,DATE1"),
    ("/", START + "&dates=DATE0", START + "&dates=BETWEEN"),  # a date between runs joins the list
    ("/", START, START + "&date=BETWEEN"),
])
@pytest.mark.parametrize("from_url", [True, False], ids=["back-forward", "control"])
def test_the_option_lists_on_screen_after_a_change_are_those_of_the_view_asked_for(index, path, shown, asked, from_url):
    """Whatever the resolver leaves out, the browser keeps the old list: what it then shows
    must be the list a fresh load of the asked-for view shows."""
    dates = _dates(index)
    between = next(d for d in (str(date.fromisoformat(dates[-2]) + timedelta(days=n)) for n in range(1, 30))
                   if d not in dates)
    fill = lambda s: s.replace("DATE0", dates[0]).replace("DATE1", dates[1]).replace("BETWEEN", between)
    shown, asked = fill(shown), fill(asked)
    before = page_view(index, path, shown)
    view = page_view(index, path, asked)
    written = changed_values(view, before.state_dict, {}, from_url, shown)
    on_screen = {pair: written.get(pair, value) for pair, value in before.values("options").items()}
    assert _json(on_screen) == _json(view.values("options"))


def test_a_change_within_the_same_options_computes_no_option_list(index):
    current = page_view(index, "/", START).state_dict
    written = resolve_change(index, "/", START, ids.PRECISION, {ids.PRECISION: ["fp4", "fp8"], ids.MODEL: "dsr1",
                                                                 ids.SEQUENCE: "1k1k", ids.METRIC: "tput", ids.X: "intvty"},
                             [], current)
    assert not set(written) & set(OPTIONS) and not set(written) & set(PRICES)
    written = resolve_change(index, "/", START, ids.SEQUENCE, {ids.PRECISION: ["fp4"], ids.MODEL: "dsr1",
                                                                ids.SEQUENCE: "8k1k", ids.METRIC: "tput", ids.X: "intvty"},
                             [], current)
    assert (ids.PRECISION, "options") in written and (ids.PRICE_ROWS, "children") in written


def test_the_memoised_filter_values_are_those_of_the_points(index):
    for (model, seq), points in index.by_model_seq.items():
        assert index.present_values(model, seq) == present_values(points)
        assert index.present_values(model, seq) is index.present_values(model, seq)


@pytest.mark.parametrize("search", [START, "?model=dsr1&seq=8k1k&precision=fp4,fp8&metric=cost&x=e2el&hide=b200/sglang/mtp/fp8"])
def test_the_points_table_rows_are_built_once_per_view_and_equal_a_fresh_build(index, search):
    state = page_view(index, "/", search).state
    first, summary = table_section(index, state)
    view = chart_view(index, state)
    fresh = table_data(view.frame, view.row_series, view.series_keys, view_address(state), view.summary)
    assert json.dumps(first) == json.dumps(fresh)
    again, summary_again = table_section(index, state)
    assert again is first and summary_again == summary


def test_csv_exports_are_memoised_per_view_hidden_series_and_rows(index):
    state = page_view(index, "/", START).state
    text, name = csv_export(index, state)
    assert csv_export(index, state) == (text, name) == _csv_export(index, state, None)
    assert csv_export(index, state, [2, 0, 1]) == _csv_export(index, state, [2, 0, 1]) != (text, name)
    hidden = page_view(index, "/", START + "&hide=" + chart_view(index, state).series_keys[0]).state
    assert csv_export(index, hidden) == _csv_export(index, hidden, None) != (text, name)
    request = {"view": "/" + START, "rows": [1, 0], "hidden": []}
    assert requested_csv(index, request) == _csv_export(index, state, [1, 0])


def test_points_csv_answers_the_same_file_twice(client):
    first = client.get("/api/v1/points.csv" + START, headers={"Accept-Encoding": "identity"})
    second = client.get("/api/v1/points.csv" + START, headers={"Accept-Encoding": "identity"})
    assert first.status_code == second.status_code == 200 and first.data == second.data
    assert first.headers["Content-Disposition"] == second.headers["Content-Disposition"]


# ---- scripts and stylesheets, compressed once (callbacks/transfer.py) -------------------------

def _assets(client) -> list[str]:
    page = client.get("/", headers={"Accept-Encoding": "identity"}).get_data(as_text=True)
    import re

    return [u for u in re.findall(r'(?:src|href)="([^"]+)"', page) if u.startswith(("/assets/", "/_dash-component-suites/"))]


DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, "zstd": zstd.decompress}


@pytest.mark.parametrize("encoding", ["br", "gzip", "zstd"])
def test_every_script_and_stylesheet_decodes_to_the_file_in_each_encoding(client, encoding):
    urls = _assets(client)
    assert any("plotly" in u for u in urls) and any("_dash-component-suites" in u for u in urls)
    for url in urls:
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers, url
        for _ in range(2):  # computed, then answered from memory: the same bytes
            packed = client.get(url, headers={"Accept-Encoding": f"{encoding}"})
            assert packed.status_code == 200, url
            if len(plain.data) < 500:  # too small to be worth it, as flask-compress decides
                assert "Content-Encoding" not in packed.headers
                continue
            assert packed.headers["Content-Encoding"] == encoding, url
            assert "Accept-Encoding" in packed.headers["Vary"]
            assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data)
            assert DECODE[encoding](packed.data) == plain.data, url
            assert packed.headers.get("Cache-Control") == plain.headers.get("Cache-Control")


def test_a_compressed_asset_keeps_its_validator_and_answers_conditional_requests(client):
    url = next(u for u in _assets(client) if "plotly" in u)
    first = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    etag = first.headers["ETag"]
    assert etag.endswith(':zstd"')  # flask-compress's form: the encoding appended
    again = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert other.status_code == 200 and other.headers["Content-Encoding"] == "br"
    chunk = "/_dash-component-suites/dash/dcc/async-graph.js"  # no fingerprint: revalidated by ETag
    got = client.get(chunk, headers={"Accept-Encoding": "br"})
    assert got.status_code == 200 and got.headers["ETag"].endswith(':br"')
    assert client.get(chunk, headers={"Accept-Encoding": "br", "If-None-Match": got.headers["ETag"]}).status_code == 304


def test_pages_and_data_are_still_compressed_per_response(client):
    page = client.get("/" + START, headers={"Accept-Encoding": "br"})
    assert page.headers["Content-Encoding"] == "br" and "nonce-" in page.headers["Content-Security-Policy"]
    html = brotli.decompress(page.data).decode()
    nonce = page.headers["Content-Security-Policy"].split("nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in html  # a page's own nonce: never a stored copy
