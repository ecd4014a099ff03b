"""Validation and normalisation (SPEC §1): broken copies of the real files, key spellings,
parallelism labels, GPU counts, duplicates and latest-per-configuration."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from frontier.dataset import build_dataset, latest_per_point
from frontier.normalise import parallelism_label, single_label

SEED = "seed.json"


def seed_subset(seed_records, n=4):
    return copy.deepcopy(seed_records[:n])


def build(make_data_dir, files):
    return build_dataset(make_data_dir(files), fallback_dir=None)


def problems_for(ds, file, record=None):
    return [p for p in ds.problems if p.file == file and (record is None or p.record == record)]


# ------------------------------------------------------------------ bad records

@pytest.mark.parametrize(
    "field, canonical, words",
    [
        ("hw", "gpu_raw", "gpu key"),
        ("infmax_model_prefix", "model_raw", "model key"),
        ("framework", "framework", "framework"),
        ("precision", "precision", "precision"),
        ("conc", "conc", "concurrency"),
        ("isl", "isl", "input sequence length"),
        ("osl", "osl", "output sequence length"),
        ("tput_per_gpu", "tput", "throughput"),
    ],
)
def test_missing_required_field(make_data_dir, seed_records, field, canonical, words):
    records = seed_subset(seed_records)
    del records[2][field]
    ds = build(make_data_dir, {SEED: records})
    errors = [p for p in ds.problems if p.severity == "error"]
    assert len(errors) == 1
    p = errors[0]
    assert p.file == SEED
    assert p.record == 2
    assert p.field in (canonical, field)
    assert "missing" in p.message and words in p.message
    assert p.describe().startswith(f"{SEED}, record 2, field '")
    # the good records of the same file still load
    assert sorted(ds.points["record"]) == [0, 1, 3]


def test_missing_interactivity_and_tpot(make_data_dir, seed_records):
    records = seed_subset(seed_records)
    del records[1]["median_intvty"]
    del records[1]["median_tpot"]
    ds = build(make_data_dir, {SEED: records})
    (p,) = [p for p in ds.problems if p.severity == "error"]
    assert (p.file, p.record) == (SEED, 1)
    assert p.field in ("intvty", "median_intvty")
    assert "interactivity" in p.message
    assert sorted(ds.points["record"]) == [0, 2, 3]


@pytest.mark.parametrize("bad, shown", [("fast", "'fast'"), (0, "0"), (-12.5, "-12.5"), ("", "''")])
def test_bad_throughput_values(make_data_dir, seed_records, bad, shown):
    records = seed_subset(seed_records)
    records[3]["tput_per_gpu"] = bad
    ds = build(make_data_dir, {SEED: records})
    (p,) = [p for p in ds.problems if p.severity == "error"]
    assert (p.file, p.record) == (SEED, 3)
    assert p.field in ("tput", "tput_per_gpu")
    assert "positive throughput" in p.message
    assert shown in p.message
    assert sorted(ds.points["record"]) == [0, 1, 2]


def test_numeric_strings_are_read_as_numbers(make_data_dir, seed_records):
    records = seed_subset(seed_records)
    records[0]["tput_per_gpu"] = str(records[0]["tput_per_gpu"])
    records[0]["conc"] = str(records[0]["conc"])
    ds = build(make_data_dir, {SEED: records})
    assert ds.errors == []
    pt = ds.points[ds.points["record"] == 0].iloc[0]
    assert pt["tput"] == pytest.approx(seed_records[0]["tput_per_gpu"])
    assert pt["conc"] == seed_records[0]["conc"]


def test_missing_metrics_object(make_data_dir, api_latest_rows):
    rows = copy.deepcopy(api_latest_rows[:3])
    del rows[1]["metrics"]
    rows[2]["metrics"] = "n/a"
    ds = build(make_data_dir, {"api.json": rows})
    assert sorted(ds.points["record"]) == [0]
    for rec in (1, 2):
        found = problems_for(ds, "api.json", rec)
        assert any(p.field == "metrics" and "metrics" in p.message for p in found), found
        assert all(p.severity == "error" for p in found)


@pytest.mark.parametrize("field", ["hw", "infmax_model_prefix", "tput_per_gpu", "conc"])
def test_problem_names_the_files_own_field(make_data_dir, seed_records, field):
    # Found while writing these tests: problems used to name internal columns ('gpu_raw', 'tput').
    records = seed_subset(seed_records)
    del records[0][field]
    ds = build(make_data_dir, {SEED: records})
    (p,) = [p for p in ds.problems if p.severity == "error"]
    assert p.field == field


# ------------------------------------------------------------------ unknown keys

def test_unknown_gpu_is_kept_with_a_warning(make_data_dir, seed_records):
    records = seed_subset(seed_records)
    records[0]["hw"] = "tpu9-gcp"
    ds = build(make_data_dir, {SEED: records})
    assert len(ds.points) == 4
    warnings = [p for p in ds.problems if p.field == "gpu"]
    assert len(warnings) == 1
    w = warnings[0]
    assert w.severity == "warning" and w.file == SEED
    assert "tpu9" in w.message and "hardware.csv" in w.message
    pt = ds.points[ds.points["gpu"] == "tpu9"].iloc[0]
    for column in ("cost_total_hyperscaler", "cost_input_neocloud", "cost_output_rental", "tokmw", "jtok"):
        assert math.isnan(pt[column])
    assert pt["tput"] == seed_records[0]["tput_per_gpu"]
    known = ds.points[ds.points["gpu"] == "b300"]
    assert known["cost_total_hyperscaler"].notna().all()


def test_unknown_model_is_kept_with_a_warning(make_data_dir, seed_records):
    records = seed_subset(seed_records)
    for r in records[:2]:
        r["infmax_model_prefix"] = "mystery-llm"
    ds = build(make_data_dir, {SEED: records})
    assert len(ds.points) == 4
    warnings = [p for p in ds.problems if p.field == "model"]
    assert len(warnings) == 1
    assert warnings[0].severity == "warning"
    assert "mystery-llm" in warnings[0].message and "models.csv" in warnings[0].message
    mystery = ds.points[ds.points["model"] == "mystery-llm"]
    assert len(mystery) == 2
    assert set(mystery["model_label"].astype(str)) == {"mystery-llm"}
    assert mystery["cost_total_hyperscaler"].notna().all()  # the gpu is known


# ------------------------------------------------------------------ key spellings

@pytest.mark.parametrize(
    "hw, key",
    [("gb300-nv", "gb300"), ("mi355x-amds", "mi355x"), ("cluster:b300-nv", "b300"), ("B300", "b300"),
     ("Cluster:MI355X-AMDS", "mi355x"), ("h200-nb_0", "h200"), ("b300", "b300")],
)
def test_runner_names(make_data_dir, seed_records, hw, key):
    records = seed_subset(seed_records, 1)
    records[0]["hw"] = hw
    ds = build(make_data_dir, {SEED: records})
    assert list(ds.points["gpu"].astype(str)) == [key]
    assert not [p for p in ds.problems if p.field == "gpu"]  # all are known gpus


@pytest.mark.parametrize("given, expected", [("nvfp4", "fp4"), ("mxfp4", "fp4"), ("NVFP4", "fp4"), ("MXFP4", "fp4"),
                                             ("fp4", "fp4"), ("FP8", "fp8"), ("int4", "int4")])
def test_precision_aliases(make_data_dir, seed_records, given, expected):
    records = seed_subset(seed_records, 1)
    records[0]["precision"] = given
    ds = build(make_data_dir, {SEED: records})
    assert list(ds.points["precision"].astype(str)) == [expected]


@pytest.mark.parametrize("given, expected", [("", "none"), (None, "none"), ("<missing>", "none"), ("none", "none"),
                                             ("MTP", "mtp"), ("mtp", "mtp"), ("  Mtp ", "mtp")])
def test_spec_method(make_data_dir, seed_records, given, expected):
    records = seed_subset(seed_records, 1)
    if given == "<missing>":
        del records[0]["spec_decoding"]
    else:
        records[0]["spec_decoding"] = given
    ds = build(make_data_dir, {SEED: records})
    assert list(ds.points["spec"].astype(str)) == [expected]
    assert list(ds.points["spec_label"].astype(str)) == ["MTP" if expected == "mtp" else "Off"]


def test_keys_are_case_insensitive(make_data_dir, seed_records):
    plain = seed_subset(seed_records, 2)
    loud = copy.deepcopy(plain)
    for r in loud:
        r.update(hw="B300", infmax_model_prefix="QWEN3.5", framework=r["framework"].upper(),
                 precision="FP4", spec_decoding=r["spec_decoding"].upper(), dp_attention=r["dp_attention"].upper())
    a = build(make_data_dir, {SEED: plain})
    b = build(make_data_dir, {SEED: loud})
    cols = ["gpu", "model", "framework", "precision", "spec", "dpa", "parallelism", "config_id", "point_id"]
    left = a.points.sort_values("record")[cols].astype(str).reset_index(drop=True)
    right = b.points.sort_values("record")[cols].astype(str).reset_index(drop=True)
    assert left.equals(right)
    assert set(b.points["model"].astype(str)) == {"qwen3.5"}
    assert set(b.points["model_label"].astype(str)) == {"Qwen 3.5 397B-A17B"}


def test_model_alias_maps_to_key(make_data_dir, seed_records):
    records = seed_subset(seed_records, 1)
    records[0]["infmax_model_prefix"] = "Qwen/Qwen3.5-397B-A17B"
    ds = build(make_data_dir, {SEED: records})
    assert list(ds.points["model"].astype(str)) == ["qwen3.5"]


# ------------------------------------------------------------------ interactivity

def test_interactivity_from_tpot_only_when_median_intvty_missing(make_data_dir, seed_records):
    records = seed_subset(seed_records, 3)
    # record 0: no median_intvty -> 1 / median_tpot
    del records[0]["median_intvty"]
    records[0]["median_tpot"] = 0.008
    # record 1: median_intvty given and kept even when median_tpot disagrees
    records[1]["median_tpot"] = 0.5
    # record 2: std_intvty is meaningless and must never be used
    records[2]["std_intvty"] = 123456.0
    ds = build(make_data_dir, {SEED: records})
    assert ds.errors == []
    pts = ds.points.set_index("record")
    assert pts.loc[0, "intvty"] == pytest.approx(125.0)  # 1 / 0.008 s
    assert pts.loc[1, "intvty"] == seed_records[1]["median_intvty"]
    assert pts.loc[2, "intvty"] == seed_records[2]["median_intvty"]


def test_std_intvty_and_itl_are_no_substitute(make_data_dir, seed_records):
    records = seed_subset(seed_records, 2)
    for field in ("median_intvty", "median_tpot"):
        del records[0][field]
    assert "std_intvty" in records[0] and "median_itl" in records[0]
    ds = build(make_data_dir, {SEED: records})
    assert list(ds.points["record"]) == [1]
    (p,) = ds.errors
    assert p.record == 0 and "interactivity" in p.message


def test_api_interactivity_from_tpot(make_data_dir, api_latest_rows):
    rows = copy.deepcopy(api_latest_rows[:2])
    del rows[0]["metrics"]["median_intvty"]
    ds = build(make_data_dir, {"api.json": rows})
    pt = ds.points.set_index("record").loc[0]
    assert pt["intvty"] == pytest.approx(1.0 / api_latest_rows[0]["metrics"]["median_tpot"])
    assert pt["intvty"] != pytest.approx(api_latest_rows[0]["metrics"]["std_intvty"])


# ------------------------------------------------------------------ parallelism labels

def spec_label(tp, ep, dpa):
    """The label rules, written from the product's conventions."""
    if dpa and ep == tp:
        return f"DEP{tp}"
    if dpa and ep == 1:
        return f"DPATP{tp}"
    if ep == tp:
        return f"TEP{tp}"
    if ep == 1:
        return f"TP{tp}"
    return None


