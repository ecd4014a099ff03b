"""Shared checks for the store tests: the numbers a user sees, computed from a Dataset."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from frontier.compare import ComparisonError
from frontier.viewstate import CompareState
from frontier.views import Index

PROVENANCE = {"source", "record", "format", "file_mtime", "batch"}


def comparison_numbers(dataset) -> dict:
    """Every comparison the data supports, at every sequence: (kind, slug, seq) -> the JSON the
    API serves (band, targets, every table cell, verdicts, narrative)."""
    index = Index(dataset)
    out = {}
    for available in index.comparisons:
        spec = available.spec
        for seq in available.seqs:
            precision = available.precisions[0] if available.precisions else None
            try:
                table_precision = precision or spec.precision_a
                result = index.comparison(CompareState(spec.kind, spec.slug, spec.model, seq, table_precision,
                                                       (table_precision,)))
            except ComparisonError as exc:
                out[(spec.kind, spec.slug, seq)] = f"error: {exc}"
                continue
            out[(spec.kind, spec.slug, seq)] = result.to_json(spec.model, "subject")
    return out


def point_table(points: pd.DataFrame) -> list[tuple]:
    """Every point's values (not where it was read from), sorted: equal tables mean equal data."""
    columns = sorted(c for c in points.columns if c not in PROVENANCE)
    rows = []
    for rec in points[columns].astype(object).to_dict("records"):
        rows.append(tuple((k, _norm(rec[k])) for k in columns))
    return sorted(rows, key=repr)


def _norm(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, float):
        return round(v, 12)
    return v if isinstance(v, (bool, int, str)) else str(v)


def agg_records(path: Path) -> list[dict]:
    content = json.loads(Path(path).read_text())
    return content if isinstance(content, list) else [content]
