"""Comparisons (SPEC §5): two sides, each a pool of points, read at shared interactivities.

A comparison is two filters over one model's points at one sequence. The same machinery
serves every kind in the registry (frontier/kinds.py), which says what the filters are."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .formatting import approx_int, fixed, money, percent_more, round_int
from .interpolate import interpolate
from .kinds import ComparisonSpec
from .pareto import frontier_indices
from .reference import PROVIDER_LABELS, PROVIDERS

QUARTILES = (0.25, 0.5, 0.75)
TIE_RATIO = 1.01
FEW_FRONTIER_POINTS = 3  # below this a side's frontier is a straight segment (SPEC §4 two-point rule)
IMPLIED_COST_GAP = 0.10  # interpolated cost this far from price ÷ interpolated throughput is said next to the cell


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    unit: str
    column: str
    format: object  # value -> text


def table_rows(provider: str = "hyperscaler") -> list[Row]:
    return [
        Row("throughput", "Throughput", "tok/s/GPU", "tput", lambda v: fixed(v, 1)),
        Row("cost", "Cost", f"$/M tok, {PROVIDER_LABELS[provider].lower()} prices", f"cost_total_{provider}",
            lambda v: money(v, 3)),
        Row("tokmw", "tok/s/MW", "tok/s/MW", "tokmw", lambda v: fixed(v, 0)),
        Row("concurrency", "Concurrency", "", "conc", approx_int),
    ]


def select(points: pd.DataFrame, filters: dict) -> pd.DataFrame:
    mask = np.ones(len(points), dtype=bool)
    for column, value in filters.items():
        if value is not None:
            mask &= equals(points[column], str(value))
    return points[mask]


def equals(column: pd.Series, value: str) -> np.ndarray:
    """Which rows of ``column`` read ``value``; on a categorical column of strings by its codes,
    without writing out every row as a string (history views select among every measurement)."""
    if isinstance(column.dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(column.cat.categories.dtype):
        position = column.cat.categories.get_indexer([value])[0]
        return column.cat.codes.to_numpy() == position if position >= 0 else np.zeros(len(column), dtype=bool)
    return (column.astype(str) == value).to_numpy()


def band(x_a, x_b) -> tuple[float, float]:
    """Overlap of the two sides' interactivity ranges over all points; the union if none."""
    x_a = np.asarray(x_a, dtype=float)
    x_b = np.asarray(x_b, dtype=float)
    lo = max(x_a.min(), x_b.min())
    hi = min(x_a.max(), x_b.max())
    if lo >= hi:
        lo, hi = min(x_a.min(), x_b.min()), max(x_a.max(), x_b.max())
    return float(lo), float(hi)


def default_targets(lo: float, hi: float) -> list[int]:
    if hi == lo:
        return [round_int(lo)]
    return [round_int(lo + q * (hi - lo)) for q in QUARTILES]


@dataclass
class SideResult:
    key: str
    label: str
    points: pd.DataFrame
    frontier: pd.DataFrame  # the (interactivity, throughput) frontier, x ascending
    values: dict = field(default_factory=dict)  # target -> {row key: Interpolated}

    @property
    def x_range(self) -> tuple[float, float]:
        x = self.frontier["intvty"]
        return float(x.min()), float(x.max())

    @property
    def few_points(self) -> bool:
        """Read off a frontier of fewer than 3 points: a straight segment, or a single point."""
        return len(self.frontier) < FEW_FRONTIER_POINTS

    def implied_cost(self, throughput: float, cost_column: str) -> float | None:
        """Price ÷ throughput at an interpolated throughput: cost × throughput is the price
        factor of every point of one GPU, so it is read off the frontier; None when the side
        pools points at several prices (then there is no one price to divide)."""
        factor = (self.frontier[cost_column].to_numpy(dtype=float) * self.frontier["tput"].to_numpy(dtype=float))
        if not len(factor) or not np.all(np.isfinite(factor)) or not np.allclose(factor, factor[0], rtol=1e-9):
            return None
        return float(factor[0] / throughput) if throughput > 0 else None


def side_frontier(points: pd.DataFrame) -> pd.DataFrame:
    idx = frontier_indices(points["intvty"].to_numpy(), points["tput"].to_numpy())
    return points.iloc[idx]


