"""Paths between two entities, centrality, communities and similar disputes."""

from __future__ import annotations

import json

import streamlit as st

from graph import analytics, browse
from graph.browse import short
from ontology.errors import TechregError

from . import viz
from .widgets import bars, class_label, link, md, param, seeded, set_params

TITLE = "Paths and analytics"


def pickable(graph) -> dict[str, str]:
    """Record id -> 'name · kind' for the entities a path can start or end at (a party's
    participation is a step, not an entity a reader names), sorted by name."""
    rows = [(short(u), f"{d['name']} · {class_label(d['kind'])}") for u, d in graph.nodes(data=True)
            if d["kind"] != "Participation"]
    return dict(sorted(rows, key=lambda r: r[1].casefold()))


def entity_picker(label: str, names: dict[str, str], key: str, url_param: str,
                  default: str) -> str:
    """A box that finds an entity by name as the reader types (the record id stays in the URL)."""
    ids = list(names)
    wanted = param(url_param, default)
    return st.selectbox(label, ids, format_func=names.get, key=seeded(
        key, wanted if wanted in names else (default if default in names else ids[0])),
        help="Type part of a name to find it.", placeholder="Type a name…")


# The projection and the figures over it are made once per version of the graph (the
# snapshot's): on the curated data they take about two seconds, which every view paid before.
@st.cache_resource(max_entries=2, show_spinner=False)
def projection(_db, version: str):
    return analytics.project(_db.live)


@st.cache_data(max_entries=16, show_spinner=False)
def central(_db, version: str, kinds: tuple[str, ...]) -> list[dict]:
    return analytics.centrality(projection(_db, version), list(kinds) or None, top=15)


@st.cache_data(max_entries=2, show_spinner=False)
def groups(_db, version: str) -> list[dict]:
    return analytics.communities(projection(_db, version))


def render(db) -> None:
    st.title("Paths and analytics")
    version = db.version
    graph = projection(db, version)
    st.subheader("How are two entities connected?")
    names = pickable(graph)
    left, right = st.columns(2)
    with left:
        start = entity_picker("From", names, "w_from", "from_id", "microsoft")
    with right:
        end = entity_picker("To", names, "w_to", "to_id", "court-first-instance-antwerp-mechelen")
    set_params(from_id=start, to_id=end)
    try:
        hops = analytics.path(graph, start, end)
        md(" → ".join(link(short(h["uri"]), h["name"]) + (f" <i>({h['via']})</i>" if h["via"]
                                                          else "") for h in hops))
        sub = browse.subgraph(db, [h["uri"] for h in hops])
        viz.show(sub, key=f"path:{start}:{end}", height=320)
    except TechregError as e:
        st.error(str(e))
    st.subheader("Most central")
    kinds = st.multiselect("Kinds", ["Company", "Law", "Court", "Regulator", "Dispute"],
                           default=["Company"], format_func=class_label)
    rows = central(db, version, tuple(kinds))
    bars({r["name"]: r["pagerank"] for r in rows}, "PageRank", key="central")
    st.dataframe(rows, hide_index=True)
    st.subheader("Communities")
    st.dataframe([{**c, "members": ", ".join(c["members"]), "kinds": json.dumps(c["kinds"])}
                  for c in groups(db, version)], hide_index=True)
    st.subheader("Similar disputes")
    all_disputes = browse.disputes(db)
    ids = [d["id"] for d in all_disputes]
    names = {d["id"]: d["name"] for d in all_disputes}
    default = param("similar", "skype-belgium-interception")
    chosen = st.selectbox("Dispute", ids, format_func=lambda i: names[i],
                          key=seeded("w_similar", default if default in ids else ids[0]))
    set_params(similar=chosen)
    st.dataframe(analytics.similar(db, chosen, top=8), hide_index=True)
