"""Filters, best per GPU and custom prices (SPEC §9-§10) through the page view and the
resolver, on the real DeepSeek R1 rows, checked against independent readings of the data."""

from __future__ import annotations

from urllib.parse import parse_qs

import numpy as np
import pytest

from callbacks.state import resolve_change
from components import ids
from frontier.pareto import frontier_indices
from presenters import chart as chart_presenter
from presenters.pageview import page_view
from tests.callbacks.conftest import text_of

BASE = "?model=dsr1&seq=1k1k&precision=fp8"


def view_points(index, search: str, path: str = "/"):
    view = page_view(index, path, search)
    return view, chart_presenter.chart_view(index, view.state)


def latest(index, seq="1k1k", precision="fp8"):
    pts = index.dataset.latest
    return pts[(pts["model"].astype(str) == "dsr1") & (pts["seq"].astype(str) == seq)
               & (pts["precision"].astype(str) == precision)]


@pytest.mark.parametrize("query, column, keep", [
    ("vendor=amd", "vendor", lambda v: v == "AMD"),
    ("deployment=single-node", "deployment", lambda v: v == "Single-node"),
    ("deployment=disaggregated", "deployment", lambda v: v == "Disaggregated"),
    ("spec=mtp", "spec", lambda v: v == "mtp"),
    ("framework=sglang,trt", "framework", lambda v: v in ("sglang", "trt")),
    ("gpucount=8", "gpus", lambda v: v == 8),
    ("gpucount=9-32", "gpus", lambda v: 9 <= v <= 32),
])
def test_each_filter_narrows_the_explorer_to_exactly_the_matching_points(index, query, column, keep):
    view, chart = view_points(index, f"{BASE}&{query}")
    assert view.notices == []
    expected = latest(index)
    expected = expected[[keep(v) for v in expected[column]]]
    assert 0 < len(chart.frame) == len(expected) < len(latest(index))
    assert sum(len(s.points) for s in chart.series) == len(expected)
    # the address keeps the filter in canonical form
    assert query.split("=")[0] in parse_qs(view.canonical_search.lstrip("?"))


def test_filters_combine_with_and(index):
    _view, chart = view_points(index, f"{BASE}&vendor=nvidia&deployment=single-node&spec=off")
    expected = latest(index)
    expected = expected[(expected["vendor"] == "NVIDIA") & (expected["deployment"] == "Single-node")
                        & (expected["spec"] == "none")]
    assert len(chart.frame) == len(expected) > 0


def test_unknown_filter_values_are_noticed_and_ignored(index):
    view, chart = view_points(index, f"{BASE}&vendor=intel&deployment=cloud&gpucount=lots")
    joined = " ".join(view.notices)
    assert "intel" in joined and "cloud" in joined and "lots" in joined
    assert len(chart.frame) == len(latest(index))


def test_best_per_gpu_draws_one_series_per_gpu_with_the_pooled_frontier(index):
    _view, chart = view_points(index, f"{BASE}&best=1")
    pts = latest(index)
    gpus = sorted(pts["gpu"].astype(str).unique())
    assert sorted(s.gpu for s in chart.series) == gpus
    for s in chart.series:
        own = pts[pts["gpu"].astype(str) == s.gpu]
        front = frontier_indices(own["intvty"].to_numpy(float), own["tput"].to_numpy(float))
        assert sorted(own["tput"].to_numpy(float)[front]) == sorted(s.points["tput"].to_numpy(float)[s.frontier])
        assert len(s.points) == len(own)  # every configuration of the GPU pooled
    assert [s.name for s in chart.series] == [index.reference.gpu_label(s.gpu) for s in chart.series]


