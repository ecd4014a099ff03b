"""Figure factories: series in, a plain Plotly figure dict (and its legend) out.

Figures are built as dicts (not ``go.Figure``) with coordinates as base64 typed arrays, which
keeps a callback to a few milliseconds and its payload small. Plotly's drawing time grows with
every trace and legend entry, so a view is ONE marker trace holding every point (per-point
colours and symbols); each series' frontier curve travels in ``layout.meta.series`` and is
drawn by the browser as an SVG path shape, and the legend is plain HTML beside the chart
(an exported image draws it from the same entries).
That draws a 40-series view two to three times faster than a trace per series. The browser
(assets/app.js) turns curves into shapes, hides a series when its legend item is switched off,
and applies the view-only choices (log axes, labels, palette, theme) without a server round trip."""

from __future__ import annotations

import base64
import html

import numpy as np

from frontier.filters import SPECS
from frontier.loaders import SOURCE_LABELS
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
# Plotly marker symbol codes (compact as a typed array): circle, square, diamond, triangle-up,
# cross, x, star, pentagon, hexagon, triangle-down; +100 is the open variant.
SYMBOLS = [0, 1, 2, 5, 3, 4, 17, 13, 14, 6]
OPEN = 100
SPEC_DASH = {"mtp": "solid", "none": "dot"}
# the explorer's dates=: the frontier as of each date, one line style per date (none of SPEC_DASH's)
DATE_DASHES = ["dash", "longdash", "dashdot", "longdashdot"]


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


def hover_numbers(cols: ViewColumns, s, y_column: str) -> np.ndarray:
    pos = s.positions
    matrix = np.column_stack([cols.numbers(s.view, c)[pos] for c in HOVER_NUMBERS] + [cols.numbers(s.view, y_column)[pos]])
    matrix[:, 6] *= 1000.0  # TPOT in ms
    return matrix


def hover_text(cols: ViewColumns, s) -> list[str]:
    """The words of a point's hover: series and configuration (numbers travel in customdata)."""
    pos = s.positions
    name = esc(s.name)
    rows = zip(cols.objects(s.view, "deployment")[pos], cols.objects(s.view, "parallelism")[pos],
               cols.objects(s.view, "date")[pos], cols.objects(s.view, "image")[pos])
    return [f"<b>{name}</b><br>{esc(d)} · {esc(p or 'n/a')}<br>Measured {esc(day)} · "
            f"{esc(img) if isinstance(img, str) else 'image n/a'}" for d, p, day, img in rows]


def point_labels(cols: ViewColumns, s) -> list[str]:
    pos = s.positions
    return [f"{esc(p)} c{int(c)}" for p, c in zip(cols.objects(s.view, "parallelism")[pos], cols.numbers(s.view, "conc")[pos])]


def provenance(cols: ViewColumns, s) -> dict:
    """A series' first and last run dates and where its results come from (an exported
    image credits the series it shows)."""
    pos = s.positions
    dates = sorted(d for d in cols.objects(s.view, "date")[pos] if isinstance(d, str))
    formats = {f for f in cols.objects(s.view, "format")[pos] if isinstance(f, str)}
    return {"dates": [dates[0], dates[-1]] if dates else [],
            "sources": sorted(SOURCE_LABELS.get(f, f) for f in formats)}


SPEC_FILTER = {column: value for value, column in SPECS.items()}  # the points' spec -> its spec= spelling


def series_filters(cols: ViewColumns, s) -> dict:
    """The SPEC §9 filter values every point of a series shares, in the filters' spelling
    ({"vendor": "nvidia", "framework": "sglang", "spec": "mtp"}; framework and spec only for
    a series of one engine and one spec-decoding mode): a filter on them keeps the series
    whole or drops it, so the browser can apply it by leaving series out (assets/app.js)."""
    out = {}
    vendors = {str(v).lower() for v in cols.objects(s.view, "vendor")[s.positions] if isinstance(v, str)}
    if len(vendors) == 1:
        out["vendor"] = vendors.pop()
    if s.framework:
        out["framework"] = str(s.framework)
    if s.spec in SPEC_FILTER and not s.side:
        out["spec"] = SPEC_FILTER[s.spec]
    return out


def _y_format(column: str) -> str:
    if column.startswith("cost"):
        return "%{customdata[7]:.3f}"
    if column == "jtok":
        return "%{customdata[7]:.3f}"
    return "%{customdata[7]:,.1f}"


def hover_template(y_metric, x_metric) -> str:
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
    return "<br>".join(lines) + "<extra></extra>"


