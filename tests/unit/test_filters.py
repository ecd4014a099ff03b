"""Filters (SPEC §9) and the best-per-GPU series (``best=1``), against the raw JSON rows."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from frontier.filters import (NO_FILTERS, Filters, apply_filters, describe_filters, filter_options, filter_pairs,
                              resolve_filters, series_frontiers, series_keys)
from frontier.urlstate import Resolution, parse_query

from . import json_oracle as jo
from . import reference_impl as ref


def resolve(search, points, reference, ignore=()):
    res = Resolution()
    return resolve_filters(parse_query(search), points, reference, res, ignore), res.notices


def test_no_query_no_filters_same_frame(dsr1, bundled_dataset):
    filters, notices = resolve("", dsr1, bundled_dataset.reference)
    assert filters == NO_FILTERS and not filters.active and notices == []
    assert apply_filters(dsr1, filters) is dsr1
    assert filter_pairs(filters) == [] and describe_filters(filters) == ""


def test_values_canonical_and_case_insensitive(dsr1, bundled_dataset):
    filters, notices = resolve("vendor=AMD,nvidia&framework=TRT,sglang,trt&deployment=disaggregated,single-node"
                               "&spec=none,mtp&gpucount=16-32,8,8-12,20", dsr1, bundled_dataset.reference)
    assert notices == []
    assert filters == Filters(vendor=("nvidia", "amd"), framework=("sglang", "trt"),
                              deployment=("single-node", "disaggregated"), spec=("mtp", "off"),
                              gpucount=((8, 12), (16, 32)))
    # one spelling per selection: the same choice written another way is the same (hashable) state
    again, _ = resolve("gpucount=8-12,16-20,21-32&spec=off,mtp&deployment=single-node,disaggregated"
                       "&framework=sglang,trt&vendor=nvidia,amd", dsr1, bundled_dataset.reference)
    assert again == filters and hash(again) == hash(filters)


def test_unknown_values_ignored_with_notices(dsr1, bundled_dataset):
    filters, notices = resolve("vendor=intel&framework=foo,sglang&deployment=cloud&spec=eagle"
                               "&gpucount=0,16-4,abc,99999999,1-100001," + "9" * 30, dsr1, bundled_dataset.reference)
    assert filters == Filters(framework=("sglang",))
    text = " ".join(notices)
    for bad in ("'intel'", "'foo'", "'cloud'", "'eagle'", "'0'", "'16-4'", "'abc'", "'99999999'", "'1-100001'"):
        assert bad in text
    assert len(notices) == 5  # one per filter


def test_too_many_values_are_bounded(dsr1, bundled_dataset):
    filters, notices = resolve("gpucount=" + ",".join(str(i) for i in range(1, 100)), dsr1, bundled_dataset.reference)
    assert any("first 32" in n for n in notices)
    assert filters.gpucount == ((1, 32),)


def test_ignored_dimension_on_a_comparison(dsr1, bundled_dataset):
    filters, notices = resolve("spec=mtp&vendor=nvidia", dsr1, bundled_dataset.reference, ignore={"spec"})
    assert filters == Filters(vendor=("nvidia",))
    assert notices == ["Ignored spec='mtp': this page compares speculative-decoding settings."]


@pytest.mark.parametrize("search, keep", [
    ("vendor=amd", lambda r: r["hardware"] in jo.AMD),
    ("vendor=nvidia", lambda r: r["hardware"] not in jo.AMD),
    ("framework=sglang,atom", lambda r: r["framework"] in ("sglang", "atom")),
    ("deployment=disaggregated", lambda r: jo.deployment(r) == "disaggregated"),
    ("deployment=single-node", lambda r: jo.deployment(r) == "single-node"),
    ("spec=off", lambda r: jo.spec_of(r) == "off"),
    ("spec=mtp", lambda r: jo.spec_of(r) == "mtp"),
    ("gpucount=8", lambda r: jo.gpu_count(r) == 8),
    ("gpucount=8-32", lambda r: 8 <= jo.gpu_count(r) <= 32),
    ("gpucount=4,48-72", lambda r: jo.gpu_count(r) == 4 or 48 <= jo.gpu_count(r) <= 72),
    ("vendor=nvidia&spec=mtp&gpucount=1-16&deployment=disaggregated",
     lambda r: r["hardware"] not in jo.AMD and jo.spec_of(r) == "mtp" and jo.gpu_count(r) <= 16
     and jo.deployment(r) == "disaggregated"),
])
def test_apply_filters_counts_match_raw_rows(search, keep, dsr1, raw_latest, bundled_dataset):
    filters, notices = resolve(search, dsr1, bundled_dataset.reference)
    assert notices == []
    expected = [r for r in raw_latest if keep(r)]
    got = apply_filters(dsr1, filters)
    assert len(got) == len(expected) > 0
    assert sorted(got["tput"].tolist()) == sorted(r["metrics"]["tput_per_gpu"] for r in expected)


def test_pairs_round_trip(dsr1, bundled_dataset):
    filters, _ = resolve("gpucount=8-16,4&spec=off&vendor=amd&framework=sglang", dsr1, bundled_dataset.reference)
    pairs = filter_pairs(filters)
    assert pairs == [("vendor", "amd"), ("framework", "sglang"), ("spec", "off"), ("gpucount", "4,8-16")]
    again, notices = resolve(urlencode(pairs), dsr1, bundled_dataset.reference)
    assert again == filters and notices == []


def test_options_only_what_the_data_has(dsr1, bundled_dataset):
    options = filter_options(dsr1, bundled_dataset.reference)
    assert options["vendor"] == [("nvidia", "NVIDIA"), ("amd", "AMD")]
    # no aggregated multi-node DeepSeek rows are bundled: the control must not offer it
    assert [v for v, _ in options["deployment"]] == ["single-node", "disaggregated"]
    assert [v for v, _ in options["spec"]] == ["mtp", "off"]
    assert {v for v, _ in options["framework"]} == {"sglang", "trt", "dynamo-trt", "dynamo-sglang", "mori-sglang",
                                                      "atom"}
    counts = [int(v) for v, _ in options["gpucount"]]
    assert counts == sorted(counts) and 8 in counts
    amd_only = apply_filters(dsr1, Filters(vendor=("amd",)))
    assert [v for v, _ in filter_options(amd_only, bundled_dataset.reference)["vendor"]] == ["amd"]


def test_describe():
    text = describe_filters(Filters(vendor=("amd",), spec=("off",), gpucount=((8, 8), (16, 32))))
    assert text == "Filtered to: AMD; spec decoding Off; 8, 16-32 GPUs"


# ---- best per GPU ----------------------------------------------------------------------

def test_series_keys():
    assert series_keys(False, False) == ["gpu", "framework", "spec"]
    assert series_keys(False, True) == ["gpu", "framework", "spec", "precision"]
    assert series_keys(True, False) == ["gpu"]
    assert series_keys(True, True) == ["gpu", "precision"]


@pytest.mark.parametrize("seq, precision", [("1k1k", "fp8"), ("8k1k", "fp4")])
def test_best_per_gpu_frontiers_on_dsr1(seq, precision, dsr1, raw_latest):
    view = dsr1[(dsr1["seq"].astype(str) == seq) & (dsr1["precision"].astype(str) == precision)]
    best = series_frontiers(view, series_keys(True, False))
    rows = jo.select(raw_latest, seq, precision=precision)
    gpus = sorted({r["hardware"] for r in rows})
    assert sorted(k[0] for k in best) == gpus  # one series per GPU
    normal = series_frontiers(view, series_keys(False, False))
    assert len(normal) == len({(r["hardware"], r["framework"], r["spec_method"]) for r in rows}) > len(best)
    for gpu in gpus:
        pooled = [(r["metrics"]["median_intvty"], r["metrics"]["tput_per_gpu"]) for r in rows if r["hardware"] == gpu]
        expected = ref.brute_frontier(pooled)
        got = best[(gpu,)]
        assert list(zip(got["intvty"], got["tput"])) == expected
        # pooling can only push the frontier out: a point of any one series' frontier is on or
        # under the pooled one
        for key, front in normal.items():
            if key[0] == gpu:
                for x, y in zip(front["intvty"], front["tput"]):
                    assert any(ex >= x and ey >= y for ex, ey in expected)


def test_best_per_gpu_b200_fp8_by_hand(dsr1):
    """B200 FP8 1k/1k: the pooled frontier takes its points from several frameworks."""
    view = dsr1[(dsr1["seq"].astype(str) == "1k1k") & (dsr1["precision"].astype(str) == "fp8")]
    front = series_frontiers(view, ["gpu"])[("b200",)]
    assert front["intvty"].is_monotonic_increasing and front["tput"].is_monotonic_decreasing
    assert front["framework"].astype(str).nunique() > 1
    b200 = view[view["gpu"].astype(str) == "b200"]
    # nothing in the pool dominates a frontier point
    for x, y in zip(front["intvty"], front["tput"]):
        assert not ((b200["intvty"] >= x) & (b200["tput"] >= y) & ((b200["intvty"] > x) | (b200["tput"] > y))).any()
