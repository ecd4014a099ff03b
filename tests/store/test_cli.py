"""python -m frontier ingest/export/migrate/revision with --database-url."""

from __future__ import annotations

import subprocess
import sys

import pytest

from frontier.__main__ import main

from .conftest import API_DIR, REPO, SEED_DIR


def test_ingest_export_and_back_on_the_command_line(pg_url, make_pg_url, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("FRONTIER_DATABASE_URL", raising=False)
    assert main(["migrate", "--database-url", pg_url]) == 0
    assert "schema version 1" in capsys.readouterr().out
    assert main(["ingest", str(SEED_DIR), "--database-url", pg_url, "--source", "nightly 1"]) == 0
    out = capsys.readouterr().out
    assert "Database: PostgreSQL" in out and "Added: 27 records (batch 1)" in out and "revision 1" in out
    assert main(["ingest", str(SEED_DIR), "--database-url", pg_url]) == 0  # all duplicates: still success
    assert "Skipped: 27 duplicates (27 already in PostgreSQL" in capsys.readouterr().out
    assert main(["revision", "--database-url", pg_url]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "1" and "nightly 1" in out

    target = tmp_path / "exported"
    assert main(["export", "--database-url", pg_url, str(target)]) == 0
    assert "Exported 27 measurements in 1 batches" in capsys.readouterr().out
    assert main(["revision", "--data-dir", str(target)]) == 0
    assert capsys.readouterr().out.startswith("1+")

    other = make_pg_url()
    monkeypatch.setenv("FRONTIER_DATABASE_URL", other)  # the environment works as well
    assert main(["ingest", str(target)]) == 0
    assert "Added: 27 records (batch 1)" in capsys.readouterr().out
    # an explicit --data-dir means the folder store, whatever the environment says
    folder = tmp_path / "folder"
    assert main(["ingest", str(API_DIR / "dsr1_latest.json"), "--data-dir", str(folder)]) == 0
    assert f"Data directory: {folder}" in capsys.readouterr().out


def test_errors_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.delenv("FRONTIER_DATABASE_URL", raising=False)
    run = lambda *args: subprocess.run([sys.executable, "-m", "frontier", *args], cwd=REPO, capture_output=True,  # noqa: E731
                                       text=True, timeout=60)
    r = run("export", str(tmp_path / "x"))
    assert r.returncode == 2 and "--database-url is required" in r.stderr
    r = run("ingest", str(SEED_DIR), "--database-url", "postgresql://u:pw@127.0.0.1:1/db")
    assert r.returncode == 1 and "cannot connect to PostgreSQL db at 127.0.0.1:1" in r.stderr and "pw" not in r.stderr


@pytest.mark.parametrize("args", [["export", "--help"], ["migrate", "--help"], ["ingest", "--help"]])
def test_help(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 0 and "--database-url" in capsys.readouterr().out
