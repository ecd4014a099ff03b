"""Pareto frontier of one series (SPEC §3).

For "maximise x, maximise y": sort by x ascending (ties: best y first), keep the best y at
each x, then walk left to right dropping trailing frontier points whose y is no better than
the new point's. Every other direction is the same walk on negated coordinates."""

from __future__ import annotations

import numpy as np


def frontier_indices(x, y, maximise_x: bool = True, maximise_y: bool = True) -> np.ndarray:
    """Positions (into x / y) of the frontier points, ordered by x ascending.

    Points with a non-finite x or y, or x <= 0, are never on the frontier."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    valid = np.flatnonzero(np.isfinite(x) & np.isfinite(y) & (x > 0))
    if valid.size == 0:
        return np.empty(0, dtype=int)
    xs = x[valid] if maximise_x else -x[valid]
    ys = y[valid] if maximise_y else -y[valid]
    order = np.lexsort((-ys, xs))  # x ascending, then the better y first
    stack: list[int] = []
    last_x = None
    for pos in order:
        if last_x is not None and xs[pos] == last_x:
            continue  # same x: the first one seen has the better y
        last_x = xs[pos]
        while stack and ys[stack[-1]] <= ys[pos]:
            stack.pop()
        stack.append(pos)
    chosen = valid[np.asarray(stack, dtype=int)]
    return chosen[np.argsort(x[chosen], kind="stable")]


def frontier_mask(x, y, maximise_x: bool = True, maximise_y: bool = True) -> np.ndarray:
    mask = np.zeros(len(np.asarray(x)), dtype=bool)
    mask[frontier_indices(x, y, maximise_x, maximise_y)] = True
    return mask


def frontier_indices_vectorised(x, y) -> np.ndarray:
    """``frontier_indices(x, y)`` (maximise both) without the Python walk, for large views.

    The walk keeps the best point at each distinct x (the first one in input order among
    equals) and then drops every point whose y is no better than a point further right; so a
    point survives exactly when its y beats the running maximum of all points of larger x."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    valid = np.flatnonzero(np.isfinite(x) & np.isfinite(y) & (x > 0))
    if valid.size == 0:
        return np.empty(0, dtype=int)
    xs, ys = x[valid], y[valid]
    order = np.lexsort((-ys, xs))  # stable: equal points keep input order, as in the walk
    sx, sy = xs[order], ys[order]
    heads = np.ones(len(order), dtype=bool)
    heads[1:] = sx[1:] != sx[:-1]
    hy = sy[heads]
    later_max = np.empty_like(hy)
    later_max[-1] = -np.inf
    if len(hy) > 1:
        later_max[:-1] = np.maximum.accumulate(hy[::-1])[::-1][1:]
    return valid[order[heads][hy > later_max]]
