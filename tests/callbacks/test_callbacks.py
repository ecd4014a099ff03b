"""Callback functions called directly, and the real Dash dispatch through Flask's test client
(POST /_dash-update-component, payload shapes captured from the browser)."""

from __future__ import annotations

import base64
import csv
import io
import json
import re

import numpy as np
import pytest

from callbacks.state import RESOLVER_OUTPUTS
from components import ids
from presenters import chart as chart_presenter
from presenters.chart import empty_state, export_name, point_details, summary_text
from presenters.compare import api_path, comparison_section
from presenters.pageview import page_view, view_of_state
from tests.callbacks.conftest import collect, find, text_of

SEED_PATH = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off"
SEED_CELLS = ["MTP: 4729.0", "Off: 1583.6", "MTP: 3193.8", "Off: 966.3", "MTP: 2157.6", "Off: 614.2",
              "MTP: $0.137", "Off: $0.414", "MTP: $0.205", "Off: $0.673", "MTP: $0.301", "Off: $1.055",
              "MTP: 2179271", "Off: 729785", "MTP: 1471810", "Off: 445283", "MTP: 994302", "Off: 283034",
              "MTP: ~64", "Off: ~37", "MTP: ~63", "Off: ~16", "MTP: ~16", "Off: ~8"]


def explorer_state(**over) -> dict:
    base = {"page": "explorer", "model": "dsr1", "seq": "1k1k", "precisions": ["fp8"], "metric": "tput", "x": "intvty",
            "gpus": [], "optimal": False, "log": False, "labels": False, "contrast": False, "date": None}
    base.update(over)
    return base


def seed_state(**over) -> dict:
    base = {"page": "spec-decode", "kind": "spec-decode", "slug": "qwen3.5-b300-fp4-mtp-vs-off", "model": "qwen3.5",
            "seq": "1k1k", "table_precision": "fp4", "precisions": ["fp4"], "metric": "tput", "x": "intvty",
            "targets": [], "optimal": False, "log": False, "labels": False, "contrast": False}
    base.update(over)
    return base


def state_from_dict(index, data: dict):
    """A view state as the page's store holds it, read the way the callbacks read it."""
    return view_of_state(index, data).state


def chart_view(index, data: dict):
    """(state, figure, points frame, series) of a view state as the page's store holds it."""
    view = chart_presenter.chart_view(index, state_from_dict(index, data))
    return view.state, view.figure, view.frame, view.series


def comparison_view(index, data: dict):
    return comparison_section(index, state_from_dict(index, data))


def details(index, data, click):
    return point_details(index, state_from_dict(index, data), click)


def render_page(index, pathname, search):
    view = page_view(index, pathname, search)
    return view.layout(), view.title


def is_known_page(index, pathname) -> bool:
    return page_view(index, pathname, "").status == 200


def decode(spec) -> np.ndarray:
    assert isinstance(spec, dict) and set(spec) == {"dtype", "bdata"}, f"not a typed array: {type(spec)}"
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]))


def points_in(figure) -> int:
    return sum(len(decode(t["x"])) for t in figure["data"] if t["meta"]["role"] == "points")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# ---- chart_view -------------------------------------------------------------------------------

def test_each_legend_entry_names_its_gpu_engine_spec_and_precision_for_the_group_switches(index):
    """The legend's group switches (assets/app.js facetGroups) hide the series that share a
    facet: each entry's facets must say what its name and its hide= key say."""
    for best, facet_names in (("0", ["gpu", "engine", "spec", "precision"]), ("1", ["gpu", "precision"])):
        view = page_view(index, "/", f"?model=dsr1&seq=1k1k&precision=fp4,fp8&gpus=b200,mi355x&best={best}")
        legend = view.values("chart")[(ids.CHART_DATA, "data")]["layout"]["meta"]["series"]
        assert len(legend) > 2
        for entry in legend:
            facets = {facet: (value, label) for facet, value, label in entry["facets"]}
            assert list(facets) == facet_names
            assert entry["key"] == "/".join(value for value, _label in facets.values())
            assert entry["name"].split(" · ") == [label for _value, label in facets.values()]
    seed = page_view(index, SEED_PATH, "?seq=1k1k").values("chart")[(ids.CHART_DATA, "data")]
    assert all(entry["facets"] == [] for entry in seed["layout"]["meta"]["series"])  # a comparison's two sides


