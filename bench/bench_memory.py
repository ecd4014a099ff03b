#!/usr/bin/env python
"""Peak resident memory of one app process: loading a dataset, then serving a few callbacks.

    python bench/bench_memory.py                                         # scaled-200k and scaled-1m
    python bench/bench_memory.py --data-dir bench/out/scaled-1m --reps 2

For each dataset and cache mode (``empty``: a new cache folder, the dataset is built from the JSON
files and written to the cache; ``warm``: read back from the cache), starts ``python app.py
--data-dir D --cache-dir C --port P``, waits for GET / to answer 200, then serves: GET /?<start
query> (the page carries its first view: layout, chart data and tables; plain and compressed),
the captured resolver (state + chart data) and points-table callbacks of
every interaction (bench/out/captured-<dataset>.json; captured first when missing or made by
other code), and one run-date view (a resolver call with the date control set to the middle run
date, Dataset.as_of over the whole history, then the points table for the state it returns).
Peak RSS is the kernel's high-water mark (VmHWM in /proc/PID/status) read just before the
process is stopped; RSS is also polled every 50 ms (psutil) to show where the peak happens."""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (BASE_QUERY, OUT, UPDATE, cache_dir_for, dataset_name, fmt, free_port, fresh_dir, running,  # noqa: E402
                     ServerDied, code_note, launch_until_200, stop, code_state, get_capture, load_note, start_app, table, vm_hwm, wait_200)


def dates_of(port: int) -> list[str]:
    """Run dates offered by the date control, read from the start page's own first view (the
    layout JSON inside its HTML, app.py FrontierDash)."""
    import re

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", "/" + BASE_QUERY)
    text = conn.getresponse().read().decode()
    conn.close()
    text = text.split('id="frontier-first-layout">', 1)[-1].split("</script>", 1)[0]
    return sorted(set(re.findall(r'"value":\s*"(\d{4}-\d{2}-\d{2})"', text)))


def date_bodies(captured: dict, date: str) -> bytes | None:
    """The resolver body of a date-control change to ``date``, made from the captured control change
    that returns to the start view (x axis back to interactivity: every other control as at the start)."""
    candidates = [r["body"] for name in ("x", "metric", "sequence") for step in captured["interactions"].get(name, [])[1:]
                  for r in step if r["label"] == "resolver"]
    resolver = next((b for b in candidates if any(isinstance(i, dict) and i.get("id") == "control-date"
                                                  for i in b.get("inputs", []))), None)
    if resolver is None:
        return None
    body = json.loads(json.dumps(resolver))
    for item in body["inputs"]:  # (pattern-matching inputs come as lists)
        if isinstance(item, dict) and item.get("id") == "control-date":
            item["value"] = date
    body["changedPropIds"] = ["control-date.value"]
    return json.dumps(body).encode()


def table_body(captured: dict, view_state: dict) -> bytes | None:
    """The points-table body for a view state (from a captured one)."""
    table = next((r["body"] for steps in captured["interactions"].values() for step in steps for r in step
                  if r["label"] == "table"), None)
    if table is None:
        return None
    body = json.loads(json.dumps(table))
    for item in body.get("inputs", []) + body.get("state", []):  # view-state: an input, or a state (chart-drawn input)
        if isinstance(item, dict) and item.get("id") == "view-state":
            item["value"] = view_state
    return json.dumps(body).encode()


