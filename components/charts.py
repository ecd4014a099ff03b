"""Figure factories: series in, a plain Plotly figure dict out.

Figures are built as dicts (not ``go.Figure``) with coordinates as base64 typed arrays, which
keeps a callback to a few milliseconds and its payload small. View-only choices (log axes,
point labels, colour palette, dark theme) are left to the browser (assets/app.js), which
composes them onto this figure without a server round trip."""

from __future__ import annotations

import base64
import html

import numpy as np

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


# Numbers each point carries for its hover text, as one compact typed array (n x 8).
HOVER_NUMBERS = ["gpus", "conc", "tput", "intvty", "ttft_median", "e2el_median", "tpot_median"]


class ViewColumns:
    """Columns of a view's frame pulled out once, then sliced per series (pandas per-call
    overhead on many small series used to dominate a figure's build time)."""

    def __init__(self):
        self._cache: dict = {}

    def numbers(self, frame, name: str) -> np.ndarray:
        key = (id(frame), name, "f")
        if key not in self._cache:
            self._cache[key] = (frame[name].to_numpy(dtype=float) if name in frame
                                else np.full(len(frame), np.nan))
        return self._cache[key]

    def objects(self, frame, name: str) -> np.ndarray:
        key = (id(frame), name, "o")
        if key not in self._cache:
            self._cache[key] = (frame[name].to_numpy(dtype=object) if name in frame
                                else np.full(len(frame), None, dtype=object))
        return self._cache[key]


def hover_numbers(cols: ViewColumns, s, y_column: str) -> dict:
    pos = s.positions
    matrix = np.column_stack([cols.numbers(s.view, c)[pos] for c in HOVER_NUMBERS] + [cols.numbers(s.view, y_column)[pos]])
    matrix[:, 6] *= 1000.0  # TPOT in ms
    spec = typed(np.ascontiguousarray(matrix, dtype="f4").ravel(), "f4")
    spec["shape"] = f"{len(pos)},{matrix.shape[1]}"
    return spec


def hover_text(cols: ViewColumns, s) -> list[str]:
    """The words of a point's configuration (its numbers travel in customdata)."""
    pos = s.positions
    rows = zip(cols.objects(s.view, "deployment")[pos], cols.objects(s.view, "parallelism")[pos],
               cols.objects(s.view, "date")[pos], cols.objects(s.view, "image")[pos])
    return [f"{esc(d)} · {esc(p or 'n/a')}<br>Measured {esc(day)} · {esc(img) if isinstance(img, str) else 'image n/a'}"
            for d, p, day, img in rows]


def point_labels(cols: ViewColumns, s) -> list[str]:
    pos = s.positions
    return [f"{esc(p)} c{int(c)}" for p, c in zip(cols.objects(s.view, "parallelism")[pos], cols.numbers(s.view, "conc")[pos])]


def _y_format(column: str) -> str:
    if column.startswith("cost"):
        return "%{customdata[7]:.3f}"
    if column == "jtok":
        return "%{customdata[7]:.3f}"
    return "%{customdata[7]:,.1f}"


def hover_template(y_metric, x_metric) -> str:
    """One template for every points trace (set once in the layout's template): the series
    name comes from the trace itself."""
    head = "<b>%{fullData.name}</b><br>"
    lines = [
        "%{hovertext}",
        "%{customdata[0]} GPUs · concurrency %{customdata[1]}",
        "Throughput: %{customdata[2]:,.1f} tok/s/GPU",
        "Interactivity: %{customdata[3]:.1f} tok/s/user (TPOT %{customdata[6]:.2f} ms)",
        "TTFT: %{customdata[4]:.3f} s · E2E latency: %{customdata[5]:.2f} s",
    ]
    if y_metric.column != "tput":
        lines.append(f"{esc(y_metric.label)}: {_y_format(y_metric.column)} {esc(y_metric.unit)}")
    lines.append("<i>click the point for its run link</i>")
    return head + "<br>".join(lines) + "<extra></extra>"


def build_figure(series_list, metric: str, x: str, title: str = "", targets: list[float] | None = None) -> dict:
    """Per series, a marker trace then its frontier-line trace (always in that order)."""
    y_metric, x_metric = Y_METRICS[metric], X_AXES[x]
    data = []
    gpu_index: dict[str, int] = {}
    vendor_slots: dict[str, int] = {}
    framework_symbols: dict[str, str] = {}
    cols = ViewColumns()
    for n, s in enumerate(series_list):
        colour, contrast = colour_for(s, gpu_index, vendor_slots)
        fkey = s.framework or s.side or ""
        symbol = framework_symbols.setdefault(fkey, SYMBOLS[len(framework_symbols) % len(SYMBOLS)])
        if s.precision and s.precision not in ("fp4",) and len({x.precision for x in series_list}) > 1:
            symbol += "-open"
        group = f"s{n}"
        on_frontier = np.zeros(len(s.positions), dtype=bool)
        on_frontier[s.frontier] = True
        data.append({
            "type": "scatter", "mode": "markers", "name": s.name, "legendgroup": group,
            "x": typed(cols.numbers(s.view, x_metric.column)[s.positions], "f4"),
            "y": typed(cols.numbers(s.view, y_metric.column)[s.positions], "f4"),
            "marker": {"color": colour, "symbol": symbol, "size": typed(np.where(on_frontier, 9, 6), "u1"),
                       "opacity": 0.9, "line": {"width": 1, "color": colour}},
            "customdata": hover_numbers(cols, s, y_metric.column),
            "hovertext": hover_text(cols, s),
            "text": point_labels(cols, s), "textposition": "top center", "textfont": {"size": 9},
            "meta": {"colours": [colour, contrast], "role": "points"},
        })
        # Always present, even empty: traces alternate (points, line), which the template relies on.
        data.append({
            "type": "scatter", "mode": "lines", "name": s.name + " frontier", "legendgroup": group,
            "showlegend": False, "hoverinfo": "skip",
            "x": typed(s.curve_x, "f4"), "y": typed(s.curve_y, "f4"),
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
        # Template items apply to scatter traces in turn: points traces get the hover template,
        # frontier lines (every second trace) get none, so one copy serves every series.
        "template": {"data": {"scatter": [{"hovertemplate": hover_template(y_metric, x_metric)}, {"hoverinfo": "skip"}]}},
    }
    if x_metric.higher_is_better is False:
        layout["xaxis"]["rangemode"] = "tozero"
    return {"data": data, "layout": {k: v for k, v in layout.items() if v is not None}}


def empty_figure(message: str) -> dict:
    return {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 360,
                                   "annotations": [{"text": esc(message), "showarrow": False, "font": {"size": 15}}]}}
