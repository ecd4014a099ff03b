// A page's picture (presenters/first_paint.py: its layout as static HTML, before Dash's entry
// point) is painted with the page's HTML; this draws the picture's charts as soon as Plotly
// is here, with the figure Dash's first call of the same clientside callback will give
// (app.py runs Plotly, app.js, points_table.js and this first, and holds React and Dash's
// scripts back until this has run), and takes the picture away once the live page, laid out
// beneath it, has drawn its own charts.
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) { module.exports = api; } else { api.start(root); }
})(typeof window !== "undefined" ? window : this, function () {
  "use strict";

  // {id: props} of every component in a layout tree with a plain (string) id
  function componentProps(tree) {
    var out = {}, stack = [tree];
    while (stack.length) {
      var node = stack.pop();
      if (Array.isArray(node)) { for (var i = 0; i < node.length; i++) { stack.push(node[i]); } continue; }
      if (!node || typeof node !== "object") { continue; }
      var inner = node.props && typeof node.props === "object" ? node.props : node;  // a component, or an option
      if (inner === node.props && typeof inner.id === "string") { out[inner.id] = inner; }
      for (var name in inner) {
        var v = inner[name];
        if (v && typeof v === "object") { stack.push(v); }
      }
    }
    return out;
  }

  // The charts a picture can draw: each clientside callback Dash calls on a first load whose
  // one output is the figure of a chart the picture has, with the values its inputs and
  // states have in the layout. [{chart, namespace, name, args}]
  function chartCalls(dependencies, props, charts) {
    var out = [];
    (dependencies || []).forEach(function (dep) {
      var fn = dep.clientside_function;
      if (!fn || dep.prevent_initial_call || typeof dep.output !== "string") { return; }
      var dot = dep.output.lastIndexOf(".");
      var chart = dep.output.slice(0, dot);
      if (dep.output.slice(dot + 1) !== "figure" || charts.indexOf(chart) < 0) { return; }
      var given = (dep.inputs || []).concat(dep.state || []);
      if (!given.every(function (d) { return typeof d.id === "string"; })) { return; }  // pattern-matching ids
      out.push({chart: chart, namespace: fn.namespace, name: fn.function_name,
                args: given.map(function (d) { return props[d.id] ? props[d.id][d.property] : undefined; })});
    });
    return out;
  }

  function readJson(doc, id) {
    var element = doc.getElementById(id);
    if (!element) { return null; }
    try { return JSON.parse(element.textContent); } catch (e) { return null; }
  }

  function start(win) {
    var IDS = window.FRONTIER_IDS;
    var doc = win.document, picture = doc.querySelector(".first-paint");
    if (!picture) { return; }
    var entry = IDS && doc.getElementById(IDS.DASH_ENTRY);
    if (!entry) {  // never hide the live page for good
      picture.parentNode.removeChild(picture);
      throw new Error("first_paint.js: window.FRONTIER_IDS or Dash's entry point is missing (app.py writes both)");
    }
    var drawn = {};  // the charts the picture drew: the live page shows once it has drawn them too
    var boxes = Array.prototype.slice.call(picture.querySelectorAll("[data-first-paint-chart]"));
    var charts = boxes.map(function (b) { return b.getAttribute("data-first-paint-chart"); });

    try {
      var layout = readJson(doc, IDS.FIRST_LAYOUT), deps = readJson(doc, IDS.FIRST_DEPENDENCIES);
      var hooks = win.frontierFirstPaint || {};
      var props = layout ? componentProps(layout) : {};
      // the texts the live page's scripts give elements on a first load (assets/points_table.js)
      var named = Object.assign.apply(null, [{}].concat((hooks.texts || []).map(function (texts) { return texts(props); })));
      picture.querySelectorAll("[data-first-paint-id]").forEach(function (el) {
        var id = el.getAttribute("data-first-paint-id");
        if (Object.prototype.hasOwnProperty.call(named, id)) { el.textContent = named[id]; }
      });
      if (layout && deps && win.Plotly) {
        chartCalls(deps, props, charts).forEach(function (call) {
          var own = hooks[call.name];
          var fn = own || ((win.dash_clientside || {})[call.namespace] || {})[call.name];
          var figure = fn ? fn.apply(null, call.args) : null;
          if (!figure || !Array.isArray(figure.data) || !figure.data.length) { return; }
          var box = boxes[charts.indexOf(call.chart)];
          // a still picture: nothing to hover, and no window listeners to outlive it
          var config = Object.assign({}, (props[call.chart] || {}).config, {staticPlot: true, responsive: false});
          win.Plotly.newPlot(box, figure.data, figure.layout, config);
          drawn[call.chart] = true;
        });
      }
    } catch (err) {
      // the picture is a head start, never a requirement: the live page draws regardless
      if (win.console) { win.console.warn("first paint: chart not drawn", err); }
    }

    var done = false;
    function liveReady() {
      if (!entry.firstElementChild || entry.querySelector("._dash-loading")) { return false; }
      return charts.every(function (id) {
        var live = doc.getElementById(id), gd = live && live.querySelector(".js-plotly-plot");
        if (!live) { return false; }
        if (!(id in drawn)) { return true; }
        return !!(gd && gd._fullLayout && gd.data && gd.data.length > 0);  // not dcc.Graph's empty placeholder
      });
    }
    function finish() {
      if (done) { return; }
      done = true;
      observer.disconnect();
      picture.parentNode.removeChild(picture);  // (not purged: a draw may still be finishing)
    }
    var checking = false;
    var observer = new win.MutationObserver(function () {
      if (checking || done) { return; }
      checking = true;
      win.requestAnimationFrame(function () { checking = false; if (liveReady()) { finish(); } });
    });
    observer.observe(entry, {childList: true, subtree: true});
    // a live page that has every script but never draws its charts is still shown as it is
    // (however long the scripts take to arrive: the picture is all a slow link has meanwhile)
    win.addEventListener("load", function () { win.setTimeout(finish, 5000); });
  }

  return {componentProps: componentProps, chartCalls: chartCalls, start: start};
});
