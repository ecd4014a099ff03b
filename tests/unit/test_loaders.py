"""Loaders (SPEC §1): the three input formats, format detection, zip archives, bad JSON."""

from __future__ import annotations

import io
import json
import math
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from .conftest import API_LATEST, DATA, RUNNER_AGG, RUNNER_RAW, SEED_AGG, read_json
from frontier.dataset import build_dataset
from frontier.loaders import (
    UNKNOWN_FORMAT,
    SourceDoc,
    detect_format,
    parse_settings,
    read_document,
    read_documents,
)
from frontier.normalise import normalise
from frontier.reference import load_reference

RAW_GPT = RUNNER_RAW / "gpt-oss-120b"
RAW_FILE = RAW_GPT / "concurrency_16_req_rate_inf_gpus_16_ctx_8_gen_8.json"
KIMI_1K1K = next(RUNNER_AGG.glob("agg_kimik2.5_1k1k_*conc4_*.json"))


@pytest.fixture(scope="module")
def reference():
    return load_reference(DATA)


def load_file(path: Path, overrides=None):
    problems = []
    frames = [read_document(doc, problems, overrides) for doc in read_documents(path, path.name, problems)]
    return frames, problems


def only_frame(path: Path, overrides=None):
    frames, problems = load_file(path, overrides)
    assert len(frames) == 1
    return frames[0], problems


# ------------------------------------------------------------------ InferenceX API rows

def test_api_rows_all_read(api_latest_rows):
    frame, problems = only_frame(API_LATEST)
    assert len(api_latest_rows) == 435
    assert len(frame) == 435
    assert problems == []
    assert set(frame["format"]) == {"api"}
    assert list(frame["record"]) == list(range(435))


def test_api_row_normalised_fields(api_latest_rows, reference):
    frame, _ = only_frame(API_LATEST)
    points, problems = normalise(frame, reference)
    assert [p for p in problems if p.severity == "error"] == []
    assert len(points) == 435  # no duplicate measurement inside this file

    row = api_latest_rows[0]  # mi355x sglang fp4, single node TP4, conc 4, 1k/1k
    assert (row["hardware"], row["framework"], row["precision"], row["spec_method"], row["conc"]) == (
        "mi355x", "sglang", "fp4", "none", 4)
    pt = points[points["record"] == 0].iloc[0]
    m = row["metrics"]
    assert pt["gpu"] == "mi355x"
    assert pt["model"] == "dsr1"
    assert pt["framework"] == "sglang"
    assert pt["precision"] == "fp4"
    assert pt["spec"] == "none"
    assert (pt["isl"], pt["osl"], pt["seq"]) == (1024, 1024, "1k1k")
    assert pt["conc"] == 4
    assert pt["tput"] == m["tput_per_gpu"] == pytest.approx(198.9447984579421)
    assert pt["tput_input"] == m["input_tput_per_gpu"]
    assert pt["tput_output"] == m["output_tput_per_gpu"]
    # interactivity is median_intvty (1/median_tpot), never std_intvty (8400 here)
    assert pt["intvty"] == pytest.approx(103.64816793368249)
    assert pt["intvty"] == pytest.approx(1 / m["median_tpot"], rel=1e-9)
    # API latencies are already seconds: a 10 s p99 end-to-end latency stays 10 s
    assert pt["ttft_median"] == pytest.approx(0.10217383736744523)
    assert pt["tpot_median"] == pytest.approx(0.009648023886344358)
    assert pt["e2el_median"] == pytest.approx(9.040930901188403)
    assert pt["e2el_p99"] == pytest.approx(10.478947445219383)
    assert pt["ttft_p90"] == pytest.approx(0.1711582055315385)
    assert pt["parallelism"] == "TP4"
    assert pt["gpus"] == 4  # single node: decode_tp
    assert pt["deployment"] == "Single-node"
    assert pt["date"] == "2026-06-11"
    assert pt["image"] == "lmsysorg/sglang:v0.5.12-rocm700-mi35x"


def test_api_disaggregated_row(api_latest_rows, reference):
    frame, _ = only_frame(API_LATEST)
    points, _ = normalise(frame, reference)
    # the multi-node mori-sglang row: 2 prefill workers DEP8 on 16 GPUs, 1 decode worker DEP8 on 8
    idx = next(i for i, r in enumerate(api_latest_rows) if r["framework"] == "mori-sglang" and r["workers"])
    row = api_latest_rows[idx]
    assert (row["prefill_tp"], row["prefill_ep"], row["prefill_dp_attention"], row["prefill_num_workers"]) == (8, 8, True, 2)
    assert (row["decode_tp"], row["decode_ep"], row["decode_dp_attention"], row["decode_num_workers"]) == (8, 8, True, 1)
    pt = points[points["record"] == idx].iloc[0]
    assert pt["parallelism"] == "2xDEP8+1xDEP8"
    assert pt["gpus"] == row["num_prefill_gpu"] + row["num_decode_gpu"] == 24
    assert pt["deployment"] == "Disaggregated"
    assert (pt["isl"], pt["osl"], pt["seq"]) == (8192, 1024, "8k1k")
    assert pt["precision"] == "fp8"


