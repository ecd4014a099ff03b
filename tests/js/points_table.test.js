// Unit tests of assets/points_table.js's pure functions: node --test tests/js/
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");

const table = require("../../assets/points_table.js");

const NUM = {name: "Throughput", numeric: true, decimals: 1};
const INT = {name: "Concurrency", numeric: true, decimals: 0};
const TEXT = {name: "GPU", numeric: false};

function state(rows, over = {}) {
  return Object.assign({data: {columns: [TEXT, NUM, INT], rows: rows}, sortCol: null, sortDir: 1, filter: ""}, over);
}

// ---- formatting -------------------------------------------------------------------------------

test("numbers get thousands separators and their column's decimals; text stays as it is", () => {
  assert.equal(table.cellText(1234567.891, NUM), "1,234,567.9");
  assert.equal(table.cellText(999.96, NUM), "1,000.0");
  assert.equal(table.cellText(-4321.5, NUM), "-4,321.5");
  assert.equal(table.cellText(0.25, {numeric: true, decimals: 3}), "0.250");
  assert.equal(table.cellText(64, INT), "64");
  assert.equal(table.cellText(12345, {numeric: true}), "12,345");  // no decimals given: as the number prints
  assert.equal(table.cellText(0.123456, {numeric: true}), "0.123456");  // decimals are never grouped
  assert.equal(table.cellText("B200 1000", TEXT), "B200 1000");
  assert.equal(table.cellText(null, NUM), "");
  assert.equal(table.cellText(undefined, TEXT), "");
});

// ---- sort and filter --------------------------------------------------------------------------

const ROWS = [
  ["B200", 5200.5, 64],
  ["MI355X", null, 8],
  ["b10", 950, 256],
  ["B9", 12000, 4],
  ["H100", 950, 32],
];

test("no sort keeps the server's order", () => {
  assert.deepEqual(table.rowsInOrder(state(ROWS)), [0, 1, 2, 3, 4]);
});

test("numeric columns sort as numbers, ties keep the server's order, blanks go last both ways", () => {
  assert.deepEqual(table.rowsInOrder(state(ROWS, {sortCol: 1, sortDir: 1})), [2, 4, 0, 3, 1]);
  assert.deepEqual(table.rowsInOrder(state(ROWS, {sortCol: 1, sortDir: -1})), [3, 0, 2, 4, 1]);
  assert.deepEqual(table.rowsInOrder(state(ROWS, {sortCol: 2, sortDir: 1})), [3, 1, 4, 0, 2]);  // 4 < 8 < 32, not "32" < "4"
});

test("text columns sort with numbers in names in numeric order", () => {
  // B9 before b10 (numeric collation); case does not split the list
  assert.deepEqual(table.rowsInOrder(state(ROWS, {sortCol: 0, sortDir: 1})).map((i) => ROWS[i][0]),
                   ["B9", "b10", "B200", "H100", "MI355X"]);
  assert.deepEqual(table.rowsInOrder(state(ROWS, {sortCol: 0, sortDir: -1})).map((i) => ROWS[i][0]),
                   ["MI355X", "H100", "B200", "b10", "B9"]);
});

test("the filter matches any cell as displayed, ignoring case and outer spaces", () => {
  assert.deepEqual(table.rowsInOrder(state(ROWS, {filter: "  mi355  "})), [1]);
  assert.deepEqual(table.rowsInOrder(state(ROWS, {filter: "5,200.5"})), [0]);  // as shown, with its separator
  assert.deepEqual(table.rowsInOrder(state(ROWS, {filter: "5200"})), []);
  assert.deepEqual(table.rowsInOrder(state(ROWS, {filter: "950.0"})), [2, 4]);
  assert.deepEqual(table.rowsInOrder(state(ROWS, {filter: "   "})), [0, 1, 2, 3, 4]);
  assert.deepEqual(table.rowsInOrder(state(ROWS, {filter: "nothing like it"})), []);
});

test("filter and sort together: the matching rows, in the chosen order", () => {
  assert.deepEqual(table.rowsInOrder(state(ROWS, {filter: "b", sortCol: 1, sortDir: -1})), [3, 0, 2]);
});

// ---- paging -----------------------------------------------------------------------------------

test("pages cover the rows and the page is clamped to those that exist", () => {
  assert.deepEqual(table.pageWindow(45, 20, 0), {page: 0, pages: 3, start: 0, end: 20});
  assert.deepEqual(table.pageWindow(45, 20, 2), {page: 2, pages: 3, start: 40, end: 45});
  assert.deepEqual(table.pageWindow(45, 20, 7), {page: 2, pages: 3, start: 40, end: 45});
  assert.deepEqual(table.pageWindow(45, 50, -1), {page: 0, pages: 1, start: 0, end: 45});
  assert.deepEqual(table.pageWindow(40, 20, 1), {page: 1, pages: 2, start: 20, end: 40});
  assert.deepEqual(table.pageWindow(0, 20, 3), {page: 0, pages: 1, start: 0, end: 0});
});

