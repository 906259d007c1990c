"""The research questions: parameters from the URL, the answer as a table, a graph and
downloads, and the question's Cypher and SPARQL."""

from __future__ import annotations

import json

import streamlit as st

from graph import browse, queries
from graph.networks import table_csv
from ontology import ID
from ontology.errors import TechregError

from . import viz
from .entity import EXPAND_CAP
from .widgets import param, seeded, set_params

TITLE = "Research questions"


def render(db) -> None:
    st.title("Research questions")
    library = queries.library()
    names = list(library)
    name = st.selectbox("Question", names, format_func=lambda n: library[n].title,
                        key=seeded("w_question", param("q") if param("q") in names else names[0]))
    question = library[name]
    st.caption(question.description)
    given = {}
    names = browse.named_entities(db) if any(p.type == "entity" for p in question.params) else {}
    for p in question.params:
        value = param(f"p_{p.name}", p.default) or ""
        if p.type == "entity" and names:  # found by name as the reader types
            given[p.name] = st.selectbox(
                p.name, list(names), format_func=names.get, help=p.help,
                key=seeded(f"w_{name}_{p.name}", value if value in names else list(names)[0]))
        else:
            given[p.name] = st.text_input(f"{p.name} ({p.type})", help=p.help, key=seeded(
                f"w_{name}_{p.name}", value))
    set_params(q=name, **{f"p_{k}": v if v != (next(p.default for p in question.params
                                                     if p.name == k)) else None
                          for k, v in given.items()})
    try:
        result = queries.run_cypher(db, question, given)
    except TechregError as e:
        st.error(str(e))
        return
    rows = [dict(zip(result.columns, r, strict=True)) for r in result.rows]
    table, graph_tab, code = st.tabs(["Table", "Graph", "Cypher and SPARQL"])
    with table:
        st.caption(f"{len(rows)} rows")
        if not rows:
            st.info("No answer for these values: try another date or record"
                    + (" (the defaults show an example)." if question.params else "."))
        st.dataframe(rows, hide_index=True)
        left, right = st.columns(2)
        left.download_button("CSV", table_csv(result.columns, result.rows), f"{name}.csv",
                             "text/csv")
        right.download_button("JSON", json.dumps(rows, ensure_ascii=False, default=str),
                              f"{name}.json", "application/json")
    with graph_tab:
        uris = sorted({v for r in result.rows for v in r
                       if isinstance(v, str) and v.startswith(str(ID))})
        if uris:
            sub = browse.subgraph(db, uris[: EXPAND_CAP])
            st.session_state["selection"] = sub
            viz.show(sub, key=f"question:{name}:{json.dumps(given, sort_keys=True)}")
        else:
            st.info("This question returns no entities to draw.")
    with code:
        st.code(question.cypher, language="cypher")
        st.code(question.sparql, language="sparql")
