"""Your own prices and power (SPEC §10).

``price=<gpu>:<$ per GPU-hour>,...`` replaces the selected provider's price for those GPUs,
``kw=<gpu>:<all-in kW per GPU>,...`` their power; ``provider=`` picks whose prices apply.
``apply_prices`` recomputes the derived columns of the affected GPUs' points with the same
formulas as loading (frontier/metrics.py), so every figure downstream (frontiers, comparison
cells, calculator, history, CSV) is computed from the overridden values. Cost stays a
per-point value interpolated like any other metric (SPEC §4): doubling a GPU's price exactly
doubles its cost cells, halving its kW exactly doubles its tok/s/MW."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .formatting import fixed, money, number_text
from .metrics import TOKEN_KINDS, power_values, price_columns
from .reference import PROVIDER_LABELS
from .urlstate import DEFAULT_PROVIDER, Resolution, parse_provider, shown

PRICE_RANGE = (1e-4, 1000.0)  # $ per GPU-hour accepted: a bound, far outside any real price
KW_RANGE = (1e-3, 100.0)  # all-in kW per GPU accepted
MAX_ENTRY_CHARS = 48
_ENTRY = re.compile(r"^\s*([a-z0-9][a-z0-9_.\-]*)\s*:\s*([^\s:]+)\s*$")


@dataclass(frozen=True)
class PriceOverrides:
    provider: str = DEFAULT_PROVIDER
    price: tuple[tuple[str, float], ...] = ()  # (gpu, $ per GPU-hour), sorted by gpu
    kw: tuple[tuple[str, float], ...] = ()  # (gpu, kW per GPU), sorted by gpu

    @property
    def custom(self) -> bool:
        """Custom values are in force (the page says so)."""
        return bool(self.price or self.kw)

    @property
    def gpus(self) -> set[str]:
        return {g for g, _ in self.price} | {g for g, _ in self.kw}

    def price_for(self, reference, gpu: str) -> float | None:
        """$/GPU-hr in force for ``gpu`` with this provider (None for a GPU the table lacks)."""
        custom = dict(self.price).get(gpu)
        if custom is not None:
            return custom
        info = reference.gpus.get(gpu)
        return info.price[self.provider] if info else None

    def kw_for(self, reference, gpu: str) -> float | None:
        custom = dict(self.kw).get(gpu)
        if custom is not None:
            return custom
        info = reference.gpus.get(gpu)
        return info.kw_per_gpu if info else None


DEFAULT_PRICES = PriceOverrides()


def _entries(query: dict, key: str, reference, bounds: tuple[float, float], unit: str,
             res: Resolution) -> tuple[tuple[str, float], ...]:
    raw = [v for v in query.get(key, []) if v != ""]
    limit = max(len(reference.gpus), 1)
    if len(raw) > limit:
        res.note(f"Kept the first {limit} values of {key}: one per GPU.")
        raw = raw[:limit]
    found: dict[str, float] = {}
    lo, hi = bounds
    for entry in raw:
        match = _ENTRY.match(entry.lower()) if len(entry) <= MAX_ENTRY_CHARS else None
        if not match:
            res.note(f"Ignored {key} {shown(entry)}: expected <gpu>:<{unit}>, e.g. {key}=b300:"
                     f"{'3.1' if key == 'price' else '2.4'}.")
            continue
        gpu, text = match.groups()
        if gpu not in reference.gpus:
            res.note(f"Ignored {key} {shown(entry)}: unknown GPU {shown(gpu)}.")
            continue
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value <= 0:
            res.note(f"Ignored {key} {shown(entry)}: expected a positive number of {unit}.")
            continue
        if not lo <= value <= hi:
            res.note(f"Ignored {key} {shown(entry)}: {unit} must lie between {number_text(lo)} and {number_text(hi)}.")
            continue
        if gpu in found and found[gpu] != value:
            res.note(f"{key} gave {gpu} twice; used the last value.")
        found[gpu] = value
    return tuple(sorted(found.items()))


def resolve_prices(query: dict[str, list[str]], reference, res: Resolution | None = None,
                   metric: str | None = None) -> PriceOverrides:
    """The valid provider and overrides of a query; every ignored value is noticed.
    ``metric``: the chart's metric, whose provider applies when ``provider`` is absent
    (``urlstate.parse_provider``)."""
    res = res if res is not None else Resolution()
    provider = parse_provider(query, metric or "", res)
    return PriceOverrides(
        provider=provider,
        price=_entries(query, "price", reference, PRICE_RANGE, "$ per GPU-hour", res),
        kw=_entries(query, "kw", reference, KW_RANGE, "kW per GPU", res),
    )


def price_pairs(overrides: PriceOverrides, include_provider: bool = True) -> list[tuple[str, str]]:
    """Query pairs for a URL: ``provider`` (when not the default), ``price``, ``kw``."""
    pairs = []
    if include_provider and overrides.provider != DEFAULT_PROVIDER:
        pairs.append(("provider", overrides.provider))
    for key in ("price", "kw"):
        entries = getattr(overrides, key)
        if entries:
            pairs.append((key, ",".join(f"{g}:{number_text(v)}" for g, v in entries)))
    return pairs


def apply_prices(points: pd.DataFrame, reference, overrides: PriceOverrides) -> pd.DataFrame:
    """``points`` with the overridden GPUs' cost, tokens-per-$, tok/s/MW and J/token columns
    recomputed; other GPUs' values untouched. The same frame object when nothing is
    overridden (so memoised views stay shared). A price override changes the columns of the
    selected provider only: it replaces that provider's price."""
    if not overrides.custom or points.empty:
        return points
    gpu = points["gpu"].astype(str).to_numpy()
    out = None
    tput = None
    for key, custom in (("price", dict(overrides.price)), ("kw", dict(overrides.kw))):
        if not custom:
            continue
        rows = np.isin(gpu, list(custom))
        if not rows.any():
            continue
        if out is None:
            out = points.copy(deep=False)  # columns are replaced whole below, never written into
            tput = {kind: points[col].to_numpy(dtype=float) for kind, col in TOKEN_KINDS.items()}
        value = np.array([custom.get(g, np.nan) for g in gpu[rows]], dtype=float)
        sub = {kind: arr[rows] for kind, arr in tput.items()}
        if key == "price":
            fresh = {f"{name}_{overrides.provider}": v for name, v in price_columns(sub, value).items()}
        else:
            fresh = power_values(sub, value)
        for column, values in fresh.items():
            if column not in out:
                continue
            full = out[column].to_numpy(dtype=float, copy=True)
            full[rows] = values
            out[column] = full
    return points if out is None else out


