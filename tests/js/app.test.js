// Unit tests of assets/app.js's pure functions: node --test tests/js/
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const app = require("../../assets/app.js");

const THEME = app.THEMES.light;

// base64 of a typed array, the way components/charts.py `typed` writes it
function b64(Kind, values) {
  return Buffer.from(new Kind(values).buffer).toString("base64");
}

// ---- decode -----------------------------------------------------------------------------------

test("decode reads every dtype the server sends", () => {
  assert.deepEqual(app.decode({dtype: "f8", bdata: b64(Float64Array, [0.1, -3, 1e9])}), [0.1, -3, 1e9]);
  assert.deepEqual(app.decode({dtype: "u1", bdata: b64(Uint8Array, [0, 9, 255])}), [0, 9, 255]);
  assert.deepEqual(app.decode({dtype: "u2", bdata: b64(Uint16Array, [1, 65535])}), [1, 65535]);
  // f4 comes back as the nearest float32, exactly as Plotly decodes the markers
  assert.deepEqual(app.decode({dtype: "f4", bdata: b64(Float32Array, [1.5, 0.1])}), [1.5, Math.fround(0.1)]);
});

test("decode reads the exact strings Python's typed() produces", () => {
  // python -c "from components.charts import typed; print(typed([1.5, -2.25, 1000.0], 'f4'))"
  assert.deepEqual(app.decode({dtype: "f4", bdata: "AADAPwAAEMAAAHpE"}), [1.5, -2.25, 1000]);
  assert.deepEqual(app.decode({dtype: "f8", bdata: "mpmZmZmZuT8AAAAAAAAIQA=="}), [0.1, 3]);
  assert.deepEqual(app.decode({dtype: "u1", bdata: "AAn/"}), [0, 9, 255]);
});

test("decode passes plain arrays through and treats nothing as empty", () => {
  const plain = [1, 2, 3];
  assert.equal(app.decode(plain), plain);
  assert.deepEqual(app.decode(null), []);
  assert.deepEqual(app.decode(undefined), []);
});

// ---- curve geometry -------------------------------------------------------------------------

// plotly.js 4.1.1 places a shape coordinate v at  ax._offset + ax.r2p(shapePositionToRange(ax)(v))
// with shapePositionToRange = (log axis ? d2r : identity), and a marker at x at ax.l2p(ax.d2l(x)).
// On a log axis both d2r and d2l are log10, so shapes and markers share this mapping.
function axisToPixel(type, range, length) {
  const toRange = type === "log" ? Math.log10 : (v) => v;
  return (v) => ((toRange(v) - range[0]) / (range[1] - range[0])) * length;
}

function vertices(shapePath) {
  return shapePath.split(" ").map((seg) => {
    assert.match(seg, /^[ML]-?[\d.e+-]+,-?[\d.e+-]+$/);
    return seg.slice(1).split(",").map(Number);
  });
}

// Frontier points of two series; each curve runs through its own (knots included).
const FRONTIERS = [
  {x: [20, 45, 80, 160], y: [9000, 5200, 2100, 400]},
  {x: [12, 30, 300], y: [3000, 1800, 35]},
];

function seriesOf(frontiers) {
  return frontiers.map((f, n) => ({
    name: "series " + n, colours: ["#00" + n + "000", "#ff" + n + "000"], dash: n ? "dot" : "solid",
    curve: {x: {dtype: "f4", bdata: b64(Float32Array, f.x)}, y: {dtype: "f4", bdata: b64(Float32Array, f.y)}},
  }));
}

for (const log of [false, true]) {
  const type = log ? "log" : "linear";
  test(`curves start, end and pass on their points on ${type} axes (in pixels, as Plotly maps them)`, () => {
    const xs = FRONTIERS.flatMap((f) => f.x), ys = FRONTIERS.flatMap((f) => f.y);
    const span = (vals) => log ? [Math.log10(Math.min(...vals)), Math.log10(Math.max(...vals))] : [0, Math.max(...vals)];
    const px = axisToPixel(type, span(xs), 1000), py = axisToPixel(type, span(ys), 500);
    const shapes = app.curveShapes(seriesOf(FRONTIERS), log, log, 0, {});
    assert.equal(shapes.length, FRONTIERS.length);
    shapes.forEach((shape, n) => {
      assert.equal(shape.type, "path");
      assert.equal(shape.xref, "x");
      assert.equal(shape.yref, "y");
      const drawn = vertices(shape.path).map(([x, y]) => [px(x), py(y)]);
      const markers = FRONTIERS[n].x.map((x, i) => [px(Math.fround(x)), py(Math.fround(FRONTIERS[n].y[i]))]);
      const gap = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]);
      assert.ok(gap(drawn[0], markers[0]) < 0.01, `curve ${n} starts ${gap(drawn[0], markers[0])} px off its first point`);
      assert.ok(gap(drawn.at(-1), markers.at(-1)) < 0.01, `curve ${n} ends ${gap(drawn.at(-1), markers.at(-1))} px off its last point`);
      markers.forEach((m, i) => assert.ok(gap(drawn[i], m) < 0.01, `curve ${n} misses point ${i}`));
    });
  });
}

