"""The resolver's answers to the changes a reader can make next, computed ahead of the click.

While the page is idle the browser (assets/prefetch.js) asks ``/_frontier/next`` for the view
it shows. The answer lists, for each control choice one click away (an "Only" precision link,
a precision ticked or unticked, another sequence, x axis, model or metric, and back or forward
to an address the tab showed before), exactly what the
resolver callback (callbacks/state.py ``resolve_change``, the same function) would write for it,
in Dash's own response form, with the points table of the new view and the inputs the answer
assumes. When the reader clicks, the browser draws the chart from it at once and hands Dash
the answer in place of the request, but only if Dash's request carries exactly those inputs;
any other request goes to the server as before. No number is computed in the browser.

Bounded: at most ``MAX_NEIGHBOURS`` choices per view, each response stops after
``BATCH_ANSWERS`` answers or ``BATCH_SECONDS`` of work (the browser asks again from ``next``),
the views come from the per-state memos every page uses, each response is memoised as sent,
and a process computes one response at a time (another request meanwhile is told to come
back: ``busy``)."""

from __future__ import annotations

import json
import threading
import time

from flask import Response, request
from plotly.io.json import to_json_plotly

from components import ids
from components.controls import metric_options, x_options
from frontier.routes import CHART_PAGES, route
from presenters.controls import CONTROL_VALUES
from presenters.pageview import page_view, view_of_state

from .hardening import MAX_ADDRESS_BYTES
from .state import resolve_change
from .transfer import encoded, request_encoding

MAX_NEIGHBOURS = 16
# a batch is a fixed number of answers, so that every reader of a view asks for the same batches
# (memoised, see register); the time bound only matters for very large datasets
BATCH_ANSWERS = 6
BATCH_SECONDS = 0.5
MAX_TO = 3
VIEW_ONLY_FIELDS = ("search", "hidden", "log", "labels", "contrast")  # of a view state: see answer_for
ONLY_PRECISION = "only-precision"  # the browser's name for an "Only" precision link
ADDRESS = "address"  # and for back/forward to another address of the same page


def _option_values(options) -> list[str]:
    return [o["value"] for o in options or [] if isinstance(o, dict) and not o.get("disabled")]


def shown_values(view) -> dict:
    """What the page showing ``view`` holds: its option lists, control values and chart section
    (computed once for all of its answers)."""
    return view.values("options", "controls", "chart")


def neighbour_choices(view, values: dict | None = None) -> list[tuple[str, str, object]]:
    """(control, option clicked, the control's value after the click), most likely first: the
    precision links and boxes, then sequence and model, then the metrics and x axes nearest
    the current ones. A checklist's value after a click is what Dash's Checklist sends: the value
    with the option appended or removed. ``values``: ``shown_values(view)`` if already at hand."""
    values = shown_values(view) if values is None else values
    current = {id_: values.get((id_, "value")) for id_ in CONTROL_VALUES}
    out: list[tuple[str, str, object]] = []
    precision = current[ids.PRECISION]
    precisions = _option_values(values.get((ids.PRECISION, "options")))
    if isinstance(precision, list):
        if view.route.page == "explorer":
            out += [(ONLY_PRECISION, p, [p]) for p in precisions if [p] != precision]
        for p in precisions:
            after = [q for q in precision if q != p] if p in precision else precision + [p]
            if after:
                out.append((ids.PRECISION, p, after))
    else:
        out += [(ids.PRECISION, p, p) for p in precisions if p != precision]
    out += [(ids.SEQUENCE, v, v) for v in _option_values(values.get((ids.SEQUENCE, "options")))
            if v != current[ids.SEQUENCE]]
    if view.route.page == "explorer":  # on a comparison page a model change opens another page
        out += [(ids.MODEL, v, v) for v in _option_values(values.get((ids.MODEL, "options"))) if v != current[ids.MODEL]]
    # the metrics and x axes nearest the current ones in their lists, the metric first at each distance
    near = []
    for rank, (control, options) in enumerate(((ids.METRIC, metric_options()), (ids.X, x_options()))):
        listed = _option_values(options)
        at = listed.index(current[control]) if current[control] in listed else 0
        near += [(abs(i - at), rank, control, v) for i, v in enumerate(listed) if v != current[control]]
    out += [(control, v, v) for _d, _r, control, v in sorted(near)]
    return out[:MAX_NEIGHBOURS]


def _response_form(written: dict) -> dict:
    """{id: {prop: value}}: how Dash's renderer receives a callback's outputs."""
    out: dict = {}
    for (id_, prop), value in written.items():
        out.setdefault(id_, {})[prop] = value
    return out


