"""Derived metrics (SPEC §2) and the registry of what can be plotted.

cost $/M tokens = price per GPU-hour / (throughput x 3600 / 1e6)
tok/s/MW        = throughput x 1000 / kW per GPU
J/token         = kW per GPU x 1000 / throughput
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .reference import PROVIDER_LABELS, PROVIDERS, ReferenceTables

TOKEN_KINDS = {"total": "tput", "input": "tput_input", "output": "tput_output"}


def cost_per_million(price_per_gpu_hour, throughput):
    return price_per_gpu_hour / (throughput * 3600.0 / 1e6)


def tokens_per_megawatt(throughput, kw_per_gpu):
    return throughput * 1000.0 / kw_per_gpu


def joules_per_token(throughput, kw_per_gpu):
    return kw_per_gpu * 1000.0 / throughput


def add_derived(points: pd.DataFrame, reference: ReferenceTables) -> pd.DataFrame:
    """Adds cost (3 token kinds x 3 providers), tok/s/MW and J/token. Unknown GPUs get NaN."""
    gpu = points["gpu"].astype(str)
    kw = gpu.map({k: g.kw_per_gpu for k, g in reference.gpus.items()}).astype(float)
    for provider in PROVIDERS:
        price = gpu.map({k: g.price[provider] for k, g in reference.gpus.items()}).astype(float)
        for kind, column in TOKEN_KINDS.items():
            points[f"cost_{kind}_{provider}"] = cost_per_million(price, points[column])
    points["tokmw"] = tokens_per_megawatt(points["tput"], kw)
    points["jtok"] = joules_per_token(points["tput"], kw)
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
    metrics += [
        Metric("tokmw", "Throughput per megawatt", "tok/s/MW", "tokmw", True, "Power", 0),
        Metric("jtok", "Energy per token", "J/token", "jtok", False, "Power", 3),
    ]
    return {m.id: m for m in metrics}


Y_METRICS = _build_y_metrics()
DEFAULT_Y = "tput"

X_AXES = {
    "intvty": Metric("intvty", "Interactivity (median)", "tok/s/user", "intvty", True, "x", 1),
    "e2el": Metric("e2el", "End-to-end latency (median)", "s", "e2el_median", False, "x", 2),
    "ttft": Metric("ttft", "Time to first token (median)", "s", "ttft_median", False, "x", 3),
}
DEFAULT_X = "intvty"


def axis_title(metric: Metric) -> str:
    return f"{metric.label} ({metric.unit})"


def metric_provider(metric_id: str) -> str | None:
    """The price provider a cost metric reads (``cost_output_neocloud`` -> neocloud), else None."""
    metric = Y_METRICS.get(metric_id)
    if metric is None or not metric.column.startswith("cost_"):
        return None
    return metric.column.rsplit("_", 1)[1]
