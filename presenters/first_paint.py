"""A page's first paint: its layout (what Dash's renderer reads) as static HTML.

The HTML for an address carries this picture of the page beside the layout itself, so the
browser paints the page, and assets/first_paint.js draws its charts, before Dash's renderer
and React have started; the live page replaces the picture once its own charts are drawn.
The picture has the same elements and Bootstrap / Dash classes as the live page, so it lays
out the same, but it is inert (its container's ``inert``: nothing in it is focusable or
clickable), has no ids (the live page owns them), and every text and attribute is escaped
(nothing from the layout is ever markup).

``render(layout)`` takes the layout as Dash components or as their plain JSON tree ({"type",
"namespace", "props"}); components it does not know are drawn as their children. No Dash import."""

from __future__ import annotations

import html
import re
from typing import Any, Callable

# the chart a picture's chart box stands for: assets/first_paint.js draws it from the layout
CHART_ATTR = "data-first-paint-chart"
# the id of the live element an element of the picture stands for (ids are the live page's own):
# where assets/first_paint.js writes a text the live page's scripts give that element
ID_ATTR = "data-first-paint-id"

# React's style names are camelCase and take numbers as pixels, except these
_UNITLESS = {"opacity", "zIndex", "flex", "flexGrow", "flexShrink", "fontWeight", "lineHeight", "order", "zoom"}
_SAFE_HREF = re.compile(r"^(?:/(?!/)|\?|#|https?://|mailto:)", re.IGNORECASE)
# html.* attributes worth keeping in a picture (ids, handlers and form state are not)
_HTML_ATTRS = {"className": "class", "title": "title", "role": "role", "scope": "scope", "colSpan": "colspan",
               "rowSpan": "rowspan", "hidden": "hidden", "disabled": "disabled", "open": "open", "type": "type",
               "href": "href", "target": "target", "rel": "rel", "alt": "alt", "width": "width", "height": "height"}
_VOID = {"br", "hr", "img", "input", "wbr"}
_TAG = re.compile(r"^[a-z][a-z0-9]*$")
# the chevron Dash's dropdown draws (its own path, so the box is as tall and wide as the live one)
_CHEVRON = ('<svg width="15" height="15" viewBox="0 0 15 15" fill="none" xmlns="http://www.w3.org/2000/svg" '
            'class="dash-dropdown-trigger-icon"><path d="M4.18 6.18a.45.45 0 0 1 .64 0L7.5 8.86l2.68-2.68a.45.45 0 1 '
            '1 .64.64l-3 3a.45.45 0 0 1-.64 0l-3-3a.45.45 0 0 1 0-.64Z" fill="currentColor"/></svg>')


def render(node: Any) -> str:
    """The static HTML of a layout tree (text escaped; unknown components as their children)."""
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, (str, int, float)):
        return html.escape(str(node), quote=False)
    if isinstance(node, (list, tuple)):
        return "".join(render(child) for child in node)
    if hasattr(node, "to_plotly_json"):  # a Dash component: the same {type, namespace, props} as its JSON
        node = node.to_plotly_json()
    if not isinstance(node, dict) or "type" not in node:
        return ""
    props = node.get("props") or {}
    namespace, kind = node.get("namespace"), node.get("type")
    draw = _COMPONENTS.get((namespace, kind))
    if draw is not None:
        return draw(props)
    if namespace == "dash_html_components" and isinstance(kind, str) and _TAG.match(kind.lower()):
        return _html_element(kind.lower(), props)
    return render(props.get("children"))


def _attrs(pairs: dict) -> str:
    out = []
    for name, value in pairs.items():
        if value is None or value is False or value == "":
            continue
        if name == "href" and not _SAFE_HREF.match(str(value)):
            continue  # never a javascript: or data: link, whatever the layout says
        out.append(f" {name}" if value is True else f' {name}="{html.escape(str(value), quote=True)}"')
    return "".join(out)


def _classes(*parts) -> str:
    return " ".join(p for p in parts if p)


def _style(style) -> str | None:
    if not isinstance(style, dict):
        return None
    out = []
    for name, value in style.items():
        if not isinstance(name, str) or not re.match(r"^[A-Za-z-]+$", name) or isinstance(value, (dict, list, bool)):
            continue
        css = re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), name)
        if isinstance(value, (int, float)) and name not in _UNITLESS:
            value = f"{value}px"
        out.append(f"{css}: {value}")
    return "; ".join(out) or None


