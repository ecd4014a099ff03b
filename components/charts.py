"""Figure factories: series in, a plain Plotly figure dict out.

Figures are built as dicts (not ``go.Figure``) with coordinates as base64 typed arrays, which
keeps a callback to a few milliseconds and its payload small. View-only choices (log axes,
point labels, colour palette, dark theme) are left to the browser (assets/app.js), which
composes them onto this figure without a server round trip."""

from __future__ import annotations

import base64
import html

import numpy as np

from frontier.formatting import fixed
from frontier.metrics import X_AXES, Y_METRICS, axis_title

# Vendor-aware colours: NVIDIA in greens, AMD in reds, anything else in blues/purples.
VENDOR_COLOURS = {
    "h100": "#9bc53d", "h200": "#5f9e1f", "b200": "#2e9d4f", "b300": "#0e7a3b", "gb200": "#3cbf94", "gb300": "#0b4d2c",
    "mi300x": "#f28b82", "mi325x": "#d93025", "mi355x": "#8e1b10",
}
VENDOR_FALLBACK = {"NVIDIA": ["#4caf50", "#1b5e20", "#81c784"], "AMD": ["#e53935", "#b71c1c", "#ef9a9a"],
                   "Other": ["#3f7fbf", "#7b5ea7", "#5c9ead", "#a0522d"]}
# High contrast: Paul Tol's "bright" + "vibrant" sets, distinguishable with colour-vision deficiency.
CONTRAST = ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#ee7733", "#009988", "#cc3311", "#bbbbbb"]
SIDE_COLOURS = {"a": "#2f6fdf", "b": "#e8872b"}
SIDE_CONTRAST = {"a": "#004488", "b": "#ddaa33"}
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "pentagon", "hexagon", "triangle-down"]
SPEC_DASH = {"mtp": "solid", "none": "dot"}


def typed(values, dtype="f8") -> dict:
    """A numeric array in Plotly's compact base64 form."""
    arr = np.ascontiguousarray(np.asarray(values, dtype=dtype))
    return {"dtype": dtype, "bdata": base64.b64encode(arr.tobytes()).decode("ascii")}


def esc(text) -> str:
    """Data text placed in hover templates: Plotly reads a few tags there, so escape it."""
    return html.escape(str(text), quote=False).replace("%{", "%\u200b{")


def colour_for(series, gpu_index: dict[str, int], vendor_slots: dict[str, int]) -> tuple[str, str]:
    if series.side:
        return SIDE_COLOURS[series.side], SIDE_CONTRAST[series.side]
    gpu = series.gpu
    normal = VENDOR_COLOURS.get(gpu)
    if normal is None:
        palette = VENDOR_FALLBACK.get(series.vendor, VENDOR_FALLBACK["Other"])
        normal = palette[vendor_slots.setdefault(gpu, len(vendor_slots)) % len(palette)]
    return normal, CONTRAST[gpu_index.setdefault(gpu, len(gpu_index)) % len(CONTRAST)]


HOVER_FIELDS = ["deployment", "parallelism", "gpus", "conc", "tput", "intvty", "ttft_median", "e2el_median",
                "tpot_median", "date", "image"]


def _customdata(points, y_column: str) -> list:
    cols = [points[c] if c in points else None for c in HOVER_FIELDS]
    y = points[y_column].to_numpy(dtype=float)
    urls = _urls(points)
    rows = []
    for i in range(len(points)):
        d = [None if c is None else c.iloc[i] for c in cols]
        rows.append([
            esc(d[0]), esc(d[1] or "n/a"), _int(d[2]), _int(d[3]), fixed(d[4], 1, True), fixed(d[5], 1),
            fixed(d[6], 3), fixed(d[7], 2), fixed(None if d[8] is None else d[8] * 1000, 2), esc(d[9]), esc(d[10] or "n/a"),
            _fmt_y(y[i], y_column), urls[i] if urls else "",
        ])
    return rows


def _int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return "n/a"


def _fmt_y(v: float, column: str) -> str:
    if column.startswith("cost"):
        return "n/a" if not np.isfinite(v) else f"${fixed(v, 3)}"
    if column == "jtok":
        return fixed(v, 3)
    return fixed(v, 1, True)


