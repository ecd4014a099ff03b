// The points table under the chart: a plain HTML table built in the browser from compact
// rows ({columns, rows, series, keys, view} in the `points-data` store), sortable by any column,
// filterable and paged; the rows of series hidden in the legend are left out, and Download CSV
// asks the server for exactly the rows listed (a row's id is its position in `rows`). Only one page of rows is ever in the DOM, so a view of thousands of points costs a
// few milliseconds to show; and no grid library has to load before the chart can draw.
// The pure functions (formatting, order, paging, what a new view keeps) come first and are
// also exported for Node (tests/js/); the table's element id comes from window.FRONTIER_IDS.
(function () {
  "use strict";
  var PAGE_SIZES = [20, 50, 100];

  // ---- pure functions (no DOM) ---------------------------------------------------------------

  // Numbers with thousands separators and a fixed number of decimals per column, so that they
  // line up; text as it is. (toFixed, not Intl.NumberFormat: creating formatters costs more
  // than drawing a page of rows.)
  function cellText(value, col) {
    if (value === null || value === undefined) { return ""; }
    if (!col.numeric) { return String(value); }
    var text = col.decimals === undefined ? String(value) : value.toFixed(col.decimals);
    var dot = text.indexOf(".");
    var whole = dot < 0 ? text : text.slice(0, dot);
    return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (dot < 0 ? "" : text.slice(dot));
  }

  // Which series (positions in data.keys) the legend's hidden keys name: {n: true}.
  function hiddenSeries(data, keys) {
    var wanted = new Set(keys || []), hidden = {};
    (data.keys || []).forEach(function (key, n) { if (wanted.has(key)) { hidden[n] = true; } });
    return hidden;
  }

  // The row ids of the series shown (not hidden in the legend), in the server's order.
  function shownRows(data, hidden) {
    var series = data.series || [], out = [];
    for (var i = 0; i < data.rows.length; i++) { if (!hidden[series[i]]) { out.push(i); } }
    return out;
  }

  // The rows the table lists, as row ids: the shown series' rows, sorted by the chosen column
  // (numbers as numbers, blanks last either way), then filtered.
  function rowsInOrder(t) {
    var cols = t.data.columns, rows = t.data.rows;
    var order = shownRows(t.data, t.hidden || {});
    if (t.sortCol !== null) {
      var c = t.sortCol, dir = t.sortDir, numeric = cols[c].numeric;
      order.sort(function (i, j) {
        var a = rows[i][c], b = rows[j][c];
        var blankA = a === null || a === undefined || a === "", blankB = b === null || b === undefined || b === "";
        if (blankA || blankB) { return blankA === blankB ? i - j : (blankA ? 1 : -1); }
        var d = numeric ? a - b : String(a).localeCompare(String(b), undefined, {numeric: true});
        return d === 0 ? i - j : dir * d;
      });
    }
    var needle = t.filter.trim().toLowerCase();
    if (!needle) { return order; }
    return order.filter(function (i) {
      return rows[i].some(function (v, c) { return cellText(v, cols[c]).toLowerCase().indexOf(needle) >= 0; });
    });
  }

  // Which rows of the ordered list a page shows, with the page clamped to those that exist.
  function pageWindow(total, pageSize, page) {
    var pages = Math.max(1, Math.ceil(total / pageSize));
    page = Math.min(Math.max(page, 0), pages - 1);
    var start = page * pageSize;
    return {page: page, pages: pages, start: start, end: Math.min(total, start + pageSize)};
  }

  // "1–20 of 27", "1–3 of 3 (filtered from 27)", or why there is nothing to show; `of` is the
  // number of rows of the shown series, `hasRows` whether the view has any at all.
  function rangeText(start, end, total, of, hasRows) {
    if (total === 0) { return of ? "No row matches the filter" : hasRows ? "Every series is hidden" : "No points"; }
    return (start + 1) + "–" + end + " of " + total + (total < of ? " (filtered from " + of + ")" : "");
  }

  // The line under the toolbar saying what the legend leaves out ("" when nothing).
  function hiddenText(data, hidden) {
    var series = Object.keys(hidden).length;
    if (!series) { return ""; }
    var points = data.rows.length - shownRows(data, hidden).length;
    return series + " series hidden in the legend: " + points +
           (points === 1 ? " point" : " points") + " left out of the table and the CSV.";
  }

  // The CSV button says what it saves: the rows listed, or plainly all of them.
  function downloadLabel(listed, all) {
    return listed === all ? "Download CSV (all " + all + " rows)" : "Download CSV (" + listed + " of " + all + " rows shown)";
  }

  // A new view's table state: it keeps the reader's sort (when that column still exists),
  // its direction, the filter and the page size; it starts on the first page.
  function carriedState(before, data, hidden) {
    var t = {data: data, hidden: hidden || {}, sortCol: null, sortDir: 1, filter: "", page: 0, pageSize: PAGE_SIZES[0],
             order: null};
    if (before) {
      var name = before.sortCol !== null ? before.data.columns[before.sortCol].name : null;
      var names = data.columns.map(function (c) { return c.name; });
      t.sortCol = name !== null && names.indexOf(name) >= 0 ? names.indexOf(name) : null;
      t.sortDir = before.sortDir;
      t.filter = before.filter;
      t.pageSize = before.pageSize;
    }
    return t;
  }

  // A header click: ascending, descending, then back to the order the server sent (series by series).
  function nextSort(sortCol, sortDir, clicked) {
    if (sortCol !== clicked) { return {sortCol: clicked, sortDir: 1}; }
    return sortDir === 1 ? {sortCol: clicked, sortDir: -1} : {sortCol: null, sortDir: sortDir};
  }

  var exported = {PAGE_SIZES: PAGE_SIZES, cellText: cellText, hiddenSeries: hiddenSeries, shownRows: shownRows,
                  rowsInOrder: rowsInOrder, pageWindow: pageWindow, rangeText: rangeText, hiddenText: hiddenText,
                  downloadLabel: downloadLabel, carriedState: carriedState, nextSort: nextSort};
  if (typeof module === "object" && module.exports) { module.exports = exported; }
  if (typeof window === "undefined") { return; }  // Node: the functions above are all there is

  // ---- the browser ----------------------------------------------------------------------------

  var IDS = window.FRONTIER_IDS;
  if (!IDS) { throw new Error("window.FRONTIER_IDS is missing: app.py's interpolate_index writes it into the page"); }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }  // text, never HTML
    return el;
  }

  function build(box) {
    box.textContent = "";
    var bar = element("div", "points-toolbar");
    var filter = element("input", "form-control form-control-sm points-filter");
    filter.type = "search";
    filter.placeholder = "Filter rows (any column)";
    filter.setAttribute("aria-label", "Filter the points table");
    var sizeLabel = element("label", "points-size small", "Rows per page ");
    var size = element("select", "form-select form-select-sm");
    PAGE_SIZES.forEach(function (n) { var o = element("option", "", String(n)); o.value = String(n); size.appendChild(o); });
    sizeLabel.appendChild(size);
    var range = element("span", "points-range small");
    range.setAttribute("aria-live", "polite");
    var hiddenNote = element("div", "points-hidden small text-body-secondary");
    hiddenNote.setAttribute("aria-live", "polite");
    var prev = element("button", "btn btn-outline-secondary btn-sm points-prev", "‹ Previous");
    var next = element("button", "btn btn-outline-secondary btn-sm points-next", "Next ›");
    prev.type = next.type = "button";
    var pager = element("div", "points-pager");
    pager.setAttribute("role", "navigation");
    pager.setAttribute("aria-label", "Pages of the points table");
    pager.append(range, prev, next);
    bar.append(filter, sizeLabel, pager);
    var scroll = element("div", "table-responsive points-scroll");
    var table = element("table", "table table-sm table-striped table-hover points");
    table.append(element("thead"), element("tbody"));
    scroll.appendChild(table);
    box.append(bar, hiddenNote, scroll);

    filter.addEventListener("input", function () { var t = box.__table; t.filter = filter.value; t.page = 0; refresh(box, true); });
    size.addEventListener("change", function () { var t = box.__table; t.pageSize = Number(size.value); t.page = 0; refresh(box, false); });
    prev.addEventListener("click", function () { box.__table.page -= 1; refresh(box, false); });
    next.addEventListener("click", function () { box.__table.page += 1; refresh(box, false); });
    table.tHead.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[data-col]");
      if (!button) { return; }
      var t = box.__table, sort = nextSort(t.sortCol, t.sortDir, Number(button.dataset.col));
      t.sortCol = sort.sortCol; t.sortDir = sort.sortDir;
      t.page = 0;
      refresh(box, true);
    });
  }

  function renderHead(box) {
    var t = box.__table, head = box.querySelector("thead");
    var tr = element("tr");
    t.data.columns.forEach(function (col, c) {
      var th = element("th", col.numeric ? "text-end" : "");
      th.scope = "col";
      var sorted = t.sortCol === c;
      th.setAttribute("aria-sort", sorted ? (t.sortDir === 1 ? "ascending" : "descending") : "none");
      var button = element("button", "sort-button", col.name);
      button.type = "button";
      button.dataset.col = String(c);
      button.title = "Sort by " + col.name;
      button.appendChild(element("span", "sort-mark", sorted ? (t.sortDir === 1 ? " ▲" : " ▼") : ""));
      th.appendChild(button);
      tr.appendChild(th);
    });
    head.textContent = "";
    head.appendChild(tr);
  }

  function refresh(box, reorder) {
    var t = box.__table;
    if (reorder || !t.order) { t.order = rowsInOrder(t); }
    var total = t.order.length, win = pageWindow(total, t.pageSize, t.page);
    var pages = win.pages, start = win.start, end = win.end;
    t.page = win.page;
    renderHead(box);
    var body = box.querySelector("tbody"), cols = t.data.columns, frag = document.createDocumentFragment();
    for (var k = start; k < end; k++) {
      var row = t.data.rows[t.order[k]], tr = element("tr");
      for (var c = 0; c < cols.length; c++) {
        tr.appendChild(element("td", cols[c].numeric ? "text-end" : "", cellText(row[c], cols[c])));
      }
      frag.appendChild(tr);
    }
    body.textContent = "";
    body.appendChild(frag);
    var shown = shownRows(t.data, t.hidden).length;
    box.querySelector(".points-range").textContent = rangeText(start, end, total, shown, t.data.rows.length > 0);
    box.querySelector(".points-hidden").textContent = hiddenText(t.data, t.hidden);
    var label = downloadLabel(total, t.data.rows.length);
    if (box.__label !== label) {  // the button is Dash's: its label goes through Dash
      box.__label = label;
      window.dash_clientside.set_props(IDS.DOWNLOAD_CSV, {children: label});
    }
    box.querySelector(".points-prev").disabled = t.page === 0;
    box.querySelector(".points-next").disabled = t.page >= pages - 1;
    box.querySelector("select").value = String(t.pageSize);
    box.dataset.shown = String(total);
  }

  // New data, or new hidden series, keep the reader's sort, page size and filter (carriedState).
  function show(box, data, hiddenKeys) {
    var before = box.__table;
    if (!before || !box.querySelector("table")) { build(box); }
    box.__table = carriedState(before, data, hiddenSeries(data, hiddenKeys));
    refresh(box, true);
  }

  var latestHidden = [];  // the HIDDEN_SERIES store as last seen (a deferred first table uses it)

  // The page's picture (assets/first_paint.js) shows the label the first table gives the CSV
  // button, so the picture's toolbar wraps as the live one does: {id: text} from the layout's props.
  window.frontierFirstPaint = Object.assign({texts: []}, window.frontierFirstPaint);
  window.frontierFirstPaint.texts.push(function (props) {
    var data = (props[IDS.POINTS_DATA] || {}).data, out = {};
    if (data && data.rows) {
      var shown = shownRows(data, hiddenSeries(data, (props[IDS.HIDDEN_SERIES] || {}).data)).length;
      out[IDS.DOWNLOAD_CSV] = downloadLabel(shown, data.rows.length);
    }
    return out;
  });

  window.frontierPointsTable = {
    // the rows as shown: current sort and filter, every page (tests and the console use it)
    rows: function () {
      var box = document.getElementById(IDS.POINTS_TABLE), t = box && box.__table;
      return t ? t.order.map(function (i) { return t.data.rows[i]; }) : [];
    },
    columns: function () {
      var box = document.getElementById(IDS.POINTS_TABLE), t = box && box.__table;
      return t ? t.data.columns.map(function (c) { return c.name; }) : [];
    }
  };

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    frontierTable: {
      render: function (data, hiddenKeys) {
        latestHidden = hiddenKeys || [];
        if (!data || !data.columns) { return window.dash_clientside.no_update; }
        (function place(attempt) {  // on a first load the callback can run before the page is in the DOM
          var box = document.getElementById(IDS.POINTS_TABLE);
          if (!box) {
            if (attempt < 50) { window.setTimeout(function () { place(attempt + 1); }, 40); }
          } else if (box.__table) {
            show(box, data, latestHidden);  // a new view: its chart is already drawn (assets/app.js, tableAfterDraw)
          } else {
            // A page's first table waits until the browser is idle, i.e. after the first chart.
            var later = window.requestIdleCallback || function (f) { return window.setTimeout(f, 50); };
            later(function () {
              // the reader has left the page meanwhile: Dash's renderer would throw on the ids
              // (the CSV button's) its layout no longer has
              if (!box.isConnected) { return; }
              if (!box.__table || box.__table.data !== data) { show(box, data, latestHidden); }
            }, {timeout: 1500});
          }
        })(0);
        return String(data.rows.length);
      },

      // Download CSV: the view and the ids of the rows the table lists (hidden series and the
      // filter left out, in the table's order), for the server to write (callbacks/chart.py).
      csvRequest: function (n, data, hiddenKeys) {
        if (!n || !data || !data.columns) { return window.dash_clientside.no_update; }
        var box = document.getElementById(IDS.POINTS_TABLE), t = box && box.__table;
        var rows = t && t.data === data && t.order ? t.order
          : rowsInOrder(carriedState(null, data, hiddenSeries(data, hiddenKeys)));
        return {view: data.view, rows: rows, hidden: hiddenKeys || [], clicks: n};
      }
    }
  });
})();
