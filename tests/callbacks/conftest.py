"""Fixtures for callback tests without a browser: one app on the bundled data, its index,
and helpers to read Dash component trees and to dispatch callbacks through Flask."""

from __future__ import annotations

import pytest

from tests.conftest import make_app


@pytest.fixture(scope="session")
def app():
    return make_app()


@pytest.fixture(scope="session")
def index(app):
    return app.server.config["FRONTIER_CONTEXT"].index


@pytest.fixture
def client(app):
    return app.server.test_client()


def texts(component) -> list[str]:
    """Every string in a Dash component tree, in document order."""
    out: list[str] = []

    def walk(node):
        if node is None:
            return
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, (int, float)):
            out.append(str(node))
        elif isinstance(node, (list, tuple)):
            for child in node:
                walk(child)
        elif isinstance(node, dict):  # JSON form of a component
            walk(node.get("props", {}).get("children"))
        else:
            walk(getattr(node, "children", None))

    walk(component)
    return out


def text_of(component) -> str:
    return " ".join(texts(component))


def find(component, id_):
    """The component with ``id_`` in a tree (component objects), or None."""
    if component is None or isinstance(component, (str, int, float)):
        return None
    if isinstance(component, (list, tuple)):
        for child in component:
            hit = find(child, id_)
            if hit is not None:
                return hit
        return None
    if getattr(component, "id", None) == id_:
        return component
    return find(getattr(component, "children", None), id_)


def collect(component, prop: str) -> list:
    """Values of ``prop`` on every component in a tree that sets it (e.g. every link's href)."""
    out: list = []

    def walk(node):
        if node is None or isinstance(node, (str, int, float)):
            return
        if isinstance(node, (list, tuple)):
            for child in node:
                walk(child)
            return
        value = getattr(node, prop, None)
        if value is not None:
            out.append(value)
        walk(getattr(node, "children", None))

    walk(component)
    return out
