"""Read benchmark files in the three input formats of SPEC §1 into one raw table.

Each reader returns a DataFrame whose columns are canonical names (see ``RAW_COLUMNS``) with
values still as found in the file (strings, numbers, None); ``normalise.py`` validates and
converts them. Keeping the readers this thin makes each format easy to follow and lets the
validation run column-wise, which matters at hundreds of thousands of records."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import orjson
import pandas as pd

from .problems import Problem

# Disaggregated serving: the prefill and decode pools, spelt the same in both formats.
POOL_FIELDS = {
    "prefill_tp": "prefill_tp",
    "prefill_ep": "prefill_ep",
    "prefill_dpa": "prefill_dp_attention",
    "prefill_workers": "prefill_num_workers",
    "decode_tp": "decode_tp",
    "decode_ep": "decode_ep",
    "decode_dpa": "decode_dp_attention",
    "decode_workers": "decode_num_workers",
    "prefill_gpus": "num_prefill_gpu",
    "decode_gpus": "num_decode_gpu",
}

# canonical name -> field name in a runner aggregate (agg_*.json / agg_bmk.json)
AGG_CONFIG_FIELDS = {
    "gpu_raw": "hw",
    "model_raw": "infmax_model_prefix",
    "model_id": "model",
    "framework": "framework",
    "precision": "precision",
    "spec": "spec_decoding",
    "disagg": "disagg",
    "multinode": "is_multinode",
    "isl": "isl",
    "osl": "osl",
    "conc": "conc",
    "tp": "tp",
    "ep": "ep",
    "pp": "pp",
    "dpa": "dp_attention",
    **POOL_FIELDS,
    "gpus": "num_gpus",
    "image": "image",
    "date": "date",
    "run_url": "run_url",
}

# canonical name -> metric field name (flat in aggregates, inside ``metrics`` in API rows).
# Latencies are in seconds. Interactivity is 1/TPOT; ``std_intvty`` is deliberately absent.
METRIC_FIELDS = {
    "tput": "tput_per_gpu",
    "tput_input": "input_tput_per_gpu",
    "tput_output": "output_tput_per_gpu",
    "intvty": "median_intvty",
    "tpot_median": "median_tpot",
    "tpot_p90": "p90_tpot",
    "tpot_p99": "p99_tpot",
    "ttft_median": "median_ttft",
    "ttft_p90": "p90_ttft",
    "ttft_p99": "p99_ttft",
    "e2el_median": "median_e2el",
    "e2el_p90": "p90_e2el",
    "e2el_p99": "p99_e2el",
    "itl_median": "median_itl",
    "power_w": "avg_power_w",
}

# canonical name -> field name in an InferenceX API row (besides ``metrics``)
API_CONFIG_FIELDS = {
    "gpu_raw": "hardware",
    "model_raw": "model",
    "framework": "framework",
    "precision": "precision",
    "spec": "spec_method",
    "disagg": "disagg",
    "multinode": "is_multinode",
    "isl": "isl",
    "osl": "osl",
    "conc": "conc",
    **POOL_FIELDS,
    "image": "image",
    "date": "date",
    "run_url": "run_url",
}

RAW_COLUMNS = list(dict.fromkeys([*AGG_CONFIG_FIELDS, *API_CONFIG_FIELDS, *METRIC_FIELDS]))

_API_SINGLE_NODE = {"tp": "decode_tp", "ep": "decode_ep", "dpa": "decode_dp_attention"}
_RAW_FIELDS = {"tput": "total_token_throughput", "tput_output": "output_throughput", "intvty": "median_tpot_ms",
               "conc": "max_concurrency"}


def source_field(fmt: str, canonical: str) -> str:
    """The name a user sees in their file for a canonical column (for problem reports)."""
    if fmt == "agg":
        return {**AGG_CONFIG_FIELDS, **METRIC_FIELDS}.get(canonical, canonical)
    if fmt == "api":
        if canonical in METRIC_FIELDS:
            return f"metrics.{METRIC_FIELDS[canonical]}"
        return API_CONFIG_FIELDS.get(canonical) or _API_SINGLE_NODE.get(canonical, canonical)
    if fmt == "raw":
        if canonical in _RAW_FIELDS:
            return _RAW_FIELDS[canonical]
        if canonical in METRIC_FIELDS:
            return METRIC_FIELDS[canonical] + "_ms"
        setting = next((name for name, col in SETTINGS.items() if col == canonical), canonical)
        return f"--set {setting}"
    return canonical


# What a raw benchmark_serving result may lack, and the --set that supplies it.
RAW_HINTS = {
    "gpus": "the GPU count is unknown (the file name has no gpus_N and no tp was given), so throughput per GPU "
            "cannot be computed; supply --set gpus=N (or --set tp=N)",
    "isl": "the input sequence length is unknown; supply --set seq=1k1k (or --set isl=N)",
    "osl": "the output sequence length is unknown; supply --set seq=1k1k (or --set osl=N)",
    "conc": "the concurrency is unknown (no max_concurrency in the file); supply --set conc=N",
}

FORMAT_LABELS = {
    "api": "InferenceX API rows",
    "agg": "InferenceX runner aggregate",
    "raw": "raw benchmark_serving result",
}

# Where results in each format come from, as an exported chart credits them.
SOURCE_LABELS = {
    "api": "SemiAnalysis InferenceX",
    "agg": "InferenceX runner aggregates",
    "raw": "benchmark_serving results",
}

UNKNOWN_FORMAT = (
    "unknown format: expected InferenceX API rows (objects with 'hardware' and 'metrics'), "
    "runner aggregates (objects with 'hw' and 'tput_per_gpu') or a raw benchmark_serving "
    "result (fields ending in '_ms')"
)


_NOT_PARSED = object()


@dataclass
class SourceDoc:
    """One JSON document read from disk (a file, or a member of a zip archive)."""

    name: str  # shown to users: relative path, "archive.zip:member.json" for zip members
    content: object
    mtime: float | None = None


def read_documents(path: Path, display: str, problems: list[Problem]) -> list[SourceDoc]:
    """Parse a .json file, or every .json member of a .zip (nested zips included)."""
    try:
        data = path.read_bytes()
        mtime = path.stat().st_mtime
    except OSError as exc:
        problems.append(Problem(display, f"cannot read the file ({exc.strerror or exc})"))
        return []
    return _documents_from_bytes(data, display, mtime, problems)


def _documents_from_bytes(data: bytes, display: str, mtime, problems: list[Problem]) -> list[SourceDoc]:
    if display.lower().endswith(".zip"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            problems.append(Problem(display, "not a valid zip archive"))
            return []
        docs = []
        for member in sorted(archive.namelist()):
            base = member.rsplit("/", 1)[-1]
            if member.endswith("/") or base.startswith(".") or not base.lower().endswith((".json", ".zip")):
                continue
            docs += _documents_from_bytes(archive.read(member), f"{display}:{member}", mtime, problems)
        if not docs and not any(p.file.startswith(display) for p in problems):
            problems.append(Problem(display, "the archive holds no .json benchmark files"))
        return docs
    try:
        content = orjson.loads(data)
    except orjson.JSONDecodeError:
        content = _NOT_PARSED
    if content is not _NOT_PARSED:
        return [SourceDoc(display, content, mtime)]
    try:  # orjson refused it: the standard parser says where and why (or accepts NaN etc.)
        content = json.loads(data)
    except UnicodeDecodeError:
        problems.append(Problem(display, "not a text file (expected UTF-8 JSON)"))
        return []
    except json.JSONDecodeError as exc:
        problems.append(Problem(display, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"))
        return []
    return [SourceDoc(display, content, mtime)]


def detect_format(content: object) -> str | None:
    records = content if isinstance(content, list) else [content]
    sample = next((r for r in records if isinstance(r, dict)), None)
    if sample is None:
        return None
    if "metrics" in sample and ("hardware" in sample or "model" in sample):
        return "api"
    if "hw" in sample or "tput_per_gpu" in sample or "infmax_model_prefix" in sample:
        return "agg"
    if any(k.endswith("_ms") for k in sample) and ("total_token_throughput" in sample or "max_concurrency" in sample):
        return "raw"
    return None


def _objects(records: list, problems: list[Problem], name: str) -> tuple[list[int], list[dict]]:
    """Objects become rows; anything else in the array is reported and skipped."""
    kept = []
    for i, rec in enumerate(records):
        if isinstance(rec, dict):
            kept.append(i)
        else:
            problems.append(Problem(name, f"expected a JSON object, got {type(rec).__name__}", i))
    return kept, [records[i] for i in kept]


def _columns(rows: list[dict], index: list[int], mapping: dict[str, str]) -> pd.DataFrame:
    """Only the fields we use, one list per column: much faster than a frame of every field."""
    present = set()
    for row in rows:
        present.update(row.keys())
    return pd.DataFrame({canonical: [row.get(field) for row in rows]
                         for canonical, field in mapping.items() if field in present}, index=index)


def read_api_rows(content: object, name: str, problems: list[Problem]) -> pd.DataFrame:
    records = content if isinstance(content, list) else [content]
    kept, rows = _objects(records, problems, name)
    out = _columns(rows, kept, API_CONFIG_FIELDS)
    metric_rows = []
    for i, row in zip(kept, rows):
        metrics = row.get("metrics")
        if not isinstance(metrics, dict):
            problems.append(Problem(name, "expected an object of metrics", i, "metrics"))
            metrics = {}
        metric_rows.append(metrics)
    metrics = _columns(metric_rows, kept, METRIC_FIELDS)
    out = pd.concat([out, metrics], axis=1)
    if "decode_tp" in out:  # an aggregated row's parallelism is the decode side's
        out["tp"] = out["decode_tp"]
        out["ep"] = out.get("decode_ep")
        out["dpa"] = out.get("decode_dpa")
    return out


def read_agg_records(content: object, name: str, problems: list[Problem]) -> pd.DataFrame:
    records = content if isinstance(content, list) else [content]
    kept, rows = _objects(records, problems, name)
    return _columns(rows, kept, {**AGG_CONFIG_FIELDS, **METRIC_FIELDS})


_GPUS_IN_NAME = re.compile(r"gpus_(\d+)(?:_ctx_(\d+)_gen_(\d+))?")
_CONFIG_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})")


def raw_record(content: dict, file_name: str) -> dict:
    """Turn one raw benchmark_serving result into canonical fields it can vouch for.

    The result holds no configuration (gpu, model, framework, ...): those come from the
    user. What the file name says about GPU counts (``gpus_16_ctx_8_gen_8``) is used."""
    rec: dict = {}
    match = _GPUS_IN_NAME.search(file_name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    if match:
        rec["gpus"] = int(match.group(1))
        if match.group(2):
            rec["prefill_gpus"], rec["decode_gpus"] = int(match.group(2)), int(match.group(3))
            rec["disagg"] = True
    rec["conc"] = content.get("max_concurrency")
    completed = content.get("completed") or content.get("num_prompts")
    for side in ("input", "output"):
        total = content.get(f"total_{side}_tokens")
        if isinstance(total, (int, float)) and isinstance(completed, (int, float)) and completed:
            per_request = total / completed
            if per_request in (1024, 8192):  # nominal lengths; anything else must come from the user
                rec["isl" if side == "input" else "osl"] = int(per_request)
    stamp = _CONFIG_DATE.match(str(content.get("date", "")))
    if stamp:
        rec["date"] = "-".join(stamp.groups())
    for canonical, field in METRIC_FIELDS.items():
        ms = content.get(field + "_ms")
        if field.endswith(("_tpot", "_ttft", "_e2el", "_itl")) and ms is not None:
            rec[canonical] = ms / 1000.0 if isinstance(ms, (int, float)) else ms
    tpot_ms = content.get("median_tpot_ms")
    if isinstance(tpot_ms, (int, float)) and tpot_ms > 0:
        rec["intvty"] = 1000.0 / tpot_ms
    rec["_total_tput"] = content.get("total_token_throughput")
    rec["_output_tput"] = content.get("output_throughput")
    return rec


def finish_raw_records(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-GPU throughput needs the GPU count, which may come from the user's settings."""
    if "_total_tput" not in frame:
        return frame
    gpus = pd.to_numeric(frame["gpus"], errors="coerce") if "gpus" in frame else None
    if gpus is None or gpus.isna().all():
        tp = pd.to_numeric(frame.get("tp", pd.Series(index=frame.index, dtype=float)), errors="coerce")
        gpus = tp * pd.to_numeric(frame.get("pp", 1), errors="coerce") if "pp" in frame else tp
    total = pd.to_numeric(frame["_total_tput"], errors="coerce")
    output = pd.to_numeric(frame["_output_tput"], errors="coerce")
    frame = frame.copy()
    frame["tput"] = total / gpus
    frame["tput_output"] = output / gpus
    frame["tput_input"] = (total - output) / gpus
    if "gpus" not in frame:
        frame["gpus"] = gpus
    return frame.drop(columns=["_total_tput", "_output_tput"])


