"""Comparisons (SPEC §5) and the seed acceptance table (SPEC §7)."""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
import pytest

from .conftest import BENCH, DATA
from frontier.compare import (
    ComparisonError,
    band,
    compare,
    default_gpu_precision,
    default_targets,
    position_in_band,
    ratio_statement,
)
from frontier.kinds import ComparisonSpec, available_comparisons, parse_slug
from frontier.dataset import build_dataset

from . import reference_impl as ref

SEED_SPEC = ComparisonSpec("spec-decode", "qwen3.5", "b300", "b300", "fp4", "fp4")

# SPEC §7, verbatim: row -> [(MTP, Off) at 93, 124, 154]
SEED_TABLE = {
    "throughput": [("4729.0", "1583.6"), ("3193.8", "966.3"), ("2157.6", "614.2")],
    "cost": [("$0.137", "$0.414"), ("$0.205", "$0.673"), ("$0.301", "$1.055")],
    "tokmw": [("2179271", "729785"), ("1471810", "445283"), ("994302", "283034")],
    "concurrency": [("~64", "~37"), ("~63", "~16"), ("~16", "~8")],
}
SEED_TARGETS = [93, 124, 154]
# fixture README, "values the method gives for this file, before rounding"
SEED_UNROUNDED = {
    "throughput": ([4729.01807, 3193.82770, 2157.63534], [1583.63345, 966.26413, 614.18378]),
    "cost": ([0.137100, 0.204700, 0.301285], [0.414000, 0.673003, 1.055250]),
}
SEED_CONC_UNROUNDED = ([64.0000, 63.1479, 16.0000], [36.9706, 16.1406, 8.2229])
SEED_RATIOS = {"cost": [3.01969, 3.28775, 3.50250], "throughput": [2.98618, 3.30534, 3.51301]}
SEED_PERCENTS = [(202, 199), (229, 231), (250, 251)]


@pytest.fixture(scope="module")
def seed_dataset():
    return build_dataset(BENCH / "qwen35-b300-fp4-1k1k", fallback_dir=DATA)


@pytest.fixture(scope="module")
def seed_result(seed_dataset):
    return compare(SEED_SPEC, seed_dataset.latest, "1k1k", ("MTP", "Off"))


def table_cells(result):
    """row key -> list of (a text, b text) per target."""
    return {row["key"]: [(c["a"]["text"], c["b"]["text"]) for c in row["cells"]] for row in result.table()}


# ------------------------------------------------------------------ SPEC §7 acceptance

def test_seed_fixture_loads_cleanly(seed_dataset):
    assert len(seed_dataset.points) == 27
    assert seed_dataset.errors == []


def test_seed_band_and_targets(seed_result):
    assert seed_result.band_text == "63–184"
    assert seed_result.band[0] == pytest.approx(62.78712593, abs=1e-8)  # MTP min interactivity
    assert seed_result.band[1] == pytest.approx(184.61476208, abs=1e-8)  # Off max interactivity
    assert seed_result.targets == SEED_TARGETS


@pytest.mark.parametrize("row", list(SEED_TABLE))
@pytest.mark.parametrize("col", range(3))
@pytest.mark.parametrize("side", ["a", "b"])
def test_seed_table_cell(seed_result, row, col, side):
    expected = SEED_TABLE[row][col][0 if side == "a" else 1]
    table = {r["key"]: r for r in seed_result.table()}
    cell = table[row]["cells"][col]
    assert cell["target"] == SEED_TARGETS[col]
    assert cell[side]["text"] == expected
    assert cell[side]["clamped"] is False


def test_seed_table_row_labels(seed_result):
    labels = [(row["key"], row["label"]) for row in seed_result.table()]
    assert labels == [("throughput", "Throughput"), ("cost", "Cost"), ("tokmw", "tok/s/MW"),
                      ("concurrency", "Concurrency")]
    assert (seed_result.a.label, seed_result.b.label) == ("MTP", "Off")


def test_seed_unrounded_values(seed_result):
    for key, (mtp, off) in SEED_UNROUNDED.items():
        for i, t in enumerate(SEED_TARGETS):
            assert seed_result.a.values[t][key].value == pytest.approx(mtp[i], rel=1e-4)
            assert seed_result.b.values[t][key].value == pytest.approx(off[i], rel=1e-4)


