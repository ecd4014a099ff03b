"""Live data: serve the store's latest revision without a restart (SPEC §13).

    live = LiveData(store, derive=Index, interval=5.0)   # loads once, now
    snap = live.current()        # Snapshot(dataset, derived, revision, loaded_at); starts the poller
    snap.dataset, snap.derived   # use both for one whole request
    live.at_revision("12")       # Snapshot of an earlier revision (memoised), or None if unknown
    live.problems()              # reload/poll failures, as frontier.problems.Problem
    live.poke()                  # check now (e.g. right after an HTTP ingest in this process)
    live.stop()

A daemon thread calls ``store.revision()`` every ``interval`` seconds. When it changes, the
thread builds the new dataset (``store.load(previous=<the dataset served>)``, so a store can
merge only the new batches) and its derived object (``derive(dataset)``, e.g. the views
``Index``) off the request path, then replaces one attribute with the new ``Snapshot``: a
single reference assignment, atomic in CPython. A request that took the old snapshot keeps it
and finishes on it; nothing is mutated in place. If the poll or the rebuild fails, the old
snapshot stays and the failure is kept (``problems()``) until a later rebuild succeeds; the
retry interval doubles up to ``max_backoff``.

Wiring into the app (what each request does)::

    store = open_store(settings)                      # frontier.stores
    live = LiveData(store, derive=Index, interval=settings.poll_interval)
    snap = live.current()                             # once per request, used throughout it
    if "rev" in query:                                # revision-pinned link
        pinned = live.at_revision(query["rev"])
        if pinned is None: notice(f"Unknown data revision {rev}; showing the current data.")
        else: snap = pinned                           # snap.dataset.pinned_from = the live one
    headers["X-Frontier-Revision"] = snap.revision    # and the page footer names it
    notices = snap.dataset.problems + live.problems()

gunicorn: threads do not survive ``fork``, so the poller is started lazily by the first
``current()`` call in each process (and again if the process id changed). With ``--preload``
the master's initial load is inherited by the workers; each then polls on its own, and all
converge on the same revision within one interval plus a rebuild."""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable

from .dataset import Dataset
from .memory import release_freed_memory
from .problems import Problem

log = logging.getLogger(__name__)

# A lock held by another thread at fork time stays held forever in the child: give every
# LiveData a fresh one in a forked process (its poller is restarted there by current()).
_instances: "weakref.WeakSet[LiveData]" = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for live in list(_instances):
        live._lock = threading.Lock()
        live._refresh_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


@dataclass(frozen=True)
class Snapshot:
    dataset: Dataset
    derived: Any  # derive(dataset), or None without a factory
    revision: str
    loaded_at: float  # time.time() when it was swapped in


class LiveData:
    def __init__(self, store, derive: Callable[[Dataset], Any] | None = None, interval: float = 5.0, *,
                 max_backoff: float = 60.0, pinned_cache: int = 4, initial: Dataset | None = None):
        self.store = store
        self.derive = derive
        self.interval = float(interval)
        self.max_backoff = max(float(max_backoff), self.interval)
        self._snapshot = self._make(initial if initial is not None else store.load())
        release_freed_memory()  # what building it freed (frontier/memory.py)
        self._failure: Problem | None = None
        self._failed_revision: str | None = None
        self._lock = threading.Lock()  # guards starting the thread and the pinned memo, not reads
        self._refresh_lock = threading.Lock()  # one rebuild at a time: the poller and refresh() callers
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._pinned: OrderedDict[tuple[str, str], Snapshot | None] = OrderedDict()
        self._pinned_size = pinned_cache
        self.reloads = 0  # successful swaps since start (tests, logs)
        _instances.add(self)

    # ---- reading ------------------------------------------------------------------------
    def current(self) -> Snapshot:
        """The snapshot to serve a request from. Cheap: one attribute read (plus, once per
        process, starting the poller)."""
        if self._pid != os.getpid() and not self._stopped.is_set():
            self._start()
        return self._snapshot

    @property
    def revision(self) -> str:
        return self._snapshot.revision

    def at_revision(self, rev) -> Snapshot | None:
        """The data as it was at ``rev`` (see ``Dataset.at_revision``); None when unknown."""
        snap = self.current()
        rev = str(rev).strip()
        if rev == snap.revision:
            return snap
        key = (snap.revision, rev)
        with self._lock:
            if key in self._pinned:
                self._pinned.move_to_end(key)
                return self._pinned[key]
        dataset = snap.dataset.at_revision(rev)
        pinned = None
        if dataset is snap.dataset:
            pinned = snap
        elif dataset is not None:
            pinned = Snapshot(dataset, self.derive(dataset) if self.derive else None, dataset.revision, snap.loaded_at)
        with self._lock:
            self._pinned[key] = pinned
            while len(self._pinned) > self._pinned_size:
                self._pinned.popitem(last=False)
        return pinned

    def problems(self) -> list[Problem]:
        """Why the data served may be out of date: the last poll or rebuild failure, if any."""
        return [self._failure] if self._failure is not None else []

    # ---- polling ------------------------------------------------------------------------
    def poke(self) -> None:
        """Check the revision now rather than at the next interval."""
        self._wake.set()

    def refresh(self) -> bool:
        """Check and rebuild synchronously in the caller's thread; True if a new snapshot was
        swapped in. The poller does the same; both may run, the second waits for the first
        and then finds nothing new (so a snapshot is never replaced by an equal one)."""
        with self._refresh_lock:
            return self._refresh()

    def _refresh(self) -> bool:
        try:
            revision = self.store.revision()
        except Exception as exc:
            self._fail(f"cannot read the revision of {self.store.describe()}", exc, None)
            return False
        if revision == self._snapshot.revision:
            if self._failed_revision is None:
                self._failure = None  # a poll failure that cleared by itself
            return False
        try:
            dataset = self.store.load(previous=self._snapshot.dataset)
            snap = self._make(dataset)
        except Exception as exc:
            self._fail(f"could not load revision {revision} from {self.store.describe()}", exc, revision)
            return False
        self._snapshot = snap  # the swap: one reference assignment
        self._failure, self._failed_revision = None, None
        self.reloads += 1
        release_freed_memory(collect=False)  # a full collection here would pause the serving threads
        log.info("data revision %s served (%d points) from %s", snap.revision, len(dataset.points),
                 self.store.describe())
        return True

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout)

    # ---- internals ----------------------------------------------------------------------
    def _make(self, dataset: Dataset) -> Snapshot:
        derived = self.derive(dataset) if self.derive else None
        return Snapshot(dataset, derived, dataset.revision, time.time())

    def _fail(self, what: str, exc: Exception, revision: str | None) -> None:
        message = f"{what}: {type(exc).__name__}: {exc}; still serving revision {self._snapshot.revision}"
        if self._failure is None or self._failure.message != message:
            log.warning("%s", message)
        self._failure = Problem(self.store.describe(), message, severity="warning")
        self._failed_revision = revision

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._wake = threading.Event()  # a fresh one: locks/events copied by fork are not to be trusted
            self._thread = threading.Thread(target=self._run, name="frontier-live-data", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        delay = self.interval
        while not self._stopped.is_set():
            self._wake.wait(delay)
            self._wake.clear()
            if self._stopped.is_set():
                return
            try:
                self.refresh()
            except Exception as exc:  # never let the poller die
                self._fail("live data poller error", exc, None)
            delay = min(delay * 2, self.max_backoff) if self._failure is not None else self.interval
