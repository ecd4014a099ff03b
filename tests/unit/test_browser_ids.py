"""The browser code speaks the Python ids: assets/*.js reads every element id through
window.FRONTIER_IDS (components/ids.py ``BROWSER``) and hard-codes none, so renaming an id in
components/ids.py cannot silently break the page. assets/style.css may name ids, but only ones
that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

from components import ids

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "assets"
JS_FILES = sorted(ASSETS.glob("*.js"))  # ours; assets/vendor holds third-party bundles
ID_VALUES = {value: name for name, value in vars(ids).items() if name.isupper() and isinstance(value, str)}


def split_js(source: str) -> tuple[str, list[str]]:
    """(the code with comments and string literals blanked, the string literals' contents).
    Enough of a tokenizer for our files: regular-expression literals in them hold no quote
    and no comment opener."""
    code, strings, i, n = [], [], 0, len(source)
    while i < n:
        if source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
        elif source[i] in "\"'`":
            quote, j, text = source[i], i + 1, []
            while source[j] != quote:
                step = 2 if source[j] == "\\" else 1
                text.append(source[j:j + step])
                j += step
            strings.append("".join(text))
            code.append('""')
            i = j + 1
        else:
            code.append(source[i])
            i += 1
    return "".join(code), strings


def hard_coded_ids(literal: str) -> set[str]:
    """Ids of components/ids.py a JS string literal names: the whole literal, a #id selector or
    an [id=...] attribute selector."""
    found = {literal} & ID_VALUES.keys()
    found |= {m for m in re.findall(r"#([A-Za-z][\w-]*)", literal) if m in ID_VALUES}
    found |= {m for m in re.findall(r"""\bid\s*[~|^$*]?=\s*["']?([A-Za-z][\w-]*)""", literal) if m in ID_VALUES}
    return found


def test_the_tokenizer_sees_the_literals_and_skips_comments():
    # guards the tests below against passing because the scanner found nothing
    code, strings = split_js('var a = "x-y"; // "in-a-comment"\n/* \'b\' */ f(\'c\\\'d\', `e`); g(IDS.CHART);')
    assert strings == ["x-y", "c\\'d", "e"]
    assert "in-a-comment" not in code and "IDS.CHART" in code
    app_code, app_strings = split_js((ASSETS / "app.js").read_text(encoding="utf-8"))
    assert {"legend-item", "plotly_afterplot", "data-bs-theme"} <= set(app_strings)
    assert "IDS.CHART" in app_code


def test_hard_coded_id_detection_catches_each_form():
    assert hard_coded_ids("main-chart") == {"main-chart"}
    assert hard_coded_ids("#chart-legend .legend-item.off") == {"chart-legend"}
    assert hard_coded_ids("[id='points-table'] tbody") == {"points-table"}
    assert hard_coded_ids("#ffffff") == set() and hard_coded_ids("legend-item") == set()


def test_no_js_file_hard_codes_an_id_from_components_ids():
    assert JS_FILES, "no assets/*.js found"
    offenders = {}
    for path in JS_FILES:
        _code, strings = split_js(path.read_text(encoding="utf-8"))
        found = set().union(*(hard_coded_ids(s) for s in strings)) if strings else set()
        if found:
            offenders[path.name] = sorted(f"{value} (ids.{ID_VALUES[value]})" for value in found)
    assert offenders == {}, f"read these through window.FRONTIER_IDS (add the name to ids.BROWSER): {offenders}"


def ids_read_by(path: Path) -> set[str]:
    code, _strings = split_js(path.read_text(encoding="utf-8"))
    assert not re.search(r"\bIDS\s*\[", code), f"{path.name}: read ids by name (IDS.CHART), so this test can check them"
    names = set(re.findall(r"\b(?:FRONTIER_IDS|IDS)\.([A-Za-z_]\w*)", code))
    if re.search(r"\bIDS\.", code):
        # IDS must be the page's FRONTIER_IDS, not some other object
        assert re.search(r"\bvar IDS = window\.FRONTIER_IDS;", code), path.name
    return names


def test_every_id_the_js_reads_is_in_components_ids_and_sent_to_the_page():
    used = set().union(*(ids_read_by(p) for p in JS_FILES))
    assert {"CHART", "CHART_LEGEND", "POINTS_TABLE"} <= used  # the reads this test exists for
    sent = json.loads(ids.browser_ids())
    assert used - sent.keys() == set(), "the JS reads names the page does not carry (add them to ids.BROWSER)"
    assert sent.keys() - used == set(), "ids.BROWSER sends names no JS file reads"
    for name, value in sent.items():
        assert getattr(ids, name) == value
        # used unescaped in "#" + id selectors, and a safe part of the inline script
        assert re.fullmatch(r"[A-Za-z][\w-]*", value), value


def test_browser_ids_is_safe_inside_a_script_element():
    assert "</" not in ids.browser_ids()
    assert json.loads(ids.browser_ids())["CHART"] == ids.CHART


def test_style_css_names_only_ids_that_exist():
    css = re.sub(r"/\*.*?\*/", "", (ASSETS / "style.css").read_text(encoding="utf-8"), flags=re.S)
    selectors = re.findall(r"([^{}]+)\{", css)  # what precedes each block: selectors (and @media preludes)
    named = {m for s in selectors for m in re.findall(r"#([A-Za-z][\w-]*)", s)}
    assert named, "no id selector found: the check would be empty (drop this test if style.css names none)"
    assert named <= ID_VALUES.keys(), f"style.css names ids components/ids.py does not have: {sorted(named - ID_VALUES.keys())}"