def test_chart_view_explorer_figure_frame_and_series_agree(index):
    state, figure, frame, series = chart_view(index, explorer_state(precisions=["fp4", "fp8"], gpus=["b200", "gb200"]))
    assert figure is not None
    # one marker trace holds every point; each series (and its frontier curve) is in the layout's meta
    assert [t["meta"]["role"] for t in figure["data"]] == ["points"]
    legend = figure["layout"]["meta"]["series"]
    assert len(legend) == len(series)
    assert points_in(figure) == len(frame) == sum(len(s.points) for s in series)
    assert figure["data"][0]["meta"]["series"] == [n for n, s in enumerate(series) for _ in range(len(s.points))]
    assert set(frame["GPU"]) == {"B200", "GB200"} and set(frame["Precision"]) == {"fp4", "fp8"}
    names = [item["name"] for item in legend]
    assert all(re.fullmatch(r"(B200|GB200) · [\w-]+ · (MTP|Off) · FP[48]", n) for n in names), names
    points = figure["data"][0]
    x, y = decode(points["x"]), decode(points["y"])
    assert len(x) == len(y) == len(points["hovertext"]) and np.isfinite(x).all()
    assert [len(c) for c in points["meta"]["colours"]] == [len(x), len(x)]
    for item, s in zip(legend, series):
        cx, cy = decode(item["curve"]["x"]), decode(item["curve"]["y"])
        assert len(cx) == len(cy) == len(s.curve_x) and len(item["colours"]) == 2
    assert figure["layout"]["xaxis"]["title"]["text"] == "Interactivity (median) (tok/s/user)"
    assert figure["layout"]["yaxis"]["title"]["text"] == "Throughput per GPU (input + output) (tok/s/GPU)"
    # frontier curves run left to right
    for s in series:
        if len(s.curve_x):
            assert np.all(np.diff(s.curve_x) >= 0)


def test_chart_view_frontier_flags_match_the_series_frontiers(index):
    _state, _figure, frame, series = chart_view(index, explorer_state())
    assert (frame["On frontier"] == "yes").sum() == sum(len(s.frontier) for s in series)


def test_points_table_data_is_the_frame_on_screen_compactly(index):
    state = state_from_dict(index, explorer_state(precisions=["fp4", "fp8"]))
    view = chart_presenter.chart_view(index, state)
    frame, series = view.frame, view.series
    data, _summary = chart_presenter.table_section(index, state)
    names = [c["name"] for c in data["columns"]]
    assert names == list(frame.columns) and "Run" not in names  # readable headers; the CSV has the rest
    assert len(data["rows"]) == len(frame) > 100 and all(len(r) == len(names) for r in data["rows"])
    # each row names its series, and each series its hide= key: the browser leaves hidden ones out
    assert data["keys"] == [s.url_key for s in series]
    gpu, framework = names.index("GPU"), names.index("Framework")
    for row, n in zip(data["rows"], data["series"]):
        assert series[n].name.startswith(f"{row[gpu]} · {row[framework]} · ")
    assert sorted(data["series"]) == sorted(n for n, s in enumerate(series) for _ in range(len(s.points)))
    assert data["view"] == "/?model=dsr1&seq=1k1k&precision=fp4,fp8&metric=tput&x=intvty"
    by_name = {c["name"]: c for c in data["columns"]}
    assert by_name["Throughput (tok/s/GPU)"] == {"name": "Throughput (tok/s/GPU)", "numeric": True, "decimals": 2}
    assert by_name["Concurrency"]["decimals"] == 0 and by_name["J/token"]["decimals"] == 4
    assert by_name["GPU"] == {"name": "GPU", "numeric": False}
    tput = names.index("Throughput (tok/s/GPU)")
    assert [r[tput] for r in data["rows"]] == frame["Throughput (tok/s/GPU)"].tolist()
    # blanks are null (JSON), never NaN
    json.dumps(data, allow_nan=False)
    ttft = names.index("TTFT median (s)")
    assert all(v is None or v == v for v in (r[ttft] for r in data["rows"]))


