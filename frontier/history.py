"""History (SPEC §12): how each GPU's value at a target interactivity moved over run dates.

For every run date d of (model, sequence, precision): the view as of d (per configuration,
sequence and concurrency, the latest measurement on or before d, SPEC §1), each GPU's points
pooled into one side and read at the target (SPEC §4), with its clamped flag; the change
since that GPU's previous value, and a regression flag for a drop of more than 5 %.

Fast by construction. Rows are sorted once; each measurement belongs to the views from its
date until its point's next measurement, so the views are laid out side by side without
building a frame per date, and every view's frontier and reading are computed together
(frontier/readings.py, the same numbers as reading each alone). A GPU is read only on the
dates it ran: on the others its view, and so its value, is its previous one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .compare import Row, select
from .filters import NO_FILTERS, Filters, apply_filters
from .formatting import approx_int, fixed, money
from .metrics import POWER_COLUMNS, TOKEN_KINDS
from .reference import PROVIDERS
from .prices import DEFAULT_PRICES, PriceOverrides, apply_prices
from .readings import read_groups
from .urlstate import Resolution, shown

REGRESSION_DROP = 0.05  # a fall of more than 5 % from one date to the next is flagged
MAX_OVERLAY_DATES = 4  # dates=d1,d2,... on the explorer: more lines than this are unreadable
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# the columns ``history`` reads (filters, prices, the rows below), so a caller can pass only these
HISTORY_COLUMNS = ["model", "seq", "precision", "gpu", "date", "point_id", "vendor", "framework", "deployment", "spec",
                   "gpus", "intvty", *TOKEN_KINDS.values(), "conc", *POWER_COLUMNS,
                   *(f"cost_total_{p}" for p in PROVIDERS)]


def history_rows(provider: str) -> list[Row]:
    return [
        Row("throughput", "Throughput", "tok/s/GPU", "tput", lambda v: fixed(v, 1)),
        Row("output_throughput", "Output throughput", "tok/s/GPU", "tput_output", lambda v: fixed(v, 1)),
        Row("cost", "Cost", "$/M tok", f"cost_total_{provider}", lambda v: money(v, 3)),
        Row("tokmw", "tok/s/MW", "tok/s/MW", "tokmw", lambda v: fixed(v, 0)),
        Row("concurrency", "Concurrency", "", "conc", approx_int),
    ]


# ---- as-of views --------------------------------------------------------------------------

def _date_ranks(points: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """(rank of each row's date among the distinct dates, the distinct dates sorted): integer
    ranks sort and search much faster than strings. One str() per category, not per row."""
    dates = points["date"]
    if isinstance(dates.dtype, pd.CategoricalDtype):
        cats = [str(c) for c in dates.cat.categories]
        codes = dates.cat.codes.to_numpy()
    else:
        codes, uniq = pd.factorize(dates.astype(str))
        cats = [str(c) for c in uniq]
    used = np.unique(codes[codes >= 0])
    distinct = sorted(cats[c] for c in used)  # only dates present (a filtered frame keeps all categories)
    rank = {d: i for i, d in enumerate(distinct)}
    remap = np.array([rank.get(c, -1) for c in cats] + [-1], dtype=np.int64)  # code -1 (no date) -> -1
    return remap[codes], distinct


def as_of_positions(points: pd.DataFrame, dates) -> dict[str, np.ndarray]:
    """Date -> row positions (into ``points``, ascending) of the view as of that date: per
    ``point_id`` the latest measurement dated on or before it. Equals
    ``latest_per_point(points[date <= d])`` for each d, in one pass over rows sorted once."""
    wanted = sorted({str(d) for d in dates})
    if points.empty or not wanted:
        return {d: np.empty(0, dtype=int) for d in wanted}
    ranks, distinct = _date_ranks(points)
    codes, _ = pd.factorize(points["point_id"])
    order = np.argsort(ranks, kind="stable")  # same-date rows keep frame order: the last wins
    order = order[ranks[order] >= 0]  # an undated row belongs to no date's view
    # the last rank on or before each wanted date, then where its rows end in ``order``
    upto = np.searchsorted(np.asarray(distinct, dtype=str), np.asarray(wanted, dtype=str), side="right") - 1
    ends = np.searchsorted(ranks[order], upto, side="right")
    current = np.full(codes.max() + 1, -1, dtype=np.int64)
    out, start = {}, 0
    for d, end in zip(wanted, ends):
        rows = order[start:end]
        current[codes[rows]] = rows  # fancy assignment: for repeated codes the last one sticks
        start = max(start, end)
        out[d] = np.sort(current[current >= 0])
    return out


def points_as_of_dates(points: pd.DataFrame, dates) -> dict[str, pd.DataFrame]:
    """The explorer's ``dates=d1,d2`` overlays: the view as of each date (same series, one
    line style per date). ``points``: every measurement (``Dataset.points``), filtered as the
    caller wishes."""
    return {d: points.iloc[pos] for d, pos in as_of_positions(points, dates).items()}


def parse_dates(values: list[str] | None, first_date: str | None, res: Resolution | None = None,
                limit: int = MAX_OVERLAY_DATES) -> tuple[str, ...]:
    """``dates=`` values: YYYY-MM-DD on or after the first run date, sorted, de-duplicated,
    at most ``limit``; each ignored value noticed."""
    res = res if res is not None else Resolution()
    if not values:
        return ()
    good, bad = [], []
    for value in values:
        v = value.strip()
        if len(v) == 10 and _DATE.match(v) and _valid_day(v) and (first_date is None or v >= first_date):
            if v not in good:
                good.append(v)
        else:
            bad.append(value)
    if bad:
        after = f" on or after {first_date}" if first_date else ""
        res.note(f"Ignored dates {', '.join(shown(b) for b in bad)}: expected YYYY-MM-DD{after}.")
    if len(good) > limit:
        res.note(f"Kept the first {limit} dates.")
        good = good[:limit]
    return tuple(sorted(good))


def _valid_day(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# ---- the history of one (model, sequence, precision) --------------------------------------

class Reading:
    """One GPU's view read at the target on a date it ran: unrounded values and their texts,
    formatted on first use. The rows of the dates it then did not run share it."""

    __slots__ = ("values", "_formats", "_texts", "_json")

    def __init__(self, values: dict, formats: dict):
        self.values = values  # row key -> unrounded value (None when unknown)
        self._formats = formats
        self._texts = None
        self._json = None

    @property
    def texts(self) -> dict:
        if self._texts is None:
            self._texts = {key: self._formats[key](value) for key, value in self.values.items()}
        return self._texts

    def to_json(self) -> dict:
        """{row key: {"value", "text"}}, built once for every row that shares this reading."""
        if self._json is None:
            self._json = {key: {"value": value, "text": self.texts[key]} for key, value in self.values.items()}
        return self._json


@dataclass
class HistoryRow:
    date: str
    gpu: str
    gpu_label: str
    reading: Reading
    clamped: bool
    read_at: float
    points: int  # this GPU's points in the view as of the date
    frontier_points: int
    measured: int  # this GPU's measurements dated exactly this date (0: carried forward)
    previous: float | None = None  # throughput at this GPU's previous date
    change: float | None = None  # (throughput - previous) / previous

    @property
    def values(self) -> dict:
        return self.reading.values

    @property
    def texts(self) -> dict:
        return self.reading.texts

    @property
    def change_text(self) -> str:
        """"+12.3%", "−5.1%" (a true minus sign), "0.0%", or "" for a GPU's first date."""
        if self.change is None:
            return ""
        pct = self.change * 100
        text = fixed(abs(pct), 1)
        if text == "0.0":
            return "0.0%"
        return ("+" if pct > 0 else "−") + text + "%"

    @property
    def regression(self) -> bool:
        return self.change is not None and self.change < -REGRESSION_DROP

    def to_json(self) -> dict:
        out = {"date": self.date, "gpu": self.gpu, "gpu_label": self.gpu_label, **self.reading.to_json()}
        out.update(clamped=self.clamped, read_at=self.read_at, points=self.points,
                   frontier_points=self.frontier_points, measured=self.measured,
                   change={"value": self.change, "text": self.change_text}, regression=self.regression)
        return out


