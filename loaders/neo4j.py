"""RDF -> Neo4j: the ontology-derived property-graph mapping and the writer.

The mapping (docs/mapping.md):
- a node per IRI, label `Resource` plus the local names of its ontology types and their
  superclasses; terms outside the ontology get `prefix__localName` names;
- IRI-valued statements become relationships (UPPER_SNAKE_CASE of the local name);
- literal-valued statements become node properties with native Neo4j types; several
  values make a list; a language-tagged literal goes to `name@lang`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, URIRef

from graph import cypher
from ontology import local_name, model, upper_snake

NATIVE = {XSD.date, XSD.dateTime, XSD.integer, XSD.int, XSD.long, XSD.boolean, XSD.double,
          XSD.float, XSD.string}


@dataclass
class PropertyGraph:
    nodes: dict[str, dict] = field(default_factory=dict)  # uri -> {"labels": set, "props": {}}
    rels: dict[tuple[str, str, str], dict] = field(default_factory=dict)  # (start, type, end)
    unknown_terms: set[str] = field(default_factory=set)

    def node(self, uri: str) -> dict:
        return self.nodes.setdefault(uri, {"labels": {"Resource"}, "props": {"uri": uri}})


class Naming:
    """Neo4j names for RDF terms: from the ontology, else a generic prefix__local scheme."""

    def __init__(self, graph: Graph):
        self.model = model()
        self.prefixes = {str(ns): prefix for prefix, ns in graph.namespace_manager.namespaces()
                         if prefix}
        self.unknown: set[str] = set()

    def _generic(self, iri: URIRef, relationship: bool) -> str:
        self.unknown.add(str(iri))
        local = local_name(iri)
        namespace = str(iri)[: len(str(iri)) - len(local)]
        prefix = self.prefixes.get(namespace)
        if prefix is None:
            prefix = f"ns{len([p for p in self.prefixes.values() if p.startswith('ns')])}"
            self.prefixes[namespace] = prefix
        return f"{prefix}__{upper_snake(local) if relationship else local}"

    def labels(self, cls: URIRef) -> list[str]:
        if self.model.is_own(cls):
            return [local_name(c) for c in self.model.ancestors(cls)]
        return [self._generic(cls, relationship=False)]

    def relationship(self, prop: URIRef) -> str:
        known = self.model.by_iri.get(prop)
        return known.neo4j_name if known else self._generic(prop, relationship=True)

    def property(self, prop: URIRef) -> str:
        known = self.model.by_iri.get(prop)
        return known.neo4j_name if known else self._generic(prop, relationship=False)


def native(literal: Literal):
    """A literal as a native Neo4j value; partial dates and other types stay strings."""
    value = literal.toPython()
    if literal.datatype in (XSD.decimal,) and isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    if isinstance(value, dt.datetime | dt.date | bool | int | float | str):
        return value
    return str(literal)


def to_property_graph(graph: Graph) -> PropertyGraph:
    """Map an RDF graph to nodes and relationships (pure; no database)."""
    naming = Naming(graph)
    pg = PropertyGraph()
    for s, p, o in triples(graph):
        start = _node_id(s)
        node = pg.node(start)
        if p == RDF.type and isinstance(o, URIRef):
            node["labels"].update(naming.labels(o))
        elif isinstance(o, Literal):
            name = naming.property(p)
            if o.language:
                name = f"{name}@{o.language}"
            values = node["props"].setdefault(name, [])
            values.append(native(o))
        else:
            end = _node_id(o)
            pg.node(end)
            pg.rels.setdefault((start, naming.relationship(p), end), {})
    for node in pg.nodes.values():
        for name, values in node["props"].items():
            if isinstance(values, list):
                values.sort(key=lambda v: (str(type(v)), str(v)))
                node["props"][name] = values[0] if len(values) == 1 else values
    pg.unknown_terms = naming.unknown
    return pg


def triples(graph: Graph):
    """Every triple of a graph, or of every graph of a dataset."""
    if isinstance(graph, Dataset):
        return ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None)))
    return iter(graph)


def _node_id(term) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


@dataclass
class LoadSummary:
    nodes: int
    relationships: int
    unknown_terms: int
    seconds: float
    triples: int

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds else 0.0


def load(graph: Graph, db, batch_size: int = 5000) -> LoadSummary:
    """Make Neo4j hold exactly this graph, in one transaction: all of it or nothing."""
    started = time.perf_counter()
    pg = to_property_graph(graph)
    db.execute_query(cypher.CONSTRAINT_URI)
    by_labels: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for node in pg.nodes.values():
        by_labels[tuple(sorted(node["labels"]))].append({"uri": node["props"]["uri"],
                                                         "props": node["props"]})
    by_type: dict[str, list[dict]] = defaultdict(list)
    for (start, rel_type, end), props in pg.rels.items():
        by_type[rel_type].append({"start": start, "end": end, "props": props})

    def work(tx):
        tx.run(cypher.DELETE_ALL_IN_TX).consume()
        for labels, rows in sorted(by_labels.items()):
            query = cypher.merge_nodes(list(labels))
            for i in range(0, len(rows), batch_size):
                tx.run(query, rows=rows[i: i + batch_size]).consume()
        for rel_type, rows in sorted(by_type.items()):
            query = cypher.merge_relationships(rel_type)
            for i in range(0, len(rows), batch_size):
                tx.run(query, rows=rows[i: i + batch_size]).consume()

    with db.session() as session:
        session.execute_write(work)
    return LoadSummary(len(pg.nodes), len(pg.rels), len(pg.unknown_terms),
                       time.perf_counter() - started, sum(1 for _ in triples(graph)))