test("the vendored plotly.js maps shape coordinates the way the geometry test assumes", () => {
  // If this fails, plotly.js was replaced: check how it places path and line shapes on log
  // axes before changing it (curveShapes and targetShapes pass data values on both scales).
  const vendor = path.join(__dirname, "..", "..", "assets", "vendor");
  const bundles = fs.readdirSync(vendor).filter((f) => /^plotly.*\.min\.js$/.test(f));
  assert.equal(bundles.length, 1, `one plotly bundle expected in assets/vendor: ${bundles}`);
  const src = fs.readFileSync(path.join(vendor, bundles[0]), "utf8");
  assert.match(src.slice(0, 200), /plotly\.js \(basic - minified\) v4\.1\.1/);
  assert.match(src, /shapePositionToRange=function\((\w)\)\{return \1\.type==="log"\?\1\.d2r:function\((\w)\)\{return \2\}\}/);
  // getPathString maps path vertices and line/rect corners alike through shapePositionToRange
  const getPathString = src.slice(src.indexOf(".getPathString=function"), src.indexOf(".getPathString=function") + 1400);
  assert.match(getPathString, /let (\w)=\w+\.shapePositionToRange\((\w)\);\w=function\((\w)\)\{return \2\._offset\+\2\.r2p\(\1\(\3,!0\)\)\}/);
  assert.match(getPathString, /\w==="path"\)return \w+\(/);
  assert.match(getPathString, /if\(\w==="line"\)return"M"/);
});

test("on a log axis values it cannot show are left out of the curve", () => {
  const series = seriesOf([{x: [0, 10, 20, 40], y: [100, 50, -1, 10]}]);
  assert.equal(app.curveShapes(series, true, true, 0, {})[0].path, "M10,50 L40,10");
  assert.equal(app.curveShapes(series, false, false, 0, {})[0].path, "M0,100 L10,50 L20,-1 L40,10");
  // log on x only: the zero x goes, the negative y stays
  assert.equal(app.curveShapes(series, true, false, 0, {})[0].path, "M10,50 L20,-1 L40,10");
});

test("curves: hidden series, palette, dash and single points", () => {
  const series = seriesOf([{x: [1, 2], y: [3, 4]}, {x: [5, 6], y: [7, 8]}, {x: [9], y: [10]}]);
  const shapes = app.curveShapes(series, false, false, 1, {0: true});
  assert.equal(shapes.length, 1);  // series 0 hidden, series 2 is a single point: no line to draw
  assert.equal(shapes[0].path, "M5,7 L6,8");
  assert.deepEqual(shapes[0].line, {color: "#ff1000", width: 2, dash: "dot"});
  assert.equal(shapes[0].layer, "below");
  assert.equal(app.curveShapes(series, false, false, 0, {})[1].line.color, "#001000");
  assert.deepEqual(app.curveShapes(undefined, false, false, 0, {}), []);
});

// ---- earlier frontiers (the explorer's dates=) -------------------------------------------------

function withOverlays(series, overlays) {
  return series.map((s, n) => Object.assign({}, s, {overlays: (overlays[n] || []).map((o) => ({
    date: o.date, dash: o.dash,
    curve: {x: {dtype: "f4", bdata: b64(Float32Array, o.x)}, y: {dtype: "f4", bdata: b64(Float32Array, o.y)}},
  }))}));
}

test("each series' earlier frontiers are drawn after its own, thinner, in its colour and their date's style", () => {
  const series = withOverlays(seriesOf([{x: [1, 2, 4], y: [9, 6, 1]}, {x: [3, 5], y: [4, 2]}]), {
    0: [{date: "2026-01-05", dash: "dash", x: [1, 3], y: [5, 2]}, {date: "2026-03-01", dash: "longdash", x: [2, 4], y: [7, 1]}],
    1: [{date: "2026-01-05", dash: "dash", x: [3, 4], y: [3, 1]}],
  });
  const shapes = app.curveShapes(series, false, false, 1, {});
  assert.deepEqual(shapes.map((sh) => [sh.path, sh.line.dash, sh.line.width, sh.line.color]), [
    ["M1,9 L2,6 L4,1", "solid", 2, "#ff0000"],
    ["M1,5 L3,2", "dash", 1.5, "#ff0000"],
    ["M2,7 L4,1", "longdash", 1.5, "#ff0000"],
    ["M3,4 L5,2", "dot", 2, "#ff1000"],
    ["M3,3 L4,1", "dash", 1.5, "#ff1000"],
  ]);
  // a hidden series takes its earlier frontiers with it; a log axis drops what it cannot show
  assert.deepEqual(app.curveShapes(series, false, false, 0, {0: true}).map((sh) => sh.path), ["M3,4 L5,2", "M3,3 L4,1"]);
  const onLog = withOverlays(seriesOf([{x: [1, 2], y: [1, 2]}]), {0: [{date: "d", dash: "dash", x: [0, 2, 3], y: [1, 2, 3]}]});
  assert.equal(app.curveShapes(onLog, true, true, 0, {})[1].path, "M2,2 L3,3");
});

test("the legend names each earlier date's line style, and says nothing without them", () => {
  assert.deepEqual(app.dateKey({dates: [{date: "2026-01-05", dash: "dash"}, {date: "2026-03-01", dash: "longdash"}]}), [
    {dash: "solid", text: "this view (dotted: no speculative decoding)"},
    {dash: "dash", text: "as of 2026-01-05"},
    {dash: "longdash", text: "as of 2026-03-01"},
  ]);
  assert.deepEqual(app.dateKey({dates: []}), []);
  assert.deepEqual(app.dateKey(undefined), []);
  // every style the server uses (components/charts.py DATE_DASHES) has a dash array like Plotly's
  const charts = fs.readFileSync(path.join(__dirname, "../../components/charts.py"), "utf8");
  const styles = JSON.parse(charts.match(/DATE_DASHES = (\[[^\]]*\])/)[1]);
  styles.forEach((dash) => assert.ok(app.DASH_ARRAYS[dash], dash));
  // plotly's dashStyle with t = max(width, 3) = 3: dashdot is 3t,t,t,t
  assert.equal(app.DASH_ARRAYS.dashdot, "9,3,3,3");
});