@pytest.mark.parametrize("tp, ep, dpa, label", [(8, 1, False, "TP8"), (8, 8, False, "TEP8"), (8, 8, True, "DEP8"),
                                                (4, 1, True, "DPATP4"), (4, 4, True, "DEP4"), (2, 2, False, "TEP2")])
def test_single_node_labels_from_agg_records(make_data_dir, seed_records, tp, ep, dpa, label):
    records = seed_subset(seed_records, 1)
    records[0].update(tp=tp, ep=ep, dp_attention="true" if dpa else "false")
    ds = build(make_data_dir, {SEED: records})
    pt = ds.points.iloc[0]
    assert pt["parallelism"] == label == spec_label(tp, ep, dpa)
    assert pt["gpus"] == tp  # single node: tp
    assert bool(pt["dpa"]) is dpa


def test_single_label_function():
    assert single_label(8, 1, False) == "TP8"
    assert single_label(8, 8, False) == "TEP8"
    assert single_label(8, 8, True) == "DEP8"
    assert single_label(4, 1, True) == "DPATP4"
    assert single_label(np.nan, 1, False) == ""


def test_disaggregated_label_and_gpus_from_agg(make_data_dir, seed_records):
    records = seed_subset(seed_records, 1)
    records[0].update(disagg=True, is_multinode=True, prefill_tp=4, prefill_ep=4, prefill_dp_attention="true",
                      prefill_num_workers=1, decode_tp=8, decode_ep=8, decode_dp_attention="false",
                      decode_num_workers=4, num_prefill_gpu=4, num_decode_gpu=32)
    ds = build(make_data_dir, {SEED: records})
    pt = ds.points.iloc[0]
    assert pt["parallelism"] == "1xDEP4+4xTEP8"
    assert pt["gpus"] == 36
    assert pt["deployment"] == "Disaggregated"


