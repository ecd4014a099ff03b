"""The app serves its pages and draws the default chart with no console error."""

import pytest
from playwright.sync_api import expect

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
