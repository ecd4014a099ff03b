"""The explorer (/) in a real browser: deep links, controls, history, notices, CSV, view
toggles, empty state, theme, phone width and the points table (SPEC §3, §6)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (PLOT, SERIES_JS, TIMEOUT, DashRequests, api_points, chart, click_choice, csv_rows, expect_checked,
                               pick, point_count, point_traces, query_of, table_column, table_row_count, visible_column,
                               series_names, url_has, url_lacks, wait_for_chart, wait_for_chart_where)

pytestmark = pytest.mark.browser

RUN_DATE = "2026-03-03"  # a run date in the bundled data (the date control offers run dates)
DEEP = ("/?model=dsr1&seq=8k1k&precision=fp4,fp8&metric=cost&x=e2el&gpus=b200,mi355x"
        f"&optimal=1&log=1&labels=1&contrast=1&date={RUN_DATE}")
X_TITLES = {"intvty": "Interactivity (median) (tok/s/user)", "e2el": "End-to-end latency (median) (s)",
            "ttft": "Time to first token (median) (s)"}
Y_TITLES = {"tput": "Throughput per GPU (input + output) (tok/s/GPU)",
            "cost": "Cost per million all tokens (Hyperscaler) ($/M tokens)",
            "jtok": "Energy per token (J/token)"}
SUMMARY_RE = re.compile(r"(\d+) points in (\d+) series .*?; (\d+) on a frontier")


def open_explorer(page, base, search=""):
    page.goto(base + "/" + search)
    wait_for_chart(page)


def summary(page) -> tuple[int, int, int]:
    text = page.locator("#points-summary").inner_text()
    m = SUMMARY_RE.search(text)
    assert m, text
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def expect_y_title(page, metric):
    wait_for_chart_where(page, f"gd.layout.yaxis.title.text === {Y_TITLES[metric]!r}")


def expect_points_match_api(page, base):
    """The chart draws exactly the points the CSV API returns for the page's own query."""
    search = "?" + page.url.split("?", 1)[1] if "?" in page.url else ""
    rows = api_points(base, search)
    wait_for_chart_where(page, "gd._fullData.filter(t => (t.meta||{}).role === 'points')"
                               f".reduce((s, t) => s + t.x.length, 0) === {len(rows)}")
    return rows


# ---- (1) a deep link sets every control and the chart ------------------------------------

