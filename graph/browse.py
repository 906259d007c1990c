"""What the explorer shows, as plain functions over Neo4j: search, entities, neighbourhoods,
timelines, disputes. The explorer's pages call these; no page writes Cypher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ontology import ID
from ontology.mapping import EXACT, META_PROPS

from . import cypher
from .analytics import kind_of
from .queries import plain

LINKS = {  # identifier property -> URL template (opened by the reader's browser, never fetched)
    "ecli": "https://e-justice.europa.eu/ecli/{}",
    "celex": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{}",
    "eli": "{}",
}
HIDDEN = {*META_PROPS, "_types"}  # the loader's bookkeeping properties
NEIGHBOUR_LIMIT = 150


def uri(entity: str) -> str:
    return entity if "://" in entity else str(ID[entity])


def short(value: str) -> str:
    """A record id for techreg IRIs, else the IRI."""
    return value.removeprefix(str(ID))


def _name(value) -> str | None:
    if isinstance(value, list):
        return str(value[0]) if value else None
    return None if value is None else str(value)


# --- search --------------------------------------------------------------------------------

def lucene(text: str) -> str:
    """A user's words as a safe full-text query: special characters escaped, each word a prefix."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " AND ".join(f"{w}*" for w in words[:8])


def search(db, text: str, label: str | None = None, limit: int = 20) -> list[dict]:
    """Entities whose name, label, alias or title matches the words typed."""
    query = lucene(text)
    if not query:
        return []
    rows = db.execute_query(cypher.SEARCH, q=query, label=label, limit=limit).records
    return [{"id": short(r["uri"]), "uri": r["uri"], "name": _name(r["name"]) or short(r["uri"]),
             "kind": kind_of(r["labels"]), "score": round(r["score"], 3)} for r in rows]


def label_counts(db) -> dict[str, int]:
    return {r["label"]: r["count"] for r in db.execute_query(cypher.LABEL_COUNTS).records}


# --- entities -------------------------------------------------------------------------------

@dataclass
class Entity:
    uri: str
    name: str
    labels: list[str]
    facts: list[tuple[str, object]] = field(default_factory=list)
    identifiers: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, value, link)
    outgoing: list[dict] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)  # proceedings it is a party to
    incoming: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return kind_of(self.labels)


def entity(db, entity_id: str) -> Entity | None:
    """Everything the graph says about one entity, or None if it is not there."""
    records = db.execute_query(cypher.ENTITY, uri=uri(entity_id)).records
    if not records:
        return None
    row = records[0]
    props = row["props"]
    name = _name(props.get("label")) or _name(props.get("label@en")) or short(row["uri"])
    result = Entity(row["uri"], name, sorted(row["labels"]))
    for key in sorted(props):
        if key in HIDDEN or key.endswith(EXACT):  # (exact RDF terms: for export)
            continue
        value = plain(props[key])
        if key in LINKS:
            for v in value if isinstance(value, list) else [value]:
                result.identifiers.append((key, str(v), LINKS[key].format(v)))
        else:
            result.facts.append((key, value))
    for rel in row["outgoing"]:
        target = rel["uri"]
        if rel["type"] == "WIKIDATA":
            qid = target.rsplit("/", 1)[-1]
            result.identifiers.append(("wikidata", qid, f"https://www.wikidata.org/wiki/{qid}"))
        elif rel["type"] == "SOURCE":
            continue
        else:
            result.outgoing.append({"type": rel["type"], "id": short(target),
                                    "name": _name(rel["name"]) or short(target),
                                    "kind": kind_of(rel["labels"])})
    for rel in row["incoming"]:
        result.incoming.append({"type": rel["type"], "id": short(rel["uri"]),
                                "name": _name(rel["name"]) or short(rel["uri"]),
                                "kind": kind_of(rel["labels"])})
    result.roles = sorted(({"id": short(r["uri"]), "name": _name(r["name"]) or short(r["uri"]),
                            "kind": kind_of(r["labels"]), "role": r["role"]} for r in row["roles"]),
                          key=lambda r: r["id"])
    result.sources = [{k: plain(v) for k, v in s.items()} for s in row["sources"]]
    result.claims = [{**{k: plain(v) for k, v in c.items()},
                      "property": (c["property"] or "").rsplit("#", 1)[-1]} for c in row["claims"]]
    return result


# --- neighbourhoods -------------------------------------------------------------------------

@dataclass
class Subgraph:
    nodes: dict[str, dict]  # uri -> {name, kind}
    edges: list[tuple[str, str, str]]  # (start, type, end)
    truncated: bool = False

    def merge(self, other: Subgraph) -> Subgraph:
        nodes = {**self.nodes, **other.nodes}
        edges = sorted(set(self.edges) | set(other.edges))
        return Subgraph(nodes, edges, self.truncated or other.truncated)


def neighbourhood(db, entity_id: str, hops: int = 1, types: list[str] | None = None,
                  limit: int = NEIGHBOUR_LIMIT, with_sources: bool = False) -> Subgraph:
    """The entity and its neighbours up to 1 or 2 hops, capped at `limit` nodes."""
    center = uri(entity_id)
    rows = db.execute_query(cypher.NEIGHBOURHOOD[2 if hops >= 2 else 1], uri=center,
                            types=types or None, sources=with_sources, limit=limit).records
    truncated = len(rows) >= limit
    uris = [center] + [r["uri"] for r in rows]
    return subgraph(db, uris, types, truncated)


