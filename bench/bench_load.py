#!/usr/bin/env python
"""Concurrent users against gunicorn on loopback, with a realistic mix of what people do
(plain-Python load generator: http.client and threads, no dependencies).

    python bench/bench_load.py                                   # bundled data, 50 users, 30 s, think 0.5-1.5 s
    python bench/bench_load.py --think 0                         # the same users with no think time
    python bench/bench_load.py --data-dir bench/out/scaled-200k --think 0
    python bench/bench_load.py --url http://127.0.0.1:8050 --url http://127.0.0.1:8051   # servers you started

Serves ``gunicorn --workers 2 --threads 4 --bind 127.0.0.1:PORT 'app:create_server()'`` with
FRONTIER_DATA_DIR and FRONTIER_CACHE_DIR set (one cache folder shared by both workers), unless
``--url`` names running servers (several: each user sticks to one, round robin, as behind a
load balancer with sticky sessions). ``--users`` simulated users start evenly over ``--ramp``
seconds and stop after ``--duration`` seconds. Every request carries the Accept-Encoding
Chromium sends (``gzip, deflate, br, zstd``, read from the capture), so responses come
compressed as a browser gets them.

What a user does: it opens a page first (a cold load), then repeats: pick an action with these
weights (``--mix``, default ``page=20,change=55,compare=10,csv=15``, i.e. per 100 actions):

- **page load (20 %)**: one of the explorer start page, the three deep links of bench_browser.py
  and two comparison pages. Cold (40 % of page loads, and every user's first: a new visitor,
  empty cache): GET the page HTML, then every script, stylesheet and preloaded chunk Chromium
  fetched for that page in the capture, over up to 6 connections in parallel as a browser does,
  then the favicon. Warm (60 %, a returning visitor; the user's own cache as a browser keeps
  it): GET the HTML again (it is ``no-cache``), nothing for a response still fresh
  (``Cache-Control: max-age``: the fingerprinted scripts), a conditional request
  (If-None-Match / If-Modified-Since, 304 expected) for one with a validator only (dcc's async
  chunks), the whole response again for one with neither (the favicon). The rule is checked
  against what Chromium itself sent on a reload in the capture and any difference is printed.
  A page's first view is inside its HTML (app.py FrontierDash), so a load makes no
  /_dash-layout, /_dash-dependencies or callback request.
- **control change (55 %)**: one of the captured interactions (model, sequence, precision,
  metric, x axis, the "Only" precision link; either direction). When the page had all the
  answers for the view it showed (see prefetching) the change is drawn in the browser and makes
  no request; otherwise it POSTs its resolver body, then its points-table body, as Chromium
  sent them (bench/out/captured-<dataset>.json).
- **prefetching** (assets/prefetch.js; ``--no-prefetch``: none of it, as before 2026-12-03):
  while the user thinks after an explorer page load or a control change, the page asks for the
  answers to the choices one click away, GET /_frontier/next for the view it shows, batch after
  batch (offset=0, then the ``next`` each names), one at a time, until there are no more or the
  user acts again (a batch already sent is awaited). With no think time, there is none.
- **comparison JSON (10 %)**: GET /api/v1/compare/<kind>/<slug>?seq=... for one of 8
  comparisons, two of each kind listed by /api/v1/comparisons.
- **CSV export (15 %)**: half GET /api/v1/points.csv?<one of the 4 explorer views>, half the
  Download CSV callback (POST /_dash-update-component with the body Chromium sent when the
  button was clicked on the start view).

Between two actions a user thinks ``--think`` seconds (uniform MIN:MAX; ``--think 0``: none).
Callback bodies and the resource lists are captured in Chromium first when missing or made by
other code (bench/_common.py get_capture, capture_resources).

Reports requests/s, median/p95/p99 latency per request type and overall, errors (any status
but 200, or 304 where a conditional request was sent; exceptions), response sizes and how many
came compressed; the wall time of whole actions (a page load with all its requests, a control
change's two requests); the peak RSS of each gunicorn worker; the hit rate of the views memo of
each worker (frontier/memo.py, counted by a gunicorn config file this script writes to
bench/out/, which wraps Memo.get in each worker; no app change). The load generator shares the
machine's 2 cores with the server: its own CPU use is reported too."""

from __future__ import annotations

