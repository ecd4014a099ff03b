// A page's first view travels in its own HTML (app.py, FrontierDash): the layout rendered for
// the page's address and the callback list. Dash's renderer fetches both when it starts; this
// answers those two fetches from the page, once each, so the first chart needs no round trip
// and never depends on the Referer the browser chooses to send.
(function () {
  "use strict";
  if (typeof window === "undefined" || !window.fetch) { return; }
  var IDS = window.FRONTIER_IDS;
  if (!IDS) { throw new Error("first_view.js: window.FRONTIER_IDS is missing (set by app.py)"); }
  var inline = [["_dash-layout", IDS.FIRST_LAYOUT], ["_dash-dependencies", IDS.FIRST_DEPENDENCIES]];
  var fetchFromServer = window.fetch.bind(window);

  window.fetch = function (input, init) {
    var url = String(typeof input === "string" ? input : (input && input.url) || "").split("?")[0];
    for (var i = 0; i < inline.length; i++) {
      var element = url.slice(-inline[i][0].length) === inline[i][0] && document.getElementById(inline[i][1]);
      if (element) {
        var text = element.textContent;
        element.parentNode.removeChild(element);  // later navigation fetches as usual
        return Promise.resolve(new Response(text, {status: 200, headers: {"Content-Type": "application/json"}}));
      }
    }
    return fetchFromServer(input, init);
  };
})();
