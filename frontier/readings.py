"""Many pooled sides read at one target together (SPEC §3-§4): the calculator's rows and the
history's (GPU, date) views, dozens to thousands of small frontiers per request.

Read one at a time, each side costs a few dozen small numpy and pandas calls, which is what
dominated those pages at 200,000 points. Here every group's (interactivity, throughput)
frontier and its Steffen interpolant at the target are computed for all groups at once with
array operations that repeat, element by element, the floating-point operations of
``pareto.frontier_indices`` and ``interpolate.interpolate`` on one group: the numbers are the
same to the last bit (tests/unit/test_readings.py reads each group alone to check)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .compare import Row
from .formatting import round_int


def group_frontiers(groups: np.ndarray, x: np.ndarray, y: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Positions of every group's frontier points ("maximise x, maximise y"), sorted by group,
    then x ascending. ``order`` breaks ties between equal points as the frame order does in
    ``frontier_indices``: of equal (x, y), the first one is kept."""
    valid = np.flatnonzero(np.isfinite(x) & np.isfinite(y) & (x > 0))
    if valid.size == 0:
        return np.empty(0, dtype=np.int64)
    g, xs, ys = groups[valid], x[valid], y[valid]
    by = np.lexsort((order[valid], -ys, xs, g))  # group, x ascending, the better y first
    sg, sx, sy = g[by], xs[by], ys[by]
    heads = np.ones(len(by), dtype=bool)  # the best point at each distinct x of a group
    heads[1:] = (sg[1:] != sg[:-1]) | (sx[1:] != sx[:-1])
    hg, hy = sg[heads], sy[heads]
    # A head survives when its y beats every head of larger x in its group: a running maximum
    # from the right, on exact integer ranks of y shifted per group so that it restarts at
    # each group (in the reversed walk every new group's keys exceed all earlier ones).
    rank = np.unique(hy, return_inverse=True)[1].astype(np.int64).ravel()
    key = (hg.max() - hg).astype(np.int64) * (int(rank.max()) + 1) + rank
    rev = key[::-1]
    before = np.empty_like(rev)
    before[0] = -1
    before[1:] = np.maximum.accumulate(rev)[:-1]
    keep = (rev > before)[::-1]
    return valid[by[heads][keep]]


@dataclass
class Readings:
    """Per group with a non-empty frontier (``group``, ascending): the target used (clamped to
    its frontier), whether it was clamped, each row's value, and the frontier itself
    (``knots[starts[i]:starts[i] + counts[i]]``: positions into the points, x ascending)."""

    group: np.ndarray
    used: np.ndarray
    clamped: np.ndarray
    values: dict[str, np.ndarray]
    knots: np.ndarray
    starts: np.ndarray
    counts: np.ndarray

    def frontier(self, i: int) -> np.ndarray:
        return self.knots[self.starts[i]:self.starts[i] + self.counts[i]]


def _whole(values: np.ndarray) -> np.ndarray:
    """``formatting.round_int`` of each value (halves up): np.rint where no half is in sight
    (away from a tie, correct rounding and rounding the shortest form half up agree, as for
    ``formatting.fixed``), round_int itself near a tie or far out."""
    out = np.rint(values)
    exact = np.isfinite(values) & ((np.abs(values - np.floor(values) - 0.5) < 1e-6) | (np.abs(values) >= 1e9))
    out[exact] = [float(round_int(v)) for v in values[exact]]
    return out


def _sign(v: np.ndarray) -> np.ndarray:
    return np.where(v < 0, -1.0, 1.0)  # sgn(0) = +1, as interpolate._sign


def _least(*values: np.ndarray) -> np.ndarray:
    """Python's ``min`` element by element, NaN included (a NaN after the first is passed over)."""
    out = values[0]
    for v in values[1:]:
        out = np.where(v < out, v, out)
    return out


