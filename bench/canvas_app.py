"""The harness `bench.canvas` serves: the explorer's graph component alone, drawing `?n=`
nodes of the curated graph (the two-hop neighbourhoods of the companies with the most
disputes, cut to the n nearest the first), and saying in the page which node a click or
double-click picked."""

from __future__ import annotations

import streamlit as st

from explorer import viz
from graph import browse
from graph import db as dbmod

CENTRES = ["google", "microsoft", "alphabet", "apple", "amazon"]


@st.cache_resource
def drawing(n: int) -> browse.Subgraph:
    with dbmod.connect(dbmod.Target.from_settings()) as db:
        merged = browse.Subgraph({}, [])
        for centre in CENTRES:
            if len(merged.nodes) >= n:
                break
            merged = merged.merge(browse.neighbourhood(db, centre, 2, limit=1000))
        return browse.subgraph(db, nearest(merged, browse.uri(CENTRES[0]), n))


def nearest(sub: browse.Subgraph, start: str, n: int) -> list[str]:
    """The n nodes nearest `start` (breadth first), so a small drawing is connected too."""
    links: dict[str, list[str]] = {}
    for a, _, b in sub.edges:
        links.setdefault(a, []).append(b)
        links.setdefault(b, []).append(a)
    order, todo = [start], [start]
    while todo and len(order) < n:
        for other in links.get(todo.pop(0), []):
            if other not in order:
                order.append(other)
                todo.append(other)
    return (order + [u for u in sub.nodes if u not in order])[:n]


st.set_page_config(page_title="graph benchmark", layout="wide")
sub = drawing(int(st.query_params.get("n", "300")))
st.markdown(f"**{len(sub.nodes)} nodes, {len(sub.edges)} relationships**")
event = viz.show(sub, key="bench", height=700)
if event:
    st.markdown(f"picked: {event['action']} {event['id']}")