def test_doubling_a_gpus_price_doubles_exactly_its_costs_on_the_explorer(index):
    b200 = index.reference.gpus["b200"].price["hyperscaler"]
    _v, plain = view_points(index, f"{BASE}&metric=cost")
    view, custom = view_points(index, f"{BASE}&metric=cost&price=b200:{b200 * 2:g}")
    assert view.state.prices.custom and view.notices == []
    before = plain.frame.set_index(["GPU", "Framework", "Parallelism", "Concurrency", "Spec decoding"])
    after = custom.frame.set_index(["GPU", "Framework", "Parallelism", "Concurrency", "Spec decoding"])
    cost = "Cost, hyperscaler ($/M tok)"
    is_b200 = before.index.get_level_values("GPU") == "B200"
    assert is_b200.any() and (~is_b200).any()
    np.testing.assert_allclose(after[cost][is_b200], before[cost][is_b200] * 2, rtol=1e-3)
    np.testing.assert_array_equal(after[cost][~is_b200], before[cost][~is_b200])


def comparison_cells(view) -> dict:
    result = view.index.comparison(view.state)
    return {row["key"]: [(c["a"]["value"], c["b"]["value"]) for c in row["cells"]] for row in result.table()}


def test_a_custom_price_doubles_exactly_that_gpus_cost_cells_and_a_halved_kw_doubles_its_tokmw(index):
    path, q = "/compare/dsr1-h200-vs-b200", "?seq=1k1k&precision=fp8&targets=40,60"
    b200 = index.reference.gpus["b200"]
    plain = comparison_cells(page_view(index, path, q))
    priced = comparison_cells(page_view(index, path, q + f"&price=b200:{b200.price['hyperscaler'] * 2:g}"))
    powered = comparison_cells(page_view(index, path, q + f"&kw=b200:{b200.kw_per_gpu / 2:g}"))
    for (h, b), (h2, b2) in zip(plain["cost"], priced["cost"]):
        assert h2 == h and b2 == pytest.approx(2 * b, rel=1e-12)  # H200 (side a) untouched
    for (h, b), (h2, b2) in zip(plain["tokmw"], powered["tokmw"]):
        assert h2 == h and b2 == pytest.approx(2 * b, rel=1e-12)
    assert priced["throughput"] == plain["throughput"]


def test_a_comparison_page_names_custom_prices_and_the_api_serves_them(client, index):
    r = client.get("/api/v1/compare/gpu/dsr1-h200-vs-b200?seq=1k1k&precision=fp8&provider=rental&price=b200:4")
    body = r.get_json()
    b200 = next(p for p in body["prices"] if p["gpu"] == "b200")
    assert (b200["provider"], b200["price"], b200["price_custom"]) == ("rental", 4.0, True)
    assert body["page"].endswith("&provider=rental&price=b200:4")


def test_filters_narrow_both_sides_of_a_comparison_and_its_own_dimension_is_ignored(index):
    view = page_view(index, "/compare/dsr1-h200-vs-b200", "?seq=1k1k&precision=fp8&framework=sglang")
    result = index.comparison(view.state)
    for side in (result.a, result.b):
        assert set(side.points["framework"].astype(str)) == {"sglang"}
    spec_page = page_view(index, "/compare-spec-decode/dsr1-b200-fp4-mtp-vs-off", "?seq=1k1k&spec=mtp")
    assert any("spec" in n for n in spec_page.notices) and not spec_page.state.filters.spec


@pytest.mark.parametrize("query, named", [("price=b300:-1", "b300"), ("price=b300:abc", "abc"), ("kw=zz9:3", "zz9"),
                                          ("price=b300:1e400", "b300"), ("provider=cheap", "cheap")])
def test_invalid_prices_are_noticed_and_ignored(index, query, named):
    view = page_view(index, "/compare/dsr1-h200-vs-b200", f"?seq=1k1k&precision=fp8&{query}")
    assert any(named in n for n in view.notices), view.notices
    assert not view.state.prices.custom and view.state.prices.provider == "hyperscaler"


# ---- the controls write the address ---------------------------------------------------------