def test_seed_concurrency_before_rounding(seed_dataset):
    # read_side rounds concurrency, so re-read the frontier's concurrency spline directly
    from frontier.compare import side_frontier
    from frontier.interpolate import interpolate

    pts = seed_dataset.latest
    for spec, expected in (("mtp", SEED_CONC_UNROUNDED[0]), ("none", SEED_CONC_UNROUNDED[1])):
        front = side_frontier(pts[pts["spec"] == spec])
        for t, e in zip(SEED_TARGETS, expected):
            got = interpolate(front["intvty"].to_numpy(), front["conc"].to_numpy(dtype=float), t).value
            assert got == pytest.approx(e, rel=1e-4)


def test_seed_ratios_and_percentages(seed_result):
    for i, t in enumerate(SEED_TARGETS):
        verdict = seed_result.verdicts[t]
        assert verdict["cost"]["winner"] == "MTP"
        assert verdict["throughput"]["winner"] == "MTP"
        assert verdict["cost"]["ratio"] == pytest.approx(SEED_RATIOS["cost"][i], rel=1e-5)
        assert verdict["throughput"]["ratio"] == pytest.approx(SEED_RATIOS["throughput"][i], rel=1e-5)
        assert (verdict["cost"]["percent"], verdict["throughput"]["percent"]) == SEED_PERCENTS[i]
        assert not verdict["cost"]["tied"] and not verdict["throughput"]["tied"]


def test_seed_narrative(seed_result):
    paragraphs = seed_result.narrative("Qwen 3.5 397B-A17B", "B300 FP4")
    assert len(paragraphs) == 3
    texts = [
        ("lower third", "4729", "$0.14", "1584", "$0.41"),
        ("middle", "3194", "$0.20", "966", "$0.67"),
        ("upper third", "2158", "$0.30", "614", "$1.06"),
    ]
    for paragraph, (cost_pct, tput_pct), (where, tm, cm, to, co) in zip(paragraphs, SEED_PERCENTS, texts):
        assert f"Off costs {cost_pct}% more per token than MTP" in paragraph
        assert f"MTP delivers {tput_pct}% more tok/s/GPU than Off" in paragraph
        assert "% cheaper" not in paragraph  # nothing is more than 100% cheaper (SPEC §5)
        ratio = SEED_RATIOS["cost"][paragraphs.index(paragraph)]
        assert f"(MTP is {ratio:.1f}× cheaper)" in paragraph
        assert "Off is" not in paragraph and "Off delivers " + str(tput_pct) not in paragraph
        assert f"{where} of the 63–184" in paragraph
        for number in (tm, cm, to, co):
            assert number in paragraph
        assert "essentially" not in paragraph
    assert "upper third" not in paragraphs[0] and "lower third" not in paragraphs[2]


def test_seed_also_from_the_whole_bundled_data(bundled_dataset, seed_result):
    whole = compare(SEED_SPEC, bundled_dataset.latest, "1k1k", ("MTP", "Off"))
    assert table_cells(whole) == table_cells(seed_result)
    assert whole.band == seed_result.band


