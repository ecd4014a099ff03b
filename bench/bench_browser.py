#!/usr/bin/env python
"""What a reader waits for in headless Chromium, each figure beside its floor.

    python bench/bench_browser.py                        # bundled data, threaded werkzeug (python app.py)
    python bench/bench_browser.py --server gunicorn --reps 30
    python bench/bench_browser.py --url http://127.0.0.1:8050   # an app you started yourself

1. Control change -> chart redrawn. Interactions (model, sequence, precision, metric, x axis,
   the "Only" precision link) alternate between two values, starting from
   /?model=dsr1&seq=1k1k&precision=fp4&metric=tput&x=intvty. Each sample is measured in the
   page: from the click event that changes the value (Event.timeStamp, the clock of
   performance.now()) to the first ``plotly_afterplot`` of ``#main-chart .js-plotly-plot``
   after it. Then ``--history-reps`` back/forward steps between the same two views
   (history.back() / forward(): the resolver reads the address), timed from the call to the
   afterplot. A control change is one resolver request (state + chart data) and then the
   points-table request, which ends after the redraw (reported apart).
   **The floor**: the two figures dcc.Graph handed to ``Plotly.react`` for those two views
   (recorded by wrapping Plotly.react in the page, structured clones) are replayed with
   ``Plotly.react`` on the same chart in the same page, alternating, ``--reps`` times: what
   drawing those figures costs this browser with no request, no Dash and no app code.
   Reported: median and p90 of each, and the ratio of the medians (app / floor).
2. Cold deep link: a new browser context (empty cache, no storage) per sample, navigation start
   (performance.timeOrigin) to the first plotly_afterplot with data on the main chart: the
   chart of the page's picture (presenters/first_paint.py, drawn before Dash starts) or the
   live page's, whichever is first; the live page's chart (from then on the page answers
   clicks) is reported beside it. An init script wraps Plotly.newPlot/react as soon as
   plotly.js defines window.Plotly; the figure the static twin draws is the live chart's.
   **The floor**: a static page served by this script (its own HTTP server on loopback) that
   loads the same Plotly bundle and the same two stylesheets, byte for byte as the app sends
   them (same Content-Encoding), and draws the same figure (the one the app drew for that
   link, recorded in a warm page) in a div of the same size, with the same init script.
3. The same cold loads over an emulated 20 Mbit/s, 40 ms link (CDP
   Network.emulateNetworkConditions: 40 ms latency, 20 Mbit/s down, 5 Mbit/s up), app and
   static page; ``--link-reps`` samples each.
4. Bytes on the wire for a cold load (CDP Network.loadingFinished encodedDataLength: headers and
   bodies, every request), as the browser asks (Accept-Encoding: gzip, deflate, br, zstd) and
   with compression refused (Accept-Encoding: identity, set with Network.setExtraHTTPHeaders),
   on loopback and over the emulated link.

Pages run in bypass-CSP contexts (Playwright evaluates string predicates with eval, which the
app's Content-Security-Policy forbids); the app's own scripts are the same."""

from __future__ import annotations

import argparse
import http.server
import json
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (BASE_QUERY, BUNDLED, CHART_READY, INTERACTIONS, OUT, cache_dir_for, code_note, code_state,  # noqa: E402
                     dataset_name, fmt, free_port, launch_chromium, launch_until_200, load_note, med, open_control, pct,
                     running, start_app, start_gunicorn, table)

DEEP_LINKS = [
    "/?model=dsr1&seq=1k8k&precision=fp4,fp8&metric=tokmw&x=intvty&log=1",
    "/?model=dsr1&seq=8k1k&precision=fp8&metric=cost_output_neocloud&x=e2el",
    "/?model=dsr1&seq=1k1k&precision=fp4,fp8&metric=jtok&x=ttft&labels=1",
]
LINK = {"offline": False, "latency": 40, "downloadThroughput": 20e6 / 8, "uploadThroughput": 5e6 / 8}
VIEWPORT = {"width": 1400, "height": 1000}