def written_search(index, trigger, controls, search=BASE + "&metric=tput&x=intvty", boxes=None, path="/"):
    base = {ids.MODEL: "dsr1", ids.SEQUENCE: "1k1k", ids.PRECISION: ["fp8"], ids.METRIC: "tput", ids.X: "intvty"}
    current = page_view(index, path, search).state_dict
    out = resolve_change(index, path, search, trigger, {**base, **controls}, [], current, boxes)
    return {k: v[0] for k, v in parse_qs(out.get((ids.PAGE_URL, "search"), "").lstrip("?")).items()}, out


def test_filter_pills_best_and_price_boxes_write_the_address(index):
    q, _ = written_search(index, ids.FILTERS["vendor"], {ids.FILTERS["vendor"]: ["amd"]})
    assert q["vendor"] == "amd"
    q, _ = written_search(index, ids.FILTERS["gpucount"], {ids.FILTERS["gpucount"]: ["8", "16"]})
    assert q["gpucount"] == "8,16"
    q, _ = written_search(index, ids.BEST, {ids.BEST: ["best"]})
    assert q["best"] == "1"
    boxes = {"price": [({"type": ids.PRICE_INPUT, "gpu": "b300"}, 3.1), ({"type": ids.PRICE_INPUT, "gpu": "b200"}, None)],
             "kw": [({"type": ids.KW_INPUT, "gpu": "b300"}, 2.4)], "reset": False}
    q, out = written_search(index, {"type": ids.PRICE_INPUT, "gpu": "b300"}, {}, boxes=boxes)
    assert (q["price"], q["kw"]) == ("b300:3.1", "b300:2.4")
    assert out[(ids.PRICES_BADGE, "children")] == "custom prices in force"
    # another control keeps the prices and a range the pills cannot spell
    q, _ = written_search(index, ids.METRIC, {ids.METRIC: "cost"}, search=BASE + "&price=b300:3.1&gpucount=8-32")
    assert (q["price"], q["gpucount"], q["metric"]) == ("b300:3.1", "8-32", "cost")
    q, _ = written_search(index, ids.PRICES_RESET, {}, search=BASE + "&price=b300:3.1",
                          boxes={"price": [({"type": ids.PRICE_INPUT, "gpu": "b300"}, 3.1)], "kw": [], "reset": True})
    assert "price" not in q


def test_the_provider_radio_on_a_comparison_page_writes_the_address(index):
    path = "/compare/dsr1-h200-vs-b200"
    q, out = written_search(index, ids.PROVIDER, {ids.PROVIDER: "rental", ids.MODEL: "dsr1"},
                            search="?seq=1k1k&precision=fp8", path=path)
    assert q["provider"] == "rental"


# ---- the per-dollar comparison (one kind in the registry) ------------------------------------

def test_the_per_dollar_page_reads_tokens_per_dollar_and_follows_custom_prices(client, index):
    path, q = "/compare-per-dollar/dsr1-h200-vs-b200", "?seq=1k1k&precision=fp8&targets=40,60"
    plain = comparison_cells(page_view(index, path, q))
    b200 = index.reference.gpus["b200"].price["hyperscaler"]
    cheaper = comparison_cells(page_view(index, path, q + f"&price=b200:{b200 / 2:g}"))
    assert list(plain)[0] == "tokens_per_dollar"
    for (h, b), (h2, b2) in zip(plain["tokens_per_dollar"], cheaper["tokens_per_dollar"]):
        assert h2 == h and b2 == pytest.approx(2 * b, rel=1e-12)  # half the price: twice the tokens per $
    # tokens per $ of a point is throughput x 3600 / price: check one knot against the raw rows
    result = index.comparison(page_view(index, path, q).state)
    knot = result.b.frontier.iloc[0]
    assert knot["tpd_total_hyperscaler"] == pytest.approx(knot["tput"] * 3600 / b200, rel=1e-12)
    body = client.get("/api/v1/compare/per-dollar/dsr1-h200-vs-b200" + q).get_json()
    assert body["table"][0]["label"] == "Tokens per dollar"
    assert "more tokens per dollar than" in body["narrative"][0]
    assert client.get(path + q).status_code == 200
    assert client.get("/compare-per-dollar/dsr1-b200-vs-h200" + q).status_code == 308
    listed = text_of(page_view(index, "/compare", "").layout())
    assert "GPU vs GPU per dollar" in listed and "H200 vs B200, tokens per dollar" in listed


