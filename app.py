"""techreg explorer: browse the knowledge graph of tech-regulation disputes in Neo4j.

Every view is addressable: the page and its state live in the URL's query parameters
(`?page=entity&id=skype`), so a link reproduces what the reader saw.
"""

from __future__ import annotations

import streamlit as st
from neo4j.exceptions import DriverError, Neo4jError

from explorer import PAGES, RENDER, reads
from graph import db as dbmod
from ontology.errors import TechregError

ICON = "⚖️"
st.set_page_config(page_title="techreg", page_icon=ICON, layout="wide",
                   menu_items={"About": "techreg: an open, sourced knowledge graph of "
                               "tech-regulation disputes."})


@st.cache_resource
def database(target: dbmod.Target) -> dbmod.Database:
    """One connection per server, shared by all sessions of the app."""
    return dbmod.connect(target)


def main() -> None:
    page = st.query_params.get("page", "home")
    if page not in PAGES:
        page = "home"
    with st.sidebar:
        st.markdown("### techreg")
        # Keyed and seeded once from the URL: with `index=` following the page instead, the
        # radio became a new widget after each move and the reader's next click was lost.
        if "w_page" not in st.session_state:
            st.session_state["w_page"] = page
        chosen = st.radio("Go to", list(PAGES), key="w_page", format_func=PAGES.get,
                          label_visibility="collapsed")
    if chosen != page:
        st.query_params.clear()
        st.query_params["page"] = chosen
        page = chosen
    st.set_page_config(page_title=f"{PAGES[page]} · techreg", page_icon=ICON)
    try:
        totals, db = reads.snapshot(database(dbmod.Target.from_settings()))
    except TechregError as e:
        st.error(str(e))
        st.stop()
    except (Neo4jError, DriverError) as e:
        st.error(f"Neo4j: {e}; is it running? `techreg neo4j status` tells, "
                 "`techreg neo4j start` starts it.")
        st.stop()
    st.sidebar.metric("Nodes", f"{totals['nodes']:,}")
    st.sidebar.metric("Relationships", f"{totals['relationships']:,}")
    if totals["nodes"] == 0:
        st.warning("The graph is empty: load the bundled data with `techreg load` "
                   "(or `make run`).")
        st.stop()
    try:
        RENDER[page](db)
    except TechregError as e:
        st.error(str(e))
    except Neo4jError as e:
        st.error(f"Neo4j: {e.message}")


main()
