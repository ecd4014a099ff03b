// Unit tests of assets/prefetch.js's pure functions: node --test tests/js/
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");

const prefetch = require("../../assets/prefetch.js");

const IDS = {ONLY: "only-choice", ADDRESS_CHANGE: "address-change", PAGE_URL: "page-url", VIEW_STATE: "view-state"};
const STATE = {page: "explorer", search: "?model=dsr1&seq=1k1k&precision=fp4", precisions: ["fp4"]};

// a resolver request body the way Dash's renderer sends it (inputs and state, ALL inputs as lists)
function body(changed, values) {
  const inputs = [
    {id: "control-sequence", property: "value", value: values.seq || "1k1k"},
    {id: "control-precision", property: "value", value: values.precision || ["fp4"]},
    [{id: {type: "only-choice", control: "precision", value: "fp8"}, property: "n_clicks", value: values.clicks || null}],
    {id: "address-change", property: "data", value: values.address || null},
  ];
  const state = [
    {id: "page-url", property: "search", value: values.search || STATE.search},
    {id: "page-url", property: "pathname", value: "/"},
    {id: "view-state", property: "data", value: values.state || STATE},
    {id: "hidden-series", property: "data", value: values.hidden || []},
  ];
  return {output: "..view-state.data..", changedPropIds: [changed], inputs: inputs, state: state};
}

function assumed(over) {
  return Object.assign({"page-url.search": STATE.search, "page-url.pathname": "/", "view-state.data": STATE,
                        "hidden-series.data": [], "control-precision.value": ["fp4"]}, over || {});
}

test("sameValue compares JSON values by content, key order aside", () => {
  assert.ok(prefetch.sameValue({a: [1, {b: "x"}], c: null}, {c: null, a: [1, {b: "x"}]}));
  assert.ok(!prefetch.sameValue(["fp4", "fp8"], ["fp8", "fp4"]));  // a checklist's order is what Dash sends
  assert.ok(!prefetch.sameValue({a: 1}, {a: 1, b: undefined}));
  assert.ok(!prefetch.sameValue([], {}));
  assert.ok(!prefetch.sameValue(null, {}));
  assert.ok(!prefetch.sameValue("1", 1));
});

test("requestValues names every input and state by id.prop and leaves pattern-matching lists out", () => {
  const values = prefetch.requestValues(body("control-sequence.value", {seq: "1k8k"}));
  assert.equal(values["control-sequence.value"], "1k8k");
  assert.deepEqual(values["view-state.data"], STATE);
  assert.ok(!Object.keys(values).some((k) => k.indexOf("only-choice") >= 0));
});

test("requestChoice reads a control's new value, an Only link and back/forward", () => {
  assert.deepEqual(prefetch.requestChoice(body("control-sequence.value", {seq: "1k8k"}), IDS),
                   {control: "control-sequence", value: "1k8k"});
  const only = '{"control":"precision","type":"only-choice","value":"fp8"}.n_clicks';
  assert.deepEqual(prefetch.requestChoice(body(only, {clicks: 1}), IDS), {control: "only-precision", option: "fp8"});
  assert.deepEqual(prefetch.requestChoice(body("address-change.data", {search: "?seq=8k1k", address: {}}), IDS),
                   {control: "address", value: "?seq=8k1k"});
  // anything else is not a choice an answer can be for
  assert.equal(prefetch.requestChoice(body('{"control":"gpus","type":"only-choice","value":"b200"}.n_clicks', {}), IDS), null);
  assert.equal(prefetch.requestChoice(body("control-sequence.options", {}), IDS), null);
  assert.equal(prefetch.requestChoice(body("{not json}.n_clicks", {}), IDS), null);
  const two = body("control-sequence.value", {});
  two.changedPropIds.push("control-precision.value");
  assert.equal(prefetch.requestChoice(two, IDS), null);
});

test("requestAddress is the Location's address for a control change and none for back/forward", () => {
  assert.equal(prefetch.requestAddress(body("control-sequence.value", {search: "?a=1&hide=x"}), IDS), "/?a=1&hide=x");
  assert.equal(prefetch.requestAddress(body("address-change.data", {}), IDS), null);
});