import argparse
import email.utils
import gzip
import http.client
import json
import queue
import random
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (BASE_QUERY, BUNDLED, NEXT_PATH as NEXT, OUT, SEED_COMPARE, UPDATE, cache_dir_for, code_note, code_state,  # noqa: E402
                     dataset_name, fmt, free_port, get_capture, launch_until_200, load_note, med, pct, running,
                     start_gunicorn, table, vm_hwm)

DEEP_LINKS = [  # bench_browser.py's
    "/?model=dsr1&seq=1k8k&precision=fp4,fp8&metric=tokmw&x=intvty&log=1",
    "/?model=dsr1&seq=8k1k&precision=fp8&metric=cost_output_neocloud&x=e2el",
    "/?model=dsr1&seq=1k1k&precision=fp4,fp8&metric=jtok&x=ttft&labels=1",
]
DEFAULT_MIX = "page=20,change=55,compare=10,csv=15"
COLD_SHARE = 0.4
BROWSER_CONNECTIONS = 6  # Chromium's limit per host for HTTP/1.1
MEMO_CONF = '''# written by bench/bench_load.py: counts the views memo's hits per worker (no app change)
import json, os, threading
from collections import Counter

def post_fork(server, worker):
    from frontier import memo
    stats, lock, original = Counter(), threading.Lock(), memo.Memo.get

    def get(self, key, compute):
        hit = key in self._items
        kind = key[0] if isinstance(key, tuple) and key else "?"
        if isinstance(kind, str) and kind.startswith("/"):
            kind = "compressed asset (callbacks/transfer.py)"
        elif isinstance(kind, str) and kind.startswith("{"):
            kind = "CSV export (Index.exports)"
        with lock:
            stats[f"{kind} {'hit' if hit else 'miss'}"] += 1
        return original(self, key, compute)

    memo.Memo.get = get
    worker._bench_memo = stats

def worker_exit(server, worker):
    stats = getattr(worker, "_bench_memo", None)
    if stats is not None:
        with open(os.path.join(os.environ["BENCH_MEMO_DIR"], f"memo-{os.getpid()}.json"), "w") as fh:
            json.dump(dict(stats), fh)
'''


def parse_mix(text: str) -> dict[str, float]:
    mix = {}
    for part in text.split(","):
        name, _, weight = part.partition("=")
        if name.strip() not in ("page", "change", "compare", "csv"):
            raise SystemExit(f"--mix: unknown action {name!r} (page, change, compare, csv)")
        mix[name.strip()] = float(weight)
    return mix


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.lat: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.bytes: dict[str, int] = {}
        self.compressed: dict[str, int] = {}
        self.samples: list[str] = []
        self.retries: dict[str, int] = {}
        self.actions: dict[str, list[float]] = {}

    def add_retry(self, kind: str):
        with self.lock:
            self.retries[kind] = self.retries.get(kind, 0) + 1

    def add(self, kind: str, ms: float, ok: bool, size: int, encoded: bool, note: str = ""):
        with self.lock:
            self.lat.setdefault(kind, []).append(ms)
            self.bytes[kind] = self.bytes.get(kind, 0) + size
            self.compressed[kind] = self.compressed.get(kind, 0) + encoded
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.samples) < 10:
                    self.samples.append(f"{kind}: {note}")

    def action(self, kind: str, ms: float):
        with self.lock:
            self.actions.setdefault(kind, []).append(ms)


def kind_of_resource(url: str, status_expected: int) -> str:
    if status_expected == 304:
        return "GET revalidate (304)"
    if "favicon" in url:
        return "GET favicon"
    if "plotly" in url:
        return "GET plotly bundle"
    return "GET script/CSS"


class Connection:
    """One keep-alive connection, as a browser keeps it (reopened when the server closed it)."""

    def __init__(self, host: str, port: int, stats: Stats, deadline: float):
        self.host, self.port, self.stats, self.deadline = host, port, stats, deadline
        self.conn = None

    def request(self, kind, method, path, body=None, headers=None, expect=(200,)):
        """Returns the response headers (dict, lower-case names) or None when not sent/failed."""
        if time.perf_counter() >= self.deadline:
            return None
        headers = dict(headers or {})
        if body is not None:
            headers["Content-Type"] = "application/json"
        t0 = time.perf_counter()
        try:
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
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
                t0 = time.perf_counter()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
            data = resp.read()
            ms = (time.perf_counter() - t0) * 1000
            got = {k.lower(): v for k, v in resp.getheaders()}
            self.stats.add(kind, ms, resp.status in expect, len(data), "content-encoding" in got, f"HTTP {resp.status}")
            if got.get("connection", "").lower() == "close":
                self.close()
            got[":status"] = resp.status
            got[":body"] = data
            return got
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            ms = (time.perf_counter() - t0) * 1000
            self.stats.add(kind, ms, False, 0, False, f"{type(exc).__name__}: {exc}")
            self.close()
            return None

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None