def test_parallelism_label_function_disagg():
    # (disagg, tp, ep, dpa, pp, ptp, pep, pdpa, pw, pg, dtp, dep, ddpa, dw, dg)
    row = (True, 8, 8, True, 1, 8, 8, True, 2, 16, 8, 8, True, 1, 8)
    assert parallelism_label(row) == "2xDEP8+1xDEP8"


def test_real_disaggregated_row_by_hand(bundled_dataset, api_latest_rows):
    # A real DSR1 row: one DEP4 prefill worker (tp 4, ep 4, dp-attention) on 4 GPUs and four TEP8
    # decode workers (tp 8, ep 8, no dp-attention) on 32 GPUs: "1xDEP4+4xTEP8", 36 GPUs.
    row = next(r for r in api_latest_rows if r["disagg"] and (
        r["prefill_num_workers"], r["prefill_tp"], r["prefill_ep"], r["prefill_dp_attention"],
        r["decode_num_workers"], r["decode_tp"], r["decode_ep"], r["decode_dp_attention"],
        r["num_prefill_gpu"], r["num_decode_gpu"]) == (1, 4, 4, True, 4, 8, 8, False, 4, 32))
    pts = bundled_dataset.points
    match = pts[(pts["tput"] == row["metrics"]["tput_per_gpu"]) & (pts["intvty"] == row["metrics"]["median_intvty"])]
    assert len(match) == 1
    pt = match.iloc[0]
    assert pt["parallelism"] == "1xDEP4+4xTEP8"
    assert pt["gpus"] == 36
    assert pt["gpu"] == row["hardware"]


