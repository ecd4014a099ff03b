"""Shared helpers for the bench/ scripts: statistics, tables, app subprocesses, Chromium, and the
browser interactions (used both to capture callback payloads and to time redraws).

Not a test module and not imported by the app."""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BUNDLED = ROOT / "data"
# The app that is measured: this work tree, or a frozen copy of a commit (see bench/README.md,
# "Measuring a fixed commit"), so that edits made meanwhile do not mix into a run.
APP = Path(os.environ.get("BENCH_APP_DIR") or ROOT).resolve()
CHROMIUM = os.environ.get("FRONTIER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
BASE_QUERY = "?model=dsr1&seq=1k1k&precision=fp4&metric=tput&x=intvty"
SEED_COMPARE = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"
SEED_COMPARE_API = "/api/v1/compare/spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"
UPDATE = "/_dash-update-component"
NEXT_PATH = "/_frontier/next"  # components/ids.py NEXT_PATH: prefetched answers (assets/prefetch.js)


# ---- statistics and tables ----------------------------------------------------------------

def pct(values, p: float) -> float:
    """Percentile with linear interpolation (p in 0..100); nan for no values."""
    xs = sorted(values)
    if not xs:
        return math.nan
    k = (len(xs) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def med(values) -> float:
    return statistics.median(values) if values else math.nan


def fmt(value, unit: str = "", digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}{unit}"


def kb(n) -> str:
    return "-" if n is None else f"{n / 1024:,.1f} KB"


def table(headers: list[str], rows: list[list], title: str | None = None, left: int = 1) -> str:
    """A plain-text table; the first ``left`` columns are left-aligned, the rest right-aligned."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)
    out = []
    if title:
        out.append(f"\n{title}")
    out.append("  ".join(h.ljust(w) if i < left else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths))))
    out.append(line)
    for r in cells:
        out.append("  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(out)


def dataset_name(data_dir: Path) -> str:
    data_dir = Path(data_dir).resolve()
    return "bundled" if data_dir == BUNDLED.resolve() else data_dir.name


def cache_dir_for(data_dir: Path, tag: str = "warm") -> Path:
    return OUT / "cache" / f"{dataset_name(data_dir)}-{tag}"


APP_SOURCES = ["app.py", "frontier", "components", "callbacks", "assets"]


def code_state() -> dict:
    """Which app code is measured: the commit (read from .git, no git command, the index is never
    touched) and a hash of the app's source files as they are on disk now."""
    import hashlib

    commit = "?"
    try:
        if (APP / ".bench-commit").exists():  # a frozen copy says which commit it is
            commit = (APP / ".bench-commit").read_text().strip()
        else:
            git = ROOT / ".git"
            if git.is_file():  # a worktree: .git names its own folder, refs live in the common one
                git = (ROOT / git.read_text().split("gitdir:", 1)[1].strip()).resolve()
            common = (git / (git / "commondir").read_text().strip()).resolve() if (git / "commondir").exists() else git
            head = (git / "HEAD").read_text().strip()
            commit = head
            if head.startswith("ref: "):
                ref = head[5:]
                path = next((d / ref for d in (git, common) if (d / ref).exists()), None)
                if path is not None:
                    commit = path.read_text().strip()
                else:
                    packed = (common / "packed-refs").read_text().splitlines()
                    commit = next((ln.split()[0] for ln in packed if ln.endswith(" " + ref)), "?")
    except OSError:
        pass
    h = hashlib.blake2b(digest_size=6)
    for entry in APP_SOURCES:
        path = APP / entry
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(APP)).encode())
                h.update(f.read_bytes())
    return {"commit": commit[:9], "sources": h.hexdigest()}


def code_note(before: dict | None = None) -> str:
    now = code_state()
    where = "" if APP == ROOT else f" (frozen copy {APP.relative_to(ROOT) if APP.is_relative_to(ROOT) else APP})"
    text = f"app code: commit {now['commit']}{where}, sources {now['sources']}"
    if before and before != now:
        text += f"  !! CHANGED during the run (was commit {before['commit']}, sources {before['sources']})"
    return text