test("the range line says which rows are shown, of how many, and why none", () => {
  assert.equal(table.rangeText(0, 20, 45, 45), "1–20 of 45");
  assert.equal(table.rangeText(40, 45, 45, 45), "41–45 of 45");
  assert.equal(table.rangeText(0, 3, 3, 45), "1–3 of 3 (filtered from 45)");
  assert.equal(table.rangeText(0, 0, 0, 45), "No row matches the filter");
  assert.equal(table.rangeText(0, 0, 0, 0), "No points");
});

test("a header click sorts ascending, then descending, then back to the server's order", () => {
  let s = {sortCol: null, sortDir: 1};
  const seen = [];
  for (let k = 0; k < 4; k++) {
    s = table.nextSort(s.sortCol, s.sortDir, 2);
    seen.push(s.sortCol === null ? "none" : (s.sortDir === 1 ? "asc" : "desc"));
  }
  assert.deepEqual(seen, ["asc", "desc", "none", "asc"]);
  assert.deepEqual(table.nextSort(2, -1, 0), {sortCol: 0, sortDir: 1});  // another column starts ascending
});

// ---- a new view -------------------------------------------------------------------------------

test("a new view keeps the sort by column name, the filter and the page size, and starts on page 1", () => {
  const before = {data: {columns: [TEXT, NUM, INT], rows: ROWS}, sortCol: 1, sortDir: -1, filter: "b", page: 3, pageSize: 50};
  const moved = {columns: [NUM, TEXT], rows: []};  // Throughput is now column 0
  assert.deepEqual(table.carriedState(before, moved, {1: true}),
                   {data: moved, hidden: {1: true}, sortCol: 0, sortDir: -1, filter: "b", page: 0, pageSize: 50, order: null});
  const gone = {columns: [TEXT, INT], rows: []};
  assert.equal(table.carriedState(before, gone).sortCol, null);
  assert.equal(table.carriedState(before, gone).filter, "b");
  assert.deepEqual(table.carriedState(undefined, gone),
                   {data: gone, hidden: {}, sortCol: null, sortDir: 1, filter: "", page: 0, pageSize: table.PAGE_SIZES[0],
                    order: null});
});

// ---- hidden series, and what the CSV button says -----------------------------------------------

// ROWS of three series, as the server sends them: each row's series, and the series' hide= keys
const KEYS = ["b200/sglang/mtp/fp8", "mi355x/sglang/none/fp8", "h100/trt/none/fp8"];
function withSeries(over = {}) {
  return Object.assign({columns: [TEXT, NUM, INT], rows: ROWS, series: [0, 1, 0, 2, 2], keys: KEYS,
                        view: "/?model=dsr1"}, over);
}

test("hidden keys name series by key, never by position; unknown keys are ignored", () => {
  const data = withSeries();
  assert.deepEqual(table.hiddenSeries(data, ["h100/trt/none/fp8"]), {2: true});
  assert.deepEqual(table.hiddenSeries(data, ["nosuch/x/y/z", "b200/sglang/mtp/fp8"]), {0: true});
  assert.deepEqual(table.hiddenSeries(data, []), {});
  assert.deepEqual(table.hiddenSeries(data, null), {});
  // the same key finds its series wherever the new data puts it
  const reordered = withSeries({keys: [KEYS[2], KEYS[0], KEYS[1]]});
  assert.deepEqual(table.hiddenSeries(reordered, ["h100/trt/none/fp8"]), {0: true});
});

test("the table lists only the shown series' rows, then sorts and filters those", () => {
  const data = withSeries();
  const hidden = table.hiddenSeries(data, ["b200/sglang/mtp/fp8"]);
  assert.deepEqual(table.shownRows(data, hidden), [1, 3, 4]);
  assert.deepEqual(table.rowsInOrder({data, hidden, sortCol: null, sortDir: 1, filter: ""}), [1, 3, 4]);
  // sorted by throughput, descending: B9 (12000), H100 (950); MI355X has none: last
  assert.deepEqual(table.rowsInOrder({data, hidden, sortCol: 1, sortDir: -1, filter: ""}), [3, 4, 1]);
  // the filter matches among the shown rows only ("b" would match B200 and b10, both hidden)
  assert.deepEqual(table.rowsInOrder({data, hidden, sortCol: null, sortDir: 1, filter: "b"}), [3]);
  assert.deepEqual(table.rowsInOrder({data, hidden: {}, sortCol: null, sortDir: 1, filter: "b"}), [0, 2, 3]);
});

test("a line says how many series and points the legend leaves out", () => {
  const data = withSeries();
  assert.equal(table.hiddenText(data, {}), "");
  assert.equal(table.hiddenText(data, {0: true}), "1 series hidden in the legend: 2 points left out of the table and the CSV.");
  assert.equal(table.hiddenText(data, {1: true, 2: true}),
               "2 series hidden in the legend: 3 points left out of the table and the CSV.");
  assert.equal(table.rangeText(0, 0, 0, 0, true), "Every series is hidden");
  assert.equal(table.rangeText(0, 0, 0, 0, false), "No points");
});

test("the CSV button says what it saves", () => {
  assert.equal(table.downloadLabel(162, 162), "Download CSV (all 162 rows)");
  assert.equal(table.downloadLabel(42, 162), "Download CSV (42 of 162 rows shown)");
  assert.equal(table.downloadLabel(0, 162), "Download CSV (0 of 162 rows shown)");
});