@pytest.mark.parametrize("prior_load", [False, True], ids=["fresh", "after-root"])
def test_deep_link_sets_every_control_and_the_chart(page, live_server, prior_load):
    if prior_load:  # the Dash 4 dropdown race (pitfall P6) showed only on a second navigation
        open_explorer(page, live_server.url)
    open_explorer(page, live_server.url, DEEP.lstrip("/"))
    wait_for_chart_where(page, f"gd.layout.xaxis.title.text === {X_TITLES['e2el']!r}")

    # controls, as a person sees them
    expect(page.locator("#control-model")).to_contain_text("DeepSeek R1 0528")
    expect_checked(page, "control-sequence", ["8k1k"])
    expect(page.locator("#control-sequence label.active")).to_have_text("8k/1k")
    expect_checked(page, "control-precision", ["fp4", "fp8"])
    expect(page.locator("#control-metric")).to_contain_text("Cost per million all tokens (Hyperscaler)")
    expect(page.locator("#control-x")).to_contain_text("End-to-end latency (median) [s]")
    expect(page.locator("#control-gpus")).to_contain_text("B200")
    expect(page.locator("#control-gpus")).to_contain_text("MI355X")
    expect_checked(page, "control-optimal", ["optimal"])
    expect_checked(page, "control-toggles", ["contrast", "labels", "log"])
    expect(page.locator("#control-date")).to_contain_text(f"As of {RUN_DATE}")
    expect(page.locator("#url-notice")).to_have_count(0)

    # the URL was read, not rewritten
    assert query_of(page.url) == {"model": "dsr1", "seq": "8k1k", "precision": "fp4,fp8", "metric": "cost",
                                  "x": "e2el", "gpus": "b200,mi355x", "optimal": "1", "log": "1", "labels": "1",
                                  "contrast": "1", "date": RUN_DATE}

    # the chart
    wait_for_chart_where(page, "gd._fullLayout.xaxis.type === 'log' && gd._fullLayout.yaxis.type === 'log'")
    st = chart(page)
    assert st["xtitle"] == X_TITLES["e2el"]
    assert st["ytitle"] == Y_TITLES["cost"]
    names = series_names(st)
    assert names, "no points traces drawn"
    assert {n.split(" · ")[0] for n in names} == {"B200", "MI355X"}
    assert all(n.endswith((" · FP4", " · FP8")) for n in names), names  # two precisions: precision in the name
    assert {n.rsplit(" · ", 1)[1] for n in names} == {"FP4", "FP8"}
    for t in point_traces(st):
        assert t["mode"] == "markers+text"  # labels on
        default, contrast = t["colours"]
        assert t["marker_color"] == contrast
    assert any(t["colours"][0] != t["colours"][1] for t in point_traces(st)), "contrast palette equals the default"
    for t in st["traces"]:
        if t["role"] == "frontier":
            assert t["line_color"] == t["colours"][1]

    # optimal only: every shown point is on a frontier; the date is applied
    expect(page.locator("#points-summary")).to_contain_text(f"as of {RUN_DATE}")
    n, _series, on_frontier = summary(page)
    rows = expect_points_match_api(page, live_server.url)
    assert n == on_frontier == len(rows) == point_count(chart(page)) > 0
    assert {r["on_frontier"] for r in rows} == {"true"}
    assert {r["date"] <= RUN_DATE for r in rows} == {True}


def test_deep_link_with_an_as_of_date_between_runs_keeps_it(page, live_server):
    rows_api = api_points(live_server.url, "?model=dsr1&seq=1k1k&precision=fp8&date=2026-03-01")
    open_explorer(page, live_server.url, "?model=dsr1&seq=1k1k&precision=fp8&date=2026-03-01")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # let any follow-up callback (the dropdown's value reset) run
    assert query_of(page.evaluate("location.href")).get("date") == "2026-03-01"
    expect(page.locator("#control-date")).to_contain_text("2026-03-01", timeout=5000)
    expect(page.locator("#points-summary")).to_contain_text("as of 2026-03-01", timeout=5000)
    assert point_count(chart(page)) == len(rows_api)


# ---- (2) every server control updates the chart and the URL -------------------------------

