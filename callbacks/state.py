"""The one resolver: (URL, controls) -> the page's view, its controls and its URL.

One callback owns both directions so the URL and the controls cannot fight (two callbacks
would form a cycle that overwrites deep links). It reads the URL on back/forward and the
controls otherwise, turns a control change into the address it asks for, and answers with
the page view of that address (presenters/pageview.py), leaving alone whatever the page
already shows. It only pushes a history entry for a reader's change. View-only toggles
(log, labels, contrast) and the series hidden in the legend are applied in the browser and
only read here."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from dash import ALL, Input, State, ctx

from components import ids
from frontier.routes import CHART_PAGES, comparison_for_model, route
from frontier.metrics import metric_provider
from frontier.urlstate import parse_query, stored_keys
from frontier.viewstate import state_query
from components.pages import CHANGE_NOTICE, url_notice
from presenters.controls import CONTROL_VALUES, VIEW_TOGGLE_KEYS, changed_choices, option_identity
from presenters.pageview import PageView, page_view

from .wiring import answer, outputs

PRICES_TRIGGER = "prices"  # a $/GPU-hr or kW box (pattern-matching ids) or the prices reset
CONTROL_IDS = {*CONTROL_VALUES, ids.TARGETS_RESET, PRICES_TRIGGER}
ADDRESS = [(ids.PAGE_URL, "search"), (ids.PAGE_URL, "pathname"), (ids.VIEW_STATE, "data"), (ids.PAGE_TITLE, "children")]
NOTICE = [(ids.URL_NOTICE, "children"), (ids.URL_NOTICE, "is_open")]
OPTIONS = ([(i, "options") for i in (ids.MODEL, ids.SEQUENCE, ids.PRECISION, ids.GPUS, ids.DATE, ids.DATES,
                                      *ids.FILTERS.values())]
           + [(ids.ONLY_PRECISION, "children"), (ids.ONLY_GPUS, "children")])
ONLY_CONTROLS = {"precision": ids.PRECISION, "gpus": ids.GPUS}  # what an "only" link sets
PRICES = [(ids.PRICE_ROWS, "children"), (ids.PRICES_BADGE, "children"), (ids.PRICES_PANEL, "open")]
VALUES = [(i, "value") for i in (*CONTROL_VALUES, ids.TOGGLES)] + [(ids.FILTERS_BADGE, "children"),
                                                                    (ids.FILTERS_PANEL, "open")]
CHART = [(ids.CHART_DATA, "data"), (ids.CHART_EMPTY, "children"), (ids.HIDDEN_SERIES, "data")]
RESOLVER_OUTPUTS = ADDRESS + NOTICE + OPTIONS + PRICES + VALUES + CHART


def parse_targets_text(text: str | None) -> list[str]:
    return [p for p in (text or "").replace(";", ",").replace(" ", ",").split(",") if p.strip()]


def _as_list(value) -> list | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


MAX_CONTROL_TEXT = 500  # longer than any real choice or target list
MAX_CONTROL_ITEMS = 64


def clean_controls(controls: dict) -> dict:
    """Control values as a browser could send them: strings, or lists of strings, bounded; any
    other value (a crafted request's) is treated as the control reporting nothing."""
    def clean(value):
        if isinstance(value, str):
            return value if len(value) <= MAX_CONTROL_TEXT else None
        if isinstance(value, list) and len(value) <= MAX_CONTROL_ITEMS and all(
                isinstance(v, str) and len(v) <= MAX_CONTROL_TEXT for v in value):
            return value
        return None
    return {id_: clean(value) for id_, value in controls.items()}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def price_entries(boxes: list[tuple[object, object]]) -> list[str]:
    """``gpu:value`` for each filled box ((pattern id, value) pairs); empty boxes mean the
    reference value, and anything but a number is left to the reference value too."""
    out = []
    for box_id, value in boxes[:MAX_CONTROL_ITEMS]:
        gpu = box_id.get("gpu") if isinstance(box_id, dict) else None
        if isinstance(gpu, str) and len(gpu) <= 40 and isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(f"{gpu}:{_number(value)}")
    return out


def search_from_controls(view_route, search: str, controls: dict, trigger: str | None, toggles,
                         boxes: dict | None = None, hidden=()) -> str:
    """The address a reader's control change asks for (``controls``: {id: value}; ``boxes``:
    {"price": [(id, value)], "kw": [...], "reset": bool} from the prices panel), keeping the
    series hidden in the legend (``hidden``: their keys; those the new view has not are
    dropped when it is resolved)."""
    url_query = parse_query(search)
    values = {name: controls.get(id_) for id_, name in CONTROL_VALUES.items()}
    values["hidden"] = stored_keys(hidden)
    values["precisions"] = _as_list(values["precisions"])
    values["dates"] = _as_list(values["dates"]) if view_route.page == "explorer" else None
    values["optimal"] = "optimal" in (values["optimal"] or [])
    values["best"] = "best" in (values["best"] or []) and view_route.page == "explorer"
    if view_route.page == "comparison":
        values.pop("model")  # the model is in the path
        values["targets"] = parse_targets_text(values["targets"]) if trigger != ids.TARGETS_RESET else None
        if view_route.kind.precision_control == "one" and values["precisions"] and len(values["precisions"]) > 1:
            # one precision at a time: the one just chosen is the one not already shown
            shown = url_query.get("precision", [])
            values["precisions"] = [p for p in values["precisions"] if p not in shown][-1:] or values["precisions"][-1:]
    else:
        values["targets"] = None
    query = state_query(values)
    if "rev" in url_query:  # a pinned view stays pinned while the reader explores it
        query["rev"] = url_query["rev"]
    for key, control in ids.FILTERS.items():
        # a filter follows its pills when they changed; otherwise the address keeps its own
        # spelling (a range such as gpucount=8-32, or a filter the page hides)
        chosen = values[f"filter_{key}"] if trigger == control else url_query.get(key)
        if chosen:
            query[key] = list(chosen)
    if view_route.page == "comparison":
        if trigger == ids.PROVIDER and values["provider"]:
            query["provider"] = [values["provider"]]
        elif "provider" in url_query:
            query["provider"] = url_query["provider"]
        if trigger == ids.METRIC and metric_provider(values["metric"] or ""):
            query["provider"] = [metric_provider(values["metric"])]  # the table prices what the chart shows
    boxes = boxes or {}
    for key in ("price", "kw"):
        if trigger == PRICES_TRIGGER:
            if boxes.get("reset"):
                continue
            typed = price_entries(boxes.get(key, []))
            # GPUs the panel does not list keep what the address gave them
            listed = {b.get("gpu") for b, _v in boxes.get(key, []) if isinstance(b, dict)}
            kept = [e for e in url_query.get(key, []) if e.split(":", 1)[0].strip().lower() not in listed]
            entries = kept + typed
        else:
            entries = url_query.get(key, [])
        if entries:
            query[key] = entries
    # A control that reports None (a Dash 4 dropdown resetting itself) changes nothing.
    for name, param in (("model", "model"), ("seq", "seq"), ("metric", "metric"), ("x", "x"), ("date", "date"),
                        ("precisions", "precision"), ("dates", "dates")):
        if name in values and values[name] is None and param in url_query:
            query[param] = url_query[param]
    for toggle in VIEW_TOGGLE_KEYS:
        if toggle in (toggles or []):
            query[toggle] = ["1"]
    pairs = [(k, ",".join(v)) for k, v in query.items()]
    return "?" + urlencode(pairs, safe=",", quote_via=quote) if pairs else ""


def changed_values(view: PageView, current: dict | None, controls: dict, from_url: bool, search: str,
                   shown_controls: dict | None = None) -> dict:
    """The view's values that differ from what the page shows now: a control already showing
    its value, an option list that cannot have changed, the chart of the same state, are left
    alone (each re-render costs the browser time)."""
    same_state = current is not None and view.state_dict == current
    # the option lists and the prices panel are only computed when they can have changed
    same_options = option_identity(current) == option_identity(view.state_dict)
    same_prices = same_options and current.get("prices") == view.state_dict.get("prices")
    values = view.values("address", "notice", *(() if same_options else ("options",)),
                         *(() if same_prices else ("prices",)), "controls", *(() if same_state else ("chart",)))
    values.pop((ids.PAGE_URL, "pathname"))
    if from_url or values[(ids.PAGE_URL, "search")] == (search or ""):
        values.pop((ids.PAGE_URL, "search"))  # back/forward: the address is already there
    if same_state:
        values.pop((ids.VIEW_STATE, "data"))
        values.pop((ids.PAGE_TITLE, "children"))
    if not from_url:  # a reader's change replaces the notice with what could not be kept of it
        changes = changed_choices(view.index, controls, view.state)
        values.update({(ids.URL_NOTICE, "children"): url_notice(changes, CHANGE_NOTICE).children,
                       (ids.URL_NOTICE, "is_open"): bool(changes)})
        values.pop((ids.TOGGLES, "value"))  # toggles change in the browser only
    shown_controls = controls if shown_controls is None else shown_controls
    for id_ in CONTROL_VALUES:
        if values.get((id_, "value")) == shown_controls.get(id_):
            values.pop((id_, "value"))
    return values


def resolve_change(index, pathname: str, search: str, trigger, controls: dict, toggles,
                   current: dict | None, boxes: dict | None = None, hidden=()) -> dict:
    """Pure: {(id, property): value} the resolver writes, given what triggered it. ``controls``
    is what the controls show; what the reader asks for differs from it for an "only" link."""
    pathname = pathname if isinstance(pathname, str) else "/"
    search = search if isinstance(search, str) else ""
    current = current if isinstance(current, dict) else None
    toggles = [t for t in toggles if isinstance(t, str)] if isinstance(toggles, list) else []
    controls = shown_controls = clean_controls(controls)
    if isinstance(trigger, dict) and trigger.get("type") == ids.ONLY:  # "only FP4": that control, one value
        control = ONLY_CONTROLS.get(trigger.get("control"))
        if control is None or not isinstance(trigger.get("value"), str) or len(trigger["value"]) > MAX_CONTROL_TEXT:
            return {}
        controls = {**controls, control: [trigger["value"]]}
        trigger = control
    elif isinstance(trigger, dict) or trigger == ids.PRICES_RESET:  # a price box (pattern id) or the reset
        trigger = PRICES_TRIGGER
    view_route = route(pathname)
    if view_route.page not in CHART_PAGES:
        return {}
    from_url = trigger not in CONTROL_IDS
    if from_url and current:
        shown = page_view_identity(current)
        if shown != view_route.identity:
            return {}  # the address moved to another page: the router renders it
    if from_url:
        view = page_view(index, pathname, search)
    else:
        model = controls.get(ids.MODEL)
        if view_route.page == "comparison" and current and model and model != current.get("model"):
            # a model change on a comparison page opens that model's page for the same comparison
            view = page_view(index, pathname, search)
            target = comparison_for_model(index, view.state, model, search, hidden) if view.state else None
            if target is not None:
                return {(ids.PAGE_URL, "pathname"): target[0], (ids.PAGE_URL, "search"): target[1],
                        (ids.URL_NOTICE, "children"): [], (ids.URL_NOTICE, "is_open"): False}
        view = page_view(index, pathname,
                         search_from_controls(view_route, search, controls, trigger, toggles, boxes, hidden))
    if view.state is None:
        return {(ids.URL_NOTICE, "children"): view.values("notice").get((ids.URL_NOTICE, "children"), [])} if from_url else {}
    return changed_values(view, current, controls, from_url, search, shown_controls)


def _pairs(box_ids, values) -> list[tuple]:
    if not isinstance(box_ids, list) or not isinstance(values, list):
        return []
    return list(zip(box_ids, values))


def page_view_identity(state_dict: dict) -> tuple:
    """The Route.identity of the page a stored view state belongs to."""
    if state_dict.get("page") == "explorer":
        return "explorer", None, None
    return "comparison", state_dict.get("page"), state_dict.get("slug")


def register(app, context) -> None:
    # The GPU choice and the series filters reach the server only through CHOICE_REQUEST: the
    # browser first tries to draw them from the series it has (callbacks/clientside.py,
    # assets/app.js viewChoice).
    by_browser = {ids.GPUS, *ids.SERIES_FILTERS.values()}
    inputs = {name: Input(i, "value") for i, name in CONTROL_VALUES.items() if i not in by_browser}
    inputs["choice_request"] = Input(ids.CHOICE_REQUEST, "data")
    inputs["targets_reset"] = Input(ids.TARGETS_RESET, "n_clicks")
    inputs["prices_reset"] = Input(ids.PRICES_RESET, "n_clicks")
    inputs["address_change"] = Input(ids.ADDRESS_CHANGE, "data")  # the address moved (assets/app.js addressChange)
    inputs["only"] = Input({"type": ids.ONLY, "control": "precision", "value": ALL}, "n_clicks")  # GPUs: assets/app.js viewChoice
    inputs["price_values"] = Input({"type": ids.PRICE_INPUT, "gpu": ALL}, "value")
    inputs["kw_values"] = Input({"type": ids.KW_INPUT, "gpu": ALL}, "value")
    state = {"search": State(ids.PAGE_URL, "search"), "pathname": State(ids.PAGE_URL, "pathname"),
             "toggles": State(ids.TOGGLES, "value"),
             "current": State(ids.VIEW_STATE, "data"), "hidden": State(ids.HIDDEN_SERIES, "data"),
             **{CONTROL_VALUES[i]: State(i, "value") for i in sorted(by_browser)},
             "price_ids": State({"type": ids.PRICE_INPUT, "gpu": ALL}, "id"),
             "kw_ids": State({"type": ids.KW_INPUT, "gpu": ALL}, "id")}

    # Pages arrive with their state, controls and chart filled in (presenters/pageview.py) and
    # their Location already at the address, so nothing calls this until the reader acts.
    @app.callback(output=outputs(RESOLVER_OUTPUTS), inputs=inputs, state=state, prevent_initial_call=True)
    def resolve(search, pathname, toggles, current, hidden, choice_request, address_change, targets_reset, prices_reset,
                only, price_values, kw_values, price_ids, kw_ids, **values):
        controls = {i: values[name] for i, name in CONTROL_VALUES.items()}
        boxes = {"price": _pairs(price_ids, price_values), "kw": _pairs(kw_ids, kw_values),
                 "reset": ctx.triggered_id == ids.PRICES_RESET}
        trigger = ctx.triggered_id
        if trigger == ids.CHOICE_REQUEST:  # a choice the browser could not draw by itself
            asked = choice_request if isinstance(choice_request, dict) else {}
            trigger = asked.get("control") if asked.get("control") in by_browser else None
            if trigger is None:
                return answer({}, RESOLVER_OUTPUTS)
            controls[trigger] = asked.get("value")
        written = resolve_change(context.index, pathname, search, trigger, controls, toggles, current, boxes, hidden)
        return answer(written, RESOLVER_OUTPUTS)

