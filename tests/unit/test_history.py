"""History (SPEC §12) on the bundled DeepSeek R1 history, against independent readings."""

from __future__ import annotations

import shutil
import time

import numpy as np
import pandas as pd
import pytest

from frontier.compare import read_side, side_frontier
from frontier.dataset import build_dataset, latest_per_point
from frontier.filters import Filters
from frontier.history import (as_of_positions, history, history_rows, parse_dates, points_as_of_dates)
from frontier.prices import PriceOverrides
from frontier.urlstate import Resolution

from . import json_oracle as jo
from . import reference_impl as ref
from .conftest import API_HISTORY, DATA, read_json


@pytest.fixture(scope="module")
def history_only(tmp_path_factory):
    """Only ``dsr1_history.json`` (64 run dates), as the issue read it."""
    folder = tmp_path_factory.mktemp("history-only")
    shutil.copy(API_HISTORY, folder / "dsr1_history.json")
    return build_dataset(folder, fallback_dir=DATA)


@pytest.fixture(scope="module")
def history_rows_raw():
    return read_json(API_HISTORY)


def test_history_file_has_64_dates(history_only):
    assert len(history_only.dates) == 64
    assert history_only.dates[0] == "2025-12-05" and history_only.dates[-1] == "2026-06-11"


def test_as_of_positions_equal_latest_per_point(bundled_dataset):
    points = bundled_dataset.points
    dates = bundled_dataset.dates + ["2025-01-01", "2026-01-01", "2030-01-01"]  # before, between and after runs
    positions = as_of_positions(points, dates)
    for d in dates:
        expected = latest_per_point(points[points["date"].astype(str) <= d])
        assert np.array_equal(points.index.to_numpy()[positions[d]], expected.index.to_numpy()), d
    assert len(positions["2025-01-01"]) == 0
    assert len(positions["2030-01-01"]) == len(bundled_dataset.latest)


def test_points_as_of_dates(bundled_dataset):
    views = points_as_of_dates(bundled_dataset.points, ["2026-02-01", "2026-06-11"])
    assert list(views) == ["2026-02-01", "2026-06-11"]
    assert views["2026-02-01"].equals(bundled_dataset.as_of("2026-02-01"))
    assert views["2026-06-11"].equals(bundled_dataset.as_of("2026-06-11"))


def naive(points, model, seq, precision, gpu, target, provider="hyperscaler"):
    """Date -> (values, clamped) from a fresh as-of view per date (SPEC §1, §4)."""
    mine = points[(points["model"].astype(str) == model) & (points["seq"].astype(str) == seq)
                  & (points["precision"].astype(str) == precision)]
    dates = sorted(mine["date"].astype(str).unique())
    out = {}
    for d in dates:
        view = latest_per_point(mine[mine["date"].astype(str) <= d])
        view = view[view["gpu"].astype(str) == gpu]
        if view.empty:
            continue
        read = read_side(side_frontier(view), target, history_rows(provider))
        out[d] = ({k: v.value for k, v in read.items()}, bool(read["throughput"].clamped))
    return out


@pytest.mark.parametrize("seq, precision, target", [("1k1k", "fp8", 40), ("8k1k", "fp4", 60), ("1k8k", "fp8", 25)])
def test_history_equals_a_fresh_view_per_date(seq, precision, target, bundled_dataset):
    result = history(bundled_dataset.points, bundled_dataset.reference, model="dsr1", seq=seq, precision=precision,
                     target=target)
    assert result.dates == sorted(set(result.dates))
    for gpu in result.gpus:
        expected = naive(bundled_dataset.points, "dsr1", seq, precision, gpu, target)
        rows = result.series(gpu)
        assert [r.date for r in rows] == list(expected)
        for r in rows:
            values, clamped = expected[r.date]
            for key, value in values.items():
                assert r.values[key] == pytest.approx(value, rel=1e-12, abs=1e-12), (gpu, r.date, key)
            assert r.clamped == clamped


