"""Steffen monotone cubic interpolation (SPEC §4)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import frontier.interpolate as interp_mod
from frontier.interpolate import hermite, interpolate, sample_curve, steffen_slopes

from . import reference_impl as ref


# ------------------------------------------------------------------ hand-worked examples

def test_slopes_by_hand_with_flat_segment():
    # x = 0, 1, 3, 4 ; y = 0, 2, 3, 3
    # h = 1, 2, 1 ; s = 2, 0.5, 0
    # m1: p = (2*2 + 0.5*1) / 3 = 1.5 ; (sgn 2 + sgn 0.5) * min(2, 0.5, 0.75) = 2 * 0.5 = 1.0
    # m2: p = (0.5*1 + 0*2) / 3 = 1/6 ; (sgn 0.5 + sgn 0) * min(0.5, 0, 1/12) = 2 * 0 = 0
    # ends: m0 = (3*2 - 1.0) / 2 = 2.5 ; m3 = (3*0 - 0) / 2 = 0
    m = steffen_slopes([0, 1, 3, 4], [0, 2, 3, 3])
    assert m == pytest.approx([2.5, 1.0, 0.0, 0.0], abs=1e-15)
    assert m == pytest.approx(ref.steffen_slopes([0, 1, 3, 4], [0, 2, 3, 3]), abs=1e-15)


def test_values_by_hand():
    x, y = [0, 1, 3, 4], [0, 2, 3, 3]
    # at 0.5 (interval 0, h = 1, t = 0.5): basis h00 = 0.5, h10 = 0.125, h01 = 0.5, h11 = -0.125
    #   0.5*0 + 0.125*1*2.5 + 0.5*2 - 0.125*1*1.0 = 0.3125 + 1 - 0.125 = 1.1875
    assert interpolate(x, y, 0.5).value == pytest.approx(1.1875, abs=1e-12)
    # at 2 (interval 1, h = 2, t = 0.5): 0.5*2 + 0.125*2*1.0 + 0.5*3 - 0.125*2*0 = 2.75
    assert interpolate(x, y, 2.0).value == pytest.approx(2.75, abs=1e-12)
    # on the flat last interval the curve stays at 3
    assert interpolate(x, y, 3.5).value == pytest.approx(3.0, abs=1e-12)
    # at t = 0.25 on interval 0: h00 = 0.84375, h10 = 0.140625, h01 = 0.15625, h11 = -0.046875
    #   0.140625*2.5 + 0.15625*2 - 0.046875*1.0 = 0.3515625 + 0.3125 - 0.046875 = 0.6171875
    assert interpolate(x, y, 0.25).value == pytest.approx(0.6171875, abs=1e-12)


def test_local_peak_gets_zero_slope_and_end_rule():
    # y = 0, 1, 0 on x = 0, 1, 2: s = 1, -1 -> m1 = (1 + -1) * ... = 0
    # ends: m0 = (3*1 - 0)/2 = 1.5 ; m2 = (3*(-1) - 0)/2 = -1.5
    assert steffen_slopes([0, 1, 2], [0, 1, 0]) == pytest.approx([1.5, 0.0, -1.5])
    # at 0.5: 0.125*1*1.5 + 0.5*1 = 0.6875 ; symmetric at 1.5
    assert interpolate([0, 1, 2], [0, 1, 0], 0.5).value == pytest.approx(0.6875)
    assert interpolate([0, 1, 2], [0, 1, 0], 1.5).value == pytest.approx(0.6875)


def test_decreasing_uneven_spacing_by_hand():
    # x = 10, 20, 50 ; y = 100, 60, 50 (a throughput-like frontier)
    # h = 10, 30 ; s = -4, -1/3
    # p1 = (-4*30 + (-1/3)*10) / 40 = (-120 - 3.3333) / 40 = -3.0833333
    # m1 = (-1 + -1) * min(4, 1/3, 1.5416667) = -2/3
    # m0 = (3*(-4) - (-2/3)) / 2 = (-12 + 0.6667) / 2 = -5.6666667
    # m2 = (3*(-1/3) - (-2/3)) / 2 = (-1 + 0.6667) / 2 = -1/6
    m = steffen_slopes([10, 20, 50], [100, 60, 50])
    assert m == pytest.approx([-17 / 3, -2 / 3, -1 / 6])
    # at 35 (interval 1, h = 30, t = 0.5): 0.5*60 + 0.125*30*(-2/3) + 0.5*50 - 0.125*30*(-1/6)
    #   = 30 - 2.5 + 25 + 0.625 = 53.125
    assert interpolate([10, 20, 50], [100, 60, 50], 35).value == pytest.approx(53.125)


def test_sgn_zero_is_plus_one():
    # sgn(0) = +1 only shows through min(..., |0|, ...) = 0: a zero secant next to a negative one
    # gives (−1 + 1)·0 = 0 and next to a positive one (1 + 1)·0 = 0; either way the knot is flat.
    m = steffen_slopes([0, 1, 2, 3], [3, 3, 1, 1])
    assert m[1] == 0.0 and m[2] == 0.0
    assert m[0] == pytest.approx((3 * 0 - 0) / 2)
    assert m == pytest.approx(ref.steffen_slopes([0, 1, 2, 3], [3, 3, 1, 1]))
    assert interp_mod._sign(0.0) == 1.0 and interp_mod._sign(-0.0) == 1.0 and interp_mod._sign(-2.0) == -1.0


def test_exact_at_knots():
    x = [1.0, 2.5, 4.0, 7.0, 9.5]
    y = [10.0, 7.0, 6.5, 2.0, 1.0]
    for xi, yi in zip(x, y):
        r = interpolate(x, y, xi)
        assert r.value == pytest.approx(yi, abs=1e-12)
        assert not r.clamped and r.target == xi


def test_two_knots_are_linear():
    for t, expected in ((10.0, 4.0), (12.5, 5.0), (15.0, 6.0), (20.0, 8.0)):
        assert interpolate([10.0, 20.0], [4.0, 8.0], t).value == pytest.approx(expected)
    xs, ys = sample_curve([10.0, 20.0], [4.0, 8.0])
    assert list(xs) == [10.0, 20.0] and list(ys) == [4.0, 8.0]


def test_single_knot():
    r = interpolate([5.0], [42.0], 5.0)
    assert r.value == 42.0 and not r.clamped
    r = interpolate([5.0], [42.0], 9.0)
    assert r.value == 42.0 and r.clamped and r.target == 5.0


def test_no_knots():
    r = interpolate([], [], 3.0)
    assert np.isnan(r.value) and r.clamped


def test_target_clamped_and_flagged():
    x, y = [10.0, 20.0, 40.0], [300.0, 200.0, 50.0]
    low = interpolate(x, y, 2.0)
    assert low.clamped and low.target == 10.0 and low.value == pytest.approx(300.0)
    high = interpolate(x, y, 99.0)
    assert high.clamped and high.target == 40.0 and high.value == pytest.approx(50.0)
    inside = interpolate(x, y, 15.0)
    assert not inside.clamped and inside.target == 15.0
    edge = interpolate(x, y, 40.0)
    assert not edge.clamped


def test_result_clamped_to_knot_range(monkeypatch):
    # Steffen slopes never overshoot, so force a wild slope to check the result clamp itself.
    x, y = [0.0, 1.0, 2.0], [1.0, 2.0, 3.0]
    wild = np.array([50.0, 0.0, 0.0])
    # at 0.5: 0.5*1 + 0.125*1*50 + 0.5*2 - 0.125*1*0 = 7.75, above max y = 3
    assert hermite(x, y, wild, 0.5)[0] == pytest.approx(7.75)
    monkeypatch.setattr(interp_mod, "steffen_slopes", lambda xx, yy: wild)
    assert interpolate(x, y, 0.5).value == 3.0
    # and -50: 1.5 - 6.25 = -4.75, below min y = 1
    monkeypatch.setattr(interp_mod, "steffen_slopes", lambda xx, yy: -wild)
    assert interpolate(x, y, 0.5).value == 1.0


# ------------------------------------------------------------------ properties

@st.composite
def knots(draw, min_size=2, max_size=9, monotone=None):
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    gaps = draw(st.lists(st.floats(min_value=0.05, max_value=100.0), min_size=n - 1, max_size=n - 1))
    start = draw(st.floats(min_value=0.1, max_value=500.0))
    x = [start]
    for g in gaps:
        x.append(x[-1] + g)
    y = draw(st.lists(st.one_of(st.floats(min_value=-1e4, max_value=1e4), st.integers(-5, 5).map(float)),
                      min_size=n, max_size=n))
    if monotone == "down":
        y = sorted(y, reverse=True)
    elif monotone == "up":
        y = sorted(y)
    assume(len(set(x)) == n)
    return x, y


def _tol(y):
    return 1e-9 * max(1.0, max(abs(v) for v in y))


@settings(max_examples=200, deadline=None)
@given(knots(), st.floats(min_value=0.0, max_value=1.0))
def test_values_within_knot_range(data, frac):
    x, y = data
    t = x[0] + frac * (x[-1] - x[0])
    v = interpolate(x, y, t).value
    assert min(y) <= v <= max(y)
    # and even the raw cubic stays between the two knots of its interval
    raw = hermite(x, y, steffen_slopes(x, y), t)[0]
    i = max(k for k in range(len(x) - 1) if x[k] <= t) if t < x[-1] else len(x) - 2
    assert min(y[i], y[i + 1]) - _tol(y) <= raw <= max(y[i], y[i + 1]) + _tol(y)


@settings(max_examples=200, deadline=None)
@given(knots())
def test_monotone_on_every_interval(data):
    x, y = data
    m = steffen_slopes(x, y)
    tol = _tol(y)
    for i in range(len(x) - 1):
        ts = np.linspace(x[i], x[i + 1], 41)
        vals = hermite(x, y, m, ts)
        d = np.diff(vals)
        if y[i + 1] >= y[i]:
            assert (d >= -tol).all()
        else:
            assert (d <= tol).all()


@settings(max_examples=200, deadline=None)
@given(st.one_of(knots(monotone="down"), knots(monotone="up")))
def test_monotone_data_gives_monotone_curve(data):
    x, y = data
    xs, ys = sample_curve(x, y, per_segment=25)
    d = np.diff(ys)
    tol = _tol(y)
    if y[-1] <= y[0]:
        assert (d <= tol).all()
    else:
        assert (d >= -tol).all()


@settings(max_examples=200, deadline=None)
@given(knots(min_size=2))
def test_sample_curve_passes_through_knots(data):
    x, y = data
    xs, ys = sample_curve(x, y)
    assert list(xs) == sorted(xs)
    assert xs[0] == x[0] and xs[-1] == x[-1]
    for xi, yi in zip(x, y):
        hits = np.flatnonzero(xs == xi)
        assert len(hits) == 1
        assert ys[hits[0]] == pytest.approx(yi, abs=_tol(y))


@settings(max_examples=200, deadline=None)
@given(knots(), st.floats(min_value=-0.5, max_value=1.5))
def test_matches_reference_implementation(data, frac):
    x, y = data
    t = x[0] + frac * (x[-1] - x[0])
    got = interpolate(x, y, t)
    value, used, clamped = ref.interpolate(x, y, t)
    assert got.value == pytest.approx(value, rel=1e-9, abs=_tol(y))
    assert got.target == used and got.clamped == clamped
    assert steffen_slopes(x, y) == pytest.approx(ref.steffen_slopes(x, y), rel=1e-9, abs=1e-9)
