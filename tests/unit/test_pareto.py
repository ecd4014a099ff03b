"""Pareto frontier (SPEC §3): hand-made cases per direction and property tests against a
brute-force dominance check."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontier.pareto import frontier_indices, frontier_mask

from .reference_impl import brute_frontier

NAN = float("nan")


def frontier_points(pts, **kw):
    x = [p[0] for p in pts]
    y = [p[1] for p in pts]
    return [pts[i] for i in frontier_indices(x, y, **kw)]


# A: (1,10)  B: (2,8)  C: (2,9)  D: (3,9)  E: (4,20)  plus points that may never be on a frontier
BASE = [(1.0, 10.0), (2.0, 8.0), (2.0, 9.0), (3.0, 9.0), (4.0, 20.0)]
INVALID = [(0.0, 100.0), (NAN, 50.0), (-1.0, 200.0), (5.0, NAN), (math.inf, 1.0), (6.0, math.inf)]


def test_max_x_max_y_by_hand():
    pts = [(1.0, 10.0), (2.0, 8.0), (2.0, 9.0), (3.0, 9.0), (4.0, 1.0)] + INVALID
    # (2,8) loses the tie at x=2 to (2,9); (2,9) is then matched by (3,9) further right.
    assert frontier_points(pts) == [(1.0, 10.0), (3.0, 9.0), (4.0, 1.0)]


def test_max_x_min_y_by_hand():
    # cost-like y: (1,10) is beaten by (2,8): more interactive and cheaper; (2,9) loses the x=2 tie.
    pts = BASE + INVALID
    assert frontier_points(pts, maximise_y=False) == [(2.0, 8.0), (3.0, 9.0), (4.0, 20.0)]


def test_min_x_max_y_by_hand():
    # latency-like x: P1 (1,5), P2 (2,7), P3 (2,6) loses the tie, P4 (3,7) is as good as P2 but
    # slower, P5 (4,9), P6 (5,8) is slower and worse than P5.
    pts = [(1.0, 5.0), (2.0, 7.0), (2.0, 6.0), (3.0, 7.0), (4.0, 9.0), (5.0, 8.0)] + INVALID
    assert frontier_points(pts, maximise_x=False) == [(1.0, 5.0), (2.0, 7.0), (4.0, 9.0)]
    # the same points for "maximise both": only (4,9) and (5,8) survive
    assert frontier_points(pts) == [(4.0, 9.0), (5.0, 8.0)]


def test_min_x_min_y_by_hand():
    pts = [(1.0, 5.0), (2.0, 3.0), (2.0, 4.0), (3.0, 3.0), (4.0, 1.0)] + INVALID
    assert frontier_points(pts, maximise_x=False, maximise_y=False) == [(1.0, 5.0), (2.0, 3.0), (4.0, 1.0)]


def test_ties_at_equal_x_keep_the_best_y():
    pts = [(5.0, 1.0), (5.0, 3.0), (5.0, 2.0)]
    assert frontier_points(pts) == [(5.0, 3.0)]
    assert frontier_points(pts, maximise_y=False) == [(5.0, 1.0)]


def test_equal_y_further_right_replaces():
    # "drop trailing frontier points whose y is <= the new y": an equal y further right wins
    assert frontier_points([(1.0, 5.0), (2.0, 5.0), (3.0, 5.0)]) == [(3.0, 5.0)]
    assert frontier_points([(1.0, 5.0), (2.0, 5.0), (3.0, 5.0)], maximise_x=False) == [(1.0, 5.0)]


def test_exact_duplicates_appear_once():
    idx = frontier_indices([2.0, 2.0, 1.0], [7.0, 7.0, 9.0])
    assert len(idx) == 2
    assert sorted((i == 2) for i in idx) == [False, True]


def test_invalid_x_never_on_frontier():
    assert len(frontier_indices([0.0, -3.0, NAN, math.inf], [1.0, 2.0, 3.0, 4.0])) == 0
    assert len(frontier_indices([], [])) == 0
    # x <= 0 is excluded even for "minimise x", where it would otherwise win
    assert frontier_points([(0.0, 100.0), (-1.0, 100.0), (2.0, 1.0)], maximise_x=False) == [(2.0, 1.0)]


def test_indices_refer_to_input_positions_and_mask():
    x = [3.0, 1.0, 2.0, 0.0]
    y = [1.0, 3.0, 2.0, 9.0]
    idx = frontier_indices(x, y)
    assert list(idx) == [1, 2, 0]  # x ascending: 1, 2, 3
    assert list(frontier_mask(x, y)) == [True, True, True, False]


def test_works_on_the_seed_sides(bundled_dataset):
    # fixture README: MTP has 15 points, 9 on the frontier; Off 12 points, 6 on it
    pts = bundled_dataset.latest
    seed = pts[pts["model"] == "qwen3.5"]
    for spec, n, on in (("mtp", 15, 9), ("none", 12, 6)):
        side = seed[seed["spec"] == spec]
        assert len(side) == n
        idx = frontier_indices(side["intvty"].to_numpy(), side["tput"].to_numpy())
        assert len(idx) == on
        got = sorted(zip(side["intvty"].to_numpy()[idx], side["tput"].to_numpy()[idx]))
        assert got == brute_frontier(list(zip(side["intvty"], side["tput"])))


# ------------------------------------------------------------------ properties

coord = st.one_of(
    st.integers(min_value=-3, max_value=12).map(float),  # small ints: many ties
    st.floats(min_value=-5, max_value=50, allow_nan=False, allow_infinity=False),
    st.just(NAN),
)
point_lists = st.lists(st.tuples(coord, coord), min_size=0, max_size=40)
directions = st.sampled_from([(True, True), (True, False), (False, True), (False, False)])


def dominates(q, p, mx, my):
    sx = 1 if mx else -1
    sy = 1 if my else -1
    return sx * q[0] >= sx * p[0] and sy * q[1] >= sy * p[1] and q != p


def valid(p):
    return math.isfinite(p[0]) and math.isfinite(p[1]) and p[0] > 0


@settings(max_examples=200, deadline=None)
@given(point_lists, directions)
def test_frontier_properties(pts, direction):
    mx, my = direction
    x = np.array([p[0] for p in pts], dtype=float)
    y = np.array([p[1] for p in pts], dtype=float)
    idx = frontier_indices(x, y, maximise_x=mx, maximise_y=my)
    front = [(float(x[i]), float(y[i])) for i in idx]
    # only valid points; indices are distinct
    assert all(valid(p) for p in front)
    assert len(set(idx.tolist())) == len(idx)
    # sorted by x ascending
    assert [p[0] for p in front] == sorted(p[0] for p in front)
    # mutually non-dominated (and no repeated coordinates)
    for i, p in enumerate(front):
        for j, q in enumerate(front):
            if i != j:
                assert q != p
                assert not dominates(q, p, mx, my)
    # every valid point off the frontier is weakly dominated by (or equal to) a frontier point
    chosen = set(idx.tolist())
    for k, p in enumerate(pts):
        if k in chosen or not valid(p):
            continue
        assert any(q == p or dominates(q, p, mx, my) for q in front)
    # and the whole result equals the brute-force O(n^2) answer
    assert front == brute_frontier(pts, mx, my)


@settings(max_examples=100, deadline=None)
@given(point_lists)
def test_frontier_ignores_input_order(pts):
    x = [p[0] for p in pts]
    y = [p[1] for p in pts]
    a = [(x[i], y[i]) for i in frontier_indices(x, y)]
    b = [(x[::-1][i], y[::-1][i]) for i in frontier_indices(x[::-1], y[::-1])]
    assert a == b


@pytest.mark.parametrize("n", [1, 2, 500])
def test_single_and_many_points(n):
    rng = np.random.default_rng(n)
    x = rng.uniform(1, 100, n)
    y = rng.uniform(1, 100, n)
    front = [(float(x[i]), float(y[i])) for i in frontier_indices(x, y)]
    assert front == brute_frontier(list(zip(x.tolist(), y.tolist())))
    assert len(front) >= 1
