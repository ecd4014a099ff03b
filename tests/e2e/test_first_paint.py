"""A page's picture (presenters/first_paint.py, assets/first_paint.js): the page and its chart
are on screen before Dash's renderer starts, exactly where and as the live page draws them,
and the live page takes over once its own chart is drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import TIMEOUT, wait_for_chart

pytestmark = pytest.mark.browser

DEEP_LINK = "/?model=dsr1&seq=1k8k&precision=fp4,fp8&metric=tokmw&x=intvty&log=1"
PICTURE_CHART = "document.querySelector('.first-paint [data-first-paint-chart]')"
LIVE_CHART = "document.querySelector('#main-chart .js-plotly-plot')"

# What a reader sees of a chart: where it is (page coordinates) and what it draws
CHART_SEEN = """(gd) => { const b = gd.getBoundingClientRect(); const L = gd._fullLayout;
  const points = gd.data.find(t => (t.meta || {}).role === 'points');
  return {box: [b.x, b.y + window.scrollY, b.width, b.height].map(Math.round), traces: gd.data.length,
          x: Array.from(points.x), y: Array.from(points.y), axes: [L.xaxis.type, L.yaxis.type],
          range: [L.xaxis.range, L.yaxis.range], title: L.yaxis.title.text, curves: (gd.layout.shapes || []).length,
          paper: L.paper_bgcolor, lines: Array.from(gd.querySelectorAll('.scatterlayer .trace')).length}; }"""


def hold_dash(page) -> None:
    """Dash never starts: its renderer is an inert stand-in and the component bundles that need
    it are empty, so the picture stays (the takeover is tested on its own below)."""
    def script(body: str):
        return lambda route: route.fulfill(status=200, content_type="application/javascript", body=body)
    page.route("**/dash_renderer*", script("window.DashRenderer = function () {};"))
    page.route("**/_dash-component-suites/dash/dcc/**", script(""))
    page.route("**/_dash-component-suites/dash/html/**", script(""))


def picture_chart(page) -> dict:
    page.wait_for_function(f"(() => {{ const gd = {PICTURE_CHART}; return !!(gd && gd._fullLayout); }})()",
                           timeout=TIMEOUT)
    return page.evaluate(f"({CHART_SEEN})({PICTURE_CHART})")


def live_chart(browser, url: str, theme: str | None = None, width: int = 1300) -> dict:
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    try:
        live = context.new_page()
        if theme:
            live.add_init_script(f"localStorage.setItem('theme-store', JSON.stringify({theme!r}))")
        live.goto(url)
        wait_for_chart(live)
        expect(live.locator(".first-paint")).to_have_count(0, timeout=TIMEOUT)
        live.wait_for_timeout(300)
        return live.evaluate(f"({CHART_SEEN})({LIVE_CHART})")
    finally:
        context.close()


@pytest.mark.parametrize("width", [1300, 420])  # a desktop and a phone: the toolbar wraps on the phone
def test_the_page_and_its_chart_are_painted_before_dash_starts_where_and_as_the_live_page_draws_them(
        page, browser, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    hold_dash(page)
    page.goto(live_server.url + DEEP_LINK)
    pictured = picture_chart(page)
    picture = page.locator(".first-paint")
    expect(picture.locator("h1")).to_have_text("Inference Performance")
    expect(picture.locator("label.active")).to_have_text("1k/8k")  # the address's sequence, chosen
    expect(picture.locator(".dash-dropdown-value").first).to_have_text("DeepSeek R1 0528")
    # the live page owns the ids (Plotly's own, inside the chart, excepted)
    assert page.evaluate("document.querySelectorAll('.first-paint [id]:not(.js-plotly-plot *)').length") == 0
    assert page.evaluate("document.querySelector('.first-paint').inert") is True
    assert page.evaluate("getComputedStyle(document.getElementById('react-entry-point')).visibility") == "hidden"
    assert pictured["lines"] > 0 and pictured["axes"] == ["log", "log"]

    expect(picture.locator(".chart-toolbar")).to_contain_text("Download CSV (all")  # the live page's label
    live = live_chart(browser, live_server.url + DEEP_LINK, width=width)
    assert pictured == live  # same place to the pixel, same points, axes, curves and colours


def test_the_live_page_takes_over_once_its_chart_is_drawn(page, live_server):
    # when the picture's chart was drawn (Plotly's newPlot called for it), in the page's clock
    page.add_init_script("""(() => { let P; Object.defineProperty(window, 'Plotly', {configurable: true, get: () => P,
      set(v) { P = v; const newPlot = v.newPlot; v.newPlot = function (gd) {
        if (gd.closest && gd.closest('.first-paint')) { window.__pictureDrawn = performance.now(); }
        return newPlot.apply(this, arguments); }; } }); })();""")
    page.goto(live_server.url + DEEP_LINK)
    wait_for_chart(page)
    # React and Dash's scripts were asked for only after it (held in a template until then)
    started = page.evaluate("""() => performance.getEntriesByType('resource')
      .filter(e => /react-dom@|dash_renderer|dash_core_components\\./.test(e.name)).map(e => e.startTime)""")
    drawn = page.evaluate("window.__pictureDrawn")
    assert drawn and len(started) == 3 and min(started) > drawn
    expect(page.locator(".first-paint")).to_have_count(0, timeout=TIMEOUT)
    assert page.evaluate("getComputedStyle(document.getElementById('react-entry-point')).visibility") == "visible"
    assert page.evaluate("document.querySelectorAll('.js-plotly-plot').length") == 1
    # and it answers: a click is a new view
    page.locator("#control-sequence").get_by_text("8k/1k", exact=True).click()
    page.wait_for_function("() => location.search.includes('seq=8k1k')", timeout=TIMEOUT)
    page.wait_for_function(f"(() => {{ const gd = {LIVE_CHART}; return gd && gd.layout.meta.series.length > 0 && "
                           "document.querySelector('#control-sequence input[value=\"8k1k\"]').checked; })()",
                           timeout=TIMEOUT)


def test_a_dark_reader_gets_a_dark_picture(page, browser, live_server):
    page.add_init_script("localStorage.setItem('theme-store', JSON.stringify('dark'))")
    hold_dash(page)
    page.goto(live_server.url + DEEP_LINK)
    pictured = picture_chart(page)
    assert page.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    live = live_chart(browser, live_server.url + DEEP_LINK, theme="dark")
    assert pictured["paper"] == live["paper"] != "#fff"
    assert pictured == live


@pytest.mark.parametrize("address", [
    "/compare/dsr1-h200-vs-b200?seq=1k1k&precision=fp8",
    "/compare-spec-decode/dsr1-b300-fp8-mtp-vs-off?seq=1k1k",
    "/calculator?model=dsr1&seq=1k1k&precision=fp8&target=35&users=1000",
    "/history?model=dsr1&seq=1k1k&precision=fp8&target=40&gpus=b200",
])
def test_every_page_with_a_chart_paints_it_before_dash(page, live_server, address):
    hold_dash(page)
    page.goto(live_server.url + address)
    page.wait_for_function(f"(() => {{ const gd = {PICTURE_CHART}; return !!(gd && gd._fullData && "
                           f"gd._fullData.length > 0); }})()", timeout=TIMEOUT)
    assert page.evaluate("document.querySelector('.first-paint h1').textContent").strip()


def test_a_hostile_address_is_text_in_the_picture(page, live_server):
    hold_dash(page)
    page.goto(live_server.url + "/?model=dsr1&seq=1k1k&precision=fp8&gpus=%3Cimg%20src%3Dx%20onerror%3D"
                                 "window.__pwned%3D1%3E&labels=%22%3E%3Cscript%3Ewindow.__pwned%3D2%3C/script%3E")
    picture_chart(page)
    assert page.evaluate("document.querySelectorAll('.first-paint img, .first-paint script').length") == 0
    assert page.evaluate("window.__pwned") is None
    expect(page.locator(".first-paint .alert")).to_contain_text("ignored")


def test_leaving_a_page_at_once_leaves_no_error_behind(page, live_server):
    """The first table and its CSV label wait until the browser is idle; a reader who leaves for
    another page before then must not see the page's deferred work fail (page errors fail here).
    A busy machine is the usual cause; here the browser is never idle before the 1.5 s timeout."""
    page.add_init_script("window.requestIdleCallback = (f, o) => setTimeout(f, (o && o.timeout) || 1500);")
    for _ in range(2):
        page.goto(live_server.url + DEEP_LINK)
        wait_for_chart(page)
        page.get_by_role("link", name="Comparisons", exact=True).click()  # a page with no chart or table
        page.wait_for_function("() => location.pathname === '/compare'", timeout=TIMEOUT)
        page.wait_for_timeout(1800)  # past the first table's idle timeout (1.5 s)
