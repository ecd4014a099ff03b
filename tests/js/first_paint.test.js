// Unit tests of assets/first_paint.js's pure functions: node --test tests/js/
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");

const firstPaint = require("../../assets/first_paint.js");

const node = (type, props) => ({namespace: "dash_html_components", type: type, props: props});
const LAYOUT = node("Div", {children: [
  node("Div", {id: "chart-card", children: [
    {namespace: "dash_core_components", type: "Graph", props: {id: "main-chart", figure: {data: []}}},
    {namespace: "dash_core_components", type: "Store", props: {id: "chart-data", data: {data: [1], layout: {}}}},
    {namespace: "dash_core_components", type: "Store", props: {id: "hidden-series", data: ["a"]}},
  ]}),
  node("Span", {id: {type: "only-choice", value: "fp8"}, children: "FP8"}),
  {namespace: "dash_bootstrap_components", type: "Checklist", props: {id: "view-toggles", value: ["log"],
    options: [{label: node("Span", {id: "inside-an-option", children: "Log"}), value: "log"}]}},
]});

test("componentProps finds every component with a plain id, options and nested props included", () => {
  const props = firstPaint.componentProps(LAYOUT);
  assert.deepEqual(Object.keys(props).sort(),
                   ["chart-card", "chart-data", "hidden-series", "inside-an-option", "main-chart", "view-toggles"]);
  assert.deepEqual(props["view-toggles"].value, ["log"]);
});

const COMPOSE = {output: "main-chart.figure", clientside_function: {namespace: "frontier", function_name: "compose"},
                 inputs: [{id: "chart-data", property: "data"}, {id: "view-toggles", property: "value"}],
                 state: [{id: "hidden-series", property: "data"}], prevent_initial_call: false};

test("chartCalls: the clientside figure of a chart the picture has, with the layout's values in Dash's order", () => {
  const calls = firstPaint.chartCalls([COMPOSE], firstPaint.componentProps(LAYOUT), ["main-chart"]);
  assert.deepEqual(calls, [{chart: "main-chart", namespace: "frontier", name: "compose",
                            args: [{data: [1], layout: {}}, ["log"], ["a"]]}]);
});

test("chartCalls: a value the layout lacks is undefined, as Dash passes it", () => {
  const dep = Object.assign({}, COMPOSE, {state: [{id: "not-in-layout", property: "data"}]});
  const [call] = firstPaint.chartCalls([dep], firstPaint.componentProps(LAYOUT), ["main-chart"]);
  assert.equal(call.args.length, 3);
  assert.equal(call.args[2], undefined);
});

test("chartCalls leaves out what Dash would not call on a first load, or a picture cannot draw", () => {
  const props = firstPaint.componentProps(LAYOUT);
  const others = [
    Object.assign({}, COMPOSE, {prevent_initial_call: true}),
    Object.assign({}, COMPOSE, {clientside_function: undefined}),            // a server callback
    Object.assign({}, COMPOSE, {output: "main-chart.clickData"}),            // not a figure
    Object.assign({}, COMPOSE, {output: "other-chart.figure"}),              // a chart the picture lacks
    Object.assign({}, COMPOSE, {output: "..main-chart.figure...chart-legend.children.."}),  // several outputs
    // a pattern-matching id (an object)
    Object.assign({}, COMPOSE, {inputs: [{id: {type: "only-choice", value: "fp8"}, property: "n_clicks"}]}),
  ];
  assert.deepEqual(firstPaint.chartCalls(others, props, ["main-chart"]), []);
  assert.deepEqual(firstPaint.chartCalls(null, props, ["main-chart"]), []);
});
