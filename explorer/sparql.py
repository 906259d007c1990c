"""The read-only SPARQL console, over the graph as exported from Neo4j."""

from __future__ import annotations

import streamlit as st

from graph.queries import plain
from graph.sparql import query_rows, store_from_neo4j
from ontology.errors import TechregError

from .widgets import param, seeded, set_params

TITLE = "SPARQL console"
DEFAULT = ("PREFIX tr: <https://w3id.org/techreg/ontology#>\n"
           "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
           "SELECT ?dispute ?name WHERE { ?dispute a tr:Dispute ; rdfs:label ?name }\n"
           "ORDER BY ?name LIMIT 20")


@st.cache_resource(max_entries=2, show_spinner=False)
def _store(_db, version: str):
    """The graph as an RDF store, made once per version of the graph (the snapshot's)."""
    return store_from_neo4j(_db.live)


def render(db) -> None:
    st.title("SPARQL console")
    st.caption("SPARQL 1.1 over the graph as exported from Neo4j (read-only).")
    text = st.text_area("SPARQL", height=160, key=seeded("w_sparql", param("sparql", DEFAULT)))
    set_params(sparql=text)
    store = _store(db, db.version)
    try:
        columns, rows = query_rows(store, text)
    except TechregError as e:
        st.error(str(e))
        return
    if not rows:
        st.info("The query ran and returned no rows.")
    st.dataframe([dict(zip(columns, [plain(v) for v in r], strict=True)) for r in rows],
                 hide_index=True)
