#!/usr/bin/env python
"""Two app processes sharing one PostgreSQL database (issue 11, "Running for a team"): the
realistic load split between them, and the time from an HTTP ingest to the new data served by
both.

    python bench/bench_replicas.py                                   # bundled data
    python bench/bench_replicas.py --data-dir data --data-dir bench/out/scaled-200k
    python bench/bench_replicas.py --database-url postgresql://...   # a server you have (a database per dataset is made)

For each dataset folder: a database ``bench_replicas_<dataset>`` is made (on a throwaway
PostgreSQL server started here with Debian's binaries, tests/store/pgserver.py, unless
``--database-url`` is given) and the folder is ingested into it with the command line
(``python -m frontier ingest DIR --database-url URL``: one batch). Then two gunicorn masters
start on two ports, each ``--workers`` x ``--threads`` (default 1 x 4: two workers in all, as
the single-process figure's ``-w 2``), with FRONTIER_DATABASE_URL, FRONTIER_INGEST_TOKEN, the
folder as FRONTIER_DATA_DIR (its hardware.csv/models.csv) and a cache folder of its own each
(a replica's cache is local). Then:

1. ``bench_load.py --url A --url B``: the same users and mix as bench_load.py, each user
   sticking to one replica (round robin), with and without think time (``--think``);
2. ingest -> served: ``--ingest-reps`` times, a batch of 50 measurements (rows of the
   folder's first file moved to a new date) is POSTed to replica A (``/api/v1/results``,
   bearer token, JSON); the time until A, and until B, serve the revision the upload answered
   (``X-Frontier-Revision`` of GET /api/v1/points.csv for the changed view, and the new date
   among its rows), polled every 20 ms, from the POST's start. A reloads at once (the upload
   pokes it), B when its poller next looks (FRONTIER_POLL_SECONDS, default 5 s) plus its
   rebuild. Uploads start at different points of B's polling cycle."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (APP, BUNDLED, OUT, code_note, code_state, dataset_name, fmt, free_port, launch_until_200,  # noqa: E402
                     load_note, med, running, start_gunicorn, table)

ROOT = Path(__file__).resolve().parent.parent


def ingest_folder(url: str, data_dir: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "frontier", "ingest", str(data_dir), "--database-url", url,
                           "--source", "bench_replicas"], cwd=APP, capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"ingest failed: {proc.stdout[-2000:]} {proc.stderr[-2000:]}")
    return time.perf_counter() - started


def batch_rows(data_dir: Path, n: int, day: int) -> tuple[bytes, dict]:
    """``n`` API rows of the folder's first file at a new date, and the view that shows them."""
    first = sorted(p for p in data_dir.rglob("*.json") if "ingested" not in p.parts)[0]
    rows = json.loads(first.read_text())
    rows = [r for r in rows if isinstance(r, dict) and "hardware" in r]
    picked = rows[:: max(1, len(rows) // n)][:n]
    date = f"2099-{1 + day // 28:02d}-{1 + day % 28:02d}"
    for r in picked:
        r["date"] = date
    r0 = picked[0]
    seq = {(1024, 1024): "1k1k", (1024, 8192): "1k8k", (8192, 1024): "8k1k"}.get((r0["isl"], r0["osl"]), "1k1k")
    view = {"model": r0["model"], "seq": seq, "precision": r0["precision"], "date": date}
    return json.dumps(picked).encode(), view


def served(base: str, view: dict, revision: str) -> bool:
    query = f"?model={view['model']}&seq={view['seq']}&precision={view['precision']}"
    try:
        with urllib.request.urlopen(base + "/api/v1/points.csv" + query, timeout=30) as r:
            body = r.read().decode()
            return r.headers.get("X-Frontier-Revision") == revision and view["date"] in body
    except (urllib.error.URLError, OSError):
        return False


def ingest_to_served(bases: list[str], data_dir: Path, token: str, reps: int, timeout: float = 120.0) -> list[dict]:
    out = []
    offset = int(time.time()) % 100  # a new date per upload (and per run on a database kept)
    for rep in range(reps):
        time.sleep(1.0 + rep * 1.7)  # land at different points of the replicas' polling cycle
        body, view = batch_rows(data_dir, 50, offset + rep)
        started = time.perf_counter()
        req = urllib.request.Request(bases[0] + "/api/v1/results?source=bench_replicas", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=600) as r:
            report = json.loads(r.read())
        answered = time.perf_counter() - started
        revision = str(report["revision"])
        times: dict[str, float] = {}

        def watch(name, base):
            while time.perf_counter() - started < timeout:
                if served(base, view, revision):
                    times[name] = time.perf_counter() - started
                    return
                time.sleep(0.02)

        threads = [threading.Thread(target=watch, args=(n, b)) for n, b in zip("AB", bases)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        row = {"added": report.get("added"), "revision": revision, "answered": answered, **times}
        out.append(row)
        print(f"  ingest #{rep + 1}: {report.get('added')} added, revision {revision}: POST answered {answered:.2f}s, "
              f"served by A {times.get('A', float('nan')):.2f}s, by B {times.get('B', float('nan')):.2f}s", flush=True)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", action="append", type=Path, help="dataset folder (repeatable; default bundled data/)")
    parser.add_argument("--database-url", help="a PostgreSQL server to use (default: start a throwaway one)")
    parser.add_argument("--workers", type=int, default=1, help="workers per replica (default 1)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--think", action="append", help="think time(s) to run (default: 0 and 0.5:1.5)")
    parser.add_argument("--ingest-reps", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args(argv)
    import bench_load
    from tests.store.pgserver import TempPostgres, create_database

    code0 = code_state()
    print(code_note(), flush=True)
    server = None
    admin = args.database_url
    if not admin:
        server = TempPostgres().start()
        admin = server.url
    thinks = args.think or ["0", "0.5:1.5"]
    summary = []
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    try:
        for data_dir in (args.data_dir or [BUNDLED]):
            data_dir = data_dir.resolve()
            name = dataset_name(data_dir)
            url = create_database(admin, f"bench_replicas_{name.replace('-', '_')}")
            print(f"== {name}: ingest the folder into PostgreSQL ...", flush=True)
            took = ingest_folder(url, data_dir)
            print(f"  ingested in {took:.1f}s", flush=True)
            token = secrets.token_urlsafe(24)
            procs, bases = [], []
            try:
                for replica in "ab":
                    port = free_port()
                    cache = OUT / "cache" / f"replica-{name}-{replica}"
                    shutil.rmtree(cache, ignore_errors=True)
                    cache.mkdir(parents=True)
                    env = {"FRONTIER_DATABASE_URL": url, "FRONTIER_INGEST_TOKEN": token}
                    proc, ready = launch_until_200(
                        lambda: start_gunicorn(data_dir, cache, port, args.workers, args.threads,
                                               OUT / "logs" / f"replica-{name}-{replica}.log", env=env),
                        f"http://127.0.0.1:{port}/", args.timeout)
                    procs.append(proc)
                    bases.append(f"http://127.0.0.1:{port}")
                    print(f"  replica {replica.upper()} (gunicorn -w {args.workers} --threads {args.threads}, port {port}) "
                          f"answered after {ready:.1f}s", flush=True)
                for think in thinks:
                    print(f"== {name}: {args.users} users on both replicas, think {think}", flush=True)
                    out_json = OUT / "results" / f"replicas-{name}-think{think.replace(':', '-')}.json"
                    out_json.parent.mkdir(parents=True, exist_ok=True)
                    bench_load.main(["--data-dir", str(data_dir), "--url", bases[0], "--url", bases[1], "--users",
                                     str(args.users), "--duration", str(args.duration), "--think", think,
                                     "--json", str(out_json)])
                    fig = json.loads(out_json.read_text())
                    summary.append([name, f"think {fig['think']}", f"{fig['requests']:,}", fig["errors"],
                                    fmt(fig["rps"], "", 1), fmt(fig["median"], " ms"), fmt(fig["p95"], " ms"),
                                    fmt(fig["p99"], " ms"), fmt(fig.get("cpu_ms_per_request"), " ms", 2)])
                print(f"== {name}: HTTP ingest -> served by both replicas ({args.ingest_reps} uploads)", flush=True)
                times = ingest_to_served(bases, data_dir, token, args.ingest_reps)
                a = [t["A"] for t in times if "A" in t]
                b = [t["B"] for t in times if "B" in t]
                summary.append([name, "ingest -> served (A: the one uploaded to)",
                                " ".join(f"{t['answered']:.2f}" for t in times), "", "", fmt(med(a), " s", 2),
                                fmt(max(a) if a else None, " s", 2), "", ""])
                summary.append([name, "ingest -> served (B: polls every 5 s)", "", "", "", fmt(med(b), " s", 2),
                                fmt(max(b) if b else None, " s", 2), "", ""])
            finally:
                for proc in procs:
                    with running(proc):
                        pass
    finally:
        if server:
            server.stop()
    print(table(["dataset", "run", "requests (POST s)", "errors", "req/s", "median", "p95 (max)", "p99",
                 "CPU/request"], summary,
                f"Two replicas (gunicorn -w {args.workers} --threads {args.threads} each) on one PostgreSQL database"))
    print(f"\n({load_note()} at the end; {code_note(code0)})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