test("a figure beside a table takes the page's theme and leaves the server's figure alone", () => {
  const fig = {data: [{type: "bar", x: [1]}], layout: {xaxis: {title: {text: "x"}}, font: {size: 12}}};
  const out = app.themedFigure(fig, app.THEMES.dark);
  assert.equal(out.layout.plot_bgcolor, app.THEMES.dark.plot);
  assert.equal(out.layout.paper_bgcolor, app.THEMES.dark.paper);
  assert.deepEqual(out.layout.font, {size: 12, color: app.THEMES.dark.font});
  assert.equal(out.layout.xaxis.gridcolor, app.THEMES.dark.grid);
  assert.deepEqual(out.layout.xaxis.title, {text: "x"});
  assert.equal(out.layout.yaxis.linecolor, app.THEMES.dark.line);
  assert.equal(out.data, fig.data);
  assert.equal(fig.layout.plot_bgcolor, undefined);
  assert.equal(app.themedFigure(null, app.THEMES.light), null);
});

test("target lines keep their data value on a log axis, where Plotly takes the log", () => {
  const lines = [93, 124, 154].map((t) => ({type: "line", xref: "x", yref: "paper", x0: t, x1: t, y0: 0, y1: 1}));
  for (const log of [false, true]) {
    const px = axisToPixel(log ? "log" : "linear", log ? [1, 3] : [0, 200], 1000);
    const kept = app.targetShapes(lines, log);
    assert.deepEqual(kept.map((sh) => [px(sh.x0), px(sh.x1)]), [93, 124, 154].map((t) => [px(t), px(t)]));
  }
  // a line a log axis cannot place is dropped rather than drawn at NaN
  assert.deepEqual(app.targetShapes([{type: "line", xref: "x", x0: 0, x1: 0}], true), []);
  assert.equal(app.targetShapes([{type: "line", xref: "x", x0: 0, x1: 0}], false).length, 1);
  assert.deepEqual(app.targetShapes(undefined, true), []);
});

// ---- zoom -------------------------------------------------------------------------------------

function zoomed(x, metric, xRange, yRange, type = "linear") {
  return {
    before: {x: x, metric: metric},
    shown: {xaxis: {autorange: xRange ? false : true, range: xRange || [0, 1], type: type},
            yaxis: {autorange: yRange ? false : true, range: yRange || [0, 1], type: type}},
  };
}

function layoutFor(type = "linear") {
  return {xaxis: {type: type, title: {text: "x"}}, yaxis: {type: type, title: {text: "y"}}};
}

test("an x zoom survives a y-metric change, and the y axis rescales", () => {
  const z = zoomed("intvty", "tput", [20, 60], [0, 900]);
  const layout = app.keepZoom(layoutFor(), {x: "intvty", metric: "cost"}, z.before, z.shown);
  assert.deepEqual(layout.xaxis, {type: "linear", title: {text: "x"}, range: [20, 60], autorange: false});
  assert.deepEqual(layout.yaxis, {type: "linear", title: {text: "y"}});
  z.shown.xaxis.range[0] = 99;  // the kept range is a copy, not Plotly's live array
  assert.equal(layout.xaxis.range[0], 20);
});

test("a y zoom survives an x change; no zoom is kept across a change of scale or without one", () => {
  const z = zoomed("intvty", "tput", [20, 60], [100, 900]);
  const y = app.keepZoom(layoutFor(), {x: "ttft", metric: "tput"}, z.before, z.shown);
  assert.deepEqual([y.xaxis.range, y.yaxis.range], [undefined, [100, 900]]);
  const scale = app.keepZoom(layoutFor("log"), {x: "intvty", metric: "tput"}, z.before, z.shown);
  assert.deepEqual([scale.xaxis.range, scale.yaxis.range], [undefined, undefined]);
  const auto = zoomed("intvty", "tput");
  const none = app.keepZoom(layoutFor(), {x: "intvty", metric: "tput"}, auto.before, auto.shown);
  assert.deepEqual(none, layoutFor());
  assert.deepEqual(app.keepZoom(layoutFor(), {x: "intvty", metric: "tput"}, undefined, undefined), layoutFor());
});

// ---- axes ---------------------------------------------------------------------------------------

test("axis: log or linear, zoom remembered per scale, themed, base left alone", () => {
  const base = {title: {text: "Throughput"}, uirevision: "tput", rangemode: "tozero", zeroline: false};
  const linear = app.axis(base, false, THEME);
  assert.deepEqual(linear, {title: {text: "Throughput"}, uirevision: "tput", rangemode: "tozero", zeroline: false,
                            type: "linear", gridcolor: THEME.grid, linecolor: THEME.line, zerolinecolor: THEME.grid});
  const log = app.axis(base, true, app.THEMES.dark);
  assert.equal(log.type, "log");
  assert.equal(log.uirevision, "tput:log");
  assert.equal("rangemode" in log, false);  // "tozero" has no meaning on a log axis
  assert.equal(log.gridcolor, app.THEMES.dark.grid);
  assert.equal(base.rangemode, "tozero");
  assert.equal(app.axis(undefined, true, THEME).uirevision, ":log");
});

// ---- URL toggles ------------------------------------------------------------------------------