def test_seed_table_from_independent_reimplementation(seed_records, seed_result):
    """The method of SPEC §3-§5 written out in the test gives the published texts, and the
    product's own table agrees with it cell by cell, unrounded and as shown."""
    sides = {s: [{"x": r["median_intvty"], "tput": r["tput_per_gpu"], "conc": r["conc"]}
                 for r in seed_records if r["spec_decoding"] == s] for s in ("mtp", "none")}
    lo, hi = ref.band([p["x"] for p in sides["mtp"]], [p["x"] for p in sides["none"]])
    assert (math.ceil(lo), math.floor(hi)) == (63, 184)
    targets = ref.targets(lo, hi)
    assert targets == SEED_TARGETS
    price, _, _, kw = ref.SPEC_HARDWARE["b300"]
    fmt = {
        "throughput": lambda v: str(ref.half_up(v, 1)),
        "cost": lambda v: "$" + str(ref.half_up(v, 3)),
        "tokmw": lambda v: str(ref.half_up(v, 0)),
        "concurrency": lambda v: "~" + str(ref.half_up(v, 0)),
    }
    for col, t in enumerate(targets):
        a, _ = ref.side_values(sides["mtp"], t, price, kw)
        b, _ = ref.side_values(sides["none"], t, price, kw)
        for row, f in fmt.items():
            assert (f(a[row]), f(b[row])) == SEED_TABLE[row][col]
        product = {r["key"]: r["cells"][col] for r in seed_result.table()}
        assert seed_result.targets[col] == t
        for row, f in fmt.items():
            for side, oracle in (("a", a), ("b", b)):
                cell = product[row][side]
                assert cell["value"] == pytest.approx(oracle[row], rel=1e-9), (row, side, t)
                assert cell["text"] == f(oracle[row]), (row, side, t)
        assert ref.half_up_int((b["cost"] / a["cost"] - 1) * 100) == SEED_PERCENTS[col][0]
        assert ref.half_up_int((a["throughput"] / b["throughput"] - 1) * 100) == SEED_PERCENTS[col][1]


def test_seed_frontier_sizes(seed_result):
    # fixture README: 15 MTP points, 9 on the frontier; 12 Off points, 6 on it
    assert (len(seed_result.a.points), len(seed_result.a.frontier)) == (15, 9)
    assert (len(seed_result.b.points), len(seed_result.b.frontier)) == (12, 6)


def test_seed_json_api_shape(seed_result):
    data = seed_result.to_json("Qwen 3.5 397B-A17B", "B300 FP4")
    assert data["slug"] == "qwen3.5-b300-fp4-mtp-vs-off"
    assert data["band"]["text"] == "63–184"
    assert data["targets"] == SEED_TARGETS
    cost = next(r for r in data["table"] if r["key"] == "cost")
    assert cost["cells"][0]["a"]["text"] == "$0.137"
    assert cost["cells"][0]["a"]["value"] == pytest.approx(0.1371, rel=1e-4)


# ------------------------------------------------------------------ band and targets

def test_band_overlap():
    assert band([1, 5, 3], [3, 8]) == (3, 5)
    assert band([10, 20], [12, 15]) == (12, 15)


def test_band_union_when_no_overlap():
    assert band([1, 2], [3, 4]) == (1, 4)
    assert band([30, 40], [1, 5]) == (1, 40)
    # touching ranges have no width of overlap: union as well
    assert band([1, 3], [3, 5]) == (1, 5)


def test_band_single_value():
    assert band([7.0], [7.0]) == (7.0, 7.0)
    assert default_targets(7.0, 7.0) == [7]
    assert default_targets(7.5, 7.5) == [8]  # half up


def test_targets_round_half_up():
    # lo=62, hi=184: 62 + 0.25*122 = 92.5 -> 93 (Python's round would give 92); 123; 153.5 -> 154
    assert round(92.5) == 92
    assert default_targets(62, 184) == [93, 123, 154]
    assert default_targets(0, 10) == [3, 5, 8]  # 2.5 -> 3, 5, 7.5 -> 8
    assert default_targets(62.78712593, 184.61476208) == [93, 124, 154]


def test_position_in_band():
    assert position_in_band(10, 0, 90) == "lower third"
    assert position_in_band(45, 0, 90) == "middle"
    assert position_in_band(80, 0, 90) == "upper third"
    assert position_in_band(93, 62.787, 184.615) == "lower third"
    assert position_in_band(124, 62.787, 184.615) == "middle"
    assert position_in_band(154, 62.787, 184.615) == "upper third"
    assert position_in_band(5, 5, 5) == "middle"


def test_ratio_statement_tie_rule():
    tie = ratio_statement("A", 1.0, "B", 1.0099, lower_is_better=True)
    assert tie["tied"] and tie["winner"] is None and tie["percent"] is None
    equal = ratio_statement("A", 3.0, "B", 3.0, lower_is_better=False)
    assert equal["tied"]
    just = ratio_statement("A", 1.0, "B", 1.0101, lower_is_better=True)
    assert not just["tied"] and just["winner"] == "A" and just["percent"] == 1
    more = ratio_statement("A", 200.0, "B", 100.0, lower_is_better=False)
    assert more["winner"] == "A" and more["percent"] == 100
    cheaper = ratio_statement("A", 0.3, "B", 0.1, lower_is_better=True)
    assert cheaper["winner"] == "B" and cheaper["loser"] == "A" and cheaper["percent"] == 200
    # N = round((max/min - 1) x 100), halves up: 1.125 -> 12.5 -> 13
    assert ratio_statement("A", 1.125, "B", 1.0, lower_is_better=False)["percent"] == 13
    assert ratio_statement("A", float("nan"), "B", 1.0, lower_is_better=False)["winner"] is None


