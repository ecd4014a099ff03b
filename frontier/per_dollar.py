"""Per-dollar comparison numbers: two sides read as tokens per dollar at shared interactivities.

The SPEC §5 machinery unchanged (band, quartile targets, each side's (interactivity,
throughput) frontier, each metric interpolated separately through the frontier knots, SPEC
§4), with a row set led by tokens per dollar:

    tokens per $ = throughput x 3600 / price per GPU-hour  (per point; = 1e6 / cost $/M tok)

Like cost, tokens per $ is interpolated from the per-point values, not derived from the
interpolated cost, so a cell is the value of the curve the chart draws for that metric; with
custom prices (frontier/prices.py) halving a GPU's price exactly doubles its cells."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from .compare import ComparisonResult, Row, compare, ratio_statement, read_side, table_rows
from .formatting import fixed
from .metrics import tpd_column
from .reference import PROVIDER_LABELS

ROW_KEY = "tokens_per_dollar"


def tokens_per_dollar_text(value: float | None) -> str:
    """Whole tokens with thousands separators ("1,846,154"): the count a dollar buys."""
    return fixed(value, 0, thousands=True)


def millions_per_dollar_text(value: float | None) -> str:
    """The same figure in millions, 2 decimals ("1.85M"), for narrative sentences."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{fixed(value / 1e6, 2)}M"


def table_rows_per_dollar(provider: str = "hyperscaler") -> list[Row]:
    """Tokens per $ first, then throughput, cost and concurrency (the cost and throughput rows
    keep their standard keys: the narrative and verdicts of ``compare`` read them)."""
    standard = {row.key: row for row in table_rows(provider)}
    return [
        Row(ROW_KEY, "Tokens per dollar", f"tokens/$, {PROVIDER_LABELS[provider].lower()} prices",
            tpd_column("total", provider), tokens_per_dollar_text),
        standard["throughput"],
        standard["cost"],
        standard["concurrency"],
    ]


# row sets by name, for a kind registry that names its rows (``ComparisonKind.rows``)
ROW_SETS = {"standard": table_rows, "per-dollar": table_rows_per_dollar}


def table_rows_for(name: str, provider: str = "hyperscaler") -> list[Row]:
    return ROW_SETS[name](provider)


def compare_per_dollar(spec, points: pd.DataFrame, seq: str, labels: tuple[str, str], precision: str | None = None,
                       targets: list[float] | None = None, provider: str = "hyperscaler") -> ComparisonResult:
    """``compare`` with the per-dollar rows and a ``tokens_per_dollar`` verdict per target
    (higher is better). Raises ComparisonError like ``compare``."""
    result = compare(spec, points, seq, labels, precision=precision, targets=targets, provider=provider)
    rows = table_rows_per_dollar(provider)
    extra = [row for row in rows if row.key == ROW_KEY]
    for side in (result.a, result.b):
        for t in result.targets:
            side.values[t] = {**side.values[t], **read_side(side.frontier, t, extra)}
    verdicts = {}
    for t in result.targets:
        va, vb = result.a.values[t], result.b.values[t]
        verdicts[t] = {**result.verdicts[t], ROW_KEY: ratio_statement(
            result.a.label, va[ROW_KEY].value, result.b.label, vb[ROW_KEY].value, lower_is_better=False)}
    return replace(result, rows=rows, verdicts=verdicts)


def per_dollar_sentences(result: ComparisonResult) -> list[str]:
    """One sentence per target: each side's tokens per $ and the gap, worded so it is true
    ("A yields N% more tokens per dollar than B"; "essentially the same" under 1.01)."""
    out = []
    for t in result.targets:
        va, vb = result.a.values[t][ROW_KEY].value, result.b.values[t][ROW_KEY].value
        verdict = result.verdicts[t][ROW_KEY]
        target = str(int(t)) if float(t).is_integer() else fixed(t, 1)
        text = (f"At {target} tok/s/user a dollar buys {millions_per_dollar_text(va)} tokens on {result.a.label} "
                f"and {millions_per_dollar_text(vb)} on {result.b.label}")
        if verdict["tied"]:
            text += ": essentially the same."
        elif verdict["winner"]:
            text += f"; {verdict['winner']} yields {verdict['percent']}% more tokens per dollar than {verdict['loser']}."
        else:
            text += "."
        out.append(text)
    return out


__all__ = ["table_rows_per_dollar", "table_rows_for", "ROW_SETS", "compare_per_dollar", "per_dollar_sentences", "tokens_per_dollar_text",
           "millions_per_dollar_text", "ROW_KEY"]
