"""Choosing fewer GPUs than the chart shows, or a filter that keeps series whole or drops them,
is drawn in the browser, with no request
(assets/app.js viewChoice): what the reader then sees (the chart's points, curves and axes, the
legend, the table, its summary, the prices panel, the address and the files it downloads) must
be exactly what the server draws for that address on a fresh load."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from presenters.pageview import page_view
from tests.e2e.helpers import TIMEOUT, DashRequests, click_choice, csv_rows, pick, url_has, wait_for_chart, wait_for_chart_where

# Everything a reader can see of the explorer's view, read from the page (the plot's own
# figure, with its decoded curve caches left out, and the text of the legend, table and panels).
SNAPSHOT_JS = """() => {
  const gd = document.querySelector('#main-chart .js-plotly-plot');
  const plain = (o) => JSON.parse(JSON.stringify(o, (k, v) => (k === '__x' || k === '__y') ? undefined : v));
  const texts = (sel) => Array.from(document.querySelectorAll(sel)).map((e) => e.textContent);
  return {
    data: plain(gd.data), meta: plain(gd.layout.meta), shapes: plain(gd.layout.shapes),
    x_range: gd._fullLayout.xaxis.range, y_range: gd._fullLayout.yaxis.range,
    points_drawn: gd._fullData[0].x.filter((v) => v === v).length,
    legend: texts('#chart-legend button'), table: texts('#points-table tbody tr'),
    table_range: texts('#points-table .points-range'), csv_button: texts('#download-csv-button'),
    summary: texts('#points-summary'), prices: texts('#price-rows label'),
    gpu_choice: texts('#control-gpus'), title: document.title,
    filters: texts('#filters-badge'), filters_open: document.getElementById('filters-panel').open,
    pills: Array.from(document.querySelectorAll('#filters-panel input:checked')).map((e) => e.value).sort(),
  };
}"""


def index_of(live_server):
    return live_server.app.server.config["FRONTIER_CONTEXT"].index


def settle(page) -> None:
    """Waits until the chart and the table are those of one view and nothing is pending."""
    wait_for_chart(page)
    page.wait_for_function("() => !window.__tablePending && document.querySelector('#points-table tbody tr')",
                           timeout=TIMEOUT)
    page.wait_for_timeout(300)


def fresh_snapshot(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1300, "height": 900}, bypass_csp=True)
    try:
        fresh = context.new_page()
        fresh.goto(url)
        settle(fresh)
        return fresh.evaluate(SNAPSHOT_JS)
    finally:
        context.close()


def canonical(live_server, query: str) -> str:
    """The server's own address for a query (what its resolver would write)."""
    return page_view(index_of(live_server), "/", query).canonical_search


def download_csv(page) -> tuple[str, list[dict]]:
    with page.expect_download(timeout=TIMEOUT) as info:
        page.locator("#download-csv-button").click()
    download = info.value
    return download.suggested_filename, csv_rows(open(download.path(), encoding="utf-8").read())


CASES = [
    # (first address, how the reader narrows it, the URL parameter it sets, what every series left starts with)
    ("?model=dsr1&seq=1k1k&precision=fp8&metric=tput&x=intvty", ("pick", "B200 (NVIDIA)"), {"gpus": "b200"}, "B200"),
    ("?model=dsr1&seq=1k1k&precision=fp4,fp8&gpus=b200,h200,mi355x&hide=b200/sglang/mtp/fp8,h200/trt/none/fp8",
     ("only", "H200"), {"gpus": "h200"}, "H200"),
    ("?model=dsr1&seq=1k1k&precision=fp8&best=1&optimal=1&dates=2026-01-15&log=1&contrast=1",
     ("pick", "MI355X (AMD)"), {"gpus": "mi355x"}, "MI355X"),
    # filters that keep a series whole or drop it: an engine (series per engine), a vendor (pooled series)
    ("?model=dsr1&seq=1k1k&precision=fp8&gpus=b200,mi355x&deployment=single-node",
     ("pill", "filter-framework", "SGLang"), {"framework": "sglang"}, ""),
    ("?model=dsr1&seq=1k1k&precision=fp4,fp8&best=1", ("pill", "filter-vendor", "AMD"), {"vendor": "amd"}, "MI"),
]


def narrow(page, action) -> None:
    how, *what = action
    if how == "pick":
        pick(page, "control-gpus", what[0], multi=True)
    elif how == "only":
        page.locator("#only-gpu-links").get_by_role("button", name=re.compile("^" + what[0] + " ")).click()
    else:
        if not page.evaluate("document.getElementById('filters-panel').open"):  # folded while no filter is on
            page.locator("#filters-panel > summary").click()
        click_choice(page, *what)


@pytest.mark.parametrize("start, action, param, starts", CASES,
                         ids=["tick-one-of-all", "only-link-with-hidden", "best-optimal-overlays", "framework-pill",
                              "vendor-pill-pooled"])
