"""The PostgreSQL results store: one database shared by every app process on every host.

    store = PostgresStore("postgresql://frontier@db/frontier", reference_dir=Path("my-data"))
    store.revision()      # "12": the last batch id, one indexed query
    store.load()          # Dataset at that revision (diskcache-backed, keyed by store id + revision)
    store.ingest([...])   # IngestReport; one transaction, duplicates skipped
    store.export(Path("out"))  # the whole database as a data folder (same batches)

Schema: plain SQL files in ``frontier/migrations/NNNN_name.sql``, applied in order by
``migrate`` (also run on first use), each in a transaction under an advisory lock so that
several processes starting at once apply each one exactly once. ``frontier_schema`` records
the versions applied.

Ingest (all or nothing): the inputs are read and validated exactly as for the folder store
(``ingest.read_inputs``), turned into the same normalised runner-aggregate records the folder
store would write (checked to load back to the same points), copied into a temporary table,
then, under a transaction-scoped advisory lock, given the next batch id and inserted with
``ON CONFLICT DO NOTHING`` on the measurement identity (configuration key, isl, osl, conc,
date), so re-ingesting skips what is there. A batch that adds nothing is rolled back and not
recorded (the revision does not move). Any error rolls the whole transaction back. The lock
makes batch ids follow commit order, so ``max(id)`` is a revision every reader can trust.

Load: in one REPEATABLE READ snapshot, the revision, the batch list and ``COPY (SELECT ...)
TO STDOUT`` as CSV into a temporary file, read back in chunks through the same
``normalise.prepare``/``finish`` as files, so the points equal the folder store's for the same
records. The reference tables (hardware.csv, models.csv) are files, from ``reference_dir``
or the bundled ones; a change to them is picked up at the next revision or restart."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .batches import Batch, write_manifest
from .cache import DiskCache, content_key
from .dataset import BUNDLED_DATA_DIR, Dataset, latest_per_point
from .ingest import (_AGG_TO_COLUMN, _BOOL_FIELDS, _TEXT_FIELDS, INGEST_SUBDIR, OUTPUT_FIELDS, IngestReport,
                     IngestUsageError, Progress, _plain, default_source, read_inputs, refuse_reason, write_atomic)
from .loaders import AGG_CONFIG_FIELDS, METRIC_FIELDS
from .normalise import CONFIG_COLUMNS, by_unique, finish, normalise, prepare
from .problems import Problem
from .reference import HARDWARE_FILE, MODELS_FILE, load_reference, reference_paths

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Advisory lock keys (any two constants unlikely to collide with an application's own).
MIGRATE_LOCK = 0x46524F4E01  # "FRON" 01
INGEST_LOCK = 0x46524F4E02
LOAD_CHUNK_ROWS = 200_000
WRITE_CHUNK_ROWS = 50_000

# agg field -> canonical raw column (what loaders.read_agg_records would produce)
_FIELD_TO_CANONICAL = {field: canonical for canonical, field in {**AGG_CONFIG_FIELDS, **METRIC_FIELDS}.items()}
_STORED = list(OUTPUT_FIELDS) + ["config_key", "source", "record"]


def read_measurement_csv(fileobj, chunksize: int, names: list[str] | None = None):
    """Chunks of measurement rows as CSV (from COPY TO, or as written for COPY FROM) read into
    frames of canonical raw columns, ready for ``normalise.prepare``: the one reader both the
    load and the ingest's round-trip check use."""
    text = {c: str for c in OUTPUT_FIELDS if c in _TEXT_FIELDS}
    text["source"] = str
    reader = pd.read_csv(fileobj, chunksize=chunksize, dtype=text, keep_default_na=False, na_values=[""],
                         header=None if names else 0, names=names)
    for chunk in reader:
        if chunk.empty:
            continue
        raw = chunk.rename(columns=_FIELD_TO_CANONICAL).reset_index(drop=True)
        raw["source"] = raw["source"].fillna("")
        raw["record"] = raw["record"].fillna(0).astype("int64")
        raw["format"] = "agg"
        yield raw