test("view toggles are set and cleared in the query, the rest kept as it was", () => {
  const on = (...keys) => new Set(keys);
  assert.equal(app.searchWithToggles("?model=dsr1&seq=1k1k", on("log")), "?model=dsr1&seq=1k1k&log=1");
  assert.equal(app.searchWithToggles("?log=1&model=dsr1", on()), "?model=dsr1");
  assert.equal(app.searchWithToggles("?log=1", on()), "");
  assert.equal(app.searchWithToggles("", on("contrast", "labels", "log")), "?log=1&labels=1&contrast=1");
  assert.equal(app.searchWithToggles("?log=0&labels=yes", on("log", "labels")), "?log=1&labels=1");
  // lists keep readable commas, whether they came escaped or not
  assert.equal(app.searchWithToggles("?gpus=b200%2Cmi355x&precision=fp4,fp8", on()), "?gpus=b200,mi355x&precision=fp4,fp8");
  assert.equal(app.searchWithToggles("?hide=a/fp4,b%2Ffp4", on("log")), "?hide=a/fp4,b/fp4&log=1");
  // unrelated values are not altered
  assert.equal(app.searchWithToggles("?date=2026-03-01&targets=40,80", on("labels")), "?date=2026-03-01&targets=40,80&labels=1");
  // only the three view toggles are touched
  assert.equal(app.searchWithToggles("?optimal=1", on("optimal")), "?optimal=1");
  assert.equal(app.searchWithToggles("?optimal=1", on()), "?optimal=1");
});

// ---- traces -----------------------------------------------------------------------------------

test("traces take the chosen palette and label mode without touching the figure", () => {
  const points = {type: "scatter", mode: "markers", marker: {color: ["#a", "#b"], line: {width: 1, color: ["#a", "#b"]}},
                  meta: {role: "points", colours: [["#a", "#b"], ["#c", "#d"]], series: [0, 1]}};
  const [contrast] = app.styleTraces([points], 1, true);
  assert.deepEqual(contrast.marker.color, ["#c", "#d"]);
  assert.deepEqual(contrast.marker.line, {width: 1, color: ["#c", "#d"]});
  assert.equal(contrast.mode, "markers+text");
  assert.deepEqual(points.marker.color, ["#a", "#b"]);  // the server's figure is reused on the next toggle
  assert.equal(points.mode, "markers");
  const [normal] = app.styleTraces([points], 0, false);
  assert.deepEqual(normal.marker.color, ["#a", "#b"]);
  assert.equal(normal.mode, "markers");
  assert.deepEqual(app.styleTraces(undefined, 0, false), []);
});

test("a hidden series' points get x = NaN, the others keep theirs", () => {
  const x = app.hideX([1, 2, 3, 4], [0, 1, 1, 2], {1: true});
  assert.deepEqual(x.map((v) => Number.isNaN(v) ? "hidden" : v), [1, "hidden", "hidden", 4]);
  assert.deepEqual(app.hideX([1, 2], [0, 0], {}), [1, 2]);
});

// ---- hidden series in the address -------------------------------------------------------------

test("hide= lists the hidden series' keys readably, the rest of the query untouched", () => {
  assert.equal(app.searchWithHidden("?model=dsr1&seq=1k1k", ["b200/sglang/mtp/fp8"]),
               "?model=dsr1&seq=1k1k&hide=b200/sglang/mtp/fp8");
  assert.equal(app.searchWithHidden("?model=dsr1&hide=a/fp4&log=1", ["a/fp4", "b/fp4"]), "?model=dsr1&hide=a/fp4,b/fp4&log=1");
  assert.equal(app.searchWithHidden("?model=dsr1&hide=a/fp4", []), "?model=dsr1");
  assert.equal(app.searchWithHidden("?hide=a/fp4", []), "");
  assert.equal(app.searchWithHidden("", null), "");
  // what the server writes (hide=...%2F... or with slashes) reads back the same
  assert.equal(app.searchWithHidden("?gpus=b200%2Cmi355x&hide=a%2Ffp4", ["a/fp4"]), "?gpus=b200,mi355x&hide=a/fp4");
});

test("hidden keys find their series by key, wherever the series is in the figure", () => {
  const series = [{key: "h100/trt/none/fp8"}, {key: "b200/sglang/mtp/fp8"}, {key: "b200/sglang/none/fp8"}];
  assert.deepEqual(app.hiddenIndex(series, ["b200/sglang/mtp/fp8"]), {1: true});
  assert.deepEqual(app.hiddenIndex(series.slice().reverse(), ["b200/sglang/mtp/fp8"]), {1: true});
  assert.deepEqual(app.hiddenIndex([series[0]], ["b200/sglang/mtp/fp8"]), {});  // not in this view: ignored
  assert.deepEqual(app.hiddenIndex(series, undefined), {});
  assert.deepEqual(app.hiddenIndex(undefined, ["a/fp4"]), {});
});

// ---- the exported image -----------------------------------------------------------------------

const EXPORT_SERIES = [
  {name: "B200 · sglang · MTP", key: "b200/sglang/mtp/fp8", colours: ["#0a0", "#00a"], symbol: 0, dash: "solid",
   dates: ["2026-01-05", "2026-03-03"], sources: ["SemiAnalysis InferenceX"]},
  {name: "MI355X · <atom> · Off", key: "mi355x/atom/none/fp8", colours: ["#a00", "#aa0"], symbol: 1, dash: "dot",
   dates: ["2025-11-02", "2026-02-01"], sources: ["SemiAnalysis InferenceX"]},
  {name: "Qwen fixture", key: "b300/trt/mtp/fp8", colours: ["#111", "#222"], symbol: 2, dash: "solid",
   dates: ["2026-06-30", "2026-06-30"], sources: ["InferenceX runner aggregates"]},
];

