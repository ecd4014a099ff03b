"""``python -m frontier ingest`` against hostile input and interrupted runs (issue 12)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import hostile
from .conftest import API_LATEST, read_json
from frontier.__main__ import main
from frontier.dataset import build_dataset
from frontier.ingest import INGEST_SUBDIR, PAUSE_AFTER_TEMP_ENV, STALE_TEMP_SECONDS, ingest, remove_stale_temp_files

ROOT = Path(__file__).resolve().parents[2]
AGG = ROOT / "tests" / "fixtures" / "runner" / "agg"


def run_cli(*args, env_extra=None, **kw) -> subprocess.Popen:
    env = {**os.environ, **(env_extra or {})}
    env.pop("FRONTIER_DATA_DIR", None)
    return subprocess.Popen([sys.executable, "-m", "frontier", "ingest", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_cli_names_a_deeply_nested_file_and_exits_1_without_a_traceback(data_dir, tmp_path):
    bad = tmp_path / "deep.json"
    bad.write_bytes(hostile.deep(100_000))
    proc = run_cli(bad, "--data-dir", data_dir)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in out + err
    assert f"{bad}: JSON nested more than 1024 levels deep" in out
    assert not (data_dir / INGEST_SUBDIR).exists()


def test_ingest_of_the_whole_corpus_names_every_file(data_dir, tmp_path, capsys):
    rows = read_json(API_LATEST)
    corpus = tmp_path / "in"
    expect = hostile.write_corpus(corpus, rows, tmp_path / "outside")
    code = main(["ingest", str(corpus), "--data-dir", str(data_dir)])
    out = capsys.readouterr().out
    assert code == 0  # the good records were added
    for name in expect:
        assert os.path.join(str(corpus), name) in out, name
    # the folder now loads, hostile input and all, without an error
    ds = build_dataset(data_dir, fallback_dir=None)
    assert ds.errors == [] and len(ds.points) == 5


def test_existing_hostile_files_in_the_data_dir_do_not_stop_an_ingest(data_dir, tmp_path):
    (data_dir / "deep.json").write_bytes(hostile.deep(100_000))
    (data_dir / "binary.json").write_bytes(bytes(range(256)) * 4)
    report = ingest([AGG], data_dir)
    assert report.added == 3 and report.written is not None


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_ingested_file_has_the_permissions_of_the_umask(data_dir, umask, mode):
    old = os.umask(umask)
    try:
        report = ingest([AGG], data_dir)
    finally:
        os.umask(old)
    assert report.written.stat().st_mode & 0o777 == mode


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temp_files_are_removed_and_reported(data_dir):
    folder = data_dir / INGEST_SUBDIR
    folder.mkdir()
    dead = folder / f".ingest-{_dead_pid()}-abc123.tmp"  # its writer is gone
    old = folder / f".ingest-{os.getppid()}-def456.tmp"  # the writer's pid lives on, but 20 minutes on
    fresh = folder / f".ingest-{os.getppid()}-ghi789.tmp"  # a live writer, just now: left alone
    for path in (dead, old, fresh):
        path.write_text("[")
    past = time.time() - 2 * STALE_TEMP_SECONDS
    os.utime(old, (past, past))

    dry = ingest([AGG], data_dir, dry_run=True)  # writes nothing, removes nothing
    assert dry.removed_temp == [] and dead.exists()

    report = ingest([AGG], data_dir)
    assert sorted(report.removed_temp) == sorted([dead.name, old.name])
    assert not dead.exists() and not old.exists() and fresh.exists()
    assert any(line.startswith("Removed 2 temporary files left by an interrupted ingest") for line in report.lines())
    assert remove_stale_temp_files(folder, now=time.time() + 2 * STALE_TEMP_SECONDS) == [fresh.name]


def test_ingest_killed_mid_write_then_run_again(data_dir):
    """kill -9 after the temporary file is written: nothing half-written is ever loaded, and
    the next ingest removes the leftover and writes the file."""
    proc = run_cli(AGG, "--data-dir", data_dir, env_extra={PAUSE_AFTER_TEMP_ENV: "60"})
    folder = data_dir / INGEST_SUBDIR
    deadline = time.time() + 60
    temps: list[Path] = []
    while time.time() < deadline and not temps and proc.poll() is None:
        temps = list(folder.glob(".ingest-*.tmp")) if folder.exists() else []
        time.sleep(0.05)
    assert temps, "the ingest never wrote its temporary file"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert [p.name for p in folder.iterdir()] == [temps[0].name]  # only the leftover
    assert build_dataset(data_dir, fallback_dir=None).points.empty  # and it is never loaded

    again = run_cli(AGG, "--data-dir", data_dir)
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, out + err
    assert f"Removed 1 temporary file left by an interrupted ingest: {temps[0].name}" in out
    left = sorted(p.name for p in folder.iterdir())
    assert len(left) == 1 and left[0].endswith(".json") and not left[0].startswith(".")
    ds = build_dataset(data_dir, fallback_dir=None)
    assert ds.problems == [] and len(ds.points) == 3
    assert json.loads((folder / left[0]).read_text())  # complete JSON