def test_all_api_labels_and_gpu_counts(api_latest_rows, make_data_dir):
    ds = build(make_data_dir, {"latest.json": api_latest_rows})
    pts = ds.points.set_index("record")
    checked_single = checked_disagg = 0
    for i, r in enumerate(api_latest_rows):
        pt = pts.loc[i]
        if not r["disagg"]:
            # single node: parallelism and GPU count are the decode side's
            expected = spec_label(r["decode_tp"], r["decode_ep"], r["decode_dp_attention"])
            assert pt["gpus"] == r["decode_tp"], r
            if expected:
                assert pt["parallelism"] == expected, r
                checked_single += 1
        else:
            assert pt["gpus"] == r["num_prefill_gpu"] + r["num_decode_gpu"], r
            pre = spec_label(r["prefill_tp"], r["prefill_ep"], r["prefill_dp_attention"])
            dec = spec_label(r["decode_tp"], r["decode_ep"], r["decode_dp_attention"])
            if pre and dec and r["prefill_num_workers"] > 0 and r["decode_num_workers"] > 0 and min(
                    r["prefill_tp"], r["decode_tp"]) > 1:
                assert pt["parallelism"] == f"{r['prefill_num_workers']}x{pre}+{r['decode_num_workers']}x{dec}", r
                checked_disagg += 1
    assert checked_single > 150 and checked_disagg > 100


def test_single_node_gpu_count_ignores_num_prefill_gpu(api_latest_rows, make_data_dir):
    # a real aggregated row whose num_prefill_gpu (64) is not its GPU count (decode_tp = 8)
    row = next(r for r in api_latest_rows if not r["disagg"] and r["num_prefill_gpu"] == 64 and r["decode_tp"] == 8)
    ds = build(make_data_dir, {"one.json": [row]})
    pt = ds.points.iloc[0]
    assert pt["gpus"] == 8
    assert pt["parallelism"] == spec_label(8, row["decode_ep"], row["decode_dp_attention"])


