#!/usr/bin/env python
"""Control change -> chart redrawn, and cold deep link -> chart drawn, in headless Chromium.

    python bench/bench_browser.py                        # bundled data, threaded werkzeug (python app.py)
    python bench/bench_browser.py --server gunicorn --reps 30
    python bench/bench_browser.py --url http://127.0.0.1:8050   # an app you started yourself

Interactions (model, sequence, precision, metric, x axis) alternate between two values, starting
from /?model=dsr1&seq=1k1k&precision=fp4&metric=tput&x=intvty. Each sample is measured in the page:
from the click event that changes the value (Event.timeStamp, same clock as performance.now()) to
the first ``plotly_afterplot`` of ``#main-chart .js-plotly-plot`` after it (listener registered
with page.evaluate before the click). Since commit 2486010 the chart is one marker trace (every
point) with the frontier curves as layout shapes and an HTML legend (assets/app.js); one control
change is one resolver request (state + chart data) and then the points-table request, which may
end after the redraw (reported apart). A sample whose points, series, shapes and axis titles did
not change is counted as "unchanged" (it would mean the redraw was not the one asked for).

Cold deep link: a new browser context (empty HTTP cache, no storage) per sample, navigation start
(performance.timeOrigin) to the first plotly_afterplot with data on the main chart, observed by
an init script that wraps Plotly.newPlot/react as soon as plotly.js defines window.Plotly."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (BASE_QUERY, BUNDLED, CHART_READY, INTERACTIONS, OUT, cache_dir_for, code_note, code_state,
                     dataset_name, fmt,  # noqa: E402
                     free_port, launch_chromium, launch_until_200, load_note, med, open_control, pct, running, start_app,
                     start_gunicorn, table)

DEEP_LINKS = [
    "/?model=dsr1&seq=1k8k&precision=fp4,fp8&metric=tokmw&x=intvty&log=1",
    "/?model=dsr1&seq=8k1k&precision=fp8&metric=cost_output_neocloud&x=e2el",
    "/?model=dsr1&seq=1k1k&precision=fp4,fp8&metric=jtok&x=ttft&labels=1",
]

HOOK = """() => {
  const gd = document.querySelector('#main-chart .js-plotly-plot');
  const sig = (g) => JSON.stringify([(g.data || []).map(t => [t.name, t.x && (t.x.length || (t.x.bdata || '').length)]),
                                     ((g.layout && g.layout.meta && g.layout.meta.series) || []).map(s => s.name),
                                     ((g.layout && g.layout.shapes) || []).length,
                                     g.layout && g.layout.xaxis && JSON.stringify(g.layout.xaxis.title),
                                     g.layout && g.layout.yaxis && JSON.stringify(g.layout.yaxis.title)]);
  if (!window.__bench) {
    window.__bench = {armed: false, t0: null, t1: null, before: null, after: null, sig: sig};
    document.addEventListener('click', (e) => {
      const b = window.__bench;
      if (b.armed && b.t0 === null) { b.t0 = e.timeStamp; }
    }, true);
  }
  if (gd && !gd.__benchHooked) {
    gd.__benchHooked = true;
    gd.on('plotly_afterplot', () => {
      const b = window.__bench;
      if (b.armed && b.t0 !== null && b.t1 === null) { b.t1 = performance.now(); b.after = sig(gd); b.armed = false; }
    });
  }
  const b = window.__bench;
  b.armed = true; b.t0 = null; b.t1 = null; b.before = gd ? sig(gd) : null; b.after = null;
  performance.clearResourceTimings();
  return !!gd;
}"""

# where the time went: the click, the callback requests (resource timing), the browser-side rest;
# read after the network is idle, so requests ending after the redraw (the points table) are in too
BREAKDOWN = """() => {
  const b = Object.assign({}, window.__bench);
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
  window.__firstPlot = null;
  const chartDiv = (gd) => gd && gd.closest && gd.closest('#main-chart');
  const mark = (gd) => {
    if (window.__firstPlot === null && chartDiv(gd) && gd.data && gd.data.length > 0) { window.__firstPlot = performance.now(); }
  };
  const wrap = (P) => {
    ['newPlot', 'react'].forEach((fn) => {
      const orig = P[fn];
      if (typeof orig !== 'function' || orig.__bench) { return; }
      const wrapped = function (gd) {
        const el = typeof gd === 'string' ? document.getElementById(gd) : gd;
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


PARTS = ("click -> resolver sent", "resolver request", "of which server (TTFB)", "resolver response -> afterplot",
         "table response end", "table ended before the redraw", "requests")


def measure_interactions(browser, base_url: str, names: list[str], reps: int, timeout_ms: int,
                         sample_timeout_ms: int = 30000) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(base_url + "/" + BASE_QUERY)
    page.wait_for_function(CHART_READY, timeout=timeout_ms)
    page.wait_for_load_state("networkidle")
    results = {}
    for name in names:
        samples, unchanged = [], 0
        parts = {k: [] for k in PARTS}
        actions = INTERACTIONS[name]
        failures, state, warmed = 0, 0, False  # state 0: start view, 1: forward value applied
        while len(samples) < reps:  # the first change of each interaction is a warm-up
            action = actions[state]
            try:
                target = open_control(page, action)
                if not page.evaluate(HOOK):
                    raise RuntimeError("no chart on the page")
                target.click()
                page.wait_for_function("() => window.__bench.t1 !== null", timeout=sample_timeout_ms)
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
            if not warmed:
                warmed = True
                continue
            samples.append(b["t1"] - b["t0"])
            unchanged += b["before"] == b["after"]
            # requests in start order: the resolver first (it returns the chart data), then the
            # points table (fired by the view-state the resolver writes)
            reqs = sorted((b.get("requests") or []) + (b.get("later") or []), key=lambda r: r["start"])
            total = b["t1"] - b["t0"]
            if reqs:
                first = reqs[0]
                parts["click -> resolver sent"].append(first["start"])
                parts["resolver request"].append(first["end"] - first["start"])
                parts["of which server (TTFB)"].append(first["ttfb"])
                parts["resolver response -> afterplot"].append(total - first["end"])
                parts["requests"].append(len(reqs))
                if len(reqs) > 1:
                    parts["table response end"].append(reqs[1]["end"])
                    parts["table ended before the redraw"].append(100.0 * (reqs[1]["end"] <= total))
        if state == 1:  # leave the control as it started
            open_control(page, actions[1]).click()
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
        results[name] = {"samples": samples, "unchanged": unchanged, "parts": parts, "failures": failures}
        print(f"  {name:<10} median {med(samples):7.1f} ms  p90 {pct(samples, 90):7.1f} ms  (n={len(samples)})", flush=True)
    page.close()
    return results


def measure_deep_links(browser, base_url: str, reps: int, timeout_ms: int) -> list[dict]:
    out = []
    for i in range(reps):
        link = DEEP_LINKS[i % len(DEEP_LINKS)]
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            context.add_init_script(INIT_SCRIPT)
            page = context.new_page()
            page.goto(base_url + link, wait_until="commit")
            page.wait_for_function("() => window.__firstPlot !== null", timeout=timeout_ms)
            nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                const res = performance.getEntriesByType('resource');
                const end = (part) => { const e = res.filter(r => r.name.indexOf(part) >= 0);
                                        return e.length ? Math.max(...e.map(r => r.responseEnd)) : null; };
                const js = res.filter(r => /\\.js(\\?|$)/.test(r.name));
                return {first: window.__firstPlot, dcl: n ? n.domContentLoadedEventEnd : null,
                        load: n ? n.loadEventEnd : null, response: n ? n.responseEnd : null,
                        layout: end('_dash-layout'), plotly: end('plotly'),
                        js_bytes: js.reduce((a, r) => a + (r.encodedBodySize || 0), 0),
                        js_end: js.length ? Math.max(...js.map(r => r.responseEnd)) : null,
                        callbacks_before: res.filter(r => r.name.indexOf('_dash-update-component') >= 0
                                                          && r.responseEnd <= window.__firstPlot).length}; }""")
            nav["link"] = link
            out.append(nav)
            print(f"  deep link #{i + 1}: {nav['first']:.0f} ms  {link}", flush=True)
        finally:
            context.close()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=BUNDLED, help="dataset (default: bundled data/)")
    parser.add_argument("--server", choices=("werkzeug", "gunicorn"), default="werkzeug",
                        help="python app.py (threaded werkzeug, default) or gunicorn -w 2 --threads 4")
    parser.add_argument("--url", help="measure an app that is already running at this address instead")
    parser.add_argument("--reps", type=int, default=20, help="samples per interaction (default 20)")
    parser.add_argument("--deeplink-reps", type=int, default=10, help="cold deep links (default 10)")
    parser.add_argument("--only", action="append", choices=list(INTERACTIONS), help="limit to some interactions")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the server")
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
    try:
        import urllib.request, json  # noqa: E401
        with urllib.request.urlopen(base + "/api/v1/comparisons", timeout=60) as r:
            has_qwen = any(c["model"] == "qwen3.5" for c in json.loads(r.read()))
        names = [n for n in (args.only or list(INTERACTIONS)) if n != "model" or has_qwen]
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                print(f"== {name}: control change -> chart redrawn ({args.reps} samples each)", flush=True)
                inter = measure_interactions(browser, base, names, args.reps, int(args.timeout * 1000))
                print(f"== {name}: cold deep link ({args.deeplink_reps} new contexts)", flush=True)
                deep = measure_deep_links(browser, base, args.deeplink_reps, int(args.timeout * 1000))
            finally:
                browser.close()
    finally:
        if proc is not None:
            with running(proc):
                pass
    rows = [[n, len(r["samples"]), fmt(med(r["samples"]), " ms"), fmt(pct(r["samples"], 90), " ms"),
             fmt(pct(r["samples"], 95), " ms"), fmt(min(r["samples"]), " ms"), fmt(max(r["samples"]), " ms"), r["unchanged"]]
            for n, r in inter.items()]
    failures = sum(r["failures"] for r in inter.values())
    all_samples = [s for r in inter.values() for s in r["samples"]]
    rows.append(["ALL", len(all_samples), fmt(med(all_samples), " ms"), fmt(pct(all_samples, 90), " ms"),
                 fmt(pct(all_samples, 95), " ms"), fmt(min(all_samples), " ms"), fmt(max(all_samples), " ms"),
                 sum(r["unchanged"] for r in inter.values())])
    if failures:
        print(f"\n{failures} sample(s) got no redraw within 30 s and were dropped (screenshots in bench/out/logs/)")
    print(table(["control change -> plotly_afterplot", "n", "median", "p90", "p95", "min", "max", "unchanged"], rows,
                f"[{name}, {args.server if not args.url else args.url}] control change -> chart redrawn (in-page)"))
    brows = []
    for n, r in inter.items():
        p = r["parts"]
        brows.append([n, fmt(med(r["samples"]), " ms")] +
                     [fmt(med(p[k]), " ms") for k in PARTS[:5]] +
                     [fmt(med(p[PARTS[5]]), " %", 0), fmt(med(p["requests"]), "", 0)])
    print(table(["median breakdown", "click -> afterplot", "click -> resolver sent", "resolver request",
                 "of which TTFB", "resolver resp. -> afterplot", "table resp. end", "table before redraw",
                 "requests/change"], brows,
                f"[{name}] where the time goes (resource timing of /_dash-update-component; times from the click; "
                "'table before redraw' = share of samples whose points-table response arrived before the afterplot)"))
    first = [d["first"] for d in deep]
    dcl = [d["dcl"] for d in deep if d["dcl"]]
    print(table(["cold deep link (new context)", "n", "median", "p90", "min", "max"], [
        ["navigation -> first afterplot with data", len(first), fmt(med(first), " ms"), fmt(pct(first, 90), " ms"),
         fmt(min(first), " ms") if first else "-", fmt(max(first), " ms") if first else "-"],
        ["navigation -> DOMContentLoaded end", len(dcl), fmt(med(dcl), " ms"), fmt(pct(dcl, 90), " ms"),
         fmt(min(dcl), " ms") if dcl else "-", fmt(max(dcl), " ms") if dcl else "-"],
    ] + [[label, len(v), fmt(med(v), " ms"), fmt(pct(v, 90), " ms"), fmt(min(v), " ms") if v else "-",
          fmt(max(v), " ms") if v else "-"]
         for label, v in (("navigation -> last JS file received", [d["js_end"] for d in deep if d.get("js_end")]),
                          ("navigation -> plotly bundle received", [d["plotly"] for d in deep if d.get("plotly")]),
                          ("navigation -> /_dash-layout received (prerendered page)", [d["layout"] for d in deep if d.get("layout")]))],
        f"[{name}] cold deep link"))
    if deep:
        print(f"JS transferred per cold load: {med([d['js_bytes'] for d in deep]) / 2**20:.2f} MB (median); callback "
              f"responses before the first draw: {med([d['callbacks_before'] for d in deep]):.0f} (median)")
    print(f"\n(total {time.time() - started:.0f}s; {load_note()} at the end; {code_note(code0)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
