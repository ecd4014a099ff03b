"""Validate and normalise raw canonical rows into the points table.

Everything here is column-wise so that a few hundred thousand records stay fast. Each bad
value becomes a ``Problem`` naming file, record, field and what was expected; a record with
a bad required value is left out, the rest of the data always loads."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from .loaders import RAW_COLUMNS, source_field
from .metrics import add_derived
from .problems import Problem
from .reference import ReferenceTables
from .sequences import sequence_key

REQUIRED_TEXT = {
    "gpu_raw": "a gpu key such as 'b300'",
    "model_raw": "a model key such as 'dsr1'",
    "framework": "a serving framework such as 'sglang'",
    "precision": "a precision such as 'fp4'",
}
REQUIRED_NUMBERS = {
    "isl": "a positive input sequence length",
    "osl": "a positive output sequence length",
    "conc": "a positive concurrency",
    "tput": "a positive throughput in tok/s/GPU",
    "intvty": "a positive interactivity in tok/s/user (or a positive median_tpot)",
}
OPTIONAL_NUMBERS = [
    "tput_input", "tput_output", "tpot_median", "tpot_p90", "tpot_p99", "ttft_median", "ttft_p90",
    "ttft_p99", "e2el_median", "e2el_p90", "e2el_p99", "itl_median", "power_w", "tp", "ep", "pp",
    "prefill_tp", "prefill_ep", "prefill_workers", "decode_tp", "decode_ep", "decode_workers",
    "prefill_gpus", "decode_gpus", "gpus",
]
BOOLEANS = ["disagg", "multinode", "dpa", "prefill_dpa", "decode_dpa"]
PRECISION_ALIASES = {"nvfp4": "fp4", "mxfp4": "fp4"}
NO_SPEC = {"", "none", "off", "false", "no", "0", "nan", "null"}
CONFIG_COLUMNS = [
    "model", "gpu", "framework", "precision", "spec", "disagg", "multinode", "tp", "ep", "dpa", "pp",
    "prefill_tp", "prefill_ep", "prefill_dpa", "prefill_workers", "decode_tp", "decode_ep",
    "decode_dpa", "decode_workers", "gpus",
]
CATEGORICAL = [
    "model", "gpu", "framework", "precision", "spec", "seq", "deployment", "parallelism", "date",
    "image", "source", "gpu_label", "vendor", "model_label", "spec_label", "format", "run_url", "model_id",
]


def by_unique(series: pd.Series, fn, missing=None) -> pd.Series:
    """``fn`` applied once per distinct value: benchmark columns repeat a handful of values
    over many rows, so this beats pandas' per-row string methods by a wide margin."""
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # unhashable values (a list where a string belongs): compare their text
        codes, uniques = pd.factorize(series.map(lambda v: repr(v) if isinstance(v, (list, dict)) else v))
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = [fn(u) for u in uniques]
    table[-1] = missing
    return pd.Series(table[codes], index=series.index)


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def _is_blank(series: pd.Series) -> pd.Series:
    return by_unique(series, _blank, True).astype(bool)


def _problems_for(mask: pd.Series, raw: pd.DataFrame, field: str, message_for, severity="error") -> list[Problem]:
    """One problem per flagged record, naming the field as the user's file spells it."""
    if not mask.any():  # the usual case: skip the indexing
        return []
    rows = raw.loc[mask, ["source", "record", "format", field]]
    return [
        Problem(src, message_for(value), int(rec), source_field(fmt, field), severity)
        for src, rec, fmt, value in rows.itertuples(index=False, name=None)
    ]


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _bool_or_none(value):
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "1.0"):
        return True
    if text in ("false", "0", "no", "0.0", ""):
        return False
    return None  # not a boolean


