"""Shared fixtures for the unit tests.

Tests use only files inside the repository (``data/`` and ``tests/fixtures/runner/``);
anything a test breaks is a copy under ``tmp_path``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
BENCH = DATA / "benchmarks"
API_LATEST = BENCH / "inferencex" / "dsr1_latest.json"
API_HISTORY = BENCH / "inferencex" / "dsr1_history.json"
SEED_AGG = BENCH / "qwen35-b300-fp4-1k1k" / "agg_bmk.json"
RUNNER = REPO / "tests" / "fixtures" / "runner"
RUNNER_AGG = RUNNER / "agg"
RUNNER_RAW = RUNNER / "raw_benchmark_serving"


def read_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_data_dir(root: Path, files: dict) -> Path:
    """A data folder holding ``files`` (relative name -> JSON-able object, or bytes/str for
    verbatim content) plus copies of the bundled hardware and model tables."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "hardware.csv", root / "hardware.csv")
    shutil.copy(DATA / "models.csv", root / "models.csv")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content, indent=1), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def bundled_dataset():
    """The whole bundled data folder, built once (no disk cache)."""
    from frontier.dataset import build_dataset

    return build_dataset(DATA, fallback_dir=None)


@pytest.fixture(scope="session")
def seed_records():
    return read_json(SEED_AGG)


@pytest.fixture(scope="session")
def api_latest_rows():
    return read_json(API_LATEST)


@pytest.fixture(scope="session")
def api_history_rows():
    return read_json(API_HISTORY)


@pytest.fixture(scope="session")
def raw_latest(api_history_rows, api_latest_rows):
    """The raw JSON rows, newest measurement of each point (the oracle's view of the data)."""
    from . import json_oracle as jo

    return jo.newest(api_history_rows + api_latest_rows)


@pytest.fixture(scope="session")
def dsr1(bundled_dataset):
    """The app's latest DeepSeek R1 points."""
    latest = bundled_dataset.latest
    return latest[latest["model"].astype(str) == "dsr1"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data directory with the bundled reference tables (ingest tests write into it)."""
    from frontier.dataset import BUNDLED_DATA_DIR

    d = tmp_path / "data"
    d.mkdir()
    for name in ("hardware.csv", "models.csv"):
        shutil.copy(BUNDLED_DATA_DIR / name, d / name)
    return d


@pytest.fixture
def make_data_dir(tmp_path):
    """``make_data_dir({"a.json": [...]})`` -> a fresh data folder under tmp_path."""
    counter = {"n": 0}

    def make(files: dict, name: str | None = None) -> Path:
        counter["n"] += 1
        return write_data_dir(tmp_path / (name or f"data{counter['n']}"), files)

    return make