@dataclass
class HistoryResult:
    model: str
    seq: str
    precision: str
    provider: str
    target: float
    dates: list[str]
    gpus: list[str]  # in reference-table order
    rows: list[HistoryRow] = field(default_factory=list)  # by date, then GPU

    def series(self, gpu: str) -> list[HistoryRow]:
        return [r for r in self.rows if r.gpu == gpu]

    @property
    def regressions(self) -> list[HistoryRow]:
        return [r for r in self.rows if r.regression]

    def first_and_last(self, gpu: str) -> tuple[HistoryRow, HistoryRow] | None:
        rows = self.series(gpu)
        return (rows[0], rows[-1]) if rows else None

    def to_json(self) -> dict:
        return {"model": self.model, "seq": self.seq, "precision": self.precision, "provider": self.provider,
                "target": self.target, "dates": self.dates, "gpus": self.gpus,
                "rows": [r.to_json() for r in self.rows]}


def history(points: pd.DataFrame, reference, overrides: PriceOverrides = DEFAULT_PRICES, *, model: str, seq: str,
            precision: str, target: float, gpus=None, filters: Filters = NO_FILTERS) -> HistoryResult:
    """``points``: every measurement (``Dataset.points``, all dates). ``gpus``: restrict to
    these (None: every GPU with data). Filters (SPEC §9) and prices (SPEC §10) apply. The run
    dates are those of (model, sequence, precision) after the filters, whatever ``gpus`` shows:
    a GPU's value on a date it did not run is its previous one (``measured`` = 0)."""
    chosen = select(points, {"model": model, "seq": seq, "precision": precision})
    chosen = apply_filters(chosen, filters)
    # the run dates of (model, sequence, precision), whichever GPUs are shown (SPEC §12)
    ranks, dates = _date_ranks(chosen) if len(chosen) else (np.empty(0, dtype=np.int64), [])
    if gpus:
        keep = chosen["gpu"].astype(str).isin(list(gpus)).to_numpy()
        chosen, ranks = chosen[keep], ranks[keep]
    chosen = apply_prices(chosen, reference, overrides)
    if chosen.empty:
        return HistoryResult(model, seq, precision, overrides.provider, target, dates, [])
    rows_spec = history_rows(overrides.provider)
    gpu_codes, gpu_names = pd.factorize(chosen["gpu"].astype(str).to_numpy())
    order = {g: i for i, g in enumerate(reference.gpus)}
    present = sorted(range(len(gpu_names)), key=lambda c: (order.get(gpu_names[c], len(order)), gpu_names[c]))
    views = _read_views(chosen, ranks, gpu_codes, len(dates), target, rows_spec)
    labels = {c: reference.gpu_label(gpu_names[c]) for c in present}
    rows, last = [], {}
    for k, d in enumerate(dates):
        for c in present:
            found = views.get((c, k))
            if found is None:  # not run on this date: its previous reading, if it has one
                if last.get(c) is not None:
                    rows.append(HistoryRow(date=d, gpu=gpu_names[c], gpu_label=labels[c], measured=0, **last[c]))
                continue
            fields, measured = found
            last[c] = fields  # None when that view has no valid point: nothing to carry
            if fields is not None:
                rows.append(HistoryRow(date=d, gpu=gpu_names[c], gpu_label=labels[c], measured=measured, **fields))
    _add_changes(rows)
    return HistoryResult(model=model, seq=seq, precision=precision, provider=overrides.provider, target=target,
                         dates=dates, gpus=[gpu_names[c] for c in present], rows=rows)


