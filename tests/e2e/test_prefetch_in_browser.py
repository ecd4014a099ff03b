"""Control changes and back/forward answered from answers the server computed ahead
(callbacks/prefetch.py, assets/prefetch.js): each answer the browser uses must be exactly what
the server answers to the same request, the change must make no callback request and draw the
chart once, and the page it leaves must be exactly a fresh load of its address."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import (PLOTS_JS, TIMEOUT, DashRequests, pick, url_has, wait_for_chart_where,
                               wait_prefetched)
from tests.e2e.test_subset_in_browser import SNAPSHOT_JS, fresh_snapshot, settle

START = "?model=dsr1&seq=1k1k&precision=fp4&metric=tput&x=intvty"

# Every callback response the page receives, beside the server's own response to the same
# request body (sent again with XMLHttpRequest, which nothing in the page wraps); `prefetched`:
# the page's answer did not come from the network (a real Response has a url).
PAIRS_JS = """() => {
  const inner = window.fetch;
  window.__pairs = [];
  const server = (url, body) => new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url); xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.onload = () => resolve(xhr.status === 200 ? JSON.parse(xhr.responseText) : {status: xhr.status});
    xhr.send(body);
  });
  window.fetch = async function (input, init) {
    const url = String(typeof input === 'string' ? input : input.url);
    const res = await inner.apply(this, arguments);
    if (url.indexOf('_dash-update-component') < 0 || !init || !init.body) { return res; }
    const ours = await res.json();
    const body = JSON.parse(init.body);
    // (without the decoded arrays app.js and Plotly cache on the figure drawn)
    const plain = (o) => JSON.parse(JSON.stringify(o, (k, v) => (k === '__x' || k === '__y' || k === '_inputArray') ? undefined : v));
    window.__pairs.push({changed: body.changedPropIds, prefetched: !res.url, ours: plain(ours),
                         server: res.url ? plain(ours) : await server(url, init.body)});
    return {ok: true, status: 200, headers: res.headers, json: () => Promise.resolve(ours)};
  };
}"""

def series_names(page) -> list[str]:
    return page.evaluate("document.querySelector('#main-chart .js-plotly-plot').layout.meta.series.map(s => s.name)")


CHANGES = [
    # (what the reader does, the address parameters it leads to)
    (lambda page: page.locator("#control-sequence").get_by_text("1k/8k", exact=True).click(), {"seq": "1k8k"}),
    (lambda page: page.locator("#control-precision").get_by_text("FP8", exact=True).click(), {"precision": "fp4,fp8"}),
    (lambda page: page.locator("#only-precision-links").get_by_role("button", name="FP8", exact=True).click(),
     {"precision": "fp8"}),
    (lambda page: pick(page, "control-metric", "Cost per million all tokens (Hyperscaler) [$/M tokens]"),
     {"metric": "cost"}),
    (lambda page: pick(page, "control-x", "End-to-end latency (median) [s]"), {"x": "e2el"}),
    (lambda page: pick(page, "control-model", "Qwen 3.5 397B-A17B"), {"model": "qwen3.5"}),
]


def test_each_prefetched_answer_is_the_servers_answer_to_the_same_request(page, live_server):
    page.goto(live_server.url + "/" + START)
    settle(page)
    page.evaluate(PAIRS_JS)
    for change, params in CHANGES:
        wait_prefetched(page)
        change(page)
        expect(page).to_have_url(url_has(**params), timeout=TIMEOUT)
        settle(page)
    for direction in ("back", "back", "forward"):
        wait_prefetched(page)
        page.evaluate(f"history.{direction}()")
        page.wait_for_timeout(400)
        settle(page)
    # a series hidden and log scale switched on in the browser, then a change
    page.locator("#chart-legend .legend-item").first.click()
    page.locator("#control-toggles").get_by_text("Log scale", exact=True).click()
    expect(page).to_have_url(url_has(log="1"), timeout=TIMEOUT)
    wait_prefetched(page)
    page.locator("#control-sequence").get_by_text("8k/1k", exact=True).click()
    expect(page).to_have_url(url_has(seq="8k1k", log="1"), timeout=TIMEOUT)
    settle(page)
    pairs = page.evaluate("window.__pairs")
    used = [p for p in pairs if p["prefetched"]]
    # every change of the six, the three history steps and the last change was answered ahead
    assert len(used) == len(CHANGES) + 4, [p["changed"] for p in pairs]
    for pair in used:
        assert pair["ours"]["multi"] is True
        assert pair["ours"]["response"] == pair["server"]["response"], pair["changed"]
        assert "chart-data" in pair["ours"]["response"]
        assert set(pair["ours"]["sideUpdate"]) == {"points-data", "points-summary"}


def test_a_prefetched_change_draws_once_with_no_request_and_leaves_a_fresh_loads_page(page, browser, live_server):
    page.goto(live_server.url + "/" + START)
    settle(page)
    first = page.evaluate(SNAPSHOT_JS)
    requests = DashRequests(page)
    history = page.evaluate("history.length")
    for change, params in CHANGES[:3]:
        wait_prefetched(page)
        page.evaluate(PLOTS_JS)
        requests.clear()
        change(page)
        expect(page).to_have_url(url_has(**params), timeout=TIMEOUT)
        settle(page)
        assert requests.requests == [], requests.changed  # neither the resolver nor the table
        assert page.evaluate("window.__plots") == 1  # drawn once: Dash's copy of the figure is not drawn again
        assert page.evaluate(SNAPSHOT_JS) == fresh_snapshot(browser, page.url)
    assert page.evaluate("history.length") == history + 3

    # back and forward: drawn from the answers too, with no request
    page.evaluate(PLOTS_JS)
    requests.clear()
    page.go_back()
    expect(page).to_have_url(url_has(**CHANGES[1][1]), timeout=TIMEOUT)
    settle(page)
    assert requests.requests == [] and page.evaluate("window.__plots") == 1
    assert page.evaluate(SNAPSHOT_JS) == fresh_snapshot(browser, page.url)
    for _ in range(2):
        wait_prefetched(page)
        page.go_back()
        page.wait_for_timeout(300)
    expect(page).to_have_url(live_server.url + "/" + START, timeout=TIMEOUT)
    settle(page)
    assert requests.requests == []
    assert page.evaluate(SNAPSHOT_JS) == first


def test_a_change_the_page_has_no_answer_for_goes_to_the_server(page, live_server):
    """With no answers (the server has none to give), a change is the resolver's request and
    the table's, as without prefetching, and the page still draws the view."""
    page.route("**/_frontier/next*", lambda route: route.fulfill(status=200, content_type="application/json",
                                                                  body='{"answers": [], "next": null}'))
    page.goto(live_server.url + "/" + START)
    settle(page)
    requests = DashRequests(page)
    page.locator("#control-sequence").get_by_text("8k/1k", exact=True).click()
    expect(page).to_have_url(url_has(seq="8k1k"), timeout=TIMEOUT)
    wait_for_chart_where(page, "gd.layout.meta.series.length > 0")
    settle(page)
    assert any("control-sequence.value" in c for c in requests.changed), requests.changed
    assert any("chart-drawn.data" in c for c in requests.changed), requests.changed  # the table, after the draw
    assert "8k/1k" in page.evaluate("document.getElementById('points-summary').textContent")


