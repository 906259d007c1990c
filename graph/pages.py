"""The explorer's pages. Each reads Neo4j only through the library (browse, queries, console,
analytics, export); the page and its state live in the URL (st.query_params)."""

from __future__ import annotations

import csv
import io
import json
from html import escape
from urllib.parse import quote

import streamlit as st
from st_keyup import st_keyup

from ontology import model
from ontology.errors import TechregError

from . import analytics, browse, queries, viz
from .browse import Subgraph, short

PAGES = {
    "home": "Search", "entity": "Entity", "disputes": "Disputes", "questions": "Research questions",
    "cypher": "Cypher console", "sparql": "SPARQL console", "analytics": "Paths and analytics",
    "export": "Export",
}
FEATURED = ["telecom-status-challenges", "owner-as-of", "dispute-proceedings",
            "company-disputes", "largest-fines", "source-disagreements"]
EXPAND_CAP = 300


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


# --- home ------------------------------------------------------------------------------------

def home(db) -> None:
    st.title("techreg")
    st.caption("A sourced knowledge graph of tech-regulation disputes: companies and their "
               "acquisitions, jurisdictions, laws, courts, regulators, disputes and proceedings.")
    counts = browse.label_counts(db)
    kinds = ["any type"] + [k for k in sorted(counts) if k in viz.PALETTE]
    left, right = st.columns([3, 1])
    with left:  # results follow each keystroke (debounced), from the full-text index
        text = st_keyup("Search names, labels and aliases", value=param("q", ""), key="w_q",
                        debounce=300, placeholder="Skype, Microsoft, Court of Cassation, GDPR...")
    kind = right.selectbox("Type", kinds, key=seeded(
        "w_type", param("type") if param("type") in kinds else "any type"))
    set_params(q=text, type=None if kind == "any type" else kind)
    if text:
        hits = browse.search(db, text, None if kind == "any type" else kind)
        if not hits:
            st.info(f"Nothing matches '{text}'.")
        for hit in hits:
            md(f"- {link(hit['id'], hit['name'])} · {hit['kind']}")
    st.subheader("What the graph holds")
    main = {k: v for k, v in counts.items() if k in viz.PALETTE}
    st.bar_chart(main, horizontal=True, sort="-value", height=420)
    st.subheader("Featured research questions")
    library = queries.library()
    for name in FEATURED:
        if name in library:
            md(f"- {internal(f'?page=questions&q={name}', library[name].title)}")


# --- entity ----------------------------------------------------------------------------------

def entity(db) -> None:
    entity_id = param("id")
    if not entity_id:
        st.info("Search for an entity on the Search page, or open one by its id.")
        entity_id = st.text_input("Record id", placeholder="skype")
        if not entity_id:
            return
        set_params(id=entity_id)
    found = browse.entity(db, entity_id)
    if found is None:
        st.error(f"No entity '{entity_id}' in the graph.")
        return
    st.title(found.name)
    st.caption(f"{found.kind} · `{short(found.uri)}` · {' · '.join(found.labels)}")
    facts, graph_tab, timeline_tab = st.tabs(["Facts and sources", "Graph", "Timeline"])
    with facts:
        _facts(found)
    with graph_tab:
        _entity_graph(db, found)
    with timeline_tab:
        _timeline(db, found)


def _facts(found: browse.Entity) -> None:
    if found.facts:
        st.table([{"fact": field_label(k), "value": json.dumps(v, ensure_ascii=False)
                   if isinstance(v, list) else str(v)} for k, v in found.facts])
    if found.identifiers:
        st.markdown("**Identifiers:** " + " · ".join(
            f"{kind}: [{value}]({url})" for kind, value, url in found.identifiers))
    for title, rels in (("Links", found.outgoing), ("Linked from", found.incoming)):
        if rels:
            st.markdown(f"**{title}**")
            for rel in rels:
                md(f"- {field_label_for_rel(rel['type'])}: {link(rel['id'], rel['name'])}"
                   f" · {rel['kind']}")
    if found.roles:
        st.markdown("**Party to**")
        for r in found.roles:
            md(f"- {link(r['id'], r['name'])} · {r['kind']} · as {r['role'] or 'party'}")
    if found.sources:
        st.markdown("**Sources**")
        for s in sorted(found.sources, key=lambda s: str(s.get("published") or "")):
            st.markdown(f"- [{s.get('title') or s.get('url')}]({s.get('url')}) · "
                        f"{s.get('publisher') or ''} · published {s.get('published') or 'n.d.'}"
                        f" · checked {s.get('accessed')}")
    if found.claims:
        st.markdown("**Where sources disagree**")
        st.table([{"fact": c["property"], "other value": c["value"],
                   "according to": ", ".join(c["sources"])} for c in found.claims])