function drawnFigure() {
  return {
    data: [{type: "scatter", mode: "markers", x: [1, NaN, 3], y: {dtype: "f4", bdata: "AAAAAA=="}, meta: {role: "points"}}],
    layout: {height: 560, margin: {l: 70, r: 20, t: 20, b: 60}, xaxis: {title: {text: "Interactivity (median) (tok/s/user)"}, range: [10, 90]},
             yaxis: {title: {text: "Throughput per GPU (input + output) (tok/s/GPU)"}}, shapes: [{type: "path", path: "M1,2 L3,4"}],
             meta: {series: EXPORT_SERIES, export: {title: "DeepSeek R1 0528 · 1k/1k · FP8: Throughput per GPU vs Interactivity",
                                                    name: "inference-frontier_dsr1_1k1k_fp8_tput-vs-intvty", when: "latest-2026-06-11"}}},
  };
}

test("the source line credits the shown series' sources and run dates, and counts the hidden ones", () => {
  assert.equal(app.sourceLine(EXPORT_SERIES, {}),
               "Data: InferenceX runner aggregates, SemiAnalysis InferenceX · measured 2025-11-02 to 2026-06-30");
  assert.equal(app.sourceLine(EXPORT_SERIES, {2: true}),
               "Data: SemiAnalysis InferenceX · measured 2025-11-02 to 2026-03-03 · 1 of 3 series hidden");
  assert.equal(app.sourceLine([EXPORT_SERIES[2]], {}), "Data: InferenceX runner aggregates · measured 2026-06-30");
  assert.equal(app.sourceLine([], {}), "Data: unknown source");
});

test("the exported figure carries the title, a legend of the shown series, the source and the axes", () => {
  const drawn = drawnFigure();
  const out = app.exportFigure(drawn, {0: true}, 1, app.THEMES.light, 1000);
  const {data, layout} = out.figure;
  // the chart as drawn, then one legend entry per shown series in the chosen palette (escaped)
  assert.equal(data[0].showlegend, false);
  assert.deepEqual(data[0].x, [1, NaN, 3]);
  const entries = data.slice(1);
  assert.deepEqual(entries.map((t) => t.name), ["MI355X · &lt;atom&gt; · Off", "Qwen fixture"]);
  assert.deepEqual(entries.map((t) => [t.marker.color, t.marker.symbol, t.line.dash]), [["#aa0", 1, "dot"], ["#222", 2, "solid"]]);
  assert.ok(entries.every((t) => t.showlegend && t.x.length === 1 && t.x[0] === null));
  assert.equal(layout.showlegend, true);
  assert.equal(layout.legend.orientation, "h");
  assert.match(layout.title.text, /DeepSeek R1 0528 · 1k\/1k · FP8: Throughput per GPU vs Interactivity/);
  assert.match(layout.title.text, /Data: InferenceX runner aggregates, SemiAnalysis InferenceX · measured 2025-11-02 to 2026-06-30 · 1 of 3 series hidden/);
  // axis titles (with units), zoom and curves are kept; the paper is opaque
  assert.equal(layout.xaxis.title.text, "Interactivity (median) (tok/s/user)");
  assert.deepEqual(layout.xaxis.range, [10, 90]);
  assert.equal(layout.shapes.length, 1);
  assert.equal(layout.paper_bgcolor, app.THEMES.light.plot);
  // the plot keeps its height; title, legend and source lines are added around it
  const plotHeight = 560 - 20 - 60;
  assert.equal(layout.height - layout.margin.t - layout.margin.b, plotHeight);
  assert.ok(out.height > 560 + 80, out.height);
  assert.equal(out.width, 1000);
  assert.equal(layout.width, 1000);
  // the page's figure is left as it was
  assert.equal(drawn.layout.showlegend, undefined);
  assert.equal(drawn.data.length, 1);
  assert.equal(drawn.data[0].showlegend, undefined);
});

test("a longer legend makes a taller image", () => {
  const names = (n) => Array.from({length: n}, (_v, i) => "GB300 · dynamo-sglang · MTP · FP" + i);
  assert.equal(app.legendRows([], 900), 0);
  assert.equal(app.legendRows(names(1), 900), 1);
  assert.ok(app.legendRows(names(40), 900) > app.legendRows(names(10), 900));
  assert.ok(app.legendRows(names(10), 400) > app.legendRows(names(10), 1200));
  const many = drawnFigure();
  many.layout.meta.series = names(30).map((name, n) => Object.assign({}, EXPORT_SERIES[0], {name: name, key: "k/" + n}));
  const few = drawnFigure();
  assert.ok(app.exportFigure(many, {}, 0, app.THEMES.dark, 900).height > app.exportFigure(few, {}, 0, app.THEMES.dark, 900).height);
});

test("exported files are named after the view, with how many series are hidden before its date", () => {
  const about = drawnFigure().layout.meta.export;
  assert.equal(app.exportFileName(about, 0, ".png"), "inference-frontier_dsr1_1k1k_fp8_tput-vs-intvty_latest-2026-06-11.png");
  assert.equal(app.exportFileName(about, 2, ".png"), "inference-frontier_dsr1_1k1k_fp8_tput-vs-intvty_2-hidden_latest-2026-06-11.png");
  assert.equal(app.exportFileName({}, 0, ".png"), "inference-frontier.png");
});

// ---- legend group switches ------------------------------------------------------------------

const FACETED = [
  {key: "b200/sglang/mtp/fp8", facets: [["gpu", "b200", "B200"], ["engine", "sglang", "sglang"], ["spec", "mtp", "MTP"], ["precision", "fp8", "FP8"]]},
  {key: "b200/trt/none/fp8", facets: [["gpu", "b200", "B200"], ["engine", "trt", "trt"], ["spec", "none", "Off"], ["precision", "fp8", "FP8"]]},
  {key: "h200/sglang/none/fp8", facets: [["gpu", "h200", "H200"], ["engine", "sglang", "sglang"], ["spec", "none", "Off"], ["precision", "fp8", "FP8"]]},
];

