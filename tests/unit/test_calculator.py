"""The calculator (SPEC §11): hand-worked cases and the real DeepSeek R1 rows read independently."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from frontier.calculator import (CalculatorParams, calculate, calculator_pairs, resolve_calculator_params)
from frontier.prices import PriceOverrides
from frontier.urlstate import Resolution, parse_query

from . import json_oracle as jo
from . import reference_impl as ref


@pytest.fixture(scope="module")
def latest(bundled_dataset):
    return bundled_dataset.latest


def tiny(points):
    """A points frame with just what the calculator reads (b200, 1k1k, fp8)."""
    frame = pd.DataFrame(points)
    frame["model"], frame["seq"], frame["precision"] = "m", "1k1k", "fp8"
    frame["gpu"] = frame.get("gpu", "b200")
    frame["framework"], frame["spec"] = "sglang", "none"
    frame["cost_total_hyperscaler"] = 1.95 / (frame["tput"] * 3600 / 1e6)
    frame["tokmw"] = frame["tput"] * 1000 / 2.17
    return frame


def test_two_points_by_hand(bundled_dataset):
    # Two frontier points: the reading is the straight segment between them (SPEC §4).
    # At 40 tok/s/user, halfway from x=20 to x=60: throughput (1000 + 200) / 2 = 600,
    # output (500 + 100) / 2 = 300, concurrency (64 + 8) / 2 = 36.
    # 100 users x 40 tok/s/user = 4000 tok/s / 300 per GPU = 13.33 -> 14 GPUs;
    # 14 x $1.95 x 730 h = $19,929 a month; 14 x 2.17 kW = 0.03038 MW.
    frame = tiny({"intvty": [20.0, 60.0], "tput": [1000.0, 200.0], "tput_output": [500.0, 100.0], "conc": [64, 8]})
    result = calculate(frame, bundled_dataset.reference, model="m", seq="1k1k", precision="fp8", target=40, users=100)
    (row,) = result.rows
    assert row.values["throughput"] == pytest.approx(600.0)
    assert row.values["output_throughput"] == pytest.approx(300.0)
    assert row.values["concurrency"] == 36
    assert row.values["gpus_needed"] == 14
    assert row.values["monthly_cost"] == pytest.approx(14 * 1.95 * 730)
    assert row.values["megawatts"] == pytest.approx(14 * 2.17 / 1000)
    assert row.texts == {"throughput": "600.0", "output_throughput": "300.0", "cost": row.texts["cost"],
                         "tokmw": row.texts["tokmw"], "concurrency": "~36", "gpus_needed": "14",
                         "monthly_cost": "$19,929", "megawatts": "0.030"}
    assert not row.clamped and row.read_at == 40


def test_a_whole_quotient_is_not_rounded_up_by_float_noise(bundled_dataset):
    # 30 users x 35 tok/s/user / 350 tok/s/GPU = 3 GPUs exactly (0.1-style binary noise aside)
    frame = tiny({"intvty": [35.0], "tput": [700.0], "tput_output": [350.0], "conc": [16]})
    result = calculate(frame, bundled_dataset.reference, model="m", seq="1k1k", precision="fp8", target=35, users=30)
    assert result.rows[0].values["gpus_needed"] == 3


def test_clamped_reading_is_marked(bundled_dataset):
    frame = tiny({"intvty": [20.0, 60.0], "tput": [1000.0, 200.0], "tput_output": [500.0, 100.0], "conc": [64, 8]})
    result = calculate(frame, bundled_dataset.reference, model="m", seq="1k1k", precision="fp8", target=100, users=10)
    (row,) = result.rows
    assert row.clamped and row.read_at == 60.0 and row.values["throughput"] == 200.0
    # the demand stays 10 users x 100 tok/s/user: 1000 / 100 = 10 GPUs
    assert row.values["gpus_needed"] == 10


@pytest.mark.parametrize("seq, precision, target, users", [("1k1k", "fp8", 35, 1000), ("8k1k", "fp4", 60, 250),
                                                          ("1k8k", "fp8", 20, 12345)])
def test_rows_match_independent_reading(seq, precision, target, users, latest, raw_latest, bundled_dataset):
    result = calculate(latest, bundled_dataset.reference, model="dsr1", seq=seq, precision=precision, target=target,
                       users=users)
    rows = jo.select(raw_latest, seq, precision=precision)
    gpus = {r["hardware"] for r in rows}
    assert {r.gpu for r in result.rows} == gpus
    for row in result.rows:
        points = jo.as_points([r for r in rows if r["hardware"] == row.gpu])
        v, clamped, used, knots = jo.read(points, target)
        assert row.points == len(points) and row.frontier_points == len(knots)
        assert row.values["throughput"] == pytest.approx(v["tput"], rel=1e-9)
        assert row.values["output_throughput"] == pytest.approx(v["out"], rel=1e-9)
        assert row.values["cost"] == pytest.approx(v["cost"], rel=1e-9)
        assert row.values["tokmw"] == pytest.approx(v["tokmw"], rel=1e-9)
        assert row.values["concurrency"] == v["conc"]
        assert row.clamped == clamped and row.read_at == pytest.approx(used)
        n = jo.gpus_needed(users, target, v["out"])
        price, _, _, kw = ref.SPEC_HARDWARE[row.gpu]
        assert row.values["gpus_needed"] == n
        assert row.values["monthly_cost"] == pytest.approx(n * price * 730, rel=1e-12)
        assert row.values["megawatts"] == pytest.approx(n * kw / 1000, rel=1e-12)
        assert row.texts["throughput"] == str(ref.half_up(v["tput"], 1))
        assert row.texts["cost"] == f"${ref.half_up(v['cost'], 3)}"
        assert row.texts["tokmw"] == str(ref.half_up(v["tokmw"], 0))
        assert row.texts["concurrency"] == f"~{int(v['conc'])}"
    tputs = [r.values["throughput"] for r in result.rows]
    assert tputs == sorted(tputs, reverse=True)  # ranked by throughput, highest first


def test_by_series_one_frontier_each(latest, raw_latest, bundled_dataset):
    result = calculate(latest, bundled_dataset.reference, model="dsr1", seq="1k1k", precision="fp4", target=50,
                       by="series")
    rows = jo.select(raw_latest, "1k1k", precision="fp4")
    series = {(r["hardware"], r["framework"], r["spec_method"]) for r in rows}
    assert {r.key for r in result.rows} == series
    for row in result.rows:
        points = jo.as_points([r for r in rows if (r["hardware"], r["framework"], r["spec_method"]) == row.key])
        v, clamped, _, _ = jo.read(points, 50)
        assert row.values["throughput"] == pytest.approx(v["tput"], rel=1e-9) and row.clamped == clamped
    first = result.to_json()["rows"][0]
    assert {"gpu", "framework", "spec"} <= set(first) and "gpus_needed" not in first


def test_sorting_and_maxcost(latest, bundled_dataset):
    reference = bundled_dataset.reference
    kw = dict(model="dsr1", seq="1k1k", precision="fp8", target=35)
    by_cost = calculate(latest, reference, sort="cost", **kw)
    costs = [r.values["cost"] for r in by_cost.rows]
    assert costs == sorted(costs) and by_cost.sort == "cost" and not by_cost.descending
    reverse = calculate(latest, reference, sort="-throughput", **kw)
    assert [r.gpu for r in reverse.rows] == [r.gpu for r in calculate(latest, reference, **kw).rows][::-1]
    by_gpu = calculate(latest, reference, sort="gpu", **kw)
    order = list(reference.gpus)
    assert [r.gpu for r in by_gpu.rows] == sorted((r.gpu for r in by_gpu.rows), key=order.index)
    cutoff = sorted(costs)[3]
    capped = calculate(latest, reference, maxcost=cutoff, **kw)
    assert all(r.values["cost"] <= cutoff for r in capped.rows)
    assert len(capped.rows) == 4 and len(capped.hidden) == len(costs) - 4
    assert capped.hidden_text.startswith(f"{len(costs) - 4} rows above ${ref.half_up(cutoff, 3)}/M tokens")


def test_custom_price_and_provider(latest, bundled_dataset):
    reference = bundled_dataset.reference
    kw = dict(model="dsr1", seq="1k1k", precision="fp8", target=35, users=500)
    base = {r.gpu: r for r in calculate(latest, reference, PriceOverrides("neocloud"), **kw).rows}
    priced = calculate(latest, reference, PriceOverrides("neocloud", (("b200", 4.68),)), **kw)  # 2 x $2.34
    rows = {r.gpu: r for r in priced.rows}
    assert rows["b200"].values["cost"] == base["b200"].values["cost"] * 2
    hyper = {r.gpu: r for r in calculate(latest, reference, **kw).rows}
    assert base["h200"].values["cost"] == pytest.approx(hyper["h200"].values["cost"] * 1.74 / 1.41, rel=1e-12)
    assert rows["b200"].values["monthly_cost"] == pytest.approx(base["b200"].values["gpus_needed"] * 4.68 * 730)
    neo = reference.gpus["h200"].price["neocloud"]
    assert rows["h200"].values["monthly_cost"] == pytest.approx(base["h200"].values["gpus_needed"] * neo * 730)
    used = {u["gpu"]: u for u in priced.prices}
    assert used["b200"]["price_custom"] and not used["h200"]["price_custom"] and used["h200"]["price"] == neo


def test_to_json(latest, bundled_dataset):
    result = calculate(latest, bundled_dataset.reference, model="dsr1", seq="1k1k", precision="fp8", target=35,
                       users=1000)
    data = json.loads(json.dumps(result.to_json()))
    assert data["target"] == 35 and data["users"] == 1000 and data["by"] == "gpu"
    assert len(data["rows"]) == len(result.rows)
    row = data["rows"][0]
    for key in ("throughput", "output_throughput", "cost", "tokmw", "concurrency", "gpus_needed", "monthly_cost",
                "megawatts"):
        assert set(row[key]) == {"value", "text"}
    assert row["gpu"] == result.rows[0].gpu and isinstance(row["clamped"], bool)
    assert [c["key"] for c in data["columns"]][-3:] == ["gpus_needed", "monthly_cost", "megawatts"]


def test_no_data_no_rows(latest, bundled_dataset):
    result = calculate(latest, bundled_dataset.reference, model="dsr1", seq="1k1k", precision="int4")
    assert result.rows == [] and result.to_json()["rows"] == []


# ---- query parameters ------------------------------------------------------------------

def params(search):
    res = Resolution()
    return resolve_calculator_params(parse_query(search), res), res.notices


def test_params_defaults_and_round_trip():
    assert params("") == (CalculatorParams(), [])
    got, notices = params("target=50&users=2000&by=series&maxcost=0.5&sort=-cost")
    assert notices == [] and got == CalculatorParams(50, 2000, "series", 0.5, "-cost")
    assert calculator_pairs(got) == [("target", "50"), ("users", "2000"), ("by", "series"), ("maxcost", "0.5"),
                                     ("sort", "-cost")]
    assert calculator_pairs(CalculatorParams()) == [("target", "35")]


@pytest.mark.parametrize("search", ["target=0", "target=-5", "target=nan", "target=1e9", "target=abc",
                                    "users=0", "users=2.5", "users=1e12", "by=framework", "maxcost=0",
                                    "maxcost=inf", "sort=price", "target=" + "1" * 40])
def test_params_invalid_values_noticed(search):
    got, notices = params(search)
    assert len(notices) == 1
    key = search.split("=")[0]
    assert getattr(got, key) == getattr(CalculatorParams(), key)
    assert math.isfinite(got.target)


def test_a_header_click_asks_for_the_column_best_first_then_reversed():
    from frontier.calculator import next_sort, sort_order

    assert next_sort(*sort_order(None), "cost") == "cost"  # from the default ranking: cheapest first
    assert sort_order("cost") == ("cost", False) and next_sort(*sort_order("cost"), "cost") == "-cost"
    assert next_sort(*sort_order("-cost"), "cost") == "cost"
    assert next_sort(*sort_order(None), "throughput") == "-throughput"  # throughput already ranks, highest first
    assert next_sort(*sort_order("gpu"), "gpu") == "-gpu" and next_sort(*sort_order("-gpu"), "gpu") == "gpu"