# ------------------------------------------------------------------ duplicates and history

def test_duplicate_measurement_in_two_files_kept_once(make_data_dir, seed_records):
    ds = build(make_data_dir, {"a.json": seed_records, "copy/b.json": seed_records})
    assert len(ds.points) == 27
    assert len(ds.latest) == 27
    assert ds.errors == []


def test_real_history_and_latest_deduplicated(bundled_dataset, api_latest_rows, api_history_rows, seed_records):
    fields = ["hardware", "framework", "model", "precision", "spec_method", "disagg", "is_multinode", "prefill_tp",
              "prefill_ep", "prefill_dp_attention", "prefill_num_workers", "decode_tp", "decode_ep",
              "decode_dp_attention", "decode_num_workers", "num_prefill_gpu", "num_decode_gpu", "isl", "osl", "conc"]
    rows = api_history_rows + api_latest_rows
    measurements = {(tuple(r[f] for f in fields), r["date"]) for r in rows}
    newest = {}
    for r in rows:
        key = tuple(r[f] for f in fields)
        newest[key] = max(newest.get(key, ""), r["date"])
    assert len(api_history_rows) == 1462 and len(api_latest_rows) == 435
    assert len(bundled_dataset.points) == len(measurements) + len(seed_records)
    assert len(bundled_dataset.latest) == len(newest) + len(seed_records)
    dsr1_latest = bundled_dataset.latest[bundled_dataset.latest["model"] == "dsr1"]
    assert sorted(dsr1_latest["date"].astype(str)) == sorted(newest.values())
    assert len(bundled_dataset.dates) == len({r["date"] for r in rows} | {"2026-06-30"})


def test_latest_per_configuration_and_as_of(make_data_dir, seed_records):
    new = copy.deepcopy(seed_records[0])
    old = copy.deepcopy(seed_records[0])
    other = copy.deepcopy(seed_records[1])
    assert new["date"] == "2026-06-30"
    old["date"] = "2026-05-01"
    old["tput_per_gpu"] = new["tput_per_gpu"] / 2
    other["date"] = "2026-05-01"
    ds = build(make_data_dir, {"new.json": [new], "old.json": [old, other]})
    assert len(ds.points) == 3
    assert len(ds.latest) == 2
    assert ds.dates == ["2026-05-01", "2026-06-30"]
    pid = ds.points.loc[ds.points["source"] == "new.json", "point_id"].iloc[0]
    assert (ds.points["point_id"] == pid).sum() == 2  # history keeps both measurements
    latest = ds.latest[ds.latest["point_id"] == pid]
    assert len(latest) == 1
    assert latest.iloc[0]["date"] == "2026-06-30"
    assert latest.iloc[0]["tput"] == new["tput_per_gpu"]

    before = ds.as_of("2026-06-01")
    mine = before[before["point_id"] == pid]
    assert len(before) == 2 and len(mine) == 1
    assert mine.iloc[0]["date"] == "2026-05-01"
    assert mine.iloc[0]["tput"] == pytest.approx(new["tput_per_gpu"] / 2)
    assert len(ds.as_of("2026-06-30")) == 2
    assert ds.as_of("2026-06-30")[lambda d: d["point_id"] == pid].iloc[0]["date"] == "2026-06-30"
    assert len(ds.as_of("2026-01-01")) == 0
    assert ds.as_of(None) is ds.latest


def test_latest_per_point_independent_of_row_order(bundled_dataset):
    shuffled = bundled_dataset.points.sample(frac=1.0, random_state=7)
    a = latest_per_point(shuffled)
    assert len(a) == len(bundled_dataset.latest)
    newest = bundled_dataset.points.groupby("point_id")["date"].agg(lambda s: max(s.astype(str)))
    got = a.set_index("point_id")["date"].astype(str)
    assert (got.sort_index() == newest.sort_index()).all()


@pytest.mark.parametrize("bad, shown", [("yesterday", "'yesterday'"), ("2026-02-30", "'2026-02-30'"),
                                         ("0026-06-11", "'0026-06-11'"), (20260611, "20260611"), (True, "true")])
