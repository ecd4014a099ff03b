"""What lets the browser draw a subset of the GPUs itself (assets/app.js narrowView) and still
show what the server would: a view of fewer GPUs is the larger view with series left out.
Each test builds both views on the server and compares what the browser is given."""

from __future__ import annotations

import pytest

from components import ids
from presenters import chart as chart_presenter
from presenters.pageview import page_view

BASE = "?model=dsr1&seq=1k1k&metric=tput&x=intvty"
VIEWS = [BASE + "&precision=fp8", BASE + "&precision=fp4,fp8", BASE + "&precision=fp8&best=1",
         BASE + "&precision=fp8&optimal=1&dates=2026-01-15"]


def view(index, search):
    return chart_presenter.chart_view(index, page_view(index, "/", search).state)


def legend(v) -> dict:
    return {s["key"]: s for s in v.figure["layout"]["meta"]["series"]}


@pytest.mark.parametrize("search", VIEWS)
@pytest.mark.parametrize("subset", [["mi355x"], ["h200"], ["b200", "mi355x"]])
def test_a_subset_of_the_gpus_is_the_larger_view_with_series_left_out(index, search, subset):
    everything, fewer = view(index, search), view(index, search + "&gpus=" + ",".join(subset))
    assert fewer.series and len(fewer.series) < len(everything.series)
    whole, part = legend(everything), legend(fewer)
    # each series keeps its colours (normal and high contrast), marker, line, curve and counts
    assert set(part) <= set(whole)
    for key, entry in part.items():
        assert entry == whole[key], key
    assert list(part) == [k for k in whole if k in part]  # in the same order
    # the table: the larger view's rows of those series, in their order
    big, small = everything.table(), fewer.table()
    kept = {n for n, key in enumerate(big["keys"]) if key in part}
    assert small["rows"] == [row for row, n in zip(big["rows"], big["series"]) if n in kept]
    assert small["summary"] == big["summary"]  # the counts are filled in from the rows


def test_the_summary_is_its_template_with_the_views_counts(index):
    v = view(index, VIEWS[0] + "&gpus=b200")
    text = chart_presenter.summary_text(index, v)
    on_frontier = sum(1 for row in v.table()["rows"] if row[-1] == "yes")
    assert text == chart_presenter.fill_summary(v.table()["summary"], {
        "points": len(v.table()["rows"]), "series": len(v.table()["keys"]), "frontier": on_frontier})
    assert text.startswith(f"{len(v.frame)} points in {len(v.series)} series")
    assert "{" not in text


def test_filling_the_summary_leaves_data_text_alone():
    # a model label with braces of its own is not a count
    assert chart_presenter.fill_summary("{points} of {model} {series}", {"points": 2, "series": 1}) == "2 of {model} 1"


def test_the_prices_panel_lists_every_gpu_of_the_model_whichever_are_shown(index):
    def rows(search):
        return page_view(index, "/", search).values("prices")[(ids.PRICE_ROWS, "children")]
    assert str(rows(VIEWS[0])) == str(rows(VIEWS[0] + "&gpus=mi355x"))


def test_an_export_name_is_rebuilt_from_its_parts(index):
    for search in (VIEWS[0] + "&gpus=b200,mi355x", VIEWS[3] + "&gpus=h200"):
        v = view(index, search)
        about = v.figure["layout"]["meta"]["export"]
        gpus = v.state.gpus
        # what assets/app.js narrowExport writes for the view's own GPUs
        assert about["stem"] + "_gpus-" + "-".join(about["gpu_files"][g] for g in gpus) + about["tail"] == about["name"]
    assert view(index, VIEWS[3] + "&gpus=h200").figure["layout"]["meta"]["export"]["tail"] == "_optimal"


FILTERED = [(VIEWS[0], "framework", ["sglang"]), (VIEWS[0], "framework", ["dynamo-trt", "trt"]),
            (VIEWS[1], "spec", ["mtp"]), (VIEWS[2], "vendor", ["amd"]), (VIEWS[3], "vendor", ["nvidia"])]


@pytest.mark.parametrize("search, key, chosen", FILTERED)
def test_a_filter_on_what_series_share_keeps_exactly_the_series_that_say_so(index, search, key, chosen):
    everything, filtered = view(index, search), view(index, search + f"&{key}=" + ",".join(chosen))
    whole, part = legend(everything), legend(filtered)
    # the series each legend entry says has a chosen value are the ones the server keeps
    assert list(part) == [k for k, entry in whole.items() if entry["filters"].get(key) in chosen]
    assert part and all(entry == whole[k] for k, entry in part.items())


def test_pooled_series_do_not_claim_an_engine_or_a_spec_decoding_mode(index):
    pooled = legend(view(index, VIEWS[2]))
    assert pooled and all(set(entry["filters"]) == {"vendor"} for entry in pooled.values())
    assert all(set(entry["filters"]) == {"vendor", "framework", "spec"} for entry in legend(view(index, VIEWS[0])).values())
