"""What each control shows for a view: its options (only choices with data behind them) and
its value. Options depend on the page, model, sequence and run date only (``OPTION_KEYS``)."""

from __future__ import annotations

from components import ids
from components.controls import (date_options, gpu_options, model_options, only_links, overlay_date_options,
                                 precision_options, price_row, price_rows, sequence_options)
from frontier.filters import filter_options
from frontier.prices import prices_used
from frontier.kinds import KINDS
from frontier.sequences import sequence_label
from frontier.viewstate import ExplorerState

VIEW_TOGGLE_KEYS = ("log", "labels", "contrast")  # applied in the browser (assets/app.js)
# a state's fields its option lists depend on (the date lists are the model's run dates plus
# a chosen date between runs)
OPTION_KEYS = ("page", "kind", "slug", "model", "seq", "date", "dates")

# the property each control's value is in, and the state's name for it
CONTROL_VALUES = {ids.MODEL: "model", ids.SEQUENCE: "seq", ids.PRECISION: "precisions", ids.METRIC: "metric",
                  ids.X: "x", ids.GPUS: "gpus", ids.OPTIMAL: "optimal", ids.DATE: "date", ids.DATES: "dates",
                  ids.TARGETS: "targets",
                  ids.BEST: "best", ids.PROVIDER: "provider",
                  **{control: f"filter_{key}" for key, control in ids.FILTERS.items()}}


def _num(t) -> str:
    return str(int(t)) if float(t).is_integer() else f"{t:g}"


def toggles(state) -> list[str]:
    return [k for k in VIEW_TOGGLE_KEYS if getattr(state, k, False)]


def control_values(index, state) -> dict:
    """{(id, "value")} for every control, in the form each control holds it."""
    out = {(ids.METRIC, "value"): state.metric, (ids.X, "value"): state.x, (ids.MODEL, "value"): state.model,
           (ids.SEQUENCE, "value"): state.seq, (ids.OPTIMAL, "value"): ["optimal"] if state.optimal else [],
           (ids.TOGGLES, "value"): toggles(state)}
    out[(ids.PROVIDER, "value")] = state.prices.provider
    out[(ids.BEST, "value")] = ["best"] if getattr(state, "best", False) else []
    out.update(filter_values(index, state))
    out.update(filters_panel_values(state.filters))
    if isinstance(state, ExplorerState):
        out.update({(ids.PRECISION, "value"): list(state.precisions), (ids.GPUS, "value"): list(state.gpus),
                    (ids.DATE, "value"): state.date or "", (ids.DATES, "value"): list(state.dates),
                    (ids.TARGETS, "value"): ""})
    else:
        one = KINDS[state.kind].precision_control == "one"  # a radio holds a string
        out.update({(ids.PRECISION, "value"): state.precisions[0] if one else list(state.precisions),
                    (ids.GPUS, "value"): [], (ids.DATE, "value"): "", (ids.DATES, "value"): [],
                    (ids.TARGETS, "value"): ", ".join(_num(t) for t in state.targets)})
    return out


FILTER_NAMES = tuple(ids.FILTERS)


def filters_panel_values(filters, panel_id: str = ids.FILTERS_PANEL, badge_id: str = ids.FILTERS_BADGE) -> dict:
    """The folded filters' badge ("2 on"), and the panel opened while a filter is on (left as the
    reader has it otherwise)."""
    on = [name for name in FILTER_NAMES if getattr(filters, name)]
    out = {(badge_id, "children"): f"{len(on)} on" if on else ""}
    if on:
        out[(panel_id, "open")] = True
    return out


def filter_values(index, state, filter_ids: dict = ids.FILTERS) -> dict:
    """{(filter control, "value")}: each filter's pills that are on."""
    out = {}
    present = _present_counts(index, state)
    for key, control in filter_ids.items():
        chosen = getattr(state.filters, key)
        if key == "gpucount":  # ranges from the address show as the counts they hold
            chosen = [c for c in present if any(lo <= int(c) <= hi for lo, hi in chosen)]
        out[(control, "value")] = list(chosen)
    return out


def _present_counts(index, state) -> list[str]:
    return [value for value, _label in filter_options(index.points_for(state.model, state.seq),
                                                      present=index.present_values(state.model, state.seq))["gpucount"]]


def filter_choices(index, state, filter_ids: dict = ids.FILTERS) -> dict:
    """{(filter control, "options")}: the values the view's model and sequence have."""
    options = filter_options(index.points_for(state.model, state.seq), index.reference,
                             present=index.present_values(state.model, state.seq))
    return {(control, "options"): [{"label": label, "value": value} for value, label in options[key]]
            for key, control in filter_ids.items()}