class BrowserCache:
    """What a browser keeps of a response: its validators and how long it is fresh."""

    def __init__(self):
        self.items: dict[str, dict] = {}

    def store(self, url: str, headers: dict | None):
        if not headers or headers.get(":status") != 200:
            return
        control = headers.get("cache-control", "")
        age = re.search(r"max-age=(\d+)", control)
        self.items[url] = {"etag": headers.get("etag"), "modified": headers.get("last-modified"),
                           "fresh_until": time.time() + int(age.group(1)) if age and "no-cache" not in control else 0}

    def plan(self, url: str) -> tuple[str, dict]:
        """("skip" | "conditional" | "full", extra headers) for a warm load."""
        item = self.items.get(url)
        if item is None:
            return "full", {}
        if item["fresh_until"] > time.time():
            return "skip", {}
        cond = {}
        if item["etag"]:
            cond["If-None-Match"] = item["etag"]
        if item["modified"]:
            cond["If-Modified-Since"] = item["modified"]
        return ("conditional", cond) if cond else ("full", {})


class User(threading.Thread):
    def __init__(self, n, target, plan, stats, deadline, start_at, think, mix, seed, prefetching=True):
        super().__init__(daemon=True)
        self.prefetching = prefetching
        self.shown = None  # (path, query) of the explorer view the page shows, if any
        self.answered = False  # the page holds every answer for it (assets/prefetch.js)
        self.n, self.plan, self.stats = n, plan, stats
        self.deadline, self.start_at, self.think = deadline, start_at, think
        self.actions, self.weights = list(mix), list(mix.values())
        self.rng = random.Random(seed)
        host, port = target
        self.conns = [Connection(host, port, stats, deadline) for _ in range(BROWSER_CONNECTIONS)]
        self.main = self.conns[0]
        self.cache = BrowserCache()
        self.headers = {"Accept-Encoding": plan["accept_encoding"]}

    # ---- actions ------------------------------------------------------------------------
    def page_load(self, cold: bool):
        path, resources = self.rng.choice(self.plan["pages"])
        if cold:
            self.cache = BrowserCache()
        t0 = time.perf_counter()
        html = self.main.request("GET page HTML", "GET", path,
                                 headers={**self.headers, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                                          **({} if cold else {"Cache-Control": "max-age=0"})})
        if html is None:
            return
        todo, last = [], []
        for url in resources:
            how, extra = ("full", {}) if cold else self.cache.plan(url)
            if how == "skip":
                continue
            (last if "favicon" in url else todo).append((url, extra, 304 if how == "conditional" else 200))
        work: queue.Queue = queue.Queue()
        for item in todo:
            work.put(item)

        def fetch(conn):
            while True:
                try:
                    url, extra, status = work.get_nowait()
                except queue.Empty:
                    return
                got = conn.request(kind_of_resource(url, status), "GET", url, headers={**self.headers, **extra,
                                   "Referer": f"http://{conn.host}:{conn.port}{path}"}, expect=(status,))
                self.cache.store(url, got)

        helpers = [threading.Thread(target=fetch, args=(c,), daemon=True) for c in self.conns[1:min(len(todo), len(self.conns))]]
        for h in helpers:
            h.start()
        fetch(self.main)
        for h in helpers:
            h.join()
        for url, extra, status in last:  # the favicon comes after the page
            self.cache.store(url, self.main.request(kind_of_resource(url, status), "GET", url,
                                                    headers={**self.headers, **extra}, expect=(status,)))
        if time.perf_counter() < self.deadline:
            self.stats.action("page load, cold (HTML + every script/CSS, 6 connections)" if cold
                              else "page load, warm (HTML + revalidations)", (time.perf_counter() - t0) * 1000)
        self.answered = False
        self.shown = None if path.startswith("/compare") else (path.split("?", 1)[0],
                                                               "?" + path.split("?", 1)[1] if "?" in path else "")

    def prefetch(self, until: float) -> None:
        """What the page asks for while the user thinks (assets/prefetch.js): the answers to the
        choices one click away from the view shown, batch after batch, until the server says
        there are no more (then ``answered``) or ``until`` has passed."""
        if not self.prefetching or self.shown is None or self.answered:
            return
        path, search = self.shown
        offset = 0
        while offset is not None and time.perf_counter() < min(until, self.deadline):
            # gzip here (Chromium would take br or zstd) so that the next offset can be read
            got = self.main.request("GET prefetch answers", "GET", f"{NEXT}?path={quote(path)}&search={quote(search)}"
                                    f"&offset={offset}", headers={"Accept-Encoding": "gzip", "Accept": "*/*"})
            if got is None:
                return
            try:
                data = got[":body"]
                data = gzip.decompress(data) if got.get("content-encoding") == "gzip" else data
            except (KeyError, OSError):
                return
            # the answers end with "next" (callbacks/prefetch.py); reading only that keeps this
            # load generator's own threads from becoming the bottleneck on ~600 KB of JSON each
            if b'"busy": true' in data[-64:]:  # the server computes other answers: the page asks again in 1 s
                time.sleep(max(0.0, min(1.0, until - time.perf_counter())))
                continue
            found = NEXT_FIELD.search(data[-64:])
            offset = int(found.group(1)) if found and found.group(1) != b"null" else None
            self.answered = offset is None

    def control_change(self):
        pick = self.rng.randrange(len(self.plan["interactions"]))
        steps, views = self.plan["interactions"][pick], self.plan["views"][pick]
        at = self.rng.randrange(len(steps))
        t0 = time.perf_counter()
        if not self.answered:
            for label, body in steps[at]:  # not answered ahead: the resolver and the table, as before
                if self.main.request(f"POST {label}", "POST", UPDATE, body, headers={**self.headers, "Accept": "application/json"}) is None:
                    return
            if time.perf_counter() < self.deadline:
                self.stats.action("control change (resolver + table)", (time.perf_counter() - t0) * 1000)
        self.shown = views[(at + 1) % len(views)]  # the new view: where the other direction starts
        self.answered = False

    def compare_json(self):
        self.main.request("GET compare JSON", "GET", self.rng.choice(self.plan["compare_api"]), headers=self.headers)

    def csv_export(self):
        if self.plan["csv_body"] is None or self.rng.random() < 0.5:
            self.main.request("GET points.csv", "GET", self.rng.choice(self.plan["csv_api"]), headers=self.headers)
        else:
            self.main.request("POST Download CSV", "POST", UPDATE, self.plan["csv_body"], headers=self.headers)

    def run(self):
        time.sleep(max(0.0, self.start_at - time.perf_counter()))
        self.page_load(cold=True)
        while time.perf_counter() < self.deadline:
            pause = self.rng.uniform(*self.think) if self.think[1] > 0 else 0.0
            until = time.perf_counter() + pause
            if pause > PREFETCH_TICK:  # the page's first ask comes at its next tick
                time.sleep(PREFETCH_TICK)
                self.prefetch(until)
            time.sleep(max(0.0, min(until, self.deadline) - time.perf_counter()))
            if time.perf_counter() >= self.deadline:
                break
            action = self.rng.choices(self.actions, self.weights)[0]
            if action == "page":
                self.page_load(cold=self.rng.random() < COLD_SHARE)
            elif action == "change":
                self.control_change()
            elif action == "compare":
                self.compare_json()
            else:
                self.csv_export()
        for c in self.conns:
            c.close()


