"""Read benchmark files in the three input formats of SPEC §1 into one raw table.

Each reader returns a DataFrame whose columns are canonical names (see ``RAW_COLUMNS``) with
values still as found in the file (strings, numbers, None); ``normalise.py`` validates and
converts them. Keeping the readers this thin makes each format easy to follow and lets the
validation run column-wise, which matters at hundreds of thousands of records."""

from __future__ import annotations

import io
import json
import math
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

import orjson
import pandas as pd

from .plausible import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_DEPTH,
    MAX_ARCHIVE_MEMBERS,
    MAX_FILE_BYTES,
    MAX_JSON_DEPTH,
    JsonConstant,
    numbers,
    size_text,
)
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


@dataclass
class SourceDoc:
    """One JSON document read from disk (a file, or a member of a zip archive)."""

    name: str  # shown to users: relative path, "archive.zip:member.json" for zip members
    content: object
    mtime: float | None = None


def read_documents(path: Path, display: str, problems: list[Problem]) -> list[SourceDoc]:
    """Parse a .json file, or every .json member of a .zip (nested zips included).

    Whatever the bytes, the outcome is documents and problems, never an exception: files
    over ``MAX_FILE_BYTES`` are refused before reading (see ``plausible.py`` for every limit)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            problems.append(Problem(display, "not a regular file (a device, pipe or socket); left out"))
            return []
        if info.st_size > MAX_FILE_BYTES:
            problems.append(Problem(display, _too_big(info.st_size)))
            return []
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        problems.append(Problem(display, f"cannot read the file ({exc.strerror or exc})"))
        return []
    if len(data) > MAX_FILE_BYTES:
        problems.append(Problem(display, _too_big(len(data))))
        return []
    return documents_from_bytes(data, display, problems, info.st_mtime)


def _too_big(size: int) -> str:
    return (f"{size_text(size)} ({size:,} bytes), over the {size_text(MAX_FILE_BYTES)} limit for one data file "
            "(MAX_FILE_BYTES in frontier/plausible.py); left out")


@dataclass
class _ArchiveBudget:
    """What one top-level .zip may still inflate, shared by the zips nested in it."""

    members: int = 0
    inflated: int = 0
    exhausted: bool = False


def documents_from_bytes(data: bytes, display: str, problems: list[Problem], mtime: float | None = None,
                         _budget: _ArchiveBudget | None = None, _depth: int = 0) -> list[SourceDoc]:
    """The documents in a file's bytes (``display`` names it, and says whether it is a zip)."""
    if display.lower().endswith(".zip"):
        return _archive_documents(data, display, problems, mtime, _budget or _ArchiveBudget(), _depth + 1)
    content = parse_json(data, display, problems)
    return [] if content is _NOT_PARSED else [SourceDoc(display, content, mtime)]


