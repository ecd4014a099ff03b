"""The loaded dataset: every point from every file under a data directory, normalised.

``Dataset.points`` keeps every measurement (history included); ``Dataset.latest`` holds, per
(configuration, sequence, concurrency), the most recent one, which is what views show.

Revisions (``frontier.batches``): a store fills ``revision`` (the data revision the dataset
was built from, e.g. "12" or "12+ab34cd56"), ``batches`` (the ingest batches known) and a
``batch`` integer column in ``points`` and ``latest`` (the batch that added each point, 0 for
data that came without one). ``at_revision(rev)`` is the dataset as it was at an earlier
revision: points of later batches left out, ``latest`` recomputed; None for a revision it
does not know."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .batches import Batch, parse_revision
from .cache import DiskCache, content_key
from .loaders import read_document, read_documents
from .normalise import finish, normalise, prepare
from .problems import Problem
from .reference import HARDWARE_FILE, MODELS_FILE, ReferenceTables, load_reference, reference_paths

log = logging.getLogger(__name__)

BUNDLED_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_SUFFIXES = (".json", ".zip")
EVALUATIONS_DIR = "evaluations"  # accuracy results (frontier/evaluations.py), not benchmark files


@dataclass
class Dataset:
    points: pd.DataFrame
    latest: pd.DataFrame
    reference: ReferenceTables
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    key: str = ""
    data_dir: str = ""
    revision: str = ""  # data revision this was built from ("" before a store set it)
    batches: list[Batch] = field(default_factory=list)
    pinned_from: str = ""  # for a dataset cut by at_revision: the revision it was cut from
    source_stats: tuple = ()  # folder store: the (size, mtime) of what it was read from, to extend it

    def at_revision(self, rev) -> "Dataset | None":
        """The data as it was at revision ``rev`` (only points with ``batch <= N``).

        ``rev`` may be the full revision string or just its batch number. Returns self for the
        current revision and None for a revision this dataset does not know (not a number,
        a batch later than the last one, or a batch id that was never recorded)."""
        if rev is None:
            return None
        if str(rev).strip() == self.revision:
            return self
        wanted = parse_revision(rev)
        if wanted is None or "batch" not in self.points:
            return None
        last = parse_revision(self.revision) if self.revision else None
        known = {0} | {b.id for b in self.batches}
        if wanted not in known or (last is not None and wanted > last):
            return None
        if wanted == last:
            return self
        points = self.points[self.points["batch"].to_numpy() <= wanted].reset_index(drop=True)
        suffix = self.revision.split("+", 1)[1] if "+" in self.revision else ""
        return Dataset(points=points, latest=latest_per_point(points), reference=self.reference,
                       problems=self.problems, files=self.files, key=f"{self.key}@{wanted}", data_dir=self.data_dir,
                       revision=f"{wanted}+{suffix}" if suffix else str(wanted),
                       batches=[b for b in self.batches if b.id <= wanted], pinned_from=self.revision)

    def as_of(self, date: str | None) -> pd.DataFrame:
        """Latest point per configuration measured on or before ``date`` (all when None)."""
        if not date:
            return self.latest
        return latest_per_point(self.points[self.points["date"].astype(str) <= date])

    @property
    def dates(self) -> list[str]:
        return sorted(self.points["date"].astype(str).unique())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def latest_per_point(points: pd.DataFrame) -> pd.DataFrame:
    if points.empty:
        return points
    order = points.sort_values(["point_id", "date"], kind="stable")
    latest = order.drop_duplicates("point_id", keep="last")
    return latest.sort_index()


def discover(data_dir: Path) -> list[Path]:
    """Benchmark files under ``data_dir``, recursively; hidden folders (caches) and the
    top-level ``evaluations/`` folder (accuracy results) are skipped."""
    return scan(data_dir)[0]


def scan(folder: Path, display_prefix: str = "") -> tuple[list[Path], list[Problem]]:
    """Benchmark files under ``folder`` (sorted), and a problem for each entry left out.

    Links are followed only to files inside ``folder``: a link leading outside it, a dangling
    link, a link loop, a linked folder (whose files are found where they really are, if they
    are inside) and a folder that cannot be listed are each reported, never silently skipped."""
    folder = Path(folder)
    root = Path(os.path.realpath(folder))
    found: list[Path] = []
    problems: list[Problem] = []

    def name(path) -> str:
        rel = os.path.relpath(path, folder)
        return os.path.join(display_prefix, rel) if display_prefix else rel

    def cannot_list(exc: OSError) -> None:
        inside = exc.filename and os.path.realpath(exc.filename) != str(root)
        where = name(exc.filename) if inside else str(folder)
        problems.append(Problem(where, f"cannot read this folder ({exc.strerror or exc}); its files were left out"))

    for current, dirs, files in os.walk(folder, onerror=cannot_list):  # never follows linked folders
        kept = []
        for d in sorted(dirs):
            if d.startswith(".") or (os.path.samefile(current, folder) and d == EVALUATIONS_DIR):
                continue
            if os.path.islink(os.path.join(current, d)):
                problems.append(Problem(name(os.path.join(current, d)), "a link to a folder: not followed (files "
                                        "inside the data folder are read where they really are)", severity="warning"))
                continue
            kept.append(d)
        dirs[:] = kept
        for file_name in sorted(files):
            path = Path(current) / file_name
            if file_name.startswith(".") or path.suffix.lower() not in DATA_SUFFIXES or file_name in (HARDWARE_FILE, MODELS_FILE):
                continue
            if path.is_symlink():
                reason = _link_problem(path, root)
                if reason:
                    problems.append(Problem(name(path), reason))
                    continue
            elif not path.is_file():
                problems.append(Problem(name(path), "not a regular file (a device, pipe or socket); left out"))
                continue
            found.append(path)
    return sorted(found), problems


def _link_problem(link: Path, root: Path) -> str | None:
    """Why a link is not followed, or None when it leads to a file inside ``root``. The
    target is not named: problems are shown to every visitor, server paths are not theirs."""
    try:
        target = Path(os.path.realpath(link, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a link that leads back to itself (a link loop); left out"
        return "a link to a file that does not exist; left out"
    if not target.is_relative_to(root):
        return "a link to a file outside the data folder: not followed"
    if not target.is_file():
        return "a link to something that is not a regular file; left out"
    return None


def build_dataset(data_dir: Path, fallback_dir: Path | None = BUNDLED_DATA_DIR, files: list[Path] | None = None,
                  progress=None, listing_problems: list[Problem] | None = None) -> Dataset:
    """The dataset of ``data_dir``; ``files`` and ``listing_problems`` (what ``scan`` left
    out) when the caller has scanned the folder already."""
    data_dir = Path(data_dir)
    reference = load_reference(data_dir, fallback_dir)
    problems: list[Problem] = list(reference.problems)
    if files is None:
        files, listing_problems = scan(data_dir) if data_dir.is_dir() else ([], [])
    problems += listing_problems or []
    if not data_dir.is_dir():
        problems.append(Problem(str(data_dir), "data directory not found"))
    elif not files:
        problems.append(Problem(str(data_dir), "no benchmark files (.json or .zip) found", severity="warning"))
    prepared = []
    for n, path in enumerate(files):
        display = str(path.relative_to(data_dir)) if path.is_relative_to(data_dir) else str(path)
        for doc in read_documents(path, display, problems):
            frame = read_document(doc, problems)
            if frame is not None and len(frame):
                # one file at a time: its untyped rows are dropped as soon as they are typed
                typed, more = prepare(frame, reference)
                problems += more
                prepared.append(typed)
            del doc
        if progress:
            progress(n + 1, len(files), display)
    if prepared:
        points = finish(pd.concat(prepared, ignore_index=True), reference)
    else:
        points, more = normalise(pd.DataFrame(), reference)
        problems += more
    return Dataset(
        points=points,
        latest=latest_per_point(points),
        reference=reference,
        problems=problems,
        files=[str(p.relative_to(data_dir)) if p.is_relative_to(data_dir) else str(p) for p in files],
        data_dir=str(data_dir),
    )


def load_dataset(data_dir: Path = BUNDLED_DATA_DIR, cache_dir: Path | None = None,
                 fallback_dir: Path | None = BUNDLED_DATA_DIR) -> Dataset:
    """Build the dataset, or take it from the cache when nothing it depends on changed."""
    data_dir = Path(data_dir)
    files, listing = scan(data_dir) if data_dir.is_dir() else ([], [])
    cache = DiskCache(cache_dir)
    try:
        key = content_key(files + reference_paths(data_dir, fallback_dir), root=data_dir, memo=cache)
        if listing:  # what was left out is part of the answer: a fixed link must not hit a stale entry
            key = hashlib.blake2b("\n".join([key, *(p.describe() for p in listing)]).encode(), digest_size=16).hexdigest()
        dataset = cache.get_large(("dataset", key))
        if isinstance(dataset, Dataset):
            dataset.data_dir = str(data_dir)
            return dataset
        dataset = build_dataset(data_dir, fallback_dir, files, listing_problems=listing)
        dataset.key = key
        cache.set_large(("dataset", key), dataset)
        return dataset
    finally:
        cache.close()
