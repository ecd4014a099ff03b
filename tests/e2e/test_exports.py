"""Legend, table and exports agree with the view, in a real browser (issue 10, items 7 and 8):
hidden series are in the address and survive control changes and reloads; the table lists only
the shown series; Download CSV saves exactly the rows the table lists; the PNG carries the
title, legend, axis titles, source and run dates."""

from __future__ import annotations

import struct
import zlib

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (PLOT, TIMEOUT, DashRequests, click_choice, csv_rows, pick, query_of, table_column,
                               table_row_count, url_has, url_lacks, wait_for_chart, wait_for_chart_where)

pytestmark = pytest.mark.browser

EXPLORER = "?model=dsr1&seq=1k1k&precision=fp8&gpus=b200,mi355x"
SEED = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"
LEGEND = "#chart-legend .legend-item"
DRAWN_POINTS = "Array.from(gd._fullData[0].x).filter(v => !isNaN(v)).length"


def open_page(page, base, address):
    page.goto(base + address)
    wait_for_chart(page)
    expect(page.locator(LEGEND).first).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#points-table .points-range")).to_contain_text("of", timeout=TIMEOUT)


def legend(page) -> list[dict]:
    """The legend's items: key, name, points and whether shown."""
    return page.locator(LEGEND).evaluate_all("""els => els.map(e => ({key: e.dataset.key,
        name: e.querySelector('.legend-name').textContent, on: e.getAttribute('aria-pressed') === 'true',
        points: Number(e.title.split(' ')[0])}))""")


def expect_hidden(page, key: str, total: int, hidden_points: int) -> None:
    """The series ``key`` is switched off everywhere: legend, chart (points and curve), table."""
    item = page.locator(f"{LEGEND}[data-key='{key}']")
    expect(item).to_have_attribute("aria-pressed", "false", timeout=TIMEOUT)
    expect(item).to_have_class("legend-item off")
    wait_for_chart_where(page, f"{DRAWN_POINTS} === {total - hidden_points}")
    series = len(legend(page))
    wait_for_chart_where(page, f"gd.layout.shapes.filter(s => s.type === 'path').length <= {series - 1}")
    box = page.locator("#points-table")
    expect(box.locator(".points-hidden")).to_have_text(
        f"1 series hidden in the legend: {hidden_points} points left out of the table and the CSV.", timeout=TIMEOUT)
    assert table_row_count(page) == total - hidden_points


def test_a_hidden_series_is_in_the_address_and_survives_metric_toggle_and_reload(page, live_server):
    open_page(page, live_server.url, "/" + EXPLORER)
    page.wait_for_load_state("networkidle")
    items = legend(page)
    total = sum(i["points"] for i in items)
    assert table_row_count(page) == total and len(items) > 3
    target = items[2]
    history = page.evaluate("history.length")
    calls = DashRequests(page)

    page.locator(f"{LEGEND}[data-key='{target['key']}']").click()
    expect(page).to_have_url(url_has(hide=target["key"]), timeout=TIMEOUT)
    expect_hidden(page, target["key"], total, target["points"])
    # the table lists none of its rows; the CSV button says what it will save
    gpus, frameworks = table_column(page, "GPU"), table_column(page, "Framework")
    name_parts = target["name"].split(" · ")
    spec = table_column(page, "Spec decoding")
    assert (name_parts[0], name_parts[1], name_parts[2]) not in set(zip(gpus, frameworks, spec))
    expect(page.locator("#download-csv-button")).to_have_text(f"Download CSV ({total - target['points']} of {total} rows shown)")
    page.wait_for_timeout(300)
    assert calls.requests == [], f"hiding a series called the server: {calls.changed}"
    assert page.evaluate("history.length") == history  # replaceState, like the view toggles

    # a metric change keeps it hidden (and the server canonical address keeps hide=)
    pick(page, "control-metric", "Energy per token [J/token]")
    expect(page).to_have_url(url_has(metric="jtok", hide=target["key"]), timeout=TIMEOUT)
    wait_for_chart_where(page, "gd.layout.yaxis.title.text.startsWith('Energy per token')")
    expect_hidden(page, target["key"], total, target["points"])

    # so do the x axis and a view toggle
    pick(page, "control-x", "Time to first token (median) [s]")
    expect(page).to_have_url(url_has(x="ttft", hide=target["key"]), timeout=TIMEOUT)
    expect_hidden(page, target["key"], total, target["points"])
    click_choice(page, "control-toggles", "Log scale")
    expect(page).to_have_url(url_has(log="1", hide=target["key"]), timeout=TIMEOUT)
    wait_for_chart_where(page, "gd._fullLayout.yaxis.type === 'log'")
    expect_hidden(page, target["key"], total, target["points"])
    # and the next server change keeps what the browser put in the address (the Location
    # once pushed its first address back here)
    pick(page, "control-metric", "Throughput per GPU (input + output) [tok/s/GPU]")
    expect(page).to_have_url(url_has(metric="tput", x="ttft", log="1", hide=target["key"]), timeout=TIMEOUT)
    wait_for_chart_where(page, "gd.layout.yaxis.title.text.startsWith('Throughput per GPU')")
    expect_hidden(page, target["key"], total, target["points"])

    # a reload opens the address with the series hidden, no notice
    page.reload()
    wait_for_chart(page)
    expect_hidden(page, target["key"], total, target["points"])
    expect(page.locator("#url-notice")).to_have_count(0)

    # "Show all" brings it back and takes hide= out of the address
    page.locator("#chart-legend .legend-reset").click()
    expect(page).to_have_url(url_lacks("hide"), timeout=TIMEOUT)
    wait_for_chart_where(page, f"{DRAWN_POINTS} === {total}")
    expect(page.locator("#points-table .points-hidden")).to_have_text("")
    assert table_row_count(page) == total