def test_each_server_control_updates_chart_and_url(page, live_server):
    base = live_server.url
    open_explorer(page, base)  # the landing page: best per GPU
    expect(page.locator("#control-model")).to_contain_text("DeepSeek R1 0528")
    expect(page.locator("#control-best input")).to_be_checked()
    start = chart(page)
    assert start["ytitle"] == Y_TITLES["tput"] and start["xtitle"] == X_TITLES["intvty"]

    # sequence
    click_choice(page, "control-sequence", "8k/1k")
    expect(page).to_have_url(url_has(seq="8k1k"), timeout=TIMEOUT)
    expect(page.locator("#points-summary")).to_contain_text("8k/1k")
    expect_points_match_api(page, base)

    # precision (a second one: series names gain the precision)
    click_choice(page, "control-precision", "FP4")
    expect(page).to_have_url(url_has(precision="fp4,fp8"), timeout=TIMEOUT)
    wait_for_chart_where(page, SERIES_JS + ".every(s => / · FP[48]$/.test(s.name))")
    expect_points_match_api(page, base)

    # metric
    pick(page, "control-metric", "Energy per token [J/token]")
    expect(page).to_have_url(url_has(metric="jtok"), timeout=TIMEOUT)
    expect_y_title(page, "jtok")

    # x axis
    pick(page, "control-x", "Time to first token (median) [s]")
    expect(page).to_have_url(url_has(x="ttft"), timeout=TIMEOUT)
    wait_for_chart_where(page, f"gd.layout.xaxis.title.text === {X_TITLES['ttft']!r}")

    # GPUs
    pick(page, "control-gpus", "B200 (NVIDIA)", multi=True)
    expect(page).to_have_url(url_has(gpus="b200"), timeout=TIMEOUT)
    wait_for_chart_where(page, SERIES_JS + ".every(s => /^B200( · |$)/.test(s.name))")
    rows = expect_points_match_api(page, base)
    assert {r["gpu_label"] for r in rows} == {"B200"}

    # run date
    pick(page, "control-date", "As of 2026-01-05")
    expect(page).to_have_url(url_has(date="2026-01-05"), timeout=TIMEOUT)
    expect(page.locator("#points-summary")).to_contain_text("as of 2026-01-05")
    expect_points_match_api(page, base)
    pick(page, "control-date", "Latest run of each configuration")  # (Qwen has only later runs)
    expect(page).to_have_url(url_lacks("date"), timeout=TIMEOUT)
    expect(page.locator("#points-summary")).to_contain_text("latest measurement")

    # model: Qwen has only 1k/1k, FP4 and B300, so sequence, precision and GPUs cascade
    pick(page, "control-model", "Qwen 3.5 397B-A17B")
    expect(page).to_have_url(url_has(model="qwen3.5", seq="1k1k", precision="fp4"), timeout=TIMEOUT)
    expect(page).to_have_url(url_lacks("gpus"))
    wait_for_chart_where(page, SERIES_JS + ".every(s => /^B300( · |$)/.test(s.name))")
    expect_checked(page, "control-sequence", ["1k1k"])
    expect_checked(page, "control-precision", ["fp4"])
    expect(page.locator("#control-sequence input[value='8k1k']")).to_be_disabled()
    # the other choices survive the model change
    q = query_of(page.url)
    assert (q["metric"], q["x"]) == ("jtok", "ttft")
    expect_y_title(page, "jtok")
    expect_points_match_api(page, base)

    # optimal points only: chart and table keep only frontier points
    before, _, _ = summary(page)
    click_choice(page, "control-optimal", "Optimal points only")
    expect(page).to_have_url(url_has(optimal="1", model="qwen3.5"), timeout=TIMEOUT)
    page.wait_for_function(f"!document.querySelector('#points-summary').innerText.startsWith('{before} points')",
                           timeout=TIMEOUT)
    n, _, on_frontier = summary(page)
    assert 0 < n == on_frontier < before
    rows = expect_points_match_api(page, base)
    assert len(rows) == n and {r["on_frontier"] for r in rows} == {"true"}


def test_optimal_only_draws_only_frontier_points(page, live_server):
    search = "?model=dsr1&seq=1k1k&precision=fp8&optimal=1"
    open_explorer(page, live_server.url, search)
    rows = api_points(live_server.url, search)
    n, _, on_frontier = summary(page)
    assert n == on_frontier == len(rows)
    assert point_count(chart(page)) == len(rows)


# ---- (3) back and forward ----------------------------------------------------------------

