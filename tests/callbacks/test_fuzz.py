"""The reliability tier for requests (issue 12): addresses, slugs and callback bodies generated
by hypothesis never get a 5xx, never see their text unescaped in a page, and never cost more
than a real request would."""

from __future__ import annotations

import copy
import json
import logging
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callbacks.compare import COMPARISON
from callbacks.decide import PAGES, page_outputs
from callbacks.state import RESOLVER_OUTPUTS
from components import ids
from tests.callbacks.test_callbacks import dispatch_payload, resolver_payload, table_payload

MARK = "<x-fuzz>"  # if this ever appears as-is in an HTML page, input reached it unescaped
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])

KEYS = ["model", "seq", "precision", "metric", "x", "gpus", "date", "optimal", "log", "labels", "contrast",
        "targets", "provider", "hide", "best", "rev", "dates", "preset", "target", "users", "maxcost", "by", "sort",
        "vendor", "engine", "gpucount", "price", "kw"]
nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from([MARK, "9" * 5000 + "k1k", "1e308", "-1", "nan", "inf", "0", "%00", "../../etc/passwd", "',\"",
                     "<script>alert(1)</script>", "1k/1k", "fp4,fp8," * 50, "100," * 2000, "2026-02-30", "\u202e"]),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
)
query = st.lists(st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), nasty_text), max_size=6)
paths = st.one_of(
    st.sampled_from(["/", "/compare", "/methodology", "/nowhere", "/calculator", "/history", "/api/v1/calculator",
                     "/api/v1/history", "/api/v1/points.csv"]),
    st.tuples(st.sampled_from(["/compare-spec-decode/", "/compare/", "/compare-precision/", "/api/v1/compare/gpu/",
                               "/api/v1/compare/spec-decode/", "/compare-per-dollar/",
                               "/api/v1/compare/per-dollar/", "/api/v1/", "/_dash-component-suites/"]),
              st.one_of(nasty_text, st.sampled_from(["dsr1-b200-fp4-mtp-vs-off", "dsr1-h200-vs-b200",
                                                     "dash/../../app.py", "dash/nope.js", "plotly/x.js"]))
              ).map(lambda t: t[0] + quote(t[1], safe="/")),
)


def address(path: str, pairs) -> str:
    return path + ("?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs) if pairs else "")


@FUZZ
@given(path=paths, pairs=query)
def test_no_address_gets_a_server_error_or_its_text_unescaped(client, caplog, path, pairs):
    url = address(path, pairs)
    caplog.clear()
    for target in (url, "/api/v1/points.csv" + url[url.index("?"):] if "?" in url else "/api/v1/points.csv"):
        response = client.get(target)
        assert response.status_code < 500, (target, response.status_code, response.data[:300])
        if response.mimetype == "text/html":
            assert MARK not in response.get_data(as_text=True), target
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [], url


# ---- callback bodies ------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=5)),
    max_leaves=20,
)


def real_bodies(app, index) -> list[dict]:
    """Bodies as the renderer sends them, for every server callback of the two page kinds."""
    from presenters.pageview import page_view

    explorer = page_view(index, "/", "?model=dsr1&seq=1k1k").state_dict
    seed = page_view(index, "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off", "?seq=1k1k").state_dict
    bodies = [resolver_payload(app, "?seq=8k1k", f"{ids.METRIC}.value", metric="cost"),
              resolver_payload(app, "?seq=1k1k", f"{ids.PAGE_URL}.search"),
              table_payload(app, explorer), table_payload(app, seed)]
    bodies.append(dispatch_payload(app, COMPARISON, {f"{ids.VIEW_STATE}.data": seed}, f"{ids.VIEW_STATE}.data"))
    for page_name, page in PAGES.items():  # the calculator's and the history's resolvers
        state = page_view(index, "/" + page_name, "?model=dsr1&target=40").state_dict
        bodies.append(dispatch_payload(app, page_outputs(page), {f"{page.target}.value": 55, f"{page.state}.data": state,
                                                                 f"{page.url}.pathname": "/" + page_name},
                                       f"{page.target}.value"))
    bodies.append(dispatch_payload(app, [(ids.POINT_DETAILS, "children")],
                                   {f"{ids.CHART}.clickData": {"points": [{"curveNumber": 0, "pointNumber": 3}]},
                                    f"{ids.VIEW_STATE}.data": explorer}, f"{ids.CHART}.clickData"))
    return bodies