def read_side(frontier: pd.DataFrame, target: float, rows: list[Row]) -> dict:
    """Each metric interpolated separately through the frontier knots (SPEC §4)."""
    x = frontier["intvty"].to_numpy(dtype=float)
    out = {}
    for row in rows:
        result = interpolate(x, frontier[row.column].to_numpy(dtype=float), target)
        if row.key == "concurrency":
            result = type(result)(float(round_int(result.value)), result.target, result.clamped)
        out[row.key] = result
    return out


def position_in_band(target: float, lo: float, hi: float) -> str:
    if hi == lo:
        return "middle"
    frac = (target - lo) / (hi - lo)
    return "lower third" if frac < 1 / 3 else ("middle" if frac <= 2 / 3 else "upper third")


def ratio_statement(a_label: str, a: float, b_label: str, b: float, lower_is_better: bool) -> dict:
    """Who wins and by how much: N = round((max/min - 1) x 100), 'tied' under 1.01. The
    percentage is always how much MORE the higher value is (a cost gap is said as "the dearer
    side costs N% more"), so it stays true above 100 %."""
    if not (math.isfinite(a) and math.isfinite(b)) or a <= 0 or b <= 0:
        return {"winner": None, "loser": None, "ratio": None, "percent": None, "tied": False}
    high, low = max(a, b), min(a, b)
    ratio = high / low
    a_wins = a < b if lower_is_better else a > b
    winner, loser = (a_label, b_label) if a_wins else (b_label, a_label)
    tied = ratio < TIE_RATIO
    return {"winner": None if tied else winner, "loser": None if tied else loser, "ratio": ratio,
            "percent": None if tied else percent_more(high, low), "tied": tied}


@dataclass
class ComparisonResult:
    spec: ComparisonSpec
    seq: str
    precision: str | None
    provider: str
    a: SideResult
    b: SideResult
    band: tuple[float, float]
    targets: list[float]
    rows: list[Row]
    verdicts: dict  # target -> {"cost": ratio_statement, "throughput": ratio_statement}

    @property
    def band_text(self) -> str:
        return f"{math.ceil(self.band[0])}–{math.floor(self.band[1])}"

    def cell(self, side: SideResult, target: float, row: Row) -> dict:
        value = side.values[target][row.key]
        out = {
            "value": None if not math.isfinite(value.value) else value.value,
            "text": row.format(value.value),
            "clamped": value.clamped,
            "read_at": value.target,
        }
        if row.key == "cost" and out["value"] is not None:
            # the cost spline and the throughput spline are interpolated separately (SPEC §4);
            # with few points they can disagree, and a reader should see by how much
            implied = side.implied_cost(side.values[target]["throughput"].value, row.column)
            if implied is not None and abs(out["value"] / implied - 1) > IMPLIED_COST_GAP:
                out["implied"] = {"value": implied, "text": row.format(implied)}
        return out

    def sides_with_few_points(self) -> list[SideResult]:
        return [s for s in (self.a, self.b) if s.few_points]

    def table(self) -> list[dict]:
        return [
            {
                "key": row.key,
                "label": row.label,
                "unit": row.unit,
                "cells": [
                    {"target": t, "a": self.cell(self.a, t, row), "b": self.cell(self.b, t, row)} for t in self.targets
                ],
            }
            for row in self.rows
        ]

    def narrative(self, model_label: str, subject: str) -> list[str]:
        return [self._paragraph(t, model_label, subject) for t in self.targets]

    def _paragraph(self, target: float, model_label: str, subject: str) -> str:
        a, b = self.a, self.b
        va, vb = a.values[target], b.values[target]
        lo, hi = self.band
        where = position_in_band(target, lo, hi)
        target_text = _target_text(target)
        text = (
            f"At {target_text} tok/s/user, in the {where} of the {self.band_text} tok/s/user band that both sides cover "
            f"for {model_label} ({subject}), {a.label} delivers {fixed(va['throughput'].value, 0)} tok/s/GPU at "
            f"{money(va['cost'].value, 2)} per million tokens and {b.label} delivers "
            f"{fixed(vb['throughput'].value, 0)} tok/s/GPU at {money(vb['cost'].value, 2)}."
        )
        verdict = self.verdicts[target]
        cost, tput = verdict["cost"], verdict["throughput"]
        parts = []
        if cost["tied"]:
            parts.append(f"{a.label} and {b.label} cost essentially the same per token")
        elif cost["winner"]:
            parts.append(f"{cost['loser']} costs {cost['percent']}% more per token than {cost['winner']} "
                         f"({cost['winner']} is {fixed(cost['ratio'], 1)}× cheaper)")
        if tput["tied"]:
            parts.append(f"{a.label} and {b.label} deliver essentially the same tok/s/GPU")
        elif tput["winner"]:
            parts.append(f"{tput['winner']} delivers {tput['percent']}% more tok/s/GPU than {tput['loser']}")
        if parts:
            text += " " + "; ".join(parts) + "."
        edges = [s for s, v in ((a, va), (b, vb)) if v["throughput"].clamped]
        for side in edges:
            lo_x, hi_x = side.x_range
            text += (
                f" {side.label}'s measured frontier spans {fixed(lo_x, 1)}–{fixed(hi_x, 1)} tok/s/user, so its "
                f"figures here are held at the nearest edge."
            )
        return text

    def to_json(self, model_label: str, subject: str) -> dict:
        return {
            "kind": self.spec.kind,
            "slug": self.spec.slug,
            "model": self.spec.model,
            "model_label": model_label,
            "seq": self.seq,
            "precision": self.precision,
            "provider": self.provider,
            "sides": {s.key: {"key": s.key, "label": s.label, "points": len(s.points), "frontier_points": len(s.frontier),
                              "few_frontier_points": s.few_points} for s in (self.a, self.b)},
            "band": {"lo": self.band[0], "hi": self.band[1], "text": self.band_text},
            "targets": self.targets,
            "table": self.table(),
            "verdicts": [{"target": t, **self.verdicts[t]} for t in self.targets],
            "narrative": self.narrative(model_label, subject),
        }


