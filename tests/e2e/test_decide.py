"""The calculator, the history, earlier frontiers on the explorer and the curated views, in
Chromium: each page read from its deep link and compared, cell by cell, with its JSON; every
control's change is in the address and back/forward restores it (issue 15)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import TIMEOUT, get_json, pick, url_has, url_lacks, wait_for_chart

pytestmark = pytest.mark.browser

CALCULATOR = "/calculator?model=dsr1&seq=1k1k&precision=fp8&target=40&users=1000"
HISTORY = "/history?model=dsr1&seq=1k1k&precision=fp8&target=40"
MARKS = re.compile(r"\s*[⚑▼]\s*")

# every body row of a table as {header data-key: the cell's text}, marks left out
TABLE_JS = """(id) => {
  const table = document.getElementById(id);
  const keys = Array.from(table.querySelectorAll('thead th')).map(th => th.dataset.key || null);
  return Array.from(table.querySelectorAll('tbody tr')).map(tr => Object.fromEntries(
    Array.from(tr.children).map((cell, i) => [keys[i] || ('col' + i), cell.innerText])));
}"""


def table(page, table_id: str) -> list[dict]:
    rows = page.evaluate(TABLE_JS, table_id)
    return [{k: MARKS.sub(" ", v).strip() for k, v in row.items()} for row in rows]


def api(live_server, page_name: str, address: str) -> dict:
    status, data = get_json(live_server.url + "/api/v1/" + page_name + address.split(page_name, 1)[1])
    assert status == 200
    return data


def expect_calculator_matches_api(page, live_server) -> dict:
    """Waits until the table shows the rows of the page's own address, then compares each cell."""
    data = api(live_server, "calculator", page.url.replace(live_server.url, ""))
    labels = [r["label"] for r in data["rows"]]
    page.wait_for_function("([id, want]) => JSON.stringify(Array.from(document.querySelectorAll('#' + id + ' tbody th'))"
                           ".map(th => th.innerText)) === JSON.stringify(want)", arg=["calculator-table", labels],
                           timeout=TIMEOUT)
    shown = table(page, "calculator-table")
    keys = [c["key"] for c in data["columns"]]
    for n, (cells, row) in enumerate(zip(shown, data["rows"]), 1):
        assert cells["col0"] == str(n)
        assert {k: cells[k] for k in keys} == {k: row[k]["text"] for k in keys}, row["label"]
        assert cells["accuracy"]  # said for every row, evaluated or not
    return data


def test_calculator_deep_link_shows_exactly_its_json(strict_page, live_server):
    page = strict_page  # under the app's own Content-Security-Policy
    page.goto(live_server.url + CALCULATOR)
    data = expect_calculator_matches_api(page, live_server)
    assert len(data["rows"]) == 9 and data["users"] == 1000
    # the bar chart beside the table: the ranked metric, in the table's order
    page.wait_for_function("() => { const gd = document.querySelector('#calculator-chart .js-plotly-plot');"
                           " return gd && gd._fullData && gd._fullData.length === 1; }", timeout=TIMEOUT)
    bars = page.evaluate("() => { const t = document.querySelector('#calculator-chart .js-plotly-plot')._fullData[0];"
                         " return {y: Array.from(t.y), x: Array.from(t.x)}; }")
    assert bars["y"] == [r["label"] for r in data["rows"]]
    assert bars["x"] == pytest.approx([r["throughput"]["value"] for r in data["rows"]])
    expect(page.locator("#url-notice")).to_be_hidden()


