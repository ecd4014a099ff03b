"""Point filters (SPEC §9): vendor, framework, deployment, spec method and GPU count.

Each filter is a comma list in the query; values within a filter are OR-ed, filters are
AND-ed. An unknown value is ignored with a notice. ``Filters`` is frozen and canonical
(sorted, de-duplicated), so equal selections hash equal and memoise as one view.

Query values and what they select:
- ``vendor``: ``nvidia``, ``amd`` (the hardware table's vendor column, lower-cased);
- ``framework``: framework keys as in the data (``sglang``, ``trt``, ``dynamo-sglang``, ...);
- ``deployment``: ``single-node``, ``multi-node``, ``disaggregated`` (the points' deployment);
- ``spec``: ``mtp``, ``off`` (off = spec method ``none``; ``none`` is accepted as a spelling);
- ``gpucount``: GPUs per deployment (the points' ``gpus``): ``8`` or an inclusive range ``8-32``.

Also here: the series key of the explorer's "best per GPU" view (``series_keys``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from .urlstate import Resolution, shown

FILTER_KEYS = ("vendor", "framework", "deployment", "spec", "gpucount")
DEPLOYMENTS = {"single-node": "Single-node", "multi-node": "Multi-node", "disaggregated": "Disaggregated"}
DEPLOYMENT_LABELS = {"single-node": "Single-node", "multi-node": "Multi-node (aggregated)",
                     "disaggregated": "Disaggregated (prefill/decode)"}
SPECS = {"mtp": "mtp", "off": "none"}  # query value -> the points' spec column
SPEC_ALIASES = {"none": "off"}
SPEC_LABELS = {"mtp": "MTP", "off": "Off"}
VENDOR_LABELS = {"nvidia": "NVIDIA", "amd": "AMD"}
FRAMEWORK_LABELS = {"sglang": "SGLang", "trt": "TensorRT-LLM", "vllm": "vLLM", "dynamo-sglang": "Dynamo SGLang",
                    "dynamo-trt": "Dynamo TensorRT-LLM", "dynamo-vllm": "Dynamo vLLM", "mori-sglang": "MoRI SGLang",
                    "atom": "ATOM"}
MAX_VALUES = 32  # per filter: more than any real selection, few enough to keep notices short
MAX_GPUS = 100_000  # GPUs per deployment: a bound for parsed numbers, well above any cluster
_COUNT = re.compile(r"^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$")

# the "which comparison is about" wording for an ignored filter
IGNORED_BECAUSE = {
    "spec": "this page compares speculative-decoding settings",
    "vendor": "this page compares GPUs",
    "framework": "this page compares frameworks",
    "deployment": "this page compares deployment modes",
    "gpucount": "this page compares GPU counts",
}


@dataclass(frozen=True)
class Filters:
    vendor: tuple[str, ...] = ()
    framework: tuple[str, ...] = ()
    deployment: tuple[str, ...] = ()
    spec: tuple[str, ...] = ()  # query spelling: "mtp", "off"
    gpucount: tuple[tuple[int, int], ...] = ()  # inclusive ranges, sorted, merged

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def without(self, *names: str) -> "Filters":
        return Filters(**{f.name: () if f.name in names else getattr(self, f.name) for f in fields(self)})


NO_FILTERS = Filters()


def _count_text(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _merge(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted, with overlapping or touching integer ranges merged (one spelling per selection)."""
    out: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return tuple((lo, hi) for lo, hi in out)


def _values(query: dict, key: str, res: Resolution) -> list[str]:
    raw = [v for v in query.get(key, []) if v != ""]
    if len(raw) > MAX_VALUES:
        res.note(f"Kept the first {MAX_VALUES} values of {key}.")
        raw = raw[:MAX_VALUES]
    return raw


def _order(chosen: set, order: list[str]) -> tuple[str, ...]:
    return tuple(v for v in order if v in chosen)


def present_values(points: pd.DataFrame) -> dict[str, list[str]]:
    """The filter values the points have, each in its display order."""
    vendors = sorted({str(v).lower() for v in _unique(points, "vendor")} - {"other"}, key=lambda v: (v != "nvidia", v))
    deployments = {str(v) for v in _unique(points, "deployment")}
    specs = {str(v) for v in _unique(points, "spec")}
    counts = sorted({int(g) for g in _unique(points, "gpus") if np.isfinite(g) and g > 0})
    return {
        "vendor": vendors,
        "framework": sorted(str(v) for v in _unique(points, "framework")),
        "deployment": [k for k, col in DEPLOYMENTS.items() if col in deployments],
        "spec": [k for k, col in SPECS.items() if col in specs],
        "gpucount": [str(c) for c in counts],
    }


