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
from .plausible import EARLIEST_DATE, LATEST_DATE, MAX_KEY_CHARS, MAX_TEXT_CHARS, PLAUSIBLE, Container, factorize, numbers, shown
from .problems import Problem
from .reference import ReferenceTables
from .sequences import sequence_key

REQUIRED_TEXT = {
    "gpu_raw": "a gpu key such as 'b300'",
    "model_raw": "a model key such as 'dsr1'",
    "framework": "a serving framework such as 'sglang'",
    "precision": "a precision such as 'fp4'",
}
# Ranges and the reasons for them: ``plausible.PLAUSIBLE``.
REQUIRED_NUMBERS = ["isl", "osl", "conc", "tput", "intvty"]
# Part of a configuration's identity: a wrong value would merge it with another, so the
# record is left out rather than the value ignored.
CONFIG_NUMBERS = [
    "tp", "ep", "pp", "prefill_tp", "prefill_ep", "prefill_workers", "decode_tp", "decode_ep", "decode_workers",
    "prefill_gpus", "decode_gpus", "gpus",
]
# Measurements shown beside the main ones: a wrong value is ignored, with a warning.
OPTIONAL_NUMBERS = [
    "tput_input", "tput_output", "tpot_median", "tpot_p90", "tpot_p99", "ttft_median", "ttft_p90",
    "ttft_p99", "e2el_median", "e2el_p90", "e2el_p99", "itl_median", "power_w",
]
OPTIONAL_TEXT = ["image", "run_url", "model_id"]
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
    over many rows, so this beats pandas' per-row string methods by a wide margin. Lists and
    objects reach ``fn`` as ``plausible.Container`` markers."""
    codes, uniques = factorize(series)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = [fn(u) for u in uniques]
    table[-1] = missing
    return pd.Series(table[codes], index=series.index)


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())


def _is_blank(series: pd.Series) -> pd.Series:
    return by_unique(series, _blank, True).astype(bool)


def _key_problem(expected: str):
    """What is wrong with a value given for a key (None when nothing is)."""
    def check(value) -> str | None:
        if not isinstance(value, str):
            return f"expected {expected} (text), got {shown(value)}"
        text = value.strip()
        if not text:
            return f"missing; expected {expected}"
        if len(text) > MAX_KEY_CHARS:
            return f"expected {expected} of at most {MAX_KEY_CHARS} characters, got {len(text):,} characters"
        return None
    return check


def _problems_for(mask: pd.Series, raw: pd.DataFrame, field: str, message_for, severity="error") -> list[Problem]:
    """One problem per flagged record, naming the field as the user's file spells it."""
    if not mask.any():  # the usual case: skip the indexing
        return []
    rows = raw.loc[mask, ["source", "record", "format", field]]
    return [
        Problem(src, message_for(value), int(rec), source_field(fmt, field), severity)
        for src, rec, fmt, value in rows.itertuples(index=False, name=None)
    ]


def _bool_or_none(value):
    if isinstance(value, Container):
        return None
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
    if _blank(value):
        return ""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        day = dt.date(*map(int, match.groups()))
    except ValueError:  # 2026-02-30
        return None
    return day.isoformat() if EARLIEST_DATE <= day <= LATEST_DATE else None


def _date(series: pd.Series) -> pd.Series:
    """YYYY-MM-DD from several spellings (2026-06-11, 20260611-105748, ISO times); None when
    unreadable, "" when there is none."""
    return by_unique(series, _one_date, "")


_GOOD_TEXT, _BLANK_TEXT, _BAD_TEXT = 0, 1, 2


def _text_state(value) -> int:
    if _blank(value):
        return _BLANK_TEXT
    return _GOOD_TEXT if isinstance(value, str) and len(value) <= MAX_TEXT_CHARS else _BAD_TEXT


def gpu_key(value) -> str:
    """Runner names to gpu keys: 'gb300-nv' -> 'gb300', 'cluster:b300-nv' -> 'b300'."""
    return str(value).strip().lower().split(":")[-1].split("-")[0]