def test_calculator_controls_are_in_the_address_and_back_restores_them(page, live_server):
    page.goto(live_server.url + CALCULATOR)
    expect_calculator_matches_api(page, live_server)
    page.fill("#calculator-target", "60")
    page.press("#calculator-target", "Enter")
    expect(page).to_have_url(url_has(target="60", users="1000"), timeout=TIMEOUT)
    expect_calculator_matches_api(page, live_server)
    page.fill("#calculator-users", "")
    page.press("#calculator-users", "Enter")
    expect(page).to_have_url(url_lacks("users"), timeout=TIMEOUT)
    assert "gpus_needed" not in [k for k in page.evaluate(
        "() => Array.from(document.querySelectorAll('#calculator-table thead th')).map(th => th.dataset.key)")]
    page.locator("#calculator-by label", has_text="Series").click()
    expect(page).to_have_url(url_has(by="series", target="60"), timeout=TIMEOUT)
    series = expect_calculator_matches_api(page, live_server)
    assert len(series["rows"]) > 9 and " · " in series["rows"][0]["label"]
    # a header click ranks by that column (cheapest first), a second one reverses it
    page.locator("#calculator-table thead th[data-key=cost] button").click()
    expect(page).to_have_url(url_has(sort="cost"), timeout=TIMEOUT)
    costs = [r["cost"]["value"] for r in expect_calculator_matches_api(page, live_server)["rows"]]
    assert costs == sorted(costs)
    page.locator("#calculator-table thead th[data-key=cost] button").click()
    expect(page).to_have_url(url_has(sort="-cost"), timeout=TIMEOUT)
    expect(page.locator("#calculator-table thead th[data-key=cost]")).to_have_attribute("aria-sort", "descending")
    # back and forward step through the changes, table and controls alike
    page.go_back()
    expect(page).to_have_url(url_has(sort="cost"), timeout=TIMEOUT)
    expect_calculator_matches_api(page, live_server)
    page.go_back()
    page.go_back()
    expect(page).to_have_url(url_lacks("by", "sort"), timeout=TIMEOUT)
    expect(page.locator("#calculator-by input[value=gpu]")).to_be_checked(timeout=TIMEOUT)
    expect_calculator_matches_api(page, live_server)


def test_a_click_on_a_row_opens_its_comparison_with_the_leader(page, live_server):
    page.goto(live_server.url + CALCULATOR)
    data = expect_calculator_matches_api(page, live_server)
    page.locator("#calculator-table tbody tr").nth(3).locator("td[data-key=cost]").click()  # not on the link
    leader, fourth = data["rows"][0]["gpu"], data["rows"][3]["gpu"]
    expect(page).to_have_url(re.compile(rf"/compare/dsr1-({leader}-vs-{fourth}|{fourth}-vs-{leader})\?seq=1k1k"
                                        r"&precision=fp8$"), timeout=TIMEOUT)
    expect(page.locator("#comparison-table table")).to_be_visible(timeout=TIMEOUT)
    wait_for_chart(page)
    page.go_back()
    expect(page).to_have_url(re.compile(re.escape(CALCULATOR) + "$"), timeout=TIMEOUT)
    expect_calculator_matches_api(page, live_server)


def test_invalid_values_are_named_in_the_notice(page, live_server):
    page.goto(live_server.url + "/calculator?model=dsr1&target=-4&users=lots&by=vendor&maxcost=0")
    notice = page.locator("#url-notice")
    expect(notice).to_be_visible(timeout=TIMEOUT)
    for named in ("target='-4'", "users='lots'", "by='vendor'", "maxcost='0'"):
        expect(notice).to_contain_text(named)
    expect(page.locator("#calculator-target")).to_have_value("35")  # the default, shown
    expect_calculator_matches_api(page, live_server)


def test_history_deep_link_shows_exactly_its_json(page, live_server):
    page.goto(live_server.url + HISTORY)
    data = api(live_server, "history", HISTORY)
    by_key = {(r["date"], r["gpu_label"]): r for r in data["rows"]}
    page.wait_for_selector("#history-table tbody tr", timeout=TIMEOUT)
    shown = table(page, "history-table")
    assert len(shown) == len(data["listed"]) > 50
    for cells, listed in zip(shown, data["listed"]):
        row = by_key[(cells["date"], cells["gpu"])]
        assert (row["date"], row["gpu"]) == (listed["date"], listed["gpu"])
        assert (cells["throughput"], cells["cost"], cells["change"]) == (
            row["throughput"]["text"], row["cost"]["text"], row["change"]["text"])
    # a line per GPU, and the largest drops called out
    page.wait_for_function("() => { const gd = document.querySelector('#history-chart .js-plotly-plot');"
                           " return gd && gd._fullData && gd._fullData.length > 1; }", timeout=TIMEOUT)
    names = page.evaluate("() => document.querySelector('#history-chart .js-plotly-plot')._fullData.map(t => t.name)")
    assert names[:len(data["gpus"])] == [index_label(live_server, g) for g in data["gpus"]]
    drop = data["largest_drops"][0]
    expect(page.locator(".regressions")).to_contain_text(f"on {drop['date']}: ")


