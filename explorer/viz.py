"""The one adapter between techreg and the graph component (st-link-analysis, Cytoscape.js
bundled in the package, so it works offline). Pages call `show`; tests put a canned event in
`st.session_state[CANNED]`, which `show` returns instead of drawing.

Colours come from the ontology's class hierarchy: the classes under tr:Entity are numbered
in a depth-first walk (children by name), and each takes a hue by its place in that walk, so
a family (agents, events, laws, jurisdictions) shares a band of hues and every class gets
its own. Lightness cycles in three steps so neighbours in the walk still differ.
"""

from __future__ import annotations

import colorsys
import hashlib
import warnings
from functools import cache

import streamlit as st

from graph.browse import Subgraph, short
from ontology import NS, local_name, model

CANNED = "viz_canned_event"
GREY = "#9ca3af"  # classes outside tr:Entity (concepts, mentions) and plain resources

# Material icon names for st-link-analysis, keyed by ontology class; a class without its
# own icon takes its nearest ancestor's. The ontology has no icon annotation to read, and
# an icon is a presentation choice rather than a fact about the class, so this small table
# stays here (tests check that every key is an ontology class).
ICONS = {"Company": "business", "Person": "person", "Service": "chat",
         "PublicBody": "account_balance", "Regulator": "assured_workload", "Prosecutor": "badge",
         "GovernmentBody": "flag", "Legislature": "group", "Dispute": "campaign",
         "Acquisition": "sell", "Jurisdiction": "place", "SupranationalUnion": "language",
         "Source": "description", "Fine": "request_quote"}


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


def icon(kind: str) -> str | None:
    """The icon of the class or of its nearest ancestor that has one."""
    m = model()
    cls = m.classes.get(kind)
    if cls is None:
        return None
    return next((ICONS[local_name(c)] for c in m.ancestors(cls.iri) if local_name(c) in ICONS),
                None)


def elements(sub: Subgraph) -> dict:
    """Cytoscape elements: a node per entity (label = its kind), an edge per relationship."""
    nodes = [{"data": {"id": u, "label": n["kind"], "name": n["name"][:60], "record": short(u)}}
             for u, n in sub.nodes.items()]
    edges = [{"data": {"id": hashlib.sha1(f"{a} {t} {b}".encode()).hexdigest()[:12],
                       "source": a, "target": b, "label": t}} for a, t, b in sub.edges]
    return {"nodes": nodes, "edges": edges}


def legend(sub: Subgraph) -> str:
    kinds = sorted({n["kind"] for n in sub.nodes.values()})
    return " ".join(f"<span style='display:inline-block;margin:2px 8px 2px 0'>"
                    f"<span style='display:inline-block;width:12px;height:12px;border-radius:6px;"
                    f"background:{colour(k)};vertical-align:middle'></span> {k}"
                    f"</span>" for k in kinds)


def show(sub: Subgraph, key: str, height: int = 520) -> dict | None:
    """Draw the subgraph; return the last event: {'action': 'open'|'expand', 'id': uri}."""
    st.markdown(legend(sub), unsafe_allow_html=True)
    if sub.truncated:
        st.caption("⚠ truncated: only the first nodes are shown; narrow the relationship types "
                   "or use 1 hop")
    canned = st.session_state.pop(CANNED, None)
    if canned is not None:
        return canned
    from st_link_analysis import EdgeStyle, Event, NodeStyle, st_link_analysis

    kinds = {n["kind"] for n in sub.nodes.values()}
    with warnings.catch_warnings():  # the package warns about its own defaults
        warnings.simplefilter("ignore", DeprecationWarning)
        edge_styles = [EdgeStyle(t, caption="label", directed=True)
                       for t in sorted({t for _, t, _ in sub.edges})]
    event = st_link_analysis(
        elements(sub), layout="cose", height=height, key=key,
        node_styles=[NodeStyle(k, colour(k), "name", icon(k)) for k in sorted(kinds)],
        edge_styles=edge_styles,
        node_actions=["expand"], events=[Event("open", "oneclick", "node")],
    )
    return _normalise(event)


def _normalise(event) -> dict | None:
    if not event:
        return None
    data = event.get("data") or {}
    if event.get("action") == "expand" and data.get("node_ids"):
        return {"action": "expand", "id": data["node_ids"][0], "at": event.get("timestamp")}
    if event.get("action") == "open" and data.get("target_id"):
        return {"action": "open", "id": data["target_id"], "at": event.get("timestamp")}
    return None