def field_label_for_rel(rel_type: str) -> str:
    known = {p.neo4j_name: p.label for p in model().by_iri.values() if p.is_object}
    return known.get(rel_type, rel_type)


def _entity_graph(db, found: browse.Entity) -> None:
    left, right = st.columns([1, 3])
    hops = left.radio("Hops", [1, 2], horizontal=True,
                      key=seeded("w_hops", 2 if param("hops") == "2" else 1))
    all_types = browse.relationship_types(db)
    chosen = right.multiselect("Relationship types", all_types,
                               key=seeded("w_rels", _listed("rels", all_types)))
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
        st.info("No dated events.")
        return
    import altair as alt

    data = [{**r, "day": _day(r["date"])} for r in rows]
    chart = alt.Chart(alt.Data(values=data)).mark_circle(size=120).encode(
        x=alt.X("day:T", title="date"), y=alt.Y("kind:N", title=None),
        color=alt.Color("kind:N", legend=None),
        tooltip=["date:N", "what:N", "event:N"]).properties(height=220)
    st.altair_chart(chart, width="stretch")
    st.dataframe([{"date": r["date"], "what": field_label(r["what"]), "event": r["event"],
                   "kind": r["kind"]} for r in rows], hide_index=True)


def _day(date: str) -> str:
    """A partial date at the start of its period, for plotting only."""
    return {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date[:10])


# --- disputes --------------------------------------------------------------------------------

def disputes(db) -> None:
    st.title("Disputes")
    rows = browse.disputes(db)
    groups = browse.companies_with_subsidiaries(db)
    facets = st.columns(4)
    jurisdictions = sorted({j for r in rows for j in r["jurisdictions"]})
    topics = sorted({t for r in rows for t in r["topics"]})
    chosen_j = facets[0].multiselect("Jurisdiction", jurisdictions,
                                     key=seeded("w_j", _listed("j", jurisdictions)))
    chosen_t = facets[1].multiselect("Legal question", topics,
                                     key=seeded("w_t", _listed("t", topics)))
    companies = ["any company"] + sorted(groups)
    company = facets[2].selectbox("Company (with subsidiaries)", companies,
                                  key=seeded("w_c", param("c") if param("c") in companies
                                             else "any company"))
    outcome = facets[3].text_input("Outcome contains", key=seeded("w_o", param("o", "")))
    years = sorted({int(r["started"][:4]) for r in rows if r["started"]})
    lo, hi = (years[0], years[-1]) if years else (2000, 2026)
    span = st.slider("Started between", lo, hi, key=seeded(
        "w_span", (max(lo, int(param("from", lo))), min(hi, int(param("to", hi))))))
    set_params(j=",".join(chosen_j) or None, t=",".join(chosen_t) or None,
               c=None if company == "any company" else company, o=outcome or None,
               **{"from": str(span[0]) if span[0] != lo else None,
                  "to": str(span[1]) if span[1] != hi else None})
    members = set(groups.get(company, [])) if company != "any company" else None
    shown = [r for r in rows
             if (not chosen_j or set(chosen_j) & set(r["jurisdictions"]))
             and (not chosen_t or set(chosen_t) & set(r["topics"]))
             and (members is None or members & set(r["companies"]))
             and (not outcome or outcome.lower() in r["outcome"].lower())
             and (not r["started"] or span[0] <= int(r["started"][:4]) <= span[1])]
    st.caption(f"{len(shown)} of {len(rows)} disputes")
    st.dataframe([{"dispute": f"?page=disputes&dispute={r['id']}", "name": r["name"],
                   "jurisdictions": ", ".join(r["jurisdictions"]), "topics": ", ".join(r["topics"]),
                   "companies": ", ".join(r["companies"]), "started": r["started"],
                   "proceedings": r["proceedings"]} for r in shown],
                 column_config={"dispute": st.column_config.LinkColumn(
                     "open", display_text="open")}, hide_index=True)
    counts = {}
    for r in shown:
        for j in r["jurisdictions"] or ["unknown"]:
            counts[j] = counts.get(j, 0) + 1
    left, right = st.columns(2)
    left.markdown("**Disputes per jurisdiction**")
    left.bar_chart(counts, horizontal=True, sort="-value")
    right.markdown("**Fines per jurisdiction (largest totals first)**")
    right.dataframe(browse.fines_by_jurisdiction(db), hide_index=True)
    _proceedings_chart(db, {r["name"] for r in shown})
    if param("dispute"):
        _dispute(db, param("dispute"))


def _listed(name: str, options: list[str]) -> list[str]:
    return [v for v in (param(name) or "").split(",") if v in options]


