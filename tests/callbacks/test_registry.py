"""The registry of comparison kinds (frontier/kinds.py) is the only place that knows kinds:
a new kind is one class, and every page, route and API answers for it with no other edit."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from frontier.kinds import KINDS, PrecisionPair
from tests.callbacks.conftest import text_of
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parents[2]


class FrameworkFreePrecision(PrecisionPair):
    """A made-up kind for this test: two precisions on one GPU, under its own path and slug."""

    key = "quant"
    prefix = "/compare-quant/"
    index_title = "Quantisation (test kind)"

    def slug(self, spec):
        return f"{spec.model}-{spec.gpu_a}-{spec.precision_a}-or-{spec.precision_b}"

    def parse(self, slug, known):
        spec = super().parse(slug.replace("-or-", "-vs-"), known)
        return replace(spec, kind=self.key) if spec else None

    def discover(self, cells):
        return [replace(a, spec=replace(a.spec, kind=self.key)) for a in super().discover(cells)]


@pytest.fixture
def app_with_test_kind():
    KINDS["quant"] = FrameworkFreePrecision()
    try:
        yield make_app()
    finally:
        del KINDS["quant"]


def test_a_new_kind_is_one_class(app_with_test_kind):
    client = app_with_test_kind.server.test_client()
    index = app_with_test_kind.server.config["FRONTIER_CONTEXT"].index
    mine = index.comparisons_for("dsr1", "quant")
    assert mine, "the new kind found its comparisons in the data"
    path = mine[0].spec.path
    assert re.fullmatch(r"/compare-quant/dsr1-[a-z0-9]+-fp4-or-fp8", path)
    assert client.get(path + "?seq=1k1k").status_code == 200
    # its page arrives rendered with the table
    html = client.get(path + "?seq=1k1k").get_data(as_text=True)
    assert 'id=\\"comparison-table\\"' in html or '"comparison-table"' in html
    assert "Throughput" in html and "FP4: " in html
    # the same numbers as JSON, and in the index of comparisons
    api = client.get(f"/api/v1/compare/quant/{mine[0].spec.slug}?seq=1k1k")
    assert api.status_code == 200 and api.get_json()["sides"]["a"]["label"] == "FP4"
    from presenters.pageview import page_view

    assert "Quantisation (test kind)" in text_of(page_view(index, "/compare", "").layout())
    # the other spelling (sides swapped) moves permanently to the canonical address
    swapped = path.replace("fp4-or-fp8", "fp8-or-fp4")
    moved = client.get(swapped + "?seq=1k1k")
    assert moved.status_code == 308 and moved.headers["Location"] == path + "?seq=1k1k"


def test_no_module_but_the_registry_branches_on_the_kind():
    found = subprocess.run(["grep", "-rn", "--include=*.py", "kind ==", "app.py", "frontier", "components", "callbacks",
                            "presenters"], cwd=ROOT, capture_output=True, text=True).stdout.splitlines()
    assert [line for line in found if not line.startswith("frontier/kinds.py")] == []


def test_importing_the_app_module_loads_no_data():
    # loading or building a dataset raises here: importing app must do neither
    code = ("import frontier.dataset as d\n"
            "def boom(*a, **k): raise SystemExit('data loaded at import')\n"
            "d.load_dataset = d.build_dataset = boom\n"
            "import app\n"
            "assert callable(app.create_app) and callable(app.create_server) and not hasattr(app, 'server')\n"
            "print('ok')")
    out = subprocess.run(["python", "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