def test_a_hidden_series_the_new_view_lacks_is_dropped_from_the_address(page, live_server):
    open_page(page, live_server.url, "/" + EXPLORER)
    mi355x = next(i for i in legend(page) if i["key"].startswith("mi355x/"))
    b200 = next(i for i in legend(page) if i["key"].startswith("b200/"))
    page.locator(f"{LEGEND}[data-key='{mi355x['key']}']").click()
    page.locator(f"{LEGEND}[data-key='{b200['key']}']").click()
    expect(page).to_have_url(url_has(hide=f"{b200['key']},{mi355x['key']}"), timeout=TIMEOUT)  # legend order
    pick(page, "control-gpus", "MI355X (AMD)", multi=True)  # leaves B200 only
    expect(page).to_have_url(url_has(gpus="b200", hide=b200["key"]), timeout=TIMEOUT)
    assert query_of(page.url)["hide"] == b200["key"]
    expect(page.locator(f"{LEGEND}[data-key='{b200['key']}']")).to_have_attribute("aria-pressed", "false")


def test_a_deep_link_hides_a_comparison_side(page, live_server):
    open_page(page, live_server.url, SEED + "&hide=b/fp4")
    items = legend(page)
    assert [(i["key"], i["on"]) for i in items] == [("a/fp4", True), ("b/fp4", False)]
    off = items[1]["points"]
    expect_hidden(page, "b/fp4", 27, off)
    assert set(table_column(page, "Side")) == {"MTP"}
    pick(page, "control-x", "End-to-end latency (median) [s]")
    expect(page).to_have_url(url_has(x="e2el", hide="b/fp4"), timeout=TIMEOUT)
    expect_hidden(page, "b/fp4", 27, off)


def test_csv_download_is_exactly_the_rows_the_table_lists(page, live_server):
    open_page(page, live_server.url, "/?model=dsr1&seq=1k1k&precision=fp4,fp8")
    items = legend(page)
    total = sum(i["points"] for i in items)
    hidden = next(i for i in items if "sglang" in i["name"])
    page.locator(f"{LEGEND}[data-key='{hidden['key']}']").click()
    expect(page).to_have_url(url_has(hide=hidden["key"]), timeout=TIMEOUT)
    box = page.locator("#points-table")
    box.get_by_label("Filter the points table").fill("sglang")
    expect(box.locator(".points-range")).to_contain_text("(filtered from", timeout=TIMEOUT)
    header = box.locator("thead th").filter(has_text="Concurrency")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending", timeout=TIMEOUT)
    listed = table_row_count(page)
    assert 0 < listed < total - hidden["points"]
    expect(page.locator("#download-csv-button")).to_have_text(f"Download CSV ({listed} of {total} rows shown)")
    expect(page.locator("#points-summary")).to_contain_text("Download CSV saves exactly the rows the table lists")

    names = page.evaluate("window.frontierPointsTable.columns()")
    table = page.evaluate("window.frontierPointsTable.rows()")
    with page.expect_download(timeout=TIMEOUT) as info:
        page.locator("#download-csv-button").click()
    download = info.value
    assert "_1-hidden_filtered_latest-" in download.suggested_filename
    rows = csv_rows(open(download.path(), encoding="utf-8").read())

    col = {n: names.index(n) for n in ("GPU", "Framework", "Precision", "Concurrency", "Date", "Throughput (tok/s/GPU)")}
    shown = [(r[col["GPU"]], r[col["Framework"]], r[col["Precision"]], int(r[col["Concurrency"]]), r[col["Date"]],
              r[col["Throughput (tok/s/GPU)"]]) for r in table]
    saved = [(r["gpu_label"], r["framework"], r["precision"], int(r["conc"]), r["date"], round(float(r["tput_per_gpu"]), 2))
             for r in rows]
    assert saved == shown  # the same rows, in the table's order
    assert hidden["key"] not in {r["series_key"] for r in rows}
    assert all("sglang" in r["framework"] for r in rows)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's header chunk, checking its signature and CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16:29]
    assert struct.unpack(">I", data[29:33])[0] == zlib.crc32(kind + body)
    return struct.unpack(">II", body[:8])