def _proceedings_chart(db, names: set[str]) -> None:
    import altair as alt

    data = [{**r, "day": _day(r["date"])} for r in browse.proceedings_timeline(db)
            if r["dispute"] in names]
    if not data:
        return
    st.markdown("**Proceedings over time**")
    chart = alt.Chart(alt.Data(values=data)).mark_circle(size=70).encode(
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
    md(link(dispute_id, "Open its page"))
    result = queries.run_cypher(db, queries.get("dispute-proceedings"), {"dispute": dispute_id})
    st.dataframe([dict(zip(result.columns, r, strict=True)) for r in result.rows], hide_index=True)
    uris = [r[0] for r in result.rows] + [found.uri]
    sub = browse.subgraph(db, uris, ["APPEAL_OF", "IN_DISPUTE"])
    st.session_state["selection"] = sub
    viz.show(sub, key=f"appeals:{dispute_id}", height=360)


# --- research questions ----------------------------------------------------------------------

def questions(db) -> None:
    st.title("Research questions")
    library = queries.library()
    names = list(library)
    name = st.selectbox("Question", names, format_func=lambda n: library[n].title,
                        key=seeded("w_question", param("q") if param("q") in names else names[0]))
    question = library[name]
    st.caption(question.description)
    given = {}
    for p in question.params:
        given[p.name] = st.text_input(f"{p.name} ({p.type})", help=p.help, key=seeded(
            f"w_{name}_{p.name}", param(f"p_{p.name}", p.default) or ""))
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
        st.dataframe(rows, hide_index=True)
        left, right = st.columns(2)
        left.download_button("CSV", _csv(result.columns, result.rows), f"{name}.csv", "text/csv")
        right.download_button("JSON", json.dumps(rows, ensure_ascii=False, default=str),
                              f"{name}.json", "application/json")
    with graph_tab:
        uris = sorted({v for r in result.rows for v in r
                       if isinstance(v, str) and v.startswith("https://w3id.org/techreg/id/")})
        if uris:
            sub = browse.subgraph(db, uris[: EXPAND_CAP])
            st.session_state["selection"] = sub
            viz.show(sub, key=f"question:{name}:{json.dumps(given, sort_keys=True)}")
        else:
            st.info("This question returns no entities to draw.")
    with code:
        st.code(question.cypher, language="cypher")
        st.code(question.sparql, language="sparql")


def _csv(columns, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


# --- consoles --------------------------------------------------------------------------------

def cypher_console(db) -> None:
    from . import settings
    from .console import run_readonly

    st.title("Cypher console")
    st.caption(f"Read-only: the query runs in a READ transaction after an EXPLAIN check; "
               f"timeout {settings.get('TECHREG_QUERY_TIMEOUT')} s, at most "
               f"{settings.get('TECHREG_ROW_LIMIT')} rows. Ctrl/Cmd+Enter runs.")
    default = ("MATCH (c:Company)<-[:ACQUIRER]-(a:Acquisition)-[:TARGET]->(t) RETURN c.label AS "
               "buyer, t.label AS target, a.completed AS completed ORDER BY completed")
    text = st.text_area("Cypher", height=140, key=seeded("w_cypher", param("cypher", default)))
    set_params(cypher=text)
    try:
        result = run_readonly(db, text)
    except TechregError as e:
        st.error(str(e))
        return
    if result.truncated:
        st.warning(f"Stopped at the row limit ({len(result.rows)} rows).")
    st.dataframe([dict(zip(result.columns, [json.dumps(v, default=str, ensure_ascii=False)
                                            if isinstance(v, dict | list) else v for v in r],
                           strict=True)) for r in result.rows], hide_index=True)
    uris = sorted({v["uri"] if isinstance(v, dict) else v for r in result.rows for v in r
                   if (isinstance(v, dict) and "uri" in v) or
                   (isinstance(v, str) and v.startswith("https://w3id.org/techreg/id/"))})
    if uris:
        sub = browse.subgraph(db, uris[:EXPAND_CAP])
        st.session_state["selection"] = sub
        viz.show(sub, key=f"cypher:{hash(text)}", height=420)


@st.cache_resource(max_entries=2)
def _sparql_store(_db, version: tuple):
    from .sparql import store_from_neo4j

    return store_from_neo4j(_db)


def sparql_console(db) -> None:
    from .queries import plain
    from .sparql import query_rows

    st.title("SPARQL console")
    st.caption("SPARQL 1.1 over the graph as exported from Neo4j (read-only).")
    default = ("PREFIX tr: <https://w3id.org/techreg/ontology#>\n"
               "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
               "SELECT ?dispute ?name WHERE { ?dispute a tr:Dispute ; rdfs:label ?name }\n"
               "ORDER BY ?name LIMIT 20")
    text = st.text_area("SPARQL", height=160, key=seeded("w_sparql", param("sparql", default)))
    set_params(sparql=text)
    counts = browse.label_counts(db)
    store = _sparql_store(db, tuple(sorted(counts.items())))
    try:
        columns, rows = query_rows(store, text)
    except TechregError as e:
        st.error(str(e))
        return
    st.dataframe([dict(zip(columns, [plain(v) for v in r], strict=True)) for r in rows],
                 hide_index=True)


# --- analytics -------------------------------------------------------------------------------

def analytics_page(db) -> None:
    st.title("Paths and analytics")
    graph = analytics.project(db)
    st.subheader("How are two entities connected?")
    left, right = st.columns(2)
    start = left.text_input("From (record id)", key=seeded("w_from", param("from_id",
                                                                           "microsoft")))
    end = right.text_input("To (record id)", key=seeded(
        "w_to", param("to_id", "court-first-instance-antwerp-mechelen")))
    set_params(from_id=start, to_id=end)
    try:
        hops = analytics.path(graph, start, end)
        md(" → ".join(link(short(h["uri"]), h["name"]) + (f" <i>({h['via']})</i>" if h["via"]
                                                          else "") for h in hops))
        sub = browse.subgraph(db, [h["uri"] for h in hops])
        viz.show(sub, key=f"path:{start}:{end}", height=320)
    except TechregError as e:
        st.error(str(e))
    st.subheader("Most central")
    kinds = st.multiselect("Kinds", ["Company", "Law", "Court", "Regulator", "Dispute"],
                           default=["Company"])
    rows = analytics.centrality(graph, kinds or None, top=15)
    st.bar_chart({r["name"]: r["pagerank"] for r in rows}, horizontal=True, sort="-value")
    st.dataframe(rows, hide_index=True)
    st.subheader("Communities")
    st.dataframe([{**c, "members": ", ".join(c["members"]), "kinds": json.dumps(c["kinds"])}
                  for c in analytics.communities(graph)], hide_index=True)
    st.subheader("Similar disputes")
    all_disputes = browse.disputes(db)
    ids = [d["id"] for d in all_disputes]
    names = {d["id"]: d["name"] for d in all_disputes}
    default = param("similar", "skype-belgium-interception")
    chosen = st.selectbox("Dispute", ids, format_func=lambda i: names[i],
                          key=seeded("w_similar", default if default in ids else ids[0]))
    set_params(similar=chosen)
    st.dataframe(analytics.similar(db, chosen, top=8), hide_index=True)


# --- export ----------------------------------------------------------------------------------

def export_page(db) -> None:
    from .export import export

    st.title("Export")
    selection: Subgraph | None = st.session_state.get("selection")
    scopes = ["the whole graph"] + (["the current selection"] if selection else [])
    scope = st.radio("What", scopes, horizontal=True)
    fmt = st.selectbox("Format", ["Turtle", "JSON-LD", "N-Triples", "CSV", "GraphML"])
    uris = set(selection.nodes) if selection and scope != "the whole graph" else None
    if fmt in ("Turtle", "JSON-LD", "N-Triples"):
        code = {"Turtle": "ttl", "JSON-LD": "jsonld", "N-Triples": "nt"}[fmt]
        buffer = io.BytesIO()
        count = export(db, buffer, code, uris=uris)
        st.caption(f"{count} statements")
        st.download_button(f"Download {fmt}", buffer.getvalue(), f"techreg.{code}")
        return
    sub = selection if uris else analytics_subgraph(db)
    if fmt == "CSV":
        rows = [[short(a), sub.nodes.get(a, {}).get("name"), t, short(b),
                 sub.nodes.get(b, {}).get("name")] for a, t, b in sub.edges]
        st.download_button("Download CSV", _csv(["start", "start_name", "type", "end",
                                                 "end_name"], rows), "techreg.csv", "text/csv")
    else:
        import networkx as nx

        graph = nx.MultiDiGraph()
        for node, data in sub.nodes.items():
            graph.add_node(node, name=data["name"], kind=data["kind"])
        for a, t, b in sub.edges:
            graph.add_edge(a, b, type=t)
        buffer = io.BytesIO()
        nx.write_graphml(graph, buffer)
        st.download_button("Download GraphML", buffer.getvalue(), "techreg.graphml")
    st.caption(f"{len(sub.nodes)} nodes, {len(sub.edges)} relationships")


def analytics_subgraph(db) -> Subgraph:
    graph = analytics.project(db)
    return Subgraph({n: {"name": d["name"], "kind": d["kind"]} for n, d in graph.nodes(data=True)},
                    sorted({(a, d["type"], b) for a, b, d in graph.edges(data=True)}))


RENDER = {"home": home, "entity": entity, "disputes": disputes, "questions": questions,
          "cypher": cypher_console, "sparql": sparql_console, "analytics": analytics_page,
          "export": export_page}
