"""Add benchmark results to a data directory (``python -m frontier ingest``).

Input files in any of the three formats of SPEC §1 (files, folders, zip archives, nested
zips) are read with the ordinary loaders, validated by ``normalise`` against the data
directory's reference tables, checked against what the data directory already holds, and
the new measurements are written as one runner-aggregate JSON array under
``DATA_DIR/ingested/``. The file holds the *normalised* values (gpu key, model key,
precision after aliasing, spec 'mtp'/'none', dates as YYYY-MM-DD), so loading it again gives
exactly the points that were validated here; that is checked in memory before writing.

Nothing here prints: progress goes through a callback and the outcome is an
``IngestReport``. The write is atomic (temporary file in the same folder, fsync,
``os.replace``); on any failure, or when there is nothing to write, the data directory is
left exactly as it was. A successful write is recorded as a batch in the folder's manifest
(``frontier.batches``); if that record cannot be written, the results file is removed again.

``read_inputs`` (reading and validation, shared with the PostgreSQL store) takes paths and
``Upload`` objects (bytes already in memory, e.g. an HTTP request body) alike."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import tempfile
import time
import contextlib
import fcntl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .batches import Batch, read_manifest, write_manifest
from .dataset import BUNDLED_DATA_DIR, discover, scan
from .loaders import AGG_CONFIG_FIELDS, METRIC_FIELDS, SourceDoc, documents_from_bytes, read_document, read_documents
from .normalise import normalise
from .problems import Problem, summarise
from .reference import load_reference

INGEST_SUBDIR = "ingested"

# progress(stage, done, total, name): stage is "reading" (input files) or "checking" (the
# files already in the data directory, read to find duplicates).
Progress = Callable[[str, int, int, str], None]

# Field order of a written record: the runner aggregate's own order (SPEC §1 format 2),
# then the disaggregated-deployment fields. Each field maps to the points-table column.
_AGG_TO_COLUMN = {field: ("gpu" if c == "gpu_raw" else "model" if c == "model_raw" else c)
                  for c, field in {**AGG_CONFIG_FIELDS, **METRIC_FIELDS}.items()}
OUTPUT_FIELDS = [
    "hw", "conc", "image", "model", "infmax_model_prefix", "framework", "precision", "spec_decoding",
    "disagg", "isl", "osl", "is_multinode", "tp", "ep", "pp", "dp_attention",
    "tput_per_gpu", "output_tput_per_gpu", "input_tput_per_gpu", "median_intvty",
    "median_tpot", "p90_tpot", "p99_tpot", "median_ttft", "p90_ttft", "p99_ttft",
    "median_e2el", "p90_e2el", "p99_e2el", "median_itl", "avg_power_w", "date", "run_url",
    "prefill_tp", "prefill_ep", "prefill_dp_attention", "prefill_num_workers",
    "decode_tp", "decode_ep", "decode_dp_attention", "decode_num_workers",
    "num_prefill_gpu", "num_decode_gpu", "num_gpus",
]
assert set(OUTPUT_FIELDS) == set(_AGG_TO_COLUMN), "OUTPUT_FIELDS out of step with loaders"
_BOOL_FIELDS = {"disagg", "is_multinode", "dp_attention", "prefill_dp_attention", "decode_dp_attention"}
_TEXT_FIELDS = {"hw", "image", "model", "infmax_model_prefix", "framework", "precision", "spec_decoding", "date", "run_url"}
_COUNT_FIELDS = {"conc", "isl", "osl", "tp", "ep", "pp", "prefill_tp", "prefill_ep", "prefill_num_workers", "decode_tp",
                 "decode_ep", "decode_num_workers", "num_prefill_gpu", "num_decode_gpu", "num_gpus"}

class IngestUsageError(ValueError):
    """The request itself is wrong (a path that does not exist, ...): nothing was read."""


@dataclass(frozen=True)
class Upload:
    """An input file already in memory. ``name`` is what reports show and decides the format
    like a file name does (``.zip`` is read as an archive; a raw result's ``gpus_N`` is read)."""

    name: str
    data: bytes
    mtime: float | None = None  # used as the date of undated records (default: now)


@dataclass
class IngestReport:
    data_dir: Path
    files: list[str] = field(default_factory=list)  # input files found (a zip counts once)
    documents: int = 0  # JSON documents parsed (each member of a zip counts)
    records: int = 0  # records found in those documents
    added: int = 0  # records written (with --dry-run: that would be written)
    duplicates_existing: int = 0  # already in the data directory (same point and date)
    duplicates_input: int = 0  # the same measurement given more than once in the input
    rejected_records: int = 0
    unreadable: list[str] = field(default_factory=list)  # files or documents left out entirely
    errors: list[Problem] = field(default_factory=list)  # why records/files were rejected
    warnings: list[Problem] = field(default_factory=list)  # kept, with a caveat
    written: Path | None = None
    dry_run: bool = False
    strict: bool = False
    existing_points: int = 0
    existing_files: int = 0
    reason: str = ""  # why nothing was written, when nothing was
    removed_temp: list[str] = field(default_factory=list)  # left behind by interrupted ingests, now removed
    store: str = ""  # where the results went, when not a data folder ("PostgreSQL db@host")
    source: str = ""  # the batch's source label
    batch: int | None = None  # the batch this ingest recorded, when it wrote something
    revision: str = ""  # the store's revision after this ingest

    @property
    def target(self) -> str:
        return self.store or str(self.data_dir)

    def to_dict(self, limit: int = 200) -> dict:
        """The report as plain JSON (HTTP ingest); problems beyond ``limit`` are counted only."""
        return {
            "ok": self.exit_code == 0,
            "store": self.target,
            "source": self.source,
            "batch": self.batch,
            "revision": self.revision,
            "dry_run": self.dry_run,
            "strict": self.strict,
            "files": self.files,
            "documents": self.documents,
            "records": self.records,
            "added": self.added,
            "duplicates": self.duplicates,
            "duplicates_existing": self.duplicates_existing,
            "duplicates_input": self.duplicates_input,
            "rejected_records": self.rejected_records,
            "unreadable": self.unreadable,
            "errors": [p.to_dict() for p in self.errors[:limit]],
            "errors_total": len(self.errors),
            "warnings": [p.to_dict() for p in self.warnings[:limit]],
            "warnings_total": len(self.warnings),
            "reason": self.reason,
            "report": self.lines(),
        }

    @property
    def duplicates(self) -> int:
        return self.duplicates_existing + self.duplicates_input

    @property
    def rejected(self) -> bool:
        return bool(self.rejected_records or self.unreadable)

    @property
    def exit_code(self) -> int:
        """0: something added, or everything valid was already there; 1: rejected records
        under --strict, or nothing could be read at all."""
        if self.strict and self.rejected:
            return 1
        if self.added or self.duplicates:
            return 0
        return 1

    def lines(self, limit: int = 50) -> list[str]:
        """The report as text, for the command line."""
        out = []
        if self.dry_run:
            out.append("Dry run: nothing was written.")
        n_files = len(self.files)
        out.append(f"Read: {n_files} file{_s(n_files)}, {self.documents} JSON document{_s(self.documents)}, "
                   f"{self.records} record{_s(self.records)}")
        verb = "Would add" if self.dry_run else "Added"
        target = f" -> {self.written}" if self.written else f" (batch {self.batch})" if self.batch else ""
        out.append(f"{verb}: {self.added} record{_s(self.added)}{target}")
        out.append(f"Skipped: {self.duplicates} duplicate{_s(self.duplicates)} "
                   f"({self.duplicates_existing} already in {self.target}, {self.duplicates_input} repeated in the input)")
        what = f"{self.rejected_records} record{_s(self.rejected_records)}"
        if self.unreadable:
            what += f", {len(self.unreadable)} file{_s(len(self.unreadable))} left out entirely"
        out.append(f"Rejected: {what}")
        out += [f"  - {line}" for line in group_problems(self.errors, limit)]
        out.append(f"Warnings: {len(self.warnings)}")
        out += [f"  - {line}" for line in group_problems(self.warnings, limit)]
        if self.removed_temp:
            n = len(self.removed_temp)
            out.append(f"Removed {n} temporary file{_s(n)} left by an interrupted ingest: {', '.join(self.removed_temp)}")
        if self.reason:
            out.append(f"Nothing written: {self.reason}.")
        return out


def group_problems(problems: list[Problem], limit: int = 50, names: int = 3) -> list[str]:
    """Like ``problems.summarise``, and a file-level message shared by many files (say, raw
    results without configuration) is shown once with the files it concerns."""
    per_file: dict[tuple, list[str]] = {}
    for p in problems:
        if p.record is None:
            per_file.setdefault((p.severity, p.field, p.message), []).append(p.file)
    lines, done = [], set()
    for p in problems:
        key = (p.severity, p.field, p.message)
        if p.record is not None or len(per_file[key]) == 1:
            continue
        if key not in done:
            done.add(key)
            files = list(dict.fromkeys(per_file[key]))
            shown = ", ".join(files[:names]) + (f" and {len(files) - names} more" if len(files) > names else "")
            field = f", field '{p.field}'" if p.field else ""
            lines.append(f"{len(files)} files ({shown}){field}: {p.message}")
    rest = [p for p in problems if p.record is not None or len(per_file[(p.severity, p.field, p.message)]) == 1]
    return lines + summarise(rest, limit=max(0, limit - len(lines)))  # every file of ``rest`` listed


def _s(n: int) -> str:
    return "" if n == 1 else "s"


# --------------------------------------------------------------------------- input files

def find_input_files(paths: Sequence[str | Path]) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """(path, display name) for every input file; folders are searched recursively for .json
    and .zip files, hidden entries skipped. Each file is listed once even if named twice."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise IngestUsageError("no such file or directory: " + ", ".join(missing))
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    seen: set[Path] = set()

    def add(path: Path, display: str) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append((path, display))

    for given in paths:
        path = Path(given)
        if not path.is_dir():
            add(path, str(given))
            continue
        before = len(found)
        listed, left_out = scan(path, display_prefix=str(given))
        problems += left_out
        for full in listed:
            add(full, os.path.join(str(given), str(full.relative_to(path))))
        if len(found) == before and not left_out and not any(p.resolve().is_relative_to(path.resolve()) for p, _ in found):
            problems.append(Problem(str(given), "no .json or .zip files in this folder"))
    return found, problems


# --------------------------------------------------------------------------- writing

def _plain(value, name: str):
    """A points-table value as JSON; None when missing (the field is then left out)."""
    if value is None:
        return None
    if name in _BOOL_FIELDS:
        return bool(value)
    if name in _TEXT_FIELDS:
        if isinstance(value, float) and math.isnan(value):
            return None
        text = str(value)
        return text if text.strip() else None
    number = float(value)
    if not math.isfinite(number):
        return None
    if name in _COUNT_FIELDS and number.is_integer():
        return int(number)
    return number


def to_aggregate_records(points: pd.DataFrame) -> list[dict]:
    """Normalised points as runner-aggregate objects (SPEC §1 format 2)."""
    columns = {f: _AGG_TO_COLUMN[f] for f in OUTPUT_FIELDS}
    records = []
    for row in points.to_dict("records"):
        rec = {}
        for name, column in columns.items():
            value = _plain(row.get(column), name)
            if value is not None:
                rec[name] = value
        records.append(rec)
    return records


def _point_keys(points: pd.DataFrame) -> list[tuple[int, str]]:
    if points.empty:
        return []
    return list(zip(points["point_id"].astype("uint64").tolist(), points["date"].astype(str).tolist()))


def _check_round_trip(records: list[dict], expected: pd.DataFrame, reference) -> None:
    """The records must load back to exactly the points they came from."""
    problems: list[Problem] = []
    frame = read_document(SourceDoc("<ingest>", records), problems)
    again, more = normalise(frame, reference) if frame is not None else (pd.DataFrame(), [])
    errors = [p for p in problems + more if p.severity == "error"]
    if errors or sorted(_point_keys(again)) != sorted(_point_keys(expected)):
        detail = summarise(errors, 3)
        raise RuntimeError("internal error: the records to write would not load back to the same points"
                           + (f" ({'; '.join(detail)})" if detail else "") + "; nothing was written")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


TEMP_PREFIX = ".ingest-"
TEMP_SUFFIX = ".tmp"
# A temporary file older than this is stale even if a process with its pid exists (the pid
# may have been reused): writing even the largest file takes seconds.
STALE_TEMP_SECONDS = 10 * 60
# Test hook: seconds to wait after the temporary file is written and before it is renamed,
# so a test can kill an ingest mid-write (tests/unit/test_hostile_data.py).
PAUSE_AFTER_TEMP_ENV = "FRONTIER_TEST_PAUSE_AFTER_TEMP"


def _umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: read it by setting it, and put it back
    os.umask(mask)
    return mask


def _pause_for_tests() -> None:
    value = os.environ.get(PAUSE_AFTER_TEMP_ENV, "")
    try:
        seconds = float(value[:16]) if value else 0.0
    except ValueError:
        return
    if 0 < seconds < 3600:
        time.sleep(seconds)


def write_atomic(folder: Path, stem: str, payload: bytes) -> Path:
    """Write ``folder/stem.json`` through a temporary file in the same folder, fsync it, then
    ``os.replace``. On failure the temporary file and any folder created here are removed.
    The file gets the permissions any new file would (0666 less the umask), not mkstemp's
    0600, so a server running as another user can read it."""
    created = []
    probe = folder
    while not probe.exists():
        created.append(probe)
        probe = probe.parent
    target = folder / f"{stem}.json"
    n = 1
    while target.exists():  # never replace a file already there
        n += 1
        target = folder / f"{stem}-{n}.json"
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # the pid in the name tells a later ingest whether the writer is still alive
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX)
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        _pause_for_tests()
        os.replace(tmp, target)
        tmp = None
        _fsync_dir(folder)
        return target
    except BaseException:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        for made in created:  # deepest first
            try:
                made.rmdir()
            except OSError:
                break
        raise


def _writer_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return False
    return True


def remove_stale_temp_files(folder: Path, now: float | None = None) -> list[str]:
    """Remove the temporary files of ingests that were killed mid-write: those whose writer
    is gone, or that are older than ``STALE_TEMP_SECONDS``. Call it holding the ingest lock
    (no other ingest is writing then). Returns the names removed."""
    removed = []
    try:
        entries = sorted(folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
    except OSError:
        return removed
    now = time.time() if now is None else now
    for path in entries:
        pid_text = path.name[len(TEMP_PREFIX):].split("-", 1)[0]
        try:
            age = now - path.lstat().st_mtime
        except OSError:
            continue
        writer_gone = pid_text.isdigit() and len(pid_text) < 10 and not _writer_alive(int(pid_text))
        if writer_gone or age > STALE_TEMP_SECONDS:
            try:
                path.unlink()
                removed.append(path.name)
            except OSError:
                pass
    return removed


# --------------------------------------------------------------------------- ingest

def ingest(
    paths: Sequence[str | Path | Upload],
    data_dir: str | Path,
    overrides: dict | None = None,
    *,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
    fallback_dir: Path | None = BUNDLED_DATA_DIR,
    now: dt.datetime | None = None,
    source: str = "",
) -> IngestReport:
    """Validate the input files and add their new measurements to ``data_dir``.

    ``overrides`` holds canonical column names (see ``loaders.parse_settings``) and wins over
    what the files say; raw benchmark_serving results need at least gpu, model, framework
    and precision. Raises ``IngestUsageError`` for a path that does not exist or a data
    directory that is not a folder, and re-raises (after cleaning up) any error while
    writing; everything else is in the returned report. ``source`` labels the batch."""
    data_dir = Path(data_dir)
    if data_dir.exists() and not data_dir.is_dir():
        raise IngestUsageError(f"--data-dir {data_dir} is not a folder")
    report = IngestReport(data_dir=data_dir, dry_run=dry_run, strict=strict, source=source or default_source(paths))
    reference = load_reference(data_dir, fallback_dir)
    points = read_inputs(paths, reference, report, overrides, progress)
    with _exclusive(data_dir, enabled=not dry_run):
        if not dry_run:  # under the lock, so no ingest still writing its temp file is disturbed
            report.removed_temp = remove_stale_temp_files(data_dir / INGEST_SUBDIR)
        return _finish(points, data_dir, reference, progress, report, strict, dry_run, now)


def default_source(paths: Sequence) -> str:
    """A batch's source when none is given: what was ingested, shortened."""
    names = [p.name if isinstance(p, Upload) else str(p) for p in paths]
    text = ", ".join(names)
    return text if len(text) <= 200 else text[:197] + "..."


def read_inputs(paths: Sequence[str | Path | Upload], reference, report: IngestReport, overrides: dict | None = None,
                progress: Progress | None = None) -> pd.DataFrame:
    """Read and validate every input; fills the reading half of ``report`` and returns the
    valid points, each measurement once (rejected records and repeats in the input left out).

    Raises ``IngestUsageError`` when no input is given or a path does not exist."""
    if not paths:
        raise IngestUsageError("no input paths given")
    uploads = [p for p in paths if isinstance(p, Upload)]
    files, problems = find_input_files([p for p in paths if not isinstance(p, Upload)])
    report.files = [display for _, display in files] + [u.name for u in uploads]
    report.warnings += [Problem(p.file, f"reference table: {p.message}", p.record, p.field, "warning")
                        for p in reference.problems]

    frames = []
    inputs = [(path, display, None) for path, display in files] + [(None, u.name, u) for u in uploads]
    for n, (path, display, upload) in enumerate(inputs):
        if upload is None:
            docs = read_documents(path, display, problems)
        else:
            mtime = upload.mtime if upload.mtime is not None else dt.datetime.now(dt.timezone.utc).timestamp()
            docs = documents_from_bytes(upload.data, display, problems, mtime)
        report.documents += len(docs)
        for doc in docs:
            frame = read_document(doc, problems, overrides)
            if frame is not None and len(frame):
                frames.append(frame)
        if progress:
            progress("reading", n + 1, len(inputs), display)
    # A file (or zip member) with a file-level error and no records was left out entirely.
    with_records = {str(frame["source"].iloc[0]) for frame in frames}
    report.unreadable = list(dict.fromkeys(
        p.file for p in problems if p.severity == "error" and p.record is None and p.file not in with_records))

    raw = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    points, more = normalise(raw, reference) if len(raw) else (pd.DataFrame(), [])
    problems += more
    report.errors = [p for p in problems if p.severity == "error"]
    report.warnings += [p for p in problems if p.severity != "error"]

    # Every record is exactly one of: rejected, repeated in the input, already there, new.
    rejected = {(p.file, p.record) for p in report.errors if p.record is not None}
    raw_keys = set(zip(raw["source"].astype(str), raw["record"].astype(int))) if len(raw) else set()
    report.records = len(raw_keys | rejected)
    report.rejected_records = len(rejected)
    if len(points):
        point_rows = list(zip(points["source"].astype(str), points["record"].astype(int)))
        points = points.loc[[key not in rejected for key in point_rows]]
        report.duplicates_input = len(raw_keys - rejected) - len(points)
    return points


def refuse_reason(report: IngestReport) -> str:
    """Why nothing may be written ("" when the rest may go in): --strict with rejections."""
    if report.strict and report.rejected:
        what = [f"{n} {noun}{_s(n)}" for n, noun in ((report.rejected_records, "record"), (len(report.unreadable), "file")) if n]
        return f"--strict is set and there were rejections ({', '.join(what)})"
    return ""


@contextlib.contextmanager
def _exclusive(data_dir: Path, enabled: bool):
    """One ingest at a time per data folder, so two runs cannot both add the same points."""
    if not enabled or not data_dir.is_dir():
        yield
        return
    fd = os.open(data_dir, os.O_RDONLY)  # lock the folder itself: no lock file left behind
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _finish(points, data_dir, reference, progress, report, strict, dry_run, now) -> IngestReport:
    """Duplicate check against the folder and the write (under the lock)."""
    if len(points):
        existing = _existing_keys(data_dir, reference, progress, report)
        is_new = [key not in existing for key in _point_keys(points)]
        report.duplicates_existing = len(points) - sum(is_new)
        points = points.loc[is_new]
    report.added = len(points)

    if refuse_reason(report):
        report.added = 0
        report.reason = refuse_reason(report)
        return report
    if not len(points):
        report.reason = "nothing new to add" if report.duplicates else "no valid records in the input"
        return report
    if dry_run:
        return report

    records = to_aggregate_records(points)
    _check_round_trip(records, points, reference)
    payload = (json.dumps(records, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
    stamp = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    digest = hashlib.blake2b(payload, digest_size=4).hexdigest()
    folder_existed = (data_dir / INGEST_SUBDIR).exists()
    written = write_atomic(data_dir / INGEST_SUBDIR, f"{stamp}-{digest}", payload)
    try:
        report.batch = _record_batch(data_dir, written, report, now)
    except BaseException:
        # The batch must be recorded with its file, or neither is there.
        written.unlink(missing_ok=True)
        if not folder_existed:
            _rmdir_quietly(written.parent)
        raise
    report.written = written
    return report


def _rmdir_quietly(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _record_batch(data_dir: Path, written: Path, report: IngestReport, now: dt.datetime | None) -> int:
    """Append this ingest to the folder's manifest (under the folder lock) as the next batch."""
    batches, problems = read_manifest(data_dir)
    if problems:  # never overwrite a manifest we could not read: its batches would be lost
        raise OSError(f"the batch manifest is unreadable: {problems[0].message}")
    batch_id = (batches[-1].id if batches else 0) + 1
    when = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    rel = str(written.relative_to(data_dir))
    batches.append(Batch(batch_id, when, report.source, report.added, report.duplicates, report.rejected_records,
                         ((rel, written.stat().st_size),)))
    write_manifest(data_dir, batches)
    return batch_id


def _existing_keys(data_dir: Path, reference, progress: Progress | None,
                   report: IngestReport) -> set[tuple[int, str]]:
    """(point_id, date) of every measurement the data directory already holds.

    This reads the folder exactly as ``dataset.build_dataset`` does (same files, names,
    modification times and reference tables), but copes with a folder holding no loadable
    record, on which ``normalise`` (hence ``build_dataset``) currently raises KeyError."""
    if not data_dir.is_dir():
        return set()
    files = discover(data_dir)
    report.existing_files = len(files)
    frames, problems = [], []
    for n, path in enumerate(files):
        for doc in read_documents(path, str(path.relative_to(data_dir)), problems):
            frame = read_document(doc, problems)
            if frame is not None and len(frame):
                frames.append(frame)
        if progress:
            progress("checking", n + 1, len(files), str(path.relative_to(data_dir)))
    if not frames:
        return set()
    points, _ = normalise(pd.concat(frames, ignore_index=True), reference)
    report.existing_points = len(points)
    return set(_point_keys(points))


