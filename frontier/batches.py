"""Ingest batches: what each ingest added, when and from where, in both stores.

A *batch* is one successful ingest. Batches are numbered 1, 2, 3 ... in the order they were
committed; a point's ``batch`` column names the batch that added it, and the data revision
is the number of the last batch. ``rev=N`` views keep only points with ``batch <= N``.

Folder store: the batches live in a small manifest, ``DATA_DIR/.frontier-manifest.json``
(hidden, so data discovery never reads it as results), written by ``ingest`` under the
folder lock right after the results file, atomically (temporary file + ``os.replace``).
It maps every file an ingest wrote to its batch, with the file's size. A data file the
manifest does not list with that size (the bundled data, files copied in by hand, a file
edited since) belongs to batch 0: it is part of every revision, as it is now. The folder
revision is therefore ``"N+h"``: N the last batch, h a short hash of the stat (path, size,
mtime) of every data file and of the reference tables, so that a copied-in file or an edited
table also gives a new revision and is picked up by the live reload (``frontier.live``).

PostgreSQL store: the ``ingest_batch`` table (``frontier/migrations/``); the revision is
``"N"`` alone, the same on every host."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .problems import Problem

MANIFEST_NAME = ".frontier-manifest.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Batch:
    id: int
    time: str  # ISO 8601, UTC
    source: str  # who sent it: "cli: results/", "http: ci-1234", ...
    added: int
    duplicates: int = 0
    rejected: int = 0
    files: tuple[tuple[str, int], ...] = field(default=())  # folder store: (relative path, size) written

    def to_dict(self) -> dict:
        out = asdict(self)
        out["files"] = [list(f) for f in self.files]
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Batch":
        files = tuple((str(name), int(size)) for name, size in d.get("files", []))
        return cls(int(d["id"]), str(d.get("time", "")), str(d.get("source", "")), int(d.get("added", 0)),
                   int(d.get("duplicates", 0)), int(d.get("rejected", 0)), files)


def parse_revision(rev) -> int | None:
    """The batch number a revision names: "12", "12+ab34cd56" -> 12; None when not one."""
    text = str(rev).strip()
    head = text.split("+", 1)[0]
    if not head.isdigit() or len(head) > 18:
        return None
    return int(head)


# --------------------------------------------------------------------------- folder manifest

def manifest_path(data_dir: Path) -> Path:
    return Path(data_dir) / MANIFEST_NAME


def read_manifest(data_dir: Path) -> tuple[list[Batch], list[Problem]]:
    """The batches recorded in a data folder; none (and a problem) when the manifest is bad."""
    path = manifest_path(data_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [Problem(MANIFEST_NAME, f"cannot read the batch manifest ({exc.strerror or exc}); "
                                           "every file counted as batch 0", severity="warning")]
    try:
        content = json.loads(text)
        batches = [Batch.from_dict(d) for d in content["batches"]]
    except (ValueError, KeyError, TypeError) as exc:
        return [], [Problem(MANIFEST_NAME, f"the batch manifest is unreadable ({exc}); every file counted as "
                                           "batch 0", severity="warning")]
    return sorted(batches, key=lambda b: b.id), []


def write_manifest(data_dir: Path, batches: list[Batch]) -> None:
    """Replace the manifest atomically: a reader sees the old one or the new one, never half."""
    payload = json.dumps({"version": MANIFEST_VERSION, "batches": [b.to_dict() for b in batches]},
                         indent=1, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".manifest-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, manifest_path(data_dir))
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def file_batches(batches: list[Batch]) -> dict[str, tuple[int, int]]:
    """relative path -> (batch id, size it had when written); a later batch wins."""
    out: dict[str, tuple[int, int]] = {}
    for b in batches:
        for name, size in b.files:
            out[name] = (b.id, size)
    return out


@dataclass
class FolderState:
    """A cheap look at a data folder (stat calls and the manifest only, no file contents)."""

    revision: str
    last_batch: int
    batches: list[Batch]
    file_batch: dict[str, int]  # relative path of every data file -> its batch (0 when unrecorded)
    problems: list[Problem]
    file_stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # relative path -> (size, mtime_ns)
    reference_stats: tuple = ()


def folder_state(data_dir: Path, data_files: list[Path], reference_files: list[Path]) -> FolderState:
    data_dir = Path(data_dir)
    batches, problems = read_manifest(data_dir)
    recorded = file_batches(batches)
    h = hashlib.blake2b(digest_size=4)
    mapping: dict[str, int] = {}
    stats: dict[str, tuple[int, int]] = {}
    ref_stats = []
    for path in sorted(data_files):
        rel = str(path.relative_to(data_dir)) if path.is_relative_to(data_dir) else str(path)
        try:
            st = path.stat()
            size, mtime = st.st_size, st.st_mtime_ns
        except OSError:  # vanished between listing and stat: the next look sees it gone
            size, mtime = -1, 0
        known = recorded.get(rel)
        mapping[rel] = known[0] if known and known[1] == size else 0
        stats[rel] = (size, mtime)
        h.update(f"{rel}\0{size}\0{mtime}\0".encode())
    for path in sorted(reference_files):
        try:
            st = path.stat()
            ref_stats.append((str(path), st.st_size, st.st_mtime_ns))
        except OSError:
            ref_stats.append((str(path), -1, 0))
        h.update(f"ref:{ref_stats[-1]}\0".encode())
    last = batches[-1].id if batches else 0
    return FolderState(f"{last}+{h.hexdigest()}", last, batches, mapping, problems, stats, tuple(ref_stats))