# ------------------------------------------------------------------ runner aggregates

def test_agg_bmk_array_reads_all_records(seed_records):
    frame, problems = only_frame(SEED_AGG)
    assert len(seed_records) == 27
    assert len(frame) == 27 and problems == []
    assert set(frame["format"]) == {"agg"}


def test_agg_single_object_kimi(tmp_path, reference):
    raw = read_json(KIMI_1K1K)
    assert isinstance(raw, dict)  # one agg_*.json object, not an array
    frame, problems = only_frame(KIMI_1K1K)
    assert len(frame) == 1 and problems == []
    points, problems = normalise(frame, reference)
    assert [p for p in problems if p.severity == "error"] == []
    pt = points.iloc[0]
    assert pt["gpu"] == "mi355x"  # from "hw"
    assert pt["model"] == "kimik2.5"  # from infmax_model_prefix, not the HF id in "model"
    assert pt["model_id"] == "moonshotai/Kimi-K2.5"
    assert pt["framework"] == "vllm"
    assert pt["precision"] == "int4"
    assert pt["spec"] == "mtp"
    assert bool(pt["dpa"]) is False  # the string "false"
    assert raw["dp_attention"] == "false"
    assert (pt["tp"], pt["ep"]) == (8, 1)
    assert pt["parallelism"] == "TP8"
    assert pt["gpus"] == 8
    assert (pt["isl"], pt["osl"], pt["conc"]) == (1024, 1024, 4)
    assert pt["tput"] == raw["tput_per_gpu"]
    assert pt["intvty"] == raw["median_intvty"]
    assert pt["ttft_median"] == raw["median_ttft"]
    assert pt["e2el_p99"] == raw["p99_e2el"]
    assert pt["model_label"] == "Kimi K2.5"


def test_agg_folder_via_build_dataset(make_data_dir):
    files = {p.name: read_json(p) for p in RUNNER_AGG.glob("*.json")}
    ds = build_dataset(make_data_dir(files), fallback_dir=None)
    assert len(ds.points) == 3
    assert sorted(ds.points["seq"].astype(str)) == ["1k1k", "8k1k", "8k1k"]
    assert sorted(ds.points["conc"]) == [4, 32, 64]
    assert set(ds.points["gpu"].astype(str)) == {"mi355x"}
    assert not ds.points["dpa"].any()
    # the agg files carry no date: the load says which day it used instead
    assert any(p.field == "date" and p.severity == "warning" for p in ds.problems)
    assert ds.errors == []


# ------------------------------------------------------------------ raw benchmark_serving

def test_raw_without_configuration_names_the_settings():
    frames, problems = load_file(RAW_FILE)
    assert frames == [None]
    assert len(problems) == 1
    msg = problems[0].message
    assert problems[0].file == RAW_FILE.name
    assert "no configuration" in msg
    for setting in ("gpu", "model", "framework", "precision"):
        assert setting in msg


def test_raw_partial_configuration_names_only_missing():
    frames, problems = load_file(RAW_FILE, {"gpu_raw": "gb200", "framework": "dynamo-trt"})
    assert frames == [None]
    msg = problems[0].message
    supply = msg.split("supply", 1)[1].split("(", 1)[0]
    assert "model" in supply and "precision" in supply
    assert "gpu" not in supply and "framework" not in supply