def synthetic(rows):
    """Points frame with the columns compare() reads; rows: (side spec, x, tput, conc)."""
    price, _, _, kw = ref.SPEC_HARDWARE["b300"]
    frame = pd.DataFrame(rows, columns=["spec", "intvty", "tput", "conc"])
    frame["model"] = "m"
    frame["gpu"] = "b300"
    frame["precision"] = "fp4"
    frame["seq"] = "1k1k"
    for provider, p in zip(("hyperscaler", "neocloud", "rental"), ref.SPEC_HARDWARE["b300"][:3]):
        frame[f"cost_total_{provider}"] = [ref.cost(p, t) for t in frame["tput"]]
    frame["tokmw"] = frame["tput"] * 1000 / kw
    return frame


SYN_SPEC = ComparisonSpec("spec-decode", "m", "b300", "b300", "fp4", "fp4")


def test_compare_band_uses_all_points_not_only_frontier():
    # MTP's lowest-x point (x=10) is below its frontier ((20, 500) dominates it)
    pts = synthetic([("mtp", 10, 100, 64), ("mtp", 20, 500, 32), ("mtp", 60, 100, 4),
                     ("none", 15, 300, 64), ("none", 50, 80, 8)])
    r = compare(SYN_SPEC, pts, "1k1k", ("MTP", "Off"))
    assert r.band == (15, 50)
    assert r.targets == [24, 33, 41]  # 23.75 -> 24, 32.5 -> 33, 41.25 -> 41
    assert len(r.a.frontier) == 2


def test_compare_union_band_and_clamping():
    pts = synthetic([("mtp", 10, 400, 64), ("mtp", 20, 300, 16), ("none", 30, 200, 64), ("none", 40, 100, 8)])
    r = compare(SYN_SPEC, pts, "1k1k", ("MTP", "Off"))
    assert r.band == (10, 40)
    assert r.targets == [18, 25, 33]  # 17.5 -> 18, 25, 32.5 -> 33
    # MTP's frontier stops at 20: the 25 and 33 columns are held at its edge and say so
    assert r.a.values[25]["throughput"].clamped and r.a.values[25]["throughput"].value == pytest.approx(300)
    assert not r.a.values[18]["throughput"].clamped
    assert r.b.values[18]["throughput"].clamped and r.b.values[18]["throughput"].value == pytest.approx(200)
    text = r.narrative("M", "B300")[1]
    assert "held at the nearest edge" in text


def test_compare_single_target_when_band_is_a_point():
    pts = synthetic([("mtp", 42, 400, 8), ("none", 42, 100, 8)])
    r = compare(SYN_SPEC, pts, "1k1k", ("MTP", "Off"))
    assert r.band == (42, 42)
    assert r.targets == [42]
    assert r.band_text == "42–42"
    assert r.a.values[42]["throughput"].value == 400


def test_compare_tie_narrative():
    pts = synthetic([("mtp", 10, 400, 8), ("mtp", 30, 200, 4), ("none", 10, 401, 8), ("none", 30, 200.5, 4)])
    r = compare(SYN_SPEC, pts, "1k1k", ("MTP", "Off"))
    for t in r.targets:
        assert r.verdicts[t]["cost"]["tied"] and r.verdicts[t]["throughput"]["tied"]
    text = r.narrative("M", "B300")[0]
    assert "essentially the same" in text
    assert "% cheaper" not in text and "% more" not in text