test("matchAnswer takes an answer only when the request has every input it assumed", () => {
  const seq = {control: "control-sequence", option: "1k8k", value: "1k8k", assumed: assumed()};
  const tick = {control: "control-precision", option: "fp8", value: ["fp4", "fp8"],
                assumed: assumed({"control-precision.value": undefined})};
  delete tick.assumed["control-precision.value"];
  const only = {control: "only-precision", option: "fp8", value: ["fp8"], assumed: assumed()};
  const back = {control: "address", option: "?seq=8k1k", value: "?seq=8k1k",
                assumed: assumed({"page-url.search": "?seq=8k1k"})};
  const entries = [seq, tick, only, back];
  assert.equal(prefetch.matchAnswer(entries, body("control-sequence.value", {seq: "1k8k"}), IDS), seq);
  assert.equal(prefetch.matchAnswer(entries, body("control-precision.value", {precision: ["fp4", "fp8"]}), IDS), tick);
  const onlyId = '{"control":"precision","type":"only-choice","value":"fp8"}.n_clicks';
  assert.equal(prefetch.matchAnswer(entries, body(onlyId, {clicks: 2}), IDS), only);
  assert.equal(prefetch.matchAnswer(entries, body("address-change.data", {search: "?seq=8k1k", address: {}}), IDS), back);
  // another value, another order, or an input the answer did not assume: the server answers
  assert.equal(prefetch.matchAnswer(entries, body("control-sequence.value", {seq: "8k1k"}), IDS), null);
  assert.equal(prefetch.matchAnswer(entries, body("control-precision.value", {precision: ["fp8", "fp4"]}), IDS), null);
  assert.equal(prefetch.matchAnswer(entries, body("control-sequence.value", {seq: "1k8k", hidden: ["b200/sglang"]}), IDS), null);
  const otherState = Object.assign({}, STATE, {precisions: ["fp8"]});
  assert.equal(prefetch.matchAnswer(entries, body("control-sequence.value", {seq: "1k8k", state: otherState}), IDS), null);
  const missing = {control: "control-sequence", option: "1k8k", value: "1k8k", assumed: assumed({"control-x.value": "intvty"})};
  assert.equal(prefetch.matchAnswer([missing], body("control-sequence.value", {seq: "1k8k"}), IDS), null);
  assert.equal(prefetch.matchAnswer(null, body("control-sequence.value", {seq: "1k8k"}), IDS), null);
});

test("an address is compared without what the browser writes into it alone", () => {
  assert.equal(prefetch.withoutViewParams("?model=dsr1&hide=a/b&log=1&seq=1k1k"), "model=dsr1&seq=1k1k");
  const hiddenState = Object.assign({}, STATE, {search: STATE.search + "&hide=b200/sglang", hidden: ["b200/sglang"], log: true});
  const seq = {control: "control-sequence", option: "1k8k", value: "1k8k",
               loose: {"page-url.search": "query", "view-state.data": ["search", "hidden", "log", "labels", "contrast"]},
               assumed: assumed({"page-url.search": STATE.search + "&hide=b200/sglang", "view-state.data": hiddenState})};
  assert.equal(prefetch.matchAnswer([seq], body("control-sequence.value", {seq: "1k8k"}), IDS), seq);
  // the view state must still agree on everything else
  const otherState = Object.assign({}, STATE, {precisions: ["fp8"]});
  assert.equal(prefetch.matchAnswer([seq], body("control-sequence.value", {seq: "1k8k", state: otherState}), IDS), null);
  const strict = Object.assign({}, seq, {loose: {}});
  assert.equal(prefetch.matchAnswer([strict], body("control-sequence.value", {seq: "1k8k"}), IDS), null);
  const other = Object.assign({}, seq, {assumed: assumed({"page-url.search": "?model=qwen3.5"})});
  assert.equal(prefetch.matchAnswer([other], body("control-sequence.value", {seq: "1k8k"}), IDS), null);
});