def read_document(doc: SourceDoc, problems: list[Problem], overrides: dict | None = None) -> pd.DataFrame | None:
    """One document to raw canonical rows; ``overrides`` (canonical names) win over the file."""
    fmt = detect_format(doc.content)
    if fmt is None:
        problems.append(Problem(doc.name, UNKNOWN_FORMAT))
        return None
    if fmt == "api":
        frame = read_api_rows(doc.content, doc.name, problems)
    elif fmt == "agg":
        frame = read_agg_records(doc.content, doc.name, problems)
    else:
        if isinstance(doc.content, list):
            records = {i: raw_record(r, doc.name) for i, r in enumerate(doc.content) if isinstance(r, dict)}
        else:
            records = {0: raw_record(doc.content, doc.name)}
        frame = pd.DataFrame.from_dict(records, orient="index")
        for key, value in (overrides or {}).items():
            frame[key] = value
        missing = [k for k in ("gpu_raw", "model_raw", "framework", "precision") if k not in frame]
        if missing:
            names = ", ".join(SETTING_NAMES.get(k, k) for k in missing)
            problems.append(
                Problem(
                    doc.name,
                    f"a raw benchmark_serving result carries no configuration; supply {names} "
                    f"(python -m frontier ingest FILE --set gpu=... --set model=... --set framework=... --set precision=...)",
                )
            )
            return None
        frame = finish_raw_records(frame)
        for column, hint in RAW_HINTS.items():
            values = pd.to_numeric(frame[column], errors="coerce") if column in frame else None
            if values is None or values.isna().any():
                problems.append(Problem(doc.name, hint, None, column))
    for key, value in (overrides or {}).items():
        frame[key] = value
    frame["source"] = doc.name
    frame["record"] = frame.index.astype("int64")
    frame["format"] = fmt
    if doc.mtime is not None:
        frame["file_mtime"] = doc.mtime
    return frame.reset_index(drop=True)


