#!/usr/bin/env python
"""Server time per request of the calculator and the history (issue 15), beside the explorer's.

    python bench/bench_decide.py                                      # bundled data
    python bench/bench_decide.py --data-dir bench/out/scaled-200k --reps 40

In one process, through Flask's test client (as bench_server.py replays callbacks):
- first loads: GET of the page for an address (the HTML carries the rendered view inline, so a
  first load makes no callback); the explorer's own first load is measured alongside;
- control changes: the page's resolver (callbacks/decide.py), POST /_dash-update-component with
  bodies built from the app's callback map (the shape the renderer sends and callbacks/hardening.py
  accepts), alternating two values (e.g. target 40 <-> 60);
- the JSON: GET /api/v1/calculator and /api/v1/history.
"miss" clears every per-view memo first (a view no one asked for since the process started);
"hit" leaves them. Times are wall and the serving thread's CPU (which other processes on a
shared machine barely inflate); sizes raw and gzip-compressed (what a browser is sent).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BUNDLED, OUT, UPDATE, cache_dir_for, code_note, code_state, dataset_name, fmt, kb, load_note, med, pct, table  # noqa: E402
from bench_server import clear_memos, make_app  # noqa: E402

WORKLOAD = "?model=dsr1&seq=1k1k&precision=fp8"
CALCULATOR = f"/calculator{WORKLOAD}&target=40&users=1000"
HISTORY = f"/history{WORKLOAD}&target=40"


def body(app, page, trigger, value, search: str) -> bytes:
    """A decision page's resolver call as the renderer sends it: ``trigger`` changed to ``value``."""
    from callbacks.decide import page_outputs  # noqa: PLC0415 (the app's modules are importable once it is built)
    from presenters.pageview import page_view  # noqa: PLC0415

    outputs = page_outputs(page)
    key = "".join(f"..{i}.{p}.." for i, p in outputs).replace("....", "...")
    spec = app.callback_map[key]
    index = app.server.config["FRONTIER_CONTEXT"].index
    view = page_view(index, f"/{page.page}", search)
    values = {f"{i}.{p}": v for (i, p), v in view.values().items()}
    values[f"{page.url}.pathname"] = f"/{page.page}"
    values[f"{page.url}.search"] = search
    trigger_key = f"{json.dumps(trigger, separators=(',', ':'), sort_keys=True)}.n_clicks" if isinstance(trigger, dict) \
        else f"{trigger}.value"

    def dep(d):
        if d["id"].startswith("{"):  # pattern-matching: the components it matches
            pattern = json.loads(d["id"])
            if isinstance(trigger, dict) and pattern.get("type") == trigger.get("type"):
                return [{"id": trigger, "property": d["property"], "value": 1}]
            return []
        item = {"id": d["id"], "property": d["property"]}
        name = f"{d['id']}.{d['property']}"
        if name == trigger_key:
            item["value"] = value
        elif name in values:
            item["value"] = values[name]
        return item

    out = {"output": key, "outputs": [{"id": i, "property": p} for i, p in outputs],
           "inputs": [dep(d) for d in spec["inputs"]], "state": [dep(d) for d in spec["state"]],
           "changedPropIds": [trigger_key]}
    return json.dumps(out).encode()


def plan(app) -> dict[str, list]:
    """{step: [request, request]}: each request a ("GET", path) or ("POST", body), alternated."""
    from components import ids  # noqa: PLC0415

    calc, hist = ids.CALCULATOR, ids.HISTORY
    sort = {"type": calc.sort, "column": "cost"}
    return {
        "explorer first load": [("GET", "/" + WORKLOAD), ("GET", "/?model=dsr1&seq=1k1k&precision=fp4")],
        "calculator first load": [("GET", CALCULATOR), ("GET", CALCULATOR.replace("fp8", "fp4"))],
        "calculator first load, by series": [("GET", CALCULATOR + "&by=series"),
                                             ("GET", CALCULATOR.replace("fp8", "fp4") + "&by=series")],
        "history first load": [("GET", HISTORY), ("GET", HISTORY.replace("fp8", "fp4"))],
        "calculator: target 40 <-> 60": [("POST", body(app, calc, calc.target, 60, CALCULATOR[11:])),
                                         ("POST", body(app, calc, calc.target, 40, CALCULATOR[11:].replace("40", "60")))],
        "calculator: rank by cost (header)": [("POST", body(app, calc, sort, 1, CALCULATOR[11:])),
                                              ("POST", body(app, calc, sort, 1, CALCULATOR[11:] + "&sort=cost"))],
        "calculator: by series <-> GPU": [("POST", body(app, calc, calc.by, "series", CALCULATOR[11:])),
                                          ("POST", body(app, calc, calc.by, "gpu", CALCULATOR[11:] + "&by=series"))],
        "history: target 40 <-> 60": [("POST", body(app, hist, hist.target, 60, HISTORY[8:])),
                                      ("POST", body(app, hist, hist.target, 40, HISTORY[8:].replace("40", "60")))],
        "history: GPUs b200 <-> all": [("POST", body(app, hist, hist.gpus, ["b200"], HISTORY[8:])),
                                       ("POST", body(app, hist, hist.gpus, [], HISTORY[8:] + "&gpus=b200"))],
        "API /api/v1/calculator": [("GET", "/api/v1" + CALCULATOR), ("GET", "/api/v1" + CALCULATOR + "&by=series")],
        "API /api/v1/history": [("GET", "/api/v1" + HISTORY), ("GET", "/api/v1" + HISTORY.replace("fp8", "fp4"))],
    }