def spec_key(value) -> str:
    text = value.strip().lower() if isinstance(value, str) else ""
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

    def reject(mask: pd.Series, field: str, message_for, every: bool = False) -> None:
        """Leave the flagged records out, naming the field; a record already left out is
        named again only for a missing or wrong key (``every``)."""
        nonlocal bad, problems
        if not every:
            mask = mask & ~bad
        problems += _problems_for(mask, raw, field, message_for)
        bad |= mask

    for field, expected in REQUIRED_TEXT.items():
        check = _key_problem(expected)
        wrong = by_unique(raw[field], lambda v, c=check: c(v) is not None, True).astype(bool)
        reject(wrong, field, lambda v, c=check, e=expected: f"missing; expected {e}" if _blank(v) else c(v), every=True)
    spec_check = _key_problem("a spec method such as 'mtp' or 'none'")
    reject(by_unique(raw["spec"], lambda v: not _blank(v) and spec_check(v) is not None, False).astype(bool), "spec", spec_check)

    numbers_by_field = {}
    for field in (*REQUIRED_NUMBERS, *CONFIG_NUMBERS, *OPTIONAL_NUMBERS):
        numbers_by_field[field] = numbers(raw[field])
    # interactivity is 1/TPOT when only a plausible TPOT is given
    intvty, intvty_bad = numbers_by_field["intvty"]
    tpot, _ = numbers_by_field["tpot_median"]
    from_tpot = raw["intvty"].isna() & PLAUSIBLE["tpot_median"].contains(tpot)
    if from_tpot.any():
        numbers_by_field["intvty"] = (intvty.where(~from_tpot, 1.0 / tpot), intvty_bad)
        raw["intvty"] = raw["intvty"].where(~from_tpot, 1.0 / tpot)

    typed = {}
    for field in (*REQUIRED_NUMBERS, *CONFIG_NUMBERS, *OPTIONAL_NUMBERS):
        values, not_number = numbers_by_field[field]
        bound = PLAUSIBLE[field]
        expected = bound.expectation()
        implausible = values.notna() & ~bound.contains(values)
        if field in OPTIONAL_NUMBERS:
            ignored = (not_number | implausible) & ~bad
            problems += _problems_for(ignored, raw, field, lambda v, e=expected: f"expected {e}, got {shown(v)}; ignored",
                                      "warning")
            values = values.where(~ignored)
        else:
            if field in REQUIRED_NUMBERS:
                hint = " (or a plausible median_tpot)" if field == "intvty" else ""
                reject(raw[field].isna(), field, lambda v, e=expected, h=hint: f"missing; expected {e}{h}")
            reject(not_number | implausible, field, lambda v, e=expected: f"expected {e}, got {shown(v)}")
        typed[field] = values

    # Dates: a date that is given must be readable; an undated record takes its file's
    # modification day (below), and says so.
    date = _date(raw["date"])  # "" when there is none
    reject(date.isna(), "date",
           lambda v: f"expected a date YYYY-MM-DD between {EARLIEST_DATE} and {LATEST_DATE}, got {shown(v)}")

    texts = {}
    for field in OPTIONAL_TEXT:
        state = by_unique(raw[field], _text_state, _BLANK_TEXT).astype(np.int8)
        ignored = (state == _BAD_TEXT) & ~bad
        problems += _problems_for(ignored, raw, field,
                                  lambda v: f"expected text of at most {MAX_TEXT_CHARS:,} characters, got {shown(v)}; ignored", "warning")
        texts[field] = raw[field].where(state == _GOOD_TEXT, None)

    flags = {}
    for field in BOOLEANS:
        values, invalid = _to_bool(raw[field])
        problems += _problems_for(invalid & ~bad, raw, field, lambda v: f"expected true or false, got {shown(v)}; read as false", "warning")
        flags[field] = values

    keep = ~bad
    pts = pd.DataFrame(index=raw.index[keep])
    sub = raw.loc[keep]
    for field, values in typed.items():
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
    for field, values in texts.items():
        pts[field] = values[keep]
    pts["source"] = sub["source"].astype(str)
    pts["record"] = sub["record"].astype("int64")
    pts["format"] = sub["format"].astype(str) if "format" in sub else "unknown"

    date = date[keep]
    undated = date == ""
    if undated.any():
        fallback = pd.to_datetime(sub["file_mtime"], unit="s", errors="coerce").dt.strftime("%Y-%m-%d")
        fallback = fallback.fillna(today or dt.date.today().isoformat())
        for src, group in sub.loc[undated].groupby("source"):
            problems.append(Problem(src, f"no date in {len(group)} record(s); used {fallback[group.index[0]]} "
                                    "(the file's modification day) instead", None, "date", "warning"))
        date = date.where(~undated, fallback)
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
