"""Callbacks, one module per concern, registered explicitly on one app."""

from . import api, chart, clientside, compare, decide, prefetch, routing, state


def register_all(app, context) -> None:
    routing.register(app, context)
    state.register(app, context)
    chart.register(app, context)
    compare.register(app, context)
    decide.register(app, context)
    clientside.register(app, context)
    api.register(app, context)
    prefetch.register(app, context)