def _archive_documents(data: bytes, display: str, problems: list[Problem], mtime, budget: _ArchiveBudget,
                       depth: int) -> list[SourceDoc]:
    if depth > MAX_ARCHIVE_DEPTH:
        problems.append(Problem(display, f"a zip nested more than {MAX_ARCHIVE_DEPTH} archives deep; left out"))
        return []
    # zipfile raises many kinds of error on crafted bytes (BadZipFile, EOFError, ValueError,
    # NotImplementedError for unknown compression, RuntimeError for encryption, zlib.error):
    # any of them means this archive, or this member, cannot be read, and nothing more.
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = sorted(archive.infolist(), key=lambda m: m.filename)
    except Exception as exc:  # noqa: BLE001 -- see above
        problems.append(Problem(display, f"not a valid zip archive ({_reason(exc)})"))
        return []
    docs: list[SourceDoc] = []
    reported_before = len(problems)
    for member in members:
        name = member.filename
        base = name.rsplit("/", 1)[-1]
        if member.is_dir() or base.startswith(".") or not base.lower().endswith((".json", ".zip")):
            continue
        where = f"{display}:{name}"
        if budget.exhausted:
            break
        budget.members += 1
        if budget.members > MAX_ARCHIVE_MEMBERS:
            budget.exhausted = True
            problems.append(Problem(display, f"holds more than {MAX_ARCHIVE_MEMBERS:,} .json/.zip members "
                                    f"(MAX_ARCHIVE_MEMBERS in frontier/plausible.py); {name} and the members after it were left out"))
            break
        if member.file_size > MAX_FILE_BYTES:
            problems.append(Problem(where, f"inflates to {_too_big(member.file_size)}"))
            continue
        if budget.inflated + member.file_size > MAX_ARCHIVE_BYTES:
            budget.exhausted = True
            problems.append(Problem(display, f"inflates to more than {size_text(MAX_ARCHIVE_BYTES)} "
                                    f"(MAX_ARCHIVE_BYTES in frontier/plausible.py); {name} and the members after it were left out"))
            break
        try:
            with archive.open(member) as fh:
                payload = fh.read(MAX_FILE_BYTES + 1)  # a header may understate the size
        except Exception as exc:  # noqa: BLE001 -- see above
            problems.append(Problem(where, f"cannot read this zip member ({_reason(exc)})"))
            continue
        if len(payload) > MAX_FILE_BYTES:
            problems.append(Problem(where, f"inflates to {_too_big(len(payload))}"))
            continue
        budget.inflated += len(payload)
        docs += documents_from_bytes(payload, where, problems, mtime, budget, depth)
    if not docs and len(problems) == reported_before:
        problems.append(Problem(display, "the archive holds no .json benchmark files"))
    return docs


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


_NOT_PARSED = object()
_BOM = b"\xef\xbb\xbf"


def parse_json(data: bytes, display: str, problems: list[Problem]):
    """The parsed document, or ``_NOT_PARSED`` with the reason added to ``problems``."""
    if data.startswith(_BOM):  # Windows editors write one; the content is still UTF-8 JSON
        problems.append(Problem(display, "starts with a UTF-8 byte-order mark; read without it", severity="warning"))
        data = data[len(_BOM):]
    if not data.strip():
        problems.append(Problem(display, "empty file: expected a JSON array or object"))
        return _NOT_PARSED
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        refused = str(exc)
    if refused.startswith("depth limit exceeded"):
        problems.append(Problem(display, f"JSON nested more than {MAX_JSON_DEPTH} levels deep "
                                "(benchmark files need three); left out"))
        return _NOT_PARSED
    # orjson refused it: the standard parser says where and why, and reads NaN / Infinity
    # (kept as such, so they are reported as what they are rather than as missing values).
    try:
        return json.loads(data, parse_constant=JsonConstant)
    except UnicodeDecodeError:
        problems.append(Problem(display, "not a text file (expected UTF-8 JSON)"))
    except json.JSONDecodeError as exc:
        problems.append(Problem(display, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"))
    except RecursionError:
        problems.append(Problem(display, "JSON nested too deeply to read; left out"))
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        problems.append(Problem(display, f"unreadable JSON ({_reason(exc)})"))
    return _NOT_PARSED


def detect_format(content: object) -> str | None:
    records = content if isinstance(content, list) else [content]
    sample = next((r for r in records if isinstance(r, dict)), None)
    if sample is None:
        return None
    if "metrics" in sample and "task" in sample and isinstance(sample["metrics"], dict) \
            and not any(k in sample["metrics"] for k in ("tput_per_gpu", "median_intvty")):
        return "evaluations"  # accuracy results (frontier/evaluations.py), not benchmark rows
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
            got = repr(rec) if isinstance(rec, JsonConstant) else type(rec).__name__
            problems.append(Problem(name, f"expected a JSON object, got {got}", i))
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


# GPU counts in a file name: seven digits at most, which is already beyond any cluster.
_GPUS_IN_NAME = re.compile(r"gpus_(\d{1,7})(?:_ctx_(\d{1,7})_gen_(\d{1,7}))?")
_CONFIG_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})")


