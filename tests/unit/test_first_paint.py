"""The page's picture (presenters/first_paint.py): a layout tree as inert static HTML."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from presenters.first_paint import CHART_ATTR, ID_ATTR, page, render


def c(namespace: str, kind: str, **props) -> dict:
    return {"namespace": namespace, "type": kind, "props": props}


def h(kind: str, **props) -> dict:
    return c("dash_html_components", kind, **props)


def dbc(kind: str, **props) -> dict:
    return c("dash_bootstrap_components", kind, **props)


def dcc(kind: str, **props) -> dict:
    return c("dash_core_components", kind, **props)


class Elements(HTMLParser):
    """Every start tag (name, attrs) and the text of a fragment."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> Elements:
    parser = Elements()
    parser.feed(fragment)
    parser.close()
    return parser


def test_html_components_keep_their_tag_classes_style_and_aria_but_never_an_id():
    out = render(h("Section", id="points", className="mb-4", style={"marginTop": 8, "zIndex": 3, "display": "none"},
                   **{"aria-label": "Table", "data-rows": 5},
                   children=[h("H2", children="Points", className="h5"), h("Button", id="b", n_clicks=0, children="Go")]))
    tags = parse(out).tags
    assert tags[0] == ("section", {"class": "mb-4", "style": "margin-top: 8px; z-index: 3; display: none",
                                   "aria-label": "Table", "data-rows": "5", ID_ATTR: "points"})
    assert tags[1] == ("h2", {"class": "h5"})
    assert tags[2] == ("button", {"type": "button", ID_ATTR: "b"})
    assert not [t for t, a in tags if "id" in a] and "n_clicks" not in out  # the live page owns the ids


def test_text_and_attributes_are_escaped_never_markup():
    hostile = '"><script>window.__x=1</script><img src=x onerror=alert(1)>'
    out = render(h("Div", title=hostile, className=hostile, children=[hostile, h("Span", children=hostile)]))
    parsed = parse(out)
    assert [t for t, _ in parsed.tags] == ["div", "span"]
    assert parsed.tags[0][1]["title"] == hostile
    assert "".join(parsed.text) == hostile * 2


def test_links_keep_safe_addresses_only():
    links = [dcc("Link", href=href, children="x") for href in
             ("/compare?seq=1k1k", "https://example.org/a", "javascript:alert(1)", " javascript:alert(1)",
              "data:text/html,<b>", "//evil.example/", "?x=1")]
    hrefs = [attrs.get("href") for tag, attrs in parse(render(links)).tags]
    assert hrefs == ["/compare?seq=1k1k", "https://example.org/a", None, None, None, None, "?x=1"]


def test_what_is_never_seen_renders_nothing():
    hidden = [dcc("Store", id="s", data={"a": "<b>"}), dcc("Location", id="u"), dcc("Download", id="d"),
              dbc("Toast", id="t", is_open=True, children="Something went wrong"),
              dbc("Alert", is_open=False, children="closed notice")]
    assert render(hidden) == ""
    alert = parse(render(dbc("Alert", is_open=True, color="warning", dismissable=True, className="py-2",
                             children="Some link parameters were ignored")))
    assert alert.tags == [("div", {"class": "py-2 alert alert-warning alert-dismissible"})]
    assert alert.text == ["Some link parameters were ignored"]


def test_checklists_and_radio_items_check_the_chosen_options():
    out = parse(render(dbc("Checklist", options=[{"label": "FP4", "value": "fp4"}, {"label": "FP8", "value": "fp8",
                                                                                      "disabled": True}],
                           value=["fp8"], inline=True, switch=True, inputClassName="btn-check",
                           labelClassName="btn", labelCheckedClassName="active")))
    inputs = [a for t, a in out.tags if t == "input"]
    labels = [a["class"] for t, a in out.tags if t == "label"]
    assert ["checked" in a for a in inputs] == [False, True] and ["disabled" in a for a in inputs] == [False, True]
    assert all(a["type"] == "checkbox" and a["class"] == "form-check-input btn-check" for a in inputs)
    assert labels == ["form-check-label btn", "form-check-label btn active"]
    assert [a.get("class") for t, a in out.tags if t == "div"][1:] == ["form-check form-check-inline form-switch"] * 2
    radios = parse(render(dbc("RadioItems", options=["1k1k", "8k1k"], value="8k1k")))
    assert [("checked" in a, a["type"]) for t, a in radios.tags if t == "input"] == [(False, "radio"), (True, "radio")]
    assert radios.text == ["1k1k", "8k1k"]


def test_dropdowns_show_the_chosen_labels_or_the_placeholder():
    options = [{"label": "B200 (NVIDIA)", "value": "b200"}, {"label": "H200 (NVIDIA)", "value": "h200"}]
    single = parse(render(dcc("Dropdown", id="m", options=options, value="h200")))
    assert "H200 (NVIDIA)" in single.text and "B200 (NVIDIA)" not in single.text
    multi = parse(render(dcc("Dropdown", options=options, value=["b200", "h200"], multi=True)))
    assert multi.text == ["B200 (NVIDIA)", "H200 (NVIDIA)", "2 selected"]
    empty = parse(render(dcc("Dropdown", options=options, value=[], multi=True, placeholder="All GPUs")))
    assert empty.text == ["All GPUs"]
    assert ("span", {"class": "dash-dropdown-value dash-dropdown-placeholder"}) in empty.tags


def test_a_graph_is_a_box_named_for_its_chart_and_layout_classes_follow_bootstrap():
    out = parse(render(dbc("Row", className="g-2", children=[
        dbc("Col", xs=12, md=4, className="mb-2", children=dcc("Graph", id="main-chart", className="main-chart",
                                                              figure={"data": [{"x": [1]}]}))])))
    classes = [a.get("class") for _, a in out.tags]
    assert classes[:3] == ["g-2 row", "mb-2 col-12 col-md-4", "dash-graph main-chart"]
    assert [a[CHART_ATTR] for _, a in out.tags if CHART_ATTR in a] == ["main-chart"]
    assert out.text == []  # the figure is drawn by assets/first_paint.js, not written out


def test_unknown_components_are_their_children():
    assert parse(render(c("some_library", "Fancy", children=[h("P", children="kept")]))).tags == [("p", {})]
    assert render(c("dash_html_components", "Not A Tag", children="x")) == "x"


def test_the_picture_is_inert_and_hidden_from_assistive_technology():
    tags = parse(page(h("H1", children="Inference Performance"))).tags
    assert tags[0] == ("div", {"class": "first-paint", "aria-hidden": "true", "inert": None})


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
TREES = st.recursive(
    TEXT,
    lambda children: st.builds(lambda kind, title, kids: h(kind, title=title, children=kids),
                               st.sampled_from(["Div", "Span", "P", "Strong"]), TEXT, st.lists(children, max_size=3)),
    max_leaves=12)


def texts_of(tree) -> list[str]:
    if isinstance(tree, str):
        return [tree]
    return [t for child in tree["props"]["children"] for t in texts_of(child)]


@settings(max_examples=150, deadline=None)
@given(TREES)
def test_any_text_comes_out_as_the_same_text_in_the_same_elements(tree):
    out = parse(render(tree))
    assert "".join(out.text) == "".join(texts_of(tree))
    assert {tag for tag, _ in out.tags} <= {"div", "span", "p", "strong"}
