"""``python -m frontier ingest``: validation, duplicates, the written file, atomicity, CLI."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontier import ingest as ingest_mod
from frontier.__main__ import ProgressPrinter, _expand_set_pairs, main
from frontier.dataset import BUNDLED_DATA_DIR, build_dataset
from frontier.ingest import INGEST_SUBDIR, IngestUsageError, ingest, to_aggregate_records
from frontier.loaders import SourceDoc, parse_settings, read_document
from frontier.normalise import normalise
from frontier.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "runner"
AGG = FIXTURES / "agg"
RAW = FIXTURES / "raw_benchmark_serving"
RAW_SETTINGS = ["gpu=mi355x", "model=gptoss120b", "framework=vllm", "precision=fp4", "seq=1k1k"]

# Columns that describe where a point was read from, not what it is.
PROVENANCE = {"source", "record", "format", "file_mtime"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and folder under ``folder`` with its bytes (folders map to b"<dir>")."""
    out = {}
    for path in sorted(folder.rglob("*")):
        out[str(path.relative_to(folder))] = b"<dir>" if path.is_dir() else path.read_bytes()
    return out


def ingested_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / INGEST_SUBDIR).glob("*")) if (data_dir / INGEST_SUBDIR).exists() else []


def agg_record(**changes) -> dict:
    rec = json.loads(sorted(AGG.glob("*.json"))[0].read_text())
    rec["date"] = "2026-01-15"
    rec.update(changes)
    return rec


def comparable(points: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in points.columns if c not in PROVENANCE]
    out = points[cols].copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(object)
    return out.sort_values(["point_id", "date"]).reset_index(drop=True)


def assert_same_points(a: pd.DataFrame, b: pd.DataFrame) -> None:
    left, right = comparable(a), comparable(b)
    assert list(left["point_id"]) == list(right["point_id"])
    assert list(left["date"]) == list(right["date"])
    assert set(left.columns) == set(right.columns)
    pd.testing.assert_frame_equal(left, right[left.columns], check_exact=True)


# --------------------------------------------------------------------------- aggregates


def test_agg_files_into_empty_dir_and_round_trip(data_dir):
    report = ingest([AGG], data_dir)

    assert report.added == 3 and report.duplicates == 0 and report.rejected_records == 0
    assert report.exit_code == 0
    assert report.written is not None and report.written.parent == data_dir / INGEST_SUBDIR
    assert ingested_files(data_dir) == [report.written]
    name = report.written.name
    assert name.endswith(".json") and len(name.split("-")) == 2  # <UTC timestamp>-<hash>.json
    # the fixtures carry no date: a warning says which day was used instead
    assert any(p.field == "date" and "no date" in p.message for p in report.warnings)

    records = json.loads(report.written.read_text())
    assert isinstance(records, list) and len(records) == 3
    first = records[0]
    assert all(not isinstance(v, (dict, list)) for v in first.values())  # flat objects
    for field in ("hw", "conc", "image", "model", "infmax_model_prefix", "framework", "precision", "spec_decoding",
                  "disagg", "isl", "osl", "is_multinode", "tp", "ep", "dp_attention", "tput_per_gpu",
                  "output_tput_per_gpu", "input_tput_per_gpu", "median_intvty", "median_tpot", "median_ttft",
                  "p99_e2el", "date"):
        assert field in first, field
    assert "std_intvty" not in first
    assert {r["hw"] for r in records} == {"mi355x"}
    assert {r["infmax_model_prefix"] for r in records} == {"kimik2.5"}
    assert {r["spec_decoding"] for r in records} == {"mtp"}
    assert all(len(r["date"]) == 10 for r in records)

    # Round trip: the data directory now loads exactly the points the fixtures load to.
    original = build_dataset(AGG)
    reloaded = build_dataset(data_dir)
    assert not reloaded.errors
    assert len(reloaded.points) == 3
    assert_same_points(original.points, reloaded.points)


