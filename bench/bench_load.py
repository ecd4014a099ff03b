#!/usr/bin/env python
"""Concurrent users against gunicorn on loopback (plain-Python load generator, no dependencies).

    python bench/bench_load.py                                  # bundled data, 50 users, 30 s
    python bench/bench_load.py --data-dir bench/out/scaled-200k --users 50 --duration 30

Serves ``gunicorn --workers 2 --threads 4 --bind 127.0.0.1:PORT 'app:create_server()'`` with
FRONTIER_DATA_DIR and FRONTIER_CACHE_DIR set (one cache folder shared by both workers), waits until
it answers, then runs ``--users`` simulated users in threads of this process (http.client, one
keep-alive connection each), started evenly over ``--ramp`` seconds and stopped after
``--duration`` seconds. Each user first loads the page as Chromium does: GET /?<start query>,
GET /_dash-layout with that address as Referer (the app prerenders the page: state, chart data and
tables in the layout, commit 7521cc5), GET /_dash-dependencies, then the page's initial callback
calls as captured (the resolver, which finds the state already shown, and the points table:
"(page load)"). Then it loops: pick one of the captured interactions (model, sequence, precision,
metric, x axis; either direction), POST its resolver callback body (state + chart data, commit
2486010), then its points-table callback body (as the browser does, one after the other), think
``--think`` seconds (uniform range), and with probability ``--api-share`` GET the seed
comparison's JSON (/api/v1/compare/spec-decode/...) when the data has qwen3.5. Callback bodies are
the ones bench_server.py captured from Chromium (bench/out/captured-<dataset>.json); if missing or
made by other code they are captured here first. The 10 captured states are memoised per worker
after their first request (frontier.views.Index._views and Index.memo), so this is
mostly the memo-hit path plus serialisation; bench_server.py has the miss cost.

Reports requests/s, median/p95/p99 latency overall and per request type, errors (non-200 or
exceptions) and the peak RSS of each gunicorn worker (psutil, polled every 0.2 s). The load
generator shares the machine's 2 cores with the server: its own CPU use is reported too."""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (BASE_QUERY, BUNDLED, OUT, SEED_COMPARE_API, UPDATE, cache_dir_for, code_note, code_state,  # noqa: E402
                     dataset_name, fmt, free_port, get_capture, launch_until_200, load_note, med, pct, running, start_gunicorn, table, vm_hwm)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.lat: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.bytes: dict[str, int] = {}
        self.samples: list[str] = []
        self.retries: dict[str, int] = {}

    def add_retry(self, kind: str):
        with self.lock:
            self.retries[kind] = self.retries.get(kind, 0) + 1

    def add(self, kind: str, ms: float, ok: bool, size: int, note: str = ""):
        with self.lock:
            self.lat.setdefault(kind, []).append(ms)
            self.bytes[kind] = self.bytes.get(kind, 0) + size
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.samples) < 10:
                    self.samples.append(f"{kind}: {note}")


class User(threading.Thread):
    def __init__(self, n, port, plan, stats, deadline, start_at, think, api_share, seed):
        super().__init__(daemon=True)
        self.n, self.port, self.plan, self.stats = n, port, plan, stats
        self.deadline, self.start_at, self.think, self.api_share = deadline, start_at, think, api_share
        self.rng = random.Random(seed)
        self.conn = None

    def request(self, kind, method, path, body=None, headers=None):
        if time.perf_counter() >= self.deadline:
            return False
        headers = {"Accept": "*/*", **(headers or {})}
        if body is not None:
            headers["Content-Type"] = "application/json"
        t0 = time.perf_counter()
        try:
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
                if not reused:
                    raise
                # The server closed this idle keep-alive connection as we reused it (gunicorn's
                # keepalive is 2 s). Browsers retry such a request on a new connection; so do we,
                # and count it apart.
                self.stats.add_retry(kind)
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
            data = resp.read()
            ms = (time.perf_counter() - t0) * 1000
            ok = resp.status == 200
            self.stats.add(kind, ms, ok, len(data), f"HTTP {resp.status}")
            if resp.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            ms = (time.perf_counter() - t0) * 1000
            self.stats.add(kind, ms, False, 0, f"{type(exc).__name__}: {exc}")
            if self.conn is not None:
                self.conn.close()
            self.conn = None
        return True

    def run(self):
        time.sleep(max(0.0, self.start_at - time.perf_counter()))
        start = "/" + BASE_QUERY
        referer = f"http://127.0.0.1:{self.port}{start}"
        for kind, path, headers in (("GET /", start, None), ("GET /_dash-layout", "/_dash-layout", {"Referer": referer}),
                                    ("GET /_dash-dependencies", "/_dash-dependencies", {"Referer": referer})):
            if not self.request(kind, "GET", path, headers=headers):
                return
        for label, body in self.plan["page_load"]:
            if not self.request(f"POST {label} (page load)", "POST", UPDATE, body):
                return
        while time.perf_counter() < self.deadline:
            steps = self.rng.choice(self.plan["interactions"])
            for label, body in self.rng.choice(steps):
                if not self.request(f"POST {label}", "POST", UPDATE, body):
                    break
            if self.plan["api"] and self.rng.random() < self.api_share:
                self.request("GET /api/v1/compare", "GET", SEED_COMPARE_API)
            pause = self.rng.uniform(*self.think)
            time.sleep(max(0.0, min(pause, self.deadline - time.perf_counter())))
        if self.conn is not None:
            self.conn.close()