def post(port: int, body: bytes, keep: bool = False):
    """(status, bytes, ms), and the response body too when ``keep``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.perf_counter()
    conn.request("POST", UPDATE, body=body, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    data = resp.read()
    ms = (time.perf_counter() - t0) * 1000
    conn.close()
    return (resp.status, len(data), ms, data) if keep else (resp.status, len(data), ms)


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.perf_counter()
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, len(data), (time.perf_counter() - t0) * 1000


def one_run(data_dir: Path, mode: str, timeout: float) -> dict:
    name = dataset_name(data_dir)
    cache = cache_dir_for(data_dir, "mem")
    if mode == "empty":
        fresh_dir(cache)
    else:
        cache.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    proc = start_app(data_dir, cache, port, OUT / "logs" / f"memory-{name}.log")
    ps = psutil.Process(proc.pid)
    print(f"   pid {proc.pid}", flush=True)
    trace: list[tuple[float, int]] = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            try:
                trace.append((time.perf_counter() - started, ps.memory_info().rss))
            except psutil.Error:
                return
            stop.wait(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    out = {"mode": mode, "calls": []}
    with running(proc):
        out["ready_s"] = wait_200(f"http://127.0.0.1:{port}/", proc, timeout, poll=0.2)
        out["rss_ready"] = ps.memory_info().rss
        out["hwm_ready"] = vm_hwm(proc.pid)
        start = "/" + BASE_QUERY
        for path, headers in ((start, None), (start, {"Accept-Encoding": "gzip, deflate, br, zstd"})):
            out["calls"].append((f"GET {path} (page with its first view)" + (", compressed" if headers else ""),
                                 *get(port, path, headers)))
        captured = get_capture(name, f"http://127.0.0.1:{port}")
        if captured:
            for inter, steps in captured["interactions"].items():
                for step in steps:
                    for r in step:
                        out["calls"].append((f"{inter}/{r['label']}", *post(port, json.dumps(r["body"]).encode())))
            dates = dates_of(port)
            body = date_bodies(captured, dates[len(dates) // 2]) if dates else None
            if body is not None:
                date = dates[len(dates) // 2]
                status, size, ms, data = post(port, body, keep=True)
                out["calls"].append((f"run-date view ({date}): resolver", status, size, ms))
                try:
                    state = json.loads(data)["response"]["view-state"]["data"]
                except (KeyError, ValueError):
                    state = None
                tbody = table_body(captured, state) if state else None
                if tbody is not None:
                    out["calls"].append((f"run-date view ({date}): table", *post(port, tbody)))
        out["rss_end"] = ps.memory_info().rss
        out["hwm"] = vm_hwm(proc.pid)
    stop.set()
    poller.join(1)
    out["peak_polled"] = max((r for _, r in trace), default=0)
    out["peak_at_s"] = next((t for t, r in trace if r == out["peak_polled"]), None)
    return out


def populate(data_dir: Path, timeout: float) -> None:
    cache = cache_dir_for(data_dir, "mem")
    cache.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc, seconds = launch_until_200(lambda: start_app(data_dir, cache, port, OUT / "logs" / f"memory-{dataset_name(data_dir)}.log"),
                                     f"http://127.0.0.1:{port}/", timeout)
    stop(proc)
    print(f"   cache ready ({seconds:.1f}s)", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", action="append", type=Path,
                        help="dataset (repeatable; default bench/out/scaled-200k and bench/out/scaled-1m)")
    parser.add_argument("--modes", default="empty,warm", help="cache modes, comma-separated (default empty,warm)")
    parser.add_argument("--reps", type=int, default=1, help="runs per dataset and mode (default 1)")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args(argv)
    datasets = args.data_dir or [p for p in (OUT / "scaled-200k", OUT / "scaled-1m") if p.exists()]
    if not datasets:
        sys.exit("no dataset: run bench/make_scaled.py first or pass --data-dir")
    code0 = code_state()
    print(code_note(), flush=True)
    mb = lambda n: "-" if n is None else f"{n / 2**20:,.0f} MB"  # noqa: E731
    summary_rows, call_tables = [], []
    for data_dir in datasets:
        data_dir = data_dir.resolve()
        name = dataset_name(data_dir)
        populated = False
        for mode in args.modes.split(","):
            if mode == "warm" and not populated:
                print(f"== {name}: filling the cache (untimed) ...", flush=True)
                populate(data_dir, args.timeout)
            populated = True
            for rep in range(args.reps):
                print(f"== {name}, {mode} cache, run {rep + 1} ...", flush=True)
                for attempt in range(3):
                    try:
                        r = one_run(data_dir, mode, args.timeout)
                        break
                    except ServerDied as exc:
                        if exc.returncode >= 0 or attempt == 2:
                            raise
                        print(f"   ! server killed by signal {-exc.returncode} (not by this script); again", flush=True)
                summary_rows.append([name, mode, rep + 1, fmt(r["ready_s"], " s", 1), mb(r["hwm_ready"]), mb(r["rss_ready"]),
                                     mb(r["rss_end"]), mb(r["hwm"]), fmt(r["peak_at_s"], " s", 1)])
                print(f"   ready after {r['ready_s']:.1f}s; peak RSS {mb(r['hwm'])}", flush=True)
                if rep == 0:
                    call_tables.append(table(["request", "HTTP", "response", "time"],
                                             [[c[0], c[1], f"{c[2] / 1024:,.1f} KB", fmt(c[3], " ms")] for c in r["calls"]],
                                             f"[{name}, {mode} cache] requests served (single run, sequential)"))
    print("\n".join(call_tables))
    print(f"\n({load_note()} at the end; {code_note(code0)})")
    print(table(["dataset", "cache", "run", "start -> 200", "peak RSS at ready", "RSS at ready", "RSS at end",
                 "PEAK RSS (VmHWM)", "peak seen at"], summary_rows, "Peak resident memory of one app process"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
