"""What a new user saw wrong (issue 10), checked the way they would see it: in the browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import TIMEOUT, get_json, http_get, pick, url_has, wait_for_chart

pytestmark = pytest.mark.browser

# (typed address, canonical path): every spelling a user types lands on the one page
SPELLINGS = [
    ("/compare/dsr1-b200-vs-h200?seq=1k1k&precision=fp8", "/compare/dsr1-h200-vs-b200"),
    ("/compare-precision/dsr1-b200-fp8-vs-fp4?seq=8k1k", "/compare-precision/dsr1-b200-fp4-vs-fp8"),
    ("/compare-spec-decode/deepseek-r1-0528-b200-fp4-mtp-vs-off?seq=1k1k", "/compare-spec-decode/dsr1-b200-fp4-mtp-vs-off"),
    ("/compare-spec-decode/dsr1-b200-fp4-mtp-vs-none?seq=1k1k", "/compare-spec-decode/dsr1-b200-fp4-mtp-vs-off"),
    ("/compare-spec-decode/DSR1-B200-NVFP4-MTP-VS-OFF?seq=1k1k", "/compare-spec-decode/dsr1-b200-fp4-mtp-vs-off"),
]


def comparison_cells(page) -> list[str]:
    return page.locator("#comparison-table .cell-value").all_inner_texts()


@pytest.mark.parametrize("typed, canonical", SPELLINGS)
def test_every_spelling_of_a_comparison_lands_on_its_page(page, live_server, typed, canonical):
    assert http_get(live_server.url + typed)[0] == 200  # after the permanent redirect (urllib follows it)
    page.goto(live_server.url + typed)
    query = typed.split("?", 1)[1]
    expect(page).to_have_url(re.compile(re.escape(live_server.url + canonical) + r"\?" + re.escape(query) + "$"),
                             timeout=TIMEOUT)
    expect(page.locator("#comparison-table table")).to_be_visible(timeout=TIMEOUT)
    assert page.get_by_role("heading", name="Comparison not found").count() == 0
    # the same numbers as the canonical page's API
    prefix, slug = canonical.rsplit("/", 1)
    kind = {"/compare-spec-decode": "spec-decode", "/compare-precision": "precision", "/compare": "gpu"}[prefix]
    _status, payload = get_json(f"{live_server.url}/api/v1/compare/{kind}/{slug}?{query}")
    assert comparison_cells(page)[:2] == [payload["table"][0]["cells"][0]["a"]["text"],
                                          payload["table"][0]["cells"][0]["b"]["text"]]


def test_the_api_redirects_other_spellings_and_its_page_link_keeps_every_parameter(live_server):
    import urllib.request

    class NoFollow(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoFollow)
    try:
        opener.open(live_server.url + "/api/v1/compare/gpu/dsr1-b300-vs-b200?seq=1k1k&precision=fp4")
        raise AssertionError("expected a redirect")
    except urllib.error.HTTPError as moved:
        assert moved.code == 308
        assert moved.headers["Location"].endswith("/api/v1/compare/gpu/dsr1-b200-vs-b300?seq=1k1k&precision=fp4")
    status, payload = get_json(live_server.url + "/api/v1/compare/gpu/dsr1-b200-vs-b300?seq=1k1k&precision=fp4&targets=40")
    assert status == 200 and payload["precision"] == "fp4"
    assert payload["page"] == "/compare/dsr1-b200-vs-b300?seq=1k1k&precision=fp4&targets=40"


def test_provider_prices_the_table_and_the_page_names_them(page, live_server):
    path = "/compare/dsr1-h200-vs-b200?seq=1k1k&precision=fp8"
    _s, hyper = get_json(live_server.url + "/api/v1/compare/gpu/dsr1-h200-vs-b200?seq=1k1k&precision=fp8")
    _s, neo = get_json(live_server.url + "/api/v1/compare/gpu/dsr1-h200-vs-b200?seq=1k1k&precision=fp8&provider=neocloud")
    cost = lambda payload: [c["a"]["text"] for r in payload["table"] if r["key"] == "cost" for c in r["cells"]]  # noqa: E731
    assert cost(hyper) != cost(neo)
    assert neo["prices"][0]["provider"] == "neocloud" and neo["prices"][0]["price"] == 1.74  # H200

    page.goto(live_server.url + path)
    expect(page.locator("#comparison-table .prices-used")).to_contain_text("Priced at hyperscaler rates",
                                                                           timeout=TIMEOUT)
    expect(page.locator("#comparison-table .prices-used")).to_contain_text("H200 $1.41/GPU-hr, 1.73 kW/GPU")
    # a neocloud cost metric on the chart carries the provider to the table
    pick(page, "control-metric", "Cost per million all tokens (Neocloud) [$/M tokens]")
    expect(page).to_have_url(url_has(provider="neocloud", metric="cost_total_neocloud"), timeout=TIMEOUT)
    expect(page.locator("#comparison-table .prices-used")).to_contain_text("Priced at neocloud rates", timeout=TIMEOUT)
    expect(page.locator("#comparison-table .prices-used")).to_contain_text("H200 $1.74/GPU-hr")
    cells = comparison_cells(page)
    for text in cost(neo):
        assert text in cells


def date_choices(page) -> list[str]:
    page.locator("#control-date").click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible(timeout=TIMEOUT)
    texts = [" ".join(t.split()) for t in options.all_inner_texts()]
    texts = [t for t in texts if t.startswith(("Latest", "As of"))]  # not the table's page-size choices
    page.keyboard.press("Escape")
    return texts


def test_the_run_date_picker_offers_only_dates_of_this_model_and_sequence(page, live_server):
    index = live_server.app.server.config["FRONTIER_CONTEXT"].index
    page.goto(live_server.url + "/?model=dsr1&seq=1k1k&precision=fp8")
    wait_for_chart(page)
    shown = [o.replace("As of ", "") for o in date_choices(page)[1:]]
    assert shown == sorted(index.catalog.dates_for("dsr1", "1k1k"), reverse=True)
    assert "2025-10-06" not in shown  # the first run measured no 1k/1k
    page.goto(live_server.url + "/?model=qwen3.5")
    wait_for_chart(page)
    assert [o.replace("As of ", "") for o in date_choices(page)[1:]] == index.catalog.dates_for("qwen3.5", "1k1k")


def test_an_empty_view_names_the_true_reason_and_one_click_leaves_it(page, live_server):
    page.goto(live_server.url + "/?model=dsr1&seq=1k1k&precision=fp8&date=2025-10-06")
    empty = page.locator("#chart-empty")
    expect(empty).to_contain_text("No DeepSeek R1 0528 1k/1k measurement on or before 2025-10-06; the first is from "
                                  "2025-11-02.", timeout=TIMEOUT)
    empty.get_by_role("link", name="Show the latest measurements").click()
    expect(empty).not_to_contain_text("No DeepSeek", timeout=TIMEOUT)
    expect(page).not_to_have_url(re.compile("date="), timeout=TIMEOUT)
    wait_for_chart(page)


def test_changing_model_names_each_choice_it_cannot_keep(page, live_server):
    page.goto(live_server.url + "/?model=dsr1&seq=1k1k&precision=fp8&gpus=b200&metric=cost")
    wait_for_chart(page)
    expect(page.locator("#url-notice")).to_be_hidden()
    pick(page, "control-model", "Qwen 3.5 397B-A17B")
    expect(page).to_have_url(url_has(model="qwen3.5", precision="fp4", metric="cost"), timeout=TIMEOUT)
    notice = page.locator("#url-notice")
    expect(notice).to_contain_text("Some of your choices had to change", timeout=TIMEOUT)
    expect(notice).to_contain_text("Qwen 3.5 397B-A17B 1k/1k has no FP8 results: showing FP4.")
    expect(notice).to_contain_text("B200 has no Qwen 3.5 397B-A17B 1k/1k results")
    # the metric, which Qwen supports, was kept without a word
    assert "metric" not in notice.inner_text().lower()


def test_unknown_addresses_answer_what_they_are(page, live_server):
    status, payload = get_json(live_server.url + "/api/v1/no-such-thing")
    assert status == 404 and payload == {"error": "no API endpoint at /api/v1/no-such-thing", "see": "/api/v1"}
    status, listing = get_json(live_server.url + "/api/v1")
    assert status == 200 and any(e["endpoint"].startswith("GET /api/v1/compare/") for e in listing["endpoints"])
    page.goto(live_server.url + "/methodology")
    expect(page.get_by_role("heading", name="Methodology", exact=True).first).to_be_visible(timeout=TIMEOUT)
    page.goto(live_server.url + "/somewhere-else")
    # Chromium reports the document's own 404 status as a console error; that status is the point here
    page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e]
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible(timeout=TIMEOUT)
    assert page.get_by_role("heading", name="Comparison not found").count() == 0
    assert http_get(live_server.url + "/somewhere-else")[0] == 404
    page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e]


def test_a_side_read_off_two_frontier_points_is_marked_and_its_cost_checked(page, live_server):
    page.goto(live_server.url + "/compare-spec-decode/dsr1-gb300-fp4-mtp-vs-off?seq=1k1k")
    expect(page.locator("#comparison-table table")).to_be_visible(timeout=TIMEOUT)
    first_cost = page.locator("#comparison-table tbody tr").nth(1).locator(".side-line").first
    expect(first_cost).to_contain_text("MTP: $1.035")
    expect(first_cost.locator(".few-points-mark")).to_have_count(1)
    expect(first_cost.locator(".implied-cost")).to_have_text("price ÷ throughput gives $0.068")
    expect(page.locator("#comparison-table .table-marks")).to_contain_text("MTP is read off a frontier of only 2 point(s)")
    # the Off side has six frontier points: no mark on it
    off = page.locator("#comparison-table tbody tr").first.locator(".side-line").nth(1)
    expect(off).to_contain_text("Off:")
    expect(off.locator(".few-points-mark")).to_have_count(0)