def test_normalised_values_are_written(data_dir, tmp_path):
    src = tmp_path / "in" / "agg_bmk.json"
    src.parent.mkdir()
    src.write_text(json.dumps([
        agg_record(hw="cluster:B300-nv", precision="NVFP4", spec_decoding="", infmax_model_prefix="DeepSeek-R1",
                   date="20260115-101010", conc=8),
    ]))
    report = ingest([src], data_dir)
    assert report.added == 1
    (rec,) = json.loads(report.written.read_text())
    assert rec["hw"] == "b300"
    assert rec["precision"] == "fp4"
    assert rec["spec_decoding"] == "none"
    assert rec["infmax_model_prefix"] == "dsr1"
    assert rec["date"] == "2026-01-15"
    assert rec["conc"] == 8 and isinstance(rec["conc"], int)
    assert_same_points(build_dataset(src.parent).points, build_dataset(data_dir).points)


def test_disaggregated_api_rows_round_trip(data_dir, tmp_path):
    """InferenceX API rows (disaggregated and multi-node included) survive the rewrite."""
    rows = json.loads((BUNDLED_DATA_DIR / "benchmarks" / "inferencex" / "dsr1_latest.json").read_text())
    picked = [r for r in rows if r.get("disagg")][:20] + [r for r in rows if not r.get("disagg")][:20]
    assert any(r.get("disagg") for r in picked)
    src = tmp_path / "in" / "api.json"
    src.parent.mkdir()
    src.write_text(json.dumps(picked))
    report = ingest([src], data_dir)
    assert report.added + report.duplicates_input == len(picked)
    records = json.loads(report.written.read_text())
    assert any("decode_tp" in r and "num_prefill_gpu" in r for r in records)
    assert_same_points(build_dataset(src.parent).points, build_dataset(data_dir).points)


# --------------------------------------------------------------------------- raw results


def test_raw_results_with_settings(data_dir):
    folder = RAW / "gpt-oss-120b"
    report = ingest([folder], data_dir, parse_settings(RAW_SETTINGS))
    assert report.added == 8 and not report.errors
    points = build_dataset(data_dir).points.set_index("conc")
    for path in folder.glob("*.json"):
        raw = json.loads(path.read_text())
        point = points.loc[raw["max_concurrency"]]
        assert point["tput"] == pytest.approx(raw["total_token_throughput"] / 16, rel=1e-12)
        assert point["tput_output"] == pytest.approx(raw["output_throughput"] / 16, rel=1e-12)
        assert point["intvty"] == pytest.approx(1000.0 / raw["median_tpot_ms"], rel=1e-12)
        assert point["tpot_median"] == pytest.approx(raw["median_tpot_ms"] / 1000.0, rel=1e-12)
        assert point["gpus"] == 16
        assert point["gpu"] == "mi355x" and point["model"] == "gptoss120b" and point["precision"] == "fp4"
        assert (point["isl"], point["osl"]) == (1024, 1024)
        assert point["date"] == "2026-04-28"
        assert bool(point["disagg"])


def test_raw_results_without_settings_are_rejected_with_the_reason(data_dir):
    before = snapshot(data_dir)
    report = ingest([RAW / "minimax-m2.5"], data_dir)
    assert report.added == 0 and report.exit_code == 1
    assert len(report.unreadable) == 8
    text = "\n".join(report.lines())
    assert "raw benchmark_serving result carries no configuration" in text
    assert "supply gpu, model, framework, precision" in text
    assert "--set gpu=" in text
    assert snapshot(data_dir) == before


def test_raw_result_without_gpu_count(data_dir, tmp_path):
    """No gpus_N in the file name: the user is told to give gpus= (or tp=), and tp= works."""
    src = tmp_path / "in" / "result.json"
    src.parent.mkdir()
    shutil.copy(next((RAW / "gpt-oss-120b").glob("concurrency_4_*.json")), src)

    report = ingest([src], data_dir, parse_settings(RAW_SETTINGS))
    assert report.added == 0 and report.rejected_records == 1
    assert any("--set gpus=N" in p.message for p in report.errors)

    report = ingest([src], data_dir, parse_settings([*RAW_SETTINGS, "tp=8"]))
    assert report.added == 1
    (point,) = build_dataset(data_dir).points.to_dict("records")
    raw = json.loads(src.read_text())
    assert point["tput"] == pytest.approx(raw["total_token_throughput"] / 8)