def test_chart_view_optimal_only_draws_only_frontier_points(index):
    _state, figure, frame, series = chart_view(index, explorer_state(optimal=True))
    assert set(frame["On frontier"]) == {"yes"}
    assert points_in(figure) == len(frame) == sum(len(s.frontier) for s in series)
    _state, all_figure, all_frame, _ = chart_view(index, explorer_state())
    assert points_in(all_figure) == len(all_frame) > len(frame)
    # optimal on a comparison page too
    _state, figure, frame, _series = chart_view(index, seed_state(optimal=True))
    assert set(frame["On frontier"]) == {"yes"} and points_in(figure) == len(frame) < 27


def test_chart_view_for_an_empty_combination(index):
    # H100 has no FP4 points
    state, figure, frame, series = chart_view(index, explorer_state(precisions=["fp4"], gpus=["h100"]))
    assert figure is None and len(frame) == 0 and series == []
    alert = empty_state(index, state)
    # the true reason, and one click out that drops only what caused it (the GPU filter)
    assert "H100 has no FP4 measurement for DeepSeek R1 0528 1k/1k." in text_of(alert)
    assert collect(alert, "href") == ["/?model=dsr1&seq=1k1k&precision=fp4&metric=tput&x=intvty"]


def test_an_empty_view_at_a_precision_without_data_offers_the_default_one(index):
    from frontier.viewstate import ExplorerState

    alert = empty_state(index, ExplorerState(model="dsr1", seq="1k1k", precisions=("bf16",)))
    assert "No DeepSeek R1 0528 1k/1k measurement at BF16." in text_of(alert)
    assert collect(alert, "href") == ["/?model=dsr1&seq=1k1k&precision=fp8&metric=tput&x=intvty"]


@pytest.mark.parametrize("over, reason, href", [
    # the data's first run (2025-10-06) measured no 1k/1k
    ({"date": "2025-10-06"}, "No DeepSeek R1 0528 1k/1k measurement on or before 2025-10-06; the first is from 2025-11-02.",
     "/?model=dsr1&seq=1k1k&precision=fp8&metric=tput&x=intvty"),
])
def test_an_empty_view_says_the_true_reason(index, over, reason, href):
    state = state_from_dict(index, explorer_state(**over))
    alert = empty_state(index, state)
    assert reason in text_of(alert)
    assert collect(alert, "href") == [href]


def test_chart_view_comparison_page(index):
    state, figure, frame, series = chart_view(index, seed_state())
    assert [s.name for s in series] == ["MTP", "Off"]
    assert [s.side for s in series] == ["a", "b"]
    assert points_in(figure) == len(frame) == 27
    assert set(frame["Side"]) == {"MTP", "Off"}
    assert [shape["x0"] for shape in figure["layout"]["shapes"]] == [93, 124, 154]  # the table's targets
    assert export_name(state, "2026-06-30") == ("inference-frontier_spec-decode_qwen3.5-b300-fp4-mtp-vs-off_1k1k_fp4_tput-vs-intvty",
                                                "latest-2026-06-30")


def test_chart_view_comparison_page_with_two_chart_precisions(index):
    data = seed_state(slug="dsr1-b200-fp4-mtp-vs-off", model="dsr1", precisions=["fp4", "fp8"])
    _state, figure, _frame, series = chart_view(index, data)
    assert sorted(s.name for s in series) == ["MTP · FP4", "MTP · FP8", "Off · FP4", "Off · FP8"]
    assert points_in(figure) > 0


def test_summary_text_counts_points_and_frontier(index):
    view = chart_presenter.chart_view(index, state_from_dict(index, explorer_state(date="2026-01-05")))
    text = summary_text(index, view)
    assert text.startswith(f"{len(view.frame)} points in {len(view.series)} series")
    on_frontier = sum(len(s.frontier) for s in view.series)
    assert 0 < on_frontier < len(view.frame)
    assert f"; {on_frontier} on a frontier." in text
    assert "as of 2026-01-05" in text


def test_point_details_reads_the_clicked_point(index):
    data = explorer_state()
    _state, figure, _frame, series = chart_view(index, data)
    out = details(index, data, {"points": [{"curveNumber": 0, "pointNumber": 0}]})
    assert out is not None
    text = text_of(out)
    assert series[0].name in text and "concurrency" in text and "tok/s/GPU" in text
    # the point's own numbers: the first marker of the first trace
    x0 = float(decode(figure["data"][0]["x"])[0])
    assert f"{x0:.1f}" in text or f"{x0:.0f}" in text
    # only the marker trace (0) holds points; anything else (a later trace, a shape) has no details
    assert details(index, data, {"points": [{"curveNumber": 1, "pointNumber": 0}]}) is None
    assert details(index, data, None) is None and details(index, data, {"points": []}) is None


