"""techreg explorer: browse the knowledge graph of tech-regulation disputes in Neo4j."""

from __future__ import annotations

import streamlit as st
from neo4j.exceptions import DriverError, Neo4jError

from graph import cypher
from graph import db as dbmod
from graph.errors import TechregError

st.set_page_config(page_title="techreg", layout="wide")


@st.cache_resource
def database(target: dbmod.Target) -> dbmod.Database:
    """One connection per server, shared by all sessions of the app."""
    return dbmod.connect(target)


st.title("techreg")
st.caption("A sourced knowledge graph of tech-regulation disputes.")

try:
    db = database(dbmod.Target.from_settings())
    totals = dbmod.counts(db)
    per_label = db.execute_query(cypher.LABEL_COUNTS).records
except TechregError as e:
    st.error(str(e))
    st.stop()
except (Neo4jError, DriverError) as e:
    st.error(f"Neo4j: {e}; is it running? `techreg neo4j status` tells.")
    st.stop()

left, right = st.columns(2)
left.metric("Nodes", f"{totals['nodes']:,}")
right.metric("Relationships", f"{totals['relationships']:,}")
if per_label:
    st.subheader("Nodes by type")
    st.bar_chart({r["label"]: r["count"] for r in per_label}, horizontal=True, sort="-value")