def test_b200_fp8_software_gains_on_the_history_file(history_only, history_rows_raw):
    """The issue: B200 FP8 from ~430 to ~3,170 tok/s/GPU at 40 tok/s/user (1k/1k). The file
    gives 427.5 on its first B200 date, a peak of 3171.2 from 2026-02-12, and 3137.9 at the end
    (re-measurements on 2026-03-23 and 2026-05-18 replaced frontier points with lower ones)."""
    result = history(history_only.points, history_only.reference, model="dsr1", seq="1k1k", precision="fp8",
                     target=40, gpus=["b200"])
    rows = result.series("b200")
    first, last = rows[0], rows[-1]
    # independently, from the raw JSON: as-of views by dict, brute-force frontier, naive Steffen
    peak = max(rows, key=lambda r: r.values["throughput"])
    for row in (first, peak, last):
        as_of = jo.select(jo.newest(history_rows_raw, row.date), "1k1k", hardware="b200", precision="fp8")
        values, clamped, _, _ = jo.read(jo.as_points(as_of), 40)
        assert row.values["throughput"] == pytest.approx(values["tput"], rel=1e-9)
        assert row.clamped == clamped
    assert (first.date, first.texts["throughput"], first.clamped) == ("2025-12-10", "427.5", False)
    assert (peak.date, peak.texts["throughput"], peak.clamped) == ("2026-02-12", "3171.2", False)
    # the sequence's last run date; B200 last ran on 2026-05-22, carried forward since
    assert (last.date, last.texts["throughput"], last.clamped, last.measured) == ("2026-06-02", "3137.9", False, 0)
    assert [r for r in rows if r.measured][-1].date == "2026-05-22"
    assert result.dates[-1] == "2026-06-02" and len(rows) == len(result.dates) - result.dates.index(first.date)
    assert not any(r.regression for r in rows if r.date > peak.date)  # drifts of about 1 %, not regressions
    assert first.change is None and first.change_text == ""
    # the big step: 2026-01-14 (new configurations) takes it from ~505 to ~2,239
    i = next(i for i, r in enumerate(rows) if r.date == "2026-01-14")
    before, step = rows[i - 1].values["throughput"], rows[i].values["throughput"]
    assert rows[i - 1].texts["throughput"] == "505.0" and rows[i].texts["throughput"] == "2238.8"
    assert rows[i].change_text == f"+{ref.half_up((step / before - 1) * 100, 1)}%"


def test_b200_on_all_bundled_data(bundled_dataset):
    result = history(bundled_dataset.points, bundled_dataset.reference, model="dsr1", seq="1k1k", precision="fp8",
                     target=40, gpus=["b200"])
    rows = result.series("b200")
    # the latest-rows file adds older (2025-11-18) and newer (2026-03-23) configurations
    assert (rows[0].date, rows[0].texts["throughput"], rows[0].clamped) == ("2025-11-18", "253.8", True)
    assert (rows[-1].date, rows[-1].texts["throughput"], rows[-1].clamped) == ("2026-06-02", "4837.9", True)
    dip = next(r for r in rows if r.date == "2025-12-31")
    assert dip.regression and dip.change_text == "−15.9%"  # 601.3 -> 505.6: a regression
    assert dip in result.regressions


def test_changes_and_regressions_follow_the_definition(bundled_dataset):
    result = history(bundled_dataset.points, bundled_dataset.reference, model="dsr1", seq="8k1k", precision="fp8",
                     target=40)
    assert result.regressions
    for gpu in result.gpus:
        rows = result.series(gpu)
        for prev, row in zip(rows, rows[1:]):
            a, b = prev.values["throughput"], row.values["throughput"]
            assert row.change == pytest.approx((b - a) / a, rel=1e-12)
            assert row.regression == ((b - a) / a < -0.05)
            assert row.measured > 0 or row.values == prev.values  # carried forward unchanged


def test_to_json_one_object_per_gpu_and_date(bundled_dataset):
    result = history(bundled_dataset.points, bundled_dataset.reference, model="dsr1", seq="1k1k", precision="fp4",
                     target=35)
    data = result.to_json()
    assert len(data["rows"]) == len(result.rows) == len({(r["date"], r["gpu"]) for r in data["rows"]})
    row = data["rows"][0]
    assert {"date", "gpu", "throughput", "cost", "clamped", "change", "regression"} <= set(row)
    assert set(row["throughput"]) == {"value", "text"} and isinstance(row["clamped"], bool)


def test_filters_and_prices_apply(bundled_dataset):
    points, reference = bundled_dataset.points, bundled_dataset.reference
    kw = dict(model="dsr1", seq="1k1k", precision="fp8", target=40, gpus=["b200"])
    base = {r.date: r for r in history(points, reference, **kw).rows}
    priced = history(points, reference, PriceOverrides(price=(("b200", 3.9),)), **kw)  # 2 x $1.95
    for r in priced.rows:
        assert r.values["cost"] == 2 * base[r.date].values["cost"]
        assert r.values["throughput"] == base[r.date].values["throughput"]
    sglang = history(points, reference, filters=Filters(framework=("sglang",)), **kw)
    mine = points[(points["framework"].astype(str) == "sglang")]
    assert sglang.rows and all(r.points <= len(mine) for r in sglang.rows)
    expected = naive(mine, "dsr1", "1k1k", "fp8", "b200", 40)
    assert [r.date for r in sglang.rows] == list(expected)
    for r in sglang.rows:
        assert r.values["throughput"] == pytest.approx(expected[r.date][0]["throughput"], rel=1e-12)