# Names a user types after --set, mapped to canonical columns.
SETTING_NAMES = {
    "gpu_raw": "gpu",
    "model_raw": "model",
}
SETTINGS = {
    "gpu": "gpu_raw",
    "hw": "gpu_raw",
    "hardware": "gpu_raw",
    "model": "model_raw",
    "framework": "framework",
    "precision": "precision",
    "spec": "spec",
    "spec_method": "spec",
    "spec_decoding": "spec",
    "isl": "isl",
    "osl": "osl",
    "conc": "conc",
    "tp": "tp",
    "ep": "ep",
    "pp": "pp",
    "dpa": "dpa",
    "dp_attention": "dpa",
    "disagg": "disagg",
    "multinode": "multinode",
    "is_multinode": "multinode",
    "prefill_tp": "prefill_tp",
    "prefill_ep": "prefill_ep",
    "prefill_dpa": "prefill_dpa",
    "prefill_workers": "prefill_workers",
    "decode_tp": "decode_tp",
    "decode_ep": "decode_ep",
    "decode_dpa": "decode_dpa",
    "decode_workers": "decode_workers",
    "prefill_gpus": "prefill_gpus",
    "decode_gpus": "decode_gpus",
    "gpus": "gpus",
    "image": "image",
    "date": "date",
    "run_url": "run_url",
}


def parse_settings(pairs: list[str]) -> dict:
    """``["gpu=b300", "seq=1k1k"]`` -> canonical overrides. Raises ValueError with a reason."""
    from .sequences import parse_sequence

    out: dict = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValueError(f"--set expects NAME=VALUE, got {pair!r}")
        name, value = (s.strip() for s in pair.split("=", 1))
        name = name.lower()
        if name in ("seq", "sequence"):
            seq = parse_sequence(value)
            if seq is None:
                raise ValueError(f"--set seq: expected 1k1k, 1k8k, 8k1k or ISL/OSL such as 1024/1024, got {value!r}")
            out["isl"], out["osl"] = seq
            continue
        if name not in SETTINGS:
            known = ", ".join(sorted({*SETTINGS, "seq"}))
            raise ValueError(f"--set {name}: unknown setting; known: {known}")
        out[SETTINGS[name]] = value
    return out
