"""Disputes and fines by jurisdiction on a world map (graph.compare.by_country), with
drill-down: a click on a country, or picking it below, lists its disputes and fines."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from graph import compare

from .widgets import internal, md, param, seeded, set_params
from .worldmap import Area, draw

TITLE = "World map"
MEASURES = {"disputes": "Disputes", "fines": "Fines"}
ANY = ""


def href(country: str, topic: str | None = None, measure: str = "disputes") -> str:
    """The map page drilled down to one country (a shareable URL)."""
    query = {"page": "map", "measure": measure, "topic": topic, "country": country}
    return "?" + urlencode({k: v for k, v in query.items() if v})


def areas(rows: list[dict], measure: str, topic: str | None) -> list[Area]:
    """The countries to shade, with what hovering them says."""
    out = []
    for row in rows:
        if not row["iso"]:
            continue
        disputes, fines = len(row["disputes"]), len(row["fines"])
        count = fines if measure == "fines" else disputes
        text = f"{row['name']}: {_n(disputes, 'dispute')}, {_n(fines, 'fine')}" + _sums(row["fines"])
        out.append(Area(row["iso"], count, text, href(row["iso"], topic, measure)))
    return out


def render(db) -> None:
    st.title("World map")
    st.caption("Where the disputes in the graph arise, and where fines were imposed. Hover a "
               "country for its figures; click it, or pick it below, to list its disputes.")
    offered = {q["code"]: f"{q['label']} ({q['disputes']} disputes)"
               for q in compare.questions(db)}
    left, right = st.columns([1, 2])
    measure = left.radio("Shade by", list(MEASURES), format_func=MEASURES.get, horizontal=True,
                         key=seeded("w_measure", param("measure") if param("measure") in MEASURES
                                    else "disputes"))
    wanted = param("topic", ANY)
    topic = right.selectbox("Legal question", [ANY, *offered],
                            format_func=lambda c: offered.get(c, "Any legal question"),
                            key=seeded("w_map_topic", wanted if wanted in offered else ANY)) or None
    rows = compare.by_country(db, topic)
    countries = [r for r in rows if r["iso"]]
    elsewhere = [r for r in rows if not r["iso"]]
    total = sum(len(r["disputes"]) for r in rows)
    st.caption(f"{_n(total, 'dispute')} in {_n(len(countries), 'country', 'countries')}"
               + (f", and {len(elsewhere)} supranational jurisdiction"
                  f"{'s' if len(elsewhere) > 1 else ''}" if elsewhere else "")
               + ". The shade grows with the count on a log scale; grey: none recorded. "
               "A fine is a proceeding that imposed a penalty; amounts stay in their currency.")
    draw(areas(rows, measure, topic), key="map")
    if elsewhere:
        st.markdown("**Supranational jurisdictions** (not drawn on the map)")
        md(" · ".join(internal(href(r["name"], topic, measure),
                               f"{r['name']}: {_n(len(r['disputes']), 'dispute')}, "
                               f"{_n(len(r['fines']), 'fine')}") for r in elsewhere))
    keys = {r["iso"] or r["name"]: r for r in rows}
    wanted = param("country")
    picked = st.selectbox("Disputes in", [ANY, *keys], format_func=lambda k: keys[k]["name"]
                          if k in keys else "Pick a country or click one on the map",
                          key=seeded("w_country", wanted if wanted in keys else ANY))
    set_params(measure=None if measure == "disputes" else measure, topic=topic,
               country=picked or None)
    if picked:
        _drill(keys[picked])


def _drill(area: dict) -> None:
    st.subheader(area["name"])
    st.dataframe([{"dispute": d["name"], "jurisdiction": d["jurisdiction"],
                   "started": d["started"] or "n.d.", "outcome": d["outcome"] or ""}
                  for d in area["disputes"]], hide_index=True, width="stretch")
    if area["fines"]:
        st.markdown("**Fines**")
        st.dataframe([{"dispute": f["dispute"], "decided": f["decided"] or "n.d.",
                       "amount": _amount(f["amount"]), "currency": f["currency"] or ""}
                      for f in sorted(area["fines"], key=lambda f: f["decided"] or "")],
                     hide_index=True, width="stretch")
    st.markdown("**Open a case file**")
    md(" · ".join(internal(f"?page=case&id={d['id']}", d["name"]) for d in area["disputes"]))


def _sums(fines: list[dict]) -> str:
    """' (EUR 1.2 bn; USD 5 m)': the fines' total in each currency, largest first."""
    totals: dict[str, float] = {}
    for fine in fines:
        if fine["amount"] is not None and fine["currency"]:
            totals[fine["currency"]] = totals.get(fine["currency"], 0) + float(fine["amount"])
    parts = [f"{currency} {_compact(total)}" for currency, total in
             sorted(totals.items(), key=lambda t: -t[1])]
    return f" ({'; '.join(parts)})" if parts else ""


def _compact(number: float) -> str:
    for size, unit in ((1e9, "bn"), (1e6, "m")):
        if number >= size:
            return f"{number / size:.3g} {unit}"
    return f"{number:,.0f}"


def _amount(value) -> str:
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"
