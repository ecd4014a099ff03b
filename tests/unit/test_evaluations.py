"""Accuracy evaluations: loading, intervals, matching and wording, with values from the real file.

em_strict is a share of GSM8K's 1,319 questions answered exactly, so each value below is
k / 1319; the standard errors are copied from the file."""

from __future__ import annotations

import json
import shutil

import pytest

from frontier.compare import compare
from frontier.dataset import build_dataset, discover
from frontier.evaluations import (Accuracy, SideAccuracy, bracketing, interval, load_evaluations, noise_wording,
                                  read_evaluations, recipe_accuracy, recipes_of, side_accuracy, within_noise)
from frontier.kinds import ComparisonSpec

from .conftest import DATA

EVAL_FILE = DATA / "evaluations" / "evaluations_gsm8k.json"


@pytest.fixture(scope="module")
def evals(bundled_dataset):
    return load_evaluations(DATA, bundled_dataset.reference)


@pytest.fixture(scope="module")
def table(evals):
    return recipe_accuracy(evals)


def test_bundled_file_loads_completely(evals, bundled_dataset):
    problems = []
    raw = json.loads(EVAL_FILE.read_text())
    frame = read_evaluations(raw, bundled_dataset.reference, "x", problems)
    assert problems == [] and len(frame) == len(raw) == 531 == len(evals)
    assert (evals["model"] == "dsr1").sum() == 87
    assert set(evals["task"]) == {"gsm8k"}
    assert set(evals["spec"]) == {"mtp", "none"}


def test_benchmark_discovery_skips_the_evaluations_folder(bundled_dataset):
    assert not any("evaluations" in str(p) for p in discover(DATA))
    assert bundled_dataset.problems == []


def test_a_stray_evaluation_file_is_skipped_with_a_warning(make_data_dir):
    folder = make_data_dir({"bench/evals.json": json.loads(EVAL_FILE.read_text())[:5]})
    dataset = build_dataset(folder, fallback_dir=DATA)
    assert len(dataset.points) == 0 and dataset.errors == []
    assert any("evaluation" in p.message and p.severity == "warning" for p in dataset.problems)


def test_data_dir_without_evaluations_falls_back(tmp_path, bundled_dataset):
    assert len(load_evaluations(tmp_path, bundled_dataset.reference)) == 0
    assert len(load_evaluations(tmp_path, bundled_dataset.reference, fallback_dir=DATA)) == 531
    (tmp_path / "evaluations").mkdir()
    shutil.copy(EVAL_FILE, tmp_path / "evaluations" / "mine.json")
    assert len(load_evaluations(tmp_path, bundled_dataset.reference)) == 531


def test_bad_rows_are_reported(bundled_dataset):
    problems = []
    rows = [{"model": "dsr1", "hardware": "b200", "framework": "sglang", "precision": "fp8", "task": "gsm8k",
             "metrics": {"em_strict": 1.5, "em_strict_se": 0.01}},
            {"model": "dsr1", "hardware": "", "framework": "sglang", "precision": "fp8", "task": "gsm8k",
             "metrics": {"em_strict": 0.9, "em_strict_se": 0.01}}, "junk"]
    assert len(read_evaluations(rows, bundled_dataset.reference, "f", problems)) == 0
    assert len(problems) == 3


def test_interval_by_hand():
    # B200 FP8 TRT MTP, 2026-05-18: 1260/1319 = 0.955269, se 0.005693886
    lo, hi = interval(1260 / 1319, 0.0056938861314070445)
    assert lo == pytest.approx(0.955269143 - 0.011160017, abs=1e-9)  # 1.96 x 0.005693886 = 0.011160017
    assert hi == pytest.approx(0.955269143 + 0.011160017, abs=1e-9)


def test_recipe_uses_the_latest_date_and_spans_its_runs(table):
    # B200 FP8 sglang MTP: 2026-05-20 runs 1256/1319 twice; 2026-05-22 runs 1263 and 1261 /1319
    acc = table[("dsr1", "b200", "fp8", "sglang", "mtp")]
    assert acc.date == "2026-05-22" and acc.runs == 2 and acc.all_runs == 4
    assert acc.value == pytest.approx(1262 / 1319, rel=1e-12)
    assert (acc.lowest, acc.highest) == pytest.approx((1261 / 1319, 1263 / 1319), rel=1e-12)
    # the runs' intervals: 1263/1319 ± 1.96 x 0.005553838, 1261/1319 ± 1.96 x 0.005647666
    assert acc.lo == pytest.approx(1261 / 1319 - 1.96 * 0.005647666449126463, rel=1e-12)
    assert acc.hi == pytest.approx(1263 / 1319 + 1.96 * 0.005553837749990045, rel=1e-12)
    assert acc.text == "95.7% (95% interval 94.5–96.8%)"


def test_disagreeing_runs_widen_the_interval(table):
    # Qwen 3.5 H100 FP8 sglang, 2026-06-04: 1273/1319 at conc 64 but 1154/1319 at conc 256
    acc = table[("qwen3.5", "h100", "fp8", "sglang", "none")]
    run64 = interval(1273 / 1319, 0.0050534807650222365)
    run256 = interval(1154 / 1319, 0.00911260143984962)
    assert within_noise(run64, run256) is False  # the two runs disagree beyond noise
    assert acc.interval == pytest.approx((run256[0], run64[1]), rel=1e-12)


