"""Accuracy evaluations next to performance (issue 15): is a faster setting still as accurate?

Input: InferenceX evaluation rows (``GET /api/v1/evaluations``): per configuration and task a
``metrics`` object with ``em_strict`` (exact-match accuracy, 0-1) and its standard error
``em_strict_se``. They live in the data folder's ``evaluations/`` subfolder, which benchmark
discovery skips (frontier/dataset.py); a stray evaluation file elsewhere is recognised by
the loader and skipped with a warning.

Matching rule. An evaluation belongs to a benchmark point when the serving recipe agrees:
model, gpu, precision, framework and spec method. Parallelism, deployment and concurrency are
not matched: InferenceX evaluates each recipe at one or two of its configurations, accuracy
depends on weights, engine and decoding method rather than on batch size, and the evaluation
rows mark every run disaggregated (single-node ones included), so their deployment fields
cannot be matched honestly. Per recipe the latest evaluation date is used; when that date has
several runs (other configurations or concurrencies) the value is their mean and the interval
spans every run's 95 % interval (the runs share one question set, so they are not independent
samples to average the error over; and when they disagree, the interval says so). A pooled side (or a
calculator row) is reported per recipe of the points it is read from, never averaged across
recipes; two sides are "within noise" when their 95 % intervals overlap (for a side of
several recipes: the envelope of its recipes' intervals)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .formatting import fixed
from .normalise import PRECISION_ALIASES, gpu_key, spec_key
from .problems import Problem

EVALUATIONS_DIR = "evaluations"
Z95 = 1.96
RECIPE = ("model", "gpu", "precision", "framework", "spec")
TASK_LABELS = {"gsm8k": "GSM8K"}
COLUMNS = ["model", "gpu", "framework", "precision", "spec", "task", "date", "conc", "value", "stderr",
           "em_flexible", "em_flexible_se", "n_eff", "prefill_tp", "prefill_ep", "decode_tp", "decode_ep",
           "num_prefill_gpu", "num_decode_gpu", "run_url", "eval_config", "source", "record"]


def interval(value: float, stderr: float, z: float = Z95) -> tuple[float, float]:
    """The 95 % interval value ± 1.96 x standard error."""
    return value - z * stderr, value + z * stderr


def _pct(v: float) -> str:
    return f"{fixed(v * 100, 1)}%"


def _num(v) -> float:
    try:
        out = float(v)
    except (TypeError, ValueError):
        return math.nan
    return out if math.isfinite(out) else math.nan


def read_evaluations(content, reference, source: str = "", problems: list[Problem] | None = None) -> pd.DataFrame:
    """InferenceX evaluation rows -> one row per evaluation run (``value`` = em_strict,
    ``stderr`` = em_strict_se). A row without a usable accuracy or key is reported and left out."""
    problems = problems if problems is not None else []
    records = content if isinstance(content, list) else [content]
    out = []
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            problems.append(Problem(source, f"expected a JSON object, got {type(rec).__name__}", i))
            continue
        metrics = rec.get("metrics") if isinstance(rec.get("metrics"), dict) else {}
        value, stderr = _num(metrics.get("em_strict")), _num(metrics.get("em_strict_se"))
        keys = {k: str(rec.get(k) or "").strip() for k in ("model", "hardware", "framework", "precision", "task")}
        if not all(keys.values()):
            problems.append(Problem(source, "missing model, hardware, framework, precision or task", i))
            continue
        if not (0 <= value <= 1) or not (stderr >= 0):
            problems.append(Problem(source, "expected em_strict in [0, 1] with a non-negative em_strict_se", i,
                                    "metrics.em_strict"))
            continue
        precision = keys["precision"].lower()
        out.append({
            "model": reference.canonical_model(keys["model"]) if reference is not None else keys["model"].lower(),
            "gpu": gpu_key(keys["hardware"]),
            "framework": keys["framework"].lower(),
            "precision": PRECISION_ALIASES.get(precision, precision),
            "spec": spec_key(rec.get("spec_method") or ""),
            "task": keys["task"].lower(),
            "date": str(rec.get("date") or "")[:10],
            "conc": _num(rec.get("conc")),
            "value": value,
            "stderr": stderr,
            "em_flexible": _num(metrics.get("em_flexible")),
            "em_flexible_se": _num(metrics.get("em_flexible_se")),
            "n_eff": _num(metrics.get("n_eff")),
            **{k: _num(rec.get(k)) for k in ("prefill_tp", "prefill_ep", "decode_tp", "decode_ep",
                                              "num_prefill_gpu", "num_decode_gpu")},
            "run_url": rec.get("run_url"),
            "eval_config": rec.get("config_id"),
            "source": source,
            "record": i,
        })
    return pd.DataFrame(out, columns=COLUMNS)


def load_evaluations(data_dir: Path, reference, fallback_dir: Path | None = None,
                     problems: list[Problem] | None = None) -> pd.DataFrame:
    """Every ``*.json`` in ``<data_dir>/evaluations/`` (else in the fallback folder's)."""
    problems = problems if problems is not None else []
    for folder in (data_dir, fallback_dir):
        if folder is None:
            continue
        files = sorted((Path(folder) / EVALUATIONS_DIR).glob("*.json"))
        if files:
            frames = []
            for path in files:
                name = f"{EVALUATIONS_DIR}/{path.name}"
                try:
                    content = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                    problems.append(Problem(name, f"cannot read evaluations ({exc})"))
                    continue
                frames.append(read_evaluations(content, reference, name, problems))
            frames = [f for f in frames if len(f)]
            return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    return pd.DataFrame(columns=COLUMNS)


@dataclass(frozen=True)
class Accuracy:
    """One recipe's accuracy on one task, from its latest evaluation date."""

    recipe: tuple  # (model, gpu, precision, framework, spec)
    task: str
    value: float  # mean em_strict of that date's runs
    stderr: float  # the largest standard error among them
    date: str
    runs: int  # evaluation runs on that date
    all_runs: int  # evaluation runs of the recipe on any date
    lowest: float  # the spread of that date's runs
    highest: float
    lo: float  # the lowest lower end of the runs' 95 % intervals
    hi: float  # the highest upper end

    @property
    def interval(self) -> tuple[float, float]:
        return self.lo, self.hi

    @property
    def framework(self) -> str:
        return self.recipe[3]

    @property
    def spec(self) -> str:
        return self.recipe[4]

    @property
    def text(self) -> str:
        """"95.8% (95% interval 94.6–96.9%)"."""
        return f"{_pct(self.value)} (95% interval {fixed(self.lo * 100, 1)}–{_pct(self.hi)})"

    def to_json(self) -> dict:
        lo, hi = self.interval
        return {"model": self.recipe[0], "gpu": self.recipe[1], "precision": self.recipe[2],
                "framework": self.recipe[3], "spec": self.recipe[4], "task": self.task, "value": self.value,
                "stderr": self.stderr, "lo": lo, "hi": hi, "text": self.text, "date": self.date, "runs": self.runs,
                "all_runs": self.all_runs, "lowest": self.lowest, "highest": self.highest}


def recipe_accuracy(evals: pd.DataFrame, task: str = "gsm8k") -> dict[tuple, Accuracy]:
    """Recipe -> its Accuracy (latest date; mean value, largest standard error)."""
    rows = evals[evals["task"] == task] if len(evals) else evals
    if rows.empty:
        return {}
    recipes = list(zip(*(rows[c].astype(str).to_numpy() for c in RECIPE)))
    dates = rows["date"].astype(str).to_numpy()
    values_all, stderr_all = rows["value"].to_numpy(dtype=float), rows["stderr"].to_numpy(dtype=float)
    members: dict[tuple, list[int]] = {}
    for i, recipe in enumerate(recipes):
        members.setdefault(recipe, []).append(i)
    out = {}
    for recipe in sorted(members):
        group = np.asarray(members[recipe])
        latest = max(dates[group])
        day = group[dates[group] == latest]
        values, stderr = values_all[day], stderr_all[day]
        lo, hi = interval(values, stderr)
        out[recipe] = Accuracy(recipe=recipe, task=task, value=float(values.mean()), stderr=float(stderr.max()),
                               date=str(latest), runs=len(day), all_runs=len(group), lowest=float(values.min()),
                               highest=float(values.max()), lo=float(lo.min()), hi=float(hi.max()))
    return out


def recipes_of(points: pd.DataFrame) -> list[tuple]:
    """The serving recipes (model, gpu, precision, framework, spec) among ``points``."""
    if points.empty:
        return []
    combos = points[list(RECIPE)].astype(str).drop_duplicates()
    return sorted(tuple(r) for r in combos.itertuples(index=False, name=None))


def bracketing(frontier: pd.DataFrame, target: float) -> pd.DataFrame:
    """The frontier knots a value at ``target`` is read between (one knot at or beyond an
    edge, or at an exact knot): the configurations that actually serve at that interactivity."""
    return frontier.iloc[bracket(frontier["intvty"].to_numpy(dtype=float), target)]


def bracket(x: np.ndarray, target: float) -> slice:
    """``bracketing`` on the knots' interactivities (ascending): which of them, as a slice."""
    if len(x) == 0:
        return slice(0, 0)
    if target <= x[0]:
        return slice(0, 1)
    if target >= x[-1]:
        return slice(len(x) - 1, len(x))
    i = int(np.searchsorted(x, target, side="right")) - 1
    return slice(i, i + 1) if x[i] == target else slice(i, i + 2)


@dataclass
class SideAccuracy:
    """The accuracy behind a set of points: per recipe found, and the recipes with none."""

    label: str
    found: list[Accuracy] = field(default_factory=list)
    missing: list[tuple] = field(default_factory=list)

    @property
    def envelope(self) -> tuple[float, float] | None:
        if not self.found:
            return None
        return min(a.interval[0] for a in self.found), max(a.interval[1] for a in self.found)

    @property
    def text(self) -> str:
        if not self.found:
            return "no evaluation"
        if len(self.found) == 1:
            return self.found[0].text
        lo = min(a.value for a in self.found)
        hi = max(a.value for a in self.found)
        return f"{fixed(lo * 100, 1)}–{_pct(hi)} across {len(self.found)} recipes"

    @property
    def missing_text(self) -> str:
        """"no evaluation for dynamo-trt MTP, sglang Off" (recipes by framework and spec), or ""."""
        if not self.missing:
            return ""
        names = [f"{r[3]} {'Off' if r[4] == 'none' else r[4].upper()}" for r in self.missing]
        return "no evaluation for " + ", ".join(names)

    def to_json(self) -> dict:
        env = self.envelope
        return {"label": self.label, "text": self.text, "missing_text": self.missing_text, "found": [a.to_json() for a in self.found],
                "missing": [dict(zip(RECIPE, r)) for r in self.missing],
                "envelope": {"lo": env[0], "hi": env[1]} if env else None}


def side_accuracy(evals: pd.DataFrame, points: pd.DataFrame, label: str, task: str = "gsm8k",
                  table: dict | None = None) -> SideAccuracy:
    """The evaluations of the recipes among ``points`` (pass a side's frontier, or the
    ``bracketing`` knots at a target). ``table``: a precomputed ``recipe_accuracy``."""
    table = table if table is not None else recipe_accuracy(evals, task)
    return accuracy_of(recipes_of(points), table, label)


def accuracy_of(recipes, table: dict, label: str) -> SideAccuracy:
    """A side's accuracy from its recipes (sorted) and a ``recipe_accuracy`` table."""
    result = SideAccuracy(label)
    for recipe in recipes:
        if recipe in table:
            result.found.append(table[recipe])
        else:
            result.missing.append(recipe)
    return result


def _span(x) -> tuple[float, float] | None:
    if isinstance(x, SideAccuracy):
        return x.envelope
    if isinstance(x, Accuracy):
        return x.interval
    return None if x is None else (float(x[0]), float(x[1]))


def within_noise(a, b) -> bool | None:
    """True when the two 95 % intervals overlap; None when either has no evaluation.
    ``a``/``b``: Accuracy, SideAccuracy or a (lo, hi) pair."""
    sa, sb = _span(a), _span(b)
    if sa is None or sb is None:
        return None
    return sa[0] <= sb[1] and sb[0] <= sa[1]


def noise_wording(a: SideAccuracy, b: SideAccuracy, task: str = "gsm8k") -> str:
    """One sentence: both sides' accuracy and whether they are within noise of each other."""
    name = TASK_LABELS.get(task, task.upper())
    absent = [s.label for s in (a, b) if not s.found]
    if len(absent) == 2:
        return f"No {name} evaluation for {a.label} or {b.label}."
    if absent:
        present = b if absent[0] == a.label else a
        return f"{name} accuracy: {present.label} {present.text}; no {name} evaluation for {absent[0]}."
    same = within_noise(a, b)
    text = f"{name} accuracy (strict match, 95% interval): {a.label} {a.text}, {b.label} {b.text}: "
    if same:
        text += "within noise of each other."
    else:
        higher = a if a.envelope[0] > b.envelope[1] else b
        text += f"not within noise ({higher.label} scores higher)."
    gaps = [f"{s.label}: {s.missing_text}" for s in (a, b) if s.missing]
    return text + (f" ({'; '.join(gaps)}.)" if gaps else "")