def hover_template(series, y_metric, x_metric) -> str:
    head = f"<b>{esc(series.name)}</b><br>"
    lines = [
        "%{customdata[0]} · %{customdata[1]} · %{customdata[2]} GPUs · concurrency %{customdata[3]}",
        "Throughput: %{customdata[4]} tok/s/GPU",
        "Interactivity: %{customdata[5]} tok/s/user (TPOT %{customdata[8]} ms)",
        "TTFT: %{customdata[6]} s · E2E latency: %{customdata[7]} s",
    ]
    if y_metric.column not in ("tput",):
        lines.append(f"{esc(y_metric.label)}: %{{customdata[11]}} {esc(y_metric.unit)}")
    lines += ["Measured %{customdata[9]} · %{customdata[10]}", "<i>click the point for the run link</i>"]
    return head + "<br>".join(lines) + "<extra></extra>"


def build_figure(series_list, metric: str, x: str, title: str = "", targets: list[float] | None = None) -> dict:
    """One marker trace and one frontier-line trace per series."""
    y_metric, x_metric = Y_METRICS[metric], X_AXES[x]
    data = []
    gpu_index: dict[str, int] = {}
    vendor_slots: dict[str, int] = {}
    framework_symbols: dict[str, str] = {}
    for n, s in enumerate(series_list):
        colour, contrast = colour_for(s, gpu_index, vendor_slots)
        fkey = s.framework or s.side or ""
        symbol = framework_symbols.setdefault(fkey, SYMBOLS[len(framework_symbols) % len(SYMBOLS)])
        if s.precision and s.precision not in ("fp4",) and len({x.precision for x in series_list}) > 1:
            symbol += "-open"
        pts = s.points
        group = f"s{n}"
        on_frontier = np.zeros(len(pts), dtype=bool)
        on_frontier[s.frontier] = True
        labels = [esc(f"{p} c{c}") for p, c in zip(pts["parallelism"].astype(str), pts["conc"])]
        data.append({
            "type": "scatter", "mode": "markers", "name": s.name, "legendgroup": group,
            "x": typed(pts[x_metric.column]), "y": typed(pts[y_metric.column]),
            "marker": {"color": colour, "symbol": symbol, "size": np.where(on_frontier, 9, 6).tolist(),
                       "opacity": 0.9, "line": {"width": 1, "color": colour}},
            "customdata": _customdata(pts, y_metric.column),
            "hovertemplate": hover_template(s, y_metric, x_metric),
            "text": labels, "textposition": "top center", "textfont": {"size": 9},
            "meta": {"colours": [colour, contrast], "role": "points"},
        })
        if len(s.curve_x):
            data.append({
                "type": "scatter", "mode": "lines", "name": s.name + " frontier", "legendgroup": group,
                "showlegend": False, "hoverinfo": "skip",
                "x": typed(s.curve_x), "y": typed(s.curve_y),
                "line": {"color": colour, "width": 2, "dash": SPEC_DASH.get(s.spec or "", "solid")},
                "meta": {"colours": [colour, contrast], "role": "frontier"},
            })
    shapes = []
    for t in targets or []:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": t, "x1": t, "y0": 0, "y1": 1,
                       "line": {"dash": "dash", "width": 1, "color": "rgba(128,128,128,0.7)"}})
    layout = {
        "title": {"text": esc(title), "x": 0.01, "font": {"size": 15}} if title else None,
        "xaxis": {"title": {"text": axis_title(x_metric)}, "uirevision": x, "zeroline": False},
        "yaxis": {"title": {"text": axis_title(y_metric)}, "uirevision": metric, "zeroline": False,
                  "rangemode": "tozero"},
        "uirevision": "frontier",
        "legend": {"orientation": "h", "y": -0.18, "yanchor": "top", "x": 0, "font": {"size": 11}},
        "margin": {"l": 70, "r": 20, "t": 40 if title else 20, "b": 60},
        "hovermode": "closest",
        "height": 560,
        "shapes": shapes,
        "meta": {"x": x, "metric": metric},
    }
    if x_metric.higher_is_better is False:
        layout["xaxis"]["rangemode"] = "tozero"
    return {"data": data, "layout": {k: v for k, v in layout.items() if v is not None}}


def _urls(points) -> list:
    if "run_url" not in points:
        return []
    return [u if isinstance(u, str) and u.startswith("https://") else "" for u in points["run_url"].astype(object)]


def empty_figure(message: str) -> dict:
    return {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 360,
                                   "annotations": [{"text": esc(message), "showarrow": False, "font": {"size": 15}}]}}