def test_a_subset_is_drawn_in_the_browser_exactly_as_a_fresh_load(page, browser, live_server, start, action, param,
                                                                  starts):
    page.goto(live_server.url + "/" + start)
    settle(page)
    before = page.evaluate(SNAPSHOT_JS)
    requests = DashRequests(page)
    history = page.evaluate("history.length")

    narrow(page, action)
    expect(page).to_have_url(url_has(**param), timeout=TIMEOUT)
    wait_for_chart_where(page, f"gd.layout.meta.series.length < {len(before['meta']['series'])}")
    settle(page)
    assert requests.requests == [], f"a subset of the drawn series called the server: {requests.changed}"
    assert page.evaluate("history.length") == history + 1  # a new entry, as for any change of view

    # the address is the server's own spelling for the view, and a fresh load of it looks the same
    query = page.url.split("?", 1)[1]
    assert "?" + query == canonical(live_server, "?" + query)
    narrowed = page.evaluate(SNAPSHOT_JS)
    assert narrowed == fresh_snapshot(browser, page.url)
    assert all(s["name"] == starts or s["name"].startswith(starts) for s in narrowed["meta"]["series"])
    if "framework" in param:
        assert all(" · sglang · " in s["name"] for s in narrowed["meta"]["series"])
    assert narrowed["points_drawn"] < before["points_drawn"]

    # the CSV of the narrowed table is the server's CSV for the address, file name included
    name, rows = download_csv(page)
    reloaded = page.context.new_page()
    reloaded.goto(page.url)
    settle(reloaded)
    assert (name, rows) == download_csv(reloaded)
    assert rows and (param.get("gpus") is None or {r["gpu"] for r in rows} == {param["gpus"]})
    reloaded.close()

    # back returns to the first view (through the server, like any address)
    page.go_back()
    wait_for_chart_where(page, f"gd.layout.meta.series.length === {len(before['meta']['series'])}")
    settle(page)
    assert page.evaluate(SNAPSHOT_JS)["meta"] == before["meta"]


def test_more_gpus_than_drawn_ask_the_server_once_and_later_changes_keep_the_subset(page, live_server):
    page.goto(live_server.url + "/?model=dsr1&seq=1k1k&precision=fp8&gpus=b200,h200")
    settle(page)
    requests = DashRequests(page)
    page.locator("#only-gpu-links").get_by_role("button", name="B200 (NVIDIA)", exact=True).click()  # a subset
    expect(page).to_have_url(url_has(gpus="b200"), timeout=TIMEOUT)
    settle(page)
    assert requests.requests == []

    # a precision change after it is the server's answer (asked for then, or ahead of the click:
    # callbacks/prefetch.py), and keeps the GPUs the browser chose
    page.locator("#only-precision-links button", has_text="FP4").click()
    expect(page).to_have_url(url_has(gpus="b200", precision="fp4"), timeout=TIMEOUT)
    settle(page)
    names = page.evaluate("document.querySelector('#main-chart .js-plotly-plot').layout.meta.series.map(s => s.name)")
    assert names and all(n.startswith("B200") for n in names)

    # a GPU the chart does not have: one request for the new view
    requests.clear()
    pick(page, "control-gpus", "MI355X (AMD)", multi=True)
    expect(page).to_have_url(url_has(gpus="b200,mi355x"), timeout=TIMEOUT)
    wait_for_chart_where(page, "gd.layout.meta.series.some(s => s.name.startsWith('MI355X'))")
    resolver = [c for c in requests.changed if "choice-request.data" in c]
    assert len(resolver) == 1, requests.changed


def test_gpus_hidden_in_the_browser_come_back_without_a_request(page, browser, live_server):
    """After narrowing, choosing more of the GPUs the server's view had (or every GPU again) is
    drawn from that view, still exactly as a fresh load draws it."""
    page.goto(live_server.url + "/?model=dsr1&seq=1k1k&precision=fp8&metric=tput&x=intvty")
    settle(page)
    everything = page.evaluate(SNAPSHOT_JS)
    requests = DashRequests(page)
    page.locator("#only-gpu-links").get_by_role("button", name="B200 (NVIDIA)", exact=True).click()
    expect(page).to_have_url(url_has(gpus="b200"), timeout=TIMEOUT)
    settle(page)
    pick(page, "control-gpus", "MI355X (AMD)", multi=True)  # back in: it was in the first view
    expect(page).to_have_url(url_has(gpus="b200,mi355x"), timeout=TIMEOUT)
    wait_for_chart_where(page, "gd.layout.meta.series.some(s => s.name.startsWith('MI355X'))")
    settle(page)
    assert requests.requests == [], requests.changed
    query = page.url.split("?", 1)[1]
    assert "?" + query == canonical(live_server, "?" + query)
    assert page.evaluate(SNAPSHOT_JS) == fresh_snapshot(browser, page.url)

    # clearing the choice shows every GPU again: the first view, drawn here
    page.locator("#control-gpus .dash-dropdown-clear").click()
    wait_for_chart_where(page, f"gd.layout.meta.series.length === {len(everything['meta']['series'])}")
    settle(page)
    assert "gpus=" not in page.url
    assert requests.requests == [], requests.changed
    assert page.evaluate(SNAPSHOT_JS) == everything