def test_unreadable_date_rejects_the_record(make_data_dir, seed_records, bad, shown):
    # it used to become today's date, and so the "latest" measurement of its configuration
    records = seed_subset(seed_records, 2)
    records[0]["date"] = bad
    ds = build(make_data_dir, {SEED: records})
    assert list(ds.points["record"]) == [1]
    (p,) = [p for p in ds.problems if p.field == "date"]
    assert (p.severity, p.file, p.record) == ("error", SEED, 0)
    assert "expected a date YYYY-MM-DD" in p.message and p.message.endswith(f"got {shown}")


def test_missing_date_falls_back_to_the_file_time_with_warning(make_data_dir, seed_records):
    import os

    records = seed_subset(seed_records, 2)
    del records[0]["date"]
    folder = make_data_dir({SEED: records})
    os.utime(folder / SEED, (1767225600, 1767225600))  # 2026-01-01 00:00 UTC
    ds = build_dataset(folder, fallback_dir=None)
    assert len(ds.points) == 2
    assert ds.points.loc[ds.points["record"] == 0, "date"].astype(str).tolist() == ["2026-01-01"]
    (w,) = [p for p in ds.problems if p.field == "date"]
    assert w.severity == "warning" and "no date in 1 record" in w.message and "2026-01-01" in w.message


# ------------------------------------------------------------------ nothing loadable

@pytest.mark.parametrize("files, says", [({}, "no benchmark files"), ({"junk.json": {"foo": 1}}, "unknown format"),
                                         ({"broken.json": "[{"}, "malformed JSON")])
def test_folder_without_loadable_records(make_data_dir, files, says):
    # Found while writing these tests: this used to crash with KeyError in normalise._problems_for.
    ds = build(make_data_dir, files)
    assert len(ds.points) == 0 and len(ds.latest) == 0
    assert any(says in p.message for p in ds.problems)  # says why nothing loaded


def test_file_whose_records_are_all_bad_gives_empty_dataset(make_data_dir, seed_records):
    records = seed_subset(seed_records, 3)
    for r in records:
        r["tput_per_gpu"] = 0
    ds = build(make_data_dir, {SEED: records})
    assert len(ds.points) == 0 and len(ds.latest) == 0
    assert sorted(p.record for p in ds.errors) == [0, 1, 2]


def test_disaggregated_gpu_count_from_workers_when_counts_missing(make_data_dir, seed_records):
    records = seed_subset(seed_records, 1)
    records[0].update(disagg=True, prefill_tp=4, prefill_ep=1, prefill_dp_attention="false", prefill_num_workers=2,
                      decode_tp=8, decode_ep=8, decode_dp_attention="true", decode_num_workers=3)
    ds = build(make_data_dir, {SEED: records})
    pt = ds.points.iloc[0]
    assert pt["gpus"] == 2 * 4 + 3 * 8  # 32
    assert pt["parallelism"] == "2xTP4+3xDEP8"


def test_problem_summary_groups_identical_messages(make_data_dir, seed_records):
    from frontier.problems import Problem, summarise

    records = seed_subset(seed_records, 4)
    for r in records[:3]:
        r["tput_per_gpu"] = -1
    ds = build(make_data_dir, {SEED: records})
    lines = summarise(ds.problems)
    grouped = [ln for ln in lines if "(3 records)" in ln]
    assert len(grouped) == 1
    assert grouped[0].startswith(f"{SEED}, records 0, 1, 2, field '")
    many = [Problem("f.json", f"message {i}", i) for i in range(60)]
    out = summarise(many, limit=50)
    assert len(out) == 51 and out[-1] == "... and 10 more in f.json"


def test_tables_fall_back_to_bundled_ones(tmp_path, seed_records):
    import json

    from .conftest import DATA

    folder = tmp_path / "only-data"
    folder.mkdir()
    (folder / "seed.json").write_text(json.dumps(seed_records[:2]))
    ds = build_dataset(folder, fallback_dir=DATA)  # no hardware.csv / models.csv in the folder
    assert ds.errors == []
    assert ds.points["cost_total_hyperscaler"].notna().all()
    assert set(ds.points["model_label"].astype(str)) == {"Qwen 3.5 397B-A17B"}
    alone = build_dataset(folder, fallback_dir=None)  # no tables anywhere: reported, points kept
    assert any("reference table not found" in p.message for p in alone.problems)
    assert len(alone.points) == 2 and alone.points["cost_total_hyperscaler"].isna().all()
