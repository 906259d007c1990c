"""The read-only Cypher console."""

from __future__ import annotations

import json

import streamlit as st

from graph import browse, settings
from graph.console import run_readonly
from ontology import ID
from ontology.errors import TechregError

from . import viz
from .entity import EXPAND_CAP
from .widgets import param, seeded, set_params

TITLE = "Cypher console"
DEFAULT = ("MATCH (c:Company)<-[:ACQUIRER]-(a:Acquisition)-[:TARGET]->(t) RETURN c.label AS "
           "buyer, t.label AS target, a.completed AS completed ORDER BY completed")


def render(db) -> None:
    st.title("Cypher console")
    st.caption(f"Read-only: the query runs in a READ transaction after an EXPLAIN check; "
               f"timeout {settings.get('TECHREG_QUERY_TIMEOUT')} s, at most "
               f"{settings.get('TECHREG_ROW_LIMIT')} rows. Ctrl/Cmd+Enter runs.")
    text = st.text_area("Cypher", height=140, key=seeded("w_cypher", param("cypher", DEFAULT)))
    set_params(cypher=text)
    try:
        result = run_readonly(db, text)
    except TechregError as e:
        st.error(str(e))
        return
    if not result.rows:
        st.info("The query ran and returned no rows.")
    if result.truncated:
        st.warning(f"Stopped at the row limit ({len(result.rows)} rows).")
    st.dataframe([dict(zip(result.columns, [json.dumps(v, default=str, ensure_ascii=False)
                                            if isinstance(v, dict | list) else v for v in r],
                           strict=True)) for r in result.rows], hide_index=True)
    uris = sorted({v["uri"] if isinstance(v, dict) else v for r in result.rows for v in r
                   if (isinstance(v, dict) and "uri" in v) or
                   (isinstance(v, str) and v.startswith(str(ID)))})
    if uris:
        sub = browse.subgraph(db, uris[:EXPAND_CAP])
        st.session_state["selection"] = sub
        viz.show(sub, key=f"cypher:{hash(text)}", height=420)