def build_figure(series_list, metric: str, x: str, targets: list[float] | None = None,
                 overlay_dates: tuple[str, ...] = (), gpu_order=(), framework_order=(),
                 several_precisions: bool | None = None) -> dict:
    """One trace holds every point, series after series; each series' frontier curve travels in
    ``layout.meta.series`` (drawn as a shape in the browser), as do the target lines and the
    series' frontiers as of each of ``overlay_dates`` (``layout.meta.dates``: their line styles).

    A GPU's contrast colour and an engine's marker follow their place in ``gpu_order`` and
    ``framework_order`` (every GPU and engine the view could show), not which of them happen
    to be shown: the browser draws a subset of the GPUs by leaving series out (assets/app.js
    narrowView), and that must look exactly like the page the server draws for the subset.
    ``several_precisions`` (open markers for all but FP4) likewise comes from the view's
    choice when given, else from the series."""
    overlay_dash = {d: DATE_DASHES[i % len(DATE_DASHES)] for i, d in enumerate(overlay_dates)}
    y_metric, x_metric = Y_METRICS[metric], X_AXES[x]
    gpu_index: dict[str, int] = {g: i for i, g in enumerate(gpu_order)}
    vendor_slots: dict[str, int] = {}
    for g in gpu_order:
        if g not in VENDOR_COLOURS:
            vendor_slots.setdefault(g, len(vendor_slots))
    framework_symbols: dict[str, int] = {f: SYMBOLS[i % len(SYMBOLS)] for i, f in enumerate(framework_order)}
    if several_precisions is None:
        several_precisions = len({s.precision for s in series_list}) > 1
    cols = ViewColumns()
    xs, ys, sizes, symbols, numbers, hover, labels = [], [], [], [], [], [], []
    colours, contrasts, owner = [], [], []
    legend = []
    for n, s in enumerate(series_list):
        colour, contrast = colour_for(s, gpu_index, vendor_slots)
        fkey = s.framework or s.side or ""
        symbol = framework_symbols.setdefault(fkey, SYMBOLS[len(framework_symbols) % len(SYMBOLS)])
        if several_precisions and s.precision and s.precision != "fp4":
            symbol += OPEN
        count = len(s.positions)
        on_frontier = np.zeros(count, dtype=bool)
        on_frontier[s.frontier] = True
        xs.append(cols.numbers(s.view, x_metric.column)[s.positions])
        ys.append(cols.numbers(s.view, y_metric.column)[s.positions])
        sizes.append(np.where(on_frontier, 9, 6))
        symbols.append(np.full(count, symbol))
        numbers.append(hover_numbers(cols, s, y_metric.column))
        hover += hover_text(cols, s)
        labels += point_labels(cols, s)
        colours += [colour] * count
        contrasts += [contrast] * count
        owner += [n] * count
        legend.append({
            "name": s.name, "key": s.url_key, "colours": [colour, contrast], "symbol": symbol, "points": count,
            "glyph": glyph_for(symbol), "dash": SPEC_DASH.get(s.spec or "", "solid"),
            "facets": [[facet, str(value), str(label)] for facet, value, label in s.facets],
            "filters": series_filters(cols, s),
            "curve": {"x": typed(s.curve_x, "f4"), "y": typed(s.curve_y, "f4")},
            "overlays": [{"date": date, "dash": overlay_dash[date], "curve": {"x": typed(cx, "f4"), "y": typed(cy, "f4")}}
                         for date, cx, cy in s.overlays],
            **provenance(cols, s),
        })
    if series_list:
        matrix = np.ascontiguousarray(np.vstack(numbers), dtype="f4")
        customdata = typed(matrix.ravel(), "f4")
        customdata["shape"] = f"{matrix.shape[0]},{matrix.shape[1]}"
    else:
        customdata = []
    points = {
        "type": "scatter", "mode": "markers", "name": "points", "showlegend": False,
        "x": typed(np.concatenate(xs) if xs else [], "f4"), "y": typed(np.concatenate(ys) if ys else [], "f4"),
        "marker": {"color": colours, "symbol": typed(np.concatenate(symbols) if symbols else [], "u1"),
                   "size": typed(np.concatenate(sizes) if sizes else [], "u1"), "opacity": 0.9,
                   "line": {"width": 1, "color": colours}},
        "customdata": customdata, "hovertext": hover, "hovertemplate": hover_template(y_metric, x_metric),
        "text": labels, "textposition": "top center", "textfont": {"size": 9},
        "meta": {"role": "points", "colours": [colours, contrasts], "series": owner},
    }
    data = [points]
    shapes = []
    for t in targets or []:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": t, "x1": t, "y0": 0, "y1": 1,
                       "line": {"dash": "dash", "width": 1, "color": "rgba(128,128,128,0.7)"}})
    layout = {
        "xaxis": {"title": {"text": axis_title(x_metric)}, "uirevision": x, "zeroline": False},
        "yaxis": {"title": {"text": axis_title(y_metric)}, "uirevision": metric, "zeroline": False,
                  "rangemode": "tozero"},
        "uirevision": "frontier",
        "margin": {"l": 70, "r": 20, "t": 20, "b": 60},
        "hovermode": "closest",
        "height": 560,
        "shapes": shapes,
        "meta": {"x": x, "metric": metric, "series": legend,
                 "dates": [{"date": d, "dash": dash} for d, dash in overlay_dash.items()]},
        "showlegend": False,
    }
    if x_metric.higher_is_better is False:
        layout["xaxis"]["rangemode"] = "tozero"
    return {"data": data, "layout": {k: v for k, v in layout.items() if v is not None}}


SYMBOL_GLYPHS = {0: "●", 1: "■", 2: "◆", 5: "▲", 3: "✚", 4: "✖", 17: "★", 13: "⬟", 14: "⬢", 6: "▼"}
OPEN_GLYPHS = {0: "○", 1: "□", 2: "◇", 5: "△", 3: "✚", 4: "✖", 17: "☆", 13: "⬠", 14: "⬡", 6: "▽"}


def glyph_for(symbol: int) -> str:
    """A text character that looks like the marker, for the HTML legend."""
    return (OPEN_GLYPHS if symbol >= OPEN else SYMBOL_GLYPHS).get(symbol % OPEN, "●")


def empty_figure(message: str) -> dict:
    return {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 360,
                                   "annotations": [{"text": esc(message), "showarrow": False, "font": {"size": 15}}]}}