def watch_rss(master: psutil.Process, peaks: dict, stop: threading.Event):
    while not stop.is_set():
        try:
            for child in master.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                peaks[child.pid] = max(peaks.get(child.pid, 0), rss)
        except psutil.Error:
            return
        stop.wait(0.2)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=BUNDLED)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which users start (default 5)")
    parser.add_argument("--think", default="0.5:1.5", help="think time range in seconds, MIN:MAX (default 0.5:1.5)")
    parser.add_argument("--api-share", type=float, default=0.1, help="chance per loop of an API GET (default 0.1)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for gunicorn to answer")
    args = parser.parse_args(argv)
    think = tuple(float(x) for x in args.think.split(":"))
    code0 = code_state()
    print(code_note(), flush=True)
    data_dir = args.data_dir.resolve()
    name = dataset_name(data_dir)
    cache = cache_dir_for(data_dir, "warm")
    cache.mkdir(parents=True, exist_ok=True)
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc, t_ready = launch_until_200(
        lambda: start_gunicorn(data_dir, cache, port, args.workers, args.threads, OUT / "logs" / f"gunicorn-{name}.log"),
        f"http://127.0.0.1:{port}/", args.timeout)
    master = psutil.Process(proc.pid)
    peaks: dict[int, int] = {}
    stop_watch = threading.Event()
    watcher = threading.Thread(target=watch_rss, args=(master, peaks, stop_watch), daemon=True)
    watcher.start()
    stats = Stats()
    with running(proc):
        print(f"gunicorn ({args.workers} workers x {args.threads} threads) answered after {t_ready:.1f}s", flush=True)
        captured = get_capture(name, f"http://127.0.0.1:{port}")
        plan = {
            "interactions": [[[(r["label"], json.dumps(r["body"]).encode()) for r in step] for step in steps]
                             for inter, steps in captured["interactions"].items() if inter != "compare"],
            "api": "compare" in captured["interactions"],
            "page_load": [(r["label"], json.dumps(r["body"]).encode()) for r in captured.get("page_load", [])],
        }
        me = psutil.Process()
        cpu0 = me.cpu_times()
        start = time.perf_counter() + 0.2
        deadline = start + args.duration
        users = [User(i, port, plan, stats, deadline, start + args.ramp * i / max(1, args.users), think, args.api_share,
                      args.seed * 1000 + i) for i in range(args.users)]
        print(f"{args.users} users for {args.duration:.0f}s (ramp {args.ramp:.0f}s, think {think[0]}-{think[1]}s) ...", flush=True)
        for u in users:
            u.start()
        for u in users:
            u.join(timeout=args.duration + 120)
        elapsed = time.perf_counter() - start
        cpu1 = me.cpu_times()
        stop_watch.set()
        watcher.join(2)
        hwm = {pid: vm_hwm(pid) for pid in peaks}
        workers = [p for p in peaks if p != proc.pid]
    client_cpu = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / elapsed * 100

    total = sum(len(v) for v in stats.lat.values())
    errors = sum(stats.errors.values())
    all_lat = [x for v in stats.lat.values() for x in v]
    rows = []
    order = ["GET /", "GET /_dash-layout", "GET /_dash-dependencies", "POST resolver (page load)", "POST table (page load)",
             "POST resolver", "POST table", "GET /api/v1/compare"]
    for kind in sorted(stats.lat, key=lambda k: (order.index(k) if k in order else 99, k)):
        v = stats.lat[kind]
        rows.append([kind, len(v), fmt(len(v) / elapsed, "", 1), fmt(med(v), " ms"), fmt(pct(v, 95), " ms"),
                     fmt(pct(v, 99), " ms"), fmt(max(v), " ms"), stats.errors.get(kind, 0),
                     f"{stats.bytes[kind] / len(v) / 1024:,.1f} KB"])
    rows.append(["ALL", total, fmt(total / elapsed, "", 1), fmt(med(all_lat), " ms"), fmt(pct(all_lat, 95), " ms"),
                 fmt(pct(all_lat, 99), " ms"), fmt(max(all_lat) if all_lat else None, " ms"), errors, ""])
    print(table(["request", "n", "req/s", "median", "p95", "p99", "max", "errors", "avg size"], rows,
                f"[{name}] {args.users} users, {elapsed:.1f}s, gunicorn -w {args.workers} --threads {args.threads}, "
                f"think {think[0]}-{think[1]}s"))
    retried = sum(stats.retries.values())
    if retried:
        print(f"keep-alive races retried on a new connection (not errors): {retried} "
              f"({', '.join(f'{k}: {v}' for k, v in stats.retries.items())})")
    if stats.samples:
        print("first errors:\n  " + "\n  ".join(stats.samples))
    rss_rows = [[f"worker pid {pid}", f"{peaks[pid] / 2**20:,.0f} MB",
                 "-" if hwm.get(pid) is None else f"{hwm[pid] / 2**20:,.0f} MB"] for pid in sorted(peaks)]
    print(table(["gunicorn process", "peak RSS during load (polled)", "peak RSS since start (VmHWM)"], rss_rows,
                f"[{name}] resident memory of each worker"))
    print(f"\nload generator CPU: {client_cpu:.0f}% of one core (same machine); workers seen: {len(workers)}; "
          f"{load_note()} at the end\n{code_note(code0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
