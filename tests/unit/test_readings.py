"""Many sides read together (frontier/readings.py) give exactly what reading each alone gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from frontier.compare import Row, read_side, side_frontier
from frontier.formatting import fixed
from frontier.readings import group_frontiers, read_groups

ROWS = [Row("throughput", "Throughput", "", "tput", lambda v: fixed(v, 1)),
        Row("cost", "Cost", "", "cost", lambda v: fixed(v, 3)),
        Row("concurrency", "Concurrency", "", "conc", lambda v: fixed(v, 0))]


def random_points(seed: int, groups: int) -> pd.DataFrame:
    """Integer coordinates (many ties and equal points), groups of 1 to 12 points, some
    invalid x and a NaN cost: the cases a batched reading could get wrong."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 13, groups)
    n = int(sizes.sum())
    frame = pd.DataFrame({
        "group": np.repeat(rng.permutation(groups), sizes),  # groups not contiguous in id order
        "intvty": rng.integers(-2, 30, n).astype(float),
        "tput": rng.integers(1, 50, n).astype(float),
        "conc": rng.integers(1, 300, n).astype(float),
    })
    frame["cost"] = 3.0 / frame["tput"]
    frame.loc[rng.random(n) < 0.03, "cost"] = np.nan
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)  # groups interleaved


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("target", [0.5, 7, 12.5, 40])
def test_every_group_reads_as_it_would_alone(seed, target):
    frame = random_points(seed, 60)
    read = read_groups(frame["group"].to_numpy(), {c: frame[c].to_numpy() for c in frame}, ROWS, target)
    alone = {}
    for group, points in frame.groupby("group"):
        valid = points[points["intvty"] > 0]
        if len(valid):
            alone[group] = (side_frontier(valid), read_side(side_frontier(valid), target, ROWS))
    assert read.group.tolist() == sorted(alone)
    for i, group in enumerate(read.group.tolist()):
        front, values = alone[group]
        assert read.frontier(i).tolist() == front.index.tolist()  # the same points, in x order
        assert read.used[i] == values["throughput"].target and read.clamped[i] == values["throughput"].clamped
        for row in ROWS:
            got, want = read.values[row.key][i], values[row.key].value
            assert (np.isnan(got) and np.isnan(want)) or got == want, (group, row.key)  # to the last bit


def test_group_frontiers_keep_the_first_of_equal_points():
    groups = np.array([0, 0, 0, 1, 1])
    x = np.array([5.0, 5.0, 1.0, 2.0, 2.0])
    y = np.array([3.0, 3.0, 4.0, 1.0, 1.0])
    # group 0: (5, 3) twice (the first one is kept) and (1, 4); group 1: (2, 1) twice
    assert group_frontiers(groups, x, y, np.arange(5)).tolist() == [2, 0, 3]
    assert group_frontiers(groups, x, y, np.array([0, 1, 2, 4, 3])).tolist() == [2, 0, 4]


def test_nothing_to_read():
    read = read_groups(np.array([0, 1]), {"intvty": np.array([0.0, -1.0]), "tput": np.array([1.0, 2.0]),
                                          "cost": np.ones(2), "conc": np.ones(2)}, ROWS, 10)
    assert len(read.group) == 0 and all(len(v) == 0 for v in read.values.values())


def test_concurrency_rounds_halves_up_like_the_table():
    # two knots: the reading is their midpoint, a concurrency of exactly 2.5 (and 10.5): halves go up
    groups = np.array([0, 0, 1, 1])
    columns = {"intvty": np.array([10.0, 20.0, 10.0, 20.0]), "tput": np.array([9.0, 5.0, 9.0, 5.0]),
               "cost": np.ones(4), "conc": np.array([3.0, 2.0, 11.0, 10.0])}
    read = read_groups(groups, columns, ROWS, 15)
    assert read.values["concurrency"].tolist() == [3.0, 11.0]  # np.rint alone would give 2 and 10