def test_compare_explicit_targets_and_provider():
    pts = synthetic([("mtp", 10, 400, 8), ("mtp", 30, 200, 4), ("none", 10, 300, 8), ("none", 30, 100, 4)])
    r = compare(SYN_SPEC, pts, "1k1k", ("MTP", "Off"), targets=[20], provider="rental")
    assert r.targets == [20]
    # two knots: linear, so 300 tok/s at x = 20; cost splined from the per-point rental costs
    assert r.a.values[20]["throughput"].value == pytest.approx(300)
    expected = (ref.cost(3.48, 400) + ref.cost(3.48, 200)) / 2
    assert r.a.values[20]["cost"].value == pytest.approx(expected)
    assert r.a.values[20]["cost"].value != pytest.approx(ref.cost(3.48, 300))  # not recomputed
    with pytest.raises(ComparisonError):
        compare(SYN_SPEC, pts, "1k1k", ("MTP", "Off"), provider="cheapest")


def test_compare_errors_when_a_side_is_empty(bundled_dataset):
    spec = ComparisonSpec("spec-decode", "dsr1", "mi300x", "mi300x", "fp8", "fp8")  # no MTP runs on MI300X
    with pytest.raises(ComparisonError):
        compare(spec, bundled_dataset.latest, "1k1k", ("MTP", "Off"))
    with pytest.raises(ComparisonError):
        compare(SEED_SPEC, bundled_dataset.latest, "8k1k", ("MTP", "Off"))


# ------------------------------------------------------------------ slugs

MODELS = ["dsr1", "qwen3.5", "glm5", "glm5.1", "kimik2.5"]
GPUS = ["b200", "gb200", "b300", "gb300", "h200", "mi355x"]
PRECISIONS = ["fp4", "fp8"]


def test_parse_spec_decode_slug():
    spec = parse_slug("spec-decode", "qwen3.5-b300-fp4-mtp-vs-off", MODELS, GPUS, PRECISIONS)
    assert spec == SEED_SPEC
    assert spec.slug == "qwen3.5-b300-fp4-mtp-vs-off"
    assert spec.path == "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off"
    assert parse_slug("spec-decode", "GLM5.1-GB200-FP8-MTP-VS-OFF", MODELS, GPUS, PRECISIONS) == ComparisonSpec(
        "spec-decode", "glm5.1", "gb200", "gb200", "fp8", "fp8")


def test_parse_gpu_slug():
    spec = parse_slug("gpu", "dsr1-h200-vs-b200", MODELS, GPUS, PRECISIONS)
    assert spec == ComparisonSpec("gpu", "dsr1", "h200", "b200", None, None)
    assert spec.slug == "dsr1-h200-vs-b200"
    assert spec.path == "/compare/dsr1-h200-vs-b200"
    assert parse_slug("gpu", "glm5-b200-vs-gb200", MODELS, GPUS, PRECISIONS).gpu_b == "gb200"


def test_parse_precision_slug():
    spec = parse_slug("precision", "dsr1-b200-fp4-vs-fp8", MODELS, GPUS, PRECISIONS)
    assert spec == ComparisonSpec("precision", "dsr1", "b200", "b200", "fp4", "fp8")
    assert spec.slug == "dsr1-b200-fp4-vs-fp8"
    assert spec.path == "/compare-precision/dsr1-b200-fp4-vs-fp8"


@pytest.mark.parametrize(
    "kind, slug",
    [
        ("spec-decode", "llama9-b300-fp4-mtp-vs-off"),  # unknown model
        ("spec-decode", "dsr1-x999-fp4-mtp-vs-off"),  # unknown gpu
        ("spec-decode", "dsr1-b300-fp2-mtp-vs-off"),  # unknown precision
        ("spec-decode", "dsr1-b300-fp4-eagle-vs-off"),  # wrong suffix
        ("spec-decode", "dsr1-b300-fp4-extra-mtp-vs-off"),
        ("gpu", "dsr1-h200-vs-x999"),
        ("gpu", "dsr1-h200-vs-h200"),  # a gpu against itself
        ("gpu", "dsr1-h200-b200"),
        ("gpu", "nope-h200-vs-b200"),
        ("precision", "dsr1-b200-fp4-vs-fp16"),
        ("precision", "dsr1-b200-fp4-vs-fp4"),
        ("precision", "dsr1-zz9-fp4-vs-fp8"),
        ("unknown-kind", "dsr1-b200-fp4-vs-fp8"),
        ("gpu", ""),
    ],
)
def test_parse_slug_rejects(kind, slug):
    assert parse_slug(kind, slug, MODELS, GPUS, PRECISIONS) is None


