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

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    frontier: {
      compose: function (fig, toggles) {
        if (!fig) { return window.dash_clientside.no_update; }
        var theme = document.documentElement.getAttribute("data-bs-theme");
        var on = new Set(toggles || []);
        if (triggered("control-toggles")) { syncToggles(on); }
        var palette = on.has("contrast") ? 1 : 0;
        var th = THEMES[theme === "dark" ? "dark" : "light"];
        var data = (fig.data || []).map(function (tr) {
          var out = Object.assign({}, tr);
          var colours = tr.meta && tr.meta.colours;
          if (colours) {
            var c = colours[palette];
            if (tr.marker) { out.marker = Object.assign({}, tr.marker, {color: c, line: Object.assign({}, tr.marker.line, {color: c})}); }
            if (tr.line) { out.line = Object.assign({}, tr.line, {color: c}); }
          }
          if (tr.meta && tr.meta.role === "points") { out.mode = on.has("labels") ? "markers+text" : "markers"; }
          return out;
        });
        var layout = Object.assign({}, fig.layout);
        layout.xaxis = axis(fig.layout.xaxis, on.has("log"), th);
        layout.yaxis = axis(fig.layout.yaxis, on.has("log"), th);
        layout.paper_bgcolor = th.paper;
        layout.plot_bgcolor = th.plot;
        layout.font = Object.assign({}, fig.layout.font, {color: th.font});
        if (layout.legend) { layout.legend = Object.assign({}, layout.legend, {font: Object.assign({}, layout.legend.font, {color: th.font})}); }
        if (window.innerWidth < 640 && layout.legend) {
          // Phones: a taller chart so the legend below it does not squeeze the plot.
          layout.height = 640 + 14 * Math.ceil((fig.data || []).length / 4);
          layout.legend = Object.assign({}, layout.legend, {y: -0.3, font: Object.assign({}, layout.legend.font, {size: 10})});
          layout.margin = Object.assign({}, layout.margin, {l: 56, r: 8});
        }
        if (layout.annotations) {
          layout.annotations = layout.annotations.map(function (a) { return Object.assign({}, a, {font: Object.assign({}, a.font, {color: th.font})}); });
        }
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
            "legend.font.color": th.font, "xaxis.gridcolor": th.grid, "yaxis.gridcolor": th.grid,
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
