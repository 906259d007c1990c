"""SPARQL over the graph: a pyoxigraph store filled from Neo4j (as exported) or from RDF."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox

from ontology.errors import TechregError

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
}


def store_from_neo4j(db, path: Path | None = None) -> ox.Store:
    """The graph in Neo4j, exported into a store (in memory, or on disk at path)."""
    from .export import quads

    store = ox.Store(str(path)) if path else ox.Store()
    store.bulk_extend(quads(db))
    return store


def store_from_dataset(dataset, path: Path | None = None) -> ox.Store:
    """An rdflib dataset (e.g. the built data) in a store."""
    store = ox.Store(str(path)) if path else ox.Store()
    data = dataset.serialize(format="nquads").encode()
    store.bulk_load(data, ox.RdfFormat.N_QUADS)
    return store


def query(store: ox.Store, text: str, fmt: str = "json") -> bytes:
    """Run a read-only SPARQL query; SELECT/ASK as a results format, graphs as RDF."""
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise TechregError(f"SPARQL syntax error: {' '.join(str(e).split())}") from None
    out = io.BytesIO()
    if isinstance(result, ox.QueryTriples):
        fmt = fmt if fmt in GRAPH_FORMATS else "ttl"
        ox.serialize(result, out, GRAPH_FORMATS[fmt])
    else:
        fmt = fmt if fmt in RESULT_FORMATS else "csv"
        result.serialize(out, RESULT_FORMATS[fmt])
    return out.getvalue()


def query_rows(store: ox.Store, text: str) -> tuple[list[str], list[list]]:
    """A query's answer as columns and rows of RDF terms (SELECT), one boolean (ASK), or
    subject/predicate/object rows (CONSTRUCT, DESCRIBE)."""
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise TechregError(f"SPARQL syntax error: {' '.join(str(e).split())}") from None
    if isinstance(result, ox.QueryBoolean):
        return ["result"], [[bool(result)]]
    if isinstance(result, ox.QueryTriples):
        return ["subject", "predicate", "object"], [[t.subject, t.predicate, t.object]
                                                    for t in result]
    columns = [v.value for v in result.variables]
    return columns, [[solution[c] for c in columns] for solution in result]
