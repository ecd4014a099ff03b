#!/usr/bin/env python
"""Results-store bench (issue 11): PostgreSQL ingest, cold start from PostgreSQL, and the time
from an ingest to the new data being served.

    python bench/make_scaled.py --points 200000 && python bench/make_scaled.py --points 1000000
    python bench/bench_store.py                          # starts its own PostgreSQL (Debian's)
    python bench/bench_store.py --database-url URL       # or a server you have (a database per size is made)
    python bench/bench_store.py --sizes 200k --reps 3

Each measurement runs in a fresh Python process (``bench/bench_store.py --child ...``) so that
peak memory is that process's own kernel high-water mark (VmHWM) and nothing is warm in it:

1. ingest: ``PostgresStore.ingest`` of every file of ``bench/out/scaled-<size>/`` (validation,
   the round-trip check, COPY into a temporary table, the insert), wall time and peak RSS;
2. cold start: ``PostgresStore.load()`` + the views ``Index``, with no disk cache ("empty") and
   with a warm one ("warm": the second replica on a host), wall time and peak RSS;
3. ingest -> served: a LiveData process (``tests/store/live_probe.py``, default 5 s polling)
   on the database; a 50-row batch is ingested and the time until the probe serves the new
   revision is taken (poll wait + rebuild). The same for a folder store on the scaled folder.

Everything it writes goes to bench/out/ (git-ignored)."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import OUT, fmt, med, table  # noqa: E402

SIZES = {"200k": "scaled-200k", "1m": "scaled-1m"}


def vm_hwm_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------- child process

def child(args) -> int:
    from frontier.pgstore import PostgresStore

    store = PostgresStore(args.url, reference_dir=args.ref, cache_dir=args.cache)
    started = time.perf_counter()
    if args.child == "ingest":
        report = store.ingest([args.data], source="bench")
        result = {"added": report.added, "rejected": report.rejected_records, "batch": report.batch}
    elif args.child == "load":
        from frontier.views import Index

        dataset = store.load()
        Index(dataset)
        result = {"points": len(dataset.points), "latest": len(dataset.latest), "revision": dataset.revision}
    else:
        raise SystemExit(f"unknown child {args.child}")
    result.update(seconds=time.perf_counter() - started, peak_mb=vm_hwm_mb())
    print("RESULT " + json.dumps(result), flush=True)
    return 0


def run_child(kind: str, url: str, data: Path, cache: Path | None) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--url", url, "--data", str(data), "--ref", str(data)]
    if cache:
        cmd += ["--cache", str(cache)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            print(f"  {kind}{' (cache)' if cache else ''}: {line[7:]}", file=sys.stderr, flush=True)
            return json.loads(line[7:])
    raise RuntimeError(f"{kind} failed ({proc.returncode}): {proc.stderr[-3000:]}")


# ---------------------------------------------------------------------------- ingest -> served

def small_batch(data: Path, n: int, day: int) -> Path:
    """``n`` rows of the scaled data moved to a new date: new measurements, same configurations
    (spread over the file so that they are ``n`` different configurations)."""
    first = sorted(data.rglob("*.json"))[0]
    every = json.loads(first.read_text())
    rows = every[:: max(1, len(every) // n)][:n]
    for row in rows:
        row["date"] = f"2099-01-{day:02d}"
    path = OUT / f"bench-store-batch-{day}.json"
    path.write_text(json.dumps(rows))
    return path


def time_to_served(probe_args: list[str], ingest, reps: int, timeout: float = 120.0) -> list[float]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.store.live_probe", *probe_args], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().split()
        if not line or line[0] != "ready":
            raise RuntimeError(f"probe did not start: {line}")
        times = []
        for rep in range(reps):
            time.sleep(1.0 + rep * 1.3)  # land at different points of the polling cycle
            started = time.monotonic()
            revision = ingest(rep)
            committed = time.monotonic()
            while True:
                line = proc.stdout.readline().split()
                if not line:
                    raise RuntimeError("probe exited")
                if line[0] == "serving" and line[1] == revision:
                    now = time.monotonic()
                    times.append((now - started, now - committed))
                    break
                if time.monotonic() - started > timeout:
                    raise RuntimeError("not served in time")
        return times
    finally:
        proc.stdin.close()
        proc.wait(30)


def served_row(size: str, store: str, times: list[tuple[float, float]]) -> list:
    total = [t for t, _ in times]
    return [size, store, fmt(med(total), " s"), fmt(max(total), " s"), "  ".join(f"{t:.1f}/{c:.1f}" for t, c in times)]


# ---------------------------------------------------------------------------- main

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a server to use (default: start a throwaway one)")
    parser.add_argument("--sizes", default="200k,1m", help="comma-separated: 200k, 1m")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of the cold start and ingest->served")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ref", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)

    from tests.store.pgserver import TempPostgres, create_database

    server = None
    admin = args.database_url
    if not admin:
        server = TempPostgres().start()
        admin = server.url
        # a server like a small production one: durable commits (the throwaway default is not)
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("ALTER SYSTEM SET fsync = on")
            conn.execute("ALTER SYSTEM SET synchronous_commit = on")
            conn.execute("ALTER SYSTEM SET full_page_writes = on")
            conn.execute("SELECT pg_reload_conf()")
    rows_ingest, rows_load, rows_served = [], [], []
    try:
        for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
            data = OUT / SIZES[size]
            if not data.is_dir():
                print(f"skipping {size}: {data} missing (python bench/make_scaled.py)", file=sys.stderr)
                continue
            url = create_database(admin, f"bench_store_{size}")
            print(f"[{size}] ingest ...", file=sys.stderr, flush=True)
            ing = run_child("ingest", url, data, None)
            rows_ingest.append([size, f"{ing['added']:,}", fmt(ing["seconds"], " s"), fmt(ing["peak_mb"], " MB", 0),
                                fmt(ing["added"] / ing["seconds"], " rows/s", 0)])
            for mode in ("empty", "warm"):
                cache = Path(tempfile.mkdtemp(dir=OUT, prefix="bench-store-cache-")) if mode == "warm" else None
                if cache:
                    run_child("load", url, data, cache)  # fills it
                runs = [run_child("load", url, data, cache) for _ in range(args.reps)]
                rows_load.append([size, mode, f"{runs[0]['points']:,}", fmt(med([r["seconds"] for r in runs]), " s", 2),
                                  fmt(max(r["seconds"] for r in runs), " s", 2),
                                  fmt(med([r["peak_mb"] for r in runs]), " MB", 0)])
                if cache:
                    shutil.rmtree(cache, ignore_errors=True)
            print(f"[{size}] ingest -> served ...", file=sys.stderr, flush=True)
            from frontier.pgstore import PostgresStore

            store = PostgresStore(url, reference_dir=data)
            pg_times = time_to_served(["--database-url", url, "--data-dir", str(data)],
                                      lambda rep: store.ingest([small_batch(data, 50, rep + 1)]).revision, args.reps)
            rows_served.append(served_row(size, "PostgreSQL", pg_times))
            from frontier.stores import FolderStore

            folder = OUT / f"bench-store-folder-{size}"
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(data, folder)
            fstore = FolderStore(folder)
            f_times = time_to_served(["--data-dir", str(folder)],
                                     lambda rep: fstore.ingest([small_batch(data, 50, rep + 11)]).revision, args.reps)
            rows_served.append(served_row(size, "folder", f_times))
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        if server:
            server.stop()
    print(table(["size", "rows added", "time", "peak RSS", "rate"], rows_ingest,
                "Ingest into PostgreSQL (one batch, one transaction; fsync on)"))
    print(table(["size", "cache", "points", "median", "max", "peak RSS"], rows_load,
                "Cold start from PostgreSQL: load + views Index, fresh process"))
    print(table(["size", "store", "median", "max", "each (from ingest start / from its commit)"], rows_served,
                "Ingest of a 50-measurement batch -> served by a LiveData process (5 s polling), from ingest start"))
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
