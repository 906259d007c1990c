"""Small pieces every page uses: links within the explorer, URL state (the page and its
state live in st.query_params, so a link reproduces a view), and ontology labels."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from urllib.parse import quote

import streamlit as st

from ontology import model


def link(entity_id: str, name: str) -> str:
    """A link to an entity's page (a shareable URL), opened in the same tab."""
    return internal(f"?page=entity&id={quote(entity_id)}", name)


def internal(href: str, text: str) -> str:
    """An HTML link within the explorer (markdown links would open a new tab)."""
    return f'<a href="{escape(href)}" target="_self">{escape(text)}</a>'


def md(text: str) -> None:
    """Markdown that may hold internal links (our own escaped HTML only)."""
    st.markdown(text, unsafe_allow_html=True)


def param(name: str, default: str | None = None) -> str | None:
    return st.query_params.get(name, default)


def picked_id(label: str, names: Callable[[], dict[str, str]], hint: str,
              placeholder: str) -> str | None:
    """The record id in the URL (`id=`), else the one the reader picks by name, which then
    goes into the URL; None while nothing is picked. `names` is only read when needed."""
    chosen = param("id")
    if chosen:
        return chosen
    st.info(hint)
    offered = names()
    chosen = st.selectbox(label, list(offered), index=None, format_func=offered.get,
                          placeholder=placeholder)
    if chosen:
        set_params(id=chosen)
    return chosen


def listed(name: str, options: list[str]) -> list[str]:
    """The values of a comma-separated URL parameter that are among the options."""
    return [v for v in (param(name) or "").split(",") if v in options]


def seeded(key: str, value) -> str:
    """A widget key whose first value comes from the URL; afterwards the widget owns it."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def set_params(**values) -> None:
    for key, value in values.items():
        if value in (None, "", []):
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = value


def field_label(neo4j_name: str) -> str:
    """An ontology property's label for a Neo4j property name (`label@fr` -> `name (fr)`)."""
    base, _, lang = neo4j_name.partition("@")
    known = {p.neo4j_name: p for p in model().by_iri.values()}
    label = known[base].label if base in known else base
    return f"{label} ({lang})" if lang else label


def relationship_label(rel_type: str) -> str:
    """An ontology object property's label for a Neo4j relationship type."""
    known = {p.neo4j_name: p.label for p in model().by_iri.values() if p.is_object}
    return known.get(rel_type, rel_type.lower().replace("_", " "))  # else a party's role


def day(date: str) -> str:
    """A partial date at the start of its period, for plotting only."""
    return {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date[:10])


def frame(rows: list[dict]):
    """A chart's rows as a DataFrame. Streamlit sends a frame beside the spec as Arrow, while
    rows given inline are checked one by one against Vega-Lite's schema by Altair, under a
    lock all sessions share (0.1-0.2 s for the disputes page's 700 proceedings)."""
    import pandas as pd

    return pd.DataFrame(rows)


def bars(values: dict[str, float], value_title: str, label_title: str | None = None,
         key: str | None = None) -> None:
    """A horizontal bar chart whose every label is readable: one row per bar (22 px), labels
    up to 320 px before they are cut (the full text is in the tooltip), largest first."""
    import altair as alt

    data = [{"label": k, "value": v} for k, v in values.items()]
    if not data:
        st.caption("Nothing to chart.")
        return
    chart = alt.Chart(frame(data)).mark_bar().encode(
        y=alt.Y("label:N", sort="-x", title=label_title,
                axis=alt.Axis(labelLimit=320, labelOverlap=False, labelFontSize=12)),
        x=alt.X("value:Q", title=value_title),
        tooltip=[alt.Tooltip("label:N", title=label_title or "name"),
                 alt.Tooltip("value:Q", title=value_title)],
    ).properties(height=max(80, 22 * len(data)))
    st.altair_chart(chart, width="stretch", key=key)


def class_label(name: str) -> str:
    """The ontology's label of a class ("CourtCase" -> "Court case"); the name if unknown."""
    cls = model().classes.get(name)
    return cls.label if cls is not None else name


def type_line(labels: list[str]) -> str:
    """A node's kind, then the classes above it, each once, by their ontology labels
    ("Appeal · Court case · Proceeding · Event"); the root tr:Entity and labels outside the
    ontology are left out."""
    from ontology import NS, kind_of, local_name

    m = model()
    own = [label for label in labels if label in m.classes]
    first = kind_of(own) if own else None
    ordered = [first] + sorted((x for x in own if x != first),
                               key=lambda x: -len(m.ancestors(m.classes[x].iri))) if first else []
    seen: list[str] = []
    for name in ordered:
        for cls in m.ancestors(m.classes[name].iri):
            if cls != NS.Entity and local_name(cls) not in seen:
                seen.append(local_name(cls))
    return " · ".join(class_label(x) for x in seen)


AMOUNTS = {"price": "currency", "penaltyAmount": "penaltyCurrency"}  # amount -> its currency


def number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def cell_text(text: str) -> str:
    """Text for a table cell, which Streamlit renders as markdown: its markup characters
    escaped so names and notes read as written."""
    return re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", text)


def bullets(items) -> str:
    """A markdown list for a table cell (one item a line)."""
    return "\n".join(f"- {item}" for item in items)


def shown(key: str, value, facts: dict) -> str:
    """A fact's value as a reader reads it (markdown for a table cell): lists as lists,
    amounts with their currency and digit groups, dates as recorded (ISO 8601, at the
    precision the source gives)."""
    if isinstance(value, list):
        return bullets(shown(key, v, facts) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        currency = facts.get(AMOUNTS.get(key, ""))
        return f"{currency} {number(value)}" if currency else number(value)
    return cell_text(str(value))


def spans(numbers: list[int]) -> str:
    """Footnote numbers as compact ranges: [1, 2, 3, 5] -> '1–3, 5'."""
    parts: list[str] = []
    for n in sorted(numbers):
        if parts and parts[-1][1] == n - 1:
            parts[-1] = (parts[-1][0], n)
        else:
            parts.append((n, n))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in parts)


def citations(db, record_id: str) -> None:
    """The record and its sources cited as BibTeX, RIS and CSL-JSON, each in a code block
    (with Streamlit's copy button) and as a download."""
    from graph import cite

    citable = cite.for_entity(db, record_id)
    if citable is None:
        return
    st.caption(f"Cite the record (techreg {citable.version}, {citable.url}, accessed "
               f"{citable.accessed}) and its {len(citable.sources)} sources. The copy button is "
               "at the top right of each block.")
    names = {"bibtex": ("BibTeX", "latex", "bib"), "ris": ("RIS", None, "ris"),
             "csl-json": ("CSL-JSON", "json", "json")}
    for tab, fmt in zip(st.tabs([names[f][0] for f in cite.FORMATS]), cite.FORMATS, strict=True):
        text = cite.render(citable, fmt)
        with tab:
            st.code(text, language=names[fmt][1])
            st.download_button(f"Download {names[fmt][0]}", text,
                               f"techreg-{record_id}.{names[fmt][2]}", key=f"cite-{fmt}")