def watch_rss(masters: list[psutil.Process], peaks: dict, stop: threading.Event):
    while not stop.is_set():
        for master in masters:
            try:
                for child in master.children(recursive=True):
                    try:
                        peaks[child.pid] = max(peaks.get(child.pid, 0), child.memory_info().rss)
                    except psutil.Error:
                        continue
            except psutil.Error:
                continue
        stop.wait(0.2)


def resource_urls(loads: dict) -> list[str]:
    """The same-origin requests of a cold load after the page itself."""
    return [r["url"] for r in loads["cold"][1:] if r["method"] == "GET"]


def check_warm_rule(captured: dict) -> list[str]:
    """Where the simulated browser cache would act unlike Chromium did on its reload."""
    notes = []
    for path, loads in captured["resources"].items():
        cache = BrowserCache()
        for r in loads["cold"][1:]:
            cache.store(r["url"], {**r.get("response_headers", {}), ":status": r.get("status")})
        chromium = {r["url"]: ("conditional" if any(h.lower().startswith("if-") for h in r.get("headers", {})) else "full")
                    for r in loads["reload"][1:] if r["sent"]}
        for url in resource_urls(loads):
            ours = cache.plan(url)[0]
            theirs = chromium.get(url, "skip")
            if ours != theirs:
                notes.append(f"{path}: {url[:70]}: simulated {ours}, Chromium {theirs}")
    return notes


