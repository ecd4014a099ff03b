// Browser-side callbacks: view-only changes that need no server round trip.
(function () {
  "use strict";
  var VIEW_TOGGLES = ["log", "labels", "contrast"];
  var THEMES = {
    light: {paper: "rgba(0,0,0,0)", plot: "#ffffff", font: "#212529", grid: "#e6e6e6", line: "#adb5bd"},
    dark: {paper: "rgba(0,0,0,0)", plot: "#1b1f24", font: "#dee2e6", grid: "#343a40", line: "#6c757d"}
  };

  function triggered(id) {
    var t = (window.dash_clientside.callback_context || {}).triggered || [];
    return t.some(function (x) { return x.prop_id && x.prop_id.indexOf(id + ".") === 0; });
  }

  // A zoom survives a new figure as long as its axis still measures the same thing on the same
  // scale: the x zoom through a metric change, the y zoom through a precision change, and so on.
  function keepZoom(layout, meta) {
    var gd = document.querySelector("#main-chart .js-plotly-plot");
    var before = gd && gd.layout && gd.layout.meta;
    if (!before || !gd._fullLayout) { return; }
    [["xaxis", "x"], ["yaxis", "metric"]].forEach(function (pair) {
      var shown = gd._fullLayout[pair[0]];
      if (shown && shown.autorange === false && before[pair[1]] === meta[pair[1]] && shown.type === layout[pair[0]].type) {
        layout[pair[0]] = Object.assign({}, layout[pair[0]], {range: shown.range.slice(), autorange: false});
      }
    });
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

  // Keep view toggles in the address without a server request or a history entry.
  function syncToggles(toggles) {
    var params = new URLSearchParams(window.location.search);
    VIEW_TOGGLES.forEach(function (k) {
      if (toggles.has(k)) { params.set(k, "1"); } else { params.delete(k); }
    });
    var qs = params.toString().replace(/%2C/gi, ",");
    var url = window.location.pathname + (qs ? "?" + qs : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  // Base64 typed arrays (the server's compact form) -> plain numbers.
  function decode(spec) {
    if (!spec || !spec.bdata) { return spec || []; }
    var bytes = Uint8Array.from(atob(spec.bdata), function (c) { return c.charCodeAt(0); });
    var Kind = {f4: Float32Array, f8: Float64Array, u1: Uint8Array, u2: Uint16Array}[spec.dtype] || Float64Array;
    return Array.from(new Kind(bytes.buffer));
  }

  function hiddenSeries() {
    var hidden = {};
    document.querySelectorAll("#chart-legend .legend-item.off").forEach(function (el) { hidden[el.dataset.series] = true; });
    return hidden;
  }

  // Each series' frontier curve as an SVG path shape (log axes take log10 values in shapes).
  // The points table is fetched once the new chart is drawn (or after a second at most), so
  // that building the table never delays the chart a person is waiting for.
  var tableTimer = null;
  function tableAfterDraw() {
    var stamp = Date.now();
    window.__tablePending = stamp;
    function release() {
      if (window.__tablePending !== stamp) { return; }
      window.__tablePending = null;
      window.clearTimeout(tableTimer);
      window.dash_clientside.set_props("chart-drawn", {data: stamp});
    }
    window.clearTimeout(tableTimer);
    tableTimer = window.setTimeout(release, 1000);
    (function watch(attempt) {
      var gd = document.querySelector("#main-chart .js-plotly-plot");
      if (!gd || !gd.on) {
        if (attempt < 40) { window.setTimeout(function () { watch(attempt + 1); }, 50); }
        return;
      }
      if (!gd.__tableWatch) {
        gd.__tableWatch = true;
        gd.on("plotly_afterplot", function () {
          var pending = window.__tablePending;
          if (pending) { window.setTimeout(function () { if (window.__tablePending === pending) { window.__tablePending = null; window.clearTimeout(tableTimer); window.dash_clientside.set_props("chart-drawn", {data: pending}); } }, 0); }
        });
      }
    })(0);
  }

  function curveShapes(series, logX, logY, palette, hidden) {
    var shapes = [];
    (series || []).forEach(function (s, n) {
      if (hidden[n]) { return; }
      var xs = s.curve.__x || (s.curve.__x = decode(s.curve.x));
      var ys = s.curve.__y || (s.curve.__y = decode(s.curve.y));
      var parts = [];
      for (var i = 0; i < xs.length; i++) {
        var px = logX ? Math.log10(xs[i]) : xs[i], py = logY ? Math.log10(ys[i]) : ys[i];
        if (isFinite(px) && isFinite(py)) { parts.push((parts.length ? "L" : "M") + px + "," + py); }
      }
      if (parts.length > 1) {
        shapes.push({type: "path", path: parts.join(" "), xref: "x", yref: "y", layer: "below",
                     line: {color: s.colours[palette], width: 2, dash: s.dash}});
      }
    });
    return shapes;
  }

  // A legend item switched off hides its series: points get x = NaN (no draw, no hover) and
  // its curve is left out of the shapes.
  function applyHidden() {
    var gd = document.querySelector("#main-chart .js-plotly-plot");
    var f = window.__frontierView;
    if (!gd || !gd.data || !gd.data[0] || !f) { return; }
    var hidden = hiddenSeries();
    var owner = gd.data[0].meta.series;
    var x = f.x.map(function (v, i) { return hidden[owner[i]] ? NaN : v; });
    window.Plotly.update(gd, {x: [x]}, {shapes: f.baseShapes.concat(curveShapes(f.series, f.logX, f.logY, f.palette, hidden))}, [0]);
  }

  // The legend is built here rather than as Dash components: Dash's renderer would spend more
  // time placing 40 buttons in its layout tree than Plotly spends drawing the chart.
  function renderLegend(series, palette, attempt) {
    var box = document.getElementById("chart-legend");
    if (!box) {  // on a first load the callback can run before the page is in the DOM
      if ((attempt || 0) < 50) {
        window.setTimeout(function () { renderLegend(series, palette, (attempt || 0) + 1); }, 40);
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
      item.className = "legend-item";
      item.dataset.series = String(n);
      item.setAttribute("aria-pressed", "true");
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
    box.append(group, reset);
  }

  document.addEventListener("click", function (event) {
    var item = event.target.closest && event.target.closest("#chart-legend .legend-item");
    var reset = event.target.closest && event.target.closest("#chart-legend .legend-reset");
    if (!item && !reset) { return; }
    if (item) {
      item.classList.toggle("off");
      item.setAttribute("aria-pressed", item.classList.contains("off") ? "false" : "true");
    } else {
      document.querySelectorAll("#chart-legend .legend-item.off").forEach(function (el) {
        el.classList.remove("off"); el.setAttribute("aria-pressed", "true");
      });
    }
    applyHidden();
  });

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    frontier: {
      compose: function (fig, toggles) {
        if (!fig) { return window.dash_clientside.no_update; }
        var theme = document.documentElement.getAttribute("data-bs-theme");
        var on = new Set(toggles || []);
        if (triggered("control-toggles")) { syncToggles(on); }
        // New data (a new figure object) comes with a new legend, all series shown.
        var freshData = window.__legendFor !== fig;
        window.__legendFor = fig;
        var palette = on.has("contrast") ? 1 : 0;
        var th = THEMES[theme === "dark" ? "dark" : "light"];
        var meta = fig.layout.meta || {};
        var hidden = freshData ? {} : hiddenSeries();
        if (freshData) {
          renderLegend(meta.series, palette);
          // a page's first chart comes with its table; later views fetch it after drawing
          if (document.querySelector("#main-chart .js-plotly-plot")) { tableAfterDraw(); }
        } else {
          var legend = document.getElementById("chart-legend");
          if (legend) { legend.classList.toggle("contrast", palette === 1); }
        }
        var data = (fig.data || []).map(function (tr) {
          var out = Object.assign({}, tr);
          var colours = tr.meta && tr.meta.colours;
          if (colours) {
            var c = colours[palette];
            if (tr.marker) { out.marker = Object.assign({}, tr.marker, {color: c, line: Object.assign({}, tr.marker.line, {color: c})}); }
          }
          if (tr.meta && tr.meta.role === "points") { out.mode = on.has("labels") ? "markers+text" : "markers"; }
          return out;
        });
        var points = data[0];
        var fullX = points ? decode(points.x) : [];
        if (points && Object.keys(hidden).length) {
          var owner = points.meta.series;
          points.x = fullX.map(function (v, i) { return hidden[owner[i]] ? NaN : v; });
        }
        var layout = Object.assign({}, fig.layout);
        var logX = on.has("log"), logY = on.has("log");
        layout.xaxis = axis(fig.layout.xaxis, logX, th);
        layout.yaxis = axis(fig.layout.yaxis, logY, th);
        keepZoom(layout, meta);
        var baseShapes = (fig.layout.shapes || []).map(function (sh) {
          // target lines: vertical, so only x needs the log transform
          return logX && sh.xref === "x" ? Object.assign({}, sh, {x0: Math.log10(sh.x0), x1: Math.log10(sh.x1)}) : sh;
        });
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
      },

      theme: function (switchOn, stored) {
        var fromSwitch = triggered("theme-switch");
        var theme = fromSwitch ? (switchOn ? "dark" : "light") : (stored || "light");
        var before = document.documentElement.getAttribute("data-bs-theme");
        document.documentElement.setAttribute("data-bs-theme", theme);
        // The chart lives in the page, the switch in the shell: re-theme it in place.
        var el = document.querySelector("#main-chart .js-plotly-plot");
        if (el && window.Plotly && before !== theme) {
          var th = THEMES[theme];
          window.Plotly.relayout(el, {"paper_bgcolor": th.paper, "plot_bgcolor": th.plot, "font.color": th.font,
            "xaxis.gridcolor": th.grid, "yaxis.gridcolor": th.grid,
            "xaxis.linecolor": th.line, "yaxis.linecolor": th.line});
        }
        return [theme === "dark", theme];
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

      downloadPng: function (n) {
        if (!n) { return window.dash_clientside.no_update; }
        var el = document.querySelector("#main-chart .js-plotly-plot");
        if (el && window.Plotly) {
          window.Plotly.downloadImage(el, {format: "png", filename: "inference-frontier", scale: 2, width: el.clientWidth, height: el.clientHeight});
        }
        return window.dash_clientside.no_update;
      }
    }
  });
})();