def test_raw_with_overrides_loads(reference):
    content = read_json(RAW_FILE)
    overrides = parse_settings(["gpu=gb200", "model=gpt-oss-120b", "framework=dynamo-trt", "precision=fp4"])
    assert overrides == {"gpu_raw": "gb200", "model_raw": "gpt-oss-120b", "framework": "dynamo-trt", "precision": "fp4"}
    frame, problems = only_frame(RAW_FILE, overrides)
    assert problems == []
    points, problems = normalise(frame, reference)
    assert [p for p in problems if p.severity == "error"] == []
    pt = points.iloc[0]
    # gpus_16_ctx_8_gen_8 in the file name: 16 GPUs, 8 prefill + 8 decode
    assert pt["gpus"] == 16
    assert (pt["prefill_gpus"], pt["decode_gpus"]) == (8, 8)
    assert pt["deployment"] == "Disaggregated"
    assert pt["tput"] == pytest.approx(content["total_token_throughput"] / 16)
    assert pt["tput"] == pytest.approx(3451.1624296487935 / 16)
    assert pt["tput_output"] == pytest.approx(content["output_throughput"] / 16)
    assert pt["tput_input"] == pytest.approx((content["total_token_throughput"] - content["output_throughput"]) / 16)
    assert pt["intvty"] == pytest.approx(1000.0 / content["median_tpot_ms"])
    assert pt["intvty"] == pytest.approx(1000.0 / 9.03941193840877)
    # milliseconds become seconds
    assert pt["ttft_median"] == pytest.approx(content["median_ttft_ms"] / 1000)
    assert pt["tpot_median"] == pytest.approx(0.00903941193840877)
    assert pt["e2el_median"] == pytest.approx(9.359918448608369)
    assert pt["e2el_p99"] == pytest.approx(content["p99_e2el_ms"] / 1000)
    assert pt["ttft_p90"] == pytest.approx(content["p90_ttft_ms"] / 1000)
    assert pt["conc"] == content["max_concurrency"] == 16
    assert (pt["isl"], pt["osl"]) == (1024, 1024)  # 163840 tokens / 160 requests
    assert pt["date"] == "2026-04-28"  # from "20260428-110159"
    assert pt["gpu"] == "gb200"
    assert pt["model"] == "gptoss120b"  # alias in models.csv
    assert pt["precision"] == "fp4"
    assert pt["spec"] == "none"


def test_raw_whole_sweep_loads_with_overrides(reference):
    overrides = {"gpu_raw": "gb200", "model_raw": "minimaxm2.5", "framework": "dynamo-trt", "precision": "fp8"}
    frames = []
    for path in sorted((RUNNER_RAW / "minimax-m2.5").glob("*.json")):
        frame, problems = only_frame(path, overrides)
        assert problems == []
        frames.append(frame)
    points, problems = normalise(pd.concat(frames, ignore_index=True), reference)
    assert [p for p in problems if p.severity == "error"] == []
    assert sorted(points["conc"]) == [4, 8, 16, 32, 64, 128, 256, 512]
    for path in (RUNNER_RAW / "minimax-m2.5").glob("*.json"):
        content = read_json(path)
        pt = points[points["conc"] == content["max_concurrency"]].iloc[0]
        assert pt["tput"] == pytest.approx(content["total_token_throughput"] / 16)
        assert pt["intvty"] == pytest.approx(1000.0 / content["median_tpot_ms"])


def test_raw_gpu_count_from_tp_setting_when_file_name_has_none(tmp_path, reference):
    target = tmp_path / "result.json"
    shutil.copy(RAW_FILE, target)
    overrides = {"gpu_raw": "h200", "model_raw": "gptoss120b", "framework": "vllm", "precision": "fp8", "tp": "8"}
    frame, problems = only_frame(target, overrides)
    assert problems == []
    points, _ = normalise(frame, reference)
    assert points.iloc[0]["tput"] == pytest.approx(3451.1624296487935 / 8)
    assert points.iloc[0]["gpus"] == 8


def test_raw_without_gpu_count_asks_for_it(tmp_path, reference):
    # Found while writing these tests: the load used to reject the record as "tput missing"
    # without saying that the GPU count (tp / gpus) is what the user has to supply.
    target = tmp_path / "result.json"
    shutil.copy(RAW_FILE, target)
    overrides = {"gpu_raw": "h200", "model_raw": "gptoss120b", "framework": "vllm", "precision": "fp8"}
    problems = []
    docs = read_documents(target, target.name, problems)
    frame = read_document(docs[0], problems, overrides)
    if frame is not None:
        _, more = normalise(frame, reference)
        problems += more
    hints = [p for p in problems if "gpus" in p.message or "tp" in p.message.split()]
    assert hints and all(p.file == "result.json" for p in hints)


# ------------------------------------------------------------------ format detection

def test_detect_format_on_real_files():
    assert detect_format(read_json(API_LATEST)) == "api"
    assert detect_format(read_json(SEED_AGG)) == "agg"
    assert detect_format(read_json(KIMI_1K1K)) == "agg"
    assert detect_format(read_json(RAW_FILE)) == "raw"


@pytest.mark.parametrize("content", [{"foo": 1}, [{"foo": 1}], [1, 2, 3], "text", 42, {"a_ms": 1}])
def test_detect_format_unknown(content):
    assert detect_format(content) is None


def test_unknown_format_problem(make_data_dir):
    data = make_data_dir({"weird.json": [{"name": "x", "value": 3}], "good.json": read_json(KIMI_1K1K)})
    ds = build_dataset(data, fallback_dir=None)
    weird = [p for p in ds.problems if p.file == "weird.json"]
    assert len(weird) == 1
    assert weird[0].message == UNKNOWN_FORMAT
    assert "unknown format" in weird[0].message
    assert len(ds.points) == 1  # the good file still loads