# ---- comparison_view --------------------------------------------------------------------------

def test_comparison_view_seed_table_narrative_pinned_and_api_link(index):
    table, paragraphs, pinned, link = comparison_view(index, seed_state())
    text = flat(text_of(table))
    for cell in SEED_CELLS:
        assert re.search(re.escape(cell).replace(r"\ ", r"\s*") + r"(?![\d.])", text.replace(":  ", ": ")), cell
    narrative = " ".join(text_of(p) for p in paragraphs)
    for pct in (202, 199, 229, 231, 250, 251):
        assert f"{pct}%" in narrative
    assert "63–184" in narrative and "63–184" in pinned
    assert "precision control changes the chart only" in pinned
    assert link == "/api/v1/compare/spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k"


def test_comparison_view_custom_targets_and_clamping(index):
    table, paragraphs, _pinned, link = comparison_view(index, seed_state(targets=[30, 150]))
    assert link.endswith("targets=30,150")
    text = text_of(table)
    assert "⚑" in text and "marks a value read at the edge" in text
    assert len(paragraphs) == 2


def test_comparison_view_without_data_at_that_sequence_is_a_message(index):
    # GB200 FP8 MTP-vs-Off has no 1k/1k data: an address cannot ask for it (the page falls back
    # to a sequence it has, test_resolver), but a state built by hand still gets a message
    from frontier.viewstate import CompareState

    state = CompareState(kind="spec-decode", slug="dsr1-gb200-fp8-mtp-vs-off", model="dsr1", seq="1k1k",
                         table_precision="fp8", precisions=("fp8",))
    assert view_of_state(index, {"page": "spec-decode", **state.to_dict()}).state.seq != "1k1k"
    table, paragraphs, pinned, link = comparison_section(index, state)
    assert "No comparison at 1k/1k" in text_of(table)
    assert paragraphs is None and pinned is None
    assert link.startswith("/api/v1/compare/spec-decode/dsr1-gb200-fp8-mtp-vs-off")


def test_api_path_for_gpu_pages_carries_the_precision():
    from frontier.viewstate import CompareState

    state = CompareState(kind="gpu", slug="dsr1-b200-vs-b300", model="dsr1", seq="8k1k", table_precision="fp4",
                         precisions=("fp4",), targets=(40.5,))
    assert api_path(state) == "/api/v1/compare/gpu/dsr1-b200-vs-b300?seq=8k1k&precision=fp4&targets=40.5"


# ---- render_page ------------------------------------------------------------------------------

def test_render_page_explorer_with_controls_from_the_url(index):
    page, title = render_page(index, "/", "?model=dsr1&seq=8k1k&precision=fp4&metric=jtok&log=1")
    assert title == "DeepSeek R1 0528 · Inference Performance · Inference Frontier"
    assert find(page, ids.MODEL).value == "dsr1"
    assert find(page, ids.SEQUENCE).value == "8k1k"
    assert find(page, ids.PRECISION).value == ["fp4"]
    assert find(page, ids.METRIC).value == "jtok"
    assert find(page, ids.TOGGLES).value == ["log"]
    # every dropdown's value is among its options (Dash 4 would reset it otherwise)
    for cid in (ids.MODEL, ids.METRIC, ids.DATE):
        control = find(page, cid)
        assert control.value in [o["value"] for o in control.options], cid
    assert find(page, ids.CHART) is not None and find(page, ids.POINTS_TABLE) is not None
    assert find(page, ids.URL_NOTICE).is_open is False


def test_render_page_explorer_shows_notices_for_bad_params(index):
    page, _title = render_page(index, "/", "?model=zzz&foo=1")
    notice = find(page, ids.URL_NOTICE)
    assert notice.is_open is True
    assert "zzz" in text_of(notice) and "foo" in text_of(notice)


def test_render_page_comparison(index):
    page, title = render_page(index, SEED_PATH, "?seq=1k1k&targets=100,150")
    assert title.startswith("B300 FP4: MTP vs Off")
    for cid in (ids.COMPARISON_TABLE, ids.COMPARISON_NARRATIVE, ids.COMPARISON_PINNED, ids.CHART, ids.TARGETS):
        assert find(page, cid) is not None, cid
    assert find(page, ids.TARGETS).value == "100, 150"
    assert find(page, ids.MODEL).value == "qwen3.5"


