"""Compare one legal question across jurisdictions: per jurisdiction and year, the disputes,
the authorities and the outcomes (graph.compare), as a table, a chart and a map."""

from __future__ import annotations

import streamlit as st

from graph import compare

from .atlas import areas
from .widgets import frame, internal, param, seeded, set_params
from .worldmap import draw

TITLE = "Compare jurisdictions"
DEFAULT = "telecom-operator-status"  # is an internet calling service a telecom operator?


def render(db) -> None:
    st.title("Compare jurisdictions")
    st.caption("Pick a legal question and see, per jurisdiction and year, which disputes raised "
               "it, before which authorities, and how they ended.")
    offered = compare.questions(db)
    if not offered:
        st.info("No dispute records a legal question yet.")
        return
    codes = [q["code"] for q in offered]
    labels = {q["code"]: f"{q['label']} ({q['disputes']} disputes)" for q in offered}
    wanted = param("topic", DEFAULT)
    topic = st.selectbox("Legal question", codes, format_func=labels.get, key=seeded(
        "w_topic", wanted if wanted in codes else codes[0]))
    set_params(topic=topic)
    rows = compare.compare(db, topic)
    if not rows:
        st.info("No dispute with a jurisdiction raises this question.")
        return
    jurisdictions = sorted({r["jurisdiction"] for r in rows})
    st.caption(f"{sum(len(r['disputes']) for r in rows)} disputes in {len(jurisdictions)} "
               "jurisdictions")
    _chart(rows)
    st.markdown("**On the map**: hover a country for its disputes on this question; click it "
                "to list them.")
    draw(areas(compare.by_country(db, topic), "disputes", topic), key="compare-map")
    st.dataframe([{"jurisdiction": r["jurisdiction"], "year": r["year"] or "n.d.",
                   "disputes": "; ".join(d["name"] for d in r["disputes"]),
                   "authorities": "; ".join(r["authorities"]),
                   "outcomes": " | ".join(r["outcomes"])} for r in rows],
                 hide_index=True, width="stretch")
    st.markdown("**Open a dispute's case file**")
    st.markdown(" · ".join(internal(f"?page=case&id={d['id']}", d["name"])
                           for r in rows for d in r["disputes"]), unsafe_allow_html=True)


def _chart(rows: list[dict]) -> None:
    import altair as alt

    data = [{"jurisdiction": r["jurisdiction"], "year": int(r["year"]), "disputes": len(r["disputes"]),
             "names": "; ".join(d["name"] for d in r["disputes"])} for r in rows if r["year"]]
    if not data:
        return
    chart = alt.Chart(frame(data)).mark_circle(opacity=0.85).encode(
        x=alt.X("year:O", title="year the dispute started"),
        y=alt.Y("jurisdiction:N", title=None,
                axis=alt.Axis(labelLimit=260, labelOverlap=False, labelFontSize=12)),
        size=alt.Size("disputes:Q", title="disputes", scale=alt.Scale(range=[80, 600], zero=False),
                      legend=alt.Legend(format="d", tickMinStep=1)),
        tooltip=["jurisdiction:N", "year:O", "disputes:Q", "names:N"],
    ).properties(height=60 + 36 * len({d["jurisdiction"] for d in data}))
    st.altair_chart(chart, width="stretch", key="compare-chart")