def test_back_and_forward_restore_controls_and_chart(page, live_server):
    open_explorer(page, live_server.url)
    page.wait_for_load_state("networkidle")
    first = chart(page)
    length = page.evaluate("history.length")

    click_choice(page, "control-sequence", "8k/1k")
    expect(page).to_have_url(url_has(seq="8k1k"), timeout=TIMEOUT)
    expect(page.locator("#points-summary")).to_contain_text("8k/1k")
    pick(page, "control-metric", "Energy per token [J/token]")
    expect(page).to_have_url(url_has(seq="8k1k", metric="jtok"), timeout=TIMEOUT)
    expect_y_title(page, "jtok")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("history.length") == length + 2  # one entry per change, none for reading the URL

    page.go_back()
    expect(page).to_have_url(url_has(seq="8k1k", metric="tput"), timeout=TIMEOUT)
    expect_y_title(page, "tput")
    expect(page.locator("#control-metric")).to_contain_text("Throughput per GPU (input + output)")
    expect_checked(page, "control-sequence", ["8k1k"])
    expect(page.locator("#points-summary")).to_contain_text("8k/1k")
    after_seq_names = series_names(chart(page))

    page.go_back()
    expect(page).to_have_url(re.compile(r"/(\?(?!.*seq=8k1k).*)?$"), timeout=TIMEOUT)
    expect_checked(page, "control-sequence", ["1k1k"])
    expect(page.locator("#points-summary")).to_contain_text("1k/1k")
    wait_for_chart_where(page, f"gd._fullData.filter(t => (t.meta||{{}}).role === 'points')"
                               f".reduce((s, t) => s + t.x.length, 0) === {point_count(first)}")
    assert series_names(chart(page)) == series_names(first)

    page.go_forward()
    expect(page).to_have_url(url_has(seq="8k1k", metric="tput"), timeout=TIMEOUT)
    expect_checked(page, "control-sequence", ["8k1k"])
    expect(page.locator("#points-summary")).to_contain_text("8k/1k")
    expect_y_title(page, "tput")
    assert series_names(chart(page)) == after_seq_names

    page.go_forward()
    expect(page).to_have_url(url_has(seq="8k1k", metric="jtok"), timeout=TIMEOUT)
    expect_y_title(page, "jtok")
    expect(page.locator("#control-metric")).to_contain_text("Energy per token")


# ---- (4) a bad parameter -------------------------------------------------------------------

def test_bad_parameters_show_a_notice_and_the_page_still_works(page, live_server):
    open_explorer(page, live_server.url, "?model=nosuchmodel&seq=2k2k&metric=bogus&x=sideways&colour=red&optimal=maybe")
    notice = page.locator("#url-notice")
    expect(notice).to_be_visible(timeout=TIMEOUT)
    for word in ("nosuchmodel", "2k2k", "bogus", "sideways", "colour", "maybe"):
        expect(notice).to_contain_text(word)
    # defaults were used instead
    expect(page.locator("#control-model")).to_contain_text("DeepSeek R1 0528")
    expect_checked(page, "control-sequence", ["1k1k"])
    expect(page.locator("#control-x")).to_contain_text("Interactivity (median) [tok/s/user]")
    expect_y_title(page, "tput")
    assert point_count(chart(page)) > 0
    # and the controls still work; a user's change clears the notice
    pick(page, "control-metric", "Energy per token [J/token]")
    expect(page).to_have_url(url_has(metric="jtok", model="dsr1"), timeout=TIMEOUT)
    expect_y_title(page, "jtok")
    expect(notice).to_be_hidden(timeout=TIMEOUT)
    assert "nosuchmodel" not in page.url and "colour" not in page.url


def test_slash_sequence_form_in_a_link_is_accepted(page, live_server):
    open_explorer(page, live_server.url, "?seq=1k%2F8k")
    expect_checked(page, "control-sequence", ["1k8k"])
    expect(page.locator("#points-summary")).to_contain_text("1k/8k")
    expect(page.locator("#url-notice")).to_have_count(0)


# ---- (5) CSV download ----------------------------------------------------------------------