def measurement_frame(points: pd.DataFrame) -> pd.DataFrame:
    """Validated points -> one column per ``OUTPUT_FIELDS`` entry, holding what the folder store
    would write for them (``ingest.to_aggregate_records``), column-wise: missing is NaN/None."""
    out = {}
    for name in OUTPUT_FIELDS:
        column = points[_AGG_TO_COLUMN[name]]
        if name in _BOOL_FIELDS:
            out[name] = column.fillna(False).astype(bool).to_numpy()
        elif name in _TEXT_FIELDS:
            values = by_unique(column.astype(object), lambda v: None if v is None or (isinstance(v, float) and v != v)
                               or not str(v).strip() else str(v), None)
            out[name] = values.to_numpy()
        else:
            number = pd.to_numeric(column, errors="coerce").astype(float).to_numpy()
            number = np.where(np.isfinite(number), number, np.nan)
            out[name] = number.astype("int64") if name in ("conc", "isl", "osl") else number
    return pd.DataFrame(out)


class StoreError(RuntimeError):
    """The database cannot be used (unreachable, wrong schema, ...): a readable reason."""


def describe_url(url: str) -> str:
    """A DSN as people may see it in logs and reports: no password."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(url)
    except Exception:
        return "PostgreSQL (unparsable URL)"
    where = parts.get("host") or "local socket"
    if parts.get("port"):
        where += f":{parts['port']}"
    db = parts.get("dbname") or parts.get("user") or ""
    return f"PostgreSQL {db} at {where}"


def migrations() -> list[tuple[int, str, str]]:
    out = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        version = int(path.name.split("_", 1)[0])
        out.append((version, path.stem, path.read_text(encoding="utf-8")))
    versions = [v for v, _, _ in out]
    assert versions == sorted(set(versions)), f"duplicate migration versions in {MIGRATIONS_DIR}"
    return out


def migrate(conn) -> int:
    """Apply every migration the database lacks; returns the schema version. Safe to run from
    several processes at once (the advisory lock serialises them)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS frontier_schema (version integer PRIMARY KEY, name text NOT NULL, "
                     "applied_at timestamptz NOT NULL DEFAULT now())")
        done = {row[0] for row in conn.execute("SELECT version FROM frontier_schema")}
        for version, name, sql in migrations():
            if version in done:
                continue
            log.info("applying database migration %s", name)
            conn.execute(sql)
            conn.execute("INSERT INTO frontier_schema (version, name) VALUES (%s, %s)", (version, name))
        latest = conn.execute("SELECT max(version) FROM frontier_schema").fetchone()[0]
    known = max(v for v, _, _ in migrations())
    if latest > known:
        raise StoreError(f"the database has schema version {latest}, newer than this code knows ({known}); "
                         "upgrade Inference Frontier")
    return latest


def identity_keys(points: pd.DataFrame) -> list[str]:
    """md5 of each point's configuration identity (``normalise.CONFIG_COLUMNS``), as text
    that does not depend on dtypes: the database's measurement key, with isl, osl, conc, date."""
    if points.empty:
        return []

    def text(value) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, (bool, np.bool_)):
            return "1" if value else "0"
        if isinstance(value, (int, float, np.integer, np.floating)):
            number = float(value)
            return str(int(number)) if number.is_integer() else repr(number)
        return str(value)

    parts = [by_unique(points[c].astype(object), text, "").to_numpy() for c in CONFIG_COLUMNS]
    joined = ["\x1f".join(row) for row in zip(*parts)]
    return [hashlib.md5(s.encode()).hexdigest() for s in joined]


@dataclass
class ExportReport:
    directory: Path
    batches: int = 0
    measurements: int = 0
    files: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"Exported {self.measurements} measurements in {self.batches} batches to {self.directory}",
                *[f"  {f}" for f in self.files]]