def test_within_noise_and_wording(evals, table):
    # DeepSeek R1 on MI355X, mori-sglang: FP4 MTP (2026-05-31: 1235 and 1252 /1319) against FP8 Off
    # (2026-05-28: 1273 and 1265 /1319). Means 94.3% and 96.2%, but the intervals overlap.
    fp4 = table[("dsr1", "mi355x", "fp4", "mori-sglang", "mtp")]
    fp8 = table[("dsr1", "mi355x", "fp8", "mori-sglang", "none")]
    assert fp4.lo == pytest.approx(1235 / 1319 - 1.96 * 0.0067262130788057215, rel=1e-12)
    assert fp8.hi == pytest.approx(1273 / 1319 + 1.96 * 0.005053480765022228, rel=1e-12)
    assert fp4.hi == pytest.approx(1252 / 1319 + 1.96 * 0.006048352096878106, rel=1e-12)  # 0.961092
    assert fp8.lo == pytest.approx(1265 / 1319 - 1.96 * 0.005458076796294361, rel=1e-12)  # 0.948362
    assert within_noise(fp4, fp8)
    a, b = SideAccuracy("FP4", [fp4]), SideAccuracy("FP8", [fp8])
    assert noise_wording(a, b) == ("GSM8K accuracy (strict match, 95% interval): FP4 94.3% (95% interval "
                                   "92.3–96.1%), FP8 96.2% (95% interval 94.8–97.5%): within noise of each other.")
    # no two DeepSeek recipes differ beyond noise; the two Qwen H100 runs above do
    dsr1 = [acc for recipe, acc in table.items() if recipe[0] == "dsr1"]
    assert len(dsr1) > 20 and all(within_noise(x, y) for x in dsr1 for y in dsr1)
    single = recipe_accuracy(evals[(evals["model"] == "qwen3.5") & (evals["gpu"] == "h100")
                                   & (evals["conc"] == 256)])
    other = recipe_accuracy(evals[(evals["model"] == "qwen3.5") & (evals["gpu"] == "h100") & (evals["conc"] == 64)
                                  & (evals["date"] == "2026-06-04")])
    low = SideAccuracy("conc 256", [single[("qwen3.5", "h100", "fp8", "sglang", "none")]])
    high = SideAccuracy("conc 64", [other[("qwen3.5", "h100", "fp8", "sglang", "none")]])
    assert noise_wording(low, high).endswith("not within noise (conc 64 scores higher).")
    assert noise_wording(SideAccuracy("A"), high).endswith("no GSM8K evaluation for A.")
    assert noise_wording(SideAccuracy("A"), SideAccuracy("B")) == "No GSM8K evaluation for A or B."
    assert within_noise(SideAccuracy("A"), high) is None


def test_matching_a_comparison_side(bundled_dataset, evals, table):
    latest = bundled_dataset.latest
    spec = ComparisonSpec("spec-decode", "dsr1", "b200", "b200", "fp8", "fp8")
    result = compare(spec, latest[latest["model"].astype(str) == "dsr1"], "1k1k", ("MTP", "Off"))
    mtp = side_accuracy(evals, result.a.frontier, "MTP", table=table)
    # recipes of the MTP frontier: every one is B200 FP8 MTP; those InferenceX evaluated are found
    recipes = recipes_of(result.a.frontier)
    assert recipes and all(r[1:3] == ("b200", "fp8") and r[4] == "mtp" for r in recipes)
    assert [a.recipe for a in mtp.found] == [r for r in recipes if r in table]
    assert mtp.missing == [r for r in recipes if r not in table]
    assert ("dsr1", "b200", "fp8", "trt", "mtp") in [a.recipe for a in mtp.found]
    assert mtp.missing_text.startswith("no evaluation for dynamo-")
    # at a target: only the knots the value is read between
    for t in result.targets:
        knots = bracketing(result.a.frontier, t)
        x = result.a.frontier["intvty"].tolist()
        assert 1 <= len(knots) <= 2
        if len(knots) == 2:
            assert knots["intvty"].iloc[0] <= t <= knots["intvty"].iloc[1]
            assert x.index(knots["intvty"].iloc[0]) + 1 == x.index(knots["intvty"].iloc[1])


def test_bracketing_edges(bundled_dataset):
    import pandas as pd

    front = pd.DataFrame({"intvty": [10.0, 20.0, 30.0]})
    assert bracketing(front, 5)["intvty"].tolist() == [10.0]
    assert bracketing(front, 35)["intvty"].tolist() == [30.0]
    assert bracketing(front, 20)["intvty"].tolist() == [20.0]
    assert bracketing(front, 25)["intvty"].tolist() == [20.0, 30.0]


def test_to_json(table):
    acc = table[("dsr1", "b200", "fp8", "trt", "mtp")]
    data = SideAccuracy("MTP", [acc], [("dsr1", "b200", "fp8", "dynamo-trt", "mtp")]).to_json()
    assert data["found"][0]["framework"] == "trt" and data["missing"][0]["framework"] == "dynamo-trt"
    assert data["envelope"] == {"lo": acc.lo, "hi": acc.hi}
    assert isinstance(acc, Accuracy) and json.dumps(data)
