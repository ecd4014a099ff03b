#!/usr/bin/env python
"""Where the browser's time goes (a diagnosis aid for the misses bench_browser.py reports).

    python bench/profile_browser.py                    # bundled data: cold deep link + control changes
    python bench/profile_browser.py --url http://127.0.0.1:8050 --changes 20

Headless Chromium with the V8 sampling profiler (CDP Profiler domain, 200 us interval):
(a) one cold deep link in a new context (profiling from before navigation until the first
    plotly_afterplot with data), with the script timeline from Resource Timing, split into
    windows: navigation -> page HTML received (server + network; the first view is inside the
    HTML, app.py FrontierDash), -> last script received, -> DOMContentLoaded (script
    evaluation), -> first plot (Dash's renderer, React, Plotly's first draw);
(b) ``--changes`` control changes (sequence and precision, alternating), profiled together.
Self time is summed per script (bundle) and per function (top ``--top``), and per part:
Plotly (plotly-basic), Dash renderer + React + component bundles, the app's own scripts
(assets/*.js), V8 ("(program)": compile, style/layout outside JS; "(garbage collector)") and
idle (the main thread waiting for the network or a timer)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (BASE_QUERY, BUNDLED, CHART_READY, INTERACTIONS, OUT, cache_dir_for, code_note, free_port,  # noqa: E402
                     launch_chromium, launch_until_200, load_note, open_control, running, start_app, table)
from bench_browser import DEEP_LINKS, HOOK, INIT_SCRIPT  # noqa: E402


def self_times(profile: dict, window=None) -> tuple[Counter, Counter]:
    """(ms per script, ms per function) from a CDP Profiler profile (self time); ``window``:
    only samples between two times (ms since the profile started), or in any of a list of such."""
    windows = [window] if window and not isinstance(window[0], (list, tuple)) else (window or [])
    nodes = {n["id"]: n for n in profile["nodes"]}
    hits = Counter()
    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    now = 0.0
    for i, node_id in enumerate(samples):
        now += deltas[i] / 1000.0
        if windows and not any(a <= now < b for a, b in windows):
            continue
        # the time until the next sample is attributed to this one
        hits[node_id] += (deltas[i + 1] if i + 1 < len(deltas) else 0) / 1000.0
    by_script, by_function = Counter(), Counter()
    for node_id, ms in hits.items():
        frame = nodes[node_id]["callFrame"]
        url = frame.get("url") or ""
        script = url.rsplit("/", 1)[-1].split("?")[0] or frame.get("functionName") or "(native)"
        if not url and frame.get("functionName", "").startswith("("):
            script = frame["functionName"]
        by_script[script] += ms
        name = frame.get("functionName") or "(anonymous)"
        by_function[f"{name}  [{script}:{frame.get('lineNumber', 0) + 1}]"] += ms
    return by_script, by_function


def part_of(script: str) -> str:
    if script.startswith("plotly"):
        return "Plotly"
    if script in ("app.js", "points_table.js", "first_view.js"):
        return "app scripts (assets/)"
    if script in ("(program)", "(garbage collector)"):
        return "V8: " + script
    if script == "(idle)":
        return "idle (waiting)"
    if script.endswith(".js"):
        return "Dash renderer, React, components"
    return "other (native, browser)"


def report(title: str, profile: dict, top: int, total_ms: float | None = None, window=None) -> str:
    by_script, by_function = self_times(profile, window)
    total = sum(by_script.values())
    parts = Counter()
    for script, ms in by_script.items():
        parts[part_of(script)] += ms
    rows = [[s, f"{ms:,.0f} ms", f"{100 * ms / total:.0f} %"] for s, ms in by_script.most_common(top)]
    out = [table(["part (self time)", "ms", "share"],
                 [[k, f"{ms:,.0f} ms", f"{100 * ms / total:.0f} %"] for k, ms in parts.most_common()],
                 f"{title}: {total:,.0f} ms sampled" + (f" over {total_ms:,.0f} ms" if total_ms else "")),
           table(["script (self time)", "ms", "share"], rows)]
    rows = [[f, f"{ms:,.0f} ms"] for f, ms in by_function.most_common(top) if not f.startswith("(idle)")]
    out.append(table(["function (self time)", "ms"], rows, f"{title}: top functions"))
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=BUNDLED)
    parser.add_argument("--url", help="an app already running at this address")
    parser.add_argument("--changes", type=int, default=20, help="control changes to profile (default 20)")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--save", type=Path, help="write the raw profiles (JSON) here")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    print(code_note(), flush=True)
    proc = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        data_dir = args.data_dir.resolve()
        cache = cache_dir_for(data_dir, "warm")
        cache.mkdir(parents=True, exist_ok=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc, _ = launch_until_200(lambda: start_app(data_dir, cache, port, OUT / "logs" / "profile-browser.log"),
                                   base + "/", 600)
    saved = {}
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                # (a) cold deep link
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
                context.add_init_script(INIT_SCRIPT)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Profiler.enable")
                cdp.send("Profiler.setSamplingInterval", {"interval": 200})
                cdp.send("Profiler.start")
                started_epoch = time.time() * 1000
                page.goto(base + DEEP_LINKS[0], wait_until="commit")
                page.wait_for_function("() => window.__firstPlot !== null", timeout=120000)
                first = page.evaluate("window.__firstPlot")
                prof = cdp.send("Profiler.stop")["profile"]
                saved["deep_link"] = prof
                timeline = page.evaluate("""() => performance.getEntriesByType('resource').map(r => ({
                    name: r.name.replace(location.origin, '').slice(0, 90), type: r.initiatorType,
                    start: r.startTime, end: r.responseEnd, kb: (r.encodedBodySize || 0) / 1024}))""")
                nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                    return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, origin: performance.timeOrigin}; }""")
                page_timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                    return {ttfb: n.responseStart - n.requestStart, html: n.responseEnd, kb: n.transferSize / 1024}; }""")
                shift = nav["origin"] - started_epoch  # profile time = page time + shift
                context.close()
                rows = [[r["name"], r["type"], f"{r['start']:,.0f}", f"{r['end']:,.0f}", f"{r['kb']:,.1f}"]
                        for r in sorted(timeline, key=lambda r: r["start"])]
                print(table(["resource", "type", "start ms", "end ms", "KB"], rows,
                            f"(a) cold deep link {DEEP_LINKS[0]}: first plot at {first:,.0f} ms; "
                            f"DOMContentLoaded {nav['dcl']:,.0f} ms, load {nav['load']:,.0f} ms"))
                print(report("(a) cold deep link, main thread", prof, args.top, first))
                html = page_timing["html"]
                scripts = max((r["end"] for r in timeline if r["type"] in ("script", "link")), default=html)
                marks = [("navigation -> page HTML received (server + network)", 0, html),
                         ("HTML received -> last script/CSS received", html, scripts),
                         ("last script received -> DOMContentLoaded", scripts, nav["dcl"]),
                         ("DOMContentLoaded -> first plot (renderer, React, Plotly)", nav["dcl"], first)]
                print(f"page: TTFB {page_timing['ttfb']:.1f} ms (server), HTML received at {html:.0f} ms, "
                      f"{page_timing['kb']:.1f} KB on the wire")
                for label, a, b in marks:
                    if b > a:
                        print(report(f"(a) window {label} ({a:,.0f}-{b:,.0f} ms)", prof, 8, b - a, (a + shift, b + shift)))

                # (b) control changes
                page = browser.new_page(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
                page.goto(base + "/" + BASE_QUERY)
                page.wait_for_function(CHART_READY, timeout=120000)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(1500)
                cdp = page.context.new_cdp_session(page)
                cdp.send("Profiler.enable")
                cdp.send("Profiler.setSamplingInterval", {"interval": 200})
                durations, windows = [], []
                p0 = page.evaluate("performance.now()")
                cdp.send("Profiler.start")
                names = ["sequence", "precision"]
                state = {n: 0 for n in names}
                for i in range(args.changes):
                    name = names[(i // 2) % len(names)]
                    target = open_control(page, INTERACTIONS[name][state[name]])
                    page.evaluate(HOOK)
                    target.click()
                    page.wait_for_function("() => window.__bench.t1 !== null", timeout=30000)
                    t0, t1 = page.evaluate("[window.__bench.t0, window.__bench.t1]")
                    durations.append(t1 - t0)
                    windows.append((t0 - p0, t1 - p0))
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(1200)
                    state[name] ^= 1
                prof = cdp.send("Profiler.stop")["profile"]
                saved["changes"] = prof
                page.close()
                durations.sort()
                print(report(f"(b) {args.changes} control changes (sequence, precision; click -> afterplot median "
                             f"{durations[len(durations) // 2]:.0f} ms), main thread incl. the points-table update",
                             prof, args.top))
                print(report(f"(b) the same, only from each click to its afterplot ({sum(durations):,.0f} ms in all)",
                             prof, args.top, sum(durations), windows))
            finally:
                browser.close()
    finally:
        if proc is not None:
            with running(proc):
                pass
    if args.save:
        args.save.write_text(json.dumps(saved))
    print(f"\n({load_note()} at the end; {code_note()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
