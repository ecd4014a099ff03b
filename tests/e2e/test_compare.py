"""Comparison pages in a real browser (SPEC §5-§7): the seed page as a person reads it, the
pinned table, sequence/model/precision controls, editable targets, 404s, the index and the
JSON API that serves the same numbers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from frontier.kinds import KINDS
from tests.e2e.helpers import (SERIES_JS, TARGETS_JS, TIMEOUT, chart, click_choice, expect_checked, get_json, http_get, pick, point_count,
                               series_names, url_has, url_lacks, wait_for_chart, wait_for_chart_where)

pytestmark = pytest.mark.browser

SEED = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"
SEED_API = "/api/v1/compare/spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"
# SPEC §7: target -> (MTP, Off) per row (throughput, cost, tok/s/MW, concurrency), then the two percentages
SEED_EXPECT = {
    93: [("4729.0", "1583.6"), ("$0.137", "$0.414"), ("2179271", "729785"), ("~64", "~37"), (202, 199)],
    124: [("3193.8", "966.3"), ("$0.205", "$0.673"), ("1471810", "445283"), ("~63", "~16"), (229, 231)],
    154: [("2157.6", "614.2"), ("$0.301", "$1.055"), ("994302", "283034"), ("~16", "~8"), (250, 251)],
}
DSR1_B200_FP4 = "/compare-spec-decode/dsr1-b200-fp4-mtp-vs-off?seq=1k1k"

# The comparison table as structured data, read from the DOM.
TABLE_JS = """() => {
  const t = document.querySelector('#comparison-table table');
  if (!t) return null;
  const targets = Array.from(t.querySelectorAll('thead .target-value')).map(e => e.innerText.trim());
  const rows = Array.from(t.querySelectorAll('tbody tr')).map(tr => ({
    label: tr.querySelector('th').innerText.split('\\n')[0].trim(),
    cells: Array.from(tr.querySelectorAll('td')).map(td => Array.from(td.querySelectorAll('.side-line')).map(l => ({
      label: l.querySelector('.side-label').innerText.replace(':', '').trim(),
      text: l.querySelector('.cell-value').innerText.trim(),
      clamped: !!l.querySelector('.clamped-mark'),
    }))),
  }));
  return {targets: targets, rows: rows};
}"""


def open_compare(page, base, path):
    page.goto(base + path)
    expect(page.locator("#comparison-table table")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#comparison-narrative p").first).to_be_visible(timeout=TIMEOUT)
    wait_for_chart(page)


def table(page) -> dict:
    return page.evaluate(TABLE_JS)


def table_text(page) -> str:
    return page.locator("#comparison-table").inner_text()


def targets_shown(page) -> list[str]:
    return page.locator("#comparison-table thead .target-value").all_inner_texts()


def expect_targets(page, targets: list[str]) -> None:
    page.wait_for_function(
        "(want) => JSON.stringify(Array.from(document.querySelectorAll('#comparison-table thead .target-value'))"
        ".map(e => e.innerText.trim())) === JSON.stringify(want)", arg=targets, timeout=TIMEOUT)


def api_for(base: str, path_and_query: str) -> dict:
    """The JSON API answer for a comparison page URL."""
    parts = urlsplit(path_and_query)
    prefix = {"/compare-spec-decode/": "spec-decode", "/compare-precision/": "precision", "/compare/": "gpu"}
    kind, slug = next((k, parts.path[len(p):]) for p, k in prefix.items() if parts.path.startswith(p))
    status, payload = get_json(f"{base}/api/v1/compare/{kind}/{slug}" + (f"?{parts.query}" if parts.query else ""))
    assert status == 200, payload
    return payload


def assert_table_matches_api(page, payload: dict) -> None:
    shown = table(page)
    assert shown["targets"] == [_num(t) for t in payload["targets"]]
    a_label, b_label = payload["sides"]["a"]["label"], payload["sides"]["b"]["label"]
    assert [r["label"] for r in shown["rows"]] == [r["label"] for r in payload["table"]]
    for row_shown, row_api in zip(shown["rows"], payload["table"]):
        for cell_shown, cell_api in zip(row_shown["cells"], row_api["cells"], strict=True):
            a, b = cell_shown
            assert (a["label"], b["label"]) == (a_label, b_label)
            assert (a["text"], b["text"]) == (cell_api["a"]["text"], cell_api["b"]["text"])
            assert (a["clamped"], b["clamped"]) == (cell_api["a"]["clamped"], cell_api["b"]["clamped"])


def _num(t) -> str:
    return str(int(t)) if float(t).is_integer() else f"{t:g}"


def _drop_expected_404(page) -> None:
    """The document itself answers 404 by design; Chromium logs that as a console error."""
    page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e]


# ---- (1) the seed page, read as a person reads it -----------------------------------------

def test_seed_page_shows_every_published_figure(page, live_server):
    open_compare(page, live_server.url, SEED)
    page.wait_for_load_state("networkidle")
    text = table_text(page).replace(",", "")
    narrative = page.locator("#comparison-narrative").inner_text().replace(",", "")
    missing = []
    for target, rows in SEED_EXPECT.items():
        if not re.search(rf"\b{target}\b", text):
            missing.append(f"target {target}")
        for mtp, off in rows[:4]:
            for label, value in (("MTP", mtp), ("Off", off)):
                if not re.search(rf"{label}\s*:?\s*{re.escape(value)}(?![\d.])", text):
                    missing.append(f"{label}: {value}")
        for pct in rows[4]:
            if not re.search(rf"(?<![\d.]){pct}\s*%", narrative):
                missing.append(f"{pct}% in the narrative")
    if not re.search(r"(?<![\d.])63\s*[–-]\s*184(?![\d.])", narrative + text):
        missing.append("band 63–184")
    assert not missing, f"missing on the page: {missing}"

    assert targets_shown(page) == ["93", "124", "154"]
    # one paragraph per target, in order, naming its place in the band and MTP as the winner
    paragraphs = page.locator("#comparison-narrative p").all_inner_texts()
    assert len(paragraphs) == 3
    for p, target, where in zip(paragraphs, (93, 124, 154), ("lower third", "middle", "upper third")):
        assert p.startswith(f"At {target} tok/s/user") and where in p
        # the cost gap worded so it is true above 100% (SPEC §5): the dearer side costs N% more
        assert re.search(r"Off costs \d+% more per token than MTP \(MTP is \d+\.\d× cheaper\)", p), p
        assert "% cheaper" not in p
        assert re.search(r"MTP delivers \d+% more tok/s/GPU than Off", p)
    # the caveat about pooled engines, the pinned line and the API link
    expect(page.get_by_text(re.compile("accept draft tokens at different rates"))).to_be_visible()
    expect(page.locator("#comparison-pinned")).to_contain_text("1k/1k · FP4")
    expect(page.locator("#comparison-api-link")).to_have_attribute("href", SEED_API)
    # no clamped marks at the default targets, and the chart marks the three targets
    assert page.locator("#comparison-table .clamped-mark").count() == 0
    wait_for_chart_where(page, TARGETS_JS + " === '[93,124,154]'")
    assert series_names(chart(page)) == ["MTP", "Off"]


# ---- (2) the precision control changes the chart, not the table ---------------------------

def test_precision_control_changes_chart_not_table(page, live_server):
    open_compare(page, live_server.url, DSR1_B200_FP4)
    page.wait_for_load_state("networkidle")
    before_table = table_text(page)
    before = chart(page)
    assert series_names(before) == ["MTP", "Off"]
    expect_checked(page, "control-precision", ["fp4"])

    click_choice(page, "control-precision", "FP8")
    expect(page).to_have_url(url_has(precision="fp4,fp8", seq="1k1k"), timeout=TIMEOUT)
    wait_for_chart_where(page, SERIES_JS + ".length === 4")
    after = chart(page)
    assert sorted(series_names(after)) == ["MTP · FP4", "MTP · FP8", "Off · FP4", "Off · FP8"]
    assert point_count(after) > point_count(before)
    page.wait_for_load_state("networkidle")
    assert table_text(page) == before_table
    expect(page.locator("#comparison-pinned")).to_contain_text("1k/1k · FP4")
    assert_table_matches_api(page, api_for(live_server.url, DSR1_B200_FP4))

    # and back to FP4 only
    click_choice(page, "control-precision", "FP8")
    wait_for_chart_where(page, SERIES_JS + ".length === 2")
    assert point_count(chart(page)) == point_count(before)
    assert table_text(page) == before_table


# ---- (3) + (4) a sequence change updates table, chart and URL; reopening shows the same ----

def test_sequence_change_updates_table_chart_and_url_and_the_url_reopens_it(page, live_server):
    base = live_server.url
    open_compare(page, base, DSR1_B200_FP4)
    before_table = table_text(page)
    before_points = point_count(chart(page))
    assert before_points == sum(api_for(base, DSR1_B200_FP4)["sides"][s]["points"] for s in "ab")

    click_choice(page, "control-sequence", "8k/1k")
    expect(page).to_have_url(url_has(seq="8k1k"), timeout=TIMEOUT)
    expect(page.locator("#comparison-pinned")).to_contain_text("8k/1k · FP4", timeout=TIMEOUT)
    payload = api_for(base, "/compare-spec-decode/dsr1-b200-fp4-mtp-vs-off?seq=8k1k")
    expect_targets(page, [_num(t) for t in payload["targets"]])
    assert table_text(page) != before_table
    assert_table_matches_api(page, payload)
    expected_points = payload["sides"]["a"]["points"] + payload["sides"]["b"]["points"]
    wait_for_chart_where(page, "gd._fullData.filter(t => (t.meta||{}).role === 'points')"
                               f".reduce((s, t) => s + t.x.length, 0) === {expected_points}")
    assert expected_points != before_points
    assert payload["band"]["text"] in page.locator("#comparison-narrative").inner_text()

    # (4) the URL alone restores the state, in a new page
    url = page.evaluate("location.href")
    shown_table, shown_chart = table_text(page), chart(page)
    other = page.context.new_page()
    errors = []
    other.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    other.goto(url)
    expect(other.locator("#comparison-table table")).to_be_visible(timeout=TIMEOUT)
    wait_for_chart(other)
    expect_checked(other, "control-sequence", ["8k1k"])
    expect_checked(other, "control-precision", ["fp4"])
    wait_for_chart_where(other, "gd._fullData.filter(t => (t.meta||{}).role === 'points')"
                                f".reduce((s, t) => s + t.x.length, 0) === {expected_points}")
    assert table_text(other) == shown_table
    assert series_names(chart(other)) == series_names(shown_chart)
    other.close()
    assert errors == []

    # back in the first page: the 1k/1k table and chart return
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?seq=1k1k(&|$)"), timeout=TIMEOUT)
    page.wait_for_function("(t) => document.querySelector('#comparison-table').innerText === t",
                           arg=before_table, timeout=TIMEOUT)
    expect_checked(page, "control-sequence", ["1k1k"])
    wait_for_chart_where(page, "gd._fullData.filter(t => (t.meta||{}).role === 'points')"
                               f".reduce((s, t) => s + t.x.length, 0) === {before_points}")


def test_reopening_a_url_with_every_compare_parameter_restores_it(page, live_server):
    path = ("/compare-spec-decode/dsr1-b200-fp4-mtp-vs-off?seq=8k1k&precision=fp4,fp8&metric=cost&x=intvty"
            "&targets=40,80&log=1")
    open_compare(page, live_server.url, path)
    expect_targets(page, ["40", "80"])
    expect_checked(page, "control-sequence", ["8k1k"])
    expect_checked(page, "control-precision", ["fp4", "fp8"])
    expect_checked(page, "control-toggles", ["log"])
    expect(page.locator("#control-metric")).to_contain_text("Cost per million all tokens (Hyperscaler)")
    expect(page.locator("#control-targets")).to_have_value("40, 80")
    wait_for_chart_where(page, "gd._fullLayout.yaxis.type === 'log' && " + SERIES_JS + ".length === 4")
    assert_table_matches_api(page, api_for(live_server.url, path))
    assert page.evaluate("location.search") == "?" + urlsplit(path).query  # read, not rewritten
    expect(page.locator("#url-notice")).to_have_count(0)


# ---- (5) bad slugs ---------------------------------------------------------------------------

BAD_SLUGS = {
    "unknown-model": "/compare-spec-decode/nosuchmodel-b300-fp4-mtp-vs-off?seq=1k1k",
    "unknown-gpu": "/compare-spec-decode/dsr1-z9000-fp4-mtp-vs-off?seq=1k1k",
    "wrong-pattern": "/compare-spec-decode/dsr1-b300-fp4?seq=1k1k",
    "gpu-wrong-pattern": "/compare/dsr1-b200-b300",
    "no-data": "/compare-spec-decode/dsr1-h100-fp4-mtp-vs-off?seq=1k1k",  # H100 has no FP4 points
    "no-data-gpu": "/compare/qwen3.5-b200-vs-b300?seq=1k1k",  # Qwen has no B200 points
    "precision-same": "/compare-precision/dsr1-b200-fp4-vs-fp4",
}


@pytest.mark.parametrize("path", list(BAD_SLUGS.values()), ids=list(BAD_SLUGS))
def test_bad_slug_answers_http_404(live_server, path):
    status, body, _ = http_get(live_server.url + path)
    assert status == 404
    assert 'id="react-entry-point"' in body  # the app's own page, which renders the not-found content


BROWSER_BAD_SLUGS = ["unknown-model", "unknown-gpu", "wrong-pattern", "no-data", "no-data-gpu"]


@pytest.mark.parametrize("path", [BAD_SLUGS[k] for k in BROWSER_BAD_SLUGS], ids=BROWSER_BAD_SLUGS)
def test_bad_slug_gives_a_404_page_with_working_links(page, live_server, path):
    assert http_get(live_server.url + path)[0] == 404
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="Comparison not found")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".not-found")).to_contain_text(urlsplit(path).path)
    links = page.locator(".not-found ul a")
    expect(links.first).to_be_visible(timeout=TIMEOUT)
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert len(hrefs) >= 1
    prefixes = "|".join(re.escape(kind.prefix) for kind in KINDS.values())
    for href in hrefs:
        assert re.match(rf"^({prefixes})[^/?]+\?seq=\w+$", href), href
    if "dsr1" in path or "qwen3.5" in path:  # a known model: its own comparisons
        model = "dsr1" if "dsr1" in path else "qwen3.5"
        assert all(f"/{model}-" in h for h in hrefs), hrefs
    # every link answers 200; the first one opens a working comparison in the page
    for href in hrefs:
        assert http_get(live_server.url + href)[0] == 200, href
    links.first.click()
    expect(page.locator("#comparison-table table")).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(re.escape(hrefs[0]) + "$"))
    wait_for_chart(page)
    assert page.get_by_role("heading", name="Comparison not found").count() == 0
    _drop_expected_404(page)


def test_seq_missing_for_an_existing_comparison_falls_back_with_a_notice(page, live_server):
    # GB200 FP8 MTP-vs-Off exists at 1k/8k and 8k/1k, not 1k/1k
    open_compare(page, live_server.url, "/compare-spec-decode/dsr1-gb200-fp8-mtp-vs-off?seq=1k1k")
    expect(page.locator("#url-notice")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#url-notice")).to_contain_text("1k1k")
    expect_checked(page, "control-sequence", ["1k8k"])
    expect(page.locator("#control-sequence input[value='1k1k']")).to_be_disabled()


# ---- (6) editable targets ---------------------------------------------------------------------

def _frontier_ranges(live_server, path):
    """Each side's measured frontier range of interactivity, from the app's own index."""
    from frontier.routes import resolve

    index = live_server.app.server.config["FRONTIER_CONTEXT"].index
    parts = urlsplit(path)
    state = resolve(index, parts.path, parts.query).state
    result = index.comparison(state)
    return result.a.x_range, result.b.x_range


def test_editing_targets_recomputes_the_table_and_reset_restores_defaults(page, live_server):
    base = live_server.url
    open_compare(page, base, SEED)
    box = page.locator("#control-targets")

    box.fill("100, 150")
    box.press("Enter")
    expect_targets(page, ["100", "150"])
    expect(page).to_have_url(url_has(targets="100,150", seq="1k1k"), timeout=TIMEOUT)
    assert_table_matches_api(page, api_for(base, SEED + "&targets=100,150"))
    assert len(page.locator("#comparison-narrative p").all_inner_texts()) == 2
    wait_for_chart_where(page, TARGETS_JS + " === '[100,150]'")
    assert page.locator("#comparison-table .clamped-mark").count() == 0

    # a target outside exactly one side's frontier: that side's cells carry the clamped mark
    (a_lo, a_hi), (b_lo, b_hi) = _frontier_ranges(live_server, SEED)
    if a_lo != b_lo:
        outside = (a_lo + b_lo) / 2
        clamped_side = "a" if outside < a_lo else "b"
    else:
        outside = (a_hi + b_hi) / 2
        clamped_side = "a" if outside > a_hi else "b"
    target = round(outside, 1)
    box.fill(f"{target:g}, 150")
    box.press("Enter")
    expect_targets(page, [f"{target:g}", "150"])
    expect(page).to_have_url(url_has(targets=f"{target:g},150"), timeout=TIMEOUT)
    shown = table(page)
    for row in shown["rows"]:
        first, second = row["cells"]
        a, b = first
        assert (a["clamped"], b["clamped"]) == (clamped_side == "a", clamped_side == "b"), row
        assert not any(side["clamped"] for side in second)
    flagged = page.locator("#comparison-table td .side-line").filter(has=page.locator(".clamped-mark"))
    expect(flagged).to_have_count(4)  # one per row, on the clamped side
    expect(flagged.first).to_contain_text("MTP" if clamped_side == "a" else "Off")
    expect(page.locator("#comparison-table")).to_contain_text("⚑ marks a value read at the edge")
    assert_table_matches_api(page, api_for(base, SEED + f"&targets={target:g},150"))

    # Reset: the band quartiles again, and no targets in the URL
    page.locator("#control-targets-reset").click()
    expect_targets(page, ["93", "124", "154"])
    expect(page).to_have_url(url_lacks("targets"), timeout=TIMEOUT)
    expect(box).to_have_value("")
    assert page.locator("#comparison-table .clamped-mark").count() == 0
    assert "4729.0" in table_text(page)


def test_bad_targets_are_ignored_with_a_notice(page, live_server):
    open_compare(page, live_server.url, SEED + "&targets=abc,-5,120")
    expect(page.locator("#url-notice")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#url-notice")).to_contain_text("abc")
    expect(page.locator("#url-notice")).to_contain_text("-5")
    expect_targets(page, ["120"])


# ---- (7) model change on a comparison page ---------------------------------------------------

def test_model_change_opens_that_models_comparison_page(page, live_server):
    start = "/compare-spec-decode/dsr1-b300-fp4-mtp-vs-off?seq=1k1k"
    open_compare(page, live_server.url, start)
    dsr1_table = table_text(page)
    expect(page.locator("#comparison-header")).to_contain_text("B300 FP4")
    pick(page, "control-model", "Qwen 3.5 397B-A17B")
    expect(page).to_have_url(re.compile(re.escape(SEED) + "(&precision=fp4)?$"), timeout=TIMEOUT)
    expect(page.locator("#comparison-table")).to_contain_text("4729.0", timeout=TIMEOUT)
    expect(page.locator("#control-model")).to_contain_text("Qwen 3.5 397B-A17B")
    wait_for_chart(page)
    assert_table_matches_api(page, api_for(live_server.url, SEED))
    assert table_text(page) != dsr1_table
    # back returns to the DeepSeek page
    page.go_back()
    expect(page).to_have_url(re.compile(re.escape(start) + "$"), timeout=TIMEOUT)
    expect(page.locator("#control-model")).to_contain_text("DeepSeek R1 0528", timeout=TIMEOUT)
    page.wait_for_function("(t) => { const e = document.querySelector('#comparison-table'); "
                           "return e && e.innerText === t; }", arg=dsr1_table, timeout=TIMEOUT)


# ---- (8) GPU vs GPU and precision vs precision --------------------------------------------

@pytest.mark.parametrize("path, labels", [
    ("/compare/dsr1-b200-vs-mi355x?seq=1k1k&precision=fp8", ("B200", "MI355X")),
    ("/compare/dsr1-h100-vs-h200?seq=8k1k", ("H100", "H200")),
    ("/compare-precision/dsr1-b200-fp4-vs-fp8?seq=1k1k", ("FP4", "FP8")),
], ids=["gpu-b200-mi355x", "gpu-default-precision", "precision-b200"])
def test_gpu_and_precision_pages_render_table_and_narrative(page, live_server, path, labels):
    open_compare(page, live_server.url, path)
    payload = api_for(live_server.url, path)
    assert (payload["sides"]["a"]["label"], payload["sides"]["b"]["label"]) == labels
    assert_table_matches_api(page, payload)
    paragraphs = page.locator("#comparison-narrative p").all_inner_texts()
    assert len(paragraphs) == len(payload["targets"]) >= 1
    assert paragraphs == payload["narrative"]
    for p in paragraphs:
        assert labels[0] in p and labels[1] in p
    names = series_names(chart(page))
    assert names and all(n.startswith(labels) for n in names)
    if path.startswith("/compare-precision/"):  # this page compares its two precisions: the control is locked
        expect_checked(page, "control-precision", ["fp4", "fp8"])
        assert page.locator("#control-precision input").evaluate_all("els => els.every(e => e.disabled)")




def test_gpu_page_precision_control_switches_table_and_chart(page, live_server):
    path = "/compare/dsr1-b200-vs-gb200?seq=1k1k"  # both GPUs have FP4 and FP8; the default is FP8
    open_compare(page, live_server.url, path)
    expect(page.locator("#comparison-pinned")).to_contain_text("1k/1k · FP8")
    fp8_table = table_text(page)
    click_choice(page, "control-precision", "FP4")
    expect(page).to_have_url(url_has(precision="fp4"), timeout=5000)
    expect(page.locator("#comparison-pinned")).to_contain_text("1k/1k · FP4", timeout=5000)
    expect_checked(page, "control-precision", ["fp4"])
    assert table_text(page) != fp8_table
    assert_table_matches_api(page, api_for(live_server.url, path + "&precision=fp4"))


def test_gpu_page_precision_from_the_url_pins_table_and_chart(page, live_server):
    base = live_server.url
    fp8 = api_for(base, "/compare/dsr1-b200-vs-gb200?seq=1k1k&precision=fp8")
    open_compare(page, base, "/compare/dsr1-b200-vs-gb200?seq=1k1k&precision=fp4")
    expect(page.locator("#comparison-pinned")).to_contain_text("1k/1k · FP4")
    expect_checked(page, "control-precision", ["fp4"])
    fp4 = api_for(base, "/compare/dsr1-b200-vs-gb200?seq=1k1k&precision=fp4")
    assert fp4["precision"] == "fp4" and fp4["table"] != fp8["table"]
    assert_table_matches_api(page, fp4)


# ---- (9) the comparison index ------------------------------------------------------------------

def test_compare_index_lists_every_comparison_and_links_work(page, live_server):
    page.goto(live_server.url + "/compare")
    expect(page.get_by_role("heading", name="Comparisons", exact=True)).to_be_visible(timeout=TIMEOUT)
    links = page.locator("#page-content ul a")
    expect(links.first).to_be_visible(timeout=TIMEOUT)
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    status, listed = get_json(live_server.url + "/api/v1/comparisons")
    assert status == 200
    assert sorted(h.split("?")[0] for h in hrefs) == sorted(c["path"] for c in listed)
    assert any(h.startswith(SEED.split("?")[0]) for h in hrefs)
    for href in hrefs:  # every link answers 200 (the server knows each page)
        assert http_get(live_server.url + href)[0] == 200, href
    # and a link of each kind opens a working page in the browser
    for prefix in ("/compare-spec-decode/", "/compare/", "/compare-precision/"):
        href = next(h for h in hrefs if h.startswith(prefix))
        page.goto(live_server.url + "/compare")
        page.locator(f"#page-content ul a[href='{href}']").click()
        expect(page).to_have_url(re.compile(re.escape(href) + "$"), timeout=TIMEOUT)
        expect(page.locator("#comparison-table table")).to_be_visible(timeout=TIMEOUT)
        expect(page.locator("#comparison-narrative p").first).to_be_visible(timeout=TIMEOUT)
        wait_for_chart(page)


# ---- (10) the JSON API -------------------------------------------------------------------------

def test_api_returns_the_numbers_on_the_page(page, live_server):
    open_compare(page, live_server.url, SEED)
    status, payload = get_json(live_server.url + SEED_API)
    assert status == 200
    assert payload["band"]["text"] == "63–184"
    assert payload["band"]["lo"] < 63 and payload["band"]["hi"] > 184
    assert payload["targets"] == [93, 124, 154]
    assert payload["page"] == SEED + "&precision=fp4"  # the page of these numbers, every parameter spelt out
    assert_table_matches_api(page, payload)
    # unrounded values are present and agree with the formatted text
    decimals = {"throughput": 1, "cost": 3, "tokmw": 0}
    for row in payload["table"]:
        for cell in row["cells"]:
            for side in ("a", "b"):
                value, text = cell[side]["value"], cell[side]["text"]
                assert isinstance(value, float)
                if row["key"] in decimals:
                    assert float(text.lstrip("$")) == pytest.approx(value, abs=0.5 * 10 ** -decimals[row["key"]] + 1e-9)
                else:
                    assert text == f"~{round(value)}"
    throughputs = [c[side]["value"] for c in payload["table"][0]["cells"] for side in "ab"]
    assert any(v != round(v, 1) for v in throughputs)  # unrounded, not the displayed figures
    percents = [(v["cost"]["percent"], v["throughput"]["percent"]) for v in payload["verdicts"]]
    assert percents == [tuple(SEED_EXPECT[t][4]) for t in (93, 124, 154)]
    assert payload["narrative"] == page.locator("#comparison-narrative p").all_inner_texts()
    # the page links to the same API URL
    expect(page.locator("#comparison-api-link")).to_have_attribute("href", SEED_API)

    # edited targets: the API link follows, and serves the page's numbers
    page.locator("#control-targets").fill("100, 150")
    page.locator("#control-targets").press("Enter")
    expect_targets(page, ["100", "150"])
    expect(page.locator("#comparison-api-link")).to_have_attribute("href", re.compile(r"targets=100,150"))
    href = page.locator("#comparison-api-link").get_attribute("href")
    status, edited = get_json(live_server.url + href)
    assert status == 200 and edited["targets"] == [100, 150]
    assert_table_matches_api(page, edited)


def test_api_bad_slug_is_a_404_listing_available_comparisons(live_server):
    status, payload = get_json(live_server.url + "/api/v1/compare/spec-decode/nosuchmodel-b300-fp4-mtp-vs-off?seq=1k1k")
    assert status == 404
    assert "error" in payload and "nosuchmodel" in payload["error"]
    available = payload["available"]
    assert "/api/v1/compare/spec-decode/qwen3.5-b300-fp4-mtp-vs-off" in available
    assert all(a.startswith("/api/v1/compare/spec-decode/") for a in available)
    for path in available[:3] + available[-1:]:
        status, ok = get_json(live_server.url + path)
        assert status == 200 and ok["kind"] == "spec-decode", path
    status, payload = get_json(live_server.url + "/api/v1/compare/nosuchkind/x")
    assert status == 404 and "kinds" in payload
    status, payload = get_json(live_server.url + "/api/v1/compare/gpu/dsr1-h100-vs-h100?seq=1k1k")
    assert status == 404 and payload["available"]


# ---- navigation between pages ------------------------------------------------------------------



def test_explorer_to_comparisons_and_back_restores_the_explorer(page, live_server, caplog):
    page.goto(live_server.url + "/?model=dsr1&seq=8k1k&precision=fp4&metric=jtok")
    wait_for_chart(page)
    page.get_by_role("link", name="Comparisons", exact=True).click()
    expect(page.get_by_role("heading", name="Comparisons", exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"/compare$"), timeout=TIMEOUT)
    page.locator(f"#page-content ul a[href='{SEED}']").click()
    expect(page.locator("#comparison-table")).to_contain_text("4729.0", timeout=TIMEOUT)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/compare$"), timeout=TIMEOUT)
    expect(page.get_by_role("heading", name="Comparisons", exact=True)).to_be_visible(timeout=TIMEOUT)
    page.go_back()
    expect(page).to_have_url(url_has(model="dsr1", seq="8k1k", precision="fp4", metric="jtok"), timeout=TIMEOUT)
    wait_for_chart(page)
    wait_for_chart_where(page, "gd.layout.yaxis.title.text === 'Energy per token (J/token)'")
    expect_checked(page, "control-sequence", ["8k1k"])
    page.wait_for_load_state("networkidle")
    assert not [r for r in caplog.records if "callback failed" in r.getMessage()]
    expect(page.locator(".error-toast")).to_be_hidden()


def test_all_comparisons_link_from_a_comparison_page_shows_no_error(page, live_server, caplog):
    open_compare(page, live_server.url, DSR1_B200_FP4)
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="← All comparisons").click()
    expect(page.get_by_role("heading", name="Comparisons", exact=True)).to_be_visible(timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert not [r for r in caplog.records if "callback failed" in r.getMessage()]
    expect(page.locator(".error-toast")).to_be_hidden()