# ------------------------------------------------------------------ zip archives

def _zip_bytes(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_and_nested_zip(tmp_path):
    seed = SEED_AGG.read_bytes()
    kimi = KIMI_1K1K.read_bytes()
    inner = _zip_bytes({"runs/kimi.json": kimi, "notes.txt": b"not data"})
    outer = _zip_bytes({"seed/agg_bmk.json": seed, "inner.zip": inner, "__MACOSX/._agg_bmk.json": b"\x00\x01"})
    path = tmp_path / "bundle.zip"
    path.write_bytes(outer)
    problems = []
    docs = read_documents(path, "bundle.zip", problems)
    assert problems == []
    names = sorted(d.name for d in docs)
    assert names == ["bundle.zip:inner.zip:runs/kimi.json", "bundle.zip:seed/agg_bmk.json"]
    frames = [read_document(d, problems) for d in docs]
    assert sorted(len(f) for f in frames) == [1, 27]


def test_zip_in_data_dir_loads_like_the_json(make_data_dir, seed_records):
    data = make_data_dir({"seed.zip": _zip_bytes({"agg_bmk.json": json.dumps(seed_records)})})
    ds = build_dataset(data, fallback_dir=None)
    assert len(ds.points) == 27
    assert set(ds.points["source"].astype(str)) == {"seed.zip:agg_bmk.json"}
    assert ds.errors == []


def test_zip_without_json_and_broken_zip(tmp_path):
    empty = tmp_path / "empty.zip"
    empty.write_bytes(_zip_bytes({"readme.md": b"hello"}))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 this is not a zip")
    problems = []
    assert read_documents(empty, "empty.zip", problems) == []
    assert read_documents(broken, "broken.zip", problems) == []
    assert [p.file for p in problems] == ["empty.zip", "broken.zip"]
    assert "no .json" in problems[0].message
    assert "zip" in problems[1].message


def test_bad_member_inside_zip_is_named(tmp_path):
    path = tmp_path / "mixed.zip"
    path.write_bytes(_zip_bytes({"good.json": KIMI_1K1K.read_bytes(), "bad.json": b'{"hw": "b300",\n  "conc": }'}))
    problems = []
    docs = read_documents(path, "mixed.zip", problems)
    assert [d.name for d in docs] == ["mixed.zip:good.json"]
    assert len(problems) == 1 and problems[0].file == "mixed.zip:bad.json"
    assert "line 2, column 11" in problems[0].message


# ------------------------------------------------------------------ malformed content

def test_malformed_json_reports_line_and_column(tmp_path):
    text = '[\n  {"hw": "b300", "conc": 4},\n  {"hw": "b300" "conc": 8}\n]\n'
    # line 3 is '  {"hw": "b300" "conc": 8}': the missing comma is found at the
    # second string, 1-based column 17
    assert text.splitlines()[2].index('"conc"') + 1 == 17
    path = tmp_path / "broken.json"
    path.write_text(text)
    problems = []
    assert read_documents(path, "broken.json", problems) == []
    assert len(problems) == 1
    p = problems[0]
    assert p.file == "broken.json"
    assert "malformed JSON" in p.message
    assert "line 3, column 17" in p.message


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes('{"hw": "b300 é"}'.encode("latin-1"))
    problems = []
    assert read_documents(path, "latin.json", problems) == []
    assert "UTF-8" in problems[0].message


def test_non_object_array_entries_are_reported_and_skipped(make_data_dir, seed_records):
    content = [seed_records[0], 42, "oops", seed_records[1], None, [1, 2]]
    data = make_data_dir({"mixed.json": content})
    ds = build_dataset(data, fallback_dir=None)
    assert len(ds.points) == 2
    # the records keep their position in the file
    assert sorted(ds.points["record"]) == [0, 3]
    bad = sorted((p.record, p.message) for p in ds.problems if p.file == "mixed.json")
    assert [r for r, _ in bad] == [1, 2, 4, 5]
    assert "expected a JSON object, got int" in bad[0][1]
    assert "got str" in bad[1][1]
    assert "got NoneType" in bad[2][1] or "got None" in bad[2][1]
    assert "got list" in bad[3][1]


def test_source_document_direct():
    problems = []
    frame = read_document(SourceDoc("x.json", {"hw": "b300", "tput_per_gpu": 1.0}), problems)
    assert frame is not None and len(frame) == 1
    assert frame.loc[0, "gpu_raw"] == "b300"
    assert frame.loc[0, "source"] == "x.json"
    assert math.isclose(frame.loc[0, "tput"], 1.0)
