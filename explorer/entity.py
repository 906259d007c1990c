"""One entity: its facts and their sources, its neighbourhood graph and its timeline."""

from __future__ import annotations

from html import escape

import streamlit as st

from graph import browse
from graph.browse import Subgraph, short
from ontology import local_name

from . import viz
from .widgets import (
    AMOUNTS,
    bullets,
    cell_text,
    citations,
    class_label,
    day,
    field_label,
    frame,
    internal,
    link,
    listed,
    md,
    param,
    picked_id,
    relationship_label,
    seeded,
    set_params,
    shown,
    spans,
    type_line,
)

TITLE = "Entity"
EXPAND_CAP = 300


def render(db) -> None:
    entity_id = picked_id("Entity", lambda: browse.named_entities(db),
                          "Find an entity by its name: type part of it.",
                          "Skype, Court of Cassation, GDPR…")
    if not entity_id:
        return
    found = browse.entity(db, entity_id)
    if found is None:
        st.error(f"No entity '{entity_id}' in the graph.")
        return
    st.set_page_config(page_title=f"{found.name} · techreg")
    st.title(found.name)
    st.caption(f"{type_line(found.labels)} · `{short(found.uri)}`")
    if found.kind == "Dispute":
        md(internal(f"?page=case&id={short(found.uri)}", "Open its case file: parties, "
                    "proceedings by court level, appeal chain, laws, fines"))
    facts, graph_tab, timeline_tab, cite_tab = st.tabs(["Facts and sources", "Graph", "Timeline",
                                                         "Cite"])
    with facts:
        _facts(db, found)
    with graph_tab:
        _graph(db, found)
    with timeline_tab:
        _timeline(db, found)
    with cite_tab:
        citations(db, short(found.uri))


def _facts(db, found: browse.Entity) -> None:
    sources = sorted(found.sources,  # dated sources first, oldest first
                     key=lambda s: (not s.get("published"), str(s.get("published")), s["id"]))
    number = {s["id"]: i for i, s in enumerate(sources, 1)}
    claims = browse.claims_about(db, found.uri)
    values = dict(found.facts)
    if found.facts:
        said: dict[str, list[str]] = {}
        for c in claims:
            said.setdefault(c["property"], []).append(
                cell_text(f"{_who(c['sources'])} {c['value']}"))
        st.table([{"fact": field_label(k), "value": shown(k, v, values),
                   "sources": spans(list(number.values())),
                   "other sources say": bullets(said.get(k.partition("@")[0], []))}
                  for k, v in found.facts if k not in AMOUNT_PARTS])
        st.caption("Sources are numbered as in the list below; every fact of the record comes "
                   "from them, and where another source reports a different value it is shown "
                   "beside the one the record keeps.")
    if found.identifiers:
        st.markdown("**Identifiers:** " + " · ".join(
            f"{kind}: [{value}]({url})" for kind, value, url in found.identifiers))
    for title, rels in (("Links", found.outgoing), ("Linked from", found.incoming)):
        if rels:
            st.markdown(f"**{title}**")
            for rel in rels:
                if rel["type"] == "PROPERTY":  # a Claim's property: an ontology term, no page
                    md(f"- {relationship_label(rel['type'])}: "
                       f"{escape(field_label(local_name(rel['id'])))}")
                    continue
                md(f"- {relationship_label(rel['type'])}: {link(rel['id'], rel['name'])}"
                   f" · {class_label(rel['kind'])}")
    if found.roles:
        st.markdown("**Party to**")
        for r in found.roles:
            md(f"- {link(r['id'], r['name'])} · {class_label(r['kind'])} · as "
               f"{r['role'] or 'party'}")
    if sources:
        st.markdown("**Sources**")
        st.markdown("\n".join(
            f"{number[s['id']]}. [{s.get('title') or s.get('url')}]({s.get('url')}) · "
            f"{s.get('publisher') or ''} · published {s.get('published') or 'n.d.'}"
            f" · checked {s.get('accessed')}" for s in sources))
    if claims:
        st.markdown("**Where sources disagree**")
        for c in claims:
            kept = values.get(c["property"])
            md(f"- {escape(_who(c['sources']))} {escape(field_label(c['property']))} is "
               f"<b>{escape(str(c['value']))}</b>"
               + (f"; the record keeps <b>{escape(shown(c['property'], kept, values))}</b>"
                  if kept is not None else "")
               + f" ({link(c['id'], 'the claim')})")


AMOUNT_PARTS = set(AMOUNTS.values())  # shown with their amount


def _who(sources: list[dict]) -> str:
    """'Computing and Daily Mail say' / 'Yahoo News UK says'."""
    names = sorted({s.get("publisher") or s.get("title") or s.get("url") or "a source"
                    for s in sources}) or ["a source"]
    return " and ".join(names) + (" say" if len(names) > 1 else " says")


def _graph(db, found: browse.Entity) -> None:
    left, right = st.columns([1, 3])
    hops = left.radio("Hops", [1, 2], horizontal=True,
                      key=seeded("w_hops", 2 if param("hops") == "2" else 1))
    all_types = browse.relationship_types(db)
    chosen = right.multiselect("Relationship types", all_types,
                               key=seeded("w_rels", listed("rels", all_types)))
    set_params(hops=str(hops) if hops != 1 else None, rels=",".join(chosen) or None)
    key = f"graph:{found.uri}:{hops}:{','.join(chosen)}"
    if key not in st.session_state:
        st.session_state[key] = browse.neighbourhood(db, found.uri, hops, chosen or None)
    sub: Subgraph = st.session_state[key]
    st.session_state["selection"] = sub
    event = viz.show(sub, key=f"viz:{key}")
    st.caption(f"{len(sub.nodes)} nodes, {len(sub.edges)} relationships · click a node to open "
               "it, double-click to expand it")
    if event and event.get("at") != st.session_state.get("last_event"):
        st.session_state["last_event"] = event.get("at")
        if event["action"] == "open" and event["id"] != found.uri:
            set_params(page="entity", id=short(event["id"]), hops=None, rels=None)
            st.rerun()
        elif event["action"] == "expand":
            more = browse.neighbourhood(db, event["id"], 1, chosen or None)
            merged = sub.merge(more)
            if len(merged.nodes) > EXPAND_CAP:
                keep = list(sub.nodes) + [u for u in more.nodes if u not in sub.nodes]
                merged = browse.subgraph(db, keep[:EXPAND_CAP], chosen or None, truncated=True)
            st.session_state[key] = merged
            st.rerun()


def _timeline(db, found: browse.Entity) -> None:
    rows = browse.timeline(db, found.uri)
    if not rows:
        st.info("No dated events: neither this record nor the events it takes part in "
                "(acquisitions, proceedings, disputes) carries a date.")
        return
    import altair as alt

    data = [{**r, "day": day(r["date"])} for r in rows]
    chart = alt.Chart(frame(data)).mark_circle(size=120).encode(
        x=alt.X("day:T", title="date"), y=alt.Y("kind:N", title=None),
        color=alt.Color("kind:N", legend=None),
        tooltip=["date:N", "what:N", "event:N"]).properties(height=220)
    st.altair_chart(chart, width="stretch")
    st.dataframe([{"date": r["date"], "what": field_label(r["what"]), "event": r["event"],
                   "kind": r["kind"]} for r in rows], hide_index=True)