def answer_for(index, view, pathname: str, search: str, control: str, value, shown: dict | None = None) -> dict | None:
    """What the resolver writes when the page shows ``view`` (at ``pathname`` + ``search``) and
    the reader makes this choice, with the inputs that answer assumes ({"id.prop": value}, as
    Dash's request names them) and the new view's points table; None when the choice does not
    redraw the chart (the browser then asks the server as usual). ``shown``:
    ``shown_values(view)`` if already at hand."""
    current = view.state_dict
    shown = shown_values(view) if shown is None else shown
    controls = {id_: shown.get((id_, "value")) for id_ in CONTROL_VALUES}
    toggles = shown.get((ids.TOGGLES, "value"), [])
    hidden = shown.get((ids.HIDDEN_SERIES, "data"), [])
    address = search
    if control == ADDRESS:  # back/forward: the Location holds the other address, the page shows this one
        trigger, asked, address = ids.ADDRESS_CHANGE, controls, value
    elif control == ONLY_PRECISION:
        trigger = {"type": ids.ONLY, "control": "precision", "value": value[0]}
        asked = controls
    else:
        trigger = control
        asked = {**controls, control: value}
    written = resolve_change(index, pathname, address, trigger, asked, toggles, current, None, hidden)
    if (ids.CHART_DATA, "data") not in written or (ids.PAGE_URL, "pathname") in written:
        return None
    table_view = view_of_state(index, written.get((ids.VIEW_STATE, "data"), current))
    assumed = {f"{ids.PAGE_URL}.search": address, f"{ids.PAGE_URL}.pathname": pathname,
               f"{ids.TOGGLES}.value": toggles, f"{ids.VIEW_STATE}.data": current,
               f"{ids.HIDDEN_SERIES}.data": hidden,
               **{f"{id_}.value": v for id_, v in asked.items() if control in (ONLY_PRECISION, ADDRESS) or id_ != control}}
    # A control change reads the hidden series and the view toggles from their own inputs (they
    # are compared exactly), never from the address or the shown state's copies of them, which
    # the browser leaves as they were when it hides a series or switches a toggle: so those are
    # compared without them ("loose"). Back/forward reads the address itself: compared exactly.
    loose = {} if control == ADDRESS else {f"{ids.PAGE_URL}.search": "query",
                                           f"{ids.VIEW_STATE}.data": list(VIEW_ONLY_FIELDS)}
    return {"loose": loose, "response": {"multi": True, "response": _response_form(written),
                         "sideUpdate": _response_form(table_view.values("table")) if table_view else {}},
            "assumed": assumed}


def next_answers(index, pathname: str, search: str, offset: int = 0, to: list[str] | None = None,
                 clock=time.perf_counter) -> dict:
    """The answers for the view at ``pathname`` + ``search``, from its ``offset``-th choice on,
    until the batch is full or its time is spent; ``next`` is where to go on from (None: done).
    First, for each address in ``to``, the answer to going back or forward from there to it."""
    view_route = route(pathname)
    if view_route.page not in CHART_PAGES:
        return {"answers": [], "next": None}
    view = page_view(index, pathname, search)
    if view.state is None or view.status != 200:
        return {"answers": [], "next": None}
    shown = shown_values(view)
    answers = []
    for other in (to or [])[:MAX_TO]:  # views this tab showed, so memoised: not counted in the batch
        found = answer_for(index, view, pathname, search, ADDRESS, other, shown)
        if found is not None:
            answers.append({"control": ADDRESS, "option": other, "value": other, **found})
    choices = neighbour_choices(view, shown) if offset >= 0 else []  # offset -1: only the ``to`` answers
    started, at = clock(), max(0, offset)
    batch = len(answers)
    while at < len(choices) and len(answers) - batch < BATCH_ANSWERS and (len(answers) == batch or clock() - started < BATCH_SECONDS):
        control, option, value = choices[at]
        at += 1
        found = answer_for(index, view, pathname, search, control, value, shown)
        if found is not None:
            answers.append({"control": control, "option": option, "value": value, **found})
    return {"answers": answers, "next": at if at < len(choices) else None}


def _plain_json(payload: dict, status: int = 200) -> Response:
    response = Response(json.dumps(payload), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"  # answers follow the data's revision
    return response


def register(app, context) -> None:
    computing = threading.BoundedSemaphore(1)
    app.server.extensions["frontier_prefetch_computing"] = computing

    @app.server.get(ids.NEXT_PATH)
    def next_views():
        pathname = request.args.get("path", "/")
        search = request.args.get("search", "")
        try:
            offset = int(request.args.get("offset", "0"))
        except ValueError:
            offset = 0
        if len(pathname) + len(search) > MAX_ADDRESS_BYTES or not pathname.startswith("/"):
            return _plain_json({"error": f"path must start with / and the address be at most {MAX_ADDRESS_BYTES} bytes"},
                               400)
        to = request.args.getlist("to")[:MAX_TO]
        if any(len(t) > MAX_ADDRESS_BYTES or (t and not t.startswith("?")) for t in to):
            return _plain_json({"error": f"each to= must be a query (?...) of at most {MAX_ADDRESS_BYTES} bytes"}, 400)
        index = context.index
        algorithm = request_encoding(app.server.extensions["frontier_compressed_assets"].compress)

        def written() -> bytes:
            # every reader of a view asks for the same answers: computed, written and
            # compressed once per data revision (the memo lives on the Index)
            body = to_json_plotly(next_answers(index, pathname, search, offset, to)).encode()
            return encoded(body, algorithm) if algorithm else body

        key = (pathname, search, offset, tuple(to), algorithm)
        body = index.prefetched.peek(key)
        if body is None:
            # answers nobody waits for yet: one computed at a time per process, so that the
            # requests a reader does wait for keep the other threads; the browser asks again later
            if not computing.acquire(blocking=False):
                return _plain_json({"answers": [], "next": offset, "busy": True})
            try:
                body = index.prefetched.get(key, written)
            finally:
                computing.release()
        response = Response(body, mimetype="application/json")
        if algorithm:
            response.headers["Content-Encoding"] = algorithm  # flask-compress leaves it alone
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = "no-store"  # answers follow the data's revision
        return response