def index_label(live_server, gpu: str) -> str:
    return live_server.app.server.config["FRONTIER_CONTEXT"].index.reference.gpu_label(gpu)


def test_history_controls_are_in_the_address_and_back_restores_them(page, live_server):
    page.goto(live_server.url + HISTORY)
    page.wait_for_selector("#history-table tbody tr", timeout=TIMEOUT)
    pick(page, "history-gpus", "B200 (NVIDIA)", multi=True)
    expect(page).to_have_url(url_has(gpus="b200"), timeout=TIMEOUT)
    expect(page.locator("#history-summary")).to_contain_text("1 GPU over", timeout=TIMEOUT)
    assert {r["gpu"] for r in table(page, "history-table")} == {"B200"}
    page.locator("#history-metric label", has_text="Cost").click()
    expect(page).to_have_url(url_has(gpus="b200", metric="cost"), timeout=TIMEOUT)
    page.wait_for_function("() => { const gd = document.querySelector('#history-chart .js-plotly-plot');"
                           " return gd && /Cost/.test(gd.layout.yaxis.title.text); }", timeout=TIMEOUT)
    page.go_back()
    page.go_back()
    expect(page).to_have_url(url_lacks("gpus", "metric"), timeout=TIMEOUT)
    expect(page.locator("#history-summary")).to_contain_text("9 GPUs over", timeout=TIMEOUT)


def test_the_explorer_draws_earlier_frontiers_and_keeps_their_dates_in_the_address(page, live_server):
    base = "/?model=dsr1&seq=1k1k&precision=fp8&gpus=b200"
    page.goto(live_server.url + base)
    wait_for_chart(page)
    alone = page.evaluate("() => document.querySelector('#main-chart .js-plotly-plot').layout.shapes.length")
    pick(page, "control-dates", "2026-01-05", multi=True)
    expect(page).to_have_url(url_has(dates="2026-01-05"), timeout=TIMEOUT)
    page.wait_for_function(f"() => document.querySelector('#main-chart .js-plotly-plot').layout.shapes.length > {alone}",
                           timeout=TIMEOUT)
    dashes = page.evaluate("() => document.querySelector('#main-chart .js-plotly-plot').layout.shapes"
                           ".map(s => s.line.dash)")
    assert "dash" in dashes  # the date's line style
    expect(page.locator("#chart-legend .legend-dates")).to_contain_text("as of 2026-01-05")
    page.reload()  # the link reopens the same view
    wait_for_chart(page)
    page.wait_for_function(f"() => document.querySelector('#main-chart .js-plotly-plot').layout.shapes.length > {alone}",
                           timeout=TIMEOUT)


def test_a_curated_view_and_the_navbar_are_one_click_away(page, live_server):
    page.goto(live_server.url + "/")
    wait_for_chart(page)
    presets = live_server.app.server.config["FRONTIER_CONTEXT"].index.presets
    calculator = next(p for p in presets if p.kind == "calculator")
    page.locator("#curated-views a", has_text=calculator.title).click()
    expect(page).to_have_url(re.compile(re.escape(calculator.href) + "$"), timeout=TIMEOUT)
    expect_calculator_matches_api(page, live_server)
    page.locator(".app-navbar a", has_text="History").click()
    expect(page).to_have_url(re.compile(r"/history$"), timeout=TIMEOUT)
    page.wait_for_selector("#history-table tbody tr", timeout=TIMEOUT)
    page.goto(live_server.url + "/?preset=b200-software-gains")
    expect(page).to_have_url(re.compile(r"/history\?.*gpus=b200"), timeout=TIMEOUT)