def test_csv_download_holds_exactly_the_shown_points(page, live_server):
    search = "?model=dsr1&seq=1k1k&precision=fp4,fp8&gpus=b200,gb200"
    open_explorer(page, live_server.url, search)
    rows_api = expect_points_match_api(page, live_server.url)
    st = chart(page)
    n_chart = point_count(st)
    expect(page.locator("#points-summary")).to_contain_text(f"{n_chart} points")
    expect(page.locator("#points-table .points-range")).to_have_text(f"1–20 of {n_chart}", timeout=TIMEOUT)
    expect(page.locator("#download-csv-button")).to_have_text(f"Download CSV (all {n_chart} rows)")

    with page.expect_download(timeout=TIMEOUT) as info:
        page.locator("#download-csv-button").click()
    download = info.value
    assert download.suggested_filename == ("inference-frontier_dsr1_1k1k_fp4-fp8_tput-vs-intvty_gpus-b200-gb200_"
                                           "latest-2026-06-11.csv")
    rows = csv_rows(open(download.path(), encoding="utf-8").read())

    assert len(rows) == n_chart == table_row_count(page) == len(rows_api) > 0
    assert {r["gpu_label"] for r in rows} == {"B200", "GB200"}
    assert {r["precision"] for r in rows} == {"fp4", "fp8"}
    # the same (interactivity, throughput) pairs as the drawn markers (drawn as float32)
    drawn = sorted((x, y) for t in point_traces(st) for x, y in zip(t["x"], t["y"]))
    saved = sorted((float(r["x_intvty"]), float(r["y_tput"])) for r in rows)
    assert len(drawn) == len(saved)
    for (dx, dy), (sx, sy) in zip(drawn, saved):
        assert dx == pytest.approx(sx, rel=1e-6) and dy == pytest.approx(sy, rel=1e-6)
    # per series: the CSV's (gpu, framework, spec, precision) counts equal the trace lengths
    per_trace = st["series_points"]
    per_csv: dict[str, int] = {}
    for r in rows:
        per_csv[r["series"]] = per_csv.get(r["series"], 0) + 1
    assert per_csv == per_trace
    assert rows == rows_api  # the download and the API agree row for row


# ---- (6) view toggles stay in the browser --------------------------------------------------

def test_view_toggles_make_no_server_request_but_update_chart_and_url(page, live_server):
    open_explorer(page, live_server.url, "?model=dsr1&seq=1k1k&precision=fp8&gpus=b200,mi355x")
    page.wait_for_load_state("networkidle")
    calls = DashRequests(page)
    history_length = page.evaluate("history.length")
    base = chart(page)
    assert base["xtype"] == "linear" and all(t["mode"] == "markers" for t in point_traces(base))
    assert all(t["marker_color"] == t["colours"][0] for t in point_traces(base))

    click_choice(page, "control-toggles", "Log scale")
    wait_for_chart_where(page, "gd._fullLayout.xaxis.type === 'log' && gd._fullLayout.yaxis.type === 'log'")
    expect(page).to_have_url(url_has(log="1"), timeout=TIMEOUT)

    click_choice(page, "control-toggles", "Point labels")
    wait_for_chart_where(page, "gd.data.filter(t => (t.meta||{}).role === 'points').every(t => t.mode === 'markers+text')")
    expect(page).to_have_url(url_has(log="1", labels="1"), timeout=TIMEOUT)

    click_choice(page, "control-toggles", "High contrast")
    wait_for_chart_where(page, "gd.data.filter(t => (t.meta||{}).role === 'points').every(t => t.marker.color === t.meta.colours[1])")
    expect(page).to_have_url(url_has(log="1", labels="1", contrast="1"), timeout=TIMEOUT)
    st = chart(page)
    assert [t["marker_color"] for t in point_traces(st)] != [t["marker_color"] for t in point_traces(base)]

    page.wait_for_timeout(500)
    assert calls.requests == [], f"view toggles called the server: {calls.changed}"
    assert page.evaluate("history.length") == history_length  # replaceState, not a new entry
    q = query_of(page.url)
    assert (q["model"], q["precision"], q["gpus"]) == ("dsr1", "fp8", "b200,mi355x")  # the rest is untouched

    # switching one off again
    click_choice(page, "control-toggles", "Log scale")
    wait_for_chart_where(page, "gd._fullLayout.yaxis.type === 'linear'")
    expect(page).to_have_url(url_lacks("log"), timeout=TIMEOUT)
    click_choice(page, "control-toggles", "Log scale")
    expect(page).to_have_url(url_has(log="1"), timeout=TIMEOUT)
    assert calls.requests == []

    # reload restores all three
    page.reload()
    wait_for_chart(page)
    expect_checked(page, "control-toggles", ["contrast", "labels", "log"])
    wait_for_chart_where(page, "gd._fullLayout.yaxis.type === 'log' && "
                               "gd.data.filter(t => (t.meta||{}).role === 'points').every(t => "
                               "t.mode === 'markers+text' && t.marker.color === t.meta.colours[1])")


