"""Per-dollar comparison numbers on the real DeepSeek R1 rows, against an independent reading."""

from __future__ import annotations

import pytest

from frontier.kinds import ComparisonSpec
from frontier.per_dollar import (ROW_KEY, compare_per_dollar, millions_per_dollar_text, per_dollar_sentences,
                                 table_rows_per_dollar, tokens_per_dollar_text)
from frontier.prices import PriceOverrides, apply_prices

from . import json_oracle as jo
from . import reference_impl as ref


def test_rows():
    rows = table_rows_per_dollar("neocloud")
    assert [r.key for r in rows] == [ROW_KEY, "throughput", "cost", "concurrency"]
    assert rows[0].column == "tpd_total_neocloud" and rows[2].column == "cost_total_neocloud"
    assert tokens_per_dollar_text(1846153.846) == "1,846,154"
    assert millions_per_dollar_text(1846153.846) == "1.85M"


@pytest.mark.parametrize("gpu_a, gpu_b, precision, seq, provider", [
    ("h200", "b200", "fp8", "1k1k", "hyperscaler"),
    ("b200", "mi355x", "fp4", "1k1k", "neocloud"),
    ("b300", "gb300", "fp4", "8k1k", "rental"),
])
def test_tokens_per_dollar_cells_match_independent_computation(gpu_a, gpu_b, precision, seq, provider, dsr1,
                                                               raw_latest):
    spec = ComparisonSpec("gpu", "dsr1", gpu_a, gpu_b, None, None)
    result = compare_per_dollar(spec, dsr1, seq, (gpu_a.upper(), gpu_b.upper()), precision=precision,
                                provider=provider)
    index = ref.PROVIDER_INDEX[provider]
    sides = [jo.as_points(jo.select(raw_latest, seq, hardware=g, precision=precision), provider_index=index)
             for g in (gpu_a, gpu_b)]
    lo, hi = ref.band([p["x"] for p in sides[0]], [p["x"] for p in sides[1]])
    assert result.targets == ref.targets(lo, hi)
    table = {row["key"]: row for row in result.table()}
    assert list(table) == [ROW_KEY, "throughput", "cost", "concurrency"]
    for col, t in enumerate(result.targets):
        va, _, _, _ = jo.read(sides[0], t)
        vb, _, _, _ = jo.read(sides[1], t)
        cell = table[ROW_KEY]["cells"][col]
        assert cell["a"]["value"] == pytest.approx(va["tpd"], rel=1e-9)
        assert cell["b"]["value"] == pytest.approx(vb["tpd"], rel=1e-9)
        assert cell["a"]["text"] == f"{int(ref.half_up(va['tpd'], 0)):,}"
        assert table["cost"]["cells"][col]["a"]["value"] == pytest.approx(va["cost"], rel=1e-9)
        verdict = result.verdicts[t][ROW_KEY]
        high, low = max(va["tpd"], vb["tpd"]), min(va["tpd"], vb["tpd"])
        if high / low < 1.01:
            assert verdict["tied"]
        else:
            assert verdict["percent"] == ref.half_up_int((high / low - 1) * 100)
            assert verdict["winner"] == (gpu_a.upper() if va["tpd"] > vb["tpd"] else gpu_b.upper())
    sentences = per_dollar_sentences(result)
    assert len(sentences) == len(result.targets)
    for t, text in zip(result.targets, sentences):
        verdict = result.verdicts[t][ROW_KEY]
        assert text.startswith(f"At {t} tok/s/user a dollar buys ")
        if verdict["winner"]:
            assert f"{verdict['winner']} yields {verdict['percent']}% more tokens per dollar than {verdict['loser']}." in text


def test_h200_vs_b200_by_hand(dsr1):
    """B200 is ahead on tokens per dollar at every quartile (its throughput gap outweighs its
    price: $1.95 vs $1.41 per GPU-hour)."""
    spec = ComparisonSpec("gpu", "dsr1", "h200", "b200", None, None)
    result = compare_per_dollar(spec, dsr1, "1k1k", ("H200", "B200"), precision="fp8")
    for t in result.targets:
        assert result.verdicts[t][ROW_KEY]["winner"] == "B200"
        # tokens per $ is interpolated per point like cost; at a knot 1e6 / cost is exact
    for side in (result.a, result.b):
        knots = side.frontier
        assert (knots["tpd_total_hyperscaler"] * knots["cost_total_hyperscaler"]).round(6).eq(1e6).all()


def test_halving_a_price_doubles_its_tokens_per_dollar_cells(dsr1, bundled_dataset):
    spec = ComparisonSpec("gpu", "dsr1", "h200", "b200", None, None)
    base = compare_per_dollar(spec, dsr1, "1k1k", ("H200", "B200"), precision="fp8")
    half = bundled_dataset.reference.gpus["b200"].price["hyperscaler"] / 2
    priced = apply_prices(dsr1, bundled_dataset.reference, PriceOverrides(price=(("b200", half),)))
    again = compare_per_dollar(spec, priced, "1k1k", ("H200", "B200"), precision="fp8")
    for t in base.targets:
        assert again.b.values[t][ROW_KEY].value == 2 * base.b.values[t][ROW_KEY].value
        assert again.a.values[t][ROW_KEY].value == base.a.values[t][ROW_KEY].value