@pytest.mark.parametrize("path", ["/compare-spec-decode/nosuch-b300-fp4-mtp-vs-off", "/compare/dsr1-b200-b300",
                                  "/compare-spec-decode/dsr1-h100-fp4-mtp-vs-off"])
def test_render_page_unknown_is_a_not_found_page_with_links(index, path):
    page, title = render_page(index, path, "")
    assert "Not found" in title or "not found" in title
    text = text_of(page)
    assert "Comparison not found" in text and path in text
    hrefs = [h for h in collect(page, "href") if h.startswith("/compare")]
    assert len(hrefs) > 2
    assert not is_known_page(index, path)


def test_an_unknown_page_is_a_plain_not_found_page(index):
    page, title = render_page(index, "/somewhere", "")
    assert title == "Page not found · Inference Frontier"
    text = text_of(page)
    assert "Page not found" in text and "/somewhere" in text and "Comparison" not in text
    assert {"/", "/compare", "/methodology"} <= set(collect(page, "href"))
    assert not is_known_page(index, "/somewhere")


def test_methodology_is_a_page(index):
    page, title = render_page(index, "/methodology", "")
    assert title == "Methodology · Inference Frontier" and is_known_page(index, "/methodology")
    assert "1 / median time per output token" in text_of(page)


def test_render_page_compare_index_lists_every_comparison(index):
    page, title = render_page(index, "/compare", "")
    assert title == "Comparisons · Inference Frontier"
    hrefs = [h for h in collect(page, "href") if re.fullmatch(r"/compare[^?]*/[^?]+\?seq=\w+", h)]
    assert sorted(h.split("?")[0] for h in hrefs) == sorted(a.spec.path for a in index.comparisons)
    assert all(is_known_page(index, h.split("?")[0]) for h in hrefs)


# ---- Dash dispatch through Flask --------------------------------------------------------------

TABLE_OUTPUTS = [(ids.POINTS_DATA, "data"), (ids.POINTS_SUMMARY, "children")]
ROUTING_OUTPUTS = [(ids.PAGE, "children"), (ids.PAGE_TITLE, "children"), (ids.RENDERED, "data")]


def output_key(pairs) -> str:
    if len(pairs) == 1:
        return f"{pairs[0][0]}.{pairs[0][1]}"
    return "".join(f"..{i}.{p}.." for i, p in pairs).replace("....", "...")


def dispatch_payload(app, pairs, values: dict, changed: str) -> dict:
    """A POST body as Dash's renderer sends it, for the callback writing ``pairs``; its inputs
    and state are read from the app's own callback map, with ``values`` ({"id.prop": value})."""
    spec = app.callback_map[output_key(pairs)]

    def dep(d):
        if d["id"].startswith("{"):  # a pattern-matching input: the components it matches (none here)
            return values.get(f"{d['id']}.{d['property']}", [])
        item = {"id": d["id"], "property": d["property"]}
        name = f"{d['id']}.{d['property']}"
        if name in values:
            item["value"] = values[name]
        return item

    outputs = [{"id": i, "property": p} for i, p in pairs]
    return {"output": output_key(pairs), "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [dep(d) for d in spec["inputs"]], "state": [dep(d) for d in spec["state"]],
            "changedPropIds": [changed], "parsedChangedPropsIds": [changed]}


def table_payload(app, state: dict) -> dict:
    return dispatch_payload(app, TABLE_OUTPUTS, {f"{ids.CHART_DRAWN}.data": 1, f"{ids.VIEW_STATE}.data": state},
                            f"{ids.CHART_DRAWN}.data")


def chart_and_table(client, app, search: str, pathname: str = "/") -> tuple[dict, dict, int]:
    """What a page load gets: the resolver's response (state + chart), then the table's."""
    body, size = post(client, resolver_payload(app, search, f"{ids.PAGE_URL}.search", pathname=pathname))
    resolved = body["response"]
    table, _ = post(client, table_payload(app, resolved[ids.VIEW_STATE]["data"]))
    return resolved, table["response"], size


