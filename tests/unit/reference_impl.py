"""Small, deliberately naive re-implementations of SPEC §2-§5, used as test oracles.

Nothing here imports ``frontier``: the point is to check the package against code written
straight from the spec text (brute-force dominance instead of a stack walk, explicit loops
instead of numpy, decimal half-up rounding written out by hand)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

# SPEC §1 default hardware constants: gpu -> (hyperscaler, neocloud, rental, kW per GPU)
SPEC_HARDWARE = {
    "h100": (1.30, 1.69, 1.30, 1.73),
    "h200": (1.41, 1.74, 1.60, 1.73),
    "b200": (1.95, 2.34, 2.90, 2.17),
    "b300": (2.34, 2.808, 3.48, 2.17),
    "gb200": (2.21, 2.75, 3.3, 2.1),
    "gb300": (2.652, 3.3, 3.96, 2.1),
    "mi300x": (1.12, 1.40, 1.55, 1.79),
    "mi325x": (1.28, 1.59, 1.80, 2.18),
    "mi355x": (1.48, 1.90, 2.10, 2.65),
}
PROVIDER_INDEX = {"hyperscaler": 0, "neocloud": 1, "rental": 2}


def half_up(value: float, decimals: int = 0) -> Decimal:
    """Round half up on the shortest decimal spelling of the float (what a person reads)."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def half_up_int(value: float) -> int:
    return int(half_up(value, 0))


def cost(price_per_gpu_hour: float, throughput: float) -> float:
    return price_per_gpu_hour / (throughput * 3600.0 / 1e6)


# ---------------------------------------------------------------- Pareto (SPEC §3)

def brute_frontier(points, maximise_x=True, maximise_y=True):
    """Distinct (x, y) pairs that no other valid point weakly dominates, sorted by x.

    Valid: x finite and > 0, y finite. q dominates p when q is at least as good in both
    coordinates and differs from p."""

    def finite(v):
        return isinstance(v, (int, float)) and math.isfinite(v)

    valid = {(float(x), float(y)) for x, y in points if finite(x) and finite(y) and x > 0}
    sx = 1 if maximise_x else -1
    sy = 1 if maximise_y else -1
    front = []
    for p in valid:
        dominated = any(q != p and sx * q[0] >= sx * p[0] and sy * q[1] >= sy * p[1] for q in valid)
        if not dominated:
            front.append(p)
    return sorted(front)


# ---------------------------------------------------------------- Steffen (SPEC §4)

def sgn(v: float) -> int:
    return -1 if v < 0 else 1  # sgn(0) = +1


def steffen_slopes(x, y):
    n = len(x)
    if n == 1:
        return [0.0]
    h = [x[i + 1] - x[i] for i in range(n - 1)]
    s = [(y[i + 1] - y[i]) / h[i] for i in range(n - 1)]
    if n == 2:
        return [s[0], s[0]]
    m = [0.0] * n
    for i in range(1, n - 1):
        p = (s[i - 1] * h[i] + s[i] * h[i - 1]) / (h[i - 1] + h[i])
        m[i] = (sgn(s[i - 1]) + sgn(s[i])) * min(abs(s[i - 1]), abs(s[i]), 0.5 * abs(p))
    m[0] = (3 * s[0] - m[1]) / 2
    m[n - 1] = (3 * s[n - 2] - m[n - 2]) / 2
    return m


def hermite_at(x, y, m, t):
    """Cubic Hermite value at t, x[0] <= t <= x[-1], on the interval holding t."""
    if len(x) == 1:
        return y[0]
    i = 0
    while i < len(x) - 2 and t >= x[i + 1]:
        i += 1
    h = x[i + 1] - x[i]
    u = (t - x[i]) / h
    return ((2 * u**3 - 3 * u**2 + 1) * y[i] + (u**3 - 2 * u**2 + u) * h * m[i]
            + (-2 * u**3 + 3 * u**2) * y[i + 1] + (u**3 - u**2) * h * m[i + 1])


def interpolate(x, y, target):
    """(value, used target, clamped) per SPEC §4."""
    used = min(max(target, x[0]), x[-1])
    value = hermite_at(x, y, steffen_slopes(x, y), used)
    value = min(max(value, min(y)), max(y))
    return value, used, used != target


# ---------------------------------------------------------------- comparisons (SPEC §5)

def band(xa, xb):
    lo, hi = max(min(xa), min(xb)), min(max(xa), max(xb))
    if lo >= hi:
        lo, hi = min(min(xa), min(xb)), max(max(xa), max(xb))
    return lo, hi


def targets(lo, hi):
    if lo == hi:
        return [half_up_int(lo)]
    return [half_up_int(lo + q * (hi - lo)) for q in (0.25, 0.5, 0.75)]


def side_values(points, target, price, kw):
    """points: dicts with x, tput, conc. The frontier of (x, tput), then each metric splined."""
    pairs = [(p["x"], p["tput"]) for p in points]
    front = brute_frontier(pairs)
    by_xy = {}
    for p in points:
        by_xy.setdefault((float(p["x"]), float(p["tput"])), p)
    knots = [by_xy[xy] for xy in front]
    xs = [k["x"] for k in knots]
    out = {}
    for name, values in (
        ("throughput", [k["tput"] for k in knots]),
        ("cost", [cost(price, k["tput"]) for k in knots]),
        ("tokmw", [k["tput"] * 1000.0 / kw for k in knots]),
        ("concurrency", [float(k["conc"]) for k in knots]),
    ):
        out[name] = interpolate(xs, values, target)[0]
    out["concurrency"] = float(half_up_int(out["concurrency"]))
    return out, knots