test("facetGroups lists each facet the series differ in, values in legend order with their series", () => {
  const groups = app.facetGroups(FACETED);
  assert.deepEqual(groups.map((g) => [g.facet, g.label]), [["gpu", "GPU"], ["engine", "Engine"], ["spec", "Spec. decoding"]]);
  assert.deepEqual(groups[0].values, [{value: "b200", label: "B200", members: [0, 1]}, {value: "h200", label: "H200", members: [2]}]);
  assert.deepEqual(groups[2].values.map((v) => [v.label, v.members]), [["MTP", [0]], ["Off", [1, 2]]]);
  // precision is FP8 for all three: a switch for it would hide everything, so there is none
  assert.ok(!groups.some((g) => g.facet === "precision"));
});

test("facetGroups leaves out a facet whose every value is a single series: the legend items already are", () => {
  const best = [["b200", "B200"], ["h200", "H200"], ["mi355x", "MI355X"]].map(([g, label]) => (
    {key: g + "/fp8", facets: [["gpu", g, label], ["precision", "fp8", "FP8"]]}));
  assert.deepEqual(app.facetGroups(best), []);
  // two precisions per GPU: the GPU switches hide both, the precision switches one of each GPU
  const two = best.flatMap((s) => ["fp4", "fp8"].map((p) => ({key: s.key.replace("fp8", p),
    facets: [s.facets[0], ["precision", p, p.toUpperCase()]]})));
  assert.deepEqual(app.facetGroups(two).map((g) => g.facet), ["gpu", "precision"]);
});

test("facetGroups has nothing to offer series without facets (comparison sides) or a single series", () => {
  assert.deepEqual(app.facetGroups([{key: "a/fp4"}, {key: "b/fp4"}]), []);
  assert.deepEqual(app.facetGroups([FACETED[0]]), []);
  assert.deepEqual(app.facetGroups(null), []);
});

test("toggledKeys hides a group while any of it is shown, shows it when all of it is hidden", () => {
  const b200 = [0, 1];
  assert.deepEqual(app.toggledKeys(FACETED, [], b200), ["b200/sglang/mtp/fp8", "b200/trt/none/fp8"]);
  // one B200 series already hidden by hand: the switch hides the other, keeping legend order
  assert.deepEqual(app.toggledKeys(FACETED, ["h200/sglang/none/fp8", "b200/trt/none/fp8"], b200),
                   ["b200/sglang/mtp/fp8", "b200/trt/none/fp8", "h200/sglang/none/fp8"]);
  assert.deepEqual(app.toggledKeys(FACETED, ["b200/sglang/mtp/fp8", "b200/trt/none/fp8"], b200), []);
  // keys of series no longer in the view are dropped, as the legend drops them
  assert.deepEqual(app.toggledKeys(FACETED, ["gone/x"], [2]), ["h200/sglang/none/fp8"]);
});

// ---- a subset of the GPUs drawn in the browser (viewChoice / narrowView) -------------------------

// A figure and points table as presenters/chart.py sends them: three series (two B200, one
// MI355X), five points, the customdata 8 numbers a point.
function smallView() {
  const owner = [0, 0, 1, 2, 2];
  const custom = [];
  owner.forEach((n, i) => { for (let c = 0; c < 8; c++) { custom.push(i * 10 + c); } });
  const series = [
    {name: "B200 · sglang", key: "b200/sglang/none/fp8", facets: [["gpu", "b200", "B200"], ["engine", "sglang", "sglang"]],
     dates: ["2026-01-01", "2026-02-01"], points: 2},
    {name: "B200 · trt", key: "b200/trt/none/fp8", facets: [["gpu", "b200", "B200"], ["engine", "trt", "trt"]],
     dates: ["2026-01-05", "2026-03-01"], points: 1},
    {name: "MI355X · sglang", key: "mi355x/sglang/none/fp8", facets: [["gpu", "mi355x", "MI355X"], ["engine", "sglang", "sglang"]],
     dates: ["2026-04-01", "2026-05-01"], points: 2},
  ];
  const colours = ["#a", "#a", "#b", "#c", "#c"];
  const fig = {
    data: [{type: "scatter", x: app.encode([1, 2, 3, 4, 5], "f4"), y: app.encode([10, 20, 30, 40, 50], "f4"),
            marker: {color: colours, symbol: app.encode([0, 0, 1, 0, 0], "u1"), size: app.encode([9, 6, 9, 9, 6], "u1"),
                     line: {width: 1, color: colours}},
            customdata: Object.assign(app.encode(custom, "f4"), {shape: "5,8"}),
            hovertext: ["h0", "h1", "h2", "h3", "h4"], text: ["t0", "t1", "t2", "t3", "t4"],
            meta: {role: "points", colours: [colours, ["#x", "#x", "#y", "#z", "#z"]], series: owner}}],
    layout: {meta: {series: series, x: "intvty", metric: "tput",
                    "export": {title: "T", name: "inference-frontier_dsr1_1k1k_fp8_tput-vs-intvty", when: "latest-2026-05-01",
                               stem: "inference-frontier_dsr1_1k1k_fp8_tput-vs-intvty", tail: "_optimal", dated: false,
                               gpu_files: {b200: "b200", mi355x: "mi355x"}}}},
  };
  const table = {columns: [{name: "GPU", numeric: false}, {name: "On frontier", numeric: false}],
                 rows: [["B200", "yes"], ["B200", "no"], ["B200", "yes"], ["MI355X", "yes"], ["MI355X", "no"]],
                 series: owner, keys: series.map((s) => s.key), view: "/?all",
                 summary: "{points} points in {series} series (x {points}); {frontier} on a frontier."};
  return {fig, table};
}

