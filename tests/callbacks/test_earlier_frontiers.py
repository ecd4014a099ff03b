"""The explorer's ``dates=d1,d2``: the same series' frontiers as of earlier dates, over the view."""

from __future__ import annotations

from urllib.parse import parse_qs

import numpy as np
import pytest

from callbacks.state import resolve_change
from components import ids
from frontier.interpolate import sample_curve
from frontier.pareto import frontier_indices
from presenters import chart as chart_presenter
from presenters.pageview import page_view
from tests.callbacks.test_callbacks import decode

BASE = "?model=dsr1&seq=1k1k&precision=fp8&gpus=b200,mi355x"


def test_each_series_carries_its_frontier_as_of_each_date(index):
    view = page_view(index, "/", BASE + "&dates=2026-01-05,2026-03-01")
    assert view.state.dates == ("2026-01-05", "2026-03-01") and view.notices == []
    figure = chart_presenter.chart_view(index, view.state).figure
    meta = figure["layout"]["meta"]
    assert meta["dates"] == [{"date": "2026-01-05", "dash": "dash"}, {"date": "2026-03-01", "dash": "longdash"}]
    measured = index.dataset.points
    checked = 0
    for entry in meta["series"]:
        gpu, framework, spec, _precision = entry["key"].split("/")
        for overlay in entry["overlays"]:
            # independently: that series' points as measured on or before the date, latest of each
            pts = measured[(measured["model"] == "dsr1") & (measured["seq"] == "1k1k")
                           & (measured["precision"] == "fp8") & (measured["gpu"] == gpu)
                           & (measured["framework"] == framework) & (measured["spec"] == spec)
                           & (measured["date"].astype(str) <= overlay["date"])]
            pts = pts.sort_values("date").drop_duplicates("point_id", keep="last")
            x, y = pts["intvty"].to_numpy(float), pts["tput"].to_numpy(float)
            front = frontier_indices(x, y)
            cx, _cy = sample_curve(x[front][np.argsort(x[front])], y[front][np.argsort(x[front])])
            assert np.allclose(decode(overlay["curve"]["x"]), cx.astype("f4")), (entry["key"], overlay["date"])
            checked += 1
    assert checked >= 4
    # the view's own points and table are those of the latest data, whatever the dates
    latest = chart_presenter.chart_view(index, page_view(index, "/", BASE).state)
    assert len(chart_presenter.chart_view(index, view.state).frame) == len(latest.frame)


@pytest.mark.parametrize("value, named", [("2026-02-30", "2026-02-30"), ("yesterday", "yesterday"),
                                          ("1999-01-01", "1999-01-01")])
def test_bad_dates_are_noticed(index, value, named):
    view = page_view(index, "/", BASE + "&dates=" + value)
    assert view.state.dates == () and any(named in n for n in view.notices)


def test_the_dates_control_is_in_the_address_and_restored_from_it(index):
    view = page_view(index, "/", BASE)
    controls = {ids.MODEL: "dsr1", ids.SEQUENCE: "1k1k", ids.PRECISION: ["fp8"], ids.METRIC: "tput", ids.X: "intvty",
                ids.GPUS: ["b200", "mi355x"], ids.DATES: ["2026-03-01", "2026-01-05"]}
    written = resolve_change(index, "/", BASE, ids.DATES, controls, [], view.state_dict)
    search = written[(ids.PAGE_URL, "search")]
    assert parse_qs(search.lstrip("?"))["dates"] == ["2026-01-05,2026-03-01"]
    restored = page_view(index, "/", search).values("controls", "options")
    assert restored[(ids.DATES, "value")] == ["2026-01-05", "2026-03-01"]
    assert {o["value"] for o in restored[(ids.DATES, "options")]} >= {"2026-01-05", "2026-03-01"}
