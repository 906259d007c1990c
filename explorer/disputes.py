"""Disputes with facets (filtered by graph.facets), charts, and one dispute's proceedings."""

from __future__ import annotations

import streamlit as st

from graph import browse, facets, queries

from . import viz
from .widgets import bars, day, frame, internal, link, listed, param, seeded, set_params

TITLE = "Disputes"


def render(db) -> None:
    st.title("Disputes")
    rows = browse.disputes(db)
    groups = browse.companies_with_subsidiaries(db)
    offered = facets.options(rows)
    columns = st.columns(4)
    chosen_j = columns[0].multiselect("Jurisdiction", offered["jurisdictions"],
                                      key=seeded("w_j", listed("j", offered["jurisdictions"])))
    chosen_t = columns[1].multiselect("Legal question", offered["topics"],
                                      key=seeded("w_t", listed("t", offered["topics"])))
    companies = ["any company"] + sorted(groups)
    company = columns[2].selectbox("Company (with subsidiaries)", companies,
                                   key=seeded("w_c", param("c") if param("c") in companies
                                              else "any company"))
    outcome = columns[3].text_input("Outcome contains", key=seeded("w_o", param("o", "")))
    years = offered["years"]
    lo, hi = (years[0], years[-1]) if years else (2000, 2026)
    span = st.slider("Started between", lo, hi, key=seeded(
        "w_span", (max(lo, int(param("from", lo))), min(hi, int(param("to", hi))))))
    set_params(j=",".join(chosen_j) or None, t=",".join(chosen_t) or None,
               c=None if company == "any company" else company, o=outcome or None,
               **{"from": str(span[0]) if span[0] != lo else None,
                  "to": str(span[1]) if span[1] != hi else None})
    picked = facets.DisputeFacets(
        frozenset(chosen_j), frozenset(chosen_t),
        frozenset(groups.get(company, [])) if company != "any company" else None,
        outcome, span)
    shown = facets.filter_disputes(rows, picked)
    st.caption(f"{len(shown)} of {len(rows)} disputes")
    if not shown:
        st.info("No dispute matches all these filters: clear a facet, or widen the years.")
    st.dataframe([{"dispute": f"?page=disputes&dispute={r['id']}", "name": r["name"],
                   "jurisdictions": ", ".join(r["jurisdictions"]), "topics": ", ".join(r["topics"]),
                   "companies": ", ".join(r["companies"]), "started": r["started"],
                   "proceedings": r["proceedings"]} for r in shown],
                 column_config={"dispute": st.column_config.LinkColumn(
                     "open", display_text="open")}, hide_index=True)
    left, right = st.columns(2)
    left.markdown("**Disputes per jurisdiction**")
    with left:
        bars(facets.per_jurisdiction(shown), "disputes", key="per_jurisdiction")
    right.markdown("**Fines per jurisdiction (largest totals first)**")
    right.dataframe(browse.fines_by_jurisdiction(db), hide_index=True)
    _proceedings_chart(db, {r["name"] for r in shown})
    if param("dispute"):
        _dispute(db, param("dispute"))


def _proceedings_chart(db, names: set[str]) -> None:
    import altair as alt

    data = [{**r, "day": day(r["date"])} for r in browse.proceedings_timeline(db)
            if r["dispute"] in names]
    if not data:
        return
    st.markdown("**Proceedings over time**")
    chart = alt.Chart(frame(data)).mark_circle(size=70).encode(
        x=alt.X("day:T", title="date"), y=alt.Y("jurisdiction:N", title=None),
        color="kind:N", tooltip=["date:N", "dispute:N", "proceeding:N", "kind:N"]
    ).properties(height=360)
    st.altair_chart(chart, width="stretch")


def _dispute(db, dispute_id: str) -> None:
    found = browse.entity(db, dispute_id)
    if found is None:
        st.error(f"No dispute '{dispute_id}'.")
        return
    st.subheader(found.name)
    st.markdown(link(dispute_id, "Open its page") + " · "
                + internal(f"?page=case&id={dispute_id}", "Open its case file"),
                unsafe_allow_html=True)
    result = queries.run_cypher(db, queries.get("dispute-proceedings"), {"dispute": dispute_id})
    st.dataframe([dict(zip(result.columns, r, strict=True)) for r in result.rows], hide_index=True)
    uris = [r[0] for r in result.rows] + [found.uri]
    sub = browse.subgraph(db, uris, ["APPEAL_OF", "FOLLOWS", "IN_DISPUTE"])
    st.session_state["selection"] = sub
    viz.show(sub, key=f"appeals:{dispute_id}", height=360)