def prices_used(reference, overrides: PriceOverrides, gpus) -> list[dict]:
    """What a page names as "the prices used": per GPU, the $/GPU-hr and kW in force, the
    table's defaults and whether each is custom."""
    out = []
    custom_price, custom_kw = dict(overrides.price), dict(overrides.kw)
    for gpu in gpus:
        info = reference.gpus.get(gpu)
        default_price = info.price[overrides.provider] if info else None
        default_kw = info.kw_per_gpu if info else None
        price = custom_price.get(gpu, default_price)
        kw = custom_kw.get(gpu, default_kw)
        out.append({
            "gpu": gpu,
            "label": reference.gpu_label(gpu),
            "provider": overrides.provider,
            "provider_label": PROVIDER_LABELS[overrides.provider],
            "price": price,
            "price_text": _price_text(price),
            "price_custom": gpu in custom_price,
            "default_price": default_price,
            "kw": kw,
            "kw_text": _kw_text(kw),
            "kw_custom": gpu in custom_kw,
            "default_kw": default_kw,
        })
    return out


def _price_text(value: float | None) -> str:
    if value is None:
        return "no price"
    # two decimals unless the price has more (2.808 stays 2.808): the text shows the value used
    decimals = max(2, min(4, len(number_text(value).partition(".")[2])))
    return f"{money(value, decimals)}/GPU-hr"


def _kw_text(value: float | None) -> str:
    if value is None:
        return "no power figure"
    decimals = max(2, min(4, len(number_text(value).partition(".")[2])))
    return f"{fixed(value, decimals)} kW/GPU"


def prices_sentence(used: list[dict]) -> str:
    """One sentence naming the prices in force, e.g. "Priced at hyperscaler rates: B300
    $3.10/GPU-hr (custom), 2.17 kW/GPU; H200 $1.41/GPU-hr, 1.73 kW/GPU." """
    if not used:
        return ""
    parts = []
    for u in used:
        price = u["price_text"] + (" (custom)" if u["price_custom"] else "")
        kw = u["kw_text"] + (" (custom)" if u["kw_custom"] else "")
        parts.append(f"{u['label']} {price}, {kw}")
    return f"Priced at {used[0]['provider_label'].lower()} rates: " + "; ".join(parts) + "."