def _unique(points: pd.DataFrame, column: str):
    if column not in points or points.empty:
        return []
    values = points[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        return list(values.cat.remove_unused_categories().cat.categories)  # no per-row scan
    return list(pd.unique(values.dropna()))


def resolve_filters(query: dict[str, list[str]], points: pd.DataFrame, reference=None, res: Resolution | None = None,
                    ignore=(), present: dict | None = None) -> Filters:
    """The valid filters a query asks for. ``points``: what the page can show (values absent
    from them are noticed and ignored); ``reference``: the hardware table, whose vendors are
    accepted even when absent from the points (a known vendor with no data empties the view,
    which the page says, rather than being dropped); ``ignore``: filters on the dimension the
    page compares, dropped with a notice. ``present``: ``present_values(points)`` when the caller
    has it already (frontier.views.Index.present_values memoises it per model and sequence)."""
    res = res if res is not None else Resolution()
    present = present if present is not None else present_values(points)
    known_vendors = set(present["vendor"])
    if reference is not None:
        known_vendors |= {g.vendor.lower() for g in reference.gpus.values()}
    chosen: dict[str, tuple] = {}
    for key in FILTER_KEYS:
        raw = _values(query, key, res)
        if not raw:
            continue
        if key in ignore:
            res.note(f"Ignored {key}={shown(','.join(raw))}: {IGNORED_BECAUSE.get(key, 'this page compares it')}.")
            continue
        if key == "gpucount":
            chosen[key] = _gpucounts(raw, res)
            continue
        good, bad = set(), []
        for value in raw:
            v = value.strip().lower()
            if key == "spec":
                v = SPEC_ALIASES.get(v, v)
                ok = v in SPECS
            elif key == "deployment":
                ok = v in DEPLOYMENTS
            elif key == "vendor":
                ok = v in known_vendors
            else:
                ok = v in present["framework"]
            if ok:
                good.add(v)
            else:
                bad.append(value)
        if bad:
            options = {"spec": list(SPECS), "deployment": list(DEPLOYMENTS), "vendor": sorted(known_vendors),
                       "framework": present["framework"]}[key]
            res.note(f"Ignored {key} {', '.join(shown(b) for b in bad)}: expected "
                     f"{', '.join(options) if options else 'a value the data has'}.")
        order = {"spec": list(SPECS), "deployment": list(DEPLOYMENTS)}.get(key) or sorted(good, key=lambda v: (v != "nvidia", v))
        chosen[key] = _order(good, order)
    return Filters(**chosen)


def _gpucounts(raw: list[str], res: Resolution) -> tuple[tuple[int, int], ...]:
    ranges, bad = [], []
    for value in raw:
        match = _COUNT.match(value) if len(value) <= 20 else None
        lo = int(match.group(1)) if match else 0
        hi = int(match.group(2)) if match and match.group(2) else lo
        if not match or not (1 <= lo <= hi <= MAX_GPUS):
            bad.append(value)
        else:
            ranges.append((lo, hi))
    if bad:
        res.note(f"Ignored gpucount {', '.join(shown(b) for b in bad)}: expected a GPU count such as 8 or a range "
                 f"such as 8-32 (1 to {MAX_GPUS}).")
    return _merge(ranges)


def filter_mask(points: pd.DataFrame, filters: Filters) -> np.ndarray:
    mask = np.ones(len(points), dtype=bool)
    if filters.vendor:
        mask &= _isin_lower(points["vendor"], filters.vendor)
    if filters.framework:
        mask &= _isin_lower(points["framework"], filters.framework)
    if filters.deployment:
        mask &= points["deployment"].astype(str).isin([DEPLOYMENTS[d] for d in filters.deployment]).to_numpy()
    if filters.spec:
        mask &= points["spec"].astype(str).isin([SPECS[s] for s in filters.spec]).to_numpy()
    if filters.gpucount:
        gpus = points["gpus"].to_numpy(dtype=float)
        inside = np.zeros(len(points), dtype=bool)
        for lo, hi in filters.gpucount:
            inside |= (gpus >= lo) & (gpus <= hi)
        mask &= inside
    return mask


def _isin_lower(column: pd.Series, wanted) -> np.ndarray:
    # compare once per distinct value (categorical columns): a handful of strings, not every row
    if isinstance(column.dtype, pd.CategoricalDtype):
        hits = np.array([str(c).lower() in wanted for c in column.cat.categories] + [False])
        return hits[column.cat.codes.to_numpy()]  # code -1 (missing) reads the trailing False
    return column.astype(str).str.lower().isin(wanted).to_numpy()


def apply_filters(points: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The points the filters keep; the same frame object when no filter is set."""
    if not filters.active:
        return points
    return points[filter_mask(points, filters)]


def filter_pairs(filters: Filters) -> list[tuple[str, str]]:
    """Query pairs for a URL, in canonical order (``FILTER_KEYS``), each a comma list."""
    pairs = []
    for key in FILTER_KEYS:
        values = getattr(filters, key)
        if values:
            text = ",".join(_count_text(lo, hi) for lo, hi in values) if key == "gpucount" else ",".join(values)
            pairs.append((key, text))
    return pairs


def filter_options(points: pd.DataFrame, reference=None, present: dict | None = None) -> dict[str, list[tuple[str, str]]]:
    """(value, label) per filter, only values present in ``points``: what a control offers
    (``present``: ``present_values(points)``, when the caller has it)."""
    present = present if present is not None else present_values(points)
    vendor_labels = {}
    if reference is not None:
        vendor_labels = {g.vendor.lower(): g.vendor for g in reference.gpus.values()}
    return {
        "vendor": [(v, vendor_labels.get(v, VENDOR_LABELS.get(v, v.upper()))) for v in present["vendor"]],
        "framework": [(f, FRAMEWORK_LABELS.get(f, f)) for f in present["framework"]],
        "deployment": [(d, DEPLOYMENT_LABELS[d]) for d in present["deployment"]],
        "spec": [(s, SPEC_LABELS[s]) for s in present["spec"]],
        "gpucount": [(c, f"{c} GPU" + ("" if c == "1" else "s")) for c in present["gpucount"]],
    }


def describe_filters(filters: Filters) -> str:
    """One line for the page ("Filtered to: NVIDIA; SGLang, TensorRT-LLM; 8-32 GPUs"), "" if none."""
    parts = []
    if filters.vendor:
        parts.append(", ".join(VENDOR_LABELS.get(v, v.upper()) for v in filters.vendor))
    if filters.framework:
        parts.append(", ".join(FRAMEWORK_LABELS.get(f, f) for f in filters.framework))
    if filters.deployment:
        parts.append(", ".join(DEPLOYMENT_LABELS[d] for d in filters.deployment))
    if filters.spec:
        parts.append("spec decoding " + " or ".join(SPEC_LABELS[s] for s in filters.spec))
    if filters.gpucount:
        parts.append(", ".join(_count_text(lo, hi) for lo, hi in filters.gpucount) + " GPUs")
    return "Filtered to: " + "; ".join(parts) if parts else ""


# ---- best per GPU -------------------------------------------------------------------------

def series_keys(best: bool, several_precisions: bool) -> list[str]:
    """The columns that split a view into series (SPEC §3, §9). Normally gpu x framework x spec
    method; with ``best=1`` one series per GPU, its frameworks, spec methods and deployments
    pooled into one frontier. Precision splits series in both cases when several are shown:
    pooling FP4 with FP8 would hide an accuracy trade-off behind the frontier."""
    keys = ["gpu"] if best else ["gpu", "framework", "spec"]
    return keys + (["precision"] if several_precisions else [])


def series_frontiers(points: pd.DataFrame, keys: list[str], x: str = "intvty", y: str = "tput",
                     maximise_x: bool = True, maximise_y: bool = True) -> dict[tuple, pd.DataFrame]:
    """Each series' frontier points (x ascending), keyed by the values of ``keys``."""
    from .pareto import frontier_indices

    out = {}
    if points.empty:
        return out
    for key, idx in points.groupby(keys, observed=True, sort=True).indices.items():
        group = points.iloc[idx]
        front = frontier_indices(group[x].to_numpy(dtype=float), group[y].to_numpy(dtype=float), maximise_x, maximise_y)
        out[key if isinstance(key, tuple) else (key,)] = group.iloc[front]
    return out