def price_inputs(index, state) -> dict:
    """The prices panel of the explorer or a comparison page: the GPUs the view can show (on
    the explorer every GPU of the model and sequence, whichever the GPU filter shows, so that
    narrowing the GPUs in the browser leaves the panel as a reload would draw it)."""
    if isinstance(state, ExplorerState):
        gpus = index.catalog.gpus.get((state.model, state.seq), [])
    else:
        spec = index.spec(state)
        gpus = list(dict.fromkeys((spec.gpu_a, spec.gpu_b)))
    return prices_panel_values(index, state.prices, gpus)


def prices_panel_values(index, prices, gpus, prices_ids: ids.PricesIds = ids.PRICES) -> dict:
    """A prices panel: one row per GPU, its custom values filled in, and the badge that says
    custom values are in force."""
    rows = [price_row(u["gpu"], u["label"], u["default_price"], u["default_kw"],
                      u["price"] if u["price_custom"] else None, u["kw"] if u["kw_custom"] else None, prices_ids)
            for u in prices_used(index.reference, prices, gpus)]
    out = {(prices_ids.rows, "children"): price_rows(rows),
           (prices_ids.badge, "children"): "custom prices in force" if prices.custom else ""}
    if prices.custom:  # open when custom values apply (left as the reader has it otherwise)
        out[(prices_ids.panel, "open")] = True
    return out


def only_choices(options: dict) -> dict:
    """The "only this" links for the precision and GPU choices a view offers."""
    return {(ids.ONLY_PRECISION, "children"): only_links("precision", options[(ids.PRECISION, "options")]),
            (ids.ONLY_GPUS, "children"): only_links("gpus", options[(ids.GPUS, "options")])}


def control_options(index, state) -> dict:
    """{(id, "options")} for every control with a list of choices."""
    cat = index.catalog
    if isinstance(state, ExplorerState):
        return {(ids.MODEL, "options"): model_options(cat), (ids.SEQUENCE, "options"): sequence_options(cat, state.model),
                (ids.PRECISION, "options"): precision_options(cat.precisions[(state.model, state.seq)]),
                (ids.GPUS, "options"): gpu_options(cat, cat.gpus[(state.model, state.seq)]),
                (ids.DATE, "options"): date_options(cat.dates_for(state.model, state.seq), state.date),
                (ids.DATES, "options"): overlay_date_options(cat.dates_for(state.model, state.seq), state.dates)}
    kind = KINDS[state.kind]
    available = index.available(state.kind, state.slug)
    choices = kind.chart_precisions(available, cat.precisions.get((state.model, state.seq), []))
    return {(ids.MODEL, "options"): model_options(cat, index.models_with(available.spec)),
            (ids.SEQUENCE, "options"): sequence_options(cat, state.model, list(available.seqs)),
            (ids.PRECISION, "options"): precision_options(choices or list(state.precisions),
                                                          kind.precision_control == "fixed"),
            (ids.GPUS, "options"): [], (ids.DATE, "options"): date_options([]), (ids.DATES, "options"): []}


def option_identity(state_dict: dict | None) -> tuple | None:
    return tuple(state_dict.get(k) for k in OPTION_KEYS) if state_dict else None


def changed_choices(index, asked: dict, state) -> list[str]:
    """What a reader asked for with the controls (``asked``: {control id: value}) that the view
    could not keep, each said with the reason: a new model or sequence keeps every choice it
    supports and names the ones it cannot."""
    ref = index.reference
    where = f"{ref.model_label(state.model)} {sequence_label(state.seq)}"
    out = []
    seq = asked.get(ids.SEQUENCE)
    if seq and seq != state.seq:
        out.append(f"{ref.model_label(state.model)} has no {sequence_label(seq)} results: showing {sequence_label(state.seq)}.")
    wanted = asked.get(ids.PRECISION)
    wanted = [wanted] if isinstance(wanted, str) else list(wanted or [])
    lost = [p for p in wanted if p not in state.precisions]
    if lost and len(wanted) > 0:
        showing = "/".join(p.upper() for p in state.precisions)
        out.append(f"{where} has no {'/'.join(p.upper() for p in lost)} results: showing {showing}.")
    gpus = [g for g in asked.get(ids.GPUS) or [] if g not in getattr(state, "gpus", ())]
    if gpus and isinstance(state, ExplorerState):
        names = ", ".join(ref.gpu_label(g) for g in gpus)
        rest = "showing every GPU" if not state.gpus else "kept the others"
        out.append(f"{names} {'has' if len(gpus) == 1 else 'have'} no {where} results: left out of the GPU filter, {rest}.")
    return out