HOOK = """() => {
  const gd = document.querySelector('#main-chart .js-plotly-plot');
  const sig = (g) => JSON.stringify([(g.data || []).map(t => [t.name, t.x && (t.x.length || (t.x.bdata || '').length)]),
                                     ((g.layout && g.layout.meta && g.layout.meta.series) || []).map(s => s.name),
                                     ((g.layout && g.layout.shapes) || []).length,
                                     g.layout && g.layout.xaxis && JSON.stringify(g.layout.xaxis.title),
                                     g.layout && g.layout.yaxis && JSON.stringify(g.layout.yaxis.title)]);
  if (!window.__bench) {
    window.__bench = {armed: false, t0: null, t1: null, before: null, after: null, sig: sig, figs: []};
    // on window, capturing: the first listener of any click, so t0 is set before any of the
    // page's own listeners can draw (assets/prefetch.js draws a prefetched view on the click)
    window.addEventListener('click', (e) => {
      const b = window.__bench;
      if (b.armed && b.t0 === null) { b.t0 = e.timeStamp; }
    }, true);
    // every figure dcc.Graph hands to Plotly.react for the main chart, as it was handed
    const react = window.Plotly.react;
    window.Plotly.react = function (el) {
      const node = typeof el === 'string' ? document.getElementById(el) : el;
      const bench = window.__bench;
      if (bench.armed && bench.t0 !== null && bench.reactAt === null && node && node.closest && node.closest('#main-chart')) {
        bench.reactAt = performance.now();
      }
      if (bench.record && node && node.closest && node.closest('#main-chart')) {
        window.__bench.figs.push(structuredClone(Array.prototype.slice.call(arguments, 1)));
        if (window.__bench.figs.length > 4) { window.__bench.figs.shift(); }
      }
      return react.apply(this, arguments);
    };
  }
  if (gd && !gd.__benchHooked) {
    gd.__benchHooked = true;
    gd.on('plotly_afterplot', () => {
      const b = window.__bench;
      if (b.armed && b.t0 !== null && b.t1 === null) { b.t1 = performance.now(); b.after = sig(gd); b.armed = false; }
    });
  }
  const b = window.__bench;
  b.armed = true; b.t0 = null; b.t1 = null; b.reactAt = null; b.before = gd ? sig(gd) : null; b.after = null;
  performance.clearResourceTimings();
  return !!gd;
}"""

HISTORY = """(direction) => { const b = window.__bench; b.t0 = performance.now();
  if (direction === 'back') { history.back(); } else { history.forward(); } }"""

# the two last figures drawn, replayed with Plotly.react alone, alternating: {times, same}
FLOOR = """async (reps) => {
  const gd = document.querySelector('#main-chart .js-plotly-plot');
  const figs = window.__bench.figs.slice(-2);
  const times = [];
  for (let i = 0; i < reps + 1; i++) {
    const args = structuredClone(figs[i % 2]);
    const done = new Promise((resolve) => gd.once('plotly_afterplot', () => resolve(performance.now())));
    const t0 = performance.now();
    Plotly.react(gd, ...args);
    const t1 = await done;
    if (i > 0) { times.push(t1 - t0); }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {times: times, n: figs.length};
}"""

# where the time went: the click, the callback requests (resource timing), the browser-side rest;
# read after the network is idle, so requests ending after the redraw (the points table) are in too
BREAKDOWN = """() => {
  const b = Object.assign({}, window.__bench); delete b.figs;
  const all = performance.getEntriesByType('resource')
    .filter(e => e.name.indexOf('_dash-update-component') >= 0 && e.startTime >= b.t0)
    .sort((x, y) => x.startTime - y.startTime);
  const row = e => ({start: e.startTime - b.t0, ttfb: e.responseStart - e.requestStart,
                     end: e.responseEnd - b.t0, bytes: e.transferSize});
  b.requests = all.filter(e => e.responseEnd <= b.t1).map(row);
  b.later = all.filter(e => e.responseEnd > b.t1).map(row);
  return b;
}"""

