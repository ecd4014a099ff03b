"""/_frontier/next (callbacks/prefetch.py): the resolver's answers to the choices one click away.
That the browser uses an answer only for the very request it answers, and that it equals the
server's answer to that request, is tested in tests/e2e/test_prefetch_in_browser.py."""

from __future__ import annotations

import itertools
from urllib.parse import quote

from callbacks.prefetch import BATCH_ANSWERS, MAX_NEIGHBOURS, neighbour_choices, next_answers
from callbacks.state import resolve_change
from components import ids
from presenters.pageview import page_view

START = "?model=dsr1&seq=1k1k&precision=fp4&metric=tput&x=intvty"


def all_answers(client, path: str, search: str, to=()) -> list[dict]:
    answers, offset = [], 0
    while offset is not None:
        extra = "".join(f"&to={quote(t)}" for t in to) if offset == 0 else ""
        response = client.get(f"/_frontier/next?path={quote(path)}&search={quote(search)}&offset={offset}{extra}")
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        payload = response.get_json()
        answers += payload["answers"]
        offset = payload["next"]
    return answers


def test_every_choice_one_click_away_is_answered_once_in_bounded_batches(client, index):
    view = page_view(index, "/", START)
    choices = neighbour_choices(view)
    assert len(choices) == MAX_NEIGHBOURS
    assert choices[:2] == [("only-precision", "fp8", ["fp8"]), (ids.PRECISION, "fp8", ["fp4", "fp8"])]  # as Dash sends
    assert {(c, o) for c, o, _v in choices} >= {(ids.SEQUENCE, "1k8k"), (ids.SEQUENCE, "8k1k"), (ids.MODEL, "qwen3.5"),
                                              (ids.METRIC, "tput_input"), (ids.X, "e2el")}
    answers = all_answers(client, "/", START)
    assert [(a["control"], a["option"], a["value"]) for a in answers] == choices
    for a in answers:
        written = a["response"]["response"]
        assert {"view-state", "chart-data", "page-url"} <= set(written) and a["response"]["multi"] is True
        assert set(a["response"]["sideUpdate"]) == {ids.POINTS_DATA, ids.POINTS_SUMMARY}
        # the view the answer moves to is the one its own address shows
        assert written["view-state"]["data"] == page_view(index, "/", written["page-url"]["search"]).state_dict
        assert a["assumed"][f"{ids.VIEW_STATE}.data"] == view.state_dict
        assert a["assumed"][f"{ids.PAGE_URL}.search"] == START


def test_an_answer_is_what_the_resolver_writes_for_the_inputs_it_assumes(client, index):
    answers = all_answers(client, "/", START)
    for a in answers[:6]:
        assumed = a["assumed"]
        controls = {key[:-len(".value")]: value for key, value in assumed.items() if key.endswith(".value")}
        controls.pop(ids.TOGGLES)
        if a["control"] == "only-precision":
            trigger = {"type": ids.ONLY, "control": "precision", "value": a["option"]}
        else:
            trigger, controls[a["control"]] = a["control"], a["value"]
        written = resolve_change(index, "/", START, trigger, controls, assumed[f"{ids.TOGGLES}.value"],
                                 assumed[f"{ids.VIEW_STATE}.data"], None, assumed[f"{ids.HIDDEN_SERIES}.data"])
        expected = {}
        for (id_, prop), value in written.items():
            expected.setdefault(id_, {})[prop] = value
        got = a["response"]["response"]
        assert set(got) == set(expected)
        assert got["view-state"]["data"] == expected["view-state"]["data"]
        assert got["page-url"]["search"] == expected["page-url"]["search"]


def test_back_and_forward_answers_come_first_and_assume_the_location_holds_the_other_address(client, index):
    other = "?model=dsr1&seq=8k1k&precision=fp4&metric=tput&x=intvty"
    payload = client.get(f"/_frontier/next?path=/&search={quote(START)}&to={quote(other)}&offset=-1").get_json()
    assert payload["next"] is None and len(payload["answers"]) == 1
    back = payload["answers"][0]
    assert (back["control"], back["value"]) == ("address", other)
    assert back["assumed"][f"{ids.PAGE_URL}.search"] == other
    assert back["assumed"][f"{ids.VIEW_STATE}.data"] == page_view(index, "/", START).state_dict
    written = back["response"]["response"]
    assert "page-url" not in written  # back/forward: the Location is already there
    assert written["view-state"]["data"] == page_view(index, "/", other).state_dict
    # the address the page shows already: nothing to draw, so no answer
    same = client.get(f"/_frontier/next?path=/&search={quote(START)}&to={quote(START)}&offset=-1").get_json()
    assert same["answers"] == []


def test_a_batch_stops_when_its_time_is_spent(index):
    ticks = itertools.count(step=1.0)  # every answer "takes" a second
    first = next_answers(index, "/", START, 0, clock=lambda: next(ticks))
    assert len(first["answers"]) == 1 and first["next"] == 1
    quick = next_answers(index, "/", START, 0, clock=lambda: 0.0)
    assert len(quick["answers"]) == BATCH_ANSWERS and quick["next"] == BATCH_ANSWERS


def test_comparison_pages_are_answered_without_model_changes_that_open_another_page(client):
    path = "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off"
    answers = all_answers(client, path, "?seq=1k1k")
    assert answers and not any(a["control"] == ids.MODEL for a in answers)
    assert all("pathname" not in a["response"]["response"].get("page-url", {}) for a in answers)


def test_bad_requests_get_a_plain_answer(client):
    for url in ("/_frontier/next?path=nowhere", "/_frontier/next?path=/&to=model=dsr1"):
        response = client.get(url)
        assert response.status_code == 400 and "error" in response.get_json(), url
    assert client.get("/_frontier/next?path=/&search=" + "x" * 5000).status_code == 414  # the app's address limit
    for url in ("/_frontier/next?path=/calculator", "/_frontier/next?path=/no-such-page",
                "/_frontier/next?path=/compare-spec-decode/no-such", "/_frontier/next?path=/&search=?model=nope&seq=9k"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get("/_frontier/next?path=/calculator").get_json() == {"answers": [], "next": None}
    junk = client.get(f"/_frontier/next?path=/&search={quote(START)}&offset=abc").get_json()
    assert junk["answers"][0]["control"] == "only-precision"  # read as the start


def test_one_response_is_computed_at_a_time_and_a_memoised_one_is_always_served(app, client):
    """While this process computes answers, a request for answers not yet computed is told to
    come back (the browser waits a second); answers already computed are served at once."""
    done = f"/_frontier/next?path=/&search={quote(START)}&offset=0"
    first = client.get(done).get_json()
    computing = app.server.extensions["frontier_prefetch_computing"]
    assert computing.acquire(blocking=False)
    try:
        assert client.get(done).get_json() == first  # memoised: served
        other = f"/_frontier/next?path=/&search={quote('?model=dsr1&seq=8k1k&precision=fp8')}&offset=0"
        busy = client.get(other)
        assert busy.status_code == 200 and busy.get_json() == {"answers": [], "next": 0, "busy": True}
    finally:
        computing.release()
    assert client.get(other).get_json()["answers"]
