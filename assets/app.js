// Browser-side callbacks: view-only changes that need no server round trip.
// The pure functions come first and are also exported for Node (tests/js/, `node --test`).
// The browser part reads element ids from window.FRONTIER_IDS, which app.py writes into the
// page from components/ids.py, so renaming an id there cannot silently break this file.
(function () {
  "use strict";
  var VIEW_TOGGLES = ["log", "labels", "contrast"];
  var THEMES = {
    light: {paper: "rgba(0,0,0,0)", plot: "#ffffff", font: "#212529", grid: "#e6e6e6", line: "#adb5bd"},
    dark: {paper: "rgba(0,0,0,0)", plot: "#1b1f24", font: "#dee2e6", grid: "#343a40", line: "#6c757d"}
  };

  // ---- pure functions (no DOM) ---------------------------------------------------------------

  // Base64 typed arrays (the server's compact form) -> plain numbers.
  function decode(spec) {
    if (!spec || !spec.bdata) { return spec || []; }
    var bytes = Uint8Array.from(atob(spec.bdata), function (c) { return c.charCodeAt(0); });
    var Kind = {f4: Float32Array, f8: Float64Array, u1: Uint8Array, u2: Uint16Array}[spec.dtype] || Float64Array;
    return Array.from(new Kind(bytes.buffer));
  }

  // A zoom survives a new figure as long as its axis still measures the same thing on the same
  // scale: the x zoom through a metric change, the y zoom through a precision change, and so on.
  // `before` is the drawn figure's layout.meta, `shown` its _fullLayout (where Plotly keeps the
  // ranges a person zoomed to). Changes `layout` in place and returns it.
  function keepZoom(layout, meta, before, shown) {
    if (!before || !shown) { return layout; }
    [["xaxis", "x"], ["yaxis", "metric"]].forEach(function (pair) {
      var ax = shown[pair[0]];
      if (ax && ax.autorange === false && before[pair[1]] === meta[pair[1]] && ax.type === layout[pair[0]].type) {
        layout[pair[0]] = Object.assign({}, layout[pair[0]], {range: ax.range.slice(), autorange: false});
      }
    });
    return layout;
  }

  function axis(base, log, theme) {
    var out = Object.assign({}, base || {});
    out.type = log ? "log" : "linear";
    // A log axis cannot reuse a linear zoom range, so zoom is remembered per scale.
    out.uirevision = String(base && base.uirevision || "") + (log ? ":log" : "");
    out.gridcolor = theme.grid;
    out.linecolor = theme.line;
    out.zerolinecolor = theme.grid;
    if (log) { delete out.rangemode; }
    return out;
  }

  // A query as the server writes it: "?a=1&b=2", or "" when empty; lists and series keys stay
  // readable (gpus=b200,mi355x, hide=a/fp4).
  function queryText(params) {
    var qs = params.toString().replace(/%2C/gi, ",").replace(/%2F/gi, "/").replace(/%3A/gi, ":");
    return qs ? "?" + qs : "";
  }

  // The address's query with the view toggles as `toggles` (a Set) says: "?a=1&log=1", or "".
  function searchWithToggles(search, toggles) {
    var params = new URLSearchParams(search);
    VIEW_TOGGLES.forEach(function (k) {
      if (toggles.has(k)) { params.set(k, "1"); } else { params.delete(k); }
    });
    return queryText(params);
  }

  // The address's query with `hide=` listing the hidden series' keys ("" when none is hidden);
  // commas and slashes stay readable: hide=b200/sglang/mtp/fp8,h100/trt/none/fp8.
  function searchWithHidden(search, keys) {
    var params = new URLSearchParams(search);
    if (keys && keys.length) { params.set("hide", keys.join(",")); } else { params.delete("hide"); }
    return queryText(params);
  }

  // Which series (by position in layout.meta.series) the hidden keys name: {n: true}. A key no
  // series of this figure has is ignored.
  function hiddenIndex(series, keys) {
    var wanted = new Set(keys || []), hidden = {};
    (series || []).forEach(function (s, n) { if (wanted.has(s.key)) { hidden[n] = true; } });
    return hidden;
  }

  // The legend's group switches: for each facet (GPU, engine, spec decoding, precision) on which
  // the series differ, its values in legend order, each with the series that have it
  // ({facet, label, values: [{value, label, members: [n, ...]}]}). A facet every series shares
  // is left out (hiding it would hide everything), as is one that only repeats the legend.
  var FACET_LABELS = {gpu: "GPU", engine: "Engine", spec: "Spec. decoding", precision: "Precision"};
  function facetGroups(series) {
    var byFacet = {}, order = [];
    (series || []).forEach(function (s, n) {
      (s.facets || []).forEach(function (f) {
        var facet = f[0], value = f[1];
        if (!byFacet[facet]) { byFacet[facet] = {facet: facet, label: FACET_LABELS[facet] || facet, values: [], at: {}}; order.push(facet); }
        var group = byFacet[facet];
        if (!(value in group.at)) { group.at[value] = group.values.length; group.values.push({value: value, label: f[2], members: []}); }
        group.values[group.at[value]].members.push(n);
      });
    });
    // a facet whose every value is one series (one series per GPU) would repeat the legend items
    return order.map(function (facet) { return byFacet[facet]; })
      .filter(function (g) { return g.values.length > 1 && g.values.some(function (v) { return v.members.length > 1; }); })
      .map(function (g) { return {facet: g.facet, label: g.label, values: g.values}; });
  }

  // The hidden keys after a group switch is clicked: if any of its series is shown, all of them
  // are hidden; if all are hidden, they are shown again. In legend order, like the legend's own.
  function toggledKeys(series, hiddenKeys, members) {
    var hidden = hiddenIndex(series, hiddenKeys);
    var anyShown = members.some(function (n) { return !hidden[n]; });
    members.forEach(function (n) { if (anyShown) { hidden[n] = true; } else { delete hidden[n]; } });
    return (series || []).filter(function (_s, n) { return hidden[n]; }).map(function (s) { return s.key; });
  }

  // Each series' frontier curve as an SVG path shape, in DATA coordinates on either scale:
  // plotly.js 4.1.1 passes every shape coordinate (path vertices and line x0/x1 alike) through
  // the axis's d2r, so on a log axis it takes the log10 itself (getPathString in the bundle).
  // Values a log axis cannot show (<= 0) are left out of the path.
  // A series' frontier as of an earlier date (the explorer's dates=) is drawn the same way,
  // thinner, in the series' colour and its date's line style.
  function curveShapes(series, logX, logY, palette, hidden) {
    var shapes = [];
    function add(curve, colour, width, dash) {
      var xs = curve.__x || (curve.__x = decode(curve.x));
      var ys = curve.__y || (curve.__y = decode(curve.y));
      var parts = [];
      for (var i = 0; i < xs.length; i++) {
        var x = xs[i], y = ys[i];
        if (isFinite(x) && isFinite(y) && (!logX || x > 0) && (!logY || y > 0)) {
          parts.push((parts.length ? "L" : "M") + x + "," + y);
        }
      }
      if (parts.length > 1) {
        shapes.push({type: "path", path: parts.join(" "), xref: "x", yref: "y", layer: "below",
                     line: {color: colour, width: width, dash: dash}});
      }
    }
    (series || []).forEach(function (s, n) {
      if (hidden[n]) { return; }
      add(s.curve, s.colours[palette], 2, s.dash);
      (s.overlays || []).forEach(function (o) { add(o.curve, s.colours[palette], 1.5, o.dash); });
    });
    return shapes;
  }

  // Plotly's line styles as SVG dash arrays (plotly.js drawing/index.js dashStyle, 2 px lines).
  var DASH_ARRAYS = {solid: "", dot: "3,3", dash: "9,9", longdash: "15,15", dashdot: "9,3,3,3",
                     longdashdot: "15,6,3,6"};

  // What the legend says of the line styles when earlier frontiers are drawn (layout.meta.dates):
  // [{dash, text}], the view's own lines first; [] when there are none.
  function dateKey(meta) {
    var dates = (meta && meta.dates) || [];
    if (!dates.length) { return []; }
    return [{dash: "solid", text: "this view (dotted: no speculative decoding)"}].concat(
      dates.map(function (d) { return {dash: d.dash, text: "as of " + d.date}; }));
  }

  // A figure drawn beside a table (the calculator's bars, the history's lines) in the page's
  // theme; the server sends it with neutral colours. Returns a new figure.
  function themedFigure(fig, theme) {
    if (!fig) { return fig; }
    var layout = Object.assign({}, fig.layout, {paper_bgcolor: theme.paper, plot_bgcolor: theme.plot,
                                                font: Object.assign({}, (fig.layout || {}).font, {color: theme.font})});
    ["xaxis", "yaxis"].forEach(function (name) {
      layout[name] = Object.assign({}, (fig.layout || {})[name], {gridcolor: theme.grid, linecolor: theme.line,
                                                                   zerolinecolor: theme.grid});
    });
    return {data: fig.data, layout: layout};
  }

  // The figure's own shapes (the comparison's vertical target lines) stay in data coordinates
  // on a log axis too, like the curves; one a log x axis cannot place (x <= 0) is dropped.
  function targetShapes(shapes, logX) {
    return (shapes || []).filter(function (sh) { return !(logX && sh.xref === "x" && !(sh.x0 > 0 && sh.x1 > 0)); });
  }

  // The traces in the chosen palette (0 normal, 1 high contrast), with or without point labels.
  function styleTraces(data, palette, labels) {
    return (data || []).map(function (tr) {
      var out = Object.assign({}, tr);
      var colours = tr.meta && tr.meta.colours;
      if (colours) {
        var c = colours[palette];
        if (tr.marker) { out.marker = Object.assign({}, tr.marker, {color: c, line: Object.assign({}, tr.marker.line, {color: c})}); }
      }
      if (tr.meta && tr.meta.role === "points") { out.mode = labels ? "markers+text" : "markers"; }
      return out;
    });
  }

  // A hidden series' points get x = NaN, which Plotly neither draws nor hovers.
  function hideX(x, owner, hidden) {
    return x.map(function (v, i) { return hidden[owner[i]] ? NaN : v; });
  }

  // Text placed in a Plotly title or legend, which read a few HTML tags: escaped.
  function plotlyText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // What an exported image says under its title: where the shown series' results come from,
  // when they were measured, and how many series the legend hides.
  function sourceLine(series, hidden) {
    var shown = (series || []).filter(function (_s, n) { return !hidden[n]; });
    var sources = new Set(), first = null, last = null;
    shown.forEach(function (s) {
      (s.sources || []).forEach(function (x) { sources.add(x); });
      if (s.dates && s.dates.length) {
        if (first === null || s.dates[0] < first) { first = s.dates[0]; }
        if (last === null || s.dates[1] > last) { last = s.dates[1]; }
      }
    });
    var parts = ["Data: " + (sources.size ? Array.from(sources).sort().join(", ") : "unknown source")];
    if (first !== null) { parts.push(first === last ? "measured " + first : "measured " + first + " to " + last); }
    var hiddenCount = (series || []).length - shown.length;
    if (hiddenCount) { parts.push(hiddenCount + " of " + series.length + " series hidden"); }
    return parts.join(" · ");
  }

  // Rows a horizontal Plotly legend of these names takes across `width` pixels (an estimate
  // on the generous side: ~7 px a character at 12 px, plus the symbol and the gap).
  function legendRows(names, width) {
    var rows = names.length ? 1 : 0, used = 0;
    names.forEach(function (name) {
      var w = 50 + 7 * String(name).length;
      if (used && used + w > width) { rows += 1; used = 0; }
      used += w;
    });
    return rows;
  }

  var EXPORT = {title: 84, axis: 70, row: 22, pad: 28};  // pixels around the plot in an exported image

  // The figure an exported PNG draws: the chart as drawn (zoom, hidden series, palette) with
  // what the page shows around it and Plotly's image would leave out: a title, the legend (HTML
  // on the page; here a legend entry per shown series) and the data's source and run dates.
  // `drawn` is {data, layout} of the plot; returns {figure, width, height} for Plotly.toImage.
  function exportFigure(drawn, hidden, palette, theme, width) {
    var layout = drawn.layout || {}, meta = layout.meta || {}, series = meta.series || [];
    var about = meta.export || {};
    var shown = series.filter(function (_s, n) { return !hidden[n]; });
    var entries = shown.map(function (s) {
      return {type: "scatter", mode: "lines+markers", x: [null], y: [null], name: plotlyText(s.name), showlegend: true,
              hoverinfo: "skip", marker: {color: s.colours[palette], symbol: s.symbol, size: 8},
              line: {color: s.colours[palette], dash: s.dash, width: 2}};
    });
    var data = (drawn.data || []).map(function (tr) { return Object.assign({}, tr, {showlegend: false}); }).concat(entries);
    var margin = layout.margin || {};
    var plotHeight = (layout.height || 560) - (margin.t || 0) - (margin.b || 0);
    var legendHeight = legendRows(shown.map(function (s) { return s.name; }), width - (margin.l || 0)) * EXPORT.row;
    var height = EXPORT.title + plotHeight + EXPORT.axis + legendHeight + EXPORT.pad;
    var out = Object.assign({}, layout, {
      title: {text: "<b>" + plotlyText(about.title || "") + "</b><br><span style='font-size:12px'>" +
                    plotlyText(sourceLine(series, hidden)) + "</span>",
              x: 0.01, xanchor: "left", y: 1 - 18 / height, yanchor: "top", yref: "container", font: {size: 15}},
      showlegend: true,
      legend: {orientation: "h", x: 0, xanchor: "left", y: -EXPORT.axis / plotHeight, yanchor: "top",
               font: {size: 12, color: theme.font}, bgcolor: "rgba(0,0,0,0)"},
      margin: Object.assign({}, margin, {t: EXPORT.title, b: EXPORT.axis + legendHeight + EXPORT.pad}),
      height: height, width: width,
      paper_bgcolor: theme.plot, plot_bgcolor: theme.plot,
      font: Object.assign({}, layout.font, {color: theme.font})
    });
    return {figure: {data: data, layout: out}, width: width, height: height};
  }

  // An exported file's name, as presenters/chart.py file_name writes the CSV's: what the view
  // shows and its date (layout.meta.export, from the server) around how many series it hides.
  function exportFileName(about, hiddenCount, extension) {
    var parts = [about.name || "inference-frontier"];
    if (hiddenCount) { parts.push(hiddenCount + "-hidden"); }
    if (about.when) { parts.push(about.when); }
    return parts.join("_") + extension;
  }

  // ---- a subset of the series, drawn from what the page already has ------------------------------
  // Choosing fewer GPUs on the explorer (unticking one, "only H200"), or a vendor, framework or
  // spec-decoding filter that keeps a series whole or drops it, leaves whole series out: the
  // browser takes them out of the figure and the table it holds, with no request. The
  // result must be what the server sends for the new address: colours and markers do not
  // depend on which GPUs are shown (components/charts.py build_figure), the table's rows keep
  // their order, and the counts and names are the server's sentences with their numbers filled
  // in. Nothing is computed here that Python computes (frontiers, interpolation): series are
  // only left out.

  // A numeric array in the server's compact base64 form (components/charts.py typed).
  function encode(values, dtype) {
    var Kind = {f4: Float32Array, f8: Float64Array, u1: Uint8Array, u2: Uint16Array}[dtype];
    var bytes = new Uint8Array(new Kind(values).buffer), text = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return {dtype: dtype, bdata: btoa(text)};
  }

  // A legend series' GPU (its "gpu" facet), or null.
  function gpuOf(s) {
    var facet = (s.facets || []).filter(function (f) { return f[0] === "gpu"; })[0];
    return facet ? facet[1] : null;
  }

  function sameList(a, b) {
    return a.length === b.length && a.every(function (v, i) { return v === b[i]; });
  }

  // The filters that keep a series whole or drop it (components/charts.py series_filters), and
  // every filter in the order the server writes them (frontier/filters.py FILTER_KEYS).
  var SERIES_FILTERS = ["vendor", "framework", "spec"];
  var FILTER_KEYS = ["vendor", "framework", "deployment", "spec", "gpucount"];

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (v) { return b.indexOf(v) >= 0; });
  }

  function isTextList(v) {
    return Array.isArray(v) && v.every(function (x) { return typeof x === "string"; });
  }

  // Whether a series is in the view that `wanted` ({gpus, filters: {vendor, framework, spec}})
  // asks for; [] means "any".
  function seriesWanted(s, wanted) {
    var gpus = wanted.gpus, filters = s.filters || {};
    if (gpus.length && gpus.indexOf(gpuOf(s)) < 0) { return false; }
    return SERIES_FILTERS.every(function (k) {
      var chosen = wanted.filters[k] || [];
      return !chosen.length || chosen.indexOf(filters[k]) >= 0;
    });
  }

  // Positions (in legend order) of the series `wanted` keeps.
  function keptSeries(series, wanted) {
    var keep = [];
    (series || []).forEach(function (s, n) { if (seriesWanted(s, wanted)) { keep.push(n); } });
    return keep;
  }

  // What a choice of GPUs and series filters (`wanted`) takes: "same" (the view `shown`
  // already shows it), "narrow" (the `source` view, {state, series}, the last one the server
  // drew, has every series it needs and no other: draw it here) or "request" (the server must
  // draw it, or explain why nothing matches). An empty choice means every value; a choice
  // can only narrow what the source chose, and a filter only series that all have its value.
  function choiceChange(shown, source, wanted) {
    if (!shown || !wanted || !isTextList(wanted.gpus) ||
        !SERIES_FILTERS.every(function (k) { return isTextList(wanted.filters[k] || []); })) {
      return "request";
    }
    var shownFilters = shown.filters || {};
    if (sameList(wanted.gpus, shown.gpus || []) &&
        SERIES_FILTERS.every(function (k) { return sameSet(wanted.filters[k] || [], shownFilters[k] || []); })) {
      return "same";
    }
    if (!source || !source.state || source.state.page !== "explorer") { return "request"; }
    function narrows(chosen, before) {
      return !before.length || (chosen.length > 0 && chosen.every(function (v) { return before.indexOf(v) >= 0; }));
    }
    var from = source.state, fromFilters = from.filters || {};
    if (!narrows(wanted.gpus, from.gpus || [])) { return "request"; }
    var filtersOk = SERIES_FILTERS.every(function (k) {
      var chosen = wanted.filters[k] || [];
      if (!narrows(chosen, fromFilters[k] || [])) { return false; }
      return !chosen.length || (source.series || []).every(function (s) { return s.filters && k in s.filters; });
    });
    if (!filtersOk) { return "request"; }
    return keptSeries(source.series, wanted).length ? "narrow" : "request";
  }

  // The explorer's query (`search`: the server's canonical one for the source view) for the
  // GPUs and series filters `wanted` chooses, with the view toggles that are on (`toggles`, a
  // Set) and `hide=` listing `hidden`, each where the server writes it (frontier/viewstate.py
  // serialize_explorer): model, seq, precision, metric, x, gpus, best, the filters, the rest as
  // it is, the toggles, rev, hide.
  function searchForChoice(search, wanted, hidden, toggles) {
    var params = new URLSearchParams(search), out = new URLSearchParams();
    var head = ["model", "seq", "precision", "metric", "x"];
    head.forEach(function (k) { if (params.has(k)) { out.append(k, params.get(k)); } });
    if (wanted.gpus.length) { out.append("gpus", wanted.gpus.join(",")); }
    if (params.has("best")) { out.append("best", params.get("best")); }
    FILTER_KEYS.forEach(function (k) {
      var value = SERIES_FILTERS.indexOf(k) >= 0 ? (wanted.filters[k] || []).join(",") : params.get(k);
      if (value) { out.append(k, value); }
    });
    var placed = head.concat(["gpus", "best", "hide", "rev"], FILTER_KEYS, VIEW_TOGGLES);
    params.forEach(function (value, key) { if (placed.indexOf(key) < 0) { out.append(key, value); } });
    VIEW_TOGGLES.forEach(function (k) { if (toggles && toggles.has(k)) { out.append(k, "1"); } });
    if (params.has("rev")) { out.append("rev", params.get("rev")); }
    if (hidden && hidden.length) { out.append("hide", hidden.join(",")); }
    return queryText(out);
  }

  // A filter's chosen values in the order its pills list them (the order the server keeps).
  function inOptionOrder(values, options) {
    var order = (options || []).map(function (o) { return o && o.value; });
    return (values || []).slice().sort(function (a, b) {
      var i = order.indexOf(a), j = order.indexOf(b);
      return (i < 0 ? order.length : i) - (j < 0 ? order.length : j);
    });
  }

  // The badge on the folded filters: how many are on ("" for none), as the server writes it
  // (presenters/controls.py filters_panel_values).
  function filtersBadge(filters) {
    var on = FILTER_KEYS.filter(function (k) { return ((filters || {})[k] || []).length; }).length;
    return on ? on + " on" : "";
  }

  // The view toggles an address has on (a Set).
  function togglesOf(search) {
    var params = new URLSearchParams(search);
    return new Set(VIEW_TOGGLES.filter(function (k) { return params.get(k) === "1"; }));
  }

  // The points trace (figure data[0]) with only the points of the series at `keep`.
  function narrowPoints(trace, keep) {
    var owner = trace.meta.series, newIndex = {}, picked = [];
    keep.forEach(function (n, i) { newIndex[n] = i; });
    for (var i = 0; i < owner.length; i++) { if (owner[i] in newIndex) { picked.push(i); } }
    function pick(values) { return picked.map(function (i) { return values[i]; }); }
    function pickTyped(spec) { return spec && spec.bdata ? encode(pick(decode(spec)), spec.dtype) : pick(spec || []); }
    var out = Object.assign({}, trace, {x: pickTyped(trace.x), y: pickTyped(trace.y), hovertext: pick(trace.hovertext || []),
                                       text: pick(trace.text || [])});
    var colours = trace.marker.color;
    out.marker = Object.assign({}, trace.marker, {color: pick(colours), symbol: pickTyped(trace.marker.symbol),
                                                  size: pickTyped(trace.marker.size),
                                                  line: Object.assign({}, trace.marker.line, {color: pick(trace.marker.line.color)})});
    if (trace.customdata && trace.customdata.bdata) {
      var width = Number(String(trace.customdata.shape).split(",")[1]), flat = decode(trace.customdata), rows = [];
      picked.forEach(function (i) { for (var c = 0; c < width; c++) { rows.push(flat[i * width + c]); } });
      out.customdata = Object.assign(encode(rows, trace.customdata.dtype), {shape: picked.length + "," + width});
    }
    out.meta = Object.assign({}, trace.meta, {colours: trace.meta.colours.map(pick),
                                              series: picked.map(function (i) { return newIndex[owner[i]]; })});
    return out;
  }

  // What an exported file's name says of the GPUs and the data's date for the series at `keep`
  // (layout.meta.export; see presenters/chart.py export_name).
  function narrowExport(about, series, keep, gpus) {
    if (!about) { return about; }
    var out = Object.assign({}, about), files = about.gpu_files || {}, shownFiles = {};
    keep.forEach(function (n) { var g = gpuOf(series[n]); if (g !== null && g in files) { shownFiles[g] = files[g]; } });
    out.gpu_files = shownFiles;
    out.name = about.stem + (gpus.length ? "_gpus-" + gpus.map(function (g) { return files[g] || g; }).join("-") : "") +
               (about.tail || "");
    if (!about.dated) {
      var newest = null;
      keep.forEach(function (n) { var d = series[n].dates; if (d && d.length && (newest === null || d[1] > newest)) { newest = d[1]; } });
      out.when = newest === null ? "latest" : "latest-" + newest;
    }
    return out;
  }

  // The server's summary sentence (presenters/chart.py summary_template) with its counts.
  function fillSummary(template, counts) {
    return String(template || "").replace(/\{(points|series|frontier)\}/g, function (_m, name) { return String(counts[name]); });
  }

  // The figure and the points table of the view `wanted` asks for ({gpus, filters}), from
  // those of a view that shows its series among others; `address` is the new view's path and
  // query without hide= (the table's rows belong to it). Returns {figure, table, summary}.
  function narrowView(fig, table, wanted, address) {
    var series = fig.layout.meta.series, keep = keptSeries(series, wanted), gpus = wanted.gpus, kept = {};
    keep.forEach(function (n, i) { kept[n] = i; });
    var meta = Object.assign({}, fig.layout.meta, {series: keep.map(function (n) { return series[n]; }),
                                                   "export": narrowExport(fig.layout.meta["export"], series, keep, gpus)});
    var figure = {data: [narrowPoints(fig.data[0], keep)].concat(fig.data.slice(1)),
                  layout: Object.assign({}, fig.layout, {meta: meta})};
    var rows = [], rowSeries = [];
    table.series.forEach(function (n, i) { if (n in kept) { rows.push(table.rows[i]); rowSeries.push(kept[n]); } });
    var onFrontier = table.columns.map(function (c) { return c.name; }).indexOf("On frontier");
    var narrowed = Object.assign({}, table, {rows: rows, series: rowSeries, view: address,
                                             keys: keep.map(function (n) { return table.keys[n]; })});
    var summary = fillSummary(table.summary, {
      points: rows.length, series: keep.length,
      frontier: rows.filter(function (r) { return r[onFrontier] === "yes"; }).length});
    return {figure: figure, table: narrowed, summary: summary};
  }

  var exported = {VIEW_TOGGLES: VIEW_TOGGLES, THEMES: THEMES, decode: decode, keepZoom: keepZoom, axis: axis,
                  searchWithToggles: searchWithToggles, searchWithHidden: searchWithHidden, hiddenIndex: hiddenIndex,
                  facetGroups: facetGroups, toggledKeys: toggledKeys,
                  curveShapes: curveShapes, dateKey: dateKey, DASH_ARRAYS: DASH_ARRAYS, themedFigure: themedFigure, targetShapes: targetShapes,
                  styleTraces: styleTraces, hideX: hideX,
                  plotlyText: plotlyText, sourceLine: sourceLine, legendRows: legendRows, exportFigure: exportFigure,
                  exportFileName: exportFileName, encode: encode, choiceChange: choiceChange,
                  keptSeries: keptSeries, searchForChoice: searchForChoice, togglesOf: togglesOf,
                  inOptionOrder: inOptionOrder, filtersBadge: filtersBadge, narrowPoints: narrowPoints,
                  narrowExport: narrowExport, fillSummary: fillSummary, narrowView: narrowView};
  if (typeof module === "object" && module.exports) { module.exports = exported; }
  if (typeof window === "undefined") { return; }  // Node: the functions above are all there is

  // ---- the browser ----------------------------------------------------------------------------

  var IDS = window.FRONTIER_IDS;
  if (!IDS) { throw new Error("window.FRONTIER_IDS is missing: app.py's interpolate_index writes it into the page"); }
  var LEGEND = "#" + IDS.CHART_LEGEND;
  var SVG = "http://www.w3.org/2000/svg";

  function plot() { return document.querySelector("#" + IDS.CHART + " .js-plotly-plot"); }

  function triggered(id) {
    var t = (window.dash_clientside.callback_context || {}).triggered || [];
    return t.some(function (x) { return x.prop_id && x.prop_id.indexOf(id + ".") === 0; });
  }

  // A browser-only change of the address: no history entry, no server request. The page's
  // Location is told the new href too: it keeps the href it had at mount, and the next time
  // Dash re-renders it (a server callback marking it loading) it would push that old address
  // back, undoing this change and the next view's.
  function replaceSearch(search) {
    if (search === window.location.search) { return; }
    window.history.replaceState(window.history.state, "", window.location.pathname + search + window.location.hash);
    window.dash_clientside.set_props(IDS.PAGE_URL, {href: window.location.href});
  }

  // Keep view toggles in the address.
  function syncToggles(toggles) {
    replaceSearch(searchWithToggles(window.location.search, toggles));
  }

  // The keys of the series switched off in the legend, in legend order.
  function legendHiddenKeys() {
    return Array.from(document.querySelectorAll(LEGEND + " .legend-item.off")).map(function (el) { return el.dataset.key; });
  }

  // Hidden series live in the address (hide=) and in the HIDDEN_SERIES store, which the server
  // reads with the next control change; nothing takes the store as a server input, so this
  // costs no request.
  function syncHidden(keys) {
    window.dash_clientside.set_props(IDS.HIDDEN_SERIES, {data: keys});
    replaceSearch(searchWithHidden(window.location.search, keys));
  }

  // The points table is fetched once the new chart is drawn (or after a second at most), so
  // that building the table never delays the chart a person is waiting for.
  var tableTimer = null;
  // (the store lives in the chart's card: once the reader has left for a page without the chart,
  // Dash's renderer would throw on an id its layout no longer has)
  function chartDrawn(stamp) {
    if (document.getElementById(IDS.CHART)) { window.dash_clientside.set_props(IDS.CHART_DRAWN, {data: stamp}); }
  }
  function tableAfterDraw() {
    var stamp = Date.now();
    window.__tablePending = stamp;
    function release() {
      if (window.__tablePending !== stamp) { return; }
      window.__tablePending = null;
      window.clearTimeout(tableTimer);
      chartDrawn(stamp);
    }
    window.clearTimeout(tableTimer);
    tableTimer = window.setTimeout(release, 1000);
    (function watch(attempt) {
      var gd = plot();
      if (!gd || !gd.on) {
        if (attempt < 40) { window.setTimeout(function () { watch(attempt + 1); }, 50); }
        return;
      }
      if (!gd.__tableWatch) {
        gd.__tableWatch = true;
        gd.on("plotly_afterplot", function () {
          var pending = window.__tablePending;
          if (pending) { window.setTimeout(function () { if (window.__tablePending === pending) { window.__tablePending = null; window.clearTimeout(tableTimer); chartDrawn(pending); } }, 0); }
        });
      }
    })(0);
  }

  // Figures the browser drew itself (viewChoice) -> the server's view they were drawn from
  // ({fig, table, state}); they come with their table, so drawing one fetches none.
  var drawnFrom = new WeakMap();

  // The address of the view a state store describes, without hide= (a table's `view`).
  function viewAddress(state) {
    return "/" + searchWithHidden(state.search || "", []);
  }

  // A choice of GPUs or series filters the server's last view has every series of is drawn
  // here: its figure and table without the other series, the address pushed by the Location
  // (back returns through the server, like any address), the filters' badge, and the view
  // state saying what is shown, for the next server callback.
  function drawChoice(source, hiddenKeys, wanted) {
    // the server's address for the view, with the toggles the reader has switched since
    var toggles = togglesOf(window.location.search);
    var view = narrowView(source.fig, source.table, wanted, "/" + searchForChoice(source.state.search, wanted, [], toggles));
    var hidden = (hiddenKeys || []).filter(function (k) { return view.table.keys.indexOf(k) >= 0; });
    var search = searchForChoice(source.state.search, wanted, hidden, toggles);
    var filters = Object.assign({}, source.state.filters, wanted.filters);
    var state = Object.assign({}, source.state, {gpus: wanted.gpus.slice(), filters: filters, hidden: hidden, search: search});
    drawEarly(view.figure, hidden, source);  // the chart now; Dash's components follow
    var set = window.dash_clientside.set_props;
    set(IDS.VIEW_STATE, {data: state});
    set(IDS.HIDDEN_SERIES, {data: hidden});
    set(IDS.POINTS_DATA, {data: view.table});
    set(IDS.POINTS_SUMMARY, {children: view.summary});
    set(IDS.CHART_DATA, {data: view.figure});
    set(IDS.URL_NOTICE, {is_open: false});
    var badge = filtersBadge(filters);
    set(IDS.FILTERS_BADGE, {children: badge});
    if (badge) { set(IDS.FILTERS_PANEL, {open: true}); }  // opened while a filter is on
    set(IDS.PAGE_URL, {search: search});  // the Location pushes the history entry, as for the server's
  }

  // The figure Plotly draws for the server's chart data: theme, view toggles (`on`, a Set),
  // hidden series, zoom kept; with the legend, and the table fetched once drawn unless the
  // figure came with it.
  function composeFigure(fig, on, hiddenKeys, legendAfter) {
    var theme = document.documentElement.getAttribute("data-bs-theme");
    // New data (a new figure object) comes with a new legend, its hidden series (the
    // HIDDEN_SERIES store: the server's for a new view, the legend's own since) switched off.
    var freshData = window.__legendFor !== fig;
    window.__legendFor = fig;
    var palette = on.has("contrast") ? 1 : 0;
    var th = THEMES[theme === "dark" ? "dark" : "light"];
    var meta = fig.layout.meta || {};
    var hidden = hiddenIndex(meta.series, hiddenKeys);
    if (freshData) {
      // drawn at once (drawEarly): the legend's new buttons wait until the chart is drawn, so
      // that Plotly's measurements do not lay the page out again for them
      if (legendAfter) { legendAfter.push(function () { renderLegend(meta, palette, hidden); }); } else { renderLegend(meta, palette, hidden); }
      // a page's first chart comes with its table, as does a subset drawn here; later
      // views fetch it after drawing
      if (plot() && !drawnFrom.has(fig)) { tableAfterDraw(); }
    } else {
      var legend = document.getElementById(IDS.CHART_LEGEND);
      if (legend) { legend.classList.toggle("contrast", palette === 1); }
    }
    var data = styleTraces(fig.data, palette, on.has("labels"));
    var points = data[0];
    var fullX = points ? decode(points.x) : [];
    if (points && Object.keys(hidden).length) { points.x = hideX(fullX, points.meta.series, hidden); }
    var layout = Object.assign({}, fig.layout);
    var logX = on.has("log"), logY = on.has("log");
    layout.xaxis = axis(fig.layout.xaxis, logX, th);
    layout.yaxis = axis(fig.layout.yaxis, logY, th);
    var gd = plot();
    keepZoom(layout, meta, gd && gd.layout && gd.layout.meta, gd && gd._fullLayout);
    var baseShapes = targetShapes(fig.layout.shapes, logX);
    layout.shapes = baseShapes.concat(curveShapes(meta.series, logX, logY, palette, hidden));
    layout.paper_bgcolor = th.paper;
    layout.plot_bgcolor = th.plot;
    layout.font = Object.assign({}, fig.layout.font, {color: th.font});
    if (window.innerWidth < 640) {
      layout.margin = Object.assign({}, layout.margin, {l: 56, r: 8});
    }
    if (layout.annotations) {
      layout.annotations = layout.annotations.map(function (a) { return Object.assign({}, a, {font: Object.assign({}, a.font, {color: th.font})}); });
    }
    // What applyHidden needs to redo the view when a legend item is toggled.
    window.__frontierView = {x: fullX, series: meta.series, logX: logX, logY: logY, palette: palette, baseShapes: baseShapes};
    return {data: data, layout: layout};
  }

  // A view drawn from a prefetched answer (assets/prefetch.js) the moment it is chosen, before
  // Dash has applied the answer: {fig, toggles}. When the answer's chart data reaches compose,
  // the chart already shows it. `source`: the server's view it was drawn from ({fig, table,
  // state}, see drawnFrom).
  var drawnEarly = null;
  function togglesKey(on) { return Array.from(on).sort().join(","); }

  function drawEarly(fig, hiddenKeys, source) {
    drawnFrom.set(fig, source);  // it comes with its table
    var gd = plot();
    if (!gd || !gd._fullLayout || !window.Plotly || !fig || !fig.layout) { return false; }
    var on = togglesOf(window.location.search);
    var after = [];
    var figure = composeFigure(fig, on, hiddenKeys, after);
    drawnEarly = {fig: fig, toggles: togglesKey(on)};
    window.Plotly.react(gd, figure.data, figure.layout);
    window.setTimeout(function () { after.forEach(function (f) { f(); }); }, 0);  // once the chart is up
    return true;
  }
  window.frontierDrawEarly = drawEarly;

  // The page's picture (assets/first_paint.js) draws its chart before Dash starts, with the
  // clientside function Dash's first call will run; compose's legend is the live page's own.
  window.frontierFirstPaint = Object.assign({texts: []}, window.frontierFirstPaint);
  window.frontierFirstPaint.compose = function (fig, toggles, hiddenKeys) {
    return fig && fig.layout ? composeFigure(fig, new Set(toggles || []), hiddenKeys, []) : null;
  };

  // A legend item switched off hides its series: its points (hideX) and its curve.
  function applyHidden(keys) {
    var gd = plot();
    var f = window.__frontierView;
    if (!gd || !gd.data || !gd.data[0] || !f) { return; }
    var hidden = hiddenIndex(f.series, keys);
    var x = hideX(f.x, gd.data[0].meta.series, hidden);
    window.Plotly.update(gd, {x: [x]}, {shapes: f.baseShapes.concat(curveShapes(f.series, f.logX, f.logY, f.palette, hidden))}, [0]);
  }

  // The legend is built here rather than as Dash components: Dash's renderer would spend more
  // time placing 40 buttons in its layout tree than Plotly spends drawing the chart.
  function renderLegend(meta, palette, hidden, attempt) {
    var box = document.getElementById(IDS.CHART_LEGEND), series = meta.series;
    if (!box) {  // on a first load the callback can run before the page is in the DOM
      if ((attempt || 0) < 50) {
        window.setTimeout(function () { renderLegend(meta, palette, hidden, (attempt || 0) + 1); }, 40);
      }
      return;
    }
    box.textContent = "";
    box.classList.toggle("contrast", palette === 1);
    if (!series || !series.length) { return; }
    var group = document.createElement("div");
    group.className = "legend-items";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Series (click to hide or show)");
    series.forEach(function (s, n) {
      var item = document.createElement("button");
      item.type = "button";
      item.className = "legend-item" + (hidden[n] ? " off" : "");
      item.dataset.key = s.key;
      item.setAttribute("aria-pressed", hidden[n] ? "false" : "true");
      item.title = s.points + " point(s); click to hide or show this series";
      item.style.setProperty("--c", s.colours[0]);
      item.style.setProperty("--cc", s.colours[1]);
      var glyph = document.createElement("span");
      glyph.className = "legend-glyph"; glyph.setAttribute("aria-hidden", "true"); glyph.textContent = s.glyph;
      var line = document.createElement("span");
      line.className = "legend-line legend-" + s.dash; line.setAttribute("aria-hidden", "true");
      var name = document.createElement("span");
      name.className = "legend-name"; name.textContent = s.name;  // text, never HTML
      item.append(glyph, line, name);
      group.appendChild(item);
    });
    var reset = document.createElement("button");
    reset.type = "button"; reset.className = "legend-reset btn btn-link btn-sm p-0"; reset.textContent = "Show all";
    var switches = groupSwitches(series, hidden);
    if (switches) { box.appendChild(switches); }
    box.append(group, reset);
    var key = dateKey(meta);
    if (key.length) {
      var styles = document.createElement("div");
      styles.className = "legend-dates small";
      key.forEach(function (k) {
        var entry = document.createElement("span");
        entry.className = "legend-date";
        var svg = document.createElementNS(SVG, "svg"), line = document.createElementNS(SVG, "line");
        svg.setAttribute("width", "42"); svg.setAttribute("height", "6"); svg.setAttribute("aria-hidden", "true");
        line.setAttribute("x1", "0"); line.setAttribute("x2", "42"); line.setAttribute("y1", "3"); line.setAttribute("y2", "3");
        line.setAttribute("stroke-dasharray", DASH_ARRAYS[k.dash] || "");
        svg.appendChild(line);
        entry.append(svg, document.createTextNode(" " + k.text));  // text, never HTML
        styles.appendChild(entry);
      });
      box.appendChild(styles);
    }
  }

  // One switch per GPU, engine, spec-decoding mode or precision the series differ in: it hides
  // or shows all of that value's series at once, in the browser like a legend item (no request).
  function groupSwitches(series, hidden) {
    var groups = facetGroups(series);
    if (!groups.length) { return null; }
    var row = document.createElement("div");
    row.className = "legend-groups small";
    row.setAttribute("role", "group");
    row.setAttribute("aria-label", "Hide or show every series of a GPU, engine, spec-decoding mode or precision");
    groups.forEach(function (g) {
      var facet = document.createElement("span");
      facet.className = "legend-facet";
      var label = document.createElement("span");
      label.className = "legend-facet-label"; label.textContent = g.label + ":";
      facet.appendChild(label);
      g.values.forEach(function (v) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "legend-group btn btn-link btn-sm p-0";
        button.dataset.members = v.members.join(",");
        button.title = "Hide or show every " + v.label + " series (" + v.members.length + ")";
        button.textContent = v.label;  // text, never HTML
        facet.appendChild(button);
      });
      row.appendChild(facet);
    });
    markGroups(row, hidden);
    return row;
  }

  // A group switch reads "on" while any of its series is shown.
  function markGroups(root, hidden) {
    root.querySelectorAll(".legend-group").forEach(function (button) {
      var on = button.dataset.members.split(",").some(function (n) { return !hidden[n]; });
      button.classList.toggle("off", !on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function setItems(keys) {
    var off = new Set(keys);
    document.querySelectorAll(LEGEND + " .legend-item").forEach(function (el) {
      var hide = off.has(el.dataset.key);
      el.classList.toggle("off", hide);
      el.setAttribute("aria-pressed", hide ? "false" : "true");
    });
  }

  document.addEventListener("click", function (event) {
    var item = event.target.closest && event.target.closest(LEGEND + " .legend-item");
    var reset = event.target.closest && event.target.closest(LEGEND + " .legend-reset");
    var switched = event.target.closest && event.target.closest(LEGEND + " .legend-group");
    if (!item && !reset && !switched) { return; }
    var series = (window.__frontierView || {}).series || [];
    if (item) {
      item.classList.toggle("off");
      item.setAttribute("aria-pressed", item.classList.contains("off") ? "false" : "true");
    } else if (reset) {
      setItems([]);
    } else {
      var members = switched.dataset.members.split(",").map(Number);
      setItems(toggledKeys(series, legendHiddenKeys(), members));
    }
    var keys = legendHiddenKeys();
    syncHidden(keys);
    applyHidden(keys);
    var box = document.getElementById(IDS.CHART_LEGEND);
    if (box) { markGroups(box, hiddenIndex(series, keys)); }
  });

  // A click anywhere on a calculator row opens its comparison (the row's own link, so the
  // app navigates as for any link; the link alone is what the keyboard reaches).
  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("#" + IDS.CALCULATOR_TABLE + " tbody tr");
    if (!row || event.target.closest("a, button, input")) { return; }
    var link = row.querySelector("a.row-link");
    if (link) { link.click(); }
  });

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    frontier: {
      compose: function (fig, toggles, hiddenKeys) {
        if (!fig) { return window.dash_clientside.no_update; }
        var on = new Set(toggles || []);
        if (triggered(IDS.TOGGLES)) { syncToggles(on); }
        // already drawn from a prefetched answer (drawEarly): handing dcc.Graph the figure again
        // would draw it a second time (it deep-copies the layout, so Plotly sees a new one)
        if (drawnEarly && drawnEarly.fig === fig && drawnEarly.toggles === togglesKey(on)) {
          drawnEarly = null;
          return window.dash_clientside.no_update;
        }
        return composeFigure(fig, on, hiddenKeys);
      },

      // The GPU choice, an "only" GPU link or a vendor, framework or spec-decoding filter:
      // drawn here when the server's last view has the series (drawChoice), else asked of the
      // server through the CHOICE_REQUEST store ({control, value}).
      viewChoice: function (gpus, _onlyClicks, vendor, framework, spec, vendorOptions, frameworkOptions, specOptions,
                            state, fig, table, hiddenKeys) {
        var ctx = window.dash_clientside.callback_context || {}, trigger = ctx.triggered_id;
        var filterIds = {vendor: IDS.FILTER_VENDOR, framework: IDS.FILTER_FRAMEWORK, spec: IDS.FILTER_SPEC};
        var values = {vendor: vendor, framework: framework, spec: spec};
        var options = {vendor: vendorOptions, framework: frameworkOptions, spec: specOptions};
        var shown = state || {}, shownFilters = shown.filters || {};
        var wanted = {gpus: shown.gpus || [], filters: {}};
        SERIES_FILTERS.forEach(function (k) { wanted.filters[k] = shownFilters[k] || []; });
        var control = IDS.GPUS, value = gpus, only = trigger && typeof trigger === "object";
        if (only) {
          // new links arriving with a view trigger this too: only a click counts
          if (!(ctx.triggered || []).some(function (t) { return t.value; })) { return window.dash_clientside.no_update; }
          value = [trigger.value];
        }
        var filter = SERIES_FILTERS.filter(function (k) { return trigger === filterIds[k]; })[0];
        if (filter) {
          control = filterIds[filter];
          value = values[filter];
          wanted.filters[filter] = isTextList(value) ? inOptionOrder(value, options[filter]) : value;
        } else {
          wanted.gpus = value;
        }
        // what to draw from: the server's view this figure was drawn from, or this figure
        // itself once its table is in
        var source = fig && drawnFrom.get(fig);
        if (!source && fig && fig.layout && fig.layout.meta && table && state && table.view === viewAddress(state)) {
          source = {fig: fig, table: table, state: state};
        }
        var change = choiceChange(state, source && {state: source.state, series: source.fig.layout.meta.series}, wanted);
        if (change === "same") { return window.dash_clientside.no_update; }
        if (change === "narrow" && plot()) {
          drawChoice(source, hiddenKeys, wanted);
          if (only) { window.dash_clientside.set_props(IDS.GPUS, {value: value}); }
          return window.dash_clientside.no_update;
        }
        return {control: control, value: value, at: Date.now()};
      },

      // The Location's address changed: the resolver is asked for it unless the page shows it.
      addressChange: function (search, state) {
        if (state && typeof search === "string" && search === state.search) { return window.dash_clientside.no_update; }
        return {search: search, at: Date.now()};
      },

      theme: function (switchOn, stored) {
        var fromSwitch = triggered(IDS.THEME_SWITCH);
        var theme = fromSwitch ? (switchOn ? "dark" : "light") : (stored || "light");
        var before = document.documentElement.getAttribute("data-bs-theme");
        document.documentElement.setAttribute("data-bs-theme", theme);
        // The charts live in the page, the switch in the shell: re-theme them in place.
        if (window.Plotly && before !== theme) {
          var th = THEMES[theme];
          document.querySelectorAll("#" + IDS.DASH_ENTRY + " .js-plotly-plot").forEach(function (el) {  // not the picture's
            window.Plotly.relayout(el, {"paper_bgcolor": th.paper, "plot_bgcolor": th.plot, "font.color": th.font,
              "xaxis.gridcolor": th.grid, "yaxis.gridcolor": th.grid,
              "xaxis.linecolor": th.line, "yaxis.linecolor": th.line});
          });
        }
        return [theme === "dark", theme];
      },

      // The calculator's and the history's charts: the server's figure in the page's theme.
      themed: function (fig) {
        if (!fig) { return window.dash_clientside.no_update; }
        var theme = document.documentElement.getAttribute("data-bs-theme") === "dark" ? "dark" : "light";
        return themedFigure(fig, THEMES[theme]);
      },

      title: function (text) {
        if (text) { document.title = text; }
        return window.dash_clientside.no_update;
      },

      copyLink: function (n) {
        if (!n) { return window.dash_clientside.no_update; }
        var href = window.location.href;
        function fallback() {
          var area = document.createElement("textarea");
          area.value = href; document.body.appendChild(area); area.select();
          try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
          document.body.removeChild(area);
        }
        try {
          if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(href).catch(fallback); } else { fallback(); }
        } catch (e) { fallback(); }
        return "Link copied: " + href;
      },

      downloadPng: function (n, hiddenKeys) {
        var gd = plot();
        if (!n || !gd || !window.Plotly || !gd.layout || !gd.layout.meta) { return window.dash_clientside.no_update; }
        var f = window.__frontierView, meta = gd.layout.meta;
        var hidden = hiddenIndex(meta.series, hiddenKeys);
        var theme = THEMES[document.documentElement.getAttribute("data-bs-theme") === "dark" ? "dark" : "light"];
        var out = exportFigure({data: gd.data, layout: gd.layout}, hidden, f ? f.palette : 0, theme, gd.clientWidth);
        var name = exportFileName(meta.export || {}, Object.keys(hidden).length, ".png");
        window.Plotly.toImage(out.figure, {format: "png", width: out.width, height: out.height, scale: 2}).then(function (url) {
          var link = document.createElement("a");
          link.href = url; link.download = name;
          document.body.appendChild(link); link.click(); link.remove();
        });
        return window.dash_clientside.no_update;
      }
    }
  });
})();