INIT_SCRIPT = """(() => {
  window.__firstPlot = null;  // the chart first drawn on screen: the page's picture's or the live page's
  window.__livePlot = null;   // the live page's (Dash's) chart: the page answers clicks from here on
  window.__firstFigure = null;
  const chartDiv = (gd) => gd && gd.closest && gd.closest('#main-chart');
  const pictureDiv = (gd) => gd && gd.closest && gd.closest('[data-first-paint-chart="main-chart"]');
  const mark = (gd) => {
    if (!(gd && gd.data && gd.data.length > 0)) { return; }
    if (window.__firstPlot === null && (chartDiv(gd) || pictureDiv(gd))) { window.__firstPlot = performance.now(); }
    if (window.__livePlot === null && chartDiv(gd)) { window.__livePlot = performance.now(); }
  };
  const wrap = (P) => {
    ['newPlot', 'react'].forEach((fn) => {
      const orig = P[fn];
      if (typeof orig !== 'function' || orig.__bench) { return; }
      const wrapped = function (gd) {
        const el = typeof gd === 'string' ? document.getElementById(gd) : gd;
        const fig = arguments[1], figData = fig && (Array.isArray(fig) ? fig : fig.data);
        if (window.__recordFigure && window.__firstFigure === null && chartDiv(el) && figData && figData.length) {
          window.__firstFigure = structuredClone(Array.prototype.slice.call(arguments, 1));
        }
        if (el && el.on && !el.__benchFirst) {
          el.__benchFirst = true;
          el.on('plotly_afterplot', () => mark(el));
        }
        const out = orig.apply(this, arguments);
        Promise.resolve(out).then(() => {
          if (el && el.on && !el.__benchFirst) { el.__benchFirst = true; el.on('plotly_afterplot', () => mark(el)); }
          mark(el);
        });
        return out;
      };
      wrapped.__bench = true;
      P[fn] = wrapped;
    });
    return P;
  };
  let current;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get() { return current; },
    set(v) { current = v && typeof v === 'object' ? wrap(v) : v; },
  });
})();"""

# a recorded figure as JSON Plotly reads back: typed arrays as {dtype, bdata} (as plotly.py sends them)
FIGURE_JSON = """() => {
  const kinds = {Float64Array: 'f8', Float32Array: 'f4', Int32Array: 'i4', Uint32Array: 'u4', Int16Array: 'i2',
                 Uint16Array: 'u2', Int8Array: 'i1', Uint8Array: 'u1'};
  const b64 = (view) => { const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) { s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)); }
    return btoa(s); };
  const gd = document.querySelector('#main-chart .js-plotly-plot');
  const box = gd.getBoundingClientRect();
  return {width: box.width, height: box.height,
          args: JSON.stringify(window.__firstFigure, (k, v) => ArrayBuffer.isView(v) && kinds[v.constructor.name]
                               ? {dtype: kinds[v.constructor.name], bdata: b64(v)} : v)};
}"""

