"""The one adapter between techreg and the graph component: Neo4j's own neo4j-viz (NVL),
whose JavaScript ships inside the package (nothing is fetched at run time). Every node has a
caption (its name, shortened; the full name is among its properties on hover) and every
relationship a label, at the default zoom; nodes are sized by their degree in the drawing;
a legend names the classes. A click opens a node's page, a double-click expands it. Pages
call `show`; tests put a canned event in `st.session_state[CANNED]`, which `show` returns
instead of drawing, and read what would be drawn from `payload`.

Colours come from the ontology's class hierarchy: the classes under tr:Entity are numbered
in a depth-first walk (children by name), and each takes a hue by its place in that walk, so
a family (agents, events, laws, jurisdictions) shares a band of hues and every class gets
its own. Lightness cycles in three steps so neighbours in the walk still differ.
"""

from __future__ import annotations

import colorsys
import hashlib
import math
import time
from collections import Counter
from functools import cache
from pathlib import Path

import streamlit as st

from graph.browse import Subgraph, short
from ontology import NS, local_name, model

CANNED = "viz_canned_event"
GREY = "#9ca3af"  # classes outside tr:Entity (concepts, mentions) and plain resources

def _children() -> dict[str, list[str]]:
    """Each ontology class's subclasses within the ontology, by name; a class with several
    parents in the ontology hangs under the first by name, so the walk is a tree."""
    m = model()
    tree: dict[str, list[str]] = {}
    for name, cls in m.classes.items():
        parents = sorted(local_name(p) for p in cls.parents if m.is_own(p) and p != cls.iri)
        if parents:
            tree.setdefault(parents[0], []).append(name)
    return {k: sorted(v) for k, v in tree.items()}


@cache
def palette() -> dict[str, str]:
    """Class name -> colour, for every class under tr:Entity (derived, see the module)."""
    tree = _children()
    order: list[str] = []
    todo = list(reversed(tree.get(local_name(NS.Entity), [])))
    while todo:  # depth first, children in name order
        name = todo.pop()
        order.append(name)
        todo.extend(reversed(tree.get(name, [])))
    result = {}
    for i, name in enumerate(order):
        hue = 330 / 360 * i / max(len(order) - 1, 1)
        r, g, b = colorsys.hls_to_rgb(hue, (0.36, 0.46, 0.56)[i % 3], 0.68)
        result[name] = f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
    return result


def colour(kind: str) -> str:
    return palette().get(kind, GREY)


CAPTION = 28  # characters of a node's caption before it is cut


def caption(name: str, limit: int = CAPTION) -> str:
    """The name, or its first words up to `limit` characters and an ellipsis."""
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    words = cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut
    return words.rstrip(" ,;:-(") + "…"


def payload(sub: Subgraph) -> tuple[list[dict], list[dict]]:
    """What the component draws, as plain dicts: nodes with caption, colour, size and the full
    name, kind and record id as properties; relationships with their ontology label."""
    from .widgets import class_label, relationship_label

    degree = Counter(u for a, _, b in sub.edges for u in (a, b))
    nodes = [{"id": u, "caption": caption(n["name"]), "color": colour(n["kind"]),
              "size": round(22 + 5 * math.sqrt(degree[u]), 1),  # big enough to caption
              "properties": {"name": n["name"], "kind": class_label(n["kind"]),
                             "record": short(u)}}
             for u, n in sub.nodes.items()]
    rels = [{"id": hashlib.sha1(f"{a} {t} {b}".encode()).hexdigest()[:12], "source": a,
             "target": b, "caption": relationship_label(t), "properties": {"type": t}}
            for a, t, b in sub.edges if a in sub.nodes and b in sub.nodes]
    return nodes, rels


def legend(sub: Subgraph) -> dict[str, str]:
    """Class label -> colour, for the classes drawn."""
    from .widgets import class_label

    return {class_label(k): colour(k) for k in sorted({n["kind"] for n in sub.nodes.values()})}


def show(sub: Subgraph, key: str, height: int = 520) -> dict | None:
    """Draw the subgraph; return the last event: {'action': 'open'|'expand', 'id': uri, 'at'}."""
    if sub.truncated:
        st.caption("⚠ truncated: only the first nodes are shown; narrow the relationship types "
                   "or use 1 hop")
    canned = st.session_state.pop(CANNED, None)
    if canned is not None:
        return canned
    from neo4j_viz import Node, Relationship, VisualizationGraph
    from neo4j_viz import streamlit as component

    component._component_renderer = _component  # its script as a file (see `_component`)
    nodes, rels = payload(sub)
    graph = VisualizationGraph([Node(**n) for n in nodes], [Relationship(**r) for r in rels])
    widget = graph.render_widget(height=f"{height}px", show_layout_button=False,
                                 max_allowed_nodes=1000)
    widget.set_legend(nodes=legend(sub), visible=True)
    component.display_widget(widget, key=key)
    return _event(widget.last_event, key)


COMPONENT = "techreg.graph"  # neo4j-viz's component, with its files served by Streamlit


def _component():
    """neo4j-viz's Streamlit component, its script and style served as files.

    neo4j-viz hands Streamlit its 5 MB script inline, so each new page view sent the script
    through the websocket, and the browser hashed it and compiled it afresh from a blob.
    Declared here with its package's resources folder as the component's assets, the script
    goes by URL: the browser fetches it over HTTP and each view sends only the graph."""
    from importlib.resources import files

    from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
    from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest

    manager = get_bidi_component_manager()  # one per Streamlit runtime
    if manager.get_component_path(COMPONENT) is None:
        package, name = COMPONENT.split(".")
        manager.register_from_manifest(
            ComponentManifest(name=package, version="1", components=[
                ComponentConfig(name=name, asset_dir=".")]),
            Path(str(files("neo4j_viz") / "resources")))
    return _declared()


@cache
def _declared():
    from streamlit.components.v2 import component

    return component(COMPONENT, js="streamlit_v2/graph.js", css="nvl_entrypoint/style.css")


DOUBLE_CLICK = 0.4  # seconds a click waits for the second click of a double-click


def _event(last, key: str) -> dict | None:
    """The component's last event as an action, numbered so a page acts on each once. A click
    waits briefly: if a double-click follows, Streamlit stops this run for the next one."""
    seen = st.session_state.setdefault(f"{key}:seen", {"event": None, "n": 0})
    if last is None:
        seen["event"] = None
        return None
    signature = (last.type, last.id)
    if signature != seen["event"]:
        seen["event"] = signature
        seen["n"] += 1
        if last.type == "node_click":
            time.sleep(DOUBLE_CLICK)
            st.empty()  # a Streamlit call: a rerun asked for meanwhile stops this run here
    action = {"node_click": "open", "node_double_click": "expand"}.get(last.type)
    if action is None:
        return None
    return {"action": action, "id": last.id, "at": f"{key}:{seen['n']}"}
