"""Reference tables a user edits by hand: hardware (prices, power, vendor) and models.

Both are CSV files with ``#`` comment lines. A bad row is reported and skipped; the rest
of the table still loads."""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from .plausible import MAX_TABLE_BYTES, size_text
from .problems import Problem

HARDWARE_FILE = "hardware.csv"
MODELS_FILE = "models.csv"
PROVIDERS = ("hyperscaler", "neocloud", "rental")
PROVIDER_LABELS = {"hyperscaler": "Hyperscaler", "neocloud": "Neocloud", "rental": "3-year rental"}


@dataclass(frozen=True)
class Gpu:
    key: str
    label: str
    vendor: str
    family: str
    price: dict  # provider -> $ per GPU-hour
    kw_per_gpu: float


@dataclass
class ReferenceTables:
    gpus: dict[str, Gpu] = field(default_factory=dict)  # in file order
    models: dict[str, str] = field(default_factory=dict)  # key -> display label
    model_aliases: dict[str, str] = field(default_factory=dict)  # alias -> key
    problems: list[Problem] = field(default_factory=list)

    def gpu_label(self, key: str) -> str:
        gpu = self.gpus.get(key)
        return gpu.label if gpu else key.upper()

    def model_label(self, key: str) -> str:
        return self.models.get(key, key)

    def canonical_model(self, raw: str) -> str:
        key = raw.strip().lower()
        return self.model_aliases.get(key, key)


def _read_rows(path: Path, problems: list[Problem]) -> list[tuple[int, dict]]:
    try:
        if path.stat().st_size > MAX_TABLE_BYTES:
            problems.append(Problem(path.name, f"{size_text(path.stat().st_size)}, over the {size_text(MAX_TABLE_BYTES)} "
                                    "limit for a reference table (MAX_TABLE_BYTES in frontier/plausible.py); not read"))
            return []
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path.name, f"cannot read the file ({exc})"))
        return []
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    try:
        # a row may have more cells than the header (DictReader keys them None, as a list)
        return [(i, {(k or "").strip(): v.strip() if isinstance(v, str) else "" for k, v in row.items()})
                for i, row in enumerate(reader)]
    except csv.Error as exc:  # e.g. a field over the csv module's 128 KB limit
        problems.append(Problem(path.name, f"not a readable CSV table ({exc}); not read"))
        return []


def _positive(value: str, name: str, where: tuple, problems: list[Problem]) -> float | None:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number <= 0:
        problems.append(Problem(where[0], f"expected a positive number, got {value!r}", where[1], name))
        return None
    return number


def load_hardware(path: Path, problems: list[Problem]) -> dict[str, Gpu]:
    gpus: dict[str, Gpu] = {}
    for i, row in _read_rows(path, problems):
        key = row.get("key", "").lower()
        if not key:
            problems.append(Problem(path.name, "missing gpu key", i, "key"))
            continue
        where = (path.name, i)
        values = {name: _positive(row.get(name, ""), name, where, problems) for name in (*PROVIDERS, "kw_per_gpu")}
        if any(v is None for v in values.values()):
            continue  # reported above; a GPU without prices would show wrong costs
        vendor = row.get("vendor") or "Other"
        gpus[key] = Gpu(
            key=key,
            label=row.get("label") or key.upper(),
            vendor=vendor,
            family=row.get("family", ""),
            price={p: values[p] for p in PROVIDERS},
            kw_per_gpu=values["kw_per_gpu"],
        )
    return gpus


def load_models(path: Path, problems: list[Problem]) -> tuple[dict[str, str], dict[str, str]]:
    models: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for i, row in _read_rows(path, problems):
        key = row.get("key", "").lower()
        if not key:
            problems.append(Problem(path.name, "missing model key", i, "key"))
            continue
        models[key] = row.get("label") or key
        for alias in filter(None, (a.strip().lower() for a in row.get("aliases", "").split("|"))):
            aliases[alias] = key
    return models, aliases


def load_reference(data_dir: Path, fallback_dir: Path | None = None) -> ReferenceTables:
    """Tables from ``data_dir``; each one missing there comes from ``fallback_dir``."""
    problems: list[Problem] = []

    def locate(name: str) -> Path | None:
        for folder in (data_dir, fallback_dir):
            if folder is None or not (folder / name).is_file():
                continue
            if _leads_outside(folder / name, folder):
                problems.append(Problem(name, "a link to a file outside the data folder: not followed"))
                continue
            return folder / name
        problems.append(Problem(name, f"reference table not found in {data_dir}"))
        return None

    hw_path, models_path = locate(HARDWARE_FILE), locate(MODELS_FILE)
    gpus = load_hardware(hw_path, problems) if hw_path else {}
    models, aliases = load_models(models_path, problems) if models_path else ({}, {})
    return ReferenceTables(gpus=gpus, models=models, model_aliases=aliases, problems=problems)


def _leads_outside(path: Path, folder: Path) -> bool:
    """A table is read through a link only when the link stays inside its folder."""
    return path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def reference_paths(data_dir: Path, fallback_dir: Path | None = None) -> list[Path]:
    """The table files actually used, for cache keys."""
    found = []
    for name in (HARDWARE_FILE, MODELS_FILE):
        for folder in (data_dir, fallback_dir):
            if folder is not None and (folder / name).is_file() and not _leads_outside(folder / name, folder):
                found.append(folder / name)
                break
    return found
