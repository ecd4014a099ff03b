"""Live data: new results served without a restart, by every process, failures kept out."""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from frontier.live import LiveData
from frontier.stores import FolderStore
from frontier.views import Index

from .conftest import API_DIR, REPO, SEED_DIR

LIMIT = 15.0  # SPEC §13: served within 15 s


def wait_for(predicate, limit: float = LIMIT, step: float = 0.05) -> float:
    """Seconds until ``predicate()`` held; fails the test past ``limit``."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > limit:
            pytest.fail(f"not within {limit} s")
        time.sleep(step)
    return time.monotonic() - start


@pytest.fixture
def live_folder(empty_data_dir):
    store = FolderStore(empty_data_dir)
    store.ingest([SEED_DIR])
    live = LiveData(store, derive=Index, interval=0.2)
    yield store, live
    live.stop()


def test_ingest_while_running_is_served_and_old_snapshots_stay_whole(live_folder):
    store, live = live_folder
    old = live.current()
    assert old.revision.startswith("1+") and isinstance(old.derived, Index) and old.derived.dataset is old.dataset
    n_old = len(old.dataset.points)
    report = store.ingest([API_DIR / "dsr1_latest.json"])
    wait_for(lambda: live.current().revision == report.revision)
    new = live.current()
    assert len(new.dataset.points) == n_old + report.added and new.derived.dataset is new.dataset
    # a request that took the old snapshot finishes on exactly the old data
    assert len(old.dataset.points) == n_old and old.derived.dataset is old.dataset
    assert live.problems() == [] and live.reloads == 1


def test_a_file_copied_in_by_hand_is_served(live_folder, tmp_path):
    store, live = live_folder
    before = live.current()
    staged = tmp_path / "staged.json"
    shutil.copy(API_DIR / "dsr1_latest.json", staged)
    os.replace(staged, store.data_dir / "copied.json")  # how to drop a file in: whole, at once
    wait_for(lambda: live.current().revision != before.revision)
    assert len(live.current().dataset.points) > len(before.dataset.points)


def test_a_half_copied_file_changes_no_point_and_is_reported(live_folder):
    store, live = live_folder
    before = live.current()
    text = (API_DIR / "dsr1_latest.json").read_bytes()
    (store.data_dir / "partial.json").write_bytes(text[: len(text) // 2])
    wait_for(lambda: live.current().revision != before.revision)
    now = live.current().dataset
    assert now.points.drop(columns="batch").equals(before.dataset.points.drop(columns="batch"))
    assert any(p.file == "partial.json" and "malformed JSON" in p.message for p in now.problems)


class FlakyFolderStore(FolderStore):
    """A folder store whose load (or revision) can be made to fail, as a full disk or a
    dropped database connection would."""

    fail_load = False
    fail_revision = False

    def load(self, previous=None):
        if self.fail_load:
            raise OSError(28, "No space left on device")
        return super().load(previous)

    def revision(self):
        if self.fail_revision:
            raise ConnectionError("store unreachable")
        return super().revision()


def test_a_failed_rebuild_keeps_serving_the_old_data_and_says_so(empty_data_dir):
    store = FlakyFolderStore(empty_data_dir)
    store.ingest([SEED_DIR])
    live = LiveData(store, derive=Index, interval=0.1, max_backoff=0.4)
    try:
        served = live.current()
        store.fail_load = True
        report = store.ingest([API_DIR / "dsr1_latest.json"])
        wait_for(lambda: live.problems() != [])
        (problem,) = live.problems()
        assert f"could not load revision {report.revision}" in problem.message
        assert "No space left on device" in problem.message and served.revision in problem.message
        assert live.current() is served
        store.fail_load = False  # fixed: the next retry serves the new data and clears the notice
        wait_for(lambda: live.current().revision == report.revision)
        assert live.problems() == []
    finally:
        live.stop()


def test_an_unreachable_store_is_reported_and_the_data_still_served(empty_data_dir):
    store = FlakyFolderStore(empty_data_dir)
    store.ingest([SEED_DIR])
    live = LiveData(store, interval=0.1, max_backoff=0.3)
    try:
        served = live.current()
        store.fail_revision = True
        wait_for(lambda: live.problems() != [])
        assert "cannot read the revision" in live.problems()[0].message and live.current() is served
        store.fail_revision = False
        wait_for(lambda: live.problems() == [])
    finally:
        live.stop()


def test_pinned_revisions_through_live_data(live_folder):
    store, live = live_folder
    first = live.current()
    store.ingest([API_DIR / "dsr1_latest.json"])
    live.refresh()
    current = live.current()
    pinned = live.at_revision("1")
    assert pinned is not None and pinned.dataset.pinned_from == current.revision
    assert len(pinned.dataset.points) == len(first.dataset.points)
    assert isinstance(pinned.derived, Index) and pinned.derived.dataset is pinned.dataset
    assert live.at_revision("1") is pinned  # memoised
    assert live.at_revision(current.revision) is current
    assert live.at_revision("99") is None and live.at_revision("nope") is None


def test_concurrent_refreshes_swap_once(live_folder):
    """The poller and a caller (or two callers) refreshing together: one rebuild, one swap;
    the snapshot a request holds is not replaced by an equal one behind its back."""
    store, live = live_folder
    live.current()
    store.ingest([API_DIR / "dsr1_latest.json"])
    results = []
    threads = [threading.Thread(target=lambda: results.append(live.refresh())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    held = live.current()
    assert live.reloads == 1 and results.count(True) <= 1
    live.refresh()
    assert live.current() is held


def test_stop_ends_the_poller(empty_data_dir):
    live = LiveData(FolderStore(empty_data_dir), interval=0.05)
    live.current()
    thread = live._thread
    assert thread.is_alive()
    live.stop()
    assert not thread.is_alive()


def _child(live: LiveData, before: str, out) -> None:
    """In a forked process (as a gunicorn worker): the poller must start again here."""
    first = live.current()
    started = time.monotonic()
    while live.current().revision == before and time.monotonic() - started < LIMIT:
        time.sleep(0.05)
    out.put((os.getpid(), live._thread is not None and live._thread.is_alive(), first.revision,
             live.current().revision, len(live.current().dataset.points)))


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method")
def test_a_forked_worker_polls_on_its_own(empty_data_dir):
    store = FolderStore(empty_data_dir)
    store.ingest([SEED_DIR])
    # Loaded in the parent and never polled there: like the gunicorn master with --preload.
    live = LiveData(store, interval=0.2)
    before = live.revision
    out = multiprocessing.get_context("fork").Queue()
    proc = multiprocessing.get_context("fork").Process(target=_child, args=(live, before, out))
    proc.start()
    try:
        time.sleep(0.5)
        report = store.ingest([API_DIR / "dsr1_latest.json"])
        pid, alive, first, last, points = out.get(timeout=LIMIT + 5)
    finally:
        proc.join(10)
    assert pid != os.getpid() and alive
    assert (first, last, points) == (before, report.revision, 27 + report.added)
    assert live._thread is None  # the parent never started one


# ---------------------------------------------------------------------------- two processes

class Probe:
    """tests/store/live_probe.py in a subprocess, its output lines on a queue."""

    def __init__(self, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.store.live_probe", *args], cwd=REPO,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line.split())

    def expect(self, word: str, timeout: float) -> list[str]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                self.close()
                pytest.fail(f"no '{word}' line within {timeout} s; stderr: {self.proc.stderr.read()[-2000:]}")
            if line and line[0] == word:
                return line

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def test_two_processes_on_one_database_both_serve_a_new_batch_within_15_s(pg_url):
    from frontier.pgstore import PostgresStore

    store = PostgresStore(pg_url)
    store.ingest([SEED_DIR])
    probes = [Probe("--database-url", pg_url), Probe("--database-url", pg_url)]  # default 5 s polling
    try:
        for p in probes:
            assert p.expect("ready", 60)[1:] == ["1", "27"]
        report = store.ingest([API_DIR])
        started = time.monotonic()
        seen = [p.expect("serving", LIMIT) for p in probes]
        elapsed = time.monotonic() - started
    finally:
        for p in probes:
            p.close()
    total = str(27 + report.added)
    assert seen == [["serving", "2", total], ["serving", "2", total]]
    assert elapsed < LIMIT
