"""Monotone cubic interpolation with Steffen (1990) slopes (SPEC §4).

It is the curve d3's ``curveMonotoneX`` draws, so a line drawn through frontier points and
a value read off it at a target agree."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _sign(v: float) -> float:
    return -1.0 if v < 0 else 1.0  # sgn(0) = +1, as in d3


def steffen_slopes(x, y) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n < 2:
        return np.zeros(n)
    h = np.diff(x)
    s = np.diff(y) / h
    if n == 2:  # two knots: a straight line
        return np.array([s[0], s[0]])
    m = np.empty(n)
    for i in range(1, n - 1):
        p = (s[i - 1] * h[i] + s[i] * h[i - 1]) / (h[i - 1] + h[i])
        m[i] = (_sign(s[i - 1]) + _sign(s[i])) * min(abs(s[i - 1]), abs(s[i]), 0.5 * abs(p))
    m[0] = (3 * s[0] - m[1]) / 2
    m[-1] = (3 * s[-1] - m[-2]) / 2
    return m


def hermite(x, y, m, xq) -> np.ndarray:
    """Evaluates the cubic Hermite interpolant at ``xq`` (inside [x0, xn])."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xq = np.atleast_1d(np.asarray(xq, dtype=float))
    if len(x) == 1:
        return np.full(xq.shape, y[0])
    i = np.clip(np.searchsorted(x, xq, side="right") - 1, 0, len(x) - 2)
    h = x[i + 1] - x[i]
    t = (xq - x[i]) / h
    t2, t3 = t * t, t * t * t
    return (
        (2 * t3 - 3 * t2 + 1) * y[i]
        + (t3 - 2 * t2 + t) * h * m[i]
        + (-2 * t3 + 3 * t2) * y[i + 1]
        + (t3 - t2) * h * m[i + 1]
    )


@dataclass(frozen=True)
class Interpolated:
    value: float
    target: float  # the x actually used (the request, clamped to the knots' range)
    clamped: bool  # the requested x lay outside the knots' range


def interpolate(x, y, target: float) -> Interpolated:
    """Value at ``target`` of the monotone interpolant through (x, y), x strictly increasing.

    The target is clamped to [min x, max x] and the result to [min y, max y]."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) == 0:
        return Interpolated(float("nan"), float(target), True)
    lo, hi = x[0], x[-1]
    used = min(max(float(target), lo), hi)
    value = float(hermite(x, y, steffen_slopes(x, y), used)[0])
    value = min(max(value, float(y.min())), float(y.max()))
    return Interpolated(value, used, used != float(target))


def sample_curve(x, y, per_segment: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Dense samples of the interpolant, knots included, for drawing the frontier line."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) < 3:
        return x, y  # a point, or a straight segment
    t = np.linspace(0.0, 1.0, per_segment, endpoint=False)
    xs = np.concatenate([x[i] + t * (x[i + 1] - x[i]) for i in range(len(x) - 1)] + [x[-1:]])
    return xs, hermite(x, y, steffen_slopes(x, y), xs)