test("encode writes what decode reads, byte for byte as Python's typed() does", () => {
  assert.deepEqual(app.encode([1.5, -2.25, 1000], "f4"), {dtype: "f4", bdata: "AADAPwAAEMAAAHpE"});
  assert.deepEqual(app.encode([0, 9, 255], "u1"), {dtype: "u1", bdata: "AAn/"});
  const many = Array.from({length: 70000}, (_v, i) => i % 251);  // longer than one chunk of the encoder
  assert.deepEqual(app.decode(app.encode(many, "u1")), many);
});

// A choice of GPUs and filters, as viewChoice builds it.
function choice(gpus, filters) {
  return {gpus: gpus, filters: Object.assign({vendor: [], framework: [], spec: []}, filters || {})};
}

test("choiceChange: the same choice changes nothing, one the server's view has is drawn here, others ask the server", () => {
  const {fig} = smallView();
  const series = fig.layout.meta.series;
  const all = {page: "explorer", gpus: [], filters: {}};
  const source = {state: all, series: series};  // the server drew every GPU, no filter
  assert.equal(app.choiceChange(all, source, choice([])), "same");
  assert.equal(app.choiceChange(all, source, choice(["mi355x"])), "narrow");
  assert.equal(app.choiceChange(all, source, choice(["mi355x", "b200"])), "narrow");
  assert.equal(app.choiceChange(all, source, choice(["h200"])), "request");  // nothing left: the server says why
  assert.equal(app.choiceChange(all, source, choice(["b200", "h200"])), "narrow");  // H200 has nothing to add
  // drawn here already: back to more of the source's GPUs, or to all of them, is drawn here too
  const one = {page: "explorer", gpus: ["b200"], filters: {}};
  assert.equal(app.choiceChange(one, source, choice(["b200"])), "same");
  assert.equal(app.choiceChange(one, source, choice(["b200", "mi355x"])), "narrow");
  assert.equal(app.choiceChange(one, source, choice([])), "narrow");
  // ... but the server drew only B200: other GPUs, or every GPU again, are the server's
  const onlyB200 = {state: one, series: series.slice(0, 2)};
  assert.equal(app.choiceChange(one, onlyB200, choice([])), "request");
  assert.equal(app.choiceChange(one, onlyB200, choice(["b200", "mi355x"])), "request");
  assert.equal(app.choiceChange(all, {state: {page: "spec-decode", gpus: []}, series: series}, choice(["b200"])), "request");
  assert.equal(app.choiceChange(all, null, choice(["b200"])), "request");  // no table yet
  assert.equal(app.choiceChange(null, source, choice(["b200"])), "request");
  assert.equal(app.choiceChange(all, source, choice("b200")), "request");  // not a list
  assert.equal(app.choiceChange(all, source, choice([{}])), "request");
});

test("choiceChange: a filter every series has a value of is drawn here; one that cuts into series is not", () => {
  const {fig} = smallView();
  const series = fig.layout.meta.series.map((s) => Object.assign({}, s, {
    filters: {vendor: s.key.startsWith("mi") ? "amd" : "nvidia", framework: s.key.split("/")[1], spec: "off"}}));
  const all = {page: "explorer", gpus: [], filters: {vendor: [], framework: [], spec: []}};
  const source = {state: all, series: series};
  assert.equal(app.choiceChange(all, source, choice([], {framework: ["trt"]})), "narrow");
  assert.equal(app.choiceChange(all, source, choice([], {vendor: ["amd"]})), "narrow");
  assert.equal(app.choiceChange(all, source, choice([], {spec: ["mtp"]})), "request");  // nothing left
  assert.equal(app.choiceChange(all, source, choice([], {framework: ["sglang"], vendor: ["nvidia"]})), "narrow");
  // a filter the source view had: only narrower choices are drawn here
  const trt = {page: "explorer", gpus: [], filters: {framework: ["trt"]}};
  const fromTrt = {state: trt, series: series.slice(1, 2)};
  assert.equal(app.choiceChange(trt, fromTrt, choice([], {framework: ["trt"]})), "same");
  assert.equal(app.choiceChange(trt, fromTrt, choice([], {framework: ["trt", "sglang"]})), "request");
  assert.equal(app.choiceChange(trt, fromTrt, choice([], {framework: []})), "request");
  // series pooled over engines ("best per GPU") carry no framework: a framework filter is the server's
  const pooled = series.map((s) => Object.assign({}, s, {filters: {vendor: s.filters.vendor}}));
  assert.equal(app.choiceChange(all, {state: all, series: pooled}, choice([], {framework: ["trt"]})), "request");
  assert.equal(app.choiceChange(all, {state: all, series: pooled}, choice([], {vendor: ["amd"]})), "narrow");
  // the same values in another order are the same choice
  const two = {page: "explorer", gpus: [], filters: {framework: ["sglang", "trt"]}};
  assert.equal(app.choiceChange(two, source, choice([], {framework: ["trt", "sglang"]})), "same");
});

test("inOptionOrder and filtersBadge write the filters as the server does", () => {
  const options = [{value: "nvidia", label: "NVIDIA"}, {value: "amd", label: "AMD"}];
  assert.deepEqual(app.inOptionOrder(["amd", "nvidia"], options), ["nvidia", "amd"]);
  assert.deepEqual(app.inOptionOrder(["x", "amd"], options), ["amd", "x"]);
  assert.equal(app.filtersBadge({vendor: ["amd"], framework: [], gpucount: [[8, 8]]}), "2 on");
  assert.equal(app.filtersBadge({}), "");
});