class PostgresStore:
    """Results in a PostgreSQL database (see the module docstring)."""

    backend = "postgres"

    def __init__(self, url: str, *, reference_dir: Path | None = None, cache_dir: Path | None = None,
                 fallback_dir: Path | None = BUNDLED_DATA_DIR, connect_timeout: int = 10):
        if not url:
            raise StoreError("no database URL given")
        self.url = url
        self.reference_dir = Path(reference_dir) if reference_dir else BUNDLED_DATA_DIR
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.fallback_dir = fallback_dir
        self.connect_timeout = connect_timeout
        self._poll_lock = threading.Lock()
        self._poll_conn = None
        self._poll_pid = None
        self._migrated_pid = None
        self._store_id: str | None = None
        self.last_load = ""  # how the last load() went: full, cache, merge, cache+merge (logs, tests)

    # ---- connections ---------------------------------------------------------------------
    def describe(self) -> str:
        return describe_url(self.url)

    def connect(self, autocommit: bool = False):
        """A new connection, the schema brought up to date on the first one of each process."""
        import psycopg

        try:
            conn = psycopg.connect(self.url, connect_timeout=self.connect_timeout, autocommit=autocommit,
                                   application_name="inference-frontier")
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {self.describe()}: {_first_line(exc)}") from exc
        if self._migrated_pid != os.getpid():
            try:
                migrate(conn)
                if not autocommit:
                    conn.commit()
            except BaseException:
                conn.close()
                raise
            self._migrated_pid = os.getpid()
        return conn

    def migrate(self) -> int:
        with contextlib.closing(self.connect()) as conn:
            version = migrate(conn)
            conn.commit()
            return version

    def close(self) -> None:
        with self._poll_lock:
            if self._poll_conn is not None and self._poll_pid == os.getpid():
                with contextlib.suppress(Exception):
                    self._poll_conn.close()
            self._poll_conn = None

    # ---- revision ------------------------------------------------------------------------
    def revision(self) -> str:
        """The last batch id, one primary-key lookup on a kept connection (reopened after a
        fork, since a connection must never be shared between processes, or after an error)."""
        import psycopg

        with self._poll_lock:
            for attempt in range(2):
                if self._poll_conn is None or self._poll_pid != os.getpid() or self._poll_conn.closed:
                    self._poll_conn = self.connect(autocommit=True)
                    self._poll_pid = os.getpid()
                try:
                    return str(self._poll_conn.execute("SELECT coalesce(max(id), 0) FROM ingest_batch").fetchone()[0])
                except psycopg.OperationalError as exc:
                    with contextlib.suppress(Exception):
                        self._poll_conn.close()
                    self._poll_conn = None
                    if attempt:
                        raise StoreError(f"lost the connection to {self.describe()}: {_first_line(exc)}") from exc
        raise AssertionError("unreachable")

    def store_id(self, conn=None) -> str:
        if self._store_id is None:
            with _maybe_connection(self, conn) as c:
                self._store_id = c.execute("SELECT value FROM frontier_meta WHERE key = 'store_id'").fetchone()[0]
        return self._store_id

    def batches(self, conn=None) -> list[Batch]:
        with _maybe_connection(self, conn) as c:
            rows = c.execute("SELECT id, created_at, source, added, duplicates, rejected FROM ingest_batch "
                             "ORDER BY id").fetchall()
        return [Batch(int(i), t.astimezone(dt.timezone.utc).isoformat(timespec="seconds"), s, a, d, r)
                for i, t, s, a, d, r in rows]

    # ---- load ----------------------------------------------------------------------------
    def reference(self):
        return load_reference(self.reference_dir, self.fallback_dir)

    def load(self, previous: Dataset | None = None) -> Dataset:
        """Every measurement up to the current revision, as a Dataset (see module docstring).

        ``previous``: a dataset this store loaded before (what ``LiveData`` serves). When it is
        an earlier revision of the same database with the same reference tables, only the
        batches after it are fetched and merged in, which keeps a reload at a million points
        to seconds; the result equals a full load. Loads without ``previous`` go through the
        disk cache: the exact revision if it is there, else the newest revision cached on this
        host plus the batches after it (a restart), else everything; the result is cached.
        Merges into ``previous`` are not cached (each process merges the small batch itself)."""
        started = time.perf_counter()
        with contextlib.closing(self.connect()) as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            revision = int(conn.execute("SELECT coalesce(max(id), 0) FROM ingest_batch").fetchone()[0])
            batches = self.batches(conn)
            ref_key = content_key(reference_paths(self.reference_dir, self.fallback_dir))
            prefix = f"pg:{self.store_id(conn)}:"
            key = f"{prefix}{revision}:{ref_key}"
            base = _incremental_base(previous, prefix, ref_key, revision, batches)
            if base is not None:
                with tempfile.TemporaryFile(dir=self.cache_dir) as spool:
                    self._copy_out(conn, revision, spool, after=base)
                    conn.rollback()
                    dataset = self._merge(previous, spool, revision, batches)
                dataset.key = key
                log.info("merged batches %d-%d into %d points in %.2fs", base + 1, revision, len(dataset.points),
                         time.perf_counter() - started)
                self.last_load = "merge"
                return dataset
            cache = DiskCache(self.cache_dir)
            newest = ("dataset-newest", prefix + ref_key)  # the last revision cached on this host
            try:
                cached = cache.get_large(("dataset", key))
                if isinstance(cached, Dataset):
                    conn.rollback()
                    self.last_load = "cache"
                    return cached
                older_key = cache.get(newest)
                older = cache.get_large(("dataset", older_key)) if isinstance(older_key, str) else None
                base = _incremental_base(older, prefix, ref_key, revision, batches) if isinstance(older, Dataset) else None
                with tempfile.TemporaryFile(dir=self.cache_dir if cache.enabled else None) as spool:
                    self._copy_out(conn, revision, spool, after=base or 0)
                    conn.rollback()  # the snapshot is no longer needed; free the connection early
                    if base is not None:  # a restart after new batches: the cached revision + those
                        dataset = self._merge(older, spool, revision, batches)
                        self.last_load = "cache+merge"
                    else:
                        dataset = self._build(spool, revision, batches)
                        self.last_load = "full"
                del older
                dataset.key = key
                cache.set_large(("dataset", key), dataset)
                cache.set(newest, key)
            finally:
                cache.close()
        log.info("loaded %d points at revision %s from %s in %.2fs", len(dataset.points), dataset.revision,
                 self.describe(), time.perf_counter() - started)
        return dataset

    def _copy_out(self, conn, revision: int, spool, after: int = 0) -> None:
        columns = ", ".join(f"{c}::int AS {c}" if c in _BOOL_FIELDS else
                            f"to_char({c}, 'YYYY-MM-DD') AS {c}" if c == "date" else c for c in OUTPUT_FIELDS)
        sql = (f"COPY (SELECT batch_id, source, record, {columns} FROM measurement WHERE batch_id > {int(after)} "
               f"AND batch_id <= {int(revision)} ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)")
        with conn.cursor() as cur, cur.copy(sql) as copy:
            for block in copy:
                spool.write(block)
        spool.seek(0)

    def _merge(self, previous: Dataset, spool, revision: int, batches: list[Batch]) -> Dataset:
        """``previous`` plus the rows in ``spool`` (later batches), as a full load would build it."""
        increment = self._build(spool, revision, batches)
        if increment.points.empty:
            points = previous.points
        elif previous.points.empty:
            points = increment.points
        else:
            points = merge_points(previous.points, increment.points)
        problems = list(dict.fromkeys(previous.problems + [p for p in increment.problems
                                                           if "holds no measurements" not in p.message]))
        return Dataset(points=points, latest=latest_per_point(points), reference=previous.reference,
                       problems=problems, files=[], data_dir=self.describe(), revision=str(revision),
                       batches=batches)

    def _build(self, spool, revision: int, batches: list[Batch]) -> Dataset:
        reference = self.reference()
        problems: list[Problem] = list(reference.problems)
        prepared = []
        for raw in read_measurement_csv(spool, LOAD_CHUNK_ROWS):
            typed, more = prepare(raw.drop(columns="batch_id"), reference)
            problems += more
            typed["batch"] = raw["batch_id"].to_numpy(dtype="int64")[typed.index.to_numpy()]
            prepared.append(typed)
            del raw
        if prepared:
            points = finish(pd.concat(prepared, ignore_index=True), reference)
        else:
            points, more = normalise(pd.DataFrame(), reference)
            points["batch"] = pd.Series(dtype="int64")
            problems += more
            problems.append(Problem(self.describe(), "the database holds no measurements yet; add some with "
                                    "python -m frontier ingest FILES --database-url URL", severity="warning"))
        return Dataset(points=points, latest=latest_per_point(points), reference=reference, problems=problems,
                       files=[], data_dir=self.describe(), revision=str(revision), batches=batches)

    # ---- ingest --------------------------------------------------------------------------
    def ingest(self, inputs, overrides: dict | None = None, *, source: str = "", dry_run: bool = False,
               strict: bool = False, progress: Progress | None = None) -> IngestReport:
        """Validate ``inputs`` (paths or ``Upload``s) and add the new measurements as one batch.

        Raises ``IngestUsageError`` for bad requests, ``StoreError`` when the database cannot be
        reached; on any error nothing is written. Everything else is in the report."""
        report = IngestReport(data_dir=self.reference_dir, store=self.describe(), dry_run=dry_run, strict=strict,
                              source=source or default_source(inputs))
        reference = self.reference()
        points = read_inputs(inputs, reference, report, overrides, progress)
        if refuse_reason(report):
            report.reason = refuse_reason(report)
            report.revision = self.revision()
            return report
        if not len(points):
            report.reason = "nothing new to add" if report.duplicates else "no valid records in the input"
            report.revision = self.revision()
            return report
        frame = measurement_frame(points)
        frame["config_key"] = identity_keys(points)
        frame["source"] = points["source"].astype(str).to_numpy()
        frame["record"] = points["record"].astype("int64").to_numpy()
        frame["ord"] = np.arange(len(frame))
        import psycopg

        try:
            with contextlib.closing(self.connect()) as conn:
                self._write(conn, frame, points, reference, report, progress)
        except psycopg.Error as exc:
            raise StoreError(f"the database refused the batch, nothing was written: {_first_line(exc)}") from exc
        if not report.added and not report.reason:
            report.reason = "nothing new to add"
        return report

    def _write(self, conn, frame: pd.DataFrame, points: pd.DataFrame, reference, report: IngestReport,
               progress) -> None:
        cols = ", ".join(_STORED)
        order = _STORED + ["ord"]
        n_rows = len(frame)
        try:
            conn.execute(f"CREATE TEMP TABLE incoming ON COMMIT DROP AS SELECT {cols} FROM measurement WITH NO DATA")
            conn.execute("ALTER TABLE incoming ADD COLUMN ord integer")
            expected = sorted(zip(points["point_id"].astype("uint64").tolist(), points["date"].astype(str).tolist()))
            seen = []
            with conn.cursor() as cur, cur.copy(f"COPY incoming ({cols}, ord) FROM STDIN WITH (FORMAT csv)") as copy:
                for start in range(0, n_rows, WRITE_CHUNK_ROWS):
                    block = frame.iloc[start:start + WRITE_CHUNK_ROWS][order].to_csv(index=False, header=False,
                                                                                    na_rep="")
                    seen += _round_trip_keys(block, order, reference)
                    copy.write(block.encode("utf-8"))
                    if progress:
                        progress("writing", min(start + WRITE_CHUNK_ROWS, n_rows), n_rows, "")
            if sorted(seen) != expected:  # what is stored must load back to exactly these points
                raise RuntimeError("internal error: the rows to store would not load back to the same points; "
                                   "nothing was written")
            identity = "m.config_key = i.config_key AND m.isl = i.isl AND m.osl = i.osl AND m.conc = i.conc AND m.date = i.date"
            if report.dry_run:
                existing = conn.execute(f"SELECT count(*) FROM incoming i WHERE EXISTS (SELECT 1 FROM measurement m "
                                        f"WHERE {identity})").fetchone()[0]
                report.duplicates_existing = existing
                report.added = n_rows - existing
                report.revision = str(conn.execute("SELECT coalesce(max(id), 0) FROM ingest_batch").fetchone()[0])
                conn.rollback()
                return
            # From here on one ingest at a time, so batch ids follow commit order.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (INGEST_LOCK,))
            batch = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM ingest_batch").fetchone()[0]
            conn.execute("INSERT INTO ingest_batch (id, source, files, records, rejected, warnings) "
                         "VALUES (%s, %s, %s, %s, %s, %s)",
                         (batch, report.source, len(report.files), report.records, report.rejected_records,
                          len(report.warnings)))
            inserted = conn.execute(f"INSERT INTO measurement (batch_id, {cols}) SELECT %s, {cols} FROM incoming "
                                    "ORDER BY ord ON CONFLICT ON CONSTRAINT measurement_identity DO NOTHING",
                                    (batch,)).rowcount
            report.duplicates_existing = n_rows - inserted
            report.added = inserted
            if not inserted:
                conn.rollback()
                report.revision = str(batch - 1)
                return
            conn.execute("UPDATE ingest_batch SET added = %s, duplicates = %s WHERE id = %s",
                         (inserted, report.duplicates, batch))
            if progress:
                progress("committing", 1, 1, "")
            conn.commit()
            report.batch = batch
            report.revision = str(batch)
        except BaseException:
            with contextlib.suppress(Exception):
                conn.rollback()
            report.added = 0
            report.batch = None
            raise

    # ---- export --------------------------------------------------------------------------
    def export(self, directory: Path, progress: Progress | None = None) -> ExportReport:
        """Write every batch as ``DIRECTORY/ingested/batch-NNNNNN.json`` (normalised runner
        aggregates), the folder manifest with the same batch ids (so revisions and ``rev=``
        links mean the same there) and copies of the reference tables in use.

        ``directory`` must not exist or be empty; it is built beside itself and renamed into
        place, so it never holds half an export."""
        directory = Path(directory)
        if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise IngestUsageError(f"{directory} exists and is not an empty folder; export writes a new folder")
        parent = directory.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=parent, prefix=f".{directory.name}.export-"))
        report = ExportReport(directory)
        try:
            with contextlib.closing(self.connect()) as conn:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                batches = self.batches(conn)
                written = []
                for n, batch in enumerate(batches):
                    records = self._batch_records(conn, batch.id)
                    payload = (json.dumps(records, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode()
                    path = write_atomic(work / INGEST_SUBDIR, f"batch-{batch.id:06d}", payload)
                    rel = str(path.relative_to(work))
                    written.append(Batch(batch.id, batch.time, batch.source, batch.added, batch.duplicates,
                                         batch.rejected, ((rel, path.stat().st_size),)))
                    report.measurements += len(records)
                    report.files.append(rel)
                    if progress:
                        progress("exporting", n + 1, len(batches), rel)
                conn.rollback()
            report.batches = len(written)
            if written:
                write_manifest(work, written)
            for path in reference_paths(self.reference_dir, self.fallback_dir):
                if path.name in (HARDWARE_FILE, MODELS_FILE):
                    shutil.copy2(path, work / path.name)
            _usual_modes(work)  # mkdtemp/mkstemp make private files; an export is an ordinary folder
            if directory.exists():
                directory.rmdir()  # empty, checked above
            os.replace(work, directory)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        return report

    def _batch_records(self, conn, batch_id: int) -> list[dict]:
        columns = ", ".join(f"to_char({c}, 'YYYY-MM-DD') AS {c}" if c == "date" else c for c in OUTPUT_FIELDS)
        out = []
        with conn.cursor(name=f"export_{batch_id}") as cur:
            cur.itersize = 5000
            cur.execute(f"SELECT {columns} FROM measurement WHERE batch_id = %s ORDER BY id", (batch_id,))
            for row in cur:
                rec = {}
                for name, value in zip(OUTPUT_FIELDS, row):
                    value = _plain(value, name)
                    if value is not None:
                        rec[name] = value
                out.append(rec)
        return out


# the order ``normalise.finish`` leaves points in; ties fall back to point_id (its first sort)
FINISH_ORDER = ["model", "seq", "gpu", "framework", "spec", "precision", "conc", "date", "point_id"]


def merge_points(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Two finished point tables with no measurement in common -> one, equal to finishing
    all their rows together: categorical columns get the sorted union of categories (what
    ``astype("category")`` gives), rows the order ``finish`` sorts them in."""
    columns = list(old.columns)
    if set(new.columns) != set(columns):
        raise ValueError(f"point tables differ in columns: {sorted(set(new.columns) ^ set(columns))}")
    new = new[columns]
    aligned_old, aligned_new = {}, {}
    for c in columns:
        a, b = old[c], new[c]
        if isinstance(a.dtype, pd.CategoricalDtype) and isinstance(b.dtype, pd.CategoricalDtype):
            cats = a.cat.categories.union(b.cat.categories)
            if not a.cat.categories.equals(cats):
                aligned_old[c] = a.cat.set_categories(cats)
            aligned_new[c] = b.cat.set_categories(cats)
    merged = pd.concat([old.assign(**aligned_old), new.assign(**aligned_new)], ignore_index=True)
    return merged.sort_values(FINISH_ORDER, kind="stable").reset_index(drop=True)


def _incremental_base(previous: Dataset | None, prefix: str, ref_key: str, revision: int,
                      batches: list[Batch]) -> int | None:
    """The revision ``previous`` can be extended from, or None when a full load is needed."""
    if previous is None or previous.pinned_from or not previous.key.startswith(prefix):
        return None
    if not previous.key.endswith(f":{ref_key}") or "batch" not in previous.points:
        return None
    try:
        base = int(previous.revision)
    except ValueError:
        return None
    if base > revision or [b.id for b in previous.batches] != [b.id for b in batches if b.id <= base]:
        return None  # another database behind the same id, or batches rewritten: start over
    return base


def _round_trip_keys(block: str, names: list[str], reference) -> list[tuple[int, str]]:
    """(point_id, date) of the points a CSV block loads back to, through the load's reader."""
    keys = []
    for raw in read_measurement_csv(io.StringIO(block), 10**9, names=names):
        typed, _ = prepare(raw.drop(columns=["config_key", "ord"]), reference)
        keys += zip(typed["point_id"].astype("uint64").tolist(), typed["date"].astype(str).tolist())
    return keys


@contextlib.contextmanager
def _maybe_connection(store: PostgresStore, conn):
    if conn is not None:
        yield conn
        return
    with contextlib.closing(store.connect()) as c:
        yield c


def _usual_modes(root: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    for path in [root, *root.rglob("*")]:
        with contextlib.suppress(OSError):
            os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~umask)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