def _to_bool(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Returns (values, invalid mask). Missing means False."""
    parsed = by_unique(series, _bool_or_none, False)
    invalid = parsed.isna()
    return parsed.where(~invalid, False).astype(bool), invalid


_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:\D|$)")


def _one_date(value):
    match = _DATE.match(str(value).strip())
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:  # 2026-02-30
        return None


def _date(series: pd.Series) -> pd.Series:
    """YYYY-MM-DD from several spellings (2026-06-11, 20260611-105748, ISO times); None when unreadable."""
    return by_unique(series, _one_date, None)


def gpu_key(value) -> str:
    """Runner names to gpu keys: 'gb300-nv' -> 'gb300', 'cluster:b300-nv' -> 'b300'."""
    return str(value).strip().lower().split(":")[-1].split("-")[0]


def spec_key(value) -> str:
    text = str(value).strip().lower()
    return "none" if text in NO_SPEC else text


def single_label(tp, ep, dpa, pp=1) -> str:
    """TP8, TEP8 (experts across the TP group), DEP8 (data-parallel attention + EP),
    DPATP4 (data-parallel attention, no EP), EP8 (EP only), TP4EP2 otherwise."""
    if tp is None or not np.isfinite(tp):
        return ""
    tp = int(tp)
    ep = int(ep) if ep is not None and np.isfinite(ep) and ep > 0 else 1
    if dpa:
        if ep == tp and tp > 1:
            label = f"DEP{tp}"
        elif tp == 1 and ep > 1:  # attention data-parallel over the EP ranks
            label = f"DEP{ep}"
        else:
            label = f"DPATP{tp}" if ep == 1 else f"DPATP{tp}EP{ep}"
    elif ep == 1:
        label = f"TP{tp}"
    elif ep == tp:
        label = f"TEP{tp}"
    elif tp == 1:
        label = f"EP{ep}"
    else:
        label = f"TP{tp}EP{ep}"
    if pp is not None and np.isfinite(pp) and int(pp) > 1:
        label += f"PP{int(pp)}"
    return label


def _workers(workers, gpus, tp) -> int:
    if workers is not None and np.isfinite(workers) and workers > 0:
        return int(workers)
    if gpus is not None and np.isfinite(gpus) and tp and np.isfinite(tp) and tp > 0:
        return max(1, int(gpus // tp))
    return 1


def parallelism_label(row: tuple) -> str:
    (disagg, tp, ep, dpa, pp, ptp, pep, pdpa, pw, pg, dtp, dep, ddpa, dw, dg) = row
    if not disagg:
        return single_label(tp, ep, dpa, pp)
    if ptp is None or not np.isfinite(ptp) or dtp is None or not np.isfinite(dtp):
        return "Disagg"
    prefill = f"{_workers(pw, pg, ptp)}x{single_label(ptp, pep, pdpa)}"
    decode = f"{_workers(dw, dg, dtp)}x{single_label(dtp, dep, ddpa)}"
    return f"{prefill}+{decode}"


def normalise(raw: pd.DataFrame, reference: ReferenceTables, today: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Raw canonical rows (any number of files) -> the points table, and the problems found."""
    prepared, problems = prepare(raw, reference, today)
    return finish(prepared, reference), problems


def prepare(raw: pd.DataFrame, reference: ReferenceTables, today: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Validation, typing and keys, row by row: safe to run one file at a time (which keeps
    memory flat on big datasets) and to concatenate the results for ``finish``."""
    problems: list[Problem] = []
    raw = raw.reset_index(drop=True)
    for column in RAW_COLUMNS:
        if column not in raw:
            raw[column] = None
    for column, default in (("file_mtime", np.nan), ("source", ""), ("record", 0), ("format", "unknown")):
        if column not in raw:
            raw[column] = default
    bad = pd.Series(False, index=raw.index)

    for field, expected in REQUIRED_TEXT.items():
        missing = _is_blank(raw[field])
        problems += _problems_for(missing, raw, field, lambda v, e=expected: f"missing; expected {e}")
        bad |= missing

    numbers = {}
    if raw["intvty"].isna().any():  # interactivity is 1/TPOT when only TPOT is given
        tpot = pd.to_numeric(raw["tpot_median"], errors="coerce")
        raw["intvty"] = raw["intvty"].where(raw["intvty"].notna(), 1.0 / tpot.where(tpot > 0))
    for field, expected in REQUIRED_NUMBERS.items():
        values = pd.to_numeric(raw[field], errors="coerce").astype(float)
        missing = raw[field].isna()
        not_number = ~missing & values.isna()
        not_positive = values.notna() & ~(np.isfinite(values) & (values > 0))
        problems += _problems_for(missing & ~bad, raw, field, lambda v, e=expected: f"missing; expected {e}")
        problems += _problems_for(not_number & ~bad, raw, field, lambda v, e=expected: f"expected {e}, got {_shown(v)}")
        problems += _problems_for(not_positive & ~bad, raw, field, lambda v, e=expected: f"expected {e}, got {_shown(v)}")
        bad |= missing | not_number | not_positive
        numbers[field] = values
    for field in OPTIONAL_NUMBERS:
        values = pd.to_numeric(raw[field], errors="coerce").astype(float)
        invalid = raw[field].notna() & values.isna() & ~bad
        problems += _problems_for(invalid, raw, field, lambda v: f"expected a number, got {_shown(v)}; ignored", "warning")
        numbers[field] = values

    flags = {}
    for field in BOOLEANS:
        values, invalid = _to_bool(raw[field])
        problems += _problems_for(invalid & ~bad, raw, field, lambda v: f"expected true or false, got {_shown(v)}; read as false", "warning")
        flags[field] = values

    keep = ~bad
    pts = pd.DataFrame(index=raw.index[keep])
    sub = raw.loc[keep]
    for field, values in numbers.items():
        pts[field] = values[keep]
    for field, values in flags.items():
        pts[field] = values[keep].astype(bool)
    for field in ("isl", "osl", "conc"):
        pts[field] = pts[field].round().astype("int64")

    pts["gpu"] = by_unique(sub["gpu_raw"], gpu_key)
    pts["model"] = by_unique(sub["model_raw"], lambda v: reference.canonical_model(str(v)))
    pts["framework"] = by_unique(sub["framework"], lambda v: str(v).strip().lower())
    pts["precision"] = by_unique(sub["precision"], lambda v: PRECISION_ALIASES.get(str(v).strip().lower(), str(v).strip().lower()))
    pts["spec"] = by_unique(sub["spec"], spec_key, "none")
    for field in ("image", "run_url", "model_id"):
        pts[field] = sub[field].where(~_is_blank(sub[field]), None)
    pts["source"] = sub["source"].astype(str)
    pts["record"] = sub["record"].astype("int64")
    pts["format"] = sub["format"].astype(str) if "format" in sub else "unknown"

    # Dates: an undated record takes its file's modification day, and says so.
    date = _date(sub["date"])
    undated = date.isna()
    if undated.any():
        fallback = pd.to_datetime(sub["file_mtime"], unit="s", errors="coerce").dt.strftime("%Y-%m-%d")
        fallback = fallback.fillna(today or dt.date.today().isoformat())
        for (src, given), group in sub.loc[undated].groupby(["source", sub.loc[undated, "date"].astype(str)], dropna=False):
            what = "no date" if pd.isna(given) or given in ("None", "nan", "") else f"unreadable date {given!r} (expected YYYY-MM-DD)"
            problems.append(Problem(src, f"{what} in {len(group)} record(s); used {fallback[group.index[0]]} instead", None, "date", "warning"))
        date = date.fillna(fallback)
    pts["date"] = date

    # Unknown keys are kept and shown under their key, but the user is told once per file.
    for field, known, table in (("gpu", reference.gpus, "hardware.csv"), ("model", reference.models, "models.csv")):
        unknown = ~pts[field].isin(list(known))
        for (src, key), group in pts.loc[unknown].groupby(["source", field]):
            extra = "; shown without cost and power metrics" if field == "gpu" else "; shown under its key"
            problems.append(Problem(src, f"unknown {field} '{key}' in {len(group)} record(s): add it to {table}{extra}", None, field, "warning"))

    _add_configuration(pts)
    pts["seq"] = _map_pairs(pts["isl"], pts["osl"], sequence_key)
    pts["config_id"] = pd.util.hash_pandas_object(pts[CONFIG_COLUMNS], index=False).to_numpy()
    pts["point_id"] = pd.util.hash_pandas_object(pts[["config_id", "isl", "osl", "conc"]], index=False).to_numpy()
    return pts, problems


def finish(pts: pd.DataFrame, reference: ReferenceTables) -> pd.DataFrame:
    """Across files: duplicates merged, labels, derived metrics, compact dtypes, sorted."""
    # The same measurement may come from two files (e.g. latest rows and history): keep the
    # most complete copy.
    completeness = pts.notna().sum(axis=1)
    pts = pts.assign(_complete=completeness).sort_values(["point_id", "date", "_complete"], ascending=[True, True, False], kind="stable")
    dup = pts.duplicated(["point_id", "date"], keep="first")
    pts = pts.loc[~dup].drop(columns="_complete")

    pts["gpu_label"] = pts["gpu"].map(reference.gpu_label)
    pts["vendor"] = pts["gpu"].map(lambda g: reference.gpus[g].vendor if g in reference.gpus else "Other")
    pts["model_label"] = pts["model"].map(reference.model_label)
    pts["spec_label"] = pts["spec"].map(spec_label)
    pts = add_derived(pts, reference)
    for column in CATEGORICAL:
        pts[column] = pts[column].astype("category")
    pts = pts.sort_values(["model", "seq", "gpu", "framework", "spec", "precision", "conc", "date"], kind="stable")
    return pts.reset_index(drop=True)


def spec_label(spec: str) -> str:
    return {"mtp": "MTP", "none": "Off"}.get(spec, spec.upper())


def _map_pairs(a: pd.Series, b: pd.Series, fn) -> pd.Series:
    pairs = pd.MultiIndex.from_arrays([a, b])
    uniq = pairs.unique()
    table = {pair: fn(*pair) for pair in uniq}
    return pd.Series([table[p] for p in pairs], index=a.index)


def _add_configuration(pts: pd.DataFrame) -> None:
    """Fills parallelism defaults, GPU count, deployment and parallelism label."""
    pts["ep"] = pts["ep"].fillna(1.0)
    pts["pp"] = pts["pp"].fillna(1.0)
    disagg = pts["disagg"]
    # Disaggregated rows count both pools; aggregated rows tp x pp unless the file says.
    pool_sum = pts["prefill_gpus"] + pts["decode_gpus"]
    from_workers = pts["prefill_tp"] * pts["prefill_workers"].where(pts["prefill_workers"] > 0, 1) + pts["decode_tp"] * pts[
        "decode_workers"
    ].where(pts["decode_workers"] > 0, 1)
    single = pts["tp"] * pts["pp"]
    derived = np.where(disagg, pool_sum.fillna(from_workers), single)
    pts["gpus"] = pts["gpus"].fillna(pd.Series(derived, index=pts.index))
    pts["deployment"] = np.where(disagg, "Disaggregated", np.where(pts["multinode"], "Multi-node", "Single-node"))
    label_cols = ["disagg", "tp", "ep", "dpa", "pp", "prefill_tp", "prefill_ep", "prefill_dpa", "prefill_workers",
                  "prefill_gpus", "decode_tp", "decode_ep", "decode_dpa", "decode_workers", "decode_gpus"]
    # NaN never equals itself, so key the lookup on a filled copy; -1 stands for "missing".
    keyed = pts[label_cols].astype(float).fillna(-1.0)
    combos = keyed.drop_duplicates()
    labels = {row: parallelism_label(tuple(np.nan if v == -1.0 else v for v in row)) for row in combos.itertuples(index=False, name=None)}
    pts["parallelism"] = [labels[k] for k in keyed.itertuples(index=False, name=None)]