def test_incremental_frontier_equals_recomputing(bundled_dataset):
    """Random re-measurements that often replace frontier points (the hard case for reuse)."""
    rng = np.random.default_rng(7)
    n_points, n_dates = 400, 30
    dates = pd.date_range("2026-01-01", periods=n_dates).strftime("%Y-%m-%d")
    rows = []
    for pid in range(n_points):
        for d in sorted(set(rng.integers(0, n_dates, rng.integers(1, 4)))):
            x = float(rng.integers(1, 40))  # integer x and y: many ties and equal points
            rows.append({"point_id": pid, "date": dates[d], "intvty": x, "tput": float(rng.integers(1, 60)),
                         "tput_output": float(rng.integers(1, 30)), "conc": int(rng.integers(1, 256)),
                         "gpu": ["b200", "h200"][pid % 2]})
    frame = pd.DataFrame(rows)
    frame["model"], frame["seq"], frame["precision"] = "m", "1k1k", "fp8"
    frame["cost_total_hyperscaler"] = 1.95 / (frame["tput"] * 0.0036)
    frame["tokmw"] = frame["tput"] * 1000 / 2.17
    frame["date"] = frame["date"].astype("category")
    result = history(frame, bundled_dataset.reference, model="m", seq="1k1k", precision="fp8", target=20)
    for gpu in ("b200", "h200"):
        expected = naive(frame, "m", "1k1k", "fp8", gpu, 20)
        got = result.series(gpu)
        assert [r.date for r in got] == list(expected)
        for r in got:
            values, clamped = expected[r.date]
            assert r.values == pytest.approx(values, rel=1e-12) and r.clamped == clamped


def test_large_history_is_fast(bundled_dataset):
    """64 dates x 100,000 points (about 190,000 measurements): one sort, cumulative views."""
    rng = np.random.default_rng(0)
    n_points, n_dates = 100_000, 64
    dates = np.asarray(pd.date_range("2025-12-01", periods=n_dates, freq="3D").strftime("%Y-%m-%d"))
    first = rng.integers(0, n_dates, n_points)
    again = rng.random(n_points) < 0.9
    ids = np.concatenate([np.arange(n_points), np.arange(n_points)[again]])
    when = np.concatenate([first, np.minimum(first + rng.integers(1, n_dates, n_points), n_dates - 1)[again]])
    x = rng.lognormal(3, 1, len(ids))
    tput = rng.lognormal(7, 1, len(ids)) / np.sqrt(x)
    gpus = np.asarray(list(bundled_dataset.reference.gpus))
    frame = pd.DataFrame({"model": "m", "seq": "1k1k", "precision": "fp8", "gpu": pd.Categorical(gpus[ids % 9]),
                          "point_id": ids.astype(np.uint64), "date": pd.Categorical(dates[when]), "intvty": x,
                          "tput": tput, "tput_output": tput / 2, "conc": 8, "cost_total_hyperscaler": 2 / tput,
                          "tokmw": tput}).drop_duplicates(["point_id", "date"])
    start = time.perf_counter()
    views = as_of_positions(frame, dates)
    result = history(frame, bundled_dataset.reference, model="m", seq="1k1k", precision="fp8", target=40)
    elapsed = time.perf_counter() - start
    assert len(views[dates[-1]]) == n_points and len(result.dates) == n_dates
    assert elapsed < 15  # about 0.5 s alone on a laptop core; generous for a shared machine


def test_parse_dates():
    res = Resolution()
    got = parse_dates(["2026-02-01", "2025-01-01", "2026-02-30", "junk", "2026-01-05", "2026-02-01"], "2025-10-06", res)
    assert got == ("2026-01-05", "2026-02-01")
    assert len(res.notices) == 1 and all(v in res.notices[0] for v in ("'2025-01-01'", "'2026-02-30'", "'junk'"))
    res = Resolution()
    many = [f"2026-01-{d:02d}" for d in range(1, 10)]
    assert parse_dates(many, None, res) == tuple(many[:4]) and "first 4" in res.notices[0]
    assert parse_dates(None, None) == ()