def get_capture(name: str, base_url: str | None, has_compare: bool | None = None) -> dict:
    """Captured payloads for this dataset and this code; captured again (needs ``base_url``) when
    missing or made by other code."""
    path = OUT / f"captured-{name}.json"
    code = code_state()
    if path.exists():
        captured = json.loads(path.read_text())
        if captured.get("code") == code or base_url is None:
            return captured
    if base_url is None:
        raise FileNotFoundError(path)
    if has_compare is None:
        has_compare = "qwen3.5" in models_in(base_url)
    print("  capturing callback payloads in Chromium ...", flush=True)
    captured = capture_payloads(base_url, has_compare)
    print("  capturing what Chromium fetches for a page (cold, reload, navigation) ...", flush=True)
    captured["resources"] = capture_resources(base_url, ["/" + BASE_QUERY] + ([SEED_COMPARE] if has_compare else []))
    captured["code"] = code
    path.write_text(json.dumps(captured))
    return captured


def vm_hwm(pid: int) -> int | None:
    """The kernel's peak resident set size of a live process (VmHWM), in bytes."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def load_note() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} CPUs"


# ---- processes ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return None


def wait_200(url: str, proc: subprocess.Popen | None, timeout: float, poll: float = 0.05) -> float:
    """Seconds until ``url`` answers 200 (raises on timeout or when the process died)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc is not None and proc.poll() is not None:
            raise ServerDied(proc.returncode, url)
        if http_status(url, timeout=max(1.0, poll * 20)) == 200:
            return time.perf_counter() - start
        time.sleep(poll)
    raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f}s")