def resolver_payload(app, search: str, changed: str, pathname="/", toggles=(), **values) -> dict:
    v = {"model": "dsr1", "seq": "1k1k", "precisions": ["fp8"], "metric": "tput", "x": "intvty", "gpus": [],
         "optimal": [], "date": "", "targets": ""}
    v.update(values)
    named = {ids.MODEL: v["model"], ids.SEQUENCE: v["seq"], ids.PRECISION: v["precisions"], ids.METRIC: v["metric"],
             ids.X: v["x"], ids.GPUS: v["gpus"], ids.OPTIMAL: v["optimal"], ids.DATE: v["date"],
             ids.TARGETS: v["targets"]}
    given = {f"{i}.value": value for i, value in named.items()}
    given.update({f"{ids.PAGE_URL}.search": search, f"{ids.PAGE_URL}.pathname": pathname,
                  f"{ids.TOGGLES}.value": list(toggles), f"{ids.VIEW_STATE}.data": None})
    return dispatch_payload(app, RESOLVER_OUTPUTS, given, changed)


def post(client, payload) -> tuple[dict, int]:
    r = client.post("/_dash-update-component", json=payload)
    assert r.status_code in (200, 204), r.data[:500]
    return (r.get_json() if r.status_code == 200 else {}), len(r.data)


def test_dispatch_chart_callback_typed_arrays_and_payload_size(client, app, index):
    response, table, size = chart_and_table(client, app, "?model=dsr1&seq=1k1k&precision=fp8")
    response.update(table)
    figure = response[ids.CHART_DATA]["data"]
    assert figure["data"], "no traces"
    for trace in figure["data"]:
        for axis in ("x", "y"):  # base64 typed arrays, not JSON lists of floats
            values = decode(trace[axis])
            assert values.dtype.kind == "f" and len(values) > 0
    rows = response[ids.POINTS_DATA]["data"]["rows"]
    assert points_in(figure) == len(rows) > 100
    assert response[ids.CHART_EMPTY]["children"] is None
    assert re.match(rf"{len(rows)} points in \d+ series", response[ids.POINTS_SUMMARY]["children"])
    # payload sanity (about 2x what the default view of ~160 points needs today: ~110 KB, figure ~72 KB)
    assert size < 300_000, size
    assert len(json.dumps(figure)) < 150_000
    per_point = len(json.dumps(figure)) / len(rows)
    assert per_point < 1000, per_point


def test_dispatch_chart_callback_empty_combination(client, app):
    response, table, _ = chart_and_table(client, app, "?model=dsr1&seq=1k1k&precision=fp4&gpus=h100")
    response.update(table)
    figure = response[ids.CHART_DATA]["data"]
    assert figure["data"] == []
    assert "No data for this view" in json.dumps(figure["layout"]["annotations"])
    assert "No data for this view" in json.dumps(response[ids.CHART_EMPTY]["children"])
    assert response[ids.POINTS_DATA]["data"]["rows"] == []


def test_dispatch_chart_callback_comparison_page(client, app):
    response, table, _ = chart_and_table(client, app, "?seq=1k1k", pathname=SEED_PATH)
    response.update(table)
    assert points_in(response[ids.CHART_DATA]["data"]) == len(response[ids.POINTS_DATA]["data"]["rows"]) == 27


def test_dispatch_resolver_on_page_load_does_not_write_the_url(client, app):
    body, _ = post(client, resolver_payload(app, "?seq=8k1k&metric=jtok&log=1", f"{ids.PAGE_URL}.search"))
    response = body["response"]
    assert ids.PAGE_URL not in response  # no_update: no history entry for reading the URL
    assert response[ids.SEQUENCE]["value"] == "8k1k"
    assert response[ids.METRIC]["value"] == "jtok"
    assert response[ids.TOGGLES]["value"] == ["log"]
    assert response[ids.VIEW_STATE]["data"]["seq"] == "8k1k"
    assert response[ids.URL_NOTICE]["is_open"] is False


def test_dispatch_resolver_control_change_writes_the_canonical_url(client, app):
    body, _ = post(client, resolver_payload(app, "?seq=1k1k", f"{ids.METRIC}.value", metric="cost", toggles=["labels"]))
    response = body["response"]
    assert response[ids.PAGE_URL]["search"] == ("?model=dsr1&seq=1k1k&precision=fp8&metric=cost&x=intvty&labels=1")
    assert response[ids.VIEW_STATE]["data"]["metric"] == "cost"
    assert ids.TOGGLES not in response  # toggles are the browser's business on a control change