def test_copy_link_and_png_download(page, live_server):
    open_explorer(page, live_server.url, "?model=dsr1&seq=1k1k&precision=fp8&metric=jtok")
    click_choice(page, "control-toggles", "Log scale")
    expect(page).to_have_url(url_has(log="1"), timeout=TIMEOUT)
    page.locator("#copy-link").click()
    expect(page.locator("#copy-link-done")).to_contain_text("metric=jtok", timeout=TIMEOUT)
    expect(page.locator("#copy-link-done")).to_contain_text("log=1")  # the link includes the view toggles
    with page.expect_download(timeout=TIMEOUT) as info:
        page.locator("#download-png").click()
    assert info.value.suggested_filename.endswith(".png")
    with open(info.value.path(), "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


# ---- (7) empty state -----------------------------------------------------------------------

def _gpu_without(live_server, model, seq, precision) -> tuple[str, str]:
    """A GPU of (model, seq) that has no point at ``precision``: (key, control label)."""
    index = live_server.app.server.config["FRONTIER_CONTEXT"].index
    pts = index.by_model_seq[(model, seq)]
    for gpu in index.catalog.gpus[(model, seq)]:
        if not ((pts["gpu"].astype(str) == gpu) & (pts["precision"].astype(str) == precision)).any():
            label = f"{index.catalog.gpu_labels[gpu]} ({index.catalog.gpu_vendors[gpu]})"
            return gpu, label
    pytest.skip(f"every GPU has {precision} data")


def test_empty_combination_shows_a_friendly_message_with_a_working_reset(page, live_server):
    gpu, label = _gpu_without(live_server, "dsr1", "1k1k", "fp4")
    open_explorer(page, live_server.url, "?model=dsr1&seq=1k1k&precision=fp8")
    # filter to that GPU (it has FP8 data), then switch the precision to FP4 only
    pick(page, "control-gpus", label, multi=True)
    expect(page).to_have_url(url_has(gpus=gpu), timeout=TIMEOUT)
    expect_points_match_api(page, live_server.url)
    click_choice(page, "control-precision", "FP4")
    expect(page).to_have_url(url_has(precision="fp4,fp8"), timeout=TIMEOUT)
    click_choice(page, "control-precision", "FP8")
    expect(page).to_have_url(url_has(precision="fp4", gpus=gpu), timeout=TIMEOUT)

    empty = page.locator("#chart-empty")
    expect(empty).to_contain_text(f"{label.split(' (')[0]} has no FP4 measurement for DeepSeek R1 0528 1k/1k",
                                  timeout=TIMEOUT)
    wait_for_chart_where(page, "gd.data.length === 0")
    expect(page.locator("#points-summary")).to_contain_text("No points")
    assert page.locator(".dash-fe-error__title").count() == 0

    reset = empty.get_by_role("link", name="Show every GPU")
    expect(reset).to_be_visible()
    reset.click()
    expect(page).to_have_url(url_lacks("gpus"), timeout=TIMEOUT)
    expect(empty).not_to_contain_text("No data", timeout=TIMEOUT)
    wait_for_chart(page)
    expect(page.locator("#control-gpus")).to_contain_text("All GPUs")
    expect_points_match_api(page, live_server.url)
    assert point_count(chart(page)) > 0


# ---- (8) theme -----------------------------------------------------------------------------

def test_theme_switch_darkens_page_and_chart_and_persists(page, live_server):
    open_explorer(page, live_server.url)
    html = page.locator("html")
    assert html.get_attribute("data-bs-theme") in (None, "light")
    light_bg = chart(page)["plot_bgcolor"]

    page.locator("label[for='theme-switch']").click()
    expect(html).to_have_attribute("data-bs-theme", "dark", timeout=TIMEOUT)
    wait_for_chart_where(page, f"gd._fullLayout.plot_bgcolor !== {light_bg!r}")
    dark_bg = chart(page)["plot_bgcolor"]
    body_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")

    page.reload()
    wait_for_chart(page)
    expect(html).to_have_attribute("data-bs-theme", "dark", timeout=TIMEOUT)
    expect(page.locator("#theme-switch")).to_be_checked()
    wait_for_chart_where(page, f"gd._fullLayout.plot_bgcolor === {dark_bg!r}")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == body_bg

    # a control change redraws the chart: it stays dark
    pick(page, "control-metric", "Energy per token [J/token]")
    expect_y_title(page, "jtok")
    wait_for_chart_where(page, f"gd._fullLayout.plot_bgcolor === {dark_bg!r}")

    page.locator("label[for='theme-switch']").click()
    expect(html).to_have_attribute("data-bs-theme", "light", timeout=TIMEOUT)
    wait_for_chart_where(page, f"gd._fullLayout.plot_bgcolor === {light_bg!r}")


# ---- (9) phone width -----------------------------------------------------------------------



@pytest.mark.parametrize("path", [
    "/", "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k",
    "/compare",
], ids=["explorer", "seed-comparison", "compare-index"])
def test_phone_width_has_no_horizontal_overflow(page, live_server, path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + path)
    if path == "/compare":
        expect(page.locator("#page-content ul a").first).to_be_visible(timeout=TIMEOUT)
    else:
        wait_for_chart(page)
    page.wait_for_load_state("networkidle")
    widths = page.evaluate("({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, "
                           "win: window.innerWidth})")
    assert widths["body"] <= widths["win"] and widths["doc"] <= widths["win"], widths
    if path == "/compare":
        return
    plot = page.locator("#main-chart .js-plotly-plot")
    expect(plot).to_be_visible()
    box = plot.bounding_box()
    assert box and 200 <= box["width"] <= 390 and box["height"] >= 300, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 0.5


# ---- (10) the sortable points table --------------------------------------------------------

def test_points_table_sorts_by_a_numeric_column(page, live_server):
    open_explorer(page, live_server.url, "?model=dsr1&seq=1k1k&precision=fp8")
    expect(page.locator("#points-table .points-range")).to_contain_text("1–20 of", timeout=TIMEOUT)
    header_name = "Throughput (tok/s/GPU)"
    every = [v for v in table_column(page, header_name) if v is not None]
    assert len(every) > 20
    header = page.locator("#points-table thead th").filter(has_text=header_name)
    expect(header).to_have_attribute("aria-sort", "none")

    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending", timeout=TIMEOUT)
    shown = table_column(page, header_name)
    assert shown == sorted(shown, key=lambda v: float("inf") if v is None else v)
    # the first visible row shows the smallest value (the DOM follows the sort)
    assert float(visible_column(page, header_name)[0].replace(",", "")) == pytest.approx(min(every), abs=0.01)

    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending", timeout=TIMEOUT)
    shown = [v for v in table_column(page, header_name) if v is not None]
    assert shown == sorted(shown, reverse=True)
    assert float(visible_column(page, header_name)[0].replace(",", "")) == pytest.approx(max(every), abs=0.01)

    # the sort is kept when the view changes (same column, new rows)
    click_choice(page, "control-sequence", "8k/1k")
    expect(page.locator("#points-summary")).to_contain_text("8k/1k", timeout=TIMEOUT)
    expect(header).to_have_attribute("aria-sort", "descending", timeout=TIMEOUT)
    shown = [v for v in table_column(page, header_name) if v is not None]
    assert shown == sorted(shown, reverse=True) and set(shown) != set(every)

    header.get_by_role("button").click()  # a third click restores the server's order
    expect(header).to_have_attribute("aria-sort", "none", timeout=TIMEOUT)


def test_points_table_filters_and_pages(page, live_server):
    open_explorer(page, live_server.url, "?model=dsr1&seq=1k1k&precision=fp4,fp8")
    box = page.locator("#points-table")
    expect(box.locator(".points-range")).to_contain_text("1–20 of", timeout=TIMEOUT)
    total = table_row_count(page)
    assert total > 50
    expect(box.locator("tbody tr")).to_have_count(20)
    expect(box.get_by_role("button", name="‹ Previous")).to_be_disabled()

    box.get_by_role("button", name="Next ›").click()
    expect(box.locator(".points-range")).to_have_text(f"21–40 of {total}")
    box.get_by_label("Rows per page").select_option("50")
    expect(box.locator(".points-range")).to_have_text(f"1–50 of {total}")
    expect(box.locator("tbody tr")).to_have_count(50)

    gpus = table_column(page, "GPU")
    box.get_by_label("Filter the points table").fill("MI355X")
    want = sum(1 for g in gpus if "mi355x" in g.lower())
    assert 0 < want < total
    expect(box.locator(".points-range")).to_contain_text(f"of {want} (filtered from {total})", timeout=TIMEOUT)
    assert set(visible_column(page, "GPU")) == {"MI355X"}
    box.get_by_label("Filter the points table").fill("no such text")
    expect(box.locator(".points-range")).to_have_text("No row matches the filter")
    expect(box.locator("tbody tr")).to_have_count(0)


def test_zoom_on_interactivity_survives_a_metric_change(page, live_server):
    """The x zoom a user set stays when the y metric changes (the y axis rescales to the new
    metric's values, since its units changed)."""
    open_explorer(page, live_server.url, "?model=dsr1&seq=1k1k&precision=fp8&metric=tput&x=intvty")
    # a real drag along the x axis (Plotly only remembers GUI zooms, not API relayouts)
    box = page.locator("#main-chart .nsewdrag").bounding_box()
    page.locator("#main-chart .nsewdrag").scroll_into_view_if_needed()
    box = page.locator("#main-chart .nsewdrag").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y + 2, steps=8)
    page.mouse.up()
    wait_for_chart_where(page, "gd._fullLayout.xaxis.autorange === false")
    x_zoom = [round(v, 1) for v in page.evaluate(f"{PLOT}._fullLayout.xaxis.range.slice()")]
    y_before = page.evaluate(f"{PLOT}._fullLayout.yaxis.range.slice()")
    pick(page, "control-metric", "Cost per million all tokens (Hyperscaler) [$/M tokens]")
    wait_for_chart_where(page, "gd.layout.yaxis.title.text.startsWith('Cost per million all tokens')")
    x_after = page.evaluate(f"{PLOT}._fullLayout.xaxis.range.slice()")
    y_after = page.evaluate(f"{PLOT}._fullLayout.yaxis.range.slice()")
    assert [round(v, 1) for v in x_after] == x_zoom
    assert y_after[1] < y_before[1] / 10  # rescaled to dollars per million tokens, not thousands of tok/s


def test_legend_item_hides_and_shows_its_series_without_a_server_request(page, live_server):
    open_explorer(page, live_server.url, "?model=qwen3.5&seq=1k1k&precision=fp4")
    items = page.locator("#chart-legend .legend-item")
    expect(items.first).to_be_visible(timeout=TIMEOUT)
    series = items.count()
    assert series == len(series_names(chart(page))) == 4  # B300 x (sglang, trt) x (MTP, Off)
    total = point_count(chart(page))
    requests = DashRequests(page)
    items.first.click()
    expect(items.first).to_have_attribute("aria-pressed", "false")
    wait_for_chart_where(page, f"Array.from(gd._fullData[0].x).filter(v => !isNaN(v)).length < {total}")
    assert page.evaluate(f"{PLOT}.layout.shapes.length") == series - 1  # the hidden series' curve is gone
    page.locator("#chart-legend .legend-reset").click()
    wait_for_chart_where(page, f"Array.from(gd._fullData[0].x).filter(v => !isNaN(v)).length === {total}")
    assert requests.requests == []
