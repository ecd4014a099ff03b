"""Small helpers shared by the browser tests: reading the drawn Plotly figure, driving the
Dash 4 controls and asking the API what the chart should show."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

# JS over ``gd`` (the plot div): the series of the drawn figure (every point is in trace 0;
# series, their legend and curves are described in layout.meta.series).
SERIES_JS = "(gd.layout.meta.series || [])"
TARGETS_JS = "JSON.stringify((gd.layout.shapes || []).filter(s => s.type === 'line').map(s => s.x0))"

TIMEOUT = 20_000  # ms: every wait in these tests is bounded by this
PLOT = "document.querySelector('#main-chart .js-plotly-plot')"

# One JS function that summarises the drawn figure (gd.data keeps the base64 specs, so point
# counts and coordinates come from gd._fullData, where Plotly has decoded them).
_CHART_JS = """() => {
  const gd = document.querySelector('#main-chart .js-plotly-plot');
  if (!gd || !gd.data || !gd._fullData) return null;
  const full = gd._fullData;
  const arr = (a) => a ? Array.from(a) : [];
  const traces = gd.data.map((t, i) => {
    const f = full.find((ft) => ft.index === i) || {};
    return {
      name: t.name, role: (t.meta || {}).role, mode: t.mode, colours: (t.meta || {}).colours || null,
      marker_color: t.marker ? t.marker.color : null, line_color: t.line ? t.line.color : null,
      n: f.x ? f.x.length : 0, x: arr(f.x), y: arr(f.y),
    };
  });
  const lay = gd.layout || {};
  const fl = gd._fullLayout || {};
  return {
    traces: traces,
    series: (((lay.meta || {}).series) || []).map((s) => s.name),
    series_points: Object.fromEntries((((lay.meta || {}).series) || []).map((s) => [s.name, s.points])),
    shapes: (lay.shapes || []).length,
    legend: Array.from(document.querySelectorAll('#chart-legend .legend-item .legend-name')).map((e) => e.textContent),
    xtitle: ((lay.xaxis || {}).title || {}).text || null,
    ytitle: ((lay.yaxis || {}).title || {}).text || null,
    xtype: (fl.xaxis || {}).type || null, ytype: (fl.yaxis || {}).type || null,
    plot_bgcolor: fl.plot_bgcolor || null, layout_plot_bgcolor: lay.plot_bgcolor || null,
    font_color: (fl.font || {}).color || null,
    annotations: (lay.annotations || []).map((a) => a.text),
  };
}"""


def wait_for_chart(page: Page, min_traces: int = 1) -> None:
    """The chart is drawn with at least ``min_traces`` traces."""
    page.wait_for_function(f"(() => {{ const e = {PLOT}; return !!(e && e.data && e._fullData && "
                           f"e.data.length >= {min_traces}); }})()", timeout=TIMEOUT)


def wait_for_chart_where(page: Page, predicate_js: str) -> None:
    """Waits until ``predicate_js`` (a JS expression over ``gd``, the plot div) holds."""
    page.wait_for_function(f"(() => {{ const gd = {PLOT}; if (!gd || !gd.data || !gd._fullData) return false; "
                           f"try {{ return !!({predicate_js}); }} catch (e) {{ return false; }} }})()",
                           timeout=TIMEOUT)


def chart(page: Page) -> dict:
    return page.evaluate(_CHART_JS)


def point_traces(state: dict) -> list[dict]:
    return [t for t in state["traces"] if t["role"] == "points"]


def point_count(state: dict) -> int:
    return sum(t["n"] for t in point_traces(state))


def series_names(state: dict) -> list[str]:
    """Series in the chart (its data) - the HTML legend lists the same names."""
    return state["series"]


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def url_has(**params) -> re.Pattern:
    """A regex for expect(page).to_have_url: every key=value present (order-free)."""
    parts = "".join(rf"(?=.*[?&]{re.escape(k)}={re.escape(v)}(&|$))" for k, v in params.items())
    return re.compile(parts + ".*")


def url_lacks(*keys) -> re.Pattern:
    parts = "".join(rf"(?!.*[?&]{re.escape(k)}=)" for k in keys)
    return re.compile("^" + parts + ".*$")


# ---- controls ---------------------------------------------------------------------------

def pick(page: Page, control_id: str, option: str, multi: bool = False) -> None:
    """Choose an option of a Dash 4 dcc.Dropdown by its visible label."""
    page.locator(f"#{control_id}").click()
    opt = page.get_by_role("option", name=option, exact=True)
    expect(opt).to_be_visible(timeout=TIMEOUT)
    opt.click()
    if multi:  # multi-select dropdowns stay open
        page.keyboard.press("Escape")
    expect(page.get_by_role("option", name=option, exact=True)).to_have_count(0, timeout=TIMEOUT)


def click_choice(page: Page, control_id: str, label: str) -> None:
    """Click a dbc RadioItems / Checklist option (or a switch) by its label text."""
    page.locator(f"#{control_id} label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).click()


def checked_values(page: Page, control_id: str) -> list[str]:
    return page.locator(f"#{control_id} input:checked").evaluate_all("els => els.map(e => e.value)")


def expect_checked(page: Page, control_id: str, values: list[str]) -> None:
    """Waits until exactly ``values`` are checked in a dbc RadioItems/Checklist."""
    page.wait_for_function(
        "([id, want]) => { const got = Array.from(document.querySelectorAll('#' + id + ' input:checked'))"
        ".map(e => e.value).sort(); return JSON.stringify(got) === JSON.stringify(want); }",
        arg=[control_id, sorted(values)], timeout=TIMEOUT)


def table_row_count(page: Page) -> int:
    """The number of rows the points table says it holds ("1–20 of 27" -> 27)."""
    text = page.locator("#points-table .points-range").inner_text()
    found = re.search(r"of (\d+)", text)
    return int(found.group(1)) if found else 0


def table_column(page: Page, header: str) -> list:
    """A column's values in the table's current (sorted, filtered) order, every page."""
    return page.evaluate("""(header) => {
      const t = window.frontierPointsTable, c = t.columns().indexOf(header);
      if (c < 0) { throw new Error("no column " + header); }
      return t.rows().map(r => r[c]);
    }""", header)


def visible_column(page: Page, header: str) -> list[str]:
    """The cells of one column on the page of the table a person sees, as displayed."""
    return page.evaluate("""(header) => {
      const heads = Array.from(document.querySelectorAll('#points-table thead th')).map(th => th.innerText.replace(/[▲▼]/g, '').trim());
      const c = heads.indexOf(header);
      if (c < 0) { throw new Error("no column " + header + " in " + heads.join('|')); }
      return Array.from(document.querySelectorAll('#points-table tbody tr')).map(tr => tr.cells[c].innerText);
    }""", header)


# ---- what the server says ---------------------------------------------------------------

def http_get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:
            return r.status, r.read().decode("utf-8"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8"), dict(e.headers)


def get_json(url: str) -> tuple[int, object]:
    status, body, _ = http_get(url)
    return status, json.loads(body)


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def api_points(base: str, search: str) -> list[dict]:
    status, body, _ = http_get(base + "/api/v1/points.csv" + search)
    assert status == 200, body
    return csv_rows(body)


class DashRequests:
    """Records the Dash callback requests a page makes."""

    def __init__(self, page: Page):
        self.requests: list[dict] = []
        page.on("request", self._on)

    def _on(self, request) -> None:
        if "/_dash-update-component" in request.url:
            try:
                body = json.loads(request.post_data or "{}")
            except ValueError:
                body = {}
            self.requests.append(body)

    def clear(self) -> None:
        self.requests.clear()

    @property
    def changed(self) -> list[list[str]]:
        return [r.get("changedPropIds", []) for r in self.requests]


# Counts the main chart's draws from now on (window.__plots)
PLOTS_JS = """() => { const gd = document.querySelector('#main-chart .js-plotly-plot'); window.__plots = 0;
  if (!gd.__countPlots) { gd.__countPlots = true; gd.on('plotly_afterplot', () => { window.__plots += 1; }); } }"""


def wait_prefetched(page) -> None:
    """Until the page holds every answer for the address it shows."""
    page.wait_for_function("() => window.frontierPrefetched && window.frontierPrefetched().done", timeout=TIMEOUT)
    assert page.evaluate("window.frontierPrefetched().answers") > 0
