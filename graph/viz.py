"""The one adapter between techreg and the graph component (st-link-analysis, Cytoscape.js
bundled in the package, so it works offline). Pages call `show`; tests put a canned event in
`st.session_state[CANNED]`, which `show` returns instead of drawing.
"""

from __future__ import annotations

import hashlib
import warnings

import streamlit as st

from .browse import Subgraph, short

CANNED = "viz_canned_event"
PALETTE = {  # kind -> colour; the legend and the node styles both read this
    "Company": "#2563eb", "Person": "#0891b2", "Service": "#7c3aed",
    "Court": "#b91c1c", "Regulator": "#ea580c", "Prosecutor": "#9f1239",
    "GovernmentBody": "#a16207", "Legislature": "#854d0e",
    "Dispute": "#111827", "CourtCase": "#dc2626", "Appeal": "#f87171", "Fine": "#f59e0b",
    "Order": "#d97706", "Referral": "#fb923c", "Investigation": "#fdba74",
    "RegulatoryAction": "#fbbf24", "Participation": "#9ca3af", "Acquisition": "#16a34a",
    "Statute": "#4d7c0f", "LawArticle": "#65a30d", "Directive": "#15803d",
    "EURegulation": "#166534", "Treaty": "#14532d", "Country": "#0f766e",
    "SupranationalUnion": "#115e59", "Region": "#2dd4bf", "Source": "#6b7280",
    "Resource": "#d1d5db",
}


ICONS = {"Company": "business", "Person": "person", "Service": "chat", "Court": "account_balance",
         "Regulator": "assured_workload", "Prosecutor": "badge", "GovernmentBody": "flag",
         "Legislature": "group", "Dispute": "campaign", "Acquisition": "sell",
         "Country": "place", "SupranationalUnion": "language", "Region": "place",
         "Source": "description", "Fine": "request_quote"}


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
                    f"background:{PALETTE.get(k, '#d1d5db')};vertical-align:middle'></span> {k}"
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
        node_styles=[NodeStyle(k, PALETTE.get(k, "#d1d5db"), "name", ICONS.get(k))
                     for k in sorted(kinds)],
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