# ------------------------------------------------------------------ DeepSeek R1, computed independently

API_FIELDS = ["hardware", "framework", "model", "precision", "spec_method", "disagg", "is_multinode", "prefill_tp",
              "prefill_ep", "prefill_dp_attention", "prefill_num_workers", "decode_tp", "decode_ep",
              "decode_dp_attention", "decode_num_workers", "num_prefill_gpu", "num_decode_gpu", "isl", "osl", "conc"]


@pytest.fixture(scope="module")
def dsr1_latest_rows(api_history_rows, api_latest_rows):
    """The newest measurement per (configuration, sequence, concurrency), from the raw JSON."""
    newest = {}
    for r in api_history_rows + api_latest_rows:
        key = tuple(r[f] for f in API_FIELDS)
        if key not in newest or r["date"] > newest[key]["date"]:
            newest[key] = r
    return list(newest.values())


def side_from_json(rows, **filters):
    chosen = [r for r in rows if r["isl"] == 1024 and r["osl"] == 1024 and all(r[k] == v for k, v in filters.items())]
    return [{"x": r["metrics"]["median_intvty"], "tput": r["metrics"]["tput_per_gpu"], "conc": r["conc"]}
            for r in chosen]


def check_against_reference(result, side_a, side_b, gpu_a, gpu_b):
    assert len(result.a.points) == len(side_a) and len(result.b.points) == len(side_b)
    lo, hi = ref.band([p["x"] for p in side_a], [p["x"] for p in side_b])
    assert result.band == (lo, hi)
    expected_targets = ref.targets(lo, hi)
    assert result.targets == expected_targets
    for side, points, gpu in ((result.a, side_a, gpu_a), (result.b, side_b, gpu_b)):
        price, _, _, kw = ref.SPEC_HARDWARE[gpu]
        for t in expected_targets:
            expected, knots = ref.side_values(points, t, price, kw)
            got = side.values[t]
            assert len(side.frontier) == len(knots)
            assert got["throughput"].value == pytest.approx(expected["throughput"], rel=1e-9)
            assert got["cost"].value == pytest.approx(expected["cost"], rel=1e-9)
            assert got["tokmw"].value == pytest.approx(expected["tokmw"], rel=1e-9)
            assert got["concurrency"].value == expected["concurrency"]
            table = {row["key"]: row for row in result.table()}
            col = expected_targets.index(t)
            assert table["throughput"]["cells"][col][side.key]["text"] == str(ref.half_up(expected["throughput"], 1))
    return expected_targets


def test_dsr1_spec_decode_b200_fp4(bundled_dataset, dsr1_latest_rows):
    mtp = side_from_json(dsr1_latest_rows, hardware="b200", precision="fp4", spec_method="mtp")
    off = side_from_json(dsr1_latest_rows, hardware="b200", precision="fp4", spec_method="none")
    assert len(mtp) >= 3 and len(off) >= 3
    spec = parse_slug("spec-decode", "dsr1-b200-fp4-mtp-vs-off", ["dsr1"], ["b200"], ["fp4"])
    result = compare(spec, bundled_dataset.latest, "1k1k", ("MTP", "Off"))
    targets = check_against_reference(result, mtp, off, "b200", "b200")
    assert len(targets) == 3


def test_dsr1_gpu_h200_vs_b200_fp8(bundled_dataset, dsr1_latest_rows):
    h200 = side_from_json(dsr1_latest_rows, hardware="h200", precision="fp8")
    b200 = side_from_json(dsr1_latest_rows, hardware="b200", precision="fp8")
    spec = parse_slug("gpu", "dsr1-h200-vs-b200", ["dsr1"], ["h200", "b200"], ["fp8"])
    result = compare(spec, bundled_dataset.latest, "1k1k", ("H200", "B200"), precision="fp8")
    assert result.precision == "fp8"
    check_against_reference(result, h200, b200, "h200", "b200")
    # both spec methods are pooled on each side
    assert set(result.a.points["spec"].astype(str)) == {"mtp", "none"}


