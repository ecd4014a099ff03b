"""From a resolved state to what a page shows: the points, the series and their frontiers.

``Index`` is built once per dataset (per process): the latest points split by (model,
sequence), the catalog of options and the list of available comparisons. Views are
memoised per canonical state, so repeated clicks on the same view cost a dictionary read."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Callable

import numpy as np
import pandas as pd

from .calculator import CalculatorResult, calculate
from .catalog import Catalog, build_catalog
from .compare import ComparisonResult, select
from .kinds import KINDS, Available, ComparisonSpec, available_comparisons
from .dataset import Dataset
from .evaluations import COLUMNS as EVALUATION_COLUMNS, recipe_accuracy
from .history import HISTORY_COLUMNS, HistoryResult, history, points_as_of_dates
from .interpolate import sample_curve
from .metrics import X_AXES, Y_METRICS
from .pareto import frontier_indices
from .filters import Filters, apply_filters, present_values, series_keys
from .memo import Memo
from .presets import Preset, build_presets
from .prices import PriceOverrides, apply_prices
from .problems import Problem
from .urlstate import series_key
from .viewstate import CalculatorState, CompareState, ExplorerState, HistoryState

def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(dtype=float)


def spec_label(spec: str) -> str:
    return {"mtp": "MTP", "none": "Off"}.get(spec, str(spec).upper())


@dataclass
class Series:
    key: tuple  # (gpu, framework, spec[, precision]) or (side[, precision])
    name: str
    gpu: str
    vendor: str
    framework: str | None
    spec: str | None
    precision: str | None
    view: pd.DataFrame  # every point of the view; this series is view.iloc[positions]
    positions: np.ndarray
    frontier: np.ndarray  # positions into this series' points, x ascending
    curve_x: np.ndarray
    curve_y: np.ndarray
    url_key: str = ""  # its name in an address (hide=), frontier.urlstate.series_key
    side: str | None = None  # "a" / "b" on comparison pages
    overlays: tuple = ()  # (date, curve x, curve y): its frontier as of each of the explorer's dates=
    # ((facet, value, label), ...): what it shares with other series of an explorer view (GPU,
    # engine, spec decoding, precision); the legend hides or shows a facet's series together
    facets: tuple = ()

    @cached_property
    def points(self) -> pd.DataFrame:
        return self.view.iloc[self.positions]

    def only_frontier(self) -> "Series":
        """The same series keeping only its frontier points ("optimal points only")."""
        return replace(self, positions=self.positions[self.frontier], frontier=np.arange(len(self.frontier)))

    @property
    def frontier_labels(self) -> np.ndarray:
        """Index labels of the frontier points (labels of ``view``)."""
        return self.view.index.to_numpy()[self.positions[self.frontier]]


class Index:
    """``revisions(rev)``: the Index of the same data at an earlier revision, or None when
    unknown (the app gives it frontier.live's pinned snapshots); without it only the dataset's
    own revision is known. ``evaluations``: the accuracy results that go with this data
    (frontier/evaluations.py ``load_evaluations``, read again with every load), and
    ``evaluation_problems`` what could not be read of them."""

    def __init__(self, dataset: Dataset, revisions: Callable[[str], "Index | None"] | None = None,
                 evaluations: pd.DataFrame | None = None, evaluation_problems: list[Problem] | None = None):
        self.dataset = dataset
        self._revisions = revisions
        self.reference = dataset.reference
        self.evaluations = evaluations if evaluations is not None else pd.DataFrame(columns=EVALUATION_COLUMNS)
        self.evaluation_problems = list(evaluation_problems or [])
        latest = dataset.latest
        self.by_model_seq = {key: frame for key, frame in latest.groupby(["model", "seq"], observed=True, sort=False)}
        self.by_model = {key: frame for key, frame in latest.groupby("model", observed=True, sort=False)}
        self.catalog: Catalog = build_catalog(latest, dataset.reference, dataset.dates, dataset.points)
        self.comparisons: list[Available] = available_comparisons(latest, list(dataset.reference.gpus))
        self.comparison_lookup = {(a.spec.kind, a.spec.slug): a for a in self.comparisons}
        self._views = lru_cache(maxsize=512)(self._explorer_view)
        self._as_of = lru_cache(maxsize=8)(self._points_as_of)
        self._compares = lru_cache(maxsize=512)(self._comparison)
        self._compare_views = lru_cache(maxsize=512)(self._compare_series)
        self._present = lru_cache(maxsize=256)(self._present_values)
        # what pages derive from this dataset (figures, tables): kept with the dataset, so a
        # reloaded dataset can never be served another one's view
        self.memo = Memo(maxsize=64)
        # the last few CSV exports (text and file name), apart so that big files never push
        # the views out of ``memo``
        self.exports = Memo(maxsize=16)
        # the browser's prefetched answers (callbacks/prefetch.py), as sent: JSON compressed
        self.prefetched = Memo(maxsize=128)

    @cached_property
    def accuracy(self) -> dict:
        """Serving recipe -> its GSM8K accuracy (evaluations.recipe_accuracy)."""
        return recipe_accuracy(self.evaluations)

    @cached_property
    def presets(self) -> list[Preset]:
        """The curated views this data supports (frontier/presets.py)."""
        return build_presets(self.dataset.latest, self.dataset.points, self.reference)

    @cached_property
    def _measurement_rows(self) -> dict:
        """(model, sequence, precision) -> positions in ``dataset.points`` of its measurements (all
        dates): positions, not copies, since points can be a million rows."""
        return self.dataset.points.groupby(["model", "seq", "precision"], observed=True, sort=False).indices

    def measurements_for(self, model: str, seq: str, precisions, columns=None) -> pd.DataFrame:
        """Every measurement (all dates) of a model at a sequence and precisions, for history
        views; only ``columns`` (those present) when given, which keeps the copy small."""
        found = [self._measurement_rows.get((model, seq, p)) for p in precisions]
        found = [rows for rows in found if rows is not None]
        rows = np.sort(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
        points = self.dataset.points
        if columns is None:
            return points.iloc[rows]
        return points.iloc[rows, [points.columns.get_loc(c) for c in columns if c in points.columns]]

    # ---- explorer ------------------------------------------------------------------------
    def points_for(self, model: str, seq: str, date: str | None = None) -> pd.DataFrame:
        if date:
            return self._as_of(date).get((model, seq), self.dataset.latest.iloc[0:0])
        return self.by_model_seq.get((model, seq), self.dataset.latest.iloc[0:0])

    def present_values(self, model: str, seq: str) -> dict[str, list[str]]:
        """The filter values a model's points at a sequence have (``filters.present_values``),
        memoised: every page, callback and export of that model and sequence asks for them.
        Shared: callers must not change what it returns."""
        return self._present(model, seq)

    def _present_values(self, model: str, seq: str) -> dict[str, list[str]]:
        return present_values(self.points_for(model, seq))

    def _points_as_of(self, date: str) -> dict:
        """A past date's view of the data, split like ``by_model_seq`` (one sort per date)."""
        pts = self.dataset.as_of(date)
        return {key: frame for key, frame in pts.groupby(["model", "seq"], observed=True, sort=False)}

    def explorer_view(self, state: ExplorerState) -> tuple[pd.DataFrame, list[Series]]:
        return self._views(replace(state, hidden=()))  # the browser hides series: one view for every hide=

    def series_keys(self, state: ExplorerState | CompareState) -> list[str]:
        """The ``url_key`` of every series of a view, in legend order."""
        view = self.explorer_view if isinstance(state, ExplorerState) else self.compare_series
        return [s.url_key for s in view(state)[1]]

    def view_points(self, model: str, seq: str, date: str | None, filters: Filters, prices: PriceOverrides) -> pd.DataFrame:
        """A view's points: the model's at a sequence (as of a date), narrowed by the SPEC §9
        filters and priced with the view's own prices (SPEC §10)."""
        return apply_prices(apply_filters(self.points_for(model, seq, date), filters), self.reference, prices)

    def _explorer_view(self, state: ExplorerState) -> tuple[pd.DataFrame, list[Series]]:
        pts = self._selected(self.view_points(state.model, state.seq, state.date, state.filters, state.prices), state)
        by_precision = len(state.precisions) > 1
        keys = series_keys(state.best, by_precision)
        gpu_rank = {g: i for i, g in enumerate(self.reference.gpus)}
        groups = pts.groupby(keys, observed=True, sort=False).indices if len(pts) else {}
        # one grouping column gives plain keys: make every key a tuple
        groups = {(k if isinstance(k, tuple) else (k,)): v for k, v in groups.items()}
        columns = (_column(pts, X_AXES[state.x].column), _column(pts, Y_METRICS[state.metric].column))
        series = []
        for key in sorted(groups, key=lambda k: (gpu_rank.get(k[0], 99), *map(str, k))):
            parts = dict(zip(keys, key))
            gpu, framework, spec = parts["gpu"], parts.get("framework"), parts.get("spec")
            precision = parts.get("precision") or (state.precisions[0] if state.precisions else None)
            name = " · ".join([self.reference.gpu_label(gpu)] + ([framework, spec_label(spec)] if not state.best else [])
                              + ([precision.upper()] if by_precision else []))
            facets = tuple((facet, value, label) for facet, value, label in (
                ("gpu", gpu, self.reference.gpu_label(gpu)),
                ("engine", framework, framework), ("spec", spec, spec_label(spec) if spec else None),
                ("precision", precision, precision.upper() if precision else None)) if value)
            series.append(self._series(key, name, pts, groups[key], state.metric, state.x, gpu=gpu,
                                       framework=framework, spec=spec, precision=precision, columns=columns,
                                       url_key=series_key(gpu, precision) if state.best
                                       else series_key(gpu, framework, spec, precision), facets=facets))
        if state.dates:
            series = self._with_overlays(state, series, keys)
        shown_pts = pts
        if state.optimal:
            series = [s.only_frontier() for s in series]
            keep = np.concatenate([s.frontier_labels for s in series]) if series else []
            shown_pts = pts.loc[pts.index.isin(keep)]
        return shown_pts, series

    def _selected(self, pts: pd.DataFrame, state: ExplorerState) -> pd.DataFrame:
        """The points of an explorer view's precisions and GPUs."""
        mask = pts["precision"].astype(str).isin(state.precisions).to_numpy().copy()
        if state.gpus:
            mask &= pts["gpu"].astype(str).isin(state.gpus).to_numpy()
        return pts[mask]

    def _with_overlays(self, state: ExplorerState, series: list[Series], keys: list[str]) -> list[Series]:
        """Each series with its frontier as of every date of ``dates=`` (the same points,
        filters and prices, as measured on or before that date); a series with no points then
        has no curve for it."""
        xm, ym = X_AXES[state.x], Y_METRICS[state.metric]
        curves: dict[tuple, list] = {s.key: [] for s in series}
        measured = self.measurements_for(state.model, state.seq, state.precisions)
        for date, pts in points_as_of_dates(measured, state.dates).items():
            pts = self._selected(apply_prices(apply_filters(pts, state.filters), self.reference, state.prices), state)
            if pts.empty:
                continue
            xs, ys = _column(pts, xm.column), _column(pts, ym.column)
            for key, positions in pts.groupby(keys, observed=True, sort=False).indices.items():
                key = key if isinstance(key, tuple) else (key,)
                if key in curves:
                    front = frontier_indices(xs[positions], ys[positions], maximise_x=xm.higher_is_better,
                                             maximise_y=ym.higher_is_better)
                    curves[key].append((date, *sample_curve(xs[positions][front], ys[positions][front])))
        return [replace(s, overlays=tuple(curves[s.key])) for s in series]

    def _series(self, key, name, view, positions, metric, x, columns=None, **attrs) -> Series:
        """``columns``: the view's x and y arrays when the caller already has them."""
        xm, ym = X_AXES[x], Y_METRICS[metric]
        all_x, all_y = columns or (_column(view, xm.column), _column(view, ym.column))
        xs, ys = all_x[positions], all_y[positions]
        front = frontier_indices(xs, ys, maximise_x=xm.higher_is_better, maximise_y=ym.higher_is_better)
        cx, cy = sample_curve(xs[front], ys[front])
        gpu = attrs.get("gpu")
        vendor = self.reference.gpus[gpu].vendor if gpu in self.reference.gpus else "Other"
        return Series(key=key, name=name, vendor=vendor, view=view, positions=np.asarray(positions), frontier=front,
                      curve_x=cx, curve_y=cy, **attrs)

    # ---- comparisons ---------------------------------------------------------------------
    @property
    def revision(self) -> str:
        return self.dataset.revision

    def for_revision(self, rev: str) -> "Index | None":
        """This data as it was at revision ``rev`` (``rev=`` in an address), None if unknown."""
        if rev == self.revision:
            return self
        return self._revisions(rev) if self._revisions else None

    def available(self, kind: str, slug: str) -> Available | None:
        return self.comparison_lookup.get((kind, slug))

    def spec(self, state: CompareState) -> ComparisonSpec:
        return self.comparison_lookup[(state.kind, state.slug)].spec

    def comparison(self, state: CompareState) -> ComparisonResult:
        return self._compares(state.kind, state.slug, state.seq, state.table_precision, state.targets, state.filters,
                              state.prices)

    def _comparison(self, kind, slug, seq, precision, targets, filters, prices) -> ComparisonResult:
        spec = self.comparison_lookup[(kind, slug)].spec
        points = self.view_points(spec.model, seq, None, filters, prices)
        return KINDS[kind].compare(spec, points, seq, self.side_labels(spec), precision=precision,
                                   targets=list(targets) or None, provider=prices.provider)

    def side_labels(self, spec: ComparisonSpec) -> tuple[str, str]:
        return KINDS[spec.kind].side_labels(spec, self.reference)

    def compare_series(self, state: CompareState) -> tuple[pd.DataFrame, list[Series]]:
        """The chart of a comparison page: each side's points (for the chart precisions)."""
        return self._compare_views(replace(state, hidden=()))

    def _compare_series(self, state: CompareState) -> tuple[pd.DataFrame, list[Series]]:
        spec = self.spec(state)
        kind = KINDS[spec.kind]
        pts = self.view_points(spec.model, state.seq, None, state.filters, state.prices)
        labels = self.side_labels(spec)
        by_precision = kind.chart_by_precision and len(state.precisions) > 1
        series, shown_frames = [], []
        for side, label, filt in zip(("a", "b"), labels, spec.side_filters(None)):
            if kind.chart_by_precision:
                base = select(pts, {k: v for k, v in filt.items() if k != "precision"})
                base = base[base["precision"].astype(str).isin(state.precisions)]
                groups = list(base.groupby("precision", observed=True)) if by_precision else [(None, base)]
            else:
                groups = [(None, select(pts, filt))]
            for precision, frame in groups:
                if frame.empty:
                    continue
                name = label + (f" · {str(precision).upper()}" if precision is not None else "")
                gpu = filt["gpu"]
                # the precision of the side's points: its group's, the chart's one, or the side's own
                shown_precision = precision or (state.precisions[0] if kind.chart_by_precision else filt["precision"])
                s = self._series((side, precision), name, frame, np.arange(len(frame)), state.metric, state.x,
                                 gpu=gpu, framework=None, spec=filt.get("spec"), precision=precision,
                                 url_key=series_key(side, shown_precision))
                s.side = side
                if state.optimal:
                    s = s.only_frontier()
                series.append(s)
                shown_frames.append(s.points)
        shown_pts = pd.concat(shown_frames) if shown_frames else pts.iloc[0:0]
        return shown_pts, series

    def comparisons_for(self, model: str | None = None, kind: str | None = None) -> list[Available]:
        return [a for a in self.comparisons if model in (None, a.spec.model) and kind in (None, a.spec.kind)]

    # ---- calculator and history ------------------------------------------------------------
    def calculator(self, state: CalculatorState) -> CalculatorResult:
        """The calculator's rows for a state (SPEC §11), memoised per state."""
        def compute():
            points = apply_filters(self.points_for(state.model, state.seq), state.filters)
            p = state.params
            return calculate(points, self.reference, state.prices, model=state.model, seq=state.seq,
                             precision=state.precision, target=p.target, users=p.users, by=p.by, maxcost=p.maxcost,
                             sort=p.sort, accuracy=self.accuracy)
        return self.memo.get(("calculator", state), compute)

    def history(self, state: HistoryState) -> HistoryResult:
        """Each GPU's value at the target over run dates (SPEC §12), memoised per state."""
        def compute():
            points = self.measurements_for(state.model, state.seq, [state.precision], HISTORY_COLUMNS)
            return history(points, self.reference, state.prices,
                           model=state.model, seq=state.seq, precision=state.precision, target=state.target,
                           gpus=list(state.gpus) or None, filters=state.filters)
        return self.memo.get(("history", replace(state, metric="tput")), compute)  # the metric is the chart's only

    def models_with(self, spec: ComparisonSpec) -> list[str]:
        """Models that have the same comparison (same gpu(s)/precision(s)), for the model control."""
        return [m for m in self.catalog.models if (spec.kind, spec.for_model(m).slug) in self.comparison_lookup]
