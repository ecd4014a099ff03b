// The points table under the chart: a plain HTML table built in the browser from compact
// rows ({columns, rows} in the `points-data` store), sortable by any column, filterable and
// paged. Only one page of rows is ever in the DOM, so a view of thousands of points costs a
// few milliseconds to show; and no grid library has to load before the chart can draw.
(function () {
  "use strict";
  var PAGE_SIZES = [20, 50, 100];
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

  // Sorted by the chosen column (numbers as numbers, blanks last either way), then filtered.
  function rowsInOrder(t) {
    var cols = t.data.columns, rows = t.data.rows;
    var order = rows.map(function (_r, i) { return i; });
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
    box.append(bar, scroll);

    filter.addEventListener("input", function () { var t = box.__table; t.filter = filter.value; t.page = 0; refresh(box, true); });
    size.addEventListener("change", function () { var t = box.__table; t.pageSize = Number(size.value); t.page = 0; refresh(box, false); });
    prev.addEventListener("click", function () { box.__table.page -= 1; refresh(box, false); });
    next.addEventListener("click", function () { box.__table.page += 1; refresh(box, false); });
    table.tHead.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[data-col]");
      if (!button) { return; }
      var t = box.__table, c = Number(button.dataset.col);
      // ascending, descending, then back to the order the server sent (series by series)
      if (t.sortCol !== c) { t.sortCol = c; t.sortDir = 1; } else if (t.sortDir === 1) { t.sortDir = -1; } else { t.sortCol = null; }
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
    var total = t.order.length, pages = Math.max(1, Math.ceil(total / t.pageSize));
    t.page = Math.min(Math.max(t.page, 0), pages - 1);
    var start = t.page * t.pageSize, end = Math.min(total, start + t.pageSize);
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
    var of = t.data.rows.length;
    box.querySelector(".points-range").textContent = total === 0
      ? (of ? "No row matches the filter" : "No points")
      : (start + 1) + "–" + end + " of " + total + (total < of ? " (filtered from " + of + ")" : "");
    box.querySelector(".points-prev").disabled = t.page === 0;
    box.querySelector(".points-next").disabled = t.page >= pages - 1;
    box.querySelector("select").value = String(t.pageSize);
    box.dataset.shown = String(total);
  }

  // New data keeps the reader's sort (when that column still exists), page size and filter.
  function show(box, data) {
    var before = box.__table;
    if (!before || !box.querySelector("table")) { build(box); }
    var t = {data: data, sortCol: null, sortDir: 1, filter: "", page: 0, pageSize: PAGE_SIZES[0], order: null};
    if (before) {
      var name = before.sortCol !== null ? before.data.columns[before.sortCol].name : null;
      var names = data.columns.map(function (c) { return c.name; });
      t.sortCol = name !== null && names.indexOf(name) >= 0 ? names.indexOf(name) : null;
      t.sortDir = before.sortDir;
      t.filter = before.filter;
      t.pageSize = before.pageSize;
    }
    box.__table = t;
    refresh(box, true);
  }

  window.frontierPointsTable = {
    // the rows as shown: current sort and filter, every page (tests and the console use it)
    rows: function () {
      var box = document.getElementById("points-table"), t = box && box.__table;
      return t ? t.order.map(function (i) { return t.data.rows[i]; }) : [];
    },
    columns: function () {
      var box = document.getElementById("points-table"), t = box && box.__table;
      return t ? t.data.columns.map(function (c) { return c.name; }) : [];
    }
  };

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    frontierTable: {
      render: function (data) {
        if (!data || !data.columns) { return window.dash_clientside.no_update; }
        (function place(attempt) {  // on a first load the callback can run before the page is in the DOM
          var box = document.getElementById("points-table");
          if (!box) {
            if (attempt < 50) { window.setTimeout(function () { place(attempt + 1); }, 40); }
          } else if (box.__table) {
            show(box, data);  // a new view: its chart is already drawn (assets/app.js, tableAfterDraw)
          } else {
            // A page's first table waits until the browser is idle, i.e. after the first chart.
            var later = window.requestIdleCallback || function (f) { return window.setTimeout(f, 50); };
            later(function () { if (!box.__table || box.__table.data !== data) { show(box, data); } }, {timeout: 1500});
          }
        })(0);
        return String(data.rows.length);
      }
    }
  });
})();
