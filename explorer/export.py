"""Downloads: the whole graph or the current selection as RDF, CSV or GraphML."""

from __future__ import annotations

import io

import streamlit as st

from graph import db as dbmod
from graph import networks
from graph.browse import Subgraph
from graph.export import export

TITLE = "Export"
RDF = {"Turtle": "ttl", "JSON-LD": "jsonld", "N-Triples": "nt"}


def render(db) -> None:
    st.title("Export")
    selection: Subgraph | None = st.session_state.get("selection")
    scopes = ["the whole graph"] + (["the current selection"] if selection else [])
    scope = st.radio("What", scopes, horizontal=True)
    fmt = st.selectbox("Format", [*RDF, "CSV", "GraphML"])
    uris = set(selection.nodes) if selection and scope != "the whole graph" else None
    if fmt in RDF:
        def rdf() -> bytes:  # made when the reader clicks, not on every view of the page
            buffer = io.BytesIO()
            export(db.live, buffer, RDF[fmt], uris=uris)
            return buffer.getvalue()
        if uris is None:
            totals = dbmod.counts(db)
            st.caption(f"{totals['nodes']:,} nodes and {totals['relationships']:,} relationships, "
                       "exported as RDF when you click")
        else:
            st.caption(f"{len(uris):,} nodes of the selection, exported as RDF when you click")
        st.download_button(f"Download {fmt}", rdf, f"techreg.{RDF[fmt]}")
        return
    sub = selection if uris else networks.whole(db)
    if fmt == "CSV":
        st.download_button("Download CSV", networks.edges_csv(sub), "techreg.csv", "text/csv")
    else:
        st.download_button("Download GraphML", networks.graphml(sub), "techreg.graphml")
    st.caption(f"{len(sub.nodes)} nodes, {len(sub.edges)} relationships")