def _plain_number(value) -> float | None:
    """A JSON number as a float (booleans are not numbers; an integer too large for a float
    is infinity, which validation then refuses); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def raw_record(content: dict, file_name: str) -> dict:
    """Turn one raw benchmark_serving result into canonical fields it can vouch for.

    The result holds no configuration (gpu, model, framework, ...): those come from the
    user. What the file name says about GPU counts (``gpus_16_ctx_8_gen_8``) is used.
    Values that are not numbers are passed on as found, for validation to name."""
    rec: dict = {}
    match = _GPUS_IN_NAME.search(file_name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    if match:
        rec["gpus"] = int(match.group(1))
        if match.group(2):
            rec["prefill_gpus"], rec["decode_gpus"] = int(match.group(2)), int(match.group(3))
            rec["disagg"] = True
    rec["conc"] = content.get("max_concurrency")
    completed = _plain_number(content.get("completed")) or _plain_number(content.get("num_prompts"))
    for side in ("input", "output"):
        total = _plain_number(content.get(f"total_{side}_tokens"))
        if total is not None and completed and math.isfinite(total) and math.isfinite(completed):
            per_request = total / completed
            if per_request in (1024, 8192):  # nominal lengths; anything else must come from the user
                rec["isl" if side == "input" else "osl"] = int(per_request)
    date = content.get("date")
    stamp = _CONFIG_DATE.match(date) if isinstance(date, str) else None
    if stamp:
        rec["date"] = "-".join(stamp.groups())
    for canonical, field in METRIC_FIELDS.items():
        ms = content.get(field + "_ms")
        if field.endswith(("_tpot", "_ttft", "_e2el", "_itl")) and ms is not None:
            number = _plain_number(ms)
            rec[canonical] = ms if number is None else number / 1000.0
    tpot_ms = _plain_number(content.get("median_tpot_ms"))
    if tpot_ms is not None and math.isfinite(tpot_ms) and tpot_ms > 0:
        rec["intvty"] = 1000.0 / tpot_ms
    rec["_total_tput"] = content.get("total_token_throughput")
    rec["_output_tput"] = content.get("output_throughput")
    return rec


def finish_raw_records(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-GPU throughput needs the GPU count, which may come from the user's settings."""
    if "_total_tput" not in frame:
        return frame
    gpus = numbers(frame["gpus"])[0] if "gpus" in frame else None
    if gpus is None or gpus.isna().all():
        tp = numbers(frame["tp"])[0] if "tp" in frame else pd.Series(float("nan"), index=frame.index)
        gpus = tp * numbers(frame["pp"])[0] if "pp" in frame else tp
    total, total_bad = numbers(frame["_total_tput"])
    output, output_bad = numbers(frame["_output_tput"])
    frame = frame.copy()
    # a value that is no number is passed on as found, so validation names it
    frame["tput"] = (total / gpus).astype(object).where(~total_bad, frame["_total_tput"])
    frame["tput_output"] = (output / gpus).astype(object).where(~output_bad, frame["_output_tput"])
    frame["tput_input"] = (total - output) / gpus
    if "gpus" not in frame:
        frame["gpus"] = gpus
    return frame.drop(columns=["_total_tput", "_output_tput"])


def read_document(doc: SourceDoc, problems: list[Problem], overrides: dict | None = None) -> pd.DataFrame | None:
    """One document to raw canonical rows; ``overrides`` (canonical names) win over the file."""
    fmt = detect_format(doc.content)
    if fmt is None and doc.content == []:
        problems.append(Problem(doc.name, "an empty array: no records"))
        return None
    if fmt is None:
        problems.append(Problem(doc.name, UNKNOWN_FORMAT))
        return None
    if fmt == "evaluations":
        problems.append(Problem(doc.name, "evaluation (accuracy) results, not benchmark rows: skipped here; "
                                          "they are read from the data folder's evaluations/ subfolder",
                                severity="warning"))
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
            values = numbers(frame[column])[0] if column in frame else None
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