def subgraph(db, uris: list[str], types: list[str] | None = None,
             truncated: bool = False) -> Subgraph:
    """These nodes and the relationships among them, with each party's participation in a
    proceeding drawn as one edge named by its role (proceeding -[DEFENDANT]-> company)."""
    roles = db.execute_query(cypher.PARTICIPATIONS, uris=uris).records
    participations = {r["participation"] for r in roles}
    wanted = [u for u in uris if u not in participations]
    wanted += [u for r in roles for u in (r["proceeding"], r["party"]) if u not in wanted]
    nodes = {r["uri"]: {"name": _name(r["name"]) or short(r["uri"]), "kind": kind_of(r["labels"])}
             for r in db.execute_query(cypher.NODES, uris=wanted).records}
    edges = {(r["start"], r["type"], r["end"]) for r in db.execute_query(
        cypher.SUBGRAPH_EDGES, uris=list(nodes), types=types or None).records}
    edges |= {(r["proceeding"], (r["role"] or "party").upper().replace("-", "_"), r["party"])
              for r in roles}
    return Subgraph(nodes, sorted(edges), truncated)


def relationship_types(db) -> list[str]:
    return [r["type"] for r in db.execute_query(cypher.RELATIONSHIP_TYPES).records]


# --- timelines and disputes -------------------------------------------------------------------

def timeline(db, entity_id: str) -> list[dict]:
    """Dated events around an entity: its own dates and those of events it takes part in."""
    rows = db.execute_query(cypher.TIMELINE, uri=uri(entity_id), dates=date_properties()).records
    return sorted(({"date": r["date"], "what": r["what"], "event": _name(r["name"]),
                    "id": short(r["uri"]), "kind": kind_of(r["labels"])} for r in rows),
                  key=lambda r: (r["date"], r["id"], r["what"]))


def date_properties() -> list[str]:
    """The Neo4j names of the ontology's date properties (read from the ontology)."""
    from ontology import model

    m = model()
    return sorted(p.neo4j_name for p in m.by_iri.values() if m.is_date(p))


def disputes(db) -> list[dict]:
    """One row per dispute with the facets the explorer filters on."""
    result = []
    for r in db.execute_query(cypher.DISPUTES).records:
        result.append({
            "id": short(r["uri"]), "name": _name(r["name"]) or short(r["uri"]),
            "jurisdictions": sorted(set(r["jurisdictions"])), "topics": sorted(set(r["topics"])),
            "companies": sorted(set(r["companies"])), "started": r["started"],
            "ended": r["ended"], "outcome": _name(r["outcome"]) or "",
            "proceedings": r["proceedings"],
        })
    return result


def companies_with_subsidiaries(db) -> dict[str, list[str]]:
    """Company name -> names of itself and its structural subsidiaries (for the facet)."""
    return {r["name"]: sorted(set(r["members"]))
            for r in db.execute_query(cypher.COMPANY_GROUPS).records if r["name"]}


def proceedings_timeline(db) -> list[dict]:
    return [{"dispute": _name(r["dispute"]), "proceeding": _name(r["name"]),
             "date": r["date"], "kind": kind_of(r["labels"]), "jurisdiction": r["jurisdiction"]}
            for r in db.execute_query(cypher.PROCEEDINGS_TIMELINE).records]


def fines_by_jurisdiction(db) -> list[dict]:
    return [dict(r) for r in db.execute_query(cypher.FINES_BY_JURISDICTION).records]


# --- the explorer, round two ----------------------------------------------------------------

def kind_counts(db) -> dict[str, int]:
    """Nodes per kind (each node counted once, under its most specific ontology class)."""
    counts: dict[str, int] = {}
    for r in db.execute_query(cypher.KIND_COUNTS).records:
        kind = kind_of(r["labels"])
        counts[kind] = counts.get(kind, 0) + r["count"]
    return counts


def claims_about(db, entity_id: str) -> list[dict]:
    """What other sources say about the entity's facts: one row per Claim with the Neo4j name
    of the property it is about, the value it reports and its sources (title, publisher)."""
    from ontology import model

    names = {str(p.iri): p.neo4j_name for p in model().by_iri.values()}
    rows = []
    for r in db.execute_query(cypher.CLAIMS_ABOUT, uri=uri(entity_id)).records:
        rows.append({"id": short(r["uri"]), "name": _name(r["name"]) or short(r["uri"]),
                     "property": names.get(r["property"] or "", short(r["property"] or "")),
                     "value": plain(r["value"]),
                     "sources": [{k: plain(v) for k, v in s.items()} for s in r["sources"]]})
    return rows


def named_entities(db) -> dict[str, str]:
    """Record id -> 'name · kind' of the entities a reader picks by name (actors, disputes,
    events, laws, services, jurisdictions), for inputs that take an entity."""
    from ontology import model

    m = model()
    rows = []
    for r in db.execute_query(cypher.PICKABLE_ENTITIES).records:
        kind = kind_of(r["labels"])
        label = m.classes[kind].label if kind in m.classes else kind
        rows.append((short(r["uri"]), f"{_name(r['name']) or short(r['uri'])} · {label}"))
    return dict(sorted(rows, key=lambda r: r[1].casefold()))
