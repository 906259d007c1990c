"""A dispute's case file: parties and roles, the proceedings on a timeline with one lane per
court level (authorities below, supranational courts on top) and the appeal chain drawn
between them, laws to the article, fines, legal questions, outcome, sources and related
disputes. Read from graph.casefile."""

from __future__ import annotations

import streamlit as st

from graph import browse, casefile

from .widgets import citations, class_label, day, internal, link, md, number, picked_id

TITLE = "Case file"


def render(db) -> None:
    dispute_id = picked_id(
        "Dispute", lambda: {k: v for k, v in browse.named_entities(db).items()
                            if v.endswith(" · Dispute")},
        "Pick a dispute by its name (type part of it), or open a case file from the Disputes "
        "page.", "Belgian prosecution v Skype…")
    if not dispute_id:
        return
    case = casefile.case_file(db, dispute_id)
    if case is None:
        st.error(f"No dispute '{dispute_id}' in the graph.")
        return
    st.set_page_config(page_title=f"{case.name} · case file · techreg")
    st.title(case.name)
    span = " – ".join(x for x in (case.started, case.ended) if x) or "dates not recorded"
    st.caption(f"Case file · {', '.join(case.jurisdictions) or 'jurisdiction not recorded'} · "
               f"{span} · {len(case.proceedings)} proceedings")
    md(f"**Outcome:** {case.outcome or 'not recorded'} · {link(case.id, 'the dispute record')}")
    _parties(case)
    _timeline(case)
    left, right = st.columns(2)
    with left:
        _laws(case)
        _questions(case)
    with right:
        _fines(case)
        _related(case)
    _sources(case)
    st.subheader("Cite")
    citations(db, case.id)


def _parties(case: casefile.CaseFile) -> None:
    st.subheader("Parties")
    if not case.parties:
        st.info("No party is recorded for the proceedings of this dispute.")
        return
    roles: dict[str, dict] = {}
    for p in case.parties:
        entry = roles.setdefault(p["id"], {"name": p["name"], "roles": []})
        if p["role"] not in entry["roles"]:
            entry["roles"].append(p["role"])
    for party_id, entry in roles.items():
        md(f"- {link(party_id, entry['name'])}: {', '.join(entry['roles'])}")


def chains(case: casefile.CaseFile) -> list[list[str]]:
    """The appeal chains as lists of proceeding ids, earliest first."""
    earlier = {later: before for later, _, before in case.chain}
    last = sorted(p for p in earlier if p not in set(earlier.values()))
    result = []
    for end in last:
        chain = [end]
        while chain[-1] in earlier and earlier[chain[-1]] not in chain:
            chain.append(earlier[chain[-1]])
        result.append(list(reversed(chain)))
    return result


def timeline_data(case: casefile.CaseFile) -> tuple[list[dict], list[dict]]:
    """Points (one per dated proceeding, in its lane) and links (one per appeal or follow-up,
    from the earlier proceeding to the later one) for the timeline chart."""
    labels = dict(casefile.lanes())
    points = [{"id": p["id"], "name": p["name"], "day": day(p["date"]), "date": p["date"],
               "lane": labels[p["lane"]], "kind": class_label(p["kind"]), "authority": p["authority"] or "",
               "outcome": p["outcome"] or ""}
              for p in case.proceedings if p["date"]]
    at = {p["id"]: p for p in points}
    links = [{"day": at[b]["day"], "lane": at[b]["lane"], "day2": at[a]["day"],
              "lane2": at[a]["lane"], "kind": kind}
             for a, kind, b in case.chain if a in at and b in at]
    return points, links


def _timeline(case: casefile.CaseFile) -> None:
    import altair as alt

    st.subheader("Proceedings")
    points, links = timeline_data(case)
    if not points:
        st.info("No proceeding of this dispute has a date yet.")
    else:
        order = [label for _, label in reversed(casefile.lanes())]  # supranational on top
        y = alt.Y("lane:N", sort=order, scale=alt.Scale(domain=order), title=None,
                  axis=alt.Axis(labelLimit=260, labelFontSize=12))
        x = alt.X("day:T", title="date", axis=alt.Axis(format="%Y", tickCount="year"))
        chain = alt.Chart(alt.Data(values=links, name="chain")).mark_rule(
            strokeWidth=2, color="#6b7280").encode(x=x, y=y, x2="day2:T", y2="lane2:N")
        dots = alt.Chart(alt.Data(values=points, name="proceedings")).mark_circle(
            size=160, opacity=1).encode(
            x=x, y=y, color=alt.Color("kind:N", title="kind"),
            tooltip=["date:N", "name:N", "authority:N", "outcome:N"])
        names = alt.Chart(alt.Data(values=points, name="names")).mark_text(
            align="left", dx=9, dy=-9, fontSize=11).encode(x=x, y=y, text="authority:N")
        st.altair_chart((chain + dots + names).properties(height=60 * len(order)),
                        width="stretch", key="case-timeline")
    for chain in chains(case):
        names = {p["id"]: p for p in case.proceedings}
        md("**Appeal chain:** " + " → ".join(
            link(i, f"{names[i]['authority'] or names[i]['name']} ({(names[i]['date'] or 'n.d.')[:4]})")
            if i in names else i for i in chain))
    st.dataframe([{"date": p["date"], "level": dict(casefile.lanes())[p["lane"]],
                   "kind": p["kind"], "proceeding": p["name"], "authority": p["authority"],
                   "outcome": p["outcome"], "ECLI": p["ecli"]} for p in case.proceedings],
                 hide_index=True)


def _laws(case: casefile.CaseFile) -> None:
    st.subheader("Laws invoked")
    if not case.laws:
        st.info("No law is recorded as invoked.")
    for law in case.laws:
        where = f" — of {law['of']}" if law["of"] else ""
        md(f"- {link(law['id'], law['name'])}{where} ({len(law['proceedings'])} proceedings)")


def _questions(case: casefile.CaseFile) -> None:
    st.subheader("Legal questions")
    if not case.questions:
        st.info("No legal question is recorded.")
    for q in case.questions:
        md(f"- {q}")


def _fines(case: casefile.CaseFile) -> None:
    st.subheader("Fines")
    if not case.fines:
        st.info("No fine is recorded in this dispute.")
        return
    st.dataframe([{"date": f["date"], "amount": f"{f['currency'] or ''} {number(f['amount'])}".strip(),
                   "imposed by": f["authority"], "proceeding": f["proceeding"]}
                  for f in case.fines], hide_index=True)


def _related(case: casefile.CaseFile) -> None:
    st.subheader("Related disputes")
    if not case.related:
        st.info("No other dispute shares a legal question or a company group with this one.")
    for r in case.related:
        href = f"?page=case&id={r['id']}"
        md(f"- {internal(href, r['name'])} · "
           f"{', '.join(r['jurisdictions'])} · {'; '.join(r['why'])}")


def _sources(case: casefile.CaseFile) -> None:
    st.subheader("Sources")
    if not case.sources:
        st.info("No source is attached to the dispute record itself; see its proceedings.")
    st.markdown("\n".join(f"{i}. [{s.get('title') or s.get('url')}]({s.get('url')}) · "
                          f"{s.get('publisher') or ''} · published {s.get('published') or 'n.d.'}"
                          for i, s in enumerate(case.sources, 1)))