def test_png_download_carries_title_legend_axes_source_and_dates(page, live_server):
    open_page(page, live_server.url, "/" + EXPLORER + "&metric=cost")
    items = legend(page)
    page.locator(f"{LEGEND}[data-key='{items[0]['key']}']").click()
    expect(page).to_have_url(url_has(hide=items[0]["key"]), timeout=TIMEOUT)
    # record the figure the page hands to Plotly.toImage
    page.evaluate("""() => { const toImage = window.Plotly.toImage;
      window.Plotly.toImage = (fig, opts) => { window.__exported = {fig: fig, opts: opts}; return toImage(fig, opts); }; }""")
    with page.expect_download(timeout=TIMEOUT) as info:
        page.locator("#download-png").click()
    download = info.value
    assert download.suggested_filename == ("inference-frontier_dsr1_1k1k_fp8_cost-vs-intvty_gpus-b200-mi355x_1-hidden_"
                                           "latest-2026-06-02.png")
    data = open(download.path(), "rb").read()
    width, height = png_size(data)
    bare = page.evaluate(f"(() => {{ const gd = {PLOT}; return [gd.clientWidth, gd.clientHeight]; }})()")
    assert width == 2 * bare[0] and height > 2 * bare[1] + 100  # the bare chart, plus title, legend and source
    assert len(data) > 30_000

    exported = page.evaluate("""() => { const f = window.__exported.fig;
      return {title: f.layout.title.text, x: f.layout.xaxis.title.text, y: f.layout.yaxis.title.text,
              legend: f.data.filter(t => t.showlegend).map(t => t.name), showlegend: f.layout.showlegend,
              height: window.__exported.opts.height}; }""")
    assert "DeepSeek R1 0528 · 1k/1k · FP8: Cost per million all tokens (Hyperscaler) vs Interactivity (median)" in exported["title"]
    assert "Data: SemiAnalysis InferenceX · measured 20" in exported["title"]
    assert f"1 of {len(items)} series hidden" in exported["title"]
    assert exported["x"] == "Interactivity (median) (tok/s/user)"
    assert exported["y"] == "Cost per million all tokens (Hyperscaler) ($/M tokens)"
    assert exported["showlegend"] and exported["legend"] == [i["name"] for i in items[1:]]
    assert height == 2 * exported["height"]


GROUP = "#chart-legend .legend-group"


def test_a_gpu_switch_in_the_legend_hides_all_its_series_in_the_browser(page, live_server):
    """Issue 13.3: hiding or showing a whole GPU (or engine, spec-decoding mode) is a subset of
    what the page has, so it redraws with no request; the address, chart, table and CSV button
    all follow, and a reload shows the same."""
    open_page(page, live_server.url, EXPLORER)
    page.wait_for_load_state("networkidle")
    items = legend(page)
    total = sum(i["points"] for i in items)
    mi355x = [i for i in items if i["key"].startswith("mi355x/")]
    assert mi355x and len(mi355x) < len(items)
    gone = sum(i["points"] for i in mi355x)
    switch = page.locator(GROUP, has_text="MI355X")
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert page.locator("#chart-legend .legend-facet-label").all_inner_texts()[0] == "GPU:"
    calls = DashRequests(page)

    switch.click()
    keys = ",".join(i["key"] for i in mi355x)
    expect(page).to_have_url(url_has(hide=keys), timeout=TIMEOUT)
    expect(switch).to_have_attribute("aria-pressed", "false")
    assert [i["on"] for i in legend(page)] == [not i["key"].startswith("mi355x/") for i in items]
    wait_for_chart_where(page, f"{DRAWN_POINTS} === {total - gone}")
    wait_for_chart_where(page, f"gd.layout.shapes.filter(s => s.type === 'path').length === {len(items) - len(mi355x)}")
    expect(page.locator("#download-csv-button")).to_have_text(f"Download CSV ({total - gone} of {total} rows shown)")
    assert table_row_count(page) == total - gone and "MI355X" not in set(table_column(page, "GPU"))

    # a reload keeps it off; the keyboard switches it back on
    page.reload()
    wait_for_chart(page)
    expect(switch).to_have_attribute("aria-pressed", "false", timeout=TIMEOUT)
    calls.clear()
    switch.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url_lacks("hide"), timeout=TIMEOUT)
    wait_for_chart_where(page, f"{DRAWN_POINTS} === {total}")
    assert all(i["on"] for i in legend(page))
    page.wait_for_timeout(300)
    assert calls.requests == [], "a legend switch called the server"


def test_a_switch_reads_off_only_when_every_series_of_its_value_is_hidden(page, live_server):
    open_page(page, live_server.url, EXPLORER)
    items = legend(page)
    b200 = [i for i in items if i["key"].startswith("b200/")]
    assert len(b200) >= 2
    switch = page.locator(GROUP, has_text="B200")
    page.locator(f"{LEGEND}[data-key='{b200[0]['key']}']").click()
    expect(switch).to_have_attribute("aria-pressed", "true")  # some B200 still shown
    switch.click()  # hides the rest
    expect(page).to_have_url(url_has(hide=",".join(i["key"] for i in items if i["key"].startswith("b200/"))),
                             timeout=TIMEOUT)
    expect(switch).to_have_attribute("aria-pressed", "false")
    page.locator("#chart-legend .legend-reset").click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(url_lacks("hide"), timeout=TIMEOUT)