def replay(app, steps: dict, reps: int, warmup: int) -> dict:
    client = app.server.test_client()
    out = {}
    for name, requests in steps.items():
        res = {"miss": [], "miss_cpu": [], "hit": [], "bytes": {}, "gzip": {}, "status": set()}
        for regime in ("miss", "hit"):
            for i in range(warmup + reps):
                method, what = requests[i % len(requests)]
                if regime == "miss":
                    clear_memos(app)
                gc.collect()
                c0, t0 = time.thread_time(), time.perf_counter()
                if method == "GET":
                    response = client.get(what)
                else:
                    response = client.post(UPDATE, data=what, content_type="application/json")
                data = response.get_data()
                wall, cpu = (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000
                if i < warmup:
                    continue
                res[regime].append(wall)
                if regime == "miss":
                    res["miss_cpu"].append(cpu)
                res["bytes"][i % len(requests)] = len(data)
                res["gzip"][i % len(requests)] = len(gzip.compress(data, 6))
                res["status"].add(response.status_code)
        out[name] = res
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", action="append", type=Path, help="dataset folder (repeatable; default bundled)")
    parser.add_argument("--reps", type=int, default=30, help="timed requests per step and regime (default 30)")
    parser.add_argument("--warmup", type=int, default=4, help="untimed requests first (default 4)")
    args = parser.parse_args(argv)
    code0 = code_state()
    print(code_note(), flush=True)
    report, summary = [], {}
    for data_dir in args.data_dir or [BUNDLED]:
        data_dir = data_dir.resolve()
        name = dataset_name(data_dir)
        cache = cache_dir_for(data_dir, "warm")
        cache.mkdir(parents=True, exist_ok=True)
        print(f"== {name}: loading ...", flush=True)
        app = make_app(data_dir, cache)
        points = len(app.server.config["FRONTIER_CONTEXT"].dataset.points)
        results = replay(app, plan(app), args.reps, args.warmup)
        summary[name] = {k: {kk: (sorted(vv) if isinstance(vv, set) else vv) for kk, vv in v.items()}
                         for k, v in results.items()}
        rows = [[step, fmt(med(r["miss"]), " ms"), fmt(pct(r["miss"], 95), " ms"), fmt(med(r["miss_cpu"]), " ms"),
                 fmt(pct(r["miss_cpu"], 95), " ms"), fmt(med(r["hit"]), " ms"), fmt(pct(r["hit"], 95), " ms"),
                 " / ".join(kb(b) for _k, b in sorted(r["bytes"].items())),
                 " / ".join(kb(b) for _k, b in sorted(r["gzip"].items())), ",".join(map(str, sorted(r["status"])))]
                for step, r in results.items()]
        report.append(table(["step", "miss med", "miss p95", "CPU med", "CPU p95", "hit med", "hit p95",
                             "response (a / b)", "gzip (a / b)", "HTTP"], rows,
                            f"[{name}, {points:,} points] server time per request, {args.reps} requests per regime "
                            f"alternating a / b (miss = view memos cleared, hit = memoised)"))
    print("\n".join(report))
    print(f"\n({load_note()} at the end; {code_note(code0)})")
    (OUT / "bench_decide-last.json").write_text(json.dumps(summary, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
