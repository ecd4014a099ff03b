"""Named callback outputs: callbacks declare the (element id, property) pairs they write and
return a page view's values for them; any pair the view leaves out is not updated."""

from __future__ import annotations

from dash import Output, no_update


def key(id_: str, prop: str) -> str:
    return f"{id_}.{prop}"


def outputs(pairs) -> dict[str, Output]:
    return {key(i, p): Output(i, p) for i, p in pairs}


def answer(values: dict, pairs) -> dict:
    """{"id.prop": value} for every declared pair; ``no_update`` where ``values`` has none."""
    return {key(i, p): values.get((i, p), no_update) for i, p in pairs}
