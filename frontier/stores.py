"""Where results live: a data folder (default) or a PostgreSQL database (SPEC §13).

Both stores answer the same four questions::

    store = open_store(settings)          # FolderStore, or PostgresStore with a database URL
    store.revision() -> str               # cheap (stat calls / one indexed query): poll it
    store.load(previous=None) -> Dataset  # the dataset at the current revision (diskcache-backed);
                                          # ``previous`` (the one served) lets a store merge only
                                          # what is new (PostgreSQL batches, the folder's new files)
    store.ingest(inputs, overrides, source=..., dry_run=..., strict=...) -> IngestReport
    store.describe() -> str               # for logs and reports (never a password)

``inputs`` are paths (files, folders, zips) and/or ``frontier.ingest.Upload`` objects (bytes in
memory). ``overrides`` are canonical settings from ``loaders.parse_settings`` (``--set``).
Each ingest is all or nothing and adds one batch; ``IngestReport.batch`` and ``.revision``
say which. Raises ``ingest.IngestUsageError`` for a bad request (missing path ...) and, for
the database, ``pgstore.StoreError`` when it cannot be used; nothing is written then.

A loaded Dataset carries ``revision``, ``batches`` and a ``batch`` column, and
``Dataset.at_revision(rev)`` cuts it back to an earlier revision (``frontier.batches``
explains revisions for each store). ``frontier.live.LiveData`` polls ``revision()`` and swaps
in a new ``load()`` when it changes."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np
import pandas as pd

from .batches import MANIFEST_NAME, FolderState, folder_state
from .dataset import BUNDLED_DATA_DIR, Dataset, build_dataset, discover, latest_per_point, load_dataset
from .ingest import IngestReport, Progress, Upload, ingest
from .reference import reference_paths


@runtime_checkable
class Store(Protocol):
    backend: str  # "folder" | "postgres"

    def describe(self) -> str: ...

    def revision(self) -> str: ...

    def load(self, previous: Dataset | None = None) -> Dataset: ...

    def ingest(self, inputs: Sequence[str | Path | Upload], overrides: dict | None = None, *, source: str = "",
               dry_run: bool = False, strict: bool = False, progress: Progress | None = None) -> IngestReport: ...

    def close(self) -> None: ...


class FolderStore:
    """Results as files under ``data_dir`` (what ``load_dataset`` and ``ingest`` always did),
    with batches from the folder manifest and the revision ``"N+h"`` (``frontier.batches``)."""

    backend = "folder"

    def __init__(self, data_dir: Path = BUNDLED_DATA_DIR, cache_dir: Path | None = None,
                 fallback_dir: Path | None = BUNDLED_DATA_DIR):
        self.data_dir = Path(data_dir)
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.fallback_dir = fallback_dir

    def describe(self) -> str:
        return f"data folder {self.data_dir}"

    def state(self) -> FolderState:
        files = discover(self.data_dir) if self.data_dir.is_dir() else []
        return folder_state(self.data_dir, files, reference_paths(self.data_dir, self.fallback_dir))

    def revision(self) -> str:
        return self.state().revision

    def load(self, previous: Dataset | None = None) -> Dataset:
        """The folder's dataset. With ``previous`` (the one served) and nothing changed but
        files added, only the new files are read and merged in; any other change (a file
        edited or removed, a reference table, a measurement the new files repeat) rebuilds."""
        # The folder may change while it is read (an ingest, a copy): look before and after,
        # and read again if it moved, so the revision named is the one that was read.
        before = self.state()
        for _ in range(3):
            dataset = self._extend(previous, before) if previous is not None else None
            if dataset is None:
                dataset = load_dataset(self.data_dir, self.cache_dir, self.fallback_dir)
            after = self.state()
            if after.revision == before.revision:
                break
            before = after
        attach_batches(dataset, after.file_batch)
        dataset.revision = after.revision
        dataset.key = dataset.key or f"merged@{after.revision}"  # a merge has no content key
        dataset.batches = list(after.batches)
        dataset.problems = [p for p in dataset.problems if p.file != MANIFEST_NAME] + after.problems
        dataset.source_stats = (tuple(sorted(after.file_stats.items())), after.reference_stats)
        return dataset

    def _extend(self, previous: Dataset, state: FolderState) -> Dataset | None:
        if (previous.pinned_from or not previous.source_stats or previous.data_dir != str(self.data_dir)
                or previous.points.empty):
            return None
        old_files, old_refs = dict(previous.source_stats[0]), previous.source_stats[1]
        if old_refs != state.reference_stats or any(state.file_stats.get(k) != v for k, v in old_files.items()):
            return None  # an edited, replaced or removed file, or another reference table
        new_files = sorted(k for k in state.file_stats if k not in old_files)
        increment = build_dataset(self.data_dir, self.fallback_dir, files=[self.data_dir / f for f in new_files])
        if increment.points.empty:
            points = previous.points.drop(columns="batch")
        else:
            from .pgstore import merge_points

            points = merge_points(previous.points.drop(columns="batch"), increment.points)
            if points.duplicated(["point_id", "date"]).any():
                return None  # the new files repeat measurements: let finish() pick the fullest copy
        folder_level = {MANIFEST_NAME, str(self.data_dir)}  # recomputed below / by load()
        problems = [p for p in previous.problems if p.file not in folder_level]
        problems += [p for p in increment.problems if p.file not in folder_level and p not in problems]
        return Dataset(points=points, latest=latest_per_point(points), reference=previous.reference,
                       problems=problems, files=sorted(set(previous.files) | set(increment.files)),
                       key="", data_dir=str(self.data_dir))

    def ingest(self, inputs, overrides: dict | None = None, *, source: str = "", dry_run: bool = False,
               strict: bool = False, progress: Progress | None = None) -> IngestReport:
        report = ingest(inputs, self.data_dir, overrides, dry_run=dry_run, strict=strict, progress=progress,
                        fallback_dir=self.fallback_dir, source=source)
        report.revision = self.revision()
        return report

    def close(self) -> None:
        pass


def attach_batches(dataset: Dataset, file_batch: dict[str, int]) -> None:
    """Fill the ``batch`` column of a folder dataset from each point's source file (a zip
    member's source is "archive.zip:member.json"; its batch is the archive's)."""

    def batch_of(source: str) -> int:
        if source in file_batch:
            return file_batch[source]
        for i, ch in enumerate(source):  # "a.zip:b.json" -> try "a.zip"
            if ch == ":" and source[:i] in file_batch:
                return file_batch[source[:i]]
        return 0

    for name in ("points", "latest"):
        frame = getattr(dataset, name)
        if frame.empty:
            frame["batch"] = pd.Series(dtype="int64")
            continue
        source = frame["source"]
        if isinstance(source.dtype, pd.CategoricalDtype):  # one lookup per file, not per point
            table = np.array([batch_of(str(c)) for c in source.cat.categories] + [0], dtype="int64")
            frame["batch"] = table[source.cat.codes.to_numpy()]
        else:
            frame["batch"] = source.astype(str).map(batch_of).astype("int64")


def open_store(settings) -> Store:
    """The store ``settings`` name: PostgreSQL when ``database_url`` is set, else the data folder
    (whose reference tables the database store uses too)."""
    if getattr(settings, "database_url", None):
        from .pgstore import PostgresStore

        return PostgresStore(settings.database_url, reference_dir=settings.data_dir, cache_dir=settings.cache_dir)
    return FolderStore(settings.data_dir, settings.cache_dir)
