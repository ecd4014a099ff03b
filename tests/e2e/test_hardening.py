"""Hardening as a visitor meets it (issue 12): the page under its own Content-Security-Policy,
deep links with no Referer or a long address, security headers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import TIMEOUT, http_get

pytestmark = pytest.mark.browser

POINT = "#main-chart .scatterlayer .point"


def test_the_app_runs_under_its_content_security_policy(strict_page, live_server):
    """No page needs eval, an inline script without the nonce or anything from another origin:
    a violation would be a console error (the fixture fails on any)."""
    page = strict_page
    page.goto(live_server.url + "/?model=dsr1&seq=1k1k&precision=fp8")
    expect(page.locator(POINT).first).to_be_attached(timeout=TIMEOUT)
    page.locator("#control-sequence label", has_text="8k/1k").click()
    expect(page).to_have_url(re.compile(r"seq=8k1k"), timeout=TIMEOUT)
    page.locator("#control-toggles label", has_text="Log scale").click()
    expect(page).to_have_url(re.compile(r"log=1"), timeout=TIMEOUT)
    page.locator("#chart-legend .legend-item").first.click()
    expect(page.locator("#chart-legend .legend-item.off")).to_have_count(1)
    page.locator("#theme-switch").check()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    with page.expect_download(timeout=TIMEOUT) as csv:
        page.locator("#download-csv-button").click()
    assert csv.value.suggested_filename.endswith(".csv")
    with page.expect_download(timeout=TIMEOUT) as png:
        page.locator("#download-png").click()
    assert png.value.suggested_filename.endswith(".png")
    page.get_by_role("link", name="Comparisons").first.click()
    page.get_by_role("link", name=re.compile(r"^B300 FP4: MTP vs Off")).first.click()
    expect(page.locator("#comparison-table table")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(POINT).first).to_be_attached(timeout=TIMEOUT)


@pytest.mark.parametrize("path", ["/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k",
                                  "/?model=dsr1&seq=8k1k&precision=fp4&metric=jtok"])
def test_a_deep_link_without_any_referer_opens_its_own_view(page, live_server, path):
    """A proxy with Referrer-Policy: no-referrer strips it from every request; the page still
    shows the view its address asks for."""
    def no_referer(route):
        route.continue_(headers={k: v for k, v in route.request.headers.items() if k.lower() != "referer"})

    page.route("**/*", no_referer)
    page.goto(live_server.url + path)
    if path.startswith("/compare"):
        expect(page.locator("#comparison-table")).to_contain_text("MTP: 4729.0", timeout=TIMEOUT)
    else:
        expect(page.locator("#control-sequence input[value='8k1k']")).to_be_checked(timeout=TIMEOUT)
        expect(page.locator("#control-precision input[value='fp4']")).to_be_checked()
        expect(page.locator(POINT).first).to_be_attached(timeout=TIMEOUT)
        assert page.evaluate("() => document.querySelector('#main-chart .js-plotly-plot').layout.meta.metric") == "jtok"


def test_a_long_deep_link_opens_its_view_and_a_too_long_one_says_so(page, live_server):
    # Chromium cuts Referers past 4,096 bytes: this address is near that and still opens its view
    long_tail = "&" + "&".join(f"note{i}=" + "x" * 40 for i in range(80))
    path = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k" + long_tail
    assert 3500 < len(path) < 4096
    page.goto(live_server.url + path)
    expect(page.locator("#comparison-table")).to_contain_text("MTP: 4729.0", timeout=TIMEOUT)
    expect(page.locator("#url-notice")).to_contain_text("Ignored unknown parameter")
    too_long = path + "&more=" + "y" * 600
    status, body, _headers = http_get(live_server.url + too_long)
    assert status == 414 and "This address is too long" in body and "4,096 bytes" in body
    page.goto(live_server.url + too_long)
    expect(page.get_by_role("heading", name="This address is too long")).to_be_visible(timeout=TIMEOUT)
    assert page.locator("#main-chart").count() == 0  # not some other view under this address
    page.console_errors[:] = [e for e in page.console_errors if "status of 414" not in e]


@pytest.mark.parametrize("path, kind", [("/", "text/html"), ("/api/v1/comparisons", "application/json"),
                                        ("/api/v1/points.csv?model=dsr1", "text/csv"), ("/no-such-page", "text/html")])
def test_every_response_carries_the_security_headers(live_server, path, kind):
    _status, _body, headers = http_get(live_server.url + path)
    assert headers["Content-Type"].startswith(kind)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'self'", "object-src 'none'", "base-uri 'self'"):
        assert directive in csp
    assert "unsafe-eval" not in csp and "http" not in csp  # no eval, no other origin


def test_fingerprinted_assets_are_cached_for_a_year_and_pages_are_not(live_server):
    status, html, headers = http_get(live_server.url + "/")
    assert headers["Cache-Control"] == "no-cache"
    asset = re.search(r'src="(/assets/app\.js\?m=[^"]+)"', html).group(1)
    _s, _b, asset_headers = http_get(live_server.url + asset)
    assert asset_headers["Cache-Control"] == "public, max-age=31536000, immutable"