STATIC_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>static floor</title>
<link rel="stylesheet" href="/bootstrap.min.css"><link rel="stylesheet" href="/style.css"></head>
<body><div id="main-chart"><div id="chart" style="width:{width}px;height:{height}px"></div></div>
<script src="/plotly.js"></script>
<script>var args = {args}; Plotly.newPlot.apply(Plotly, [document.getElementById('chart')].concat(args));</script>
</body></html>"""


class StaticSite:
    """A loopback HTTP server for the floor pages: the app's Plotly bundle and stylesheets as the
    app sends them (bytes and Content-Encoding per Accept-Encoding asked), and one page per link."""

    def __init__(self, base_url: str, page_html: str):
        import re

        self.files: dict[str, dict[str, tuple[bytes, str, str | None]]] = {}
        self.pages: dict[str, str] = {}
        urls = re.findall(r'(?:src|href)="([^"]+)"', page_html)
        wanted = {"/plotly.js": next(u for u in urls if "plotly" in u),
                  "/bootstrap.min.css": next(u for u in urls if "bootstrap" in u),
                  "/style.css": next(u for u in urls if u.startswith("/assets/style.css"))}
        for name, url in wanted.items():
            for accept in ("gzip, deflate, br, zstd", "identity"):
                req = urllib.request.Request(base_url + url, headers={"Accept-Encoding": accept})
                with urllib.request.urlopen(req, timeout=60) as r:
                    self.files.setdefault(name, {})[accept] = (r.read(), r.headers.get("Content-Type"),
                                                               r.headers.get("Content-Encoding"))
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                path = self.path.split("?")[0]
                if path in site.pages:
                    body, ctype, enc = site.pages[path].encode(), "text/html; charset=utf-8", None
                elif path in site.files:
                    ident = "identity" in (self.headers.get("Accept-Encoding") or "")
                    body, ctype, enc = site.files[path]["identity" if ident else "gzip, deflate, br, zstd"]
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-cache")
                if enc:
                    self.send_header("Content-Encoding", enc)
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add_page(self, name: str, figure: dict) -> str:
        self.pages[f"/{name}.html"] = STATIC_PAGE.format(width=round(figure["width"]), height=round(figure["height"]),
                                                         args=figure["args"].replace("</", "<\\/"))
        return f"{self.url}/{name}.html"

    def close(self):
        self.server.shutdown()


PARTS = ("click -> resolver sent", "resolver request", "of which server (TTFB)", "resolver response -> afterplot",
         "of which response -> Plotly.react (Dash renderer, app.js compose)", "of which Plotly.react -> afterplot",
         "table response end", "table ended before the redraw", "requests")


def wait_drawn(page, timeout_ms):
    page.wait_for_function("() => window.__bench.t1 !== null", timeout=timeout_ms)


def measure_interactions(browser, base_url: str, names: list[str], reps: int, history_reps: int, timeout_ms: int,
                         sample_timeout_ms: int = 30000) -> dict:
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
    page = context.new_page()
    page.goto(base_url + "/" + BASE_QUERY)
    page.wait_for_function(CHART_READY, timeout=timeout_ms)
    page.wait_for_load_state("networkidle")
    results = {}
    for name in names:
        samples, unchanged = [], 0
        parts = {k: [] for k in PARTS}
        actions = INTERACTIONS[name]
        failures, state, warmed = 0, 0, False  # state 0: start view, 1: forward value applied
        recorded = 0
        while recorded < 2:  # the first change of each interaction is a warm-up; the last two (untimed)
            action = actions[state]  # record the figures handed to Plotly.react, for the floor
            if len(samples) >= reps:
                page.evaluate("() => { if (window.__bench) { window.__bench.record = true; } }")
                recorded += 1
            try:
                target = open_control(page, action)
                if not page.evaluate(HOOK):
                    raise RuntimeError("no chart on the page")
                target.click()
                wait_drawn(page, sample_timeout_ms)
            except Exception as exc:  # noqa: BLE001 - a stuck sample is counted, the page reset
                failures += 1
                shot = OUT / "logs" / f"browser-{name}-failure-{failures}.png"
                try:
                    page.screenshot(path=str(shot))
                except Exception:  # noqa: BLE001
                    pass
                print(f"  ! {name}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]} (screenshot {shot.name}); "
                      "reloading the start view", flush=True)
                if failures > 5:
                    raise
                page.goto(base_url + "/" + BASE_QUERY)
                page.wait_for_function(CHART_READY, timeout=timeout_ms)
                page.wait_for_load_state("networkidle")
                state = 0
                continue
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(100)
            b = page.evaluate(BREAKDOWN)
            state ^= 1
            if not warmed or recorded:
                warmed = True
                continue
            samples.append(b["t1"] - b["t0"])
            unchanged += b["before"] == b["after"]
            reqs = sorted((b.get("requests") or []) + (b.get("later") or []), key=lambda r: r["start"])
            total = b["t1"] - b["t0"]
            if reqs:
                first = reqs[0]
                parts["click -> resolver sent"].append(first["start"])
                parts["resolver request"].append(first["end"] - first["start"])
                parts["of which server (TTFB)"].append(first["ttfb"])
                parts["resolver response -> afterplot"].append(total - first["end"])
                if b.get("reactAt") is not None:
                    parts[PARTS[4]].append(b["reactAt"] - b["t0"] - first["end"])
                    parts[PARTS[5]].append(b["t1"] - b["reactAt"])
                parts["requests"].append(len(reqs))
                if len(reqs) > 1:
                    parts["table response end"].append(reqs[1]["end"])
                    parts["table ended before the redraw"].append(100.0 * (reqs[1]["end"] <= total))
        # back / forward between the last two views (the resolver reads the address)
        history, hist_unchanged = [], 0
        direction = "back"
        for step in range(history_reps + 1):  # the first step is a warm-up
            page.evaluate(HOOK)
            page.evaluate(HISTORY, direction)
            try:
                wait_drawn(page, sample_timeout_ms)
            except Exception as exc:  # noqa: BLE001
                print(f"  ! {name} {direction}: {type(exc).__name__}", flush=True)
                break
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(100)
            b = page.evaluate(BREAKDOWN)
            if step > 0:
                history.append(b["t1"] - b["t0"])
                hist_unchanged += b["before"] == b["after"]
            direction = "forward" if direction == "back" else "back"
        if direction == "forward":  # the last step went back: return to the newest entry
            page.evaluate(HOOK)
            page.evaluate(HISTORY, "forward")
            wait_drawn(page, sample_timeout_ms)
            page.wait_for_load_state("networkidle")
        # the floor: the same two figures, Plotly.react alone
        page.evaluate("() => { window.__bench.record = false; }")
        page.wait_for_timeout(1300)  # past the deferred table fetch
        floor = page.evaluate(FLOOR, reps)
        results[name] = {"samples": samples, "unchanged": unchanged, "parts": parts, "failures": failures,
                         "history": history, "history_unchanged": hist_unchanged, "floor": floor["times"]}
        if state == 1:  # leave the control as it started
            page.evaluate(HOOK)
            open_control(page, actions[1]).click()
            wait_drawn(page, sample_timeout_ms)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
        print(f"  {name:<10} change median {med(samples):6.1f} ms p90 {pct(samples, 90):6.1f} | back/forward "
              f"{med(history):6.1f} / {pct(history, 90):6.1f} | floor {med(floor['times']):6.1f} / "
              f"{pct(floor['times'], 90):6.1f} ms", flush=True)
    context.close()
    return results


def cold_load(browser, url: str, link: dict | None = None, accept_encoding: str | None = None, timeout_ms: int = 120000,
              record_figure: bool = False) -> dict:
    """One load in a new context: navigation -> first afterplot with data, and the bytes on the wire."""
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
    try:
        context.add_init_script(INIT_SCRIPT + ("window.__recordFigure = true;" if record_figure else ""))
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        if link:
            cdp.send("Network.emulateNetworkConditions", link)
        if accept_encoding:
            cdp.send("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": accept_encoding}})
        wire = {"bytes": 0, "requests": 0, "encodings": set()}

        def finished(e):
            wire["bytes"] += e.get("encodedDataLength", 0)
            wire["requests"] += 1

        def response(e):
            enc = {k.lower(): v for k, v in e["response"]["headers"].items()}.get("content-encoding")
            wire["encodings"].add(enc or "none")

        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.responseReceived", response)
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__firstPlot !== null && window.__livePlot !== null", timeout=timeout_ms)
        nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
            const res = performance.getEntriesByType('resource');
            const js = res.filter(r => /\\.js(\\?|$)/.test(r.name));
            return {first: window.__firstPlot, live: window.__livePlot, dcl: n ? n.domContentLoadedEventEnd : null,
                    ttfb: n ? n.responseStart - n.requestStart : null, html: n ? n.responseEnd : null,
                    js_end: js.length ? Math.max(...js.map(r => r.responseEnd)) : null,
                    callbacks_before: res.filter(r => r.name.indexOf('_dash-update-component') >= 0
                                                      && r.responseEnd <= window.__firstPlot).length}; }""")
        if record_figure:
            nav["figure"] = page.evaluate(FIGURE_JSON)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        nav.update(bytes=wire["bytes"], requests=wire["requests"], encodings=sorted(wire["encodings"]))
        return nav
    finally:
        context.close()