def test_dispatch_resolver_model_change_on_a_comparison_page_navigates(client, app, index):
    path = "/compare-spec-decode/dsr1-b300-fp4-mtp-vs-off"
    payload = resolver_payload(app, "?seq=1k1k", f"{ids.MODEL}.value", pathname=path, model="qwen3.5",
                               precisions=["fp4"])
    current = page_view(index, path, "?seq=1k1k").state_dict
    payload["state"] = [{**d, "value": current} if isinstance(d, dict) and d["id"] == ids.VIEW_STATE else d
                        for d in payload["state"]]
    body, _ = post(client, payload)
    response = body["response"]
    assert response[ids.PAGE_URL] == {"pathname": SEED_PATH, "search": "?seq=1k1k&precision=fp4"}
    assert ids.VIEW_STATE not in response


def test_dispatch_routing_renders_pages(client, app):
    def route(pathname, search=""):
        payload = dispatch_payload(app, ROUTING_OUTPUTS, {f"{ids.URL}.pathname": pathname, f"{ids.URL}.search": search,
                                                          f"{ids.RENDERED}.data": None}, f"{ids.URL}.pathname")
        body, _ = post(client, payload)
        return body["response"]

    r = route(SEED_PATH, "?seq=1k1k")
    assert r[ids.PAGE_TITLE]["children"].startswith("B300 FP4: MTP vs Off")
    assert f'"id": "{ids.COMPARISON_TABLE}"' in json.dumps(r[ids.PAGE]["children"])
    r = route("/compare-spec-decode/nosuch-b300-fp4-mtp-vs-off")
    assert "Comparison not found" in json.dumps(r[ids.PAGE]["children"])


@pytest.mark.parametrize("hide", [False, True], ids=["every-series", "one-hidden"])
def test_dispatch_csv_download_equals_the_api_csv(client, app, index, hide):
    """The download of every row the table lists is the API's CSV of the same address."""
    search = "?model=dsr1&seq=1k1k&precision=fp4,fp8&gpus=b200"
    table, _ = page_view(index, "/", search).values("table").values()
    hidden = [table["keys"][1]] if hide else []
    listed = [i for i, n in enumerate(table["series"]) if table["keys"][n] not in hidden]
    request = {"view": table["view"], "rows": listed, "hidden": hidden, "clicks": 1}
    payload = dispatch_payload(app, [(ids.CSV_DOWNLOAD, "data")], {f"{ids.CSV_REQUEST}.data": request},
                               f"{ids.CSV_REQUEST}.data")
    body, _ = post(client, payload)
    download = body["response"][ids.CSV_DOWNLOAD]["data"]
    hidden_part = "_1-hidden" if hide else ""
    assert download["filename"] == f"inference-frontier_dsr1_1k1k_fp4-fp8_tput-vs-intvty_gpus-b200{hidden_part}_latest-2026-06-11.csv"
    api = client.get("/api/v1/points.csv" + search + (f"&hide={hidden[0]}" if hide else ""))
    assert api.status_code == 200 and api.mimetype == "text/csv"
    assert download["content"] == api.get_data(as_text=True)
    assert f'filename="{download["filename"]}"' in api.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download["content"])))
    assert len(rows) == len(listed) > 0 and {r["gpu"] for r in rows} == {"b200"}
    assert (table["keys"][1] in {r["series_key"] for r in rows}) is not hide


# ---- the HTTP API -----------------------------------------------------------------------------

def test_points_csv_reports_ignored_parameters_in_a_header(client):
    r = client.get("/api/v1/points.csv?model=zzz&seq=1k1k")
    assert r.status_code == 200
    assert "zzz" in r.headers.get("X-Frontier-Notices", "")
    assert r.headers["Content-Disposition"].startswith("attachment;")


def test_compare_api_matches_comparison_view(client, index):
    payload = client.get("/api/v1/compare/spec-decode/qwen3.5-b300-fp4-mtp-vs-off?seq=1k1k").get_json()
    table, paragraphs, _pinned, _link = comparison_view(index, seed_state())
    page_text = flat(text_of(table))
    for row in payload["table"]:
        for cell in row["cells"]:
            for side, label in (("a", "MTP"), ("b", "Off")):
                assert re.search(rf"{label}:\s*{re.escape(cell[side]['text'])}(?![\d.])", page_text)
    assert payload["narrative"] == [text_of(p) for p in paragraphs]


