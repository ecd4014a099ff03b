"""Test oracles computed straight from the raw InferenceX JSON rows, without ``frontier``.

Used to check filters, prices, the calculator and history against an independent reading of
the same files: plain dict loops for the as-of views and the pooled sides, and the naive
frontier and Steffen code of ``reference_impl``."""

from __future__ import annotations

import math

from . import reference_impl as ref

API_FIELDS = ["hardware", "framework", "model", "precision", "spec_method", "disagg", "is_multinode", "prefill_tp",
              "prefill_ep", "prefill_dp_attention", "prefill_num_workers", "decode_tp", "decode_ep",
              "decode_dp_attention", "decode_num_workers", "num_prefill_gpu", "num_decode_gpu", "isl", "osl", "conc"]
SEQS = {"1k1k": (1024, 1024), "1k8k": (1024, 8192), "8k1k": (8192, 1024)}
AMD = {"mi300x", "mi325x", "mi355x"}


def newest(rows, on_or_before: str | None = None):
    """The newest measurement per (configuration, sequence, concurrency), optionally as of a date."""
    out = {}
    for r in rows:
        if on_or_before is not None and r["date"] > on_or_before:
            continue
        key = tuple(r[f] for f in API_FIELDS)
        if key not in out or r["date"] > out[key]["date"]:
            out[key] = r
    return list(out.values())


def deployment(r) -> str:
    if r["disagg"]:
        return "disaggregated"
    return "multi-node" if r["is_multinode"] else "single-node"


def gpu_count(r) -> int:
    return r["num_prefill_gpu"] + r["num_decode_gpu"] if r["disagg"] else r["decode_tp"]


def spec_of(r) -> str:
    return "off" if r["spec_method"] in ("none", "", None) else r["spec_method"]


def select(rows, seq="1k1k", **filters):
    isl, osl = SEQS[seq]
    return [r for r in rows if r["isl"] == isl and r["osl"] == osl and all(r[k] == v for k, v in filters.items())]


def as_points(rows, gpu_prices=None, provider_index=0, kw_override=None):
    """Plain dicts: x, tput, out, conc and the per-point derived metrics (SPEC §2)."""
    pts = []
    for r in rows:
        m = r["metrics"]
        hw = ref.SPEC_HARDWARE[r["hardware"]]
        price = (gpu_prices or {}).get(r["hardware"], hw[provider_index])
        kw = (kw_override or {}).get(r["hardware"], hw[3])
        tput = m["tput_per_gpu"]
        pts.append({"x": m["median_intvty"], "tput": tput, "out": m.get("output_tput_per_gpu"), "conc": r["conc"],
                    "cost": ref.cost(price, tput), "tokmw": tput * 1000.0 / kw, "tpd": tput * 3600.0 / price,
                    "gpu": r["hardware"], "framework": r["framework"], "spec": r["spec_method"], "row": r})
    return pts


def knots(points):
    """The frontier points (x ascending) of (x, tput), by brute-force dominance."""
    front = ref.brute_frontier([(p["x"], p["tput"]) for p in points])
    by_xy = {}
    for p in points:
        by_xy.setdefault((float(p["x"]), float(p["tput"])), p)
    return [by_xy[xy] for xy in front]


def read(points, target, names=("tput", "out", "cost", "tokmw", "tpd", "conc")):
    """Each metric interpolated separately through the frontier knots (SPEC §4); concurrency
    rounded half up. Returns (values, clamped, used target, knots)."""
    ks = knots(points)
    xs = [k["x"] for k in ks]
    out = {}
    used, clamped = target, False
    for name in names:
        value, used, clamped = ref.interpolate(xs, [float(k[name]) for k in ks], target)
        out[name] = value
    if "conc" in out:
        out["conc"] = float(ref.half_up_int(out["conc"]))
    return out, clamped, used, ks


def gpus_needed(users, target, out_tput) -> int:
    return math.ceil(round(users * target / out_tput, 9))
