"""Paths between two entities, centrality, communities and similar disputes."""

from __future__ import annotations

import json

import streamlit as st

from graph import analytics, browse
from graph.browse import short
from ontology.errors import TechregError

from . import viz
from .widgets import bars, link, md, param, seeded, set_params

TITLE = "Paths and analytics"


def render(db) -> None:
    st.title("Paths and analytics")
    graph = analytics.project(db)
    st.subheader("How are two entities connected?")
    left, right = st.columns(2)
    start = left.text_input("From (record id)", key=seeded("w_from", param("from_id",
                                                                           "microsoft")))
    end = right.text_input("To (record id)", key=seeded(
        "w_to", param("to_id", "court-first-instance-antwerp-mechelen")))
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
                           default=["Company"])
    rows = analytics.centrality(graph, kinds or None, top=15)
    bars({r["name"]: r["pagerank"] for r in rows}, "PageRank", key="central")
    st.dataframe(rows, hide_index=True)
    st.subheader("Communities")
    st.dataframe([{**c, "members": ", ".join(c["members"]), "kinds": json.dumps(c["kinds"])}
                  for c in analytics.communities(graph)], hide_index=True)
    st.subheader("Similar disputes")
    all_disputes = browse.disputes(db)
    ids = [d["id"] for d in all_disputes]
    names = {d["id"]: d["name"] for d in all_disputes}
    default = param("similar", "skype-belgium-interception")
    chosen = st.selectbox("Dispute", ids, format_func=lambda i: names[i],
                          key=seeded("w_similar", default if default in ids else ids[0]))
    set_params(similar=chosen)
    st.dataframe(analytics.similar(db, chosen, top=8), hide_index=True)
