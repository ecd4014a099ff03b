"""Accuracy beside speed: GSM8K accuracy on the precision and spec-decode pages (and in their
JSON), read again with each load of the data, and what cannot be read said in the notice."""

from __future__ import annotations

import json

from components import ids
from frontier.evaluations import recipe_accuracy
from presenters.pageview import page_view
from tests.callbacks.conftest import text_of
from tests.conftest import make_app

B300_FP8 = "/compare-spec-decode/dsr1-b300-fp8-mtp-vs-off"


def test_a_spec_decode_page_says_both_sides_accuracy_and_whether_they_are_within_noise(client, index):
    note = text_of(page_view(index, B300_FP8, "?seq=1k1k").values("comparison")[(ids.COMPARISON_ACCURACY, "children")])
    data = client.get("/api/v1/compare/spec-decode/dsr1-b300-fp8-mtp-vs-off?seq=1k1k").get_json()["accuracy"]
    a, b = data["a"], data["b"]
    assert a["found"] and b["found"]
    overlap = a["envelope"]["lo"] <= b["envelope"]["hi"] and b["envelope"]["lo"] <= a["envelope"]["hi"]
    assert data["within_noise"] is overlap
    assert data["text"] in note and ("within noise of each other" in note) == overlap
    for side in (a, b):
        for found in side["found"]:  # each recipe's value and 95 % interval as evaluated
            table = recipe_accuracy(index.evaluations)
            want = table[(found["model"], found["gpu"], found["precision"], found["framework"], found["spec"])]
            assert (found["value"], found["lo"], found["hi"]) == (want.value, want.lo, want.hi)


def test_a_side_without_evaluation_is_said_so(client):
    data = client.get("/api/v1/compare/spec-decode/dsr1-h100-fp8-mtp-vs-off?seq=1k1k").get_json()["accuracy"]
    assert data["within_noise"] is None and data["text"] == "No GSM8K evaluation for MTP or Off."


def test_precision_pages_show_it_and_gpu_pages_do_not(client, index):
    precision = client.get("/api/v1/compare/precision/dsr1-b300-fp4-vs-fp8?seq=1k1k").get_json()
    assert precision["accuracy"]["a"]["label"] == "FP4"
    gpus = client.get("/api/v1/compare/gpu/dsr1-h200-vs-b200?seq=1k1k&precision=fp8").get_json()
    assert "accuracy" not in gpus
    values = page_view(index, "/compare/dsr1-h200-vs-b200", "?seq=1k1k&precision=fp8").values("comparison")
    assert values[(ids.COMPARISON_ACCURACY, "children")] is None


def test_evaluations_come_from_the_data_folder_and_unreadable_ones_are_noticed(data_copy):
    folder = data_copy / "evaluations"
    rows = json.loads((folder / "evaluations_gsm8k.json").read_text())
    b300 = [r for r in rows if (r["hardware"], r["model"], r["precision"], r["spec_method"]) == ("b300", "dsr1", "fp8", "mtp")]
    for r in b300:
        r["metrics"]["em_strict"] = 0.5  # an MTP recipe that lost half its answers
    (folder / "evaluations_gsm8k.json").write_text(json.dumps(rows))
    (folder / "broken.json").write_text("{not json")
    app = make_app(data_copy)
    client = app.server.test_client()
    data = client.get("/api/v1/compare/spec-decode/dsr1-b300-fp8-mtp-vs-off?seq=1k1k").get_json()["accuracy"]
    assert data["within_noise"] is False and "not within noise (Off scores higher)" in data["text"]
    problems = client.get("/api/v1/problems").get_json()
    assert any(p["file"] == "evaluations/broken.json" for p in problems["problems"])
    assert "broken.json" in client.get("/").get_data(as_text=True)  # the page's data notice names it
    assert len(app.server.config["FRONTIER_CONTEXT"].index.evaluations) == len(rows)
