"""The calculator's and the history's resolver: (their URL, their controls) -> their view.

Like callbacks/state.py for the explorer, one callback per page owns both directions: back and
forward (the page's Location) re-read the address; a control change rewrites the one parameter
that control owns, resolves the new address (frontier/routes.py) and answers with the page
view of it (presenters/pageview.py), pushing a history entry. The pages have ids of their own
(components/ids.py DecisionIds), so neither this callback nor the explorer's fires on the
other's pages."""

from __future__ import annotations

import math
from urllib.parse import quote, urlencode

from dash import ALL, Input, State, ctx

from components import ids
from components.pages import CHANGE_NOTICE, url_notice
from frontier.calculator import SORT_KEYS, next_sort, sort_order
from frontier.formatting import number_text
from frontier.urlstate import parse_query
from presenters.pageview import MAX_ADDRESS_BYTES, PAGE_SECTIONS, page_view

from .state import MAX_CONTROL_ITEMS, clean_controls, price_entries
from .wiring import answer, outputs

PAGES = {"calculator": ids.CALCULATOR, "history": ids.HISTORY}


def scalar_params(page: ids.DecisionIds) -> dict[str, str]:
    """Control id -> the query parameter its one value is."""
    out = {page.model: "model", page.sequence: "seq", page.precision: "precision", page.target: "target",
           page.prices.provider: "provider"}
    if page is ids.CALCULATOR:
        out.update({page.users: "users", page.maxcost: "maxcost", page.by: "by"})
    else:
        out[page.metric] = "metric"
    return out


def list_params(page: ids.DecisionIds) -> dict[str, str]:
    """Control id -> the comma-list parameter it holds."""
    out = {control: key for key, control in page.filters.items()}
    if page is ids.HISTORY:
        out[page.gpus] = "gpus"
    return out


def control_ids(page: ids.DecisionIds) -> list[str]:
    return [*scalar_params(page), *list_params(page)]


def _is_number(value) -> bool:
    """A number box's value as a browser sends it (a bool is no number)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _text(value) -> str | None:
    """A control's value as the address spells it; None for an empty control."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if _is_number(value):
        return number_text(value)
    return value if isinstance(value, str) else None