def _target_text(target: float) -> str:
    return str(int(target)) if float(target).is_integer() else fixed(target, 1)


class ComparisonError(ValueError):
    """The comparison has no data on one side (shown to the user as such)."""


def compare(spec: ComparisonSpec, points: pd.DataFrame, seq: str, labels: tuple[str, str],
            precision: str | None = None, targets: list[float] | None = None, provider: str = "hyperscaler") -> ComparisonResult:
    """``points``: the latest points of the model (all sequences). Raises ComparisonError."""
    if provider not in PROVIDERS:
        raise ComparisonError(f"unknown price provider {provider!r}")
    at_seq = points[points["seq"].astype(str) == seq]
    filt_a, filt_b = spec.side_filters(precision)
    side_points = []
    for filt, label in ((filt_a, labels[0]), (filt_b, labels[1])):
        chosen = select(at_seq, {"model": spec.model, **filt})
        chosen = chosen[np.isfinite(chosen["intvty"].to_numpy(dtype=float)) & (chosen["intvty"].to_numpy(dtype=float) > 0)]
        if chosen.empty:
            raise ComparisonError(f"no {label} points for this comparison at {seq}")
        side_points.append(chosen)
    lo, hi = band(side_points[0]["intvty"], side_points[1]["intvty"])
    chosen_targets = list(targets) if targets else default_targets(lo, hi)
    rows = table_rows(provider)
    sides = []
    for key, pts, label in (("a", side_points[0], labels[0]), ("b", side_points[1], labels[1])):
        front = side_frontier(pts)
        side = SideResult(key, label, pts, front)
        side.values = {t: read_side(front, t, rows) for t in chosen_targets}
        sides.append(side)
    a, b = sides
    verdicts = {}
    for t in chosen_targets:
        va, vb = a.values[t], b.values[t]
        verdicts[t] = {
            "cost": ratio_statement(a.label, va["cost"].value, b.label, vb["cost"].value, lower_is_better=True),
            "throughput": ratio_statement(a.label, va["throughput"].value, b.label, vb["throughput"].value, lower_is_better=False),
        }
    return ComparisonResult(spec, seq, precision or spec.precision_a, provider, a, b, (lo, hi), chosen_targets, rows, verdicts)


def default_gpu_precision(points: pd.DataFrame, spec: ComparisonSpec, seq: str | None = None) -> str | None:
    """The precision both GPUs have most points for (SPEC §5)."""
    pts = points if seq is None else points[points["seq"].astype(str) == seq]
    counts = {}
    for gpu in (spec.gpu_a, spec.gpu_b):
        counts[gpu] = pts[pts["gpu"].astype(str) == gpu]["precision"].astype(str).value_counts()
    shared = set(counts[spec.gpu_a].index) & set(counts[spec.gpu_b].index)
    if not shared:
        return None
    return max(sorted(shared), key=lambda p: counts[spec.gpu_a][p] + counts[spec.gpu_b][p])