def test_dsr1_precision_b200_fp4_vs_fp8(bundled_dataset, dsr1_latest_rows):
    fp4 = side_from_json(dsr1_latest_rows, hardware="b200", precision="fp4")
    fp8 = side_from_json(dsr1_latest_rows, hardware="b200", precision="fp8")
    spec = parse_slug("precision", "dsr1-b200-fp4-vs-fp8", ["dsr1"], ["b200"], ["fp4", "fp8"])
    result = compare(spec, bundled_dataset.latest, "1k1k", ("FP4", "FP8"))
    check_against_reference(result, fp4, fp8, "b200", "b200")
    # frameworks and deployment modes are pooled
    assert result.a.points["deployment"].astype(str).nunique() >= 2


def test_default_gpu_precision(bundled_dataset, dsr1_latest_rows):
    spec = ComparisonSpec("gpu", "dsr1", "b200", "gb200", None, None)
    pts = bundled_dataset.latest[bundled_dataset.latest["model"] == "dsr1"]
    counts = {}
    for r in dsr1_latest_rows:
        if r["isl"] == 1024 and r["osl"] == 1024 and r["hardware"] in ("b200", "gb200"):
            counts.setdefault(r["precision"], set()).add(r["hardware"])
    shared = [p for p, g in counts.items() if g == {"b200", "gb200"}]
    totals = {p: sum(1 for r in dsr1_latest_rows if r["isl"] == 1024 and r["osl"] == 1024
                     and r["hardware"] in ("b200", "gb200") and r["precision"] == p) for p in shared}
    assert default_gpu_precision(pts, spec, "1k1k") == max(sorted(totals), key=totals.get)
    assert default_gpu_precision(pts, ComparisonSpec("gpu", "dsr1", "h200", "mi355x", None, None), "1k1k") == "fp8"


# ------------------------------------------------------------------ available comparisons

def test_available_comparisons(bundled_dataset):
    latest = bundled_dataset.latest
    found = available_comparisons(latest, list(bundled_dataset.reference.gpus))
    specs = [a.spec for a in found]
    assert len(specs) == len(set(specs))
    seed = [a for a in found if a.spec == SEED_SPEC]
    assert len(seed) == 1 and seed[0].seqs == ("1k1k",)

    cells = set(latest[["model", "gpu", "precision", "spec", "seq"]].astype(str).itertuples(index=False, name=None))

    @functools.lru_cache(maxsize=None)
    def has(model, gpu, precision=None, spec=None, seq=None):
        return any(c[0] == model and c[1] == gpu and precision in (None, c[2]) and spec in (None, c[3])
                   and seq in (None, c[4]) for c in cells)

    # every listed comparison has data on both sides at every listed sequence
    for a in found:
        s = a.spec
        for seq in a.seqs:
            if s.kind == "spec-decode":
                assert has(s.model, s.gpu_a, s.precision_a, "mtp", seq) and has(s.model, s.gpu_a, s.precision_a, "none", seq)
            elif s.kind == "precision":
                assert has(s.model, s.gpu_a, s.precision_a, None, seq) and has(s.model, s.gpu_a, s.precision_b, None, seq)
            else:
                assert any(has(s.model, s.gpu_a, p, None, seq) and has(s.model, s.gpu_b, p, None, seq) for p in a.precisions)
                labels = (s.gpu_a.upper(), s.gpu_b.upper())
                p = next(p for p in a.precisions if has(s.model, s.gpu_a, p, None, seq) and has(s.model, s.gpu_b, p, None, seq))
                if seq == a.seqs[0] and s.gpu_a in ("b200", "h100"):  # a sample: compare() is not free
                    compare(s, latest, seq, labels, precision=p)  # does not raise

    # and every spec-decode / precision pair the data supports is listed
    models = {c[0] for c in cells}
    seqs = {c[4] for c in cells}
    expected_spec, expected_prec = set(), set()
    for m in models:
        gpus = {c[1] for c in cells if c[0] == m}
        precs = sorted({c[2] for c in cells if c[0] == m})
        for g in gpus:
            for p in precs:
                if any(has(m, g, p, "mtp", q) and has(m, g, p, "none", q) for q in seqs):
                    expected_spec.add((m, g, p))
            for i, p1 in enumerate(precs):
                for p2 in precs[i + 1:]:
                    if any(has(m, g, p1, None, q) and has(m, g, p2, None, q) for q in seqs):
                        expected_prec.add((m, g, p1, p2))
    expected_gpu = set()
    for m in models:
        gpus = sorted({c[1] for c in cells if c[0] == m})
        precs = {c[2] for c in cells if c[0] == m}
        for i, g1 in enumerate(gpus):
            for g2 in gpus[i + 1:]:
                if any(has(m, g1, p, None, q) and has(m, g2, p, None, q) for p in precs for q in seqs):
                    expected_gpu.add((m, frozenset((g1, g2))))
    assert {(s.model, frozenset((s.gpu_a, s.gpu_b))) for s in specs if s.kind == "gpu"} == expected_gpu
    assert {(s.model, s.gpu_a, s.precision_a) for s in specs if s.kind == "spec-decode"} == expected_spec
    assert {(s.model, s.gpu_a, s.precision_a, s.precision_b) for s in specs if s.kind == "precision"} == expected_prec
    # data-less combinations are absent: MI300X has no MTP runs, H200 runs only fp8
    assert not any(s.kind == "spec-decode" and s.gpu_a == "mi300x" for s in specs)
    assert not any(s.kind == "precision" and s.gpu_a == "h200" for s in specs)
    assert not any(s.model == "qwen3.5" and s.kind != "spec-decode" for s in specs)


