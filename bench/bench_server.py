#!/usr/bin/env python
"""Server-side figures for one or more datasets.

    python bench/bench_server.py                                   # bundled data
    python bench/bench_server.py --data-dir bench/out/scaled-200k --start-reps 3

(a) Cold start: ``python app.py --data-dir D --cache-dir C --port P`` as a subprocess, timed from
    launch to the first HTTP 200 of ``/``; with an empty cache dir (deleted before every run) and
    with a warm cache (filled by one untimed run first). Median and p95 of ``--start-reps`` runs.
(b) Callback server time: the request bodies of each main interaction (model, sequence,
    precision, metric, x axis, each forward and back; and a first load of the seed comparison
    when the data has qwen3.5) are captured from headless Chromium (page.on('response')), then
    replayed in-process through Flask's test client (POST /_dash-update-component), alternating
    the two directions. A control change is two requests: the resolver (callbacks/state.py, which
    also returns the chart data) and the points table (callbacks/chart.py:update_points_table).
    "first load" is GET of the page itself (its HTML carries the first view: layout rendered for
    the address and the callback list) followed by the initial calls the browser then makes
    (none). Timed with no compression (as the targets were set); "compressed" is the size of the
    same response with the browser's Accept-Encoding (zstd), one untimed request more.
    Two regimes: "miss" clears every per-view memo before each replay (frontier.views.Index._views /
    _compares / _as_of, lru_caches, and Index.memo, the last 64 chart views), i.e. a
    view nobody asked for since start; "hit" leaves them, i.e. a view already computed by this
    process. Reported per callback (resolver, table, compare, routing, layout) and summed per
    interaction, with the response size in bytes.
(c) View toggles (log scale, point labels, high contrast, theme) and legend items (#chart-legend
    .legend-item, hide/show a series): /_dash-update-component requests counted in the browser.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (APP, BASE_QUERY, SEED_COMPARE, BUNDLED, OUT, UPDATE, cache_dir_for, code_note, code_state, dataset_name, fmt,  # noqa: E402
                     free_port, fresh_dir, get_capture, kb, launch_until_200, load_note, med, pct, running, start_app,
                     stop, table)


def cold_start(data_dir: Path, reps: int, timeout: float) -> dict:
    name = dataset_name(data_dir)
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    results = {"empty": [], "warm": []}
    warm_dir = cache_dir_for(data_dir, "start-warm")
    fresh_dir(warm_dir)
    for mode in ("empty", "warm"):
        runs = reps + (1 if mode == "warm" else 0)
        for i in range(runs):
            cache = cache_dir_for(data_dir, "start-empty") if mode == "empty" else warm_dir
            if mode == "empty":
                fresh_dir(cache)
            port = free_port()
            proc, elapsed = launch_until_200(
                lambda: start_app(data_dir, cache, port, logs / f"server-{name}.log") if mode == "warm"
                else start_app(data_dir, fresh_dir(cache), port, logs / f"server-{name}.log"),
                f"http://127.0.0.1:{port}/", timeout)
            stop(proc)
            if mode == "warm" and i == 0:
                continue  # fills the cache
            results[mode].append(elapsed)
            print(f"  start {name} {mode} cache #{len(results[mode])}: {elapsed:.2f}s", flush=True)
    return results


def capture(data_dir: Path, cache: Path, timeout: float) -> dict:
    port = free_port()
    proc, _ = launch_until_200(lambda: start_app(data_dir, cache, port, OUT / "logs" / f"server-{dataset_name(data_dir)}.log"),
                               f"http://127.0.0.1:{port}/", timeout)
    with running(proc):
        base = f"http://127.0.0.1:{port}"
        return get_capture(dataset_name(data_dir), base)


def make_app(data_dir: Path, cache: Path):
    os.environ["FRONTIER_DATA_DIR"] = str(data_dir)
    os.environ["FRONTIER_CACHE_DIR"] = str(cache)
    sys.path.insert(0, str(APP))
    import app as app_module  # noqa: PLC0415  (importing builds nothing; create_app does)
    from frontier.settings import Settings  # noqa: PLC0415

    return app_module.create_app(Settings(data_dir=data_dir, cache_dir=cache))


def clear_memos(dash_app) -> None:
    """Every per-view memo of the app: the Index's lru_caches (views, comparisons, run dates,
    filter values), its memo of recent page views and figures, and its CSV exports."""
    index = dash_app.server.config["FRONTIER_CONTEXT"].index
    for memo in vars(index).values():
        if hasattr(memo, "cache_clear"):
            memo.cache_clear()
    index.memo.clear()
    if hasattr(index, "exports"):
        index.exports.clear()


def first_load_steps(captured: dict, page: str = "/" + BASE_QUERY, key: str = "page_load") -> list:
    """GET the page itself (its HTML carries the first view: the layout rendered for its
    address and the callback list, app.py FrontierDash), then the page's initial callback calls,
    as captured (none since 6d64511)."""
    html = ("page", ("GET", page, {}))
    return [[html] + [(r["label"], json.dumps(r["body"]).encode()) for r in captured.get(key, [])]]


BROWSER_ENCODING = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends


def replay(dash_app, captured: dict, reps: int, warmup: int) -> dict:
    """{interaction: {"miss"|"hit": {label: [ms...]}, "bytes": {label: n}, "status": {label: code}}}"""
    client = dash_app.server.test_client()
    out = {}
    plan = {name: [[(r["label"], json.dumps(r["body"]).encode()) for r in step] for step in steps]
            for name, steps in captured["interactions"].items()}
    plan["first load"] = first_load_steps(captured)
    if "compare_load" in captured:
        plan["compare"] = first_load_steps(captured, SEED_COMPARE, "compare_load")
    for name, encoded in plan.items():  # a callback called twice in one step: "table", "table #2"
        for k, step in enumerate(encoded):
            seen: dict = {}
            renamed = []
            for label, body in step:
                seen[label] = seen.get(label, 0) + 1
                renamed.append((label if seen[label] == 1 else f"{label} #{seen[label]}", body))
            encoded[k] = renamed
    for name, encoded in plan.items():
        res = {"miss": {}, "hit": {}, "cpu": {}, "bytes": {}, "wire": {}, "status": {}}
        for regime in ("miss", "hit"):
            for i in range(warmup + reps):
                step = encoded[i % len(encoded)]
                if regime == "miss":
                    clear_memos(dash_app)
                gc.collect()
                for label, body in step:
                    c0, t0 = time.thread_time(), time.perf_counter()
                    if isinstance(body, tuple):  # (method, path, headers)
                        resp = client.open(body[1], method=body[0], headers=body[2])
                    else:
                        resp = client.post(UPDATE, data=body, content_type="application/json")
                    data = resp.get_data()
                    ms = (time.perf_counter() - t0) * 1000
                    cpu = (time.thread_time() - c0) * 1000
                    if i >= warmup and regime == "hit" and i < warmup + len(encoded):  # untimed: the size compressed
                        if isinstance(body, tuple):
                            packed = client.open(body[1], method=body[0], headers={**body[2], **BROWSER_ENCODING})
                        else:
                            packed = client.post(UPDATE, data=body, content_type="application/json", headers=BROWSER_ENCODING)
                        res["wire"].setdefault(label, {})[i % len(encoded)] = len(packed.get_data())
                    if i >= warmup:
                        res[regime].setdefault(label, []).append(ms)
                        if regime == "miss":
                            res["cpu"].setdefault(label, []).append(cpu)
                        res["bytes"].setdefault(label, {})[i % len(encoded)] = len(data)
                        res["status"][label] = resp.status_code
        out[name] = res
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", action="append", type=Path,
                        help="dataset folder (repeatable; default: the bundled data/)")
    parser.add_argument("--start-reps", type=int, default=5, help="cold starts per cache mode (default 5)")
    parser.add_argument("--reps", type=int, default=40, help="timed replays per interaction and regime (default 40)")
    parser.add_argument("--warmup", type=int, default=4, help="untimed replays first (default 4)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a server to answer")
    parser.add_argument("--skip", action="append", default=[], choices=["start", "callbacks", "toggles"],
                        help="skip a part")
    args = parser.parse_args(argv)
    datasets = args.data_dir or [BUNDLED]
    code0 = code_state()
    print(code_note(), flush=True)
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    report = []
    summary = {}
    for data_dir in datasets:
        data_dir = data_dir.resolve()
        name = dataset_name(data_dir)
        print(f"== {name} ({data_dir})", flush=True)
        entry = summary.setdefault(name, {})
        if "start" not in args.skip and args.start_reps > 0:
            starts = cold_start(data_dir, args.start_reps, args.timeout)
            entry["start"] = starts
            rows = [[mode, len(v), fmt(med(v), " s", 2), fmt(pct(v, 95), " s", 2), fmt(min(v), " s", 2), fmt(max(v), " s", 2)]
                    for mode, v in (("empty cache", starts["empty"]), ("warm cache", starts["warm"]))]
            report.append(table(["(a) cold start to first 200 of /", "n", "median", "p95", "min", "max"], rows,
                                f"[{name}] cold start (python app.py, launch -> GET / 200)"))
        if "callbacks" in args.skip and "toggles" in args.skip:
            continue
        cache = cache_dir_for(data_dir, "warm")
        cache.mkdir(parents=True, exist_ok=True)
        captured = capture(data_dir, cache, args.timeout)
        if "toggles" not in args.skip:
            entry["toggles"] = captured.get("toggles")
            per = ", ".join(f"{what} {c} clicks -> {n}" for what, (c, n) in captured.get("toggles", {}).items())
            report.append(f"\n[{name}] (c) view toggles and legend: {captured['toggle_clicks']} clicks -> "
                          f"{captured['toggle_requests']} /_dash-update-component requests ({per}; "
                          f"{captured.get('legend_items', 0)} legend items, series hidden after each legend click: "
                          f"{captured.get('legend_hidden_after_clicks')})")
        if "callbacks" in args.skip:
            continue
        dash_app = make_app(data_dir, cache)
        print("  replaying through the Flask test client ...", flush=True)
        results = replay(dash_app, captured, args.reps, args.warmup)
        entry["callbacks"] = results
        rows = []
        for inter, res in results.items():
            labels = list(res["miss"])
            for label in labels + ["SUM"]:
                if label == "SUM":
                    if len(labels) < 2:
                        continue
                    miss = [sum(x) for x in zip(*(res["miss"][lb] for lb in labels))]
                    hit = [sum(x) for x in zip(*(res["hit"][lb] for lb in labels))]
                    cpu = [sum(x) for x in zip(*(res["cpu"][lb] for lb in labels))]
                    size = [sum(res["bytes"][lb].get(d, 0) for lb in labels) for d in sorted(res["bytes"][labels[0]])]
                    wire = [sum(res["wire"].get(lb, {}).get(d, 0) for lb in labels) for d in sorted(res["bytes"][labels[0]])]
                    status = ""
                else:
                    miss, hit, cpu = res["miss"][label], res["hit"][label], res["cpu"][label]
                    size = [res["bytes"][label][d] for d in sorted(res["bytes"][label])]  # forward, back
                    wire = [res["wire"].get(label, {}).get(d) for d in sorted(res["bytes"][label])]
                    status = res["status"][label]
                rows.append([inter if label == labels[0] else "", label, fmt(med(miss), " ms"), fmt(pct(miss, 95), " ms"),
                             fmt(med(cpu), " ms"), fmt(pct(cpu, 95), " ms"),
                             fmt(med(hit), " ms"), fmt(pct(hit, 95), " ms"), " / ".join(kb(b) for b in size),
                             " / ".join(kb(b) for b in wire), status])
        report.append(table(["(b) interaction", "callback", "miss med", "miss p95", "miss CPU med", "miss CPU p95", "hit med", "hit p95", "response (fwd / back)", "compressed (zstd)", "HTTP"],
                            rows, left=2, title=f"[{name}] server time per callback, Flask test client, {args.reps} replays alternating "
                                  f"forward/back (miss = view memo cleared, hit = memoised; "
                                  f"CPU = the serving thread's CPU time, which other processes on the machine barely inflate)"))
    print("\n".join(report))
    print(f"\n({load_note()} at the end; {code_note(code0)})")
    (OUT / "bench_server-last.json").write_text(json.dumps(summary, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