def _slopes(s: np.ndarray, dx: np.ndarray, j: np.ndarray, starts: np.ndarray, ends: np.ndarray,
            two: np.ndarray) -> np.ndarray:
    """``interpolate.steffen_slopes`` at knot ``j`` of each group (``s``, ``dx``: the secants and
    spacings of all knots; entries across a group boundary are never the ones selected)."""
    n = len(s) + 1
    if n < 2:
        return np.zeros(len(j))
    first, last = s[np.minimum(starts, n - 2)], s[np.clip(ends - 1, 0, n - 2)]
    if n < 3:  # no group has an interior knot
        return first

    def interior(k):  # at knots with a neighbour on each side in their group
        k = np.clip(k, 1, n - 2)
        s0, s1, h0, h1 = s[k - 1], s[k], dx[k - 1], dx[k]
        p = (s0 * h1 + s1 * h0) / (h0 + h1)
        return (_sign(s0) + _sign(s1)) * _least(np.abs(s0), np.abs(s1), 0.5 * np.abs(p))

    m = interior(j)
    m = np.where(j == starts, (3 * first - interior(starts + 1)) / 2, m)
    m = np.where(j == ends, (3 * last - interior(ends - 1)) / 2, m)
    return np.where(two, first, m)  # two knots: the straight segment


def read_groups(groups: np.ndarray, columns: dict[str, np.ndarray], rows: list[Row], target: float,
                order: np.ndarray | None = None) -> Readings:
    """Every group's points read at ``target`` exactly as ``compare.read_side(side_frontier(...))``
    reads one side. ``groups``: each point's group (non-negative integers); ``columns``: per
    point, "intvty", "tput" and every row's column."""
    groups = np.asarray(groups, dtype=np.int64)
    x_all = np.asarray(columns["intvty"], dtype=float)
    order = np.arange(len(groups)) if order is None else np.asarray(order)
    knots = group_frontiers(groups, x_all, np.asarray(columns["tput"], dtype=float), order)
    kg, x = groups[knots], x_all[knots]
    n = len(knots)
    starts = np.flatnonzero(np.r_[True, kg[1:] != kg[:-1]]) if n else np.empty(0, dtype=np.int64)
    counts = np.diff(np.r_[starts, n]).astype(np.int64)
    ends = starts + counts - 1
    target = float(target)
    used = np.minimum(np.maximum(target, x[starts]), x[ends]) if n else np.empty(0)
    out = Readings(group=kg[starts], used=used, clamped=used != target, values={}, knots=knots, starts=starts,
                   counts=counts)
    if not n:
        out.values = {row.key: np.empty(0) for row in rows}
        return out
    # the bracketing interval [a, b] of each group (interpolate.hermite's search and clip)
    at_or_below = np.add.reduceat((x <= np.repeat(used, counts)).astype(np.int64), starts)
    a = starts + np.clip(at_or_below - 1, 0, np.maximum(counts - 2, 0))
    b = np.minimum(a + 1, ends)
    one, two = counts == 1, counts == 2
    with np.errstate(divide="ignore", invalid="ignore"):
        dx = np.diff(x)  # across a group boundary: never read
        h = x[b] - x[a]
        t = (used - x[a]) / h
        t2, t3 = t * t, t * t * t
        for row in rows:
            y = np.asarray(columns[row.column], dtype=float)[knots]
            s = np.diff(y) / dx
            ma, mb = (_slopes(s, dx, j, starts, ends, two) for j in (a, b))
            value = (2 * t3 - 3 * t2 + 1) * y[a] + (t3 - 2 * t2 + t) * h * ma + (-2 * t3 + 3 * t2) * y[b] \
                + (t3 - t2) * h * mb
            value = np.where(one, y[a], value)
            lo, hi = np.minimum.reduceat(y, starts), np.maximum.reduceat(y, starts)
            value = np.where(lo > value, lo, value)  # min(max(value, lo), hi), NaN as Python's min/max
            value = np.where(hi < value, hi, value)
            if row.key == "concurrency":
                value = _whole(value)
            out.values[row.key] = value
    return out
