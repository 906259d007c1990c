"""Neo4j -> RDF: the graph written back as RDF, inverting the mapping recorded at load time.

Nodes are read in pages ordered by uri and turned into quads as they come (the next page is
read while this one is turned), and pyoxigraph serialises them as a stream, so memory stays
flat as the graph grows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from functools import cache, lru_cache
from typing import BinaryIO

import pyoxigraph as ox
import rdflib

from loaders.neo4j import DEFAULT_GRAPH, META_PROPS, Mapping

from . import cypher

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
}
QUAD_FORMATS = {"nq", "trig"}
META = {*META_PROPS, "_types"}  # the loader's bookkeeping, not statements
PATTERNS = {XSD + "gYear": re.compile(r"^-?\d{4,}$"),
            XSD + "gYearMonth": re.compile(r"^-?\d{4,}-\d{2}$"),
            XSD + "date": re.compile(r"^-?\d{4,}-\d{2}-\d{2}$")}


@lru_cache(maxsize=50_000)  # relationship ends repeat: places, laws, sources
def _term(uri: str):
    return ox.BlankNode(uri[2:]) if uri.startswith("_:") else ox.NamedNode(uri)


@cache
def _graph(name: str | None):
    return ox.DefaultGraph() if not name or name == DEFAULT_GRAPH else ox.NamedNode(name)


_PLAIN = ([""], [XSD + "string"], ["", XSD + "string"], [XSD + "string", ""])


def to_literal(value, datatypes: list[str], language: str | None = None) -> ox.Literal:
    """A stored Neo4j value as the RDF literal it was loaded from."""
    if language:
        return ox.Literal(str(value), language=language)
    if type(value) is str and datatypes in _PLAIN:  # the common case, first
        return ox.Literal(value)
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


def quads(db, uris: set[str] | None = None) -> Iterator[ox.Quad]:
    """Every statement in Neo4j as a quad, node by node in uri order (or only the statements
    about the given nodes)."""
    return (ox.Quad(*statement) for statement in statements(db, uris=uris))


def statements(db, page: int = 10000, uris: set[str] | None = None) -> Iterator[tuple]:
    """Every statement in Neo4j as a (subject, predicate, object, graph) tuple of pyoxigraph
    terms, node by node in uri order (or only the statements about the given nodes).

    Two threads fetch the next pages while this one turns the current page into terms, so
    the waits for Neo4j overlap each other and the work in Python.
    """
    mapping = read_mapping(db)
    [bounds] = db.execute_query(cypher.EXPORT_PAGES, size=page).records
    starts = bounds["starts"]

    def fetch(i: int) -> list:
        end = starts[i + 1] if i + 1 < len(starts) else None
        return db.execute_query(cypher.EXPORT_NODES, start=starts[i], end=end
                                ).records[0]["nodes"]

    with ThreadPoolExecutor(max_workers=2) as pool:
        pending = deque(pool.submit(fetch, i) for i in range(min(3, len(starts))))
        for i in range(len(starts)):
            nodes = pending.popleft().result()
            if i + 3 < len(starts):
                pending.append(pool.submit(fetch, i + 3))
            for uri, props, out in nodes:
                if uris is None or uri in uris:
                    yield from _node_statements(uri, props, out, mapping)


def _node_statements(uri: str, props: dict, out: list, mapping: Mapping) -> Iterator[tuple]:
    subject = _term(uri)
    graph = _graph(props.get("_graph"))
    for type_iri in props.get("_types", []):
        yield subject, RDF_TYPE, _node(type_iri), graph
    for name, values in props.items():
        if name in META:
            continue
        base, _, language = name.partition("@")
        predicate = _node(mapping.properties[base])
        datatypes = mapping.datatypes.get(base, [])
        for value in values if isinstance(values, list) else [values]:
            yield subject, predicate, to_literal(value, datatypes, language or None), graph
    for rel_type, end, graphs in out:
        predicate = _node(mapping.relationships[rel_type])
        end = _term(end)
        if graphs is True:  # asserted where the node is described
            yield subject, predicate, end, graph
            continue
        for name in graphs or [None]:
            yield subject, predicate, end, _graph(name)


def export(db, output: BinaryIO, fmt: str = "nq", uris: set[str] | None = None) -> int:
    """Write the graph (or the statements about some nodes) to output in the given format;
    returns the number of statements."""
    if fmt in ("nt", "nq"):
        return _write_lines(statements(db, uris=uris), output, quads=fmt == "nq")
    count = 0

    def stream():
        nonlocal count
        if fmt in QUAD_FORMATS:
            for count, statement in enumerate(statements(db, uris=uris), 1):  # noqa: B007
                yield ox.Quad(*statement)
        else:
            for count, (s, p, o, _) in enumerate(statements(db, uris=uris), 1):  # noqa: B007
                yield ox.Triple(s, p, o)

    prefixes = {prefix: ns for ns, prefix in read_mapping(db).prefixes.items()}
    ox.serialize(stream(), output, FORMATS[fmt], prefixes=prefixes)
    return count


def _write_lines(statements: Iterator[tuple], output: BinaryIO, quads: bool,
                 chunk: int = 20000) -> int:
    """N-Triples or N-Quads, one line per statement in pyoxigraph's N-Triples form of each
    term (escaped as the format requires), written in chunks."""
    lines = []
    count = 0
    for count, (s, p, o, g) in enumerate(statements, 1):  # noqa: B007
        if quads and not isinstance(g, ox.DefaultGraph):
            lines.append(f"{s} {p} {o} {g} .\n")
        else:
            lines.append(f"{s} {p} {o} .\n")
        if len(lines) == chunk:
            output.write("".join(lines).encode())
            lines.clear()
    output.write("".join(lines).encode())
    return count
