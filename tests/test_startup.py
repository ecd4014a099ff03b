"""`python app.py` (the README's run command) serves the dashboard on the bundled data."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 60.0) -> int:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


def run_app(args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.Popen([sys.executable, "app.py", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_python_app_py_serves_200_and_prints_the_url(tmp_path):
    port = free_port()
    proc = run_app(["--port", str(port), "--cache-dir", str(tmp_path / "cache")])
    try:
        assert wait_for(f"http://127.0.0.1:{port}/") == 200
        assert wait_for(f"http://127.0.0.1:{port}/health") == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in out
    assert "Debug mode: off" in out


def test_data_dir_from_the_environment_and_a_broken_file_do_not_stop_start_up(tmp_path):
    data = tmp_path / "results"
    data.mkdir()
    (data / "broken.json").write_text("{not json")
    good = (ROOT / "data" / "benchmarks" / "qwen35-b300-fp4-1k1k" / "agg_bmk.json").read_text()
    (data / "seed.json").write_text(good)
    port = free_port()
    proc = run_app(["--port", str(port)], {"FRONTIER_DATA_DIR": str(data), "FRONTIER_CACHE_DIR": str(tmp_path / "c")})
    try:
        assert wait_for(f"http://127.0.0.1:{port}/") == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/problems", timeout=10) as r:
            body = r.read().decode()
        assert "broken.json" in body and "malformed JSON" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/comparisons", timeout=10) as r:
            assert "qwen3.5-b300-fp4-mtp-vs-off" in r.read().decode()
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def test_gunicorn_starts_from_the_app_factory(tmp_path):
    """The README's deployment command: gunicorn builds the app through create_server()."""
    port = free_port()
    env = {**os.environ, "FRONTIER_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                             "app:create_server()"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/") == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/comparisons", timeout=10) as r:
            assert "qwen3.5-b300-fp4-mtp-vs-off" in r.read().decode()
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def _script_paths() -> list[str]:
    """The scripts a page loads, read from an app built in this process (same files, same URLs)."""
    import re

    from tests.conftest import make_app

    html = make_app().server.test_client().get("/").get_data(as_text=True)
    return re.findall(r'<script src="([^"]+)"', html) + re.findall(r'rel="preload" as="script" href="([^"]+)"', html)


def test_a_fresh_gunicorn_worker_serves_parallel_first_requests_without_errors(tmp_path):
    """The first requests a fresh worker sees are the browser's parallel script fetches: Dash's
    setup must be complete before any of them is served (it used to answer some with 500)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    scripts = _script_paths()
    assert len(scripts) > 8
    for attempt in range(3):
        port = free_port()
        env = {**os.environ, "FRONTIER_CACHE_DIR": str(tmp_path / "cache")}
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "8", "--bind",
                                 f"127.0.0.1:{port}", "app:create_server()"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.time() + 60
            while time.time() < deadline:  # wait for the port to accept, without an HTTP request
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)

            ready = threading.Barrier(len(scripts))

            def fetch(path):
                ready.wait()  # every request leaves at once, as a browser's parallel fetches do
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
                        return r.status, r.headers.get("Server")
                except urllib.error.HTTPError as e:
                    return e.code, e.headers.get("Server")

            with ThreadPoolExecutor(len(scripts)) as pool:
                answers = list(pool.map(fetch, scripts))
            assert [s for s, _ in answers] == [200] * len(scripts), list(zip(scripts, answers))
            assert {server for _, server in answers} == {"gunicorn"}  # no version banner
        finally:
            proc.terminate()
            proc.communicate(timeout=20)


def test_the_development_server_names_no_versions(tmp_path):
    port = free_port()
    proc = run_app(["--port", str(port), "--cache-dir", str(tmp_path / "cache")])
    try:
        assert wait_for(f"http://127.0.0.1:{port}/") == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            server = r.headers.get("Server")
        assert server == "Inference-Frontier", server
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def test_the_app_is_set_up_before_its_first_request():
    """Dash's first-request setup (script paths, callback map) is done in the factory, so no
    request can find it half done."""
    from tests.conftest import make_app

    app = make_app()
    assert app._got_first_request["setup_server"] is True
    assert {"dash", "dash_bootstrap_components"} <= set(app.registered_paths)
