"""History (SPEC §12): how each GPU's value at a target interactivity moved over run dates.

For every run date d of (model, sequence, precision): the view as of d (per configuration,
sequence and concurrency, the latest measurement on or before d, SPEC §1), each GPU's points
pooled into one side and read at the target (SPEC §4), with its clamped flag; the change
since that GPU's previous value, and a regression flag for a drop of more than 5 %.

Fast by construction. Rows are sorted by date once and the as-of views are built
cumulatively (each date only overwrites the measurements it brings). A GPU's frontier is
recomputed only on dates that bring it new measurements, and then from its previous
frontier plus the new points, unless a new measurement replaces one of the frontier's own
points (then from all its points as of d). That equals recomputing from the whole view:
a point off the old frontier is dominated by a frontier point that is still there.
Candidates are kept in the frame's row order, so ties between identical points resolve as
``pareto.frontier_indices`` resolves them on the full view."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .compare import Row, read_side
from .filters import NO_FILTERS, Filters, apply_filters
from .formatting import approx_int, fixed, money
from .pareto import frontier_indices_vectorised
from .prices import DEFAULT_PRICES, PriceOverrides, apply_prices
from .urlstate import Resolution, shown

REGRESSION_DROP = 0.05  # a fall of more than 5 % from one date to the next is flagged
MAX_OVERLAY_DATES = 4  # dates=d1,d2,... on the explorer: more lines than this are unreadable
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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

@dataclass
class HistoryRow:
    date: str
    gpu: str
    gpu_label: str
    values: dict  # row key -> unrounded value (None when unknown)
    texts: dict  # row key -> formatted
    clamped: bool
    read_at: float
    points: int  # this GPU's points in the view as of the date
    frontier_points: int
    measured: int  # this GPU's measurements dated exactly this date (0: carried forward)
    previous: float | None = None  # throughput at this GPU's previous date
    change: float | None = None  # (throughput - previous) / previous

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
        out = {"date": self.date, "gpu": self.gpu, "gpu_label": self.gpu_label}
        for key, value in self.values.items():
            out[key] = {"value": value, "text": self.texts[key]}
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


def _finite(v) -> float | None:
    return float(v) if v is not None and math.isfinite(v) else None


def history(points: pd.DataFrame, reference, overrides: PriceOverrides = DEFAULT_PRICES, *, model: str, seq: str,
            precision: str, target: float, gpus=None, filters: Filters = NO_FILTERS) -> HistoryResult:
    """``points``: every measurement (``Dataset.points``, all dates). ``gpus``: restrict to
    these (None: every GPU with data). Filters (SPEC §9) and prices (SPEC §10) apply. The run
    dates are those of (model, sequence, precision) after the filters, whatever ``gpus`` shows:
    a GPU's value on a date it did not run is its previous one (``measured`` = 0)."""
    chosen = points[(points["model"].astype(str) == model).to_numpy() & (points["seq"].astype(str) == seq).to_numpy()
                    & (points["precision"].astype(str) == precision).to_numpy()]
    chosen = apply_filters(chosen, filters)
    # the run dates of (model, sequence, precision), whichever GPUs are shown (SPEC §12)
    all_ranks, dates = _date_ranks(chosen) if len(chosen) else (np.empty(0, dtype=np.int64), [])
    if gpus:
        keep = chosen["gpu"].astype(str).isin(list(gpus)).to_numpy()
        chosen, all_ranks = chosen[keep], all_ranks[keep]
    chosen = apply_prices(chosen, reference, overrides)
    rows_spec = history_rows(overrides.provider)
    order = {g: i for i, g in enumerate(reference.gpus)}
    if chosen.empty:
        return HistoryResult(model, seq, precision, overrides.provider, target, dates, [])
    ranks = all_ranks
    gpu_col = chosen["gpu"].astype(str).to_numpy()
    present = sorted(set(gpu_col), key=lambda g: (order.get(g, len(order)), g))
    per_gpu = {g: _gpu_history(chosen, np.flatnonzero(gpu_col == g), ranks, len(dates), target, rows_spec)
               for g in present}
    rows = []
    for i, d in enumerate(dates):
        for g in present:
            item = per_gpu[g].get(i)
            if item is not None:
                rows.append(HistoryRow(date=d, gpu=g, gpu_label=reference.gpu_label(g), **item))
    _add_changes(rows)
    return HistoryResult(model=model, seq=seq, precision=precision, provider=overrides.provider, target=target,
                         dates=dates, gpus=present, rows=rows)


def _gpu_history(frame: pd.DataFrame, positions: np.ndarray, ranks: np.ndarray, n_dates: int, target: float,
                 rows_spec: list[Row]) -> dict[int, dict]:
    """Date rank -> the row fields of one GPU (``positions``: its rows in ``frame``), from its
    first date with data on. Indices below are into ``positions`` (ascending = frame order)."""
    x_all = frame["intvty"].to_numpy(dtype=float)[positions]
    y_all = frame["tput"].to_numpy(dtype=float)[positions]
    # only the columns read at the target: taking rows of the whole (wide) frame costs more
    needed = ["intvty", *dict.fromkeys(r.column for r in rows_spec)]
    narrow = {c: frame[c].to_numpy()[positions] for c in needed}
    codes, _ = pd.factorize(frame["point_id"].to_numpy()[positions])
    my_ranks = ranks[positions]
    order = np.argsort(my_ranks, kind="stable")
    order = order[my_ranks[order] >= 0]
    bounds = np.searchsorted(my_ranks[order], np.arange(n_dates + 1), side="left")  # rows of date k: [b_k, b_k+1)
    current = np.full(codes.max() + 1 if len(codes) else 0, -1, dtype=np.int64)  # point -> its latest row
    front = np.empty(0, dtype=np.int64)
    out: dict[int, dict] = {}
    last = None
    for k in range(n_dates):
        new = order[bounds[k]:bounds[k + 1]]
        if not len(new):
            if last is not None:
                out[k] = {**last, "measured": 0}
            continue
        replaced = current[codes[new]]
        replaced = replaced[replaced >= 0]
        current[codes[new]] = new
        kept = new[current[codes[new]] == new]  # one row per point even if a date repeats one
        if len(replaced) and np.isin(replaced, front).any():
            candidates = np.sort(current[current >= 0])  # a frontier point was superseded: start over
        else:
            candidates = np.union1d(front, kept)  # sorted, i.e. frame order, as on the full view
        hit = frontier_indices_vectorised(x_all[candidates], y_all[candidates])  # x ascending
        front = candidates[hit]
        last = None
        if len(front):
            knots = pd.DataFrame({c: v[front] for c, v in narrow.items()}, copy=False)
            read = read_side(knots, target, rows_spec)
            values = {key: _finite(v.value) for key, v in read.items()}
            last = {"values": values, "texts": {r.key: r.format(values[r.key]) for r in rows_spec},
                    "clamped": bool(read["throughput"].clamped), "read_at": float(read["throughput"].target),
                    "points": int((current >= 0).sum()), "frontier_points": len(front)}
            out[k] = {**last, "measured": len(new)}
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
           "history_rows", "REGRESSION_DROP"]