def stop(proc: subprocess.Popen | None, grace: float = 10.0) -> None:
    """Stop a process we started (and its process group), politely first."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.wait(5)


def start_app(data_dir: Path, cache_dir: Path | str, port: int, log_path: Path | None = None) -> subprocess.Popen:
    """``python app.py --data-dir D --cache-dir C --port P`` (threaded werkzeug), in its own process group."""
    cmd = [sys.executable, "app.py", "--data-dir", str(data_dir), "--cache-dir", str(cache_dir), "--port", str(port)]
    if log_path:
        log_path.parent.mkdir(parents=True, exist_ok=True)  # bench/out/ is not in a fresh clone
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    return subprocess.Popen(cmd, cwd=APP, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def start_gunicorn(data_dir: Path, cache_dir: Path, port: int, workers: int = 2, threads: int = 4,
                   log_path: Path | None = None, extra_args: list[str] | None = None,
                   env: dict | None = None) -> subprocess.Popen:
    """``gunicorn --workers W --threads T --bind 127.0.0.1:PORT 'app:create_server()'`` (``env``:
    more environment variables, e.g. FRONTIER_DATABASE_URL), in its own process group."""
    env = dict(os.environ, FRONTIER_DATA_DIR=str(data_dir), FRONTIER_CACHE_DIR=str(cache_dir), **(env or {}))
    cmd = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads), "--bind",
           f"127.0.0.1:{port}", "--timeout", "600", *(extra_args or []), "app:create_server()"]
    if log_path:
        log_path.parent.mkdir(parents=True, exist_ok=True)  # bench/out/ is not in a fresh clone
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    return subprocess.Popen(cmd, cwd=APP, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


class ServerDied(RuntimeError):
    def __init__(self, returncode: int, url: str):
        super().__init__(f"server exited with code {returncode} before answering {url}")
        self.returncode = returncode


def launch_until_200(launch, url: str, timeout: float, retries: int = 2):
    """``launch()`` -> Popen; wait for 200 at ``url``. Returns (proc, seconds from launch to 200).

    This machine is shared: a server killed by a signal we did not send (returncode < 0) is
    reported and started again, at most ``retries`` times."""
    for attempt in range(retries + 1):
        started = time.perf_counter()
        proc = launch()
        try:
            wait_200(url, proc, timeout)
            return proc, time.perf_counter() - started
        except ServerDied as exc:
            stop(proc)
            if exc.returncode >= 0 or attempt == retries:
                raise
            print(f"  ! server killed by signal {-exc.returncode} (not by this script); starting it again", flush=True)
        except BaseException:
            stop(proc)
            raise
    raise AssertionError("unreachable")


@contextlib.contextmanager
def running(proc: subprocess.Popen):
    try:
        yield proc
    finally:
        stop(proc)


def fresh_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---- Chromium and the interactions ----------------------------------------------------------

def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM} (set FRONTIER_CHROMIUM); browsers are never downloaded")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


CHART_READY = ("() => { const g = document.querySelector('#main-chart .js-plotly-plot');"
               " return !!(g && g.data && g.data.length > 0); }")

# name -> (forward action, back action); an action is (kind, argument)
#   dropdown: click the control, then the option with this exact accessible name
#   label:    click the text inside the control (radio items, checklist)
INTERACTIONS = {
    "model": (("dropdown", ("#control-model", "Qwen 3.5 397B-A17B")), ("dropdown", ("#control-model", "DeepSeek R1 0528"))),
    "sequence": (("label", ("#control-sequence", "1k/8k")), ("label", ("#control-sequence", "1k/1k"))),
    "precision": (("label", ("#control-precision", "FP8")), ("label", ("#control-precision", "FP8"))),
    "metric": (("dropdown", ("#control-metric", "Cost per million all tokens (Hyperscaler) [$/M tokens]")),
               ("dropdown", ("#control-metric", "Throughput per GPU (input + output) [tok/s/GPU]"))),
    "x": (("dropdown", ("#control-x", "End-to-end latency (median) [s]")),
          ("dropdown", ("#control-x", "Interactivity (median) [tok/s/user]"))),
    # the "Only" links under the precision control (pattern-matching input of the resolver)
    "only": (("button", ("#only-precision-links", "FP8")), ("button", ("#only-precision-links", "FP4"))),
    # "Only" GPU links from a view of every GPU: subsets of the drawn series, drawn in the
    # browser with no request (assets/app.js viewChoice)
    "gpus": (("button", ("#only-gpu-links", "B200 (NVIDIA)")), ("button", ("#only-gpu-links", "MI355X (AMD)"))),
}
TOGGLE_LABELS = ["Log scale", "Point labels", "High contrast"]


def open_control(page, action) -> object:
    """Everything of an action but the final click; returns the locator to click."""
    control_type, (selector, name) = action
    if control_type == "dropdown":
        page.click(selector)
        option = page.get_by_role("option", name=name, exact=True)
        option.wait_for(state="visible", timeout=10000)
        return option
    if control_type == "button":
        return page.locator(selector).get_by_role("button", name=name, exact=True)
    return page.locator(selector).get_by_text(name, exact=True)


def label_of(body: dict) -> str:
    """Which callback a /_dash-update-component body belongs to. Since commit 2486010 the resolver
    (callbacks/state.py) also returns the chart data (chart-data.data, chart-empty.children) and
    the points table has its own callback (callbacks/chart.py:update_points_table)."""
    out = body.get("output", "")
    if "view-state.data" in out:
        return "resolver"
    if "points-table.rowData" in out or "points-data.data" in out:
        return "table"
    if "comparison-table.children" in out:
        return "compare"
    if "page-content.children" in out:
        return "routing"
    if "download-csv.data" in out:  # the Download CSV button (callbacks/chart.py:download_csv)
        return "csv"
    if "chart-data.data" in out:  # before 2486010: a chart callback of its own
        return "chart"
    return out.strip(".")[:40]


def models_in(base_url: str) -> list[str]:
    with urllib.request.urlopen(base_url + "/api/v1/comparisons", timeout=30) as r:
        comparisons = json.loads(r.read())
    return sorted({c["model"] for c in comparisons})


# What one control change sends: the resolver (state + chart data), then the points table.
INTERACTION_LABELS = {"resolver", "table"}
LEGEND_ITEM = "#chart-legend .legend-item"


def capture_payloads(base_url: str, has_compare: bool, timeout: float = 60.0) -> dict:
    """Drive headless Chromium through each main interaction (forward and back) and record the
    body and response size of every /_dash-update-component request it makes.

    Returns {"interactions": {name: [[{label, body, bytes, status}, ...] per direction]},
    "page_load": [...], "toggle_clicks": n, "toggle_requests": n, "toggles": {what: [clicks, requests]}}."""
    from playwright.sync_api import sync_playwright

    result: dict = {"base_url": base_url, "interactions": {}}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            # string predicates are evaluated with eval, which the app's CSP forbids
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, bypass_csp=True, accept_downloads=True)
            # the bodies Dash sends when no answer was prefetched (assets/prefetch.js): with
            # answers in, a change sends nothing to capture
            page.route("**" + NEXT_PATH + "*", lambda route: route.fulfill(
                status=200, content_type="application/json", body='{"answers": [], "next": null}'))
            log: list[dict] = []
            sent: dict = {}  # request -> time sent
            pending: set = set()
            activity = [time.monotonic()]

            def on_request(req):
                if UPDATE in req.url:
                    sent[req] = time.monotonic()
                    pending.add(req)
                    activity[0] = time.monotonic()

            def on_done(req):
                if req in pending:
                    pending.discard(req)
                    activity[0] = time.monotonic()

            def on_response(resp):
                if UPDATE in resp.url and resp.request.method == "POST":
                    try:
                        body = json.loads(resp.request.post_data or "{}")
                        size = len(resp.body())
                    except Exception:  # the page navigated away
                        return
                    log.append({"label": label_of(body), "body": body, "bytes": size, "status": resp.status,
                                "sent": sent.get(resp.request, 0.0), "received": time.monotonic()})

            page.on("request", on_request)
            page.on("requestfinished", on_done)
            page.on("requestfailed", on_done)
            page.on("response", on_response)

            def settle(min_labels: set[str], since: float = 0.0, quiet: float = 0.3, chained: bool = False):
                """Wait until every label in ``min_labels`` has answered for a request sent after
                ``since`` (with ``chained``: the table sent after the resolver's answer, as the
                table follows the resolver, directly or once the chart is drawn), then until no
                callback request has been pending for ``quiet`` seconds; drop older answers."""
                deadline = time.time() + timeout
                while time.time() < deadline:
                    fresh = [e for e in log if e["sent"] >= since]
                    labels = {e["label"] for e in fresh}
                    ok = min_labels <= labels
                    if ok and chained:
                        answered = [e["received"] for e in fresh if e["label"] == "resolver"]
                        ok = bool(answered) and any(e["label"] == "table" and e["sent"] >= min(answered) for e in fresh)
                    if ok and not pending and time.monotonic() - activity[0] >= quiet:
                        break
                    page.wait_for_timeout(50)
                page.wait_for_load_state("networkidle")
                log[:] = [e for e in log if e["sent"] >= since]
                for e in log:
                    e.pop("sent", None), e.pop("received", None)

            page.goto(base_url + "/" + BASE_QUERY)
            page.wait_for_function(CHART_READY, timeout=timeout * 1000)
            # A first load arrives prerendered (7521cc5) and, since 6d64511, makes no initial
            # callback call at all; whatever does go out is recorded.
            settle(set(), quiet=1.5)
            result["page_load"] = list(log)
            for name, actions in INTERACTIONS.items():
                if name == "model" and not has_compare:
                    continue
                steps = []
                for action in actions:
                    target = open_control(page, action)
                    log.clear()
                    clicked = time.monotonic()
                    target.click()
                    settle(INTERACTION_LABELS, since=clicked, quiet=0.5, chained=True)
                    steps.append(list(log))
                result["interactions"][name] = steps
            # Download CSV: the browser names the rows its table lists (assets/points_table.js
            # csvRequest), the server answers with the file (callbacks/chart.py:download_csv)
            page.wait_for_timeout(1200)  # past any deferred table fetch of the last change
            log.clear()
            clicked = time.monotonic()
            page.locator("#" + "download-csv-button").click()
            settle({"csv"}, since=clicked, quiet=0.5)
            result["csv_download"] = [e for e in log if e["label"] == "csv"]
            # view toggles and the legend: no request expected
            page.wait_for_timeout(1200)
            log.clear()
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url) if UPDATE in r.url else None)
            toggles: dict[str, list[int]] = {}

            def count(what: str, click, times: int = 2):
                before = len(requests)
                for _ in range(times):
                    click()
                    page.wait_for_timeout(250)
                page.wait_for_timeout(300)
                toggles[what] = [times, len(requests) - before]

            for text in TOGGLE_LABELS:
                count(text.lower(), lambda t=text: page.locator("#control-toggles").get_by_text(t, exact=True).click())
            count("theme", lambda: page.locator("#theme-switch").click(force=True))
            # legend items (assets/app.js): hide one series, hide another, show both again
            items = page.locator(LEGEND_ITEM)
            n_items = items.count()
            hidden_seen = []

            def legend_click(k):
                items.nth(k).click()
                page.wait_for_timeout(100)
                hidden_seen.append(page.locator(LEGEND_ITEM + ".off").count())

            if n_items >= 2:
                before = len(requests)
                for k in (0, 1, 0, 1):
                    legend_click(k)
                page.wait_for_timeout(500)
                toggles["legend item"] = [4, len(requests) - before]
                result["legend_hidden_after_clicks"] = hidden_seen  # expect [1, 2, 1, 0]
            result["legend_items"] = n_items
            result["toggles"] = toggles
            result["toggle_clicks"] = sum(v[0] for v in toggles.values())
            result["toggle_requests"] = sum(v[1] for v in toggles.values())
            if has_compare:
                log.clear()
                opened = time.monotonic()
                page.goto(base_url + SEED_COMPARE)  # a first load: prerendered page (since 6d64511 no initial calls)
                page.wait_for_function(CHART_READY, timeout=timeout * 1000)
                settle(set(), since=opened, quiet=1.5)
                result["compare_load"] = list(log)
        finally:
            browser.close()
    return result


# ---- what a browser fetches for a page --------------------------------------------------------

def capture_resources(base_url: str, paths: list[str], timeout: float = 60.0) -> dict:
    """Every request Chromium sends for a page: a cold load (new context, empty cache), then a
    reload (F5) and a second navigation to it in the same context, via CDP's Network domain
    (the headers as sent, conditional ones included, and what the cache answered itself).

    Returns {path: {"cold": [req...], "reload": [...], "navigate": [...]}}, each req
    {url, method, status, sent (bool: went to the server), headers (as sent), response_headers,
    bytes (encoded, on the wire), encoding}; data: URLs are left out."""
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            for path in paths:
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                reqs: dict = {}

                def entry(rid):
                    return reqs.setdefault(rid, {"sent": False, "cached": False})

                def will(e):
                    r = entry(e["requestId"])
                    r.update(url=e["request"]["url"], method=e["request"]["method"], order=len(reqs))

                def extra(e):  # only for requests that reach the network
                    r = entry(e["requestId"])
                    r["sent"] = True
                    r["headers"] = {k: v for k, v in e["headers"].items() if not k.startswith(":")}

                def response(e):
                    r = entry(e["requestId"])
                    headers = {k.lower(): v for k, v in e["response"]["headers"].items()}
                    r.update(status=e["response"]["status"], response_headers=headers,
                             encoding=headers.get("content-encoding"),
                             cached=r["cached"] or bool(e["response"].get("fromDiskCache")))

                def from_cache(e):
                    entry(e["requestId"])["cached"] = True

                def finished(e):
                    entry(e["requestId"])["bytes"] = e.get("encodedDataLength", 0)

                for event, handler in (("Network.requestWillBeSent", will), ("Network.requestWillBeSentExtraInfo", extra),
                                       ("Network.responseReceived", response), ("Network.requestServedFromCache", from_cache),
                                       ("Network.loadingFinished", finished)):
                    cdp.on(event, handler)

                def take():
                    page.wait_for_function(CHART_READY, timeout=timeout * 1000)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(1500)  # the favicon, idle-time work
                    # prefetched answers are not part of a page load (bench_load.py sends them apart)
                    done = [dict(r, url=r["url"].replace(base_url, "")) for r in sorted(reqs.values(), key=lambda r: r.get("order", 0))
                            if NEXT_PATH not in r.get("url", "")
                            if r.get("url", "").startswith(base_url)]
                    for r in done:
                        r["sent"] = r["sent"] and not r["cached"]
                    reqs.clear()
                    return done

                page.goto(base_url + path)
                loads = {"cold": take()}
                page.reload()
                loads["reload"] = take()
                page.goto(base_url + path)
                loads["navigate"] = take()
                out[path] = loads
                context.close()
        finally:
            browser.close()
    return out