# --------------------------------------------------------------------------- zips, duplicates


def test_zip_of_agg_files_with_nested_zip(data_dir, tmp_path):
    files = sorted(AGG.glob("*.json"))
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        for f in files[1:]:
            z.write(f, f"run2/{f.name}")
    archive = tmp_path / "artifacts.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(files[0], f"run1/{files[0].name}")
        z.writestr("nested/more.zip", inner.getvalue())
        z.writestr("run1/.hidden.json", "not json")
        z.writestr("README.txt", "ignored")
    report = ingest([archive], data_dir)
    assert report.files == [str(archive)]
    assert report.documents == 3
    assert report.added == 3 and not report.errors
    assert len(build_dataset(data_dir).points) == 3


def test_zip_with_a_broken_member(data_dir, tmp_path):
    archive = tmp_path / "artifacts.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in sorted(AGG.glob("*.json")):
            z.write(f, f.name)
        z.writestr("broken.json", "{")
    report = ingest([archive], data_dir, strict=True)
    assert report.unreadable == [f"{archive}:broken.json"]
    assert report.exit_code == 1 and report.written is None
    report = ingest([archive], data_dir)
    assert report.added == 3 and report.exit_code == 0
    assert f"{archive}:broken.json: malformed JSON" in "\n".join(report.lines())


def test_second_ingest_is_all_duplicates_and_writes_nothing(data_dir):
    first = ingest([AGG], data_dir)
    assert first.added == 3
    before = snapshot(data_dir)

    second = ingest([AGG], data_dir)
    assert second.added == 0
    assert second.duplicates_existing == 3 and second.duplicates == 3
    assert second.written is None
    assert second.exit_code == 0
    assert "nothing new" in second.reason
    assert snapshot(data_dir) == before


def test_files_already_in_the_data_dir_count_as_duplicates(data_dir):
    """Existing points are found however they got there (here: plain copies of the files)."""
    shutil.copytree(AGG, data_dir / "runs", copy_function=shutil.copy2)  # copy2 keeps the mtime
    before = snapshot(data_dir)
    report = ingest([AGG], data_dir)
    assert report.duplicates_existing == 3 and report.added == 0 and report.exit_code == 0
    assert report.existing_points == 3
    assert snapshot(data_dir) == before


def test_data_dir_holding_only_unloadable_files(data_dir):
    (data_dir / "junk.json").write_text("{not json")
    report = ingest([AGG], data_dir)
    assert report.added == 3 and report.written is not None