def _element(tag: str, attrs: dict, inner: str = "") -> str:
    if tag in _VOID:
        return f"<{tag}{_attrs(attrs)}>"
    return f"<{tag}{_attrs(attrs)}>{inner}</{tag}>"


def _named(props: dict) -> str | None:
    return props.get("id") if isinstance(props.get("id"), str) else None


def _html_element(tag: str, props: dict) -> str:
    attrs = {html_name: props.get(name) for name, html_name in _HTML_ATTRS.items()}
    attrs["style"] = _style(props.get("style"))
    attrs[ID_ATTR] = _named(props)
    for name, value in props.items():  # aria-* and data-* as given (text only)
        if (name.startswith("aria-") or name.startswith("data-")) and re.match(r"^[a-z-]+$", name) \
                and isinstance(value, (str, int, float)):
            attrs[name] = value
    if tag == "button":
        attrs["type"] = "button"
    return _element(tag, attrs, render(props.get("children")))


def _div(classes: str, props: dict, inner: str | None = None, tag: str = "div") -> str:
    return _element(tag, {"class": classes, "style": _style(props.get("style")), ID_ATTR: _named(props)},
                    render(props.get("children")) if inner is None else inner)


def _options(options) -> list[dict]:
    """Dash's option forms: ["a", ...], {"a": "A"} or [{"label", "value"}, ...]."""
    if isinstance(options, dict):
        return [{"label": label, "value": value} for value, label in options.items()]
    out = []
    for option in options or []:
        out.append(option if isinstance(option, dict) else {"label": option, "value": option})
    return out


def _choices(props: dict, kind: str) -> str:
    """dbc.Checklist / dbc.RadioItems: one form-check per option, the chosen ones checked."""
    value = props.get("value")
    chosen = set(map(str, value)) if isinstance(value, list) else {str(value)}
    inner = []
    for option in _options(props.get("options")):
        checked = str(option.get("value")) in chosen
        option_value = option.get("value") if isinstance(option.get("value"), (str, int, float)) else None
        box = _classes("form-check", "form-check-inline" if props.get("inline") else "",
                       "form-switch" if props.get("switch") else "")
        control = _element("input", {"class": _classes("form-check-input", props.get("inputClassName")),
                                     "type": kind, "value": option_value, "checked": checked,
                                     "disabled": bool(option.get("disabled"))})
        label = _element("label", {"class": _classes("form-check-label", props.get("labelClassName"),
                                                     props.get("labelCheckedClassName") if checked else "")},
                         render(option.get("label")))
        inner.append(_element("div", {"class": box}, control + label))
    return _div(props.get("className") or "", props, "".join(inner))


def _dropdown(props: dict) -> str:
    options = {str(o.get("value")): o.get("label") for o in _options(props.get("options"))}
    value = props.get("value")
    values = value if isinstance(value, list) else ([] if value is None else [value])
    shown = [options.get(str(v), v) for v in values]
    if shown:
        inner = "".join(f'<span class="dash-dropdown-value-item"><span>{render(label)}</span></span>' for label in shown)
        value_html = f'<span class="dash-dropdown-value">{inner}</span>'
        if props.get("multi"):
            value_html += f'<span class="dash-dropdown-value-count">{len(shown)} selected</span>'
    else:
        value_html = f'<span class="dash-dropdown-value dash-dropdown-placeholder">{render(props.get("placeholder"))}</span>'
    button = (f'<button type="button" class="dash-dropdown"{_attrs({"disabled": bool(props.get("disabled"))})}>'
              f'<span class="dash-dropdown-grid-container dash-dropdown-trigger">{value_html}{_CHEVRON}</span></button>')
    return _element("div", {"class": _classes("dash-dropdown-wrapper", props.get("className")),
                            "style": _style(props.get("style"))}, button)


def _graph(props: dict) -> str:
    chart = _element("div", {"class": "js-plotly-plot first-paint-plot", "style": "height: 100%; width: 100%;",
                             CHART_ATTR: _named(props)})
    return _element("div", {"class": _classes("dash-graph", props.get("className")),
                            "style": _style(props.get("style")) or "height: 100%;"}, "<div></div>" + chart)


def _button(props: dict) -> str:
    color = props.get("color") or "primary"
    variant = f"btn-outline-{color}" if props.get("outline") else f"btn-{color}"
    size = {"sm": "btn-sm", "lg": "btn-lg"}.get(props.get("size"), "")
    attrs = {"class": _classes(props.get("className"), "btn", variant, size), "type": "button",
             "disabled": bool(props.get("disabled")), "style": _style(props.get("style")), ID_ATTR: _named(props)}
    return _element("button", attrs, render(props.get("children")))