def test_comparisons_health_and_problems_endpoints(client, index):
    r = client.get("/api/v1/comparisons")
    assert r.status_code == 200 and len(r.get_json()) == len(index.comparisons)
    assert client.get("/health").status_code == 200
    problems = client.get("/api/v1/problems").get_json()
    assert set(problems) >= {"count", "summary", "problems"}
    assert problems["count"] >= len(problems["problems"])


def test_first_load_status_codes(client):
    assert client.get("/").status_code == 200
    assert client.get("/compare").status_code == 200
    assert client.get(SEED_PATH + "?seq=1k1k").status_code == 200
    assert client.get("/compare-spec-decode/nosuch-b300-fp4-mtp-vs-off").status_code == 404
    assert client.get("/compare/dsr1-h100-vs-h100").status_code == 404
    assert client.get("/nowhere").status_code == 404


def inline_json_of(html: str, element_id: str):
    found = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else None


@pytest.mark.parametrize("referer", [None, "http://localhost/", "http://elsewhere.example/"])
def test_a_first_load_carries_its_own_page_rendered_whatever_the_referer(client, app, referer):
    """The HTML for an address holds that address's layout (state, chart data, points and
    comparison table) and the callback list, so nothing waits for another request, and no
    Referer (cut, stripped by a proxy, or another site's) changes what is shown."""
    headers = {"Referer": referer} if referer else {}
    html = client.get(f"{SEED_PATH}?seq=1k1k", headers=headers).get_data(as_text=True)
    layout = json.dumps(inline_json_of(html, ids.FIRST_LAYOUT))
    assert '"rendered-page"' in layout and f'"{SEED_PATH}?seq=1k1k"' in layout
    assert '"4729.0"' in layout and '"1583.6"' in layout  # the comparison table's first cells
    assert '"bdata"' in layout  # the chart's typed arrays
    assert inline_json_of(html, ids.FIRST_DEPENDENCIES) == json.loads(client.get("/_dash-dependencies").data)
    # the explorer's own page likewise, and a layout asked for by itself is the router's shell
    explorer = json.dumps(inline_json_of(client.get("/?model=dsr1&seq=8k1k", headers=headers).get_data(as_text=True),
                                         ids.FIRST_LAYOUT))
    assert '"8k1k"' in explorer and '"bdata"' in explorer
    plain = json.dumps(client.get("/_dash-layout", headers=headers).get_json())
    assert '"4729.0"' not in plain and '"bdata"' not in plain


def test_text_from_the_address_cannot_close_the_inline_layout(client):
    html = client.get("/?model=%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)
    inline = html.split(f'id="{ids.FIRST_LAYOUT}">', 1)[1].split("</script>", 1)[0]
    assert "<" not in inline and "alert(1)" in inline  # the notice quotes it, escaped
    assert "<script>alert(1)" not in html


def test_router_leaves_a_prerendered_page_alone(client, app):
    payload = dispatch_payload(app, ROUTING_OUTPUTS, {f"{ids.URL}.pathname": SEED_PATH, f"{ids.URL}.search": "?seq=1k1k",
                                                      f"{ids.RENDERED}.data": f"{SEED_PATH}?seq=1k1k"},
                               f"{ids.URL}.pathname")
    r = client.post("/_dash-update-component", json=payload)
    assert r.status_code == 204


def test_index_page_scripts_leave_out_the_polyfill_and_any_grid_library(client):
    html = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert any("react-dom@" in s for s in scripts) and any("dash_renderer" in s for s in scripts)
    assert any("plotly-basic" in s for s in scripts)  # vendored, served from assets/
    unwanted = ("polyfill", "ag_grid", "dash_table", "unpkg", "cdn")
    assert not [s for s in scripts if any(u in s for u in unwanted)], scripts
    # dash-bootstrap-components' bundle defines regeneratorRuntime, which Dash's lazy components need
    assert any("dash_bootstrap_components" in s for s in scripts)
    # the Graph and Dropdown code dcc would fetch after the layout is asked for with the rest
    preloads = re.findall(r'<link rel="preload" as="script" href="([^"]+)">', html)
    assert sorted(p.rsplit("/", 1)[1] for p in preloads) == ["async-dropdown.js", "async-graph.js"]
    for path in preloads:
        assert client.get(path).status_code == 200, path
