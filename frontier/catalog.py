"""What the loaded data offers: models, sequences, precisions and GPUs, so that every option a
control shows has data behind it. Built once per dataset; lookups are dictionary reads."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .sequences import sort_key

PRECISION_ORDER = ["fp4", "fp8", "int4", "int8", "bf16", "fp16"]


def precision_sort_key(p: str) -> tuple:
    return (PRECISION_ORDER.index(p) if p in PRECISION_ORDER else len(PRECISION_ORDER), p)


@dataclass
class Catalog:
    models: list[str] = field(default_factory=list)
    model_labels: dict[str, str] = field(default_factory=dict)
    seqs: dict[str, list[str]] = field(default_factory=dict)  # model -> sequences with data
    precisions: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (model, seq) -> precisions
    precision_counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    gpus: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (model, seq) -> gpus
    gpu_labels: dict[str, str] = field(default_factory=dict)
    gpu_vendors: dict[str, str] = field(default_factory=dict)
    dates: list[str] = field(default_factory=list)  # every run date in the data
    dates_by: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (model, seq) -> its run dates

    def dates_for(self, model: str, seq: str) -> list[str]:
        return self.dates_by.get((model, seq), [])

    def default_seq(self, model: str) -> str | None:
        seqs = self.seqs.get(model, [])
        return "1k1k" if "1k1k" in seqs else (seqs[0] if seqs else None)

    def default_precisions(self, model: str, seq: str) -> list[str]:
        counts = self.precision_counts.get((model, seq), {})
        if not counts:
            return []
        return [max(sorted(counts, key=precision_sort_key), key=lambda p: counts[p])]

def build_catalog(latest: pd.DataFrame, reference, all_dates: list[str] | None = None,
                  history: pd.DataFrame | None = None) -> Catalog:
    """``history``: every measurement (all dates), for the run dates each model and sequence has."""
    cat = Catalog()
    if latest.empty:
        return cat
    combos = latest[["model", "seq", "precision", "gpu"]].astype(str)
    counts = combos.groupby(["model", "seq", "precision"]).size()
    known_order = {k: i for i, k in enumerate(reference.models)}
    models = sorted(combos["model"].unique(), key=lambda m: (known_order.get(m, len(known_order)), m))
    gpu_order = {k: i for i, k in enumerate(reference.gpus)}
    for model in models:
        per_model = combos[combos["model"] == model]
        cat.seqs[model] = sorted(per_model["seq"].unique(), key=sort_key)
        for seq, per_seq in per_model.groupby("seq"):
            precisions = sorted(per_seq["precision"].unique(), key=precision_sort_key)
            cat.precisions[(model, seq)] = precisions
            cat.precision_counts[(model, seq)] = {p: int(counts[(model, seq, p)]) for p in precisions}
            cat.gpus[(model, seq)] = sorted(per_seq["gpu"].unique(), key=lambda g: (gpu_order.get(g, len(gpu_order)), g))
    cat.models = models
    cat.model_labels = {m: reference.model_label(m) for m in models}
    for gpu in combos["gpu"].unique():
        cat.gpu_labels[gpu] = reference.gpu_label(gpu)
        cat.gpu_vendors[gpu] = reference.gpus[gpu].vendor if gpu in reference.gpus else "Other"
    cat.dates = all_dates or []
    if history is not None and len(history):
        pairs = history[["model", "seq", "date"]].astype(str).drop_duplicates()
        cat.dates_by = {key: sorted(group["date"]) for key, group in pairs.groupby(["model", "seq"])}
    return cat