def test_the_landing_page_shows_one_series_per_gpu_and_says_how_to_see_every_configuration(index):
    landing = page_view(index, "/", "")
    assert landing.state.best and "best=1" in landing.canonical_search
    chart = chart_presenter.chart_view(index, landing.state)
    assert len(chart.series) == len({s.gpu for s in chart.series})  # a newcomer reads ~9 lines, not ~37
    assert "switch off “Best per GPU”" in chart_presenter.summary_text(index, chart)
    explicit = page_view(index, "/", "?model=dsr1&seq=1k1k&precision=fp8")
    assert not explicit.state.best  # an address with a query shows what it asks for
    assert len(chart_presenter.chart_view(index, explicit.state).series) > len(chart.series)


def test_the_filters_panel_opens_and_counts_the_filters_that_are_on(index):
    from components import ids
    from presenters.pageview import page_view

    plain = page_view(index, "/", "?model=dsr1&seq=1k1k&precision=fp8").values("controls")
    assert plain[(ids.FILTERS_BADGE, "children")] == "" and (ids.FILTERS_PANEL, "open") not in plain
    two = page_view(index, "/", "?model=dsr1&seq=1k1k&precision=fp8&vendor=amd&gpucount=8-16").values("controls")
    assert two[(ids.FILTERS_BADGE, "children")] == "2 on" and two[(ids.FILTERS_PANEL, "open")] is True
    # a comparison page ignores its own dimension's filter (with a notice): it is not counted
    spec_page = page_view(index, "/compare-spec-decode/dsr1-b200-fp8-mtp-vs-off", "?seq=1k1k&spec=mtp&framework=sglang")
    assert spec_page.values("controls")[(ids.FILTERS_BADGE, "children")] == "1 on"
    # the calculator's and the history's own panels
    for page_ids, path in ((ids.CALCULATOR, "/calculator"), (ids.HISTORY, "/history")):
        values = page_view(index, path, "?model=dsr1&seq=1k1k&precision=fp8&framework=sglang").values()
        assert values[(page_ids.filters_badge, "children")] == "1 on" and values[(page_ids.filters_panel, "open")] is True
        values = page_view(index, path, "?model=dsr1&seq=1k1k&precision=fp8").values()
        assert values[(page_ids.filters_badge, "children")] == "" and (page_ids.filters_panel, "open") not in values


def test_the_per_dollar_page_charts_tokens_per_dollar_of_its_provider_unless_asked_otherwise(index):
    page = "/compare-per-dollar/dsr1-h200-vs-b200"
    cases = [("?seq=1k1k&precision=fp8", "tokens_per_dollar", "?seq=1k1k&precision=fp8"),
             ("?seq=1k1k&precision=fp8&provider=neocloud", "tokens_per_dollar_total_neocloud",
              "?seq=1k1k&precision=fp8&provider=neocloud"),
             ("?seq=1k1k&precision=fp8&metric=tokens_per_dollar", "tokens_per_dollar", "?seq=1k1k&precision=fp8"),
             ("?seq=1k1k&precision=fp8&metric=tput", "tput", "?seq=1k1k&precision=fp8&metric=tput")]
    for search, metric, canonical in cases:
        view = page_view(index, page, search)
        assert (view.state.metric, view.values("address")[(ids.PAGE_URL, "search")]) == (metric, canonical), search
        assert view.notices == []
    chart = page_view(index, page, "?seq=1k1k&precision=fp8").values("chart")[(ids.CHART_DATA, "data")]
    assert chart["layout"]["yaxis"]["title"]["text"].startswith("Tokens per dollar")
    # the other GPU page keeps throughput
    assert page_view(index, "/compare/dsr1-h200-vs-b200", "?seq=1k1k&precision=fp8").state.metric == "tput"