def build_plan(captured: dict, comparisons: list[dict]) -> dict:
    start = "/" + BASE_QUERY
    loads = captured["resources"]
    explorer_res = resource_urls(loads[start])
    html_headers = loads[start]["cold"][0].get("headers", {})
    accept = next((v for k, v in html_headers.items() if k.lower() == "accept-encoding"), "gzip, deflate, br, zstd")
    pages = [(p, explorer_res) for p in [start] + DEEP_LINKS]
    by_kind: dict[str, list[dict]] = {}
    for c in comparisons:
        by_kind.setdefault(c["kind"], []).append(c)
    chosen = [c for group in by_kind.values() for c in (group[0], group[len(group) // 2])][:8]
    compare_api = []
    for c in chosen:
        slug = c["path"].rsplit("/", 1)[-1]
        compare_api.append(f"/api/v1/compare/{c['kind']}/{slug}?seq={c['seqs'][0]}")
    if SEED_COMPARE in loads:
        compare_res = resource_urls(loads[SEED_COMPARE])
        pages.append((SEED_COMPARE, compare_res))
        other = next((c for c in chosen if c["kind"] == "gpu"), None)
        if other:
            pages.append((f"{other['path']}?seq={other['seqs'][0]}", compare_res))
    csv = captured.get("csv_download") or []

    def shown_address(step):
        """The address the page showed when it sent a step's resolver request (None: a step that
        sends nothing, such as a GPU subset drawn in the browser)."""
        if not step:
            return None
        body = step[0]["body"]
        values = {f"{i['id']}.{i['property']}": i.get("value") for i in body.get("inputs", []) + body.get("state", [])
                  if isinstance(i, dict) and isinstance(i.get("id"), str)}
        return values.get("page-url.pathname") or "/", values.get("page-url.search") or ""
    return {
        "views": [[shown_address(step) for step in steps] for steps in captured["interactions"].values()],
        "accept_encoding": accept,
        "pages": pages,
        "interactions": [[[(r["label"], json.dumps(r["body"]).encode()) for r in step] for step in steps]
                         for steps in captured["interactions"].values()],
        "compare_api": compare_api or [SEED_COMPARE],
        "csv_api": ["/api/v1/points.csv" + p[1:] for p in [start] + DEEP_LINKS],
        "csv_body": json.dumps(csv[0]["body"]).encode() if csv else None,
    }


PREFETCH_TICK = 0.15  # assets/prefetch.js asks at most this often
NEXT_FIELD = re.compile(rb'"next":\s*(null|\d+)\s*(,\s*"busy":\s*true\s*)?}\s*$')


def write_memo_conf() -> Path:
    path = OUT / "bench_load_gunicorn_conf.py"
    path.write_text(MEMO_CONF)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=BUNDLED)
    parser.add_argument("--url", action="append", help="a running server (repeatable: users are split between them)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which users start (default 5)")
    parser.add_argument("--think", default="0.5:1.5", help="think time range in seconds, MIN:MAX, or 0 (default 0.5:1.5)")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"action weights (default {DEFAULT_MIX})")
    parser.add_argument("--no-prefetch", action="store_true",
                        help="pages that ask for no answers ahead (as before 2026-12-03)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for gunicorn to answer")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    think = tuple(float(x) for x in args.think.split(":")) if ":" in args.think else (float(args.think),) * 2
    mix = parse_mix(args.mix)
    code0 = code_state()
    print(code_note(), flush=True)
    data_dir = args.data_dir.resolve()
    name = dataset_name(data_dir)
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    memo_dir = OUT / "logs" / "memo"
    proc = None
    if args.url:
        targets = [(urlsplit(u).hostname, urlsplit(u).port or 80) for u in args.url]
        listening = set()
        for host, port in targets:  # the gunicorn masters listening there, when they are ours to see
            for c in psutil.net_connections("tcp"):
                if c.status == psutil.CONN_LISTEN and c.laddr.port == port and c.pid:
                    listening.add(c.pid)
        # workers share their master's socket: keep the processes whose parent is not listening too
        masters = [psutil.Process(pid) for pid in sorted(listening) if psutil.Process(pid).ppid() not in listening]
        t_ready = 0.0
    else:
        cache = cache_dir_for(data_dir, "warm")
        cache.mkdir(parents=True, exist_ok=True)
        port = free_port()
        memo_dir.mkdir(parents=True, exist_ok=True)
        for old in memo_dir.glob("memo-*.json"):
            old.unlink()
        conf = write_memo_conf()
        import os
        os.environ["BENCH_MEMO_DIR"] = str(memo_dir)
        proc, t_ready = launch_until_200(
            lambda: start_gunicorn(data_dir, cache, port, args.workers, args.threads, OUT / "logs" / f"gunicorn-{name}.log",
                                   extra_args=["--config", str(conf)]),
            f"http://127.0.0.1:{port}/", args.timeout)
        targets = [("127.0.0.1", port)]
        masters = [psutil.Process(proc.pid)]
    peaks: dict[int, int] = {}
    stop_watch = threading.Event()
    watcher = threading.Thread(target=watch_rss, args=(masters, peaks, stop_watch), daemon=True)
    watcher.start()
    stats = Stats()
    base = f"http://{targets[0][0]}:{targets[0][1]}"
    ctx = running(proc) if proc is not None else _nothing()
    with ctx:
        if proc is not None:
            print(f"gunicorn ({args.workers} workers x {args.threads} threads) answered after {t_ready:.1f}s", flush=True)
        captured = get_capture(name, base)
        for note in check_warm_rule(captured):
            print(f"  note: warm-load rule differs from Chromium: {note}")
        import urllib.request
        with urllib.request.urlopen(base + "/api/v1/comparisons", timeout=60) as r:
            comparisons = json.loads(r.read())
        plan = build_plan(captured, comparisons)
        me = psutil.Process()
        cpu0 = me.cpu_times()
        workers_cpu0 = _workers_cpu(masters)
        start = time.perf_counter() + 0.2
        deadline = start + args.duration
        users = [User(i, targets[i % len(targets)], plan, stats, deadline, start + args.ramp * i / max(1, args.users), think,
                      mix, args.seed * 1000 + i, not args.no_prefetch) for i in range(args.users)]
        think_text = "none" if think[1] == 0 else f"{think[0]}-{think[1]}s"
        print(f"{args.users} users for {args.duration:.0f}s (ramp {args.ramp:.0f}s, think {think_text}, mix {args.mix}; "
              f"{len(plan['pages'])} pages, {len(plan['interactions'])} interactions, {len(plan['compare_api'])} comparisons) ...",
              flush=True)
        for u in users:
            u.start()
        for u in users:
            u.join(timeout=args.duration + 120)
        elapsed = time.perf_counter() - start
        cpu1 = me.cpu_times()
        workers_cpu = _workers_cpu(masters)
        stop_watch.set()
        watcher.join(2)
        hwm = {pid: vm_hwm(pid) for pid in peaks}
        master_pids = {m.pid for m in masters}
    client_cpu = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / elapsed * 100
    server_cpu = sum(workers_cpu.get(p, 0) - workers_cpu0.get(p, 0) for p in workers_cpu) / elapsed * 100

    total = sum(len(v) for v in stats.lat.values())
    errors = sum(stats.errors.values())
    all_lat = [x for v in stats.lat.values() for x in v]
    order = ["GET page HTML", "GET script/CSS", "GET plotly bundle", "GET revalidate (304)", "GET favicon", "POST resolver",
             "POST table", "GET compare JSON", "GET points.csv", "POST Download CSV"]
    rows = []
    figures = {"dataset": name, "users": args.users, "think": think_text, "mix": args.mix, "elapsed": elapsed, "types": {}}
    for kind in sorted(stats.lat, key=lambda k: (order.index(k) if k in order else 99, k)):
        v = stats.lat[kind]
        rows.append([kind, len(v), f"{100 * len(v) / total:.1f} %", fmt(med(v), " ms"), fmt(pct(v, 95), " ms"),
                     fmt(pct(v, 99), " ms"), fmt(max(v), " ms"), stats.errors.get(kind, 0),
                     f"{stats.bytes[kind] / len(v) / 1024:,.1f} KB", f"{100 * stats.compressed[kind] / len(v):.0f} %"])
        figures["types"][kind] = {"n": len(v), "median": med(v), "p95": pct(v, 95), "p99": pct(v, 99), "max": max(v),
                                  "errors": stats.errors.get(kind, 0), "avg_bytes": stats.bytes[kind] / len(v)}
    rows.append(["ALL", total, "100 %", fmt(med(all_lat), " ms"), fmt(pct(all_lat, 95), " ms"), fmt(pct(all_lat, 99), " ms"),
                 fmt(max(all_lat) if all_lat else None, " ms"), errors, "", ""])
    figures.update(requests=total, errors=errors, rps=total / elapsed, median=med(all_lat), p95=pct(all_lat, 95),
                   p99=pct(all_lat, 99))
    where = " + ".join(f"{h}:{p}" for h, p in targets) if args.url else f"gunicorn -w {args.workers} --threads {args.threads}"
    print(table(["request", "n", "share", "median", "p95", "p99", "max", "errors", "avg size", "compressed"], rows,
                f"[{name}] {args.users} users, {elapsed:.1f}s, {where}, think {think_text}: {total / elapsed:,.1f} req/s"))
    arows = [[k, len(v), fmt(med(v), " ms"), fmt(pct(v, 95), " ms"), fmt(max(v), " ms")] for k, v in sorted(stats.actions.items())]
    figures["actions"] = {k: {"n": len(v), "median": med(v), "p95": pct(v, 95)} for k, v in stats.actions.items()}
    print(table(["action (wall time, all its requests)", "n", "median", "p95", "max"], arows, f"[{name}] whole actions"))
    retried = sum(stats.retries.values())
    if retried:
        print(f"keep-alive races retried on a new connection (not errors): {retried} "
              f"({', '.join(f'{k}: {v}' for k, v in stats.retries.items())})")
    if stats.samples:
        print("first errors:\n  " + "\n  ".join(stats.samples))
    rss_rows = [[f"{'master' if pid in master_pids else 'worker'} pid {pid}", f"{peaks[pid] / 2**20:,.0f} MB",
                 "-" if hwm.get(pid) is None else f"{hwm[pid] / 2**20:,.0f} MB"] for pid in sorted(peaks)]
    if rss_rows:
        print(table(["gunicorn process", "peak RSS during load (polled)", "peak RSS since start (VmHWM)"], rss_rows,
                    f"[{name}] resident memory"))
    if proc is not None:
        memo = {}
        for f in memo_dir.glob("memo-*.json"):
            for k, n in json.loads(f.read_text()).items():
                memo[k] = memo.get(k, 0) + n
        kinds = sorted({k.rsplit(" ", 1)[0] for k in memo})
        mrows = [[k, memo.get(f"{k} hit", 0), memo.get(f"{k} miss", 0),
                  f"{100 * memo.get(f'{k} hit', 0) / max(1, memo.get(f'{k} hit', 0) + memo.get(f'{k} miss', 0)):.1f} %"]
                 for k in kinds]
        figures["memo"] = memo
        if mrows:
            print(table(["memo (frontier/memo.py) entries", "hits", "misses", "hit rate"], mrows,
                        f"[{name}] memo lookups, all workers (written at worker exit)"))
    cpu_per_request = server_cpu / 100 * elapsed * 1000 / max(1, total)
    figures.update(server_cpu=server_cpu, cpu_ms_per_request=cpu_per_request, client_cpu=client_cpu)
    print(f"\nserver CPU: {server_cpu:.0f}% of one core (all workers), {cpu_per_request:.2f} ms of CPU per request "
          f"(the figure least moved by other work on the machine); load generator CPU: {client_cpu:.0f}% of one core "
          f"(same machine); {load_note()} at the end\n{code_note(code0)}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


def _workers_cpu(masters) -> dict:
    out = {}
    for m in masters:
        try:
            for p in [m] + m.children(recursive=True):
                try:
                    t = p.cpu_times()
                    out[p.pid] = t.user + t.system
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
    return out


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    sys.exit(main())
