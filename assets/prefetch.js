// Control changes answered from answers the server computed ahead (callbacks/prefetch.py).
// While the page is idle it asks /_frontier/next for the resolver's answers to the choices one
// click away. When the reader makes one of them, the chart is drawn from that answer at once
// (app.js drawEarly), and when Dash then sends the resolver's request, the answer is handed to
// Dash in place of the server's, but only if the request carries exactly the inputs the answer
// was computed from; any other request goes to the server as before. Nothing is computed here:
// the answers are the server's, byte for byte.
// The pure functions come first and are also exported for Node (tests/js/, `node --test`).
(function () {
  "use strict";
  var ONLY_PRECISION = "only-precision";  // callbacks/prefetch.py ONLY_PRECISION
  var ADDRESS = "address";  // and ADDRESS: back/forward to another address

  // ---- pure functions (no DOM) ---------------------------------------------------------------

  function sameValue(a, b) {
    if (a === b) { return true; }
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") { return false; }
    if (Array.isArray(a) !== Array.isArray(b)) { return false; }
    var ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) { return false; }
    return ka.every(function (k) { return Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k], b[k]); });
  }

  // A Dash callback request's inputs and states by "id.prop" (pattern-matching ALL lists and
  // dict ids left out: the answers never depend on them).
  function requestValues(body) {
    var out = {};
    [].concat(body.inputs || [], body.state || []).forEach(function (item) {
      if (item && !Array.isArray(item) && typeof item.id === "string") { out[item.id + "." + item.property] = item.value; }
    });
    return out;
  }

  // The choice a resolver request makes: {control, value} for a control's new value, {control:
  // "only-precision", option} for an "Only" precision link, {control: "address", value: search}
  // for back/forward, or null. `ids`: {ONLY, ADDRESS_CHANGE, PAGE_URL} of FRONTIER_IDS.
  function requestChoice(body, ids) {
    var changed = body.changedPropIds || [];
    if (changed.length !== 1) { return null; }
    var propId = changed[0], dot = propId.lastIndexOf(".");
    var id = propId.slice(0, dot), prop = propId.slice(dot + 1);
    if (id.charAt(0) === "{") {
      var parsed;
      try { parsed = JSON.parse(id); } catch (e) { return null; }
      if (parsed.type === ids.ONLY && parsed.control === "precision" && prop === "n_clicks") {
        return {control: ONLY_PRECISION, option: parsed.value};
      }
      return null;
    }
    var values = requestValues(body);
    if (id === ids.ADDRESS_CHANGE && prop === "data") {
      var search = values[ids.PAGE_URL + ".search"];
      return typeof search === "string" ? {control: ADDRESS, value: search} : null;
    }
    if (prop !== "value") { return null; }
    return propId in values ? {control: id, value: values[propId]} : null;
  }

  // An address without what the browser writes into it alone (hide=, the view toggles).
  var VIEW_PARAMS = ["hide", "log", "labels", "contrast"];
  function withoutViewParams(search) {
    if (typeof search !== "string") { return search; }
    var params = new URLSearchParams(search);
    VIEW_PARAMS.forEach(function (k) { params.delete(k); });
    return params.toString();
  }

  // An object without some of its fields (a copy); anything else as it is.
  function without(value, fields) {
    if (!value || typeof value !== "object" || Array.isArray(value)) { return value; }
    var out = Object.assign({}, value);
    fields.forEach(function (f) { delete out[f]; });
    return out;
  }

  // The prefetched answer (of `entries`, those for the page's address) that is the server's
  // answer to this request: the same choice, and every input the answer assumed as the request
  // has it (`loose`: inputs compared without what the browser writes alone). null when none.
  function matchAnswer(entries, body, ids) {
    var choice = requestChoice(body, ids);
    if (!choice || !entries) { return null; }
    var values = requestValues(body), found = null;
    entries.forEach(function (entry) {
      if (found || entry.control !== choice.control) { return; }
      if (choice.control === ONLY_PRECISION ? entry.option === choice.option : sameValue(entry.value, choice.value)) {
        found = entry;
      }
    });
    if (!found) { return null; }
    var assumed = found.assumed || {}, loose = found.loose || {};
    var same = Object.keys(assumed).every(function (k) {
      if (!(k in values)) { return false; }
      if (loose[k] === "query") { return withoutViewParams(values[k]) === withoutViewParams(assumed[k]); }
      if (Array.isArray(loose[k])) { return sameValue(without(values[k], loose[k]), without(assumed[k], loose[k])); }
      return sameValue(values[k], assumed[k]);
    });
    return same ? found : null;
  }

  // The address of the view a control change's request was sent from (its Location's path and
  // query, hide= included): the answers prefetched for it are the candidates. null for
  // back/forward (the Location already holds the new address) or when the request does not say.
  function requestAddress(body, ids) {
    var values = requestValues(body), search = values[ids.PAGE_URL + ".search"], path = values[ids.PAGE_URL + ".pathname"];
    if ((body.changedPropIds || [])[0] === ids.ADDRESS_CHANGE + ".data") { return null; }
    return typeof search === "string" && typeof path === "string" ? path + search : null;
  }

  // The choice a click makes, from the element clicked and what the page says of it:
  // {control, option} or null. `controlOf(el)` names the control an option belongs to.
  function clickChoice(target, controlOf, onlyType) {
    if (!target || !target.closest) { return null; }
    var only = target.closest("button.only-link");
    if (only && only.id && only.id.charAt(0) === "{") {
      try {
        var id = JSON.parse(only.id);
        if (id.type === onlyType && id.control === "precision") { return {control: ONLY_PRECISION, option: id.value}; }
      } catch (e) { return null; }
      return null;
    }
    var option = target.closest("[role=option]");
    var input = option ? option.querySelector("input") : (target.matches("input") ? target : null);
    if (!input && target.matches("label[for]")) { input = document.getElementById(target.getAttribute("for")); }
    if (!input || input.disabled) { return null; }
    var control = controlOf(option || input);
    return control ? {control: control, option: input.value} : null;
  }

  var exported = {sameValue: sameValue, requestValues: requestValues, requestChoice: requestChoice,
                  matchAnswer: matchAnswer, clickChoice: clickChoice, requestAddress: requestAddress,
                  withoutViewParams: withoutViewParams,
                  ONLY_PRECISION: ONLY_PRECISION, ADDRESS: ADDRESS};
  if (typeof module === "object" && module.exports) { module.exports = exported; }
  if (typeof window === "undefined" || !window.fetch) { return; }

  // ---- the browser ----------------------------------------------------------------------------

  var IDS = window.FRONTIER_IDS;
  if (!IDS) { throw new Error("prefetch.js: window.FRONTIER_IDS is missing (set by app.py)"); }
  var PATHS = window.FRONTIER_PATHS;  // app.py, from components/ids.py browser_paths
  if (!PATHS) { throw new Error("prefetch.js: window.FRONTIER_PATHS is missing (set by app.py)"); }
  // what the pure functions above read of the ids
  var REQUEST_IDS = {ONLY: IDS.ONLY, ADDRESS_CHANGE: IDS.ADDRESS_CHANGE, PAGE_URL: IDS.PAGE_URL, VIEW_STATE: IDS.VIEW_STATE};
  var CONTROLS = [IDS.MODEL, IDS.SEQUENCE, IDS.PRECISION, IDS.METRIC, IDS.X];
  var KEPT_ADDRESSES = 6;  // answers are kept for the last few views shown
  var MAX_AGE_MS = 120000;  // and not used once older than this (the data may have been reloaded)
  var fetchFromServer = window.fetch.bind(window);
  // "/path?query" -> {entries: [entry], next: offset | null, busy, at, to: {query: true}}
  var byAddress = new Map();
  var chosen = null;  // {entry, response, at}: the answer a click drew, for Dash's request that follows
  var shown = address();  // the address of the view the page shows (the Location's, once written)

  function address() { return window.location.pathname + window.location.search; }

  // The page now shows the view at the current address; the answers read ahead as objects are
  // kept for it alone (memory).
  function nowShown() {
    var before = shown;
    shown = address();
    var left = before !== shown && byAddress.get(before);
    if (left) { left.entries.forEach(function (e) { e.parsed = null; }); }
  }

  // The control a DOM option belongs to: its control's container, or for a dropdown's list
  // (rendered elsewhere in the page) the control whose toggle opened it.
  function controlOf(el) {
    var dialog = el.closest("[role=dialog]");
    var owner = dialog && dialog.id ? document.querySelector("[aria-controls=\"" + dialog.id + "\"]") : el;
    for (var node = owner; node; node = node.parentElement) {
      if (CONTROLS.indexOf(node.id) >= 0) { return node.id; }
    }
    return null;
  }

  function keep(record, payload) {
    payload.answers.forEach(function (a) {
      record.entries.push({control: a.control, option: a.option, value: a.value, assumed: a.assumed, loose: a.loose,
                           text: JSON.stringify(a.response), parsed: a.response});
    });
  }

  // One request at a time, while the page is idle: the way back or forward to other addresses
  // this tab showed on the same page, and the next batch of choices one click away.
  function prefetch() {
    var gd = document.querySelector("#" + IDS.CHART + " .js-plotly-plot");
    if (!gd || document.hidden || address() !== shown) { return; }
    var at = shown, record = byAddress.get(at);
    if (!record) {
      record = {entries: [], next: 0, busy: false, at: Date.now(), to: {}, waitUntil: 0};
      byAddress.set(at, record);
      while (byAddress.size > KEPT_ADDRESSES) { byAddress.delete(byAddress.keys().next().value); }
    }
    var unread = record.entries.filter(function (e) { return !e.parsed; })[0];
    if (unread) { unread.parsed = JSON.parse(unread.text); }  // one per tick, for the next click
    if (record.busy || Date.now() < record.waitUntil) { return; }
    // the way back or forward to the other addresses this tab showed on the same page
    var path = window.location.pathname, query = "";
    var others = Array.from(byAddress.keys()).reverse().filter(function (a) {
      return a !== at && a.indexOf(path + "?") === 0 && !record.to[a];
    }).slice(0, 3);
    if (!others.length && record.next === null) { return; }
    others.forEach(function (a) { record.to[a] = true; query += "&to=" + encodeURIComponent(a.slice(path.length)); });
    query += "&offset=" + (record.next === null ? -1 : record.next);  // -1: no more choices
    record.busy = true;
    var url = PATHS.NEXT + "?path=" + encodeURIComponent(path) + "&search=" + encodeURIComponent(window.location.search) + query;
    fetchFromServer(url, {credentials: "same-origin"}).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (payload) {
        record.busy = false;
        if (!payload || !Array.isArray(payload.answers)) { record.next = null; return; }
        if (payload.busy) {  // the server is computing other answers: ask again in a second
          others.forEach(function (a) { delete record.to[a]; });
          record.waitUntil = Date.now() + 1000;
          return;
        }
        keep(record, payload);
        if (record.next !== null) { record.next = typeof payload.next === "number" ? payload.next : null; }
      })
      .catch(function () { record.busy = false; record.next = null; });
  }

  function freshEntries(at) {
    var record = byAddress.get(at);
    return record && Date.now() - record.at < MAX_AGE_MS ? record.entries : null;
  }

  // An answer as objects of its own (Dash and the table keep what they are given): read ahead
  // of the click while the page is idle, and again after each use.
  function answerOf(entry) {
    var response = entry.parsed || JSON.parse(entry.text);
    entry.parsed = null;
    window.setTimeout(function () { if (!entry.parsed) { entry.parsed = JSON.parse(entry.text); } }, 200);
    return response;
  }

  // Draw the chart of a prefetched answer now (app.js drawEarly); Dash's request follows.
  function drawAnswer(entry) {
    if (!window.frontierDrawEarly || (chosen && chosen.entry === entry && Date.now() - chosen.at < 1000)) { return; }
    var response = answerOf(entry), props = response.response;
    var fig = (props[IDS.CHART_DATA] || {}).data;
    if (!fig) { return; }
    chosen = {entry: entry, response: response, at: Date.now()};
    window.frontierDrawEarly(fig, (props[IDS.HIDDEN_SERIES] || {}).data,
                             {fig: fig, table: ((response.sideUpdate || {})[IDS.POINTS_DATA] || {}).data,
                              state: (props[IDS.VIEW_STATE] || {}).data});
  }

  function entryFor(at, control, option) {
    return (freshEntries(at) || []).filter(function (e) { return e.control === control && e.option === option; })[0];
  }

  // A click on an option one of the answers is for.
  document.addEventListener("click", function (event) {
    var choice = clickChoice(event.target, controlOf, IDS.ONLY);
    var entry = choice && entryFor(shown, choice.control, choice.option);
    if (entry) { drawAnswer(entry); }
  }, true);

  // Back or forward to an address an answer is for (this runs before dcc.Location hears of it).
  var poppedFrom = null;  // the address shown before the last back/forward
  window.addEventListener("popstate", function () {
    var from = poppedFrom = shown;
    nowShown();
    if (from.split("?")[0] !== window.location.pathname) { return; }
    var entry = entryFor(from, ADDRESS, window.location.search);
    if (entry) { drawAnswer(entry); }
  });
  ["pushState", "replaceState"].forEach(function (name) {
    var original = window.history[name];
    window.history[name] = function () {
      var out = original.apply(this, arguments);
      nowShown();
      return out;
    };
  });

  // Dash's resolver request for a choice an answer is for: that answer, as the server's.
  var fetchBefore = window.fetch;
  window.fetch = function (input, init) {
    var url = String(typeof input === "string" ? input : (input && input.url) || "");
    if (url.indexOf("_dash-update-component") >= 0 && init && typeof init.body === "string" &&
        init.body.indexOf(IDS.VIEW_STATE + ".data") >= 0) {
      var body = null;
      try { body = JSON.parse(init.body); } catch (e) { body = null; }
      // a control change is sent from the view the page shows; back/forward from the one before
      var from = body && (requestAddress(body, REQUEST_IDS) !== null ? shown : poppedFrom);
      var entry = from && matchAnswer(freshEntries(from), body, REQUEST_IDS);
      if (entry) {
        var response = chosen && chosen.entry === entry ? chosen.response : answerOf(entry);
        chosen = null;
        // Dash reads only the status and json() of a callback's response
        return Promise.resolve({ok: true, status: 200, headers: new Headers({"Content-Type": "application/json"}),
                                json: function () { return Promise.resolve(response); },
                                text: function () { return Promise.resolve(JSON.stringify(response)); }});
      }
      chosen = null;
    }
    return fetchBefore.apply(this, arguments);
  };

  // How many answers the page holds for the view it shows (for tests and the curious),
  // and whether it has them all ({answers, done}; done: nothing more to ask for it)
  window.frontierPrefetched = function () {
    var record = byAddress.get(shown);
    return {answers: (freshEntries(shown) || []).length, done: !!record && !record.busy && record.next === null &&
            address() === shown};
  };
  window.setInterval(prefetch, 150);
})();