def test_available_comparisons_only_where_both_sides_have_data():
    pts = synthetic([("mtp", 10, 400, 8), ("none", 10, 300, 8)])
    extra = synthetic([("none", 12, 100, 8)]).assign(gpu="h200", precision="fp8")
    found = available_comparisons(pd.concat([pts, extra], ignore_index=True))
    assert [a.spec for a in found] == [SYN_SPEC]
    only_off = synthetic([("none", 10, 300, 8), ("none", 20, 200, 4)])
    assert available_comparisons(only_off) == []


def test_spec_decode_side_pools_frameworks(seed_result):
    assert set(seed_result.a.points["framework"].astype(str)) == {"trt", "sglang"}
    assert set(seed_result.b.points["framework"].astype(str)) == {"trt", "sglang"}
    assert np.all(seed_result.a.points["spec"].astype(str) == "mtp")


# ------------------------------------------------------------------ few frontier points (issue 10)

def test_two_point_side_is_marked_and_its_cost_compared_with_price_over_throughput(bundled_dataset):
    """GB300 FP4 MTP at 1k/1k: two frontier points, so the cost spline and the throughput
    spline disagree; the cell says what price ÷ interpolated throughput gives."""
    spec = parse_slug("spec-decode", "dsr1-gb300-fp4-mtp-vs-off", ["dsr1"], ["gb300"], ["fp4"])
    result = compare(spec, bundled_dataset.latest, "1k1k", ("MTP", "Off"))
    assert [s.key for s in result.sides_with_few_points()] == ["a"] and len(result.a.frontier) == 2
    price = bundled_dataset.reference.gpus["gb300"].price["hyperscaler"]
    cells = {r["key"]: r["cells"] for r in result.table()}
    for col, t in enumerate(result.targets):
        tput = cells["throughput"][col]["a"]["value"]
        implied = price / (tput * 3600 / 1e6)
        cost = cells["cost"][col]["a"]
        assert cost["implied"]["value"] == pytest.approx(implied, rel=1e-9)
        assert abs(cost["value"] / implied - 1) > 0.10
    first = cells["cost"][0]["a"]
    assert (cells["throughput"][0]["a"]["text"], first["text"], first["implied"]["text"]) == ("10863.3", "$1.035", "$0.068")
    assert result.to_json("DeepSeek R1", "GB300 FP4")["sides"]["a"]["few_frontier_points"] is True


def test_no_implied_cost_note_where_the_two_readings_agree(seed_result):
    assert seed_result.sides_with_few_points() == []
    assert not any("implied" in c[s] for r in seed_result.table() for c in r["cells"] for s in "ab")
