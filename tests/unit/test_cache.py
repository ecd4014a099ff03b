"""The disk cache is only an optimisation: hits, misses, deletion, corruption, stale keys."""

from __future__ import annotations

import copy
import json
import os
import shutil

import pytest

import frontier.dataset as dataset_mod
from frontier.cache import DiskCache, content_key
from frontier.dataset import build_dataset, load_dataset

from .conftest import RUNNER_AGG, read_json


@pytest.fixture
def data_dir(make_data_dir, seed_records):
    kimi = next(RUNNER_AGG.glob("agg_kimik2.5_1k1k_*.json"))
    return make_data_dir({"seed/agg_bmk.json": seed_records, "kimi/agg_kimi.json": read_json(kimi)}, name="data")


@pytest.fixture
def build_calls(monkeypatch):
    """Counts real builds; ``calls.fail = True`` makes any further build raise."""

    class Calls:
        n = 0
        fail = False

    real = dataset_mod.build_dataset

    def counting(*args, **kwargs):
        if Calls.fail:
            raise AssertionError("build_dataset called although the cache should have answered")
        Calls.n += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(dataset_mod, "build_dataset", counting)
    return Calls


def same_points(a, b):
    cols = ["point_id", "tput", "intvty", "cost_total_hyperscaler", "date"]
    left = a.points[cols].astype(str).sort_values("point_id").reset_index(drop=True)
    right = b.points[cols].astype(str).sort_values("point_id").reset_index(drop=True)
    return left.equals(right)


def test_second_load_comes_from_cache(data_dir, tmp_path, build_calls):
    cache = tmp_path / "cache"
    first = load_dataset(data_dir, cache)
    assert build_calls.n == 1
    assert len(first.points) == 28
    assert first.key
    build_calls.fail = True
    second = load_dataset(data_dir, cache)
    assert build_calls.n == 1
    assert second.key == first.key
    assert same_points(first, second)
    assert len(second.latest) == len(first.latest)
    assert second.data_dir == str(data_dir)


def test_no_cache_dir_always_builds(data_dir, build_calls):
    load_dataset(data_dir, None)
    load_dataset(data_dir, None)
    assert build_calls.n == 2


def test_deleted_cache_dir_rebuilds(data_dir, tmp_path, build_calls):
    cache = tmp_path / "cache"
    first = load_dataset(data_dir, cache)
    shutil.rmtree(cache)
    second = load_dataset(data_dir, cache)
    assert build_calls.n == 2
    assert same_points(first, second)
    assert cache.is_dir()  # and the cache is written again
    build_calls.fail = True
    assert same_points(first, load_dataset(data_dir, cache))


def _corrupt_everything(cache_dir):
    files = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert any(p.name == "cache.db" for p in files)
    assert len(files) >= 2  # the sqlite index and at least one value file
    for p in files:
        p.write_bytes(os.urandom(97) + b"\x00garbage\xff" * 13)
    return files


def test_corrupted_cache_files_still_load(data_dir, tmp_path, build_calls):
    cache = tmp_path / "cache"
    reference = build_dataset(data_dir, fallback_dir=None)
    load_dataset(data_dir, cache)
    _corrupt_everything(cache)
    again = load_dataset(data_dir, cache)
    assert same_points(reference, again)
    assert build_calls.n == 2
    # the cache works again afterwards
    build_calls.fail = True
    assert same_points(reference, load_dataset(data_dir, cache))


def test_corrupted_value_file_only(data_dir, tmp_path, build_calls):
    cache = tmp_path / "cache"
    reference = load_dataset(data_dir, cache)
    values = [p for p in cache.rglob("*") if p.is_file() and p.name != "cache.db" and not p.name.startswith("cache.db")]
    assert values
    for p in values:
        p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 3])  # truncated pickle
    again = load_dataset(data_dir, cache)
    assert same_points(reference, again)
    assert build_calls.n == 2


def test_changed_data_file_changes_key_and_is_seen(data_dir, tmp_path, seed_records):
    cache = tmp_path / "cache"
    first = load_dataset(data_dir, cache)
    records = copy.deepcopy(seed_records)
    records[0]["tput_per_gpu"] = 12345.5
    (data_dir / "seed" / "agg_bmk.json").write_text(json.dumps(records))
    second = load_dataset(data_dir, cache)
    assert second.key != first.key
    assert 12345.5 in set(second.points["tput"])
    assert 12345.5 not in set(first.points["tput"])


def test_added_file_and_changed_table_change_key(data_dir, tmp_path, seed_records):
    cache = tmp_path / "cache"
    first = load_dataset(data_dir, cache)
    extra = copy.deepcopy(seed_records[:1])
    extra[0]["date"] = "2026-07-01"
    (data_dir / "more.json").write_text(json.dumps(extra))
    second = load_dataset(data_dir, cache)
    assert second.key != first.key
    assert len(second.points) == len(first.points) + 1
    # the hardware table is part of the key too: a new B300 price shows up in costs
    text = (data_dir / "hardware.csv").read_text().replace("b300,B300,NVIDIA,Blackwell,2.34,", "b300,B300,NVIDIA,Blackwell,4.68,")
    (data_dir / "hardware.csv").write_text(text)
    third = load_dataset(data_dir, cache)
    assert third.key != second.key
    b300 = lambda ds: ds.points[ds.points["gpu"] == "b300"].sort_values("point_id")["cost_total_hyperscaler"].to_numpy()  # noqa: E731
    assert b300(third) == pytest.approx(2 * b300(second))


def test_content_key_depends_on_content_and_name(tmp_path):
    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    a.write_text("[1]")
    b.write_text("[1]")
    k1 = content_key([a], root=tmp_path)
    assert k1 == content_key([a], root=tmp_path)
    assert k1 != content_key([b], root=tmp_path)  # same bytes, other file
    a.write_text("[2]")
    assert k1 != content_key([a], root=tmp_path)
    assert content_key([a, b], root=tmp_path) == content_key([b, a], root=tmp_path)


def test_a_failing_cache_costs_a_rebuild_and_nothing_else(data_dir, tmp_path, build_calls, monkeypatch, caplog):
    """Every read and write of the real diskcache fails (a locked or full disk): the dataset still
    loads, built from the files, with the same points as with a working cache."""
    import diskcache

    good = load_dataset(data_dir, tmp_path / "cache")
    assert build_calls.n == 1

    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    for name in ("get", "set", "delete"):
        monkeypatch.setattr(diskcache.Cache, name, broken)
    again = load_dataset(data_dir, tmp_path / "cache")
    assert build_calls.n == 2  # the cached copy could not be read: rebuilt
    assert same_points(good, again)
    assert "No space left on device" in caplog.text  # said in the log, not raised
    cache = DiskCache(tmp_path / "cache")
    cache.set(("k",), 1)  # does not raise
    assert cache.get(("k",)) is None and cache.memo(("m",), lambda: 7) == 7
    cache.close()


def test_disk_cache_wrapper_turns_failures_into_misses(tmp_path):
    cache = DiskCache(tmp_path / "c")
    assert cache.enabled
    cache.set(("k", 1), {"v": 1})
    assert cache.get(("k", 1)) == {"v": 1}
    assert cache.get(("missing",)) is None
    assert cache.memo(("m",), lambda: 41 + 1) == 42
    assert cache.memo(("m",), lambda: 0) == 42  # second call answered from the cache
    cache.close()
    off = DiskCache(None)
    assert not off.enabled and off.get("x") is None
    off.set("x", 1)
    assert off.memo("x", lambda: 5) == 5
