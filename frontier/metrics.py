"""Derived metrics (SPEC §2) and the registry of what can be plotted.

cost $/M tokens   = price per GPU-hour / (throughput x 3600 / 1e6)
tokens per $      = throughput x 3600 / price per GPU-hour  (= 1e6 / cost $/M tokens)
tok/s/MW          = throughput x 1000 / kW per GPU
J/token           = kW per GPU x 1000 / throughput

Each comes for total (input + output), input and output tokens, using that kind's
throughput; cost and tokens per $ also for each price provider. Column names:
``cost_<kind>_<provider>``, ``tpd_<kind>_<provider>``, ``tokmw`` / ``tokmw_<kind>``,
``jtok`` / ``jtok_<kind>`` (the total kind keeps the short historical names).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .reference import PROVIDER_LABELS, PROVIDERS, ReferenceTables

TOKEN_KINDS = {"total": "tput", "input": "tput_input", "output": "tput_output"}


def cost_per_million(price_per_gpu_hour, throughput):
    return price_per_gpu_hour / (throughput * 3600.0 / 1e6)


def tokens_per_megawatt(throughput, kw_per_gpu):
    return throughput * 1000.0 / kw_per_gpu


def joules_per_token(throughput, kw_per_gpu):
    return kw_per_gpu * 1000.0 / throughput


def tokens_per_dollar(price_per_gpu_hour, throughput):
    return throughput * 3600.0 / price_per_gpu_hour


def cost_column(kind: str, provider: str) -> str:
    return f"cost_{kind}_{provider}"


def tpd_column(kind: str, provider: str) -> str:
    return f"tpd_{kind}_{provider}"


def tokens_per_dollar_metric(provider: str, kind: str = "total") -> str:
    """The id of the tokens-per-dollar metric of a provider ("tokens_per_dollar" for all tokens
    at hyperscaler prices, "tokens_per_dollar_total_neocloud", ...)."""
    return "tokens_per_dollar" + ("" if (kind, provider) == ("total", "hyperscaler") else f"_{kind}_{provider}")


def power_columns(tokens: str) -> tuple[str, str]:
    """(tok/s/MW column, J/token column) of a token kind ("total", "input", "output")."""
    return ("tokmw", "jtok") if tokens == "total" else (f"tokmw_{tokens}", f"jtok_{tokens}")


# every column that depends on a price or on the power per GPU (frontier/prices.py recomputes them)
PRICE_COLUMNS = {p: [c for k in TOKEN_KINDS for c in (cost_column(k, p), tpd_column(k, p))] for p in PROVIDERS}
POWER_COLUMNS = [c for k in TOKEN_KINDS for c in power_columns(k)]


def price_columns(throughput: dict, price) -> dict:
    """Cost and tokens-per-$ columns of one provider; ``throughput``: kind -> array."""
    out = {}
    for kind, tput in throughput.items():
        out[f"cost_{kind}"] = cost_per_million(price, tput)
        out[f"tpd_{kind}"] = tokens_per_dollar(price, tput)
    return out


def power_values(throughput: dict, kw) -> dict:
    """tok/s/MW and J/token columns; ``throughput``: kind -> array."""
    out = {}
    for kind, tput in throughput.items():
        mw, j = power_columns(kind)
        out[mw] = tokens_per_megawatt(tput, kw)
        out[j] = joules_per_token(tput, kw)
    return out


def derived_values(points: pd.DataFrame, prices: dict, kw) -> dict:
    """Every derived column for ``points``: ``prices`` provider -> $/GPU-hr per row, ``kw`` per row."""
    tput = {kind: points[column].to_numpy(dtype=float) for kind, column in TOKEN_KINDS.items()}
    out = {}
    for provider in PROVIDERS:
        price = np.asarray(prices[provider], dtype=float)
        for name, values in price_columns(tput, price).items():
            out[f"{name}_{provider}"] = values
    out.update(power_values(tput, np.asarray(kw, dtype=float)))
    return out


def add_derived(points: pd.DataFrame, reference: ReferenceTables) -> pd.DataFrame:
    """Adds cost and tokens per $ (3 token kinds x 3 providers), tok/s/MW and J/token (3 token
    kinds). Unknown GPUs get NaN."""
    gpu = points["gpu"].astype(str)
    kw = gpu.map({k: g.kw_per_gpu for k, g in reference.gpus.items()}).astype(float)
    prices = {p: gpu.map({k: g.price[p] for k, g in reference.gpus.items()}).astype(float) for p in PROVIDERS}
    with np.errstate(divide="ignore", invalid="ignore"):
        values = derived_values(points, prices, kw)
    for column, array in values.items():
        points[column] = array
    return points


@dataclass(frozen=True)
class Metric:
    id: str
    label: str  # what a person reads in the control and on the axis
    unit: str
    column: str
    higher_is_better: bool
    group: str
    decimals: int = 1


def _build_y_metrics() -> dict[str, Metric]:
    metrics = [
        Metric("tput", "Throughput per GPU (input + output)", "tok/s/GPU", "tput", True, "Throughput"),
        Metric("tput_input", "Input throughput per GPU", "tok/s/GPU", "tput_input", True, "Throughput"),
        Metric("tput_output", "Output throughput per GPU", "tok/s/GPU", "tput_output", True, "Throughput"),
    ]
    for provider in PROVIDERS:
        for kind in TOKEN_KINDS:
            what = {"total": "all tokens", "input": "input tokens", "output": "output tokens"}[kind]
            metrics.append(
                Metric(
                    f"cost_{kind}_{provider}" if (kind, provider) != ("total", "hyperscaler") else "cost",
                    f"Cost per million {what} ({PROVIDER_LABELS[provider]})",
                    "$/M tokens",
                    f"cost_{kind}_{provider}",
                    False,
                    f"Cost ({PROVIDER_LABELS[provider]})",
                    3,
                )
            )
    for provider in PROVIDERS:
        for kind in TOKEN_KINDS:
            what = {"total": "all tokens", "input": "input tokens", "output": "output tokens"}[kind]
            metrics.append(
                Metric(
                    tokens_per_dollar_metric(provider, kind),
                    f"Tokens per dollar, {what} ({PROVIDER_LABELS[provider]})",
                    "tokens/$",
                    tpd_column(kind, provider),
                    True,
                    f"Tokens per dollar ({PROVIDER_LABELS[provider]})",
                    0,
                )
            )
    metrics += [
        Metric("tokmw", "Throughput per megawatt", "tok/s/MW", "tokmw", True, "Power", 0),
        Metric("jtok", "Energy per token", "J/token", "jtok", False, "Power", 3),
        Metric("tokmw_input", "Input throughput per megawatt", "tok/s/MW", "tokmw_input", True, "Power", 0),
        Metric("tokmw_output", "Output throughput per megawatt", "tok/s/MW", "tokmw_output", True, "Power", 0),
        Metric("jtok_input", "Energy per input token", "J/token", "jtok_input", False, "Power", 3),
        Metric("jtok_output", "Energy per output token", "J/token", "jtok_output", False, "Power", 3),
    ]
    return {m.id: m for m in metrics}


Y_METRICS = _build_y_metrics()
DEFAULT_Y = "tput"



def _build_x_axes() -> dict[str, Metric]:
    axes = {"intvty": Metric("intvty", "Interactivity (median)", "tok/s/user", "intvty", True, "x", 1)}
    # ``e2el`` / ``ttft`` (no percentile) are the medians: ids that existing links use
    for base, label, decimals in (("e2el", "End-to-end latency", 2), ("ttft", "Time to first token", 3)):
        for pct in ("median", "p90", "p99"):
            key = base if pct == "median" else f"{base}_{pct}"
            # "(median)" as before; "…, p90" keeps the percentile in labels cut at " ("
            name = f"{label} (median)" if pct == "median" else f"{label}, {pct}"
            axes[key] = Metric(key, name, "s", f"{base}_{pct}", False, "x", decimals)
    return axes


X_AXES = _build_x_axes()
DEFAULT_X = "intvty"


def axis_title(metric: Metric) -> str:
    return f"{metric.label} ({metric.unit})"


def metric_provider(metric_id: str) -> str | None:
    """The price provider a cost metric reads (``cost_output_neocloud`` -> neocloud), else None."""
    metric = Y_METRICS.get(metric_id)
    if metric is None or not metric.column.startswith(("cost_", "tpd_")):
        return None
    return metric.column.rsplit("_", 1)[1]