def summary(values) -> list:
    return [len(values), fmt(med(values), " ms"), fmt(pct(values, 90), " ms"), fmt(min(values) if values else None, " ms"),
            fmt(max(values) if values else None, " ms")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=BUNDLED, help="dataset (default: bundled data/)")
    parser.add_argument("--server", choices=("werkzeug", "gunicorn"), default="werkzeug",
                        help="python app.py (threaded werkzeug, default) or gunicorn -w 2 --threads 4")
    parser.add_argument("--url", help="measure an app that is already running at this address instead")
    parser.add_argument("--reps", type=int, default=20, help="samples per interaction, and floor replays (default 20)")
    parser.add_argument("--history-reps", type=int, default=10, help="back/forward steps per interaction (default 10)")
    parser.add_argument("--deeplink-reps", type=int, default=9, help="cold deep links, app and static page each (default 9)")
    parser.add_argument("--link-reps", type=int, default=3, help="cold loads over the emulated link, each kind (default 3)")
    parser.add_argument("--only", action="append", choices=list(INTERACTIONS), help="limit to some interactions")
    parser.add_argument("--skip", action="append", default=[], choices=["changes", "cold", "link"], help="skip a part")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the server")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    data_dir = args.data_dir.resolve()
    name = dataset_name(data_dir)
    proc = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        port = free_port()
        cache = cache_dir_for(data_dir, "warm")
        cache.mkdir(parents=True, exist_ok=True)
        (OUT / "logs").mkdir(parents=True, exist_ok=True)
        log = OUT / "logs" / f"browser-{name}.log"
        base = f"http://127.0.0.1:{port}"
        proc, _ = launch_until_200(lambda: start_gunicorn(data_dir, cache, port, log_path=log) if args.server == "gunicorn"
                                   else start_app(data_dir, cache, port, log), base + "/", args.timeout)
    started = time.time()
    code0 = code_state()
    print(code_note(), flush=True)
    inter, deep, figures, static = {}, {}, {}, None
    try:
        with urllib.request.urlopen(base + "/api/v1/comparisons", timeout=60) as r:
            has_qwen = any(c["model"] == "qwen3.5" for c in json.loads(r.read()))
        names = [n for n in (args.only or list(INTERACTIONS)) if n != "model" or has_qwen]
        with urllib.request.urlopen(base + DEEP_LINKS[0], timeout=60) as r:
            static = StaticSite(base, r.read().decode())
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                if "changes" not in args.skip:
                    print(f"== {name}: control change and back/forward -> chart redrawn, and the Plotly.react floor "
                          f"({args.reps} changes, {args.history_reps} history steps, {args.reps} replays each)", flush=True)
                    inter = measure_interactions(browser, base, names, args.reps, args.history_reps, int(args.timeout * 1000))
                if "cold" not in args.skip or "link" not in args.skip:
                    for i, link in enumerate(DEEP_LINKS):  # the figure each link draws, for its static twin
                        figures[link] = cold_load(browser, base + link, record_figure=True)["figure"]
                        static.add_page(f"link{i}", figures[link])
                kinds = {"app": lambda i, **kw: cold_load(browser, base + DEEP_LINKS[i % 3], **kw),
                         "static": lambda i, **kw: cold_load(browser, f"{static.url}/link{i % 3}.html", **kw)}
                if "cold" not in args.skip:
                    print(f"== {name}: cold deep link vs static page (loopback, {args.deeplink_reps} each, interleaved)", flush=True)
                    for i in range(args.deeplink_reps):
                        for kind, load in kinds.items():
                            deep.setdefault(("loopback", kind, "compressed"), []).append(load(i))
                        deep.setdefault(("loopback", "app", "identity"), []).append(kinds["app"](i, accept_encoding="identity"))
                        print(f"  #{i + 1}: app {deep[('loopback', 'app', 'compressed')][-1]['first']:.0f} ms, static "
                              f"{deep[('loopback', 'static', 'compressed')][-1]['first']:.0f} ms, app uncompressed "
                              f"{deep[('loopback', 'app', 'identity')][-1]['first']:.0f} ms", flush=True)
                if "link" not in args.skip:
                    print(f"== {name}: cold loads over an emulated 20 Mbit/s, 40 ms link ({args.link_reps} each)", flush=True)
                    for i in range(args.link_reps):
                        for kind, load in kinds.items():
                            deep.setdefault(("link", kind, "compressed"), []).append(load(i, link=LINK))
                        deep.setdefault(("link", "app", "identity"), []).append(kinds["app"](i, link=LINK, accept_encoding="identity"))
                        print(f"  #{i + 1}: app {deep[('link', 'app', 'compressed')][-1]['first']:.0f} ms, static "
                              f"{deep[('link', 'static', 'compressed')][-1]['first']:.0f} ms, app uncompressed "
                              f"{deep[('link', 'app', 'identity')][-1]['first']:.0f} ms", flush=True)
            finally:
                browser.close()
    finally:
        if static is not None:
            static.close()
        if proc is not None:
            with running(proc):
                pass
    out = {"dataset": name, "server": args.server if not args.url else args.url, "interactions": {}, "cold": {}}
    if inter:
        rows = []
        every = {"change": [], "history": [], "floor": []}
        for n, r in inter.items():
            ratio = med(r["samples"]) / med(r["floor"]) if r["floor"] else float("nan")
            rows.append([n, len(r["samples"]), fmt(med(r["samples"]), " ms"), fmt(pct(r["samples"], 90), " ms"),
                         fmt(med(r["history"]), " ms"), fmt(pct(r["history"], 90), " ms"),
                         fmt(med(r["floor"]), " ms"), fmt(pct(r["floor"], 90), " ms"), fmt(ratio, "x", 2),
                         fmt(med(r["history"]) / med(r["floor"]) if r["floor"] else None, "x", 2),
                         r["unchanged"] + r["history_unchanged"]])
            for k, key in (("change", "samples"), ("history", "history"), ("floor", "floor")):
                every[k] += r[key]
            out["interactions"][n] = {k: r[k] for k in ("samples", "history", "floor")}
        rows.append(["ALL", len(every["change"]), fmt(med(every["change"]), " ms"), fmt(pct(every["change"], 90), " ms"),
                     fmt(med(every["history"]), " ms"), fmt(pct(every["history"], 90), " ms"),
                     fmt(med(every["floor"]), " ms"), fmt(pct(every["floor"], 90), " ms"),
                     fmt(med(every["change"]) / med(every["floor"]), "x", 2),
                     fmt(med(every["history"]) / med(every["floor"]), "x", 2),
                     sum(r["unchanged"] + r["history_unchanged"] for r in inter.values())])
        failures = sum(r["failures"] for r in inter.values())
        if failures:
            print(f"\n{failures} sample(s) got no redraw within 30 s and were dropped (screenshots in bench/out/logs/)")
        print(table(["interaction", "n", "change med", "change p90", "back/fwd med", "back/fwd p90", "floor med",
                     "floor p90", "change/floor", "back-fwd/floor", "unchanged"], rows,
                    f"[{name}, {out['server']}] -> chart redrawn (plotly_afterplot), and the floor: the same two figures "
                    "drawn by Plotly.react alone in the same page"))
        brows = []
        for n, r in inter.items():
            p = r["parts"]
            brows.append([n, fmt(med(r["samples"]), " ms")] + [fmt(med(p[k]), " ms") for k in PARTS[:7]] +
                         [fmt(med(p[PARTS[7]]), " %", 0), fmt(med(p["requests"]), "", 0), fmt(med(r["floor"]), " ms")])
        print(table(["median breakdown", "click -> afterplot", "click -> resolver sent", "resolver request",
                     "of which TTFB", "resolver resp. -> afterplot", "of which -> Plotly.react (renderer)",
                     "of which Plotly.react -> afterplot", "table resp. end", "table before redraw",
                     "requests/change", "floor"], brows,
                    f"[{name}] where a control change's time goes (resource timing; times from the click)"))
    if deep:
        rows = []
        for (where, kind, enc), loads in deep.items():
            first = [d["first"] for d in loads]
            rows.append([f"{where}: {'app deep link' if kind == 'app' else 'static page'}"
                         + (", Accept-Encoding: identity" if enc == "identity" else "")] + summary(first) +
                        [fmt(med([d["live"] for d in loads]), " ms"),
                         fmt(med([d["dcl"] for d in loads]), " ms"), f"{med([d['bytes'] for d in loads]) / 1024:,.0f} KB",
                         fmt(med([d["requests"] for d in loads]), "", 0), "/".join(loads[0]["encodings"])])
            out["cold"][f"{where}/{kind}/{enc}"] = {"first": first, "bytes": [d["bytes"] for d in loads],
                                                    "live": [d["live"] for d in loads], "dcl": [d["dcl"] for d in loads]}
        print(table(["cold load (new context) -> first chart drawn", "n", "median", "p90", "min", "max",
                     "live page's chart (median)", "DOMContentLoaded",
                     "bytes on the wire", "requests", "encodings"], rows,
                    f"[{name}] cold loads: app deep links ({len(DEEP_LINKS)} URLs in turn) and the static page drawing the "
                    "same figure with the same Plotly bundle and CSS"))
        for where in ("loopback", "link"):
            app, stat, ident = (deep.get((where, k, e)) for k, e in (("app", "compressed"), ("static", "compressed"),
                                                                      ("app", "identity")))
            if app and stat:
                print(f"{where}: app / static = {med([d['first'] for d in app]) / med([d['first'] for d in stat]):.2f}x "
                      f"(medians); bytes compressed {med([d['bytes'] for d in app]) / 1024:,.0f} KB vs identity "
                      f"{med([d['bytes'] for d in ident]) / 1024:,.0f} KB" if ident else "")
        app_loads = deep.get(("loopback", "app", "compressed")) or []
        if app_loads:
            print(f"callback responses before the first draw: {med([d['callbacks_before'] for d in app_loads]):.0f} (median); "
                  f"page TTFB {med([d['ttfb'] for d in app_loads]):.1f} ms, HTML received {med([d['html'] for d in app_loads]):.0f} ms, "
                  f"last script received {med([d['js_end'] for d in app_loads if d.get('js_end')]):.0f} ms (medians)")
    print(f"\n(total {time.time() - started:.0f}s; {load_note()} at the end; {code_note(code0)})")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