def search_for_change(page: ids.DecisionIds, search: str, trigger, controls: dict, boxes: dict,
                      current: dict | None) -> str | None:
    """The address a change of one control asks for: the current address with the parameter
    that control owns rewritten (None: the change asks for nothing)."""
    query = parse_query(search)
    if isinstance(trigger, dict) and trigger.get("type") == page.sort:
        column = trigger.get("column")
        sort = ((current or {}).get("params") or {}).get("sort")  # the shown ranking (a browser store: checked)
        if column not in SORT_KEYS:
            return None
        key, descending = sort_order(sort if isinstance(sort, str) and sort.lstrip("-") in SORT_KEYS else None)
        query["sort"] = [next_sort(key, descending, column)]
    elif (isinstance(trigger, dict) and trigger.get("type") in (page.prices.price_input, page.prices.kw_input)) \
            or trigger == page.prices.reset:
        for key in ("price", "kw"):
            typed = [] if trigger == page.prices.reset else price_entries(boxes.get(key, []))
            listed = {b.get("gpu") for b, _v in boxes.get(key, []) if isinstance(b, dict)}
            kept = [e for e in query.get(key, []) if e.split(":", 1)[0].strip().lower() not in listed]
            query[key] = kept + typed
    elif trigger in scalar_params(page):
        query[scalar_params(page)[trigger]] = [t] if (t := _text(controls.get(trigger))) is not None else []
    elif trigger in list_params(page):
        value = controls.get(trigger)
        query[list_params(page)[trigger]] = [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    else:
        return None
    pairs = [(k, ",".join(v)) for k, v in query.items() if v]
    return "?" + urlencode(pairs, safe=",:", quote_via=quote) if pairs else ""


def resolve_decision(index, page_name: str, pathname: str, search: str, trigger, controls: dict, current,
                     boxes: dict | None = None) -> dict:
    """Pure: {(id, property): value} the page's resolver writes, given what triggered it."""
    page = PAGES[page_name]
    pathname = pathname if isinstance(pathname, str) else "/" + page_name
    search = search if isinstance(search, str) else ""
    current = current if isinstance(current, dict) else None
    controls = {**clean_controls(controls), **{id_: v for id_, v in controls.items() if _is_number(v)}}
    from_url = trigger == page.url or trigger is None
    if not from_url:
        shown = current.get("search") if current else None  # the canonical address of the view shown
        search_now = shown if isinstance(shown, str) and len(shown) <= MAX_ADDRESS_BYTES else search
        asked = search_for_change(page, search_now, trigger, controls, boxes or {}, current)
        if asked is None:
            return {}
        view = page_view(index, pathname, asked)
    else:
        view = page_view(index, pathname, search)
    if view.state is None or view.route.page != page_name:
        return {}
    values = view.values(*PAGE_SECTIONS[page_name])
    values.pop((page.url, "pathname"))
    if from_url:
        values.pop((page.url, "search"))  # the address is already there: no history entry
    else:  # what the change could not keep, said as such
        values.update({(ids.URL_NOTICE, "children"): url_notice(view.notices, CHANGE_NOTICE).children,
                       (ids.URL_NOTICE, "is_open"): bool(view.notices)})
    if current and (current.get("model"), current.get("seq")) == (view.state.model, view.state.seq):
        values = {k: v for k, v in values.items() if k[1] != "options"}  # the same choices: left alone
    for id_ in control_ids(page):
        if (id_, "value") in values and values[(id_, "value")] == controls.get(id_):
            values.pop((id_, "value"))  # already showing it
    return values


def _pairs(box_ids, values) -> list[tuple]:
    if not isinstance(box_ids, list) or not isinstance(values, list):
        return []
    return list(zip(box_ids[:MAX_CONTROL_ITEMS], values[:MAX_CONTROL_ITEMS]))


def page_outputs(page: ids.DecisionIds) -> list[tuple[str, str]]:
    """Every (id, property) a page's resolver may write (presenters/decide.py's sections)."""
    options = [page.model, page.sequence, page.precision, *page.filters.values()]
    if page is ids.HISTORY:
        options.append(page.gpus)
    return [(page.url, "search"), (page.state, "data"), (ids.PAGE_TITLE, "children"), (ids.URL_NOTICE, "children"),
            (ids.URL_NOTICE, "is_open"), *((i, "options") for i in options),
            (page.prices.rows, "children"), (page.prices.badge, "children"), (page.prices.panel, "open"),
            (page.filters_badge, "children"), (page.filters_panel, "open"),
            *((i, "value") for i in control_ids(page)),
            (page.table, "children"), (page.chart_data, "data"), (page.summary, "children"), (page.notes, "children"),
            (page.api_link, "href")]


def register_page(app, context, page_name: str) -> None:
    page = PAGES[page_name]
    written = page_outputs(page)
    inputs = {f"c{n}": Input(id_, "value") for n, id_ in enumerate(control_ids(page))}
    inputs.update(search=Input(page.url, "search"), reset=Input(page.prices.reset, "n_clicks"),
                  price_values=Input({"type": page.prices.price_input, "gpu": ALL}, "value"),
                  kw_values=Input({"type": page.prices.kw_input, "gpu": ALL}, "value"))
    if page is ids.CALCULATOR:
        inputs["sort"] = Input({"type": page.sort, "column": ALL}, "n_clicks")
    state = {"pathname": State(page.url, "pathname"), "current": State(page.state, "data"),
             "price_ids": State({"type": page.prices.price_input, "gpu": ALL}, "id"),
             "kw_ids": State({"type": page.prices.kw_input, "gpu": ALL}, "id")}
    names = {f"c{n}": id_ for n, id_ in enumerate(control_ids(page))}

    # Pages arrive with their view filled in and their Location at the address: nothing calls
    # this until the reader acts.
    @app.callback(output=outputs(written), inputs=inputs, state=state, prevent_initial_call=True)
    def resolve_page(search, reset, price_values, kw_values, pathname, current, price_ids, kw_ids, sort=None,
                     **values):
        trigger = ctx.triggered_id
        if isinstance(trigger, dict) and trigger.get("type") == page.sort and not ctx.triggered[0].get("value"):
            return answer({}, written)  # a header drawn anew, not clicked
        controls = {names[k]: v for k, v in values.items()}
        boxes = {"price": _pairs(price_ids, price_values), "kw": _pairs(kw_ids, kw_values)}
        return answer(resolve_decision(context.index, page_name, pathname, search, trigger, controls, current, boxes),
                      written)


def register(app, context) -> None:
    for page_name in PAGES:
        register_page(app, context, page_name)
