"""Your own prices and power (SPEC §10)."""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
import pytest

from frontier.compare import compare
from frontier.kinds import ComparisonSpec
from frontier.metrics import POWER_COLUMNS, PRICE_COLUMNS
from frontier.prices import (DEFAULT_PRICES, PriceOverrides, apply_prices, price_pairs, prices_sentence, prices_used,
                             resolve_prices)
from frontier.urlstate import Resolution, parse_query


def resolve(search, reference):
    res = Resolution()
    return resolve_prices(parse_query(search), reference, res), res.notices


def test_default(bundled_dataset):
    overrides, notices = resolve("", bundled_dataset.reference)
    assert overrides == DEFAULT_PRICES and not overrides.custom and notices == []
    assert price_pairs(overrides) == []


def test_valid_values_sorted_and_round_trip(bundled_dataset):
    overrides, notices = resolve("provider=neocloud&price=B300:3.1,h200:2&kw=b300:2.4", bundled_dataset.reference)
    assert notices == []
    assert overrides == PriceOverrides("neocloud", (("b300", 3.1), ("h200", 2.0)), (("b300", 2.4),))
    pairs = price_pairs(overrides)
    assert pairs == [("provider", "neocloud"), ("price", "b300:3.1,h200:2"), ("kw", "b300:2.4")]
    assert resolve(urlencode(pairs), bundled_dataset.reference) == (overrides, [])


@pytest.mark.parametrize("entry, why", [
    ("price=b300:0", "positive"), ("price=b300:-2", "positive"), ("price=b300:nan", "positive"),
    ("price=b300:inf", "positive"), ("price=b300:abc", "positive"), ("price=tpu9:1", "unknown GPU"),
    ("price=b300", "expected <gpu>"), ("price=:3", "expected <gpu>"), ("price=b300:1:2", "expected <gpu>"),
    ("price=b300:1e9", "between"), ("kw=b300:500", "between"), ("price=b300:" + "1" * 60, "expected <gpu>"),
    ("provider=aws", "provider"),
])
def test_invalid_values_ignored_with_a_notice(entry, why, bundled_dataset):
    overrides, notices = resolve(entry, bundled_dataset.reference)
    assert overrides == DEFAULT_PRICES
    assert len(notices) == 1 and why in notices[0]


def test_bounded_number_of_entries_and_duplicates(bundled_dataset):
    many = ",".join(f"b300:{i + 1}" for i in range(40))
    overrides, notices = resolve(f"price={many}", bundled_dataset.reference)
    n = len(bundled_dataset.reference.gpus)
    assert any(f"first {n}" in t for t in notices)
    assert overrides.price == (("b300", float(n)),)  # the last of those kept
    assert any("twice" in t for t in notices)


def test_apply_without_overrides_is_the_same_frame(dsr1, bundled_dataset):
    assert apply_prices(dsr1, bundled_dataset.reference, DEFAULT_PRICES) is dsr1
    neocloud = PriceOverrides("neocloud")
    assert apply_prices(dsr1, bundled_dataset.reference, neocloud) is dsr1


def test_apply_touches_only_the_overridden_gpu_and_provider(dsr1, bundled_dataset):
    before = dsr1.copy()
    overrides = PriceOverrides("neocloud", (("b200", 4.68),), (("h200", 0.865),))
    out = apply_prices(dsr1, bundled_dataset.reference, overrides)
    assert out is not dsr1
    assert dsr1.equals(before)  # the input is never written into
    b200 = (dsr1["gpu"].astype(str) == "b200").to_numpy()
    h200 = (dsr1["gpu"].astype(str) == "h200").to_numpy()
    for column in PRICE_COLUMNS["neocloud"]:
        ratio = out[column].to_numpy()[b200] / dsr1[column].to_numpy()[b200]
        # 4.68 = 2 x 2.34: cost doubles, tokens per dollar halves
        assert np.allclose(ratio, 2.0 if column.startswith("cost") else 0.5, rtol=1e-12)
        assert np.array_equal(out[column].to_numpy()[~b200], dsr1[column].to_numpy()[~b200], equal_nan=True)
    for provider in ("hyperscaler", "rental"):  # the price replaces the selected provider's only
        for column in PRICE_COLUMNS[provider]:
            assert np.array_equal(out[column].to_numpy(), dsr1[column].to_numpy(), equal_nan=True)
    for column in POWER_COLUMNS:
        ratio = out[column].to_numpy()[h200] / dsr1[column].to_numpy()[h200]
        assert np.allclose(ratio, 2.0 if column.startswith("tokmw") else 0.5, rtol=1e-12)  # 0.865 = 1.73 / 2
        assert np.array_equal(out[column].to_numpy()[~h200], dsr1[column].to_numpy()[~h200], equal_nan=True)
    untouched = [c for c in dsr1.columns if c not in POWER_COLUMNS and not c.startswith(("cost_", "tpd_"))]
    assert out[untouched].equals(dsr1[untouched])


