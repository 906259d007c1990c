"""Neo4j -> RDF: the graph written back as RDF, inverting the mapping recorded at load time.

Nodes are read in pages ordered by uri and turned into quads as they come, and pyoxigraph
serialises them as a stream, so memory stays flat as the graph grows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import BinaryIO

import pyoxigraph as ox
import rdflib

from loaders.neo4j import DEFAULT_GRAPH, Mapping

from . import cypher

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
}
QUAD_FORMATS = {"nq", "trig"}
META = {"uri", "_graph", "_hash", "_relhash", "_types"}
PATTERNS = {XSD + "gYear": re.compile(r"^-?\d{4,}$"),
            XSD + "gYearMonth": re.compile(r"^-?\d{4,}-\d{2}$"),
            XSD + "date": re.compile(r"^-?\d{4,}-\d{2}-\d{2}$")}


def _term(uri: str):
    return ox.BlankNode(uri[2:]) if uri.startswith("_:") else ox.NamedNode(uri)


def _graph(name: str | None):
    return ox.DefaultGraph() if not name or name == DEFAULT_GRAPH else ox.NamedNode(name)


def to_literal(value, datatypes: list[str], language: str | None = None) -> ox.Literal:
    """A stored Neo4j value as the RDF literal it was loaded from."""
    if language:
        return ox.Literal(str(value), language=language)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int | float):
        numeric = [d for d in datatypes if d.startswith(XSD) and d[len(XSD):] in
                   ("decimal", "integer", "int", "long", "double", "float", "short",
                    "nonNegativeInteger", "positiveInteger")]
        if XSD + "decimal" in numeric:
            if isinstance(value, int):  # whole decimals: their canonical form is the integer
                return ox.Literal(str(value), datatype=_node(XSD + "decimal"))
            return _canonical(Decimal(repr(value)), XSD + "decimal")
        if isinstance(value, int):
            datatype = next((d for d in numeric if "doub" not in d and "float" not in d),
                            XSD + "integer")
            return ox.Literal(str(value), datatype=_node(datatype))
        datatype = next((d for d in numeric if "doub" in d or "float" in d), XSD + "double")
        return _canonical(value, datatype)
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, dt.datetime):
        return _canonical(value, XSD + "dateTime")
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=_node(XSD + "date"))
    text = str(value)
    for datatype in datatypes:
        pattern = PATTERNS.get(datatype)
        if pattern is not None and datatype != XSD + "date" and pattern.match(text):
            return ox.Literal(text, datatype=_node(datatype))
    others = [d for d in datatypes if d not in PATTERNS]
    if others and others[0] not in ("", XSD + "string"):
        return ox.Literal(text, datatype=_node(others[0]))
    return ox.Literal(text)


@cache
def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _canonical(value, datatype: str) -> ox.Literal:
    """The literal in the lexical form rdflib gives it when it parses RDF (canonical)."""
    lexical = str(rdflib.Literal(value, datatype=rdflib.URIRef(datatype)))
    return ox.Literal(lexical, datatype=_node(datatype))


def read_mapping(db) -> Mapping:
    records = db.execute_query(cypher.READ_MAPPING).records
    return Mapping.from_json(records[0]["json"] if records else None)


def quads(db, page: int = 5000, uris: set[str] | None = None) -> Iterator[ox.Quad]:
    """Every statement in Neo4j as a quad, node by node in uri order (or only the statements
    about the given nodes)."""
    mapping = read_mapping(db)
    after = ""
    while True:
        rows = db.execute_query(cypher.EXPORT_NODES, after=after, limit=page).records
        if not rows:
            return
        for row in rows:
            if uris is None or row["uri"] in uris:
                yield from _node_quads(row["uri"], row["props"], row["out"], mapping)
        after = rows[-1]["uri"]


def _node_quads(uri: str, props: dict, out: list, mapping: Mapping) -> Iterator[ox.Quad]:
    subject = _term(uri)
    graph = _graph(props.get("_graph"))
    for type_iri in props.get("_types", []):
        yield ox.Quad(subject, RDF_TYPE, _node(type_iri), graph)
    for name, values in props.items():
        if name in META:
            continue
        base, _, language = name.partition("@")
        predicate = _node(mapping.properties[base])
        for value in values if isinstance(values, list) else [values]:
            literal = to_literal(value, mapping.datatypes.get(base, []), language or None)
            yield ox.Quad(subject, predicate, literal, graph)
    for rel_type, end, graphs in out:
        predicate = _node(mapping.relationships[rel_type])
        for name in graphs or [None]:
            yield ox.Quad(subject, predicate, _term(end), _graph(name))


def export(db, output: BinaryIO, fmt: str = "nq", uris: set[str] | None = None) -> int:
    """Write the graph (or the statements about some nodes) to output in the given format;
    returns the number of statements."""
    count = 0
    triples_only = fmt not in QUAD_FORMATS

    def stream():
        nonlocal count
        for quad in quads(db, uris=uris):
            count += 1
            yield ox.Triple(quad.subject, quad.predicate, quad.object) if triples_only else quad

    prefixes = {prefix: ns for ns, prefix in read_mapping(db).prefixes.items()}
    if fmt in ("nt", "nq"):
        ox.serialize(stream(), output, FORMATS[fmt])
    else:
        ox.serialize(stream(), output, FORMATS[fmt], prefixes=prefixes)
    return count
