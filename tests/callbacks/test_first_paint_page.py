"""The HTML of an address carries its picture (presenters/first_paint.py) before Dash's entry
point, the scripts that draw it first, and the reader's theme set before anything is painted."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from components import ids


class Page(HTMLParser):
    """The picture's elements and text, and the page's script tags in order."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside the picture while > 0
        self.picture_tags: list[tuple[str, dict]] = []
        self.picture_text: list[str] = []
        self.scripts: list[dict] = []
        self.entry_after_picture = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if self.depth:
            self.picture_tags.append((tag, attrs))
            if tag not in ("input", "br", "hr", "img", "wbr"):
                self.depth += 1
        elif attrs.get("class") == "first-paint":
            self.depth = 1
        elif attrs.get("id") == ids.DASH_ENTRY and self.picture_tags:
            self.entry_after_picture = True

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.picture_text.append(data)


def page_of(client, address: str) -> tuple[Page, str]:
    html = client.get(address).get_data(as_text=True)
    parsed = Page()
    parsed.feed(html)
    return parsed, html


def test_the_picture_shows_the_addresss_view_before_dashs_entry_point(client):
    page, _ = page_of(client, "/?model=dsr1&seq=8k1k&precision=fp8&gpus=b200,h200")
    text = " ".join(t.strip() for t in page.picture_text if t.strip())
    assert page.entry_after_picture
    assert "Inference Performance" in text and "B200 (NVIDIA) H200 (NVIDIA) 2 selected" in text
    checked = [a.get("value") for t, a in page.picture_tags if t == "input" and "checked" in a]
    assert "8k1k" in checked and "fp8" in checked and "fp4" not in checked
    labels = [a["class"] for t, a in page.picture_tags if t == "label" and "active" in a.get("class", "")]
    assert labels and all("btn" in c for c in labels)  # the chosen sequence, drawn as chosen
    assert not [a for _, a in page.picture_tags if "id" in a]  # the live page owns every id
    assert [a.get("data-first-paint-chart") for _, a in page.picture_tags if "data-first-paint-chart" in a] == [ids.CHART]


def test_a_hostile_address_is_only_text_in_the_picture(client):
    page, html = page_of(client, "/?model=dsr1&seq=1k1k&gpus=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert {t for t, _ in page.picture_tags} <= {"div", "span", "nav", "a", "main", "h1", "h2", "h3", "p", "section",
                                                 "label", "input", "button", "svg", "path", "details", "summary",
                                                 "table", "thead", "tbody", "tr", "th", "td", "small", "strong",
                                                 "ul", "li", "dl", "dt", "dd", "code", "hr", "br", "footer", "select",
                                                 "option"}
    assert "<img" not in html.split('class="first-paint"', 1)[1].split(f'id="{ids.DASH_ENTRY}"', 1)[0]
    assert any("<img src=x onerror=alert(1)>" in t for t in page.picture_text)  # named, as text, in the notice


def test_the_pictures_scripts_come_first_and_first_asked_for(client):
    page, _ = page_of(client, "/")
    sources = [s["src"] for s in page.scripts if "src" in s]
    first = sources[:4]
    assert ["/assets/vendor/plotly-" in first[0], "/assets/app.js" in first[1], "/assets/points_table.js" in first[2],
            "/assets/first_paint.js" in first[3]] == [True] * 4
    assert all(s.get("fetchpriority") == "high" for s in page.scripts if s.get("src") in first)
    assert sources.index(first[3]) < min(i for i, s in enumerate(sources) if "react" in s)


def test_the_stored_theme_is_set_before_anything_is_painted(client):
    response = client.get("/")
    head = response.get_data(as_text=True).split("</head>", 1)[0]
    script = re.search(r'<script nonce="([^"]+)">(try \{.*?)</script>', head)
    assert script, "no theme script in the head"
    assert json.dumps(ids.THEME) in script.group(2) and "data-bs-theme" in script.group(2)
    assert f"'nonce-{script.group(1)}'" in response.headers["Content-Security-Policy"]  # allowed to run


def test_the_other_scripts_are_held_until_the_pictures_chart_is_drawn(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    held = re.search(rf'<template id="{ids.HELD_SCRIPTS}">(.*?)</template>', html, re.S)
    assert held, "no held scripts"
    held_sources = re.findall(r'<script src="([^"]+)"></script>', held.group(1))
    assert any("react-dom@" in s for s in held_sources) and any("dash_renderer" in s for s in held_sources)
    assert not [s for s in held_sources if "plotly" in s or "first_paint" in s]
    outside = re.sub(r"<template.*?</template>", "", html, flags=re.S)
    assert "react-dom@" not in outside  # so the browser neither fetches nor compiles it early
    renderer = re.search(r'<script nonce="([^"]+)" id="_dash-renderer"[^>]*>(.*?)</script>', html, re.S)
    assert renderer and f"'nonce-{renderer.group(1)}'" in response.headers["Content-Security-Policy"]
    code = renderer.group(2)
    assert code.index(ids.HELD_SCRIPTS) < code.index("new DashRenderer") and "async = false" in code


def test_scripts_are_held_back_only_in_the_form_the_loader_was_written_for():
    from app import held_then_dash, split_scripts

    plain = ('<script src="/assets/vendor/plotly-basic.js"></script><script src="/assets/app.js"></script>'
             '<script src="/_dash-component-suites/dash/deps/react@18.js"></script>')
    first, later = split_scripts(plain)
    assert "plotly-basic" in first and 'fetchpriority="high"' in first and later.count("<script") == 1
    odd = plain + '<script src="https://example.org/x.js" integrity="sha384-x"></script>'
    assert split_scripts(odd) == ("", odd)  # a tag the loader would not copy faithfully: nothing held
    dash_own = '<script id="_dash-renderer" type="application/javascript">var renderer = new DashRenderer();</script>'
    loader = held_then_dash(dash_own, "n0nce")
    assert loader.startswith('<script nonce="n0nce" id="_dash-renderer"') and "new DashRenderer();" in loader
    assert held_then_dash('<script id="_dash-renderer" src="x.js"></script>', "n0nce") is None


def test_the_picture_drawn_from_the_components_is_the_one_their_json_gives(app):
    from presenters.first_paint import page as picture_of

    for pathname, search in [("/", "?model=dsr1&seq=8k1k&precision=fp4,fp8&gpus=b200,h200"),
                             ("/compare/dsr1-h200-vs-b200", "?seq=1k1k&precision=fp8"),
                             ("/calculator", "?model=dsr1&seq=1k1k&precision=fp8&target=35&users=1000"),
                             ("/history", "?model=dsr1&seq=1k1k&precision=fp8&target=40&gpus=b200"),
                             ("/methodology", "")]:
        with app.server.test_request_context(pathname + search):
            layout, picture = app.first_view(pathname, search)
        assert picture == picture_of(json.loads(layout)), pathname