def _read_views(frame: pd.DataFrame, ranks: np.ndarray, gpu_codes: np.ndarray, n_dates: int, target: float,
                rows_spec: list[Row]) -> dict[tuple[int, int], tuple[dict | None, int]]:
    """(GPU code, date rank) -> (its row's fields, or None when its view has no valid point;
    the measurements dated then) for every date each GPU ran. The view of a GPU as of a date
    holds, per point, its latest measurement on or before that date; of several measurements
    of a point on one date, the last in the frame."""
    dated = np.flatnonzero(ranks >= 0)  # an undated row belongs to no date's view
    if not len(dated):
        return {}
    point = pd.factorize(frame["point_id"].to_numpy()[dated])[0]
    by = np.lexsort((dated, ranks[dated], point))  # point, date, frame order
    rows, start, gpu = dated[by], ranks[dated][by], gpu_codes[dated][by].astype(np.int64)
    # a measurement is in the views from its date until the next measurement of its point
    end = np.full(len(rows), n_dates, dtype=np.int64)
    same_point = point[by][1:] == point[by][:-1]
    end[:-1][same_point] = start[1:][same_point]
    runs, measured = np.unique(gpu * n_dates + start, return_counts=True)  # the (GPU, date) views to read
    lo = np.searchsorted(runs, gpu * n_dates + start)
    hi = np.searchsorted(runs, gpu * n_dates + end)
    span = hi - lo
    members = np.repeat(rows, span)  # every view's points, view by view
    view_of = np.repeat(lo - (np.cumsum(span) - span), span) + np.arange(int(span.sum()))
    needed = ["intvty", "tput", *dict.fromkeys(r.column for r in rows_spec)]
    columns = {c: frame[c].to_numpy(dtype=float)[members] for c in needed}
    read = read_groups(view_of, columns, rows_spec, target, order=members)
    # plain Python values from here on: per-element numpy scalars cost a microsecond each
    sizes = np.bincount(view_of, minlength=len(runs)).tolist()
    keys = list(read.values)
    values = zip(*(np.where(np.isfinite(read.values[key]), read.values[key].astype(object), None).tolist()
                   for key in keys))  # unknown (not finite) values as None
    formats = {r.key: r.format for r in rows_spec}
    run_keys = [(v // n_dates, v % n_dates) for v in runs.tolist()]
    out: dict[tuple[int, int], tuple[dict | None, int]] = {k: (None, m) for k, m in zip(run_keys, measured.tolist())}
    for view, row_values, clamped, used, count in zip(read.group.tolist(), values, read.clamped.tolist(),
                                                      read.used.tolist(), read.counts.tolist()):
        fields = {"reading": Reading(dict(zip(keys, row_values)), formats), "clamped": clamped, "read_at": used,
                  "points": sizes[view], "frontier_points": count}
        out[run_keys[view]] = (fields, out[run_keys[view]][1])
    return out


def _add_changes(rows: list[HistoryRow]) -> None:
    previous: dict[str, float | None] = {}
    for r in rows:
        value = r.values.get("throughput")
        if r.gpu in previous:
            prev = previous[r.gpu]
            r.previous = prev
            if prev is not None and value is not None and prev > 0:
                r.change = (value - prev) / prev
        previous[r.gpu] = value


__all__ = ["as_of_positions", "points_as_of_dates", "parse_dates", "history", "HistoryResult", "HistoryRow",
           "history_rows", "HISTORY_COLUMNS", "REGRESSION_DROP"]