def test_repeats_within_the_input_are_counted_once(data_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(AGG, copy)
    for f in copy.iterdir():  # same measurement, same day, different file
        os.utime(f, (f.stat().st_atime, next(AGG.glob(f.name)).stat().st_mtime))
    report = ingest([AGG, copy, AGG / next(iter(sorted(os.listdir(AGG))))], data_dir)
    assert len(report.files) == 6  # a file named twice is read once
    assert report.added == 3 and report.duplicates_input == 3
    assert report.records == report.added + report.duplicates + report.rejected_records
    assert len(json.loads(report.written.read_text())) == 3


def test_new_date_for_a_known_point_is_added(data_dir, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.json").write_text(json.dumps(agg_record(date="2026-01-15")))
    assert ingest([src], data_dir).added == 1
    (src / "a.json").write_text(json.dumps(agg_record(date="2026-02-15")))
    report = ingest([src], data_dir)
    assert report.added == 1 and report.duplicates == 0
    points = build_dataset(data_dir).points
    assert points["point_id"].nunique() == 1 and sorted(points["date"].astype(str)) == ["2026-01-15", "2026-02-15"]


# --------------------------------------------------------------------------- bad input


def write_mixed_input(folder: Path) -> Path:
    folder.mkdir()
    (folder / "broken.json").write_text('[{"hw": "b300", ')
    (folder / "agg_bmk.json").write_text(json.dumps([
        agg_record(conc=4),
        agg_record(conc=8, tput_per_gpu="fast"),
        agg_record(conc=16, tput_per_gpu=-5.0),
        agg_record(conc=32),
        7,
    ]))
    return folder


def test_bad_records_are_reported_and_good_ones_added(data_dir, tmp_path):
    src = write_mixed_input(tmp_path / "in")
    report = ingest([src], data_dir)

    assert report.added == 2
    assert report.rejected_records == 3
    assert report.unreadable == [str(src / "broken.json")]
    assert report.records == 5 == report.added + report.duplicates + report.rejected_records
    assert report.exit_code == 0

    agg = str(src / "agg_bmk.json")
    by_record = {(p.file, p.record): p for p in report.errors if p.record is not None}
    assert by_record[(agg, 1)].field == "tput_per_gpu" and "'fast'" in by_record[(agg, 1)].message
    assert by_record[(agg, 2)].field == "tput_per_gpu" and "-5.0" in by_record[(agg, 2)].message
    assert "expected a JSON object" in by_record[(agg, 4)].message
    text = "\n".join(report.lines())
    assert f"{agg}, record 1, field 'tput_per_gpu': expected a positive throughput" in text
    assert f"{agg}, record 2, field 'tput_per_gpu'" in text
    assert "broken.json: malformed JSON at line 1" in text

    assert sorted(build_dataset(data_dir).points["conc"]) == [4, 32]


def test_strict_with_a_bad_record_writes_nothing(data_dir, tmp_path):
    src = write_mixed_input(tmp_path / "in")
    before = snapshot(data_dir)
    report = ingest([src], data_dir, strict=True)
    assert report.added == 0 and report.written is None
    assert report.exit_code == 1
    assert "--strict" in report.reason
    assert snapshot(data_dir) == before


def test_nothing_readable_exits_1(data_dir, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    report = ingest([bad], data_dir)
    assert report.records == 0 and report.exit_code == 1 and report.written is None


def test_unknown_gpu_and_model_are_warnings(data_dir, tmp_path):
    src = tmp_path / "in.json"
    src.write_text(json.dumps([agg_record(hw="tpu7-x", infmax_model_prefix="mystery")]))
    report = ingest([src], data_dir)
    assert report.added == 1
    messages = " | ".join(p.message for p in report.warnings)
    assert "unknown gpu 'tpu7'" in messages and "unknown model 'mystery'" in messages


def test_dry_run_writes_nothing(data_dir):
    before = snapshot(data_dir)
    report = ingest([AGG], data_dir, dry_run=True)
    assert report.added == 3 and report.written is None and report.exit_code == 0
    assert "Would add: 3 records" in "\n".join(report.lines())
    assert snapshot(data_dir) == before


def test_missing_path_is_a_usage_error(data_dir, tmp_path):
    with pytest.raises(IngestUsageError, match="no such file"):
        ingest([tmp_path / "nope.json"], data_dir)


def test_new_data_dir_is_created(tmp_path):
    target = tmp_path / "fresh" / "data"
    report = ingest([AGG], target)
    assert report.added == 3 and report.written.is_file()
    assert len(build_dataset(target).points) == 3


# --------------------------------------------------------------------------- atomicity


def test_failure_during_write_leaves_data_dir_unchanged(data_dir, monkeypatch):
    before = snapshot(data_dir)

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="No space"):
        ingest([AGG], data_dir)
    assert snapshot(data_dir) == before  # no ingested/ folder, no temporary file


def test_failure_during_write_keeps_earlier_ingests(data_dir, tmp_path, monkeypatch):
    ingest([AGG], data_dir)
    before = snapshot(data_dir)
    monkeypatch.setattr(os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError("disk gone")))
    with pytest.raises(OSError):
        ingest([RAW / "gpt-oss-120b"], data_dir, parse_settings(RAW_SETTINGS))
    assert snapshot(data_dir) == before
    assert not [p for p in (data_dir / INGEST_SUBDIR).iterdir() if p.name.startswith(".")]


def test_exception_before_write_leaves_data_dir_unchanged(data_dir, monkeypatch):
    before = snapshot(data_dir)

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(ingest_mod, "to_aggregate_records", broken)
    with pytest.raises(RuntimeError):
        ingest([AGG], data_dir)
    assert snapshot(data_dir) == before


# --------------------------------------------------------------------------- progress


def test_progress_callback_counts_files(data_dir):
    calls = []
    ingest([RAW / "gpt-oss-120b"], data_dir, parse_settings(RAW_SETTINGS),
           progress=lambda *a: calls.append(a))
    reading = [c for c in calls if c[0] == "reading"]
    assert [c[1] for c in reading] == list(range(1, 9))
    assert all(c[2] == 8 for c in reading)


def test_progress_printer_lines_when_not_a_tty():
    out = io.StringIO()
    show = ProgressPrinter(out)
    for i in range(1, 101):
        show("reading", i, 100, f"f{i}.json")
    lines = out.getvalue().splitlines()
    assert len(lines) == 10 and lines[-1] == "Reading input files: 100/100 (100%)"
    assert "\r" not in out.getvalue()

    quiet = io.StringIO()
    for i in range(1, 3):
        ProgressPrinter(quiet)("reading", i, 2, "x")
    assert quiet.getvalue() == ""


def test_progress_printer_overwrites_on_a_tty():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    out = Tty()
    show = ProgressPrinter(out)
    for i in range(1, 21):
        show("reading", i, 20, "f.json")
    text = out.getvalue()
    assert text.count("\r") == 20 and text.endswith("\n") and text.count("\n") == 1


# --------------------------------------------------------------------------- command line


def run_cli(*args, env=None, cwd=ROOT):
    environment = {k: v for k, v in os.environ.items() if k != "FRONTIER_DATA_DIR"}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "frontier", "ingest", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=environment, timeout=120)


