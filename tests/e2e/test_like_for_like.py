"""Like-for-like filters, best per GPU and your own prices, set from the page's own controls
and read back from what the page shows (issue 14)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (PLOTS_JS, TIMEOUT, api_points, get_json, table_column, table_row_count, url_has,
                               url_lacks, wait_for_chart, wait_for_chart_where, wait_prefetched)

pytestmark = pytest.mark.browser

BASE = "/?model=dsr1&seq=1k1k&precision=fp8"


def pill(page, filter_key: str, label: str):
    return page.locator(f"#filter-{filter_key} label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))


def expect_points(page, base, count: int) -> None:
    wait_for_chart_where(page, "gd._fullData.filter(t => (t.meta||{}).role === 'points')"
                               f".reduce((s, t) => s + t.x.length, 0) === {count}")
    expect(page.locator("#points-table .points-range")).to_contain_text(f"of {count}", timeout=TIMEOUT)


@pytest.mark.parametrize("key, label, param, column, expect_value", [
    ("vendor", "AMD", "amd", "GPU", {"MI300X", "MI325X", "MI355X"}),
    ("framework", "SGLang", "sglang", "Framework", {"sglang"}),
    ("deployment", "Single-node", "single-node", "Deployment", {"Single-node"}),
    ("spec", "MTP", "mtp", "Spec decoding", {"MTP"}),
    ("gpucount", "8 GPUs", "8", "GPUs", {8}),
])
def test_each_filter_pill_narrows_chart_table_and_csv_and_is_in_the_url(page, live_server, key, label, param, column,
                                                                          expect_value):
    page.goto(live_server.url + BASE)
    wait_for_chart(page)
    everything = table_row_count(page)
    # the filters come folded under one line (the chart stays near the top); it opens them
    panel = page.locator("#filters-panel")
    expect(pill(page, key, label)).to_be_hidden()
    expect(page.locator("#filters-badge")).to_have_text("")
    panel.locator("summary").click()
    pill(page, key, label).click()
    expect(page).to_have_url(url_has(**{key: param}), timeout=TIMEOUT)
    expect(page.locator("#filters-badge")).to_have_text("1 on", timeout=TIMEOUT)
    rows = api_points(live_server.url, f"{BASE.lstrip('/')}&{key}={param}")
    assert 0 < len(rows) < everything
    expect_points(page, live_server.url, len(rows))
    assert set(table_column(page, column)) <= expect_value
    # the link reopens the same view, the pill shown as chosen
    page.goto(page.url)
    expect(panel).to_have_attribute("open", "", timeout=TIMEOUT)  # a filter on: the panel opens by itself
    expect(pill(page, key, label)).to_be_visible()
    expect(pill(page, key, label)).to_have_class(re.compile(r"\bactive\b"), timeout=TIMEOUT)
    expect_points(page, live_server.url, len(rows))


def test_best_per_gpu_switch_draws_one_series_per_gpu(page, live_server):
    page.goto(live_server.url + BASE)
    wait_for_chart(page)
    many = page.locator("#chart-legend .legend-item").count()
    page.locator("#control-best label", has_text="Best per GPU").click()
    expect(page).to_have_url(url_has(best="1"), timeout=TIMEOUT)
    index = live_server.app.server.config["FRONTIER_CONTEXT"].index
    gpus = index.catalog.gpus[("dsr1", "1k1k")]
    with_fp8 = [g for g in gpus if ((index.by_model_seq[("dsr1", "1k1k")]["gpu"].astype(str) == g)
                                    & (index.by_model_seq[("dsr1", "1k1k")]["precision"].astype(str) == "fp8")).any()]
    expect(page.locator("#chart-legend .legend-item")).to_have_count(len(with_fp8), timeout=TIMEOUT)
    assert len(with_fp8) < many
    names = page.locator("#chart-legend .legend-name").all_inner_texts()
    assert sorted(names) == sorted(index.reference.gpu_label(g) for g in with_fp8)


def cost_cells(page, side: str) -> list[str]:
    rows = page.locator("#comparison-table tbody tr")
    cost = rows.filter(has=page.locator("th", has_text="Cost"))
    return cost.locator(f".side-line:has(.side-{side}) .cell-value").all_inner_texts()


def test_a_custom_price_typed_in_the_panel_reprices_the_table_and_stays_in_the_url(page, live_server):
    path = "/compare/dsr1-h200-vs-b200?seq=1k1k&precision=fp8"
    page.goto(live_server.url + path)
    expect(page.locator("#comparison-table table")).to_be_visible(timeout=TIMEOUT)
    before_b, before_h = cost_cells(page, "b"), cost_cells(page, "a")
    page.locator("#prices-panel summary").click()
    box = page.locator("input[name='price-input-b200']")
    expect(box).to_have_attribute("placeholder", "1.95")  # the reference price, shown as such
    box.fill("3.9")
    box.press("Enter")
    expect(page).to_have_url(url_has(price="b200:3.9"), timeout=TIMEOUT)
    expect(page.locator("#prices-badge")).to_have_text("custom prices in force")
    _s, api = get_json(live_server.url + "/api/v1/compare/gpu/dsr1-h200-vs-b200?seq=1k1k&precision=fp8&price=b200:3.9")
    want = [c["b"]["text"] for r in api["table"] if r["key"] == "cost" for c in r["cells"]]
    expect(page.locator("#comparison-table .prices-used")).to_contain_text("B200 $3.90/GPU-hr (custom)", timeout=TIMEOUT)
    assert cost_cells(page, "b") == want != before_b
    assert cost_cells(page, "a") == before_h  # the other GPU keeps its price
    # doubled price, doubled cost (to the displayed precision)
    for old, new in zip(before_b, want):
        assert abs(float(new.strip("$")) - 2 * float(old.strip("$"))) <= 0.0015
    # the link restores the panel; Reset goes back to the reference prices
    page.goto(page.url)
    expect(page.locator("input[name='price-input-b200']")).to_have_value("3.9", timeout=TIMEOUT)
    page.locator("#prices-reset").click()
    expect(page).to_have_url(url_lacks("price"), timeout=TIMEOUT)
    expect(page.locator("#prices-badge")).to_have_text("")
    page.wait_for_function("([w]) => Array.from(document.querySelectorAll('#comparison-table tbody tr')).length > 0",
                           arg=[1])
    expect(page.locator("#comparison-table .prices-used")).not_to_contain_text("custom", timeout=TIMEOUT)
    assert cost_cells(page, "b") == before_b


def test_the_provider_choice_reprices_a_comparison(page, live_server):
    page.goto(live_server.url + "/compare/dsr1-h200-vs-b200?seq=1k1k&precision=fp8")
    expect(page.locator("#comparison-table table")).to_be_visible(timeout=TIMEOUT)
    page.locator("#prices-panel summary").click()
    page.locator("#control-provider label", has_text="3-year rental").click()
    expect(page).to_have_url(url_has(provider="rental"), timeout=TIMEOUT)
    expect(page.locator("#comparison-table .prices-used")).to_contain_text("Priced at 3-year rental rates",
                                                                           timeout=TIMEOUT)
    expect(page.locator("input[name='price-input-b200']")).to_have_attribute("placeholder", "2.9")


def test_invalid_filters_and_prices_in_a_link_are_named_in_the_notice(page, live_server):
    page.goto(live_server.url + BASE + "&vendor=intel&price=b200:-3&kw=nosuchgpu:2&gpucount=lots")
    wait_for_chart(page)
    notice = page.locator("#url-notice")
    for word in ("intel", "-3", "nosuchgpu", "lots"):
        expect(notice).to_contain_text(word, timeout=TIMEOUT)
    expect(page.locator("#prices-badge")).to_have_text("")


# the highest y of each series drawn, by its legend name
MAX_Y_PER_SERIES = """() => {
  const gd = document.querySelector('#main-chart .js-plotly-plot'), t = gd._fullData[0];
  const owner = gd.data[0].meta.series, names = gd.layout.meta.series.map(s => s.name), out = {};
  Array.from(t.y).forEach((y, i) => { const n = names[owner[i]]; out[n] = Math.max(out[n] || 0, y); });
  return out;
}"""


def test_the_per_dollar_comparison_page_shows_the_api_numbers_and_follows_a_custom_price(page, live_server):
    path = "/compare-per-dollar/dsr1-h200-vs-b200?seq=1k1k&precision=fp8"
    page.goto(live_server.url + path)
    expect(page.locator("#comparison-table table")).to_be_visible(timeout=TIMEOUT)
    first = page.locator("#comparison-table tbody tr").first
    expect(first.locator("th")).to_contain_text("Tokens per dollar")
    _s, api = get_json(live_server.url + "/api/v1/compare/per-dollar/dsr1-h200-vs-b200?seq=1k1k&precision=fp8")
    want = [c[s]["text"] for c in api["table"][0]["cells"] for s in ("a", "b")]
    assert first.locator(".cell-value").all_inner_texts() == want
    expect(page.locator("#comparison-narrative p").first).to_contain_text("more tokens per dollar than")
    # the chart shows what the page is about: tokens per dollar, at the page's own prices
    wait_for_chart_where(page, "gd.layout.yaxis.title.text.startsWith('Tokens per dollar')")
    assert "metric=" not in page.url  # the page's default: its address does not need to say it
    before = page.evaluate(MAX_Y_PER_SERIES)
    page.locator("#prices-panel summary").click()
    box = page.locator("input[name='price-input-b200']")
    box.fill("0.975")  # half of 1.95
    box.press("Enter")
    expect(page).to_have_url(url_has(price="b200:0.975"), timeout=TIMEOUT)
    expect(page.locator("#comparison-table .prices-used")).to_contain_text("(custom)", timeout=TIMEOUT)
    b200, h200 = (next(k for k in before if k.startswith(g)) for g in ("B200", "H200"))
    wait_for_chart_where(page, f"(({MAX_Y_PER_SERIES})())[{b200!r}] > {1.9 * before[b200]}")
    after_chart = page.evaluate(MAX_Y_PER_SERIES)
    assert after_chart[b200] == pytest.approx(2 * before[b200], rel=1e-3) and after_chart[h200] == before[h200]
    after = page.locator("#comparison-table tbody tr").first.locator(".cell-value").all_inner_texts()
    for old, new in zip(want[1::2], after[1::2]):  # B200's cells: twice the tokens per dollar
        assert abs(int(new.replace(",", "")) - 2 * int(old.replace(",", ""))) <= 2
    assert after[0::2] == want[0::2]  # H200's untouched


def test_only_this_switches_precision_and_gpu_in_one_click_and_one_request(page, live_server):
    from tests.e2e.helpers import DashRequests

    page.goto(live_server.url + "/?model=dsr1&seq=1k1k&precision=fp4,fp8&gpus=b200,h200")
    wait_for_chart(page)
    # the click is answered from the answer fetched ahead of it (callbacks/prefetch.py) when it
    # has arrived, else by one request; waiting for it makes the test one of those two paths
    wait_prefetched(page)
    page.evaluate(PLOTS_JS)
    requests = DashRequests(page)
    page.locator("#only-precision-links button", has_text="FP4").click()
    expect(page).to_have_url(url_has(precision="fp4"), timeout=TIMEOUT)
    expect(page.locator("#control-precision input[value='fp8']")).not_to_be_checked()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__plots") == 1  # one click, one redraw
    assert [c for c in requests.changed if any(p.startswith("{") for p in c)] == []  # and no wait on the server
    # with the answers not yet there (a new address), the same click is one request
    page.route("**/_frontier/next*", lambda route: route.fulfill(status=200, content_type="application/json",
                                                                  body='{"answers": [], "next": null}'))
    page.goto(live_server.url + "/?model=dsr1&seq=8k1k&precision=fp4,fp8&gpus=b200,h200")
    wait_for_chart(page)
    requests.clear()
    page.locator("#only-precision-links button", has_text="FP4").click()
    expect(page).to_have_url(url_has(precision="fp4", seq="8k1k"), timeout=TIMEOUT)
    page.wait_for_timeout(500)
    resolver_calls = [c for c in requests.changed if any(p.startswith("{") for p in c)]
    assert len(resolver_calls) == 1  # one click, one request for the new view
    page.locator("#only-gpu-links button", has_text="H200").click()
    expect(page).to_have_url(url_has(gpus="h200", precision="fp4"), timeout=TIMEOUT)
    rows = api_points(live_server.url, "?model=dsr1&seq=1k1k&precision=fp4&gpus=h200")
    wait_for_chart_where(page, "gd._fullData.filter(t => (t.meta||{}).role === 'points')"
                               f".reduce((s, t) => s + t.x.length, 0) === {len(rows)}")
    # keyboard: the links are buttons, reachable and pressed with Enter
    link = page.locator("#only-precision-links button", has_text="FP8")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url_has(precision="fp8"), timeout=TIMEOUT)