def mutate(body: dict, where: int, value, mode: str) -> dict:
    """One change a crafted request could make: a value replaced, an entry dropped, a key renamed."""
    out = copy.deepcopy(body)
    slots = [(part, i) for part in ("inputs", "state") for i in range(len(out.get(part, [])))]
    if mode == "value" and slots:
        part, i = slots[where % len(slots)]
        if isinstance(out[part][i], dict):
            out[part][i]["value"] = value
        else:  # a pattern-matching input: its list of matched components
            out[part][i] = value if isinstance(value, list) else [value]
    elif mode == "drop" and slots:
        part, i = slots[where % len(slots)]
        del out[part][i]
    elif mode == "key":
        key = sorted(out)[where % len(out)]
        out[key] = value
    elif mode == "whole":
        return value
    return out


@pytest.fixture(scope="module")
def bodies(app, index):
    return real_bodies(app, index)


def test_the_bodies_mutated_are_real_ones(client, bodies):
    """Unchanged, each body is answered with an update: the fuzzing starts from requests the
    app actually serves, for every server callback (resolvers of each page, table, details)."""
    for body in bodies:
        response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
        assert response.status_code == 200 and response.get_json().get("response"), (body["output"], response.data[:200])
    assert len(bodies) >= 8


@FUZZ
@given(which=st.integers(0, 63), where=st.integers(0, 40), value=json_values,
       mode=st.sampled_from(["value", "value", "value", "drop", "key", "whole"]))
def test_no_callback_body_gets_a_server_error(client, bodies, caplog, which, where, value, mode):
    body = mutate(bodies[which % len(bodies)], where, value, mode)
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 204, 400), (response.status_code, response.data[:300])
    assert len(response.data) < 3_000_000
    # a callback that raised is answered 200 with an error toast: it must not have raised at all
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [], body


def test_a_crafted_view_state_is_read_like_an_address(client, app, index):
    """A view state with 100,000 targets and junk values answers like the URL would: capped at 8
    targets, unknown values dropped, in a response the size of a real one."""
    from presenters.pageview import page_view

    seed = page_view(index, "/compare-spec-decode/qwen3.5-b300-fp4-mtp-vs-off", "?seq=1k1k").state_dict
    comparison = COMPARISON
    normal = client.post("/_dash-update-component", json=dispatch_payload(
        app, comparison, {f"{ids.VIEW_STATE}.data": seed}, f"{ids.VIEW_STATE}.data"))
    by_fields = {k: v for k, v in seed.items() if k != "search"}
    by_fields.update(targets=list(range(1, 100_001)), metric=["x"] * 3, precisions={"a": 1}, seq=10**40)
    by_address = dict(seed, search="?seq=1k1k&targets=" + ",".join(str(t) for t in range(1, 900)))
    for crafted in (by_fields, by_address):
        r = client.post("/_dash-update-component", json=dispatch_payload(
            app, comparison, {f"{ids.VIEW_STATE}.data": crafted}, f"{ids.VIEW_STATE}.data"))
        assert r.status_code == 200
        text = r.get_data(as_text=True)
        assert len(text) < 2 * len(normal.data) + 20_000
        assert text.count("target-value") == 8  # eight target columns, no more


def test_oversized_and_malformed_bodies_are_refused_plainly(client, app):
    big = b'{"output": "' + b"x" * (3 * 2**20) + b'"}'
    r = client.post("/_dash-update-component", data=big, content_type="application/json")
    assert r.status_code == 413 and "too large" in r.get_json()["error"]
    for body in (b"not json", b"[]", b'{"output": "nope.children"}', json.dumps({"output": RESOLVER_OUTPUTS and "x"}).encode()):
        r = client.post("/_dash-update-component", data=body, content_type="application/json")
        assert r.status_code == 400 and r.get_json()["error"].startswith("bad callback request"), body


@pytest.mark.parametrize("path", ["/_dash-component-suites/dash/nope.js", "/_dash-component-suites/nope/x.js",
                                  "/_dash-component-suites/dash/../../app.py", "/_dash-component-suites/plotly/%00.js",
                                  "/_dash-component-suites/dash/deps/react@0.min.js"])
def test_unknown_script_paths_are_404(client, path):
    assert client.get(path).status_code == 404


def test_numbers_in_an_address_are_bounded(client):
    # past Python's 4,300-digit int() limit: the address is too long to serve, said as such
    assert client.get("/api/v1/points.csv?seq=" + "9" * 5000 + "k1k").status_code == 414
    r = client.get("/api/v1/points.csv?seq=" + "9" * 4000 + "k1k&targets=" + "9" * 30)
    assert r.status_code == 200 and "seq" in r.headers.get("X-Frontier-Notices", "")