def _input(props: dict) -> str:
    size = {"sm": "form-control-sm", "lg": "form-control-lg"}.get(props.get("size"), "")
    value = props.get("value")
    return _element("input", {"class": _classes(props.get("className"), size, "form-control"),
                              "type": props.get("type") or "text", "placeholder": props.get("placeholder"),
                              "value": value if isinstance(value, (str, int, float)) else None})


def _col(props: dict) -> str:
    sizes = []
    for name, prefix in (("xs", "col"), ("sm", "col-sm"), ("md", "col-md"), ("lg", "col-lg"), ("xl", "col-xl")):
        size = props.get(name)
        if isinstance(size, dict):
            size = size.get("size")
        if size is True:
            sizes.append(prefix)
        elif isinstance(size, (int, str)) and size:
            sizes.append(f"{prefix}-{size}")
    return _div(_classes(props.get("className"), *sizes) or "col", props)


def _navbar(props: dict) -> str:
    colour = props.get("color")
    classes = _classes(props.get("className"), "navbar", "navbar-expand-md",
                       "navbar-dark" if props.get("dark") else "navbar-light", f"bg-{colour}" if colour else "")
    return _div(classes, props, tag="nav")


def _alert(props: dict) -> str:
    if props.get("is_open") is False:
        return ""
    classes = _classes(props.get("className"), "alert", f"alert-{props.get('color') or 'secondary'}",
                       "alert-dismissible" if props.get("dismissable") else "")
    return _div(classes, props)


def _switch(props: dict) -> str:
    control = _element("input", {"class": "form-check-input", "type": "checkbox", "checked": bool(props.get("value"))})
    label = _element("label", {"class": "form-check-label form-label"}, render(props.get("label")))
    return _element("div", {"class": _classes("form-check", "form-switch", props.get("className"))}, control + label)


def _link(props: dict) -> str:
    return _element("a", {"class": props.get("className"), "href": props.get("href"), "title": props.get("title")},
                    render(props.get("children")))


def _nothing(_props: dict) -> str:
    return ""


_DBC, _DCC = "dash_bootstrap_components", "dash_core_components"
_COMPONENTS: dict[tuple[str, str], Callable[[dict], str]] = {
    (_DBC, "Navbar"): _navbar,
    (_DBC, "Container"): lambda p: _div(_classes(p.get("className"), "container-fluid" if p.get("fluid") else "container"), p),
    (_DBC, "Nav"): lambda p: _div(_classes(p.get("className"), "navbar-nav" if p.get("navbar") else "nav"), p),
    (_DBC, "NavItem"): lambda p: _div("nav-item", p),
    (_DBC, "Row"): lambda p: _div(_classes(p.get("className"), "row"), p),
    (_DBC, "Col"): _col,
    (_DBC, "Card"): lambda p: _div(_classes(p.get("className"), "card"), p),
    (_DBC, "CardBody"): lambda p: _div(_classes(p.get("className"), "card-body"), p),
    (_DBC, "Button"): _button,
    (_DBC, "Label"): lambda p: _div(_classes(p.get("className"), "form-label"), p, tag="label"),
    (_DBC, "Input"): _input,
    (_DBC, "InputGroup"): lambda p: _div(_classes(p.get("className"), "input-group",
                                                  {"sm": "input-group-sm", "lg": "input-group-lg"}.get(p.get("size"), "")), p),
    (_DBC, "Checklist"): lambda p: _choices(p, "checkbox"),
    (_DBC, "RadioItems"): lambda p: _choices(p, "radio"),
    (_DBC, "Switch"): _switch,
    (_DBC, "Alert"): _alert,
    (_DBC, "Badge"): lambda p: _div(_classes(p.get("className"), "badge", f"text-bg-{p.get('color') or 'primary'}"), p,
                                    tag="span"),
    (_DBC, "Toast"): _nothing,  # shown only over the live page
    (_DCC, "Dropdown"): _dropdown,
    (_DCC, "Graph"): _graph,
    (_DCC, "Link"): _link,
    (_DCC, "Store"): _nothing,
    (_DCC, "Location"): _nothing,
    (_DCC, "Download"): _nothing,
    ("dash_html_components", "A"): _link,
}


def page(layout: Any) -> str:
    """The picture of a page, ready to stand before Dash's entry point (app.py)."""
    return f'<div class="first-paint" aria-hidden="true" inert>{render(layout)}</div>'