def test_cli_prints_counts_and_how_to_start_the_app(data_dir):
    result = run_cli(AGG, "--data-dir", data_dir)
    assert result.returncode == 0, result.stderr
    assert "Added: 3 records" in result.stdout
    assert "Skipped: 0 duplicates" in result.stdout
    assert "Rejected: 0 records" in result.stdout
    assert f"python app.py --data-dir {data_dir}" in result.stdout

    again = run_cli(AGG, "--data-dir", data_dir)
    assert again.returncode == 0
    assert "Added: 0 records" in again.stdout and "Skipped: 3 duplicates" in again.stdout
    assert len(ingested_files(data_dir)) == 1


def test_cli_raw_with_set_pairs(data_dir):
    result = run_cli(RAW / "gpt-oss-120b", "--set", "gpu=mi355x", "model=gptoss120b", "framework=vllm",
                     "--set", "precision=fp4", "--set", "seq=1k1k", "--data-dir", data_dir)
    assert result.returncode == 0, result.stderr
    assert "Added: 8 records" in result.stdout
    assert "Reading input files: 8/8 (100%)" in result.stderr  # progress, one line per ~10% off a TTY


def test_cli_rejections_and_strict(data_dir, tmp_path):
    src = write_mixed_input(tmp_path / "in")
    result = run_cli(src, "--data-dir", data_dir, "--strict")
    assert result.returncode == 1
    assert "Rejected: 3 records, 1 file left out entirely" in result.stdout
    assert "record 2, field 'tput_per_gpu'" in result.stdout
    assert "Nothing written" in result.stdout
    assert ingested_files(data_dir) == []

    result = run_cli(src, "--data-dir", data_dir)
    assert result.returncode == 0
    assert "Added: 2 records" in result.stdout


def test_cli_raw_without_settings_says_what_to_supply(data_dir):
    result = run_cli(RAW / "minimax-m2.5", "--data-dir", data_dir)
    assert result.returncode == 1
    assert "supply gpu, model, framework, precision" in result.stdout


@pytest.mark.parametrize("bad", ["foo=1", "gpu", "seq=3k"])
def test_cli_bad_set_is_a_usage_error(data_dir, bad):
    result = run_cli(AGG, "--set", bad, "--data-dir", data_dir)
    assert result.returncode == 2
    assert "error: --set" in result.stderr
    assert "Traceback" not in result.stderr
    assert ingested_files(data_dir) == []


