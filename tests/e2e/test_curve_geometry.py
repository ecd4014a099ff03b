"""Frontier curves sit on their points, in screen pixels, on linear and on log axes.

A person reads a frontier as the line through its (bigger) frontier markers. These tests read
what Plotly actually drew: the vertices of each curve's SVG path and the centre of each marker,
both mapped to the screen with the elements' own transforms (getScreenCTM). So they catch a
curve drawn in the wrong coordinates (log10 taken twice on log axes, for instance) however the
figure dict looks."""

from __future__ import annotations

import math

import pytest

from tests.e2e.helpers import wait_for_chart_where

pytestmark = pytest.mark.browser

TOLERANCE = 2.0  # px
FRONTIER_SIZE = 9  # components/charts.py: frontier points are drawn bigger (9 px) than the others (6 px)

# What is on the screen: curve vertices, marker centres (with their series and size) and the
# target lines' x, all in viewport pixels.
DRAWN_JS = """(targets) => {
  const gd = document.querySelector('#main-chart .js-plotly-plot');
  const screen = (el, x, y) => { const m = el.getScreenCTM(); return [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]; };
  const vertices = (el) => (el.getAttribute('d').match(/[MLHVCSQTAZ][^MLHVCSQTAZ]*/g) || [])
    .filter((seg) => /[ML]/.test(seg[0]))
    .map((seg) => { const [x, y] = seg.slice(1).split(',').map(Number); return screen(el, x, y); });
  const curves = [], lines = [];
  gd.querySelectorAll('.shapelayer path').forEach((el) => {
    const shape = gd._fullLayout.shapes[Number(el.getAttribute('data-index'))];
    if (shape && shape.type === 'path') { curves.push(vertices(el)); }
    if (shape && shape.type === 'line') { lines.push(vertices(el).map((p) => p[0])); }
  });
  const owner = gd.data[0].meta.series, size = gd._fullData[0].marker.size;
  const markers = Array.from(gd.querySelectorAll('.scatterlayer .trace .point')).map((el) => {
    const i = el.__data__.i, m = el.getScreenCTM();
    return {series: owner[i], frontier: size[i] === %d, x: m.e, y: m.f};
  });
  // where the x axis puts a value, for the target lines: Plotly's own data -> pixel mapping
  const xa = gd._fullLayout.xaxis, svg = gd.querySelector('.main-svg');
  const axisX = (v) => screen(svg, xa._offset + xa.l2p(xa.d2l(v)), 0)[0];
  return {curves: curves, markers: markers, lines: lines, targets: targets.map(axisX),
          xtype: xa.type, ytype: gd._fullLayout.yaxis.type};
}""" % FRONTIER_SIZE


def drawn(page, url: str, log: bool, targets=()) -> dict:
    page.goto(url)
    axis = "log" if log else "linear"
    # drawn with every curve: one path shape per series with two or more frontier points
    wait_for_chart_where(page, f"gd._fullLayout.xaxis.type === '{axis}' && gd._fullLayout.yaxis.type === '{axis}' && "
                               "gd.querySelectorAll('.scatterlayer .point').length > 0 && "
                               "gd.querySelectorAll('.shapelayer path').length === (gd.layout.shapes || []).length")
    return page.evaluate(DRAWN_JS, list(targets))


def distance(a, b) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def assert_curves_on_their_points(state: dict) -> None:
    frontier: dict[int, list[tuple[float, float]]] = {}
    for m in state["markers"]:
        if m["frontier"]:
            frontier.setdefault(m["series"], []).append((m["x"], m["y"]))
    expected = {s for s, pts in frontier.items() if len(pts) >= 2}
    assert expected, "no series with a drawn frontier: the check would be empty"
    assert len(state["curves"]) == len(expected), (len(state["curves"]), len(expected))

    matched: set[int] = set()
    for n, curve in enumerate(state["curves"]):
        start, end = curve[0], curve[-1]
        owners = []
        for s in expected:
            left, right = min(frontier[s]), max(frontier[s])  # a frontier's ends: its leftmost and rightmost markers
            if (max(distance(start, left), distance(end, right)) <= TOLERANCE
                    or max(distance(start, right), distance(end, left)) <= TOLERANCE):
                owners.append(s)
        nearest = min(distance(start, (m["x"], m["y"])) for m in state["markers"] if m["frontier"])
        assert owners, (f"curve {n} ({state['xtype']} x, {state['ytype']} y) starts {nearest:.1f} px from the nearest "
                        f"frontier marker, at {start} (ends at {end})")
        # and it passes through every frontier point of its series (the knots are path vertices)
        s = owners[0]
        for p in frontier[s]:
            gap = min(distance(p, v) for v in curve)
            assert gap <= TOLERANCE, f"curve {n} misses a frontier marker of series {s} by {gap:.1f} px"
        matched.update(owners)
    assert matched == expected, f"series whose frontier has no curve: {sorted(expected - matched)}"


EXPLORER = {
    "linear": ("/", False),
    "log": ("/?log=1", True),
    "log-cost": ("/?metric=cost&log=1", True),
    "log-ttft": ("/?x=ttft&log=1", True),
    "linear-cost-ttft": ("/?metric=cost&x=ttft", False),
    "log-cost-ttft": ("/?model=dsr1&seq=8k1k&precision=fp4,fp8&metric=cost&x=ttft&log=1", True),
}


@pytest.mark.parametrize("path,log", list(EXPLORER.values()), ids=list(EXPLORER))
def test_explorer_curves_start_and_end_on_their_frontier_markers(page, live_server, path, log):
    assert_curves_on_their_points(drawn(page, live_server.url + path, log))


COMPARE = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"


@pytest.mark.parametrize("log", [False, True], ids=["linear", "log"])
def test_comparison_curves_and_target_lines_sit_where_their_values_are(page, live_server, log):
    targets = [93, 124, 154]  # the seed page's default targets (the band's quartiles), in tok/s/user
    state = drawn(page, live_server.url + COMPARE + ("&log=1" if log else ""), log, targets)
    assert_curves_on_their_points(state)
    # each target line is vertical, where its value is on the x axis
    assert len(state["lines"]) == len(targets)
    for line, expected in zip(state["lines"], state["targets"]):
        assert max(abs(x - expected) for x in line) <= TOLERANCE, (f"target line at x = {line} px, its value is at "
                                                                  f"{expected:.1f} px ({state['xtype']} axis)")
