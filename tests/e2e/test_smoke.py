"""The app serves its pages and draws the default chart with no console error."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import wait_for_chart_where

pytestmark = pytest.mark.browser


def test_default_page_draws_the_chart(page, live_server):
    page.goto(live_server.url + "/")
    chart = page.locator("#main-chart .js-plotly-plot")
    expect(chart).to_be_visible(timeout=20000)
    page.wait_for_function("document.querySelector('#main-chart .js-plotly-plot').data.length > 0", timeout=20000)
    page.wait_for_function("document.querySelectorAll('#chart-legend .legend-item').length > 0", timeout=20000)
    series = page.evaluate("document.querySelector('#main-chart .js-plotly-plot').layout.meta.series.length")
    assert series == page.locator("#chart-legend .legend-item").count() > 0  # a legend item per series
    shapes = page.evaluate("document.querySelector('#main-chart .js-plotly-plot').layout.shapes.length")
    assert shapes >= 1  # the frontier curves are drawn as path shapes
    expect(page.locator("#control-model")).to_contain_text("DeepSeek R1 0528")


DEEP = "/?model=dsr1&seq=8k1k&precision=fp4,fp8&metric=tokmw&x=e2el&log=1"
SEED = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"


def _drawn(page):
    wait_for_chart_where(page, "gd._fullData[0].x.length > 0")


@pytest.mark.parametrize("path", [DEEP, SEED])
def test_a_first_load_needs_no_callback_request(page, live_server, path):
    # The layout arrives with the page, its state, chart, tables (and comparison) in it, and the
    # Locations already at the address: the first chart is drawn without a callback round trip.
    calls = []
    page.on("request", lambda r: calls.append(r.url) if "/_dash-update-component" in r.url else None)
    page.goto(live_server.url + path)
    _drawn(page)
    expect(page.locator("#points-table tbody tr").first).to_be_visible()
    page.wait_for_timeout(500)  # anything late would show up here
    assert calls == []
    if "compare" in path:
        expect(page.locator("#comparison-table")).to_contain_text("4729.0")


def test_a_layout_served_without_the_page_address_is_routed(page, live_server):
    # A browser that sends no Referer gets the bare shell; the routing callback then renders it.
    def without_referer(route):
        headers = {k: v for k, v in route.request.headers.items() if k.lower() != "referer"}
        route.continue_(headers=headers)

    page.route("**/_dash-layout", without_referer)
    page.goto(live_server.url + SEED)
    _drawn(page)
    expect(page.locator("#comparison-table")).to_contain_text("4729.0", timeout=20000)
    expect(page.locator("#points-table tbody tr").first).to_be_visible()
    page.goto(live_server.url + DEEP)
    _drawn(page)
    expect(page.locator("#control-sequence input:checked")).to_have_value("8k1k")
    assert page.evaluate("document.querySelector('#main-chart .js-plotly-plot').layout.yaxis.type") == "log"