def test_after_a_legend_hide_or_a_view_toggle_changes_are_still_answered_ahead(page, browser, live_server):
    """Hiding a series or switching log scale is written into the address (and the legend's
    store or the toggles) by the browser alone; the answers asked for that address are still
    the server's answers to the requests the page then sends, so the next change is drawn
    with no request, keeping the series hidden and the scale, exactly as a fresh load."""
    page.goto(live_server.url + "/" + START)
    settle(page)
    wait_prefetched(page)
    hidden_key = page.evaluate("document.querySelector('#chart-legend .legend-item').dataset.key")
    page.locator("#chart-legend .legend-item").first.click()
    expect(page).to_have_url(url_has(hide=hidden_key), timeout=TIMEOUT)
    page.locator("#control-toggles").get_by_text("Log scale", exact=True).click()
    expect(page).to_have_url(url_has(hide=hidden_key, log="1"), timeout=TIMEOUT)
    wait_prefetched(page)
    requests = DashRequests(page)
    page.locator("#control-sequence").get_by_text("1k/8k", exact=True).click()
    expect(page).to_have_url(url_has(seq="1k8k", log="1"), timeout=TIMEOUT)
    settle(page)
    assert requests.requests == [], requests.changed
    assert page.evaluate(SNAPSHOT_JS) == fresh_snapshot(browser, page.url)
