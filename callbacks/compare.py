"""A comparison page's table and narrative follow its view state (presenters/compare.py)."""

from __future__ import annotations

from dash import Input

from components import ids
from presenters.pageview import view_of_state

from .wiring import answer, outputs

COMPARISON = [(ids.COMPARISON_TABLE, "children"), (ids.COMPARISON_NARRATIVE, "children"),
              (ids.COMPARISON_PINNED, "children"), (ids.COMPARISON_API_LINK, "href"), (ids.COMPARISON_ACCURACY, "children")]


def register(app, context) -> None:
    @app.callback(output=outputs(COMPARISON), inputs={"data": Input(ids.VIEW_STATE, "data")},
                  prevent_initial_call=True)  # pages arrive with their comparison
    def update_comparison(data):
        view = view_of_state(context.index, data)
        return answer(view.values("comparison") if view else {}, COMPARISON)