test("narrowView of no GPUs in particular is the whole view", () => {
  const {fig, table} = smallView();
  const out = app.narrowView(fig, table, choice([]), "/?all");
  assert.equal(out.figure.layout.meta.series.length, 3);
  assert.deepEqual(app.decode(out.figure.data[0].x), [1, 2, 3, 4, 5]);
  assert.equal(out.figure.layout.meta["export"].name, "inference-frontier_dsr1_1k1k_fp8_tput-vs-intvty_optimal");
  assert.deepEqual(out.table.rows, table.rows);
});

test("searchForChoice writes gpus= and the filters where the server does, then the toggles, rev= and hide=", () => {
  const toggles = new Set(["log"]);
  const search = "?model=dsr1&seq=1k1k&precision=fp8&metric=tput&x=intvty&best=1&framework=sglang&deployment=multi-node" +
                 "&gpucount=8-16&price=b200:2.5&dates=2026-01-15&contrast=1&rev=r1&hide=a/b";
  assert.equal(app.searchForChoice(search, choice(["b200", "h200"], {vendor: ["nvidia"], spec: ["mtp"]}), ["b200/x"], toggles),
               "?model=dsr1&seq=1k1k&precision=fp8&metric=tput&x=intvty&gpus=b200,h200&best=1&vendor=nvidia" +
               "&deployment=multi-node&spec=mtp&gpucount=8-16&price=b200:2.5&dates=2026-01-15&log=1&rev=r1&hide=b200/x");
  assert.equal(app.searchForChoice("?model=m&x=intvty&gpus=a,b", choice(["b"]), [], new Set()), "?model=m&x=intvty&gpus=b");
  assert.equal(app.searchForChoice("?model=m&x=intvty&gpus=a", choice([]), [], new Set()), "?model=m&x=intvty");
  assert.deepEqual(Array.from(app.togglesOf("?log=1&labels=0&contrast=1")), ["log", "contrast"]);
});

test("narrowView keeps the chosen GPUs' series, their points in order, and renumbers what points at them", () => {
  const {fig, table} = smallView();
  const out = app.narrowView(fig, table, choice(["mi355x"]), "/?one");
  const points = out.figure.data[0];
  assert.deepEqual(out.figure.layout.meta.series.map((s) => s.key), ["mi355x/sglang/none/fp8"]);
  assert.deepEqual(app.decode(points.x), [4, 5]);
  assert.deepEqual(app.decode(points.y), [40, 50]);
  assert.deepEqual(app.decode(points.marker.symbol), [0, 0]);
  assert.deepEqual(app.decode(points.marker.size), [9, 6]);
  assert.deepEqual(points.marker.color, ["#c", "#c"]);
  assert.deepEqual(points.marker.line.color, ["#c", "#c"]);
  assert.deepEqual(points.meta.colours, [["#c", "#c"], ["#z", "#z"]]);
  assert.deepEqual(points.meta.series, [0, 0]);
  assert.deepEqual(points.hovertext, ["h3", "h4"]);
  assert.deepEqual(points.text, ["t3", "t4"]);
  assert.equal(points.customdata.shape, "2,8");
  assert.deepEqual(app.decode(points.customdata), [30, 31, 32, 33, 34, 35, 36, 37, 40, 41, 42, 43, 44, 45, 46, 47]);
  // the table: the kept rows in their order, pointing at the renumbered series, for the new address
  assert.deepEqual(out.table.rows, [["MI355X", "yes"], ["MI355X", "no"]]);
  assert.deepEqual(out.table.series, [0, 0]);
  assert.deepEqual(out.table.keys, ["mi355x/sglang/none/fp8"]);
  assert.equal(out.table.view, "/?one");
  assert.equal(out.summary, "2 points in 1 series (x 2); 1 on a frontier.");
  // the export names the GPU and the newest run of what is left
  const about = out.figure.layout.meta["export"];
  assert.equal(about.name, "inference-frontier_dsr1_1k1k_fp8_tput-vs-intvty_gpus-mi355x_optimal");
  assert.equal(about.when, "latest-2026-05-01");
  assert.deepEqual(about.gpu_files, {mi355x: "mi355x"});
  // the original is left as it was (the page may still draw it)
  assert.equal(fig.layout.meta.series.length, 3);
  assert.equal(table.rows.length, 5);
});

test("narrowView with several GPUs keeps the legend's order and a run-date view's date", () => {
  const {fig, table} = smallView();
  fig.layout.meta["export"].dated = true;
  fig.layout.meta["export"].when = "as-of-2026-03-03";
  const out = app.narrowView(fig, table, choice(["mi355x", "b200"]), "/?two");
  assert.deepEqual(out.figure.layout.meta.series.map((s) => s.name), ["B200 · sglang", "B200 · trt", "MI355X · sglang"]);
  assert.deepEqual(out.figure.data[0].meta.series, [0, 0, 1, 2, 2]);
  assert.equal(out.figure.layout.meta["export"].name, "inference-frontier_dsr1_1k1k_fp8_tput-vs-intvty_gpus-mi355x-b200_optimal");
  assert.equal(out.figure.layout.meta["export"].when, "as-of-2026-03-03");
  assert.equal(out.summary, "5 points in 3 series (x 5); 3 on a frontier.");
});

test("fillSummary fills the three counts in one pass and leaves other braces alone", () => {
  assert.equal(app.fillSummary("{points} in {series}; {frontier} {other}", {points: 3, series: 1, frontier: 0}), "3 in 1; 0 {other}");
  assert.equal(app.fillSummary(undefined, {}), "");
});
