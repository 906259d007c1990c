"""Ingested documents, read-only (issue 19, item 11): the Sources `techreg ingest` wrote,
and for one its mentions in context (highlighted in the stored excerpt), the dispute it was
linked to and the candidate disputes, each linked to its page. Read from graph.documents.
All text from the graph is escaped."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

import streamlit as st

from graph import documents

from .widgets import internal, link, md, param

TITLE = "Ingested documents"


def render(db) -> None:
    source_id = param("id")
    if source_id:
        _document(db, source_id)
    else:
        _listing(db)


def _listing(db) -> None:
    st.title(TITLE)
    rows = documents.ingested(db)
    if not rows:
        st.info("No document has been ingested into this graph: run `techreg ingest FILE` "
                "(see docs/ingest.md), then reload this page.")
        return
    st.caption(f"{len(rows)} documents read by `techreg ingest`; each is a Source in its own "
               "named graph. Open one to see its mentions in context.")
    lines = []
    for r in rows:
        about = ", ".join(link(d["id"], d["name"]) for d in r["dispute"]) or "no dispute linked"
        meta = " · ".join(escape(x) for x in (r["publisher"], r["published"]) if x)
        href = f"?page=documents&id={quote(r['id'])}"
        lines.append(f"- {internal(href, r['title'])}"
                     f"{' · ' + meta if meta else ''} · {r['mentions']} mentions · {about}")
    md("\n".join(lines))


def _document(db, source_id: str) -> None:
    doc = documents.document(db, source_id)
    if doc is None:
        st.error(f"No ingested document '{source_id}' in the graph.")
        md(internal("?page=documents", "All ingested documents"))
        return
    st.title(doc.title)
    meta = [escape(x) for x in (doc.publisher, doc.published) if x]
    if doc.url:
        meta.append(f'<a href="{escape(doc.url)}">{escape(doc.url)}</a>')
    meta.append(f"source record {link(doc.id, doc.id)}")
    md(" · ".join(meta))
    md(internal("?page=documents", "← all ingested documents"))

    st.subheader("Dispute")
    if doc.about:
        md("Linked to " + ", ".join(internal(f"?page=case&id={quote(d['id'])}", d["name"])
                                    for d in doc.about))
    else:
        st.info("Not linked to a dispute: no candidate was clearly ahead.")
    if doc.candidates:
        md("Candidates: " + ", ".join(link(d["id"], d["name"]) for d in doc.candidates))

    st.subheader(f"Mentions ({len(doc.mentions)})")
    if not doc.mentions:
        st.info("No known entity was found in this document.")
    shown = [m for m in doc.mentions if m.in_excerpt]
    lines = []
    for m in shown:
        lines.append(f"- {escape(m.before)}<mark>{escape(m.text)}</mark>{escape(m.after)} → "
                     f"{link(m.entity, m.name)} ({escape(m.kind)})")
    if lines:
        md("\n".join(lines))
    rest = [m for m in doc.mentions if not m.in_excerpt]
    if rest:
        st.caption(f"{len(rest)} mentions lie beyond the opening of the text the graph keeps; "
                   "their offsets refer to the extracted text `techreg ingest` writes beside "
                   "its suggestions.")
        md("\n".join(f"- <mark>{escape(m.text)}</mark> at {m.start}–{m.end} → "
                      f"{link(m.entity, m.name)} ({escape(m.kind)})" for m in rest))
    with st.expander("Stored excerpt"):
        st.text(doc.excerpt)
