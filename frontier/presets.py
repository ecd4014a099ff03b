"""Curated views (issue 15): a handful of ready-made questions, each a deep link.

Presets are generated from the loaded data: each template names what it needs (two GPUs
sharing a precision, MTP and Off on one GPU, several run dates...) and is skipped when the
data lacks it. Links are canonical addresses (the slug in the registry's order), so opening a
preset never redirects. Titles and descriptions are written from what the link shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pandas as pd

from .compare import select
from .kinds import KINDS, Available, ComparisonSpec, available_comparisons
from .sequences import sequence_label

HISTORY_TARGET = 40  # tok/s/user: a typical chat speed, where the issue read B200's gains
CALCULATOR_TARGET = 35  # tok/s/user: the calculator's default (InferenceX's)
CALCULATOR_USERS = 1000

# (gpu a, gpu b, precision): GPU pairs worth a look, in either order (the id and the link
# follow the registry's canonical order, e.g. "h200-vs-b200-fp8")
GPU_PAIRS = [("b200", "h200", "fp8"), ("mi355x", "b200", "fp4"), ("gb200", "b200", "fp4")]
SPEC_GPUS = [("mtp-on-b300", "b300"), ("mtp-on-b200", "b200")]
HISTORY_GPUS = [("b200-software-gains", "b200"), ("mi355x-software-gains", "mi355x")]


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    description: str
    path: str
    query: str  # "?..." or ""
    kind: str  # "comparison", "history", "calculator" or "explorer"

    @property
    def href(self) -> str:
        return self.path + self.query

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "description": self.description, "path": self.path,
                "query": self.query, "href": self.href, "kind": self.kind}


def _query(pairs: list[tuple[str, str]]) -> str:
    return "?" + urlencode(pairs, safe=",", quote_via=quote) if pairs else ""


def _seq(seqs) -> str:
    return "1k1k" if "1k1k" in seqs else seqs[0]


def _models_by_size(latest: pd.DataFrame) -> list[str]:
    counts = latest["model"].astype(str).value_counts()
    return sorted(counts.index, key=lambda m: (-counts[m], m))


def _month(date: str) -> str:
    d = dt.date.fromisoformat(date)
    return d.strftime("%B %Y")


def build_presets(latest: pd.DataFrame, points: pd.DataFrame, reference) -> list[Preset]:
    """The presets the data supports. ``latest``: the latest points; ``points``: every
    measurement (history presets need several run dates)."""
    if latest.empty:
        return []
    available = available_comparisons(latest, list(reference.gpus))
    lookup: dict[tuple, Available] = {(a.spec.kind, a.spec.slug): a for a in available}
    by_kind: dict[str, list[Available]] = {}
    for a in available:
        by_kind.setdefault(a.spec.kind, []).append(a)
    models = _models_by_size(latest)
    cells = set(latest[["model", "gpu", "precision", "seq"]].astype(str).drop_duplicates()
                .itertuples(index=False, name=None))
    presets: list[Preset] = []

    def find(kind: str, spec: ComparisonSpec) -> Available | None:
        for candidate in (spec, *KINDS[kind].equivalents(spec)):
            if (kind, candidate.slug) in lookup:
                return lookup[(kind, candidate.slug)]
        return None

    for gpu_a, gpu_b, precision in GPU_PAIRS:
        for model in models:
            found = find("gpu", ComparisonSpec("gpu", model, gpu_a, gpu_b, None, None))
            if found is None or precision not in found.precisions:
                continue
            spec = found.spec
            seqs = [q for q in found.seqs if (model, gpu_a, precision, q) in cells and (model, gpu_b, precision, q) in cells]
            if not seqs:
                continue
            seq = _seq(seqs)
            title = f"{KINDS['gpu'].link_text(spec, reference)} at {precision.upper()}"
            presets.append(Preset(
                f"{spec.gpu_a}-vs-{spec.gpu_b}-{precision}", title,
                f"{reference.model_label(model)}, {sequence_label(seq)}: every framework and deployment of each GPU pooled, "
                f"compared at matched interactivity.",
                spec.path, _query([("seq", seq), ("precision", precision)]), "comparison"))
            break

    for pid, gpu in SPEC_GPUS:
        for model in models:
            options = [a for a in by_kind.get("spec-decode", []) if a.spec.model == model and a.spec.gpu_a == gpu]
            if not options:
                continue
            counts = latest[(latest["model"].astype(str) == model) & (latest["gpu"].astype(str) == gpu)]
            counts = counts["precision"].astype(str).value_counts()
            best = max(options, key=lambda a: (counts.get(a.spec.precision_a, 0), a.spec.precision_a))
            seq = _seq(best.seqs)
            label = reference.gpu_label(gpu)
            presets.append(Preset(
                pid, f"What MTP buys on {label}",
                f"{reference.model_label(model)} on {label} {best.spec.precision_a.upper()}, {sequence_label(seq)}: multi-token "
                f"prediction against no speculative decoding, at matched interactivity.",
                best.spec.path, _query([("seq", seq)]), "comparison"))
            break

    dates_all = points["date"].astype(str) if len(points) else pd.Series(dtype=str)
    for pid, gpu in HISTORY_GPUS:
        if points.empty:
            break
        for model in models:
            mine = select(points, {"model": model, "gpu": gpu})  # every measurement: by category codes
            if mine.empty:
                continue
            span = (mine.assign(_d=dates_all.loc[mine.index]).groupby(["seq", "precision"], observed=True)["_d"]
                    .nunique())
            span = span[span >= 2]
            if span.empty:
                continue
            # the (sequence, precision) with the most run dates; 1k1k first among equals
            (seq, precision) = max(span.index, key=lambda k: (span[k], k[0] == "1k1k", str(k[1])))
            seq, precision = str(seq), str(precision)
            sel = mine[(mine["seq"].astype(str) == seq) & (mine["precision"].astype(str) == precision)]
            first, last = dates_all.loc[sel.index].min(), dates_all.loc[sel.index].max()
            label = reference.gpu_label(gpu)
            presets.append(Preset(
                pid, f"Software gains on {label} since {_month(first)}",
                f"{reference.model_label(model)} on {label} {precision.upper()}, {sequence_label(seq)}: throughput at "
                f"{HISTORY_TARGET} tok/s/user on every run date from {first} to {last}, same hardware.",
                "/history", _query([("model", model), ("seq", seq), ("precision", precision),
                                    ("target", str(HISTORY_TARGET)), ("gpus", gpu)]), "history"))
            break

    model = models[0]
    per_model = latest[latest["model"].astype(str) == model]
    seqs = sorted(per_model["seq"].astype(str).unique())
    seq = _seq(seqs)
    at_seq = per_model[per_model["seq"].astype(str) == seq]
    counts = at_seq.groupby(at_seq["precision"].astype(str))["gpu"].agg(lambda g: g.astype(str).nunique())
    precision = str(max(counts.index, key=lambda p: (counts[p], p)))  # the precision most GPUs have
    presets.append(Preset(
        "calculator-1000-users", f"{CALCULATOR_USERS:,} users at {CALCULATOR_TARGET} tok/s/user",
        f"{reference.model_label(model)}, {precision.upper()}, {sequence_label(seq)}: GPUs needed, cost per month and power on "
        f"every GPU for {CALCULATOR_USERS:,} users each streaming at {CALCULATOR_TARGET} tok/s/user.",
        "/calculator", _query([("model", model), ("seq", seq), ("precision", precision),
                               ("target", str(CALCULATOR_TARGET)), ("users", str(CALCULATOR_USERS))]), "calculator"))
    presets.append(Preset(
        "best-per-gpu", f"The best of each GPU at {precision.upper()}",
        f"{reference.model_label(model)}, {sequence_label(seq)}: one frontier per GPU, its frameworks, speculative decoding and "
        f"deployments pooled.",
        "/", _query([("model", model), ("seq", seq), ("precision", precision), ("best", "1")]), "explorer"))
    return presets


def preset_by_id(presets: list[Preset], preset_id: str) -> Preset | None:
    wanted = (preset_id or "").strip().lower()
    return next((p for p in presets if p.id == wanted), None)