@pytest.fixture(scope="module")
def gpu_spec():
    return ComparisonSpec("gpu", "dsr1", "h200", "b200", None, None)


def _cells(result, key):
    row = next(r for r in result.table() if r["key"] == key)
    return [(c["a"]["value"], c["b"]["value"]) for c in row["cells"]]


@pytest.mark.parametrize("provider", ["hyperscaler", "rental"])
def test_doubling_a_price_doubles_exactly_its_cost_cells(provider, dsr1, bundled_dataset, gpu_spec):
    reference = bundled_dataset.reference
    base = compare(gpu_spec, dsr1, "1k1k", ("H200", "B200"), precision="fp8", provider=provider)
    doubled = 2 * reference.gpus["b200"].price[provider]
    priced = apply_prices(dsr1, reference, PriceOverrides(provider, (("b200", doubled),)))
    again = compare(gpu_spec, priced, "1k1k", ("H200", "B200"), precision="fp8", provider=provider)
    assert again.targets == base.targets and again.band == base.band
    for (a0, b0), (a1, b1) in zip(_cells(base, "cost"), _cells(again, "cost")):
        assert b1 == 2 * b0  # exactly: scaling by 2 is exact in binary floating point
        assert a1 == a0  # the other GPU is unchanged
    assert _cells(again, "throughput") == _cells(base, "throughput")
    assert _cells(again, "tokmw") == _cells(base, "tokmw")


def test_halving_kw_doubles_exactly_its_tokmw_cells(dsr1, bundled_dataset, gpu_spec):
    reference = bundled_dataset.reference
    base = compare(gpu_spec, dsr1, "1k1k", ("H200", "B200"), precision="fp8")
    half = reference.gpus["h200"].kw_per_gpu / 2
    priced = apply_prices(dsr1, reference, PriceOverrides(kw=(("h200", half),)))
    again = compare(gpu_spec, priced, "1k1k", ("H200", "B200"), precision="fp8")
    for (a0, b0), (a1, b1) in zip(_cells(base, "tokmw"), _cells(again, "tokmw")):
        assert a1 == 2 * a0 and b1 == b0
    assert _cells(again, "cost") == _cells(base, "cost")


def test_prices_used_names_what_is_in_force(bundled_dataset):
    reference = bundled_dataset.reference
    overrides = PriceOverrides("neocloud", (("b300", 3.1),), (("h200", 1.5),))
    used = prices_used(reference, overrides, ["b300", "h200", "zz9"])
    assert used[0] == {"gpu": "b300", "label": "B300", "provider": "neocloud", "provider_label": "Neocloud",
                       "price": 3.1, "price_text": "$3.10/GPU-hr", "price_custom": True, "default_price": 2.808,
                       "kw": 2.17, "kw_text": "2.17 kW/GPU", "kw_custom": False, "default_kw": 2.17}
    assert used[1]["price"] == 1.74 and not used[1]["price_custom"] and used[1]["kw"] == 1.5 and used[1]["kw_custom"]
    assert used[2]["price"] is None and used[2]["price_text"] == "no price"
    assert prices_sentence(used[:2]) == ("Priced at neocloud rates: B300 $3.10/GPU-hr (custom), 2.17 kW/GPU; "
                                         "H200 $1.74/GPU-hr, 1.50 kW/GPU (custom).")
    assert prices_used(reference, PriceOverrides(), ["b300"])[0]["price_text"] == "$2.34/GPU-hr"
    assert prices_used(reference, PriceOverrides("neocloud"), ["b300"])[0]["price_text"] == "$2.808/GPU-hr"
