"""Search as you type, what the graph holds, and featured research questions."""

from __future__ import annotations

import streamlit as st
from st_keyup import st_keyup

from graph import browse, queries

from .widgets import bars, class_label, internal, link, md, param, seeded, set_params

TITLE = "Search"
FEATURED = ["telecom-status-challenges", "owner-as-of", "dispute-proceedings",
            "company-disputes", "largest-fines", "source-disagreements"]


def kinds(counts: dict[str, int]) -> dict[str, int]:
    """Node counts per kind, for the kinds of entity (classes under tr:Entity)."""
    from .viz import palette

    return {k: v for k, v in counts.items() if k in palette()}


def render(db) -> None:
    st.title("techreg")
    st.caption("A sourced knowledge graph of tech-regulation disputes: companies and their "
               "acquisitions, jurisdictions, laws, courts, regulators, disputes and proceedings.")
    main = kinds(browse.kind_counts(db))
    options = ["any type"] + sorted(main)
    left, right = st.columns([3, 1])
    with left:  # results follow each keystroke (debounced), from the full-text index
        text = st_keyup("Search names, labels and aliases", value=param("q", ""), key="w_q",
                        debounce=300, placeholder="Skype, Microsoft, Court of Cassation, GDPR...")
    kind = right.selectbox("Type", options, format_func=class_label, key=seeded(
        "w_type", param("type") if param("type") in options else "any type"))
    set_params(q=text, type=None if kind == "any type" else kind)
    if text:
        hits = browse.search(db, text, None if kind == "any type" else kind)
        if not hits:
            st.info(f"Nothing matches '{text}'"
                    + (f" among {class_label(kind)} records" if kind != "any type" else "")
                    + ". Try fewer or shorter words (each word matches as a prefix)"
                    + (", or any type." if kind != "any type" else "."))
        for hit in hits:
            md(f"- {link(hit['id'], hit['name'])} · {hit['kind']}")
    st.subheader("What the graph holds")
    bars({class_label(k): v for k, v in main.items()}, "records", key="holds")
    st.subheader("Featured research questions")
    library = queries.library()
    for name in FEATURED:
        if name in library:
            md(f"- {internal(f'?page=questions&q={name}', library[name].title)}")