def test_cli_missing_path_is_a_usage_error(data_dir, tmp_path):
    result = run_cli(tmp_path / "nope", "--data-dir", data_dir)
    assert result.returncode == 2 and "no such file or directory" in result.stderr


def test_cli_data_dir_from_environment(data_dir):
    result = run_cli(AGG, "--dry-run", env={"FRONTIER_DATA_DIR": str(data_dir)})
    assert result.returncode == 0, result.stderr
    assert f"Data directory: {data_dir}" in result.stdout and "Would add: 3 records" in result.stdout
    result = run_cli(AGG, env={"FRONTIER_DATA_DIR": str(data_dir)})
    assert len(ingested_files(data_dir)) == 1


def test_cli_in_process_usage_exit_code(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["ingest", str(AGG), "--set", "nonsense"])
    assert exc.value.code == 2
    assert "NAME=VALUE" in capsys.readouterr().err


def test_expand_set_pairs():
    assert _expand_set_pairs(["ingest", "--set", "gpu=a", "model=b", "dir", "--set", "tp=8"]) == [
        "ingest", "--set", "gpu=a", "--set", "model=b", "dir", "--set", "tp=8"]
    assert _expand_set_pairs(["ingest", "--set", "gpu=a", "--", "x=y.json"]) == ["ingest", "--set", "gpu=a", "--", "x=y.json"]


# --------------------------------------------------------------------------- property


REFERENCE = load_reference(BUNDLED_DATA_DIR)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hw=st.sampled_from(["b300", "GB300-nv", "cluster:mi355x-amds", "h100", "tpu9"]),
    model=st.sampled_from(["dsr1", "DeepSeek-R1-0528", "qwen3.5", "openai/gpt-oss-120b", "newmodel"]),
    precision=st.sampled_from(["fp4", "NVFP4", "mxfp4", "fp8", "bf16"]),
    spec=st.sampled_from(["mtp", "", None, "none", "MTP", "eagle"]),
    tp=st.sampled_from([1, 2, 4, 8]),
    ep=st.sampled_from([None, 1, 2, 8]),
    dpa=st.sampled_from([True, False, "true", "false", None]),
    conc=st.integers(1, 4096),
    tput=st.floats(1e-3, 1e6, allow_nan=False),
    tpot=st.floats(1e-4, 10, allow_nan=False),
    date=st.sampled_from(["2026-01-02", "20260102", "2025-12-31T10:00:00Z"]),
)
def test_written_records_reload_to_the_same_points(hw, model, precision, spec, tp, ep, dpa, conc, tput, tpot, date):
    rec = {"hw": hw, "infmax_model_prefix": model, "framework": "SGLang", "precision": precision,
           "spec_decoding": spec, "isl": 1024, "osl": 8192, "conc": conc, "tp": tp, "ep": ep,
           "dp_attention": dpa, "tput_per_gpu": tput, "median_tpot": tpot, "date": date}
    problems = []
    points, more = normalise(read_document(SourceDoc("a.json", [rec]), problems), REFERENCE)
    assert not [p for p in problems + more if p.severity == "error"]
    again, _ = normalise(read_document(SourceDoc("b.json", to_aggregate_records(points)), []), REFERENCE)
    assert_same_points(points, again)
    assert np.isclose(again["intvty"].iloc[0], 1.0 / tpot)


def test_a_second_ingest_waits_for_the_first(data_dir):
    """Two ingests into one folder never interleave (each checks duplicates under a lock)."""
    import fcntl
    import threading

    held = os.open(data_dir, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)  # stands in for an ingest that is still writing
    results = []
    worker = threading.Thread(target=lambda: results.append(ingest([AGG], data_dir)))
    worker.start()
    worker.join(1.5)
    assert worker.is_alive() and not ingested_files(data_dir)
    os.close(held)
    worker.join(60)
    assert not worker.is_alive()
    assert results[0].added == 3 and len(ingested_files(data_dir)) == 1
