"""Neo4j -> RDF: the graph written back as RDF, through the inverse of the mapping
(ontology.mapping) with the names recorded at load time.

Nodes are read in pages ordered by uri and turned into quads as they come (the next page is
read while this one is turned), and pyoxigraph serialises them as a stream, so memory stays
flat as the graph grows. N-Triples and N-Quads of the whole graph are written by worker
processes, each fetching, decoding and writing whole pages, which this process writes out
in order with a few pages in flight.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ontology.errors import TechregError
from ontology.mapping import Mapping, node_statements

from . import cypher

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
}
QUAD_FORMATS = {"nq", "trig"}


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
                    yield from node_statements(uri, props, out, mapping)


def export(db, output: BinaryIO, fmt: str = "nq", uris: set[str] | None = None) -> int:
    """Write the graph (or the statements about some nodes) to output in the given format;
    returns the number of statements."""
    if fmt in ("nt", "nq"):
        if uris is None and getattr(db, "target", None) is not None:
            return _write_pages(db, output, quads=fmt == "nq")
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


def export_file(db, path: Path, fmt: str = "nq", uris: set[str] | None = None) -> int:
    """Export to a file: written beside it as PATH.partial and renamed when complete, so an
    interrupted export never leaves a truncated file under the name; returns the count."""
    path = Path(path)
    if path.is_dir():
        raise TechregError(f"{path}: is a directory; give a file name to write")
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as f:
            count = export(db, f, fmt, uris=uris)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
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


# --- N-Triples and N-Quads of the whole graph, pages turned into lines by worker processes ------

PAGE = 10000  # nodes per page
_worker: dict = {}


def workers() -> int:
    """Worker processes for an export: TECHREG_EXPORT_WORKERS, else one per core (at most 4)."""
    from . import settings

    if settings.get("TECHREG_EXPORT_WORKERS"):
        return settings.get_int("TECHREG_EXPORT_WORKERS")
    return min(4, os.cpu_count() or 1)


def _write_pages(db, output: BinaryIO, quads: bool) -> int:
    """Write every page as lines, in uri order: a page is fetched, decoded and turned into
    text by a worker process (its own connection, the mapping read here), and written here
    as the next in order; at most a few pages per worker are in flight, so memory stays
    flat. A graph of one page is written here, without workers."""
    mapping = read_mapping(db).to_json()
    [bounds] = db.execute_query(cypher.EXPORT_PAGES, size=PAGE).records
    starts = bounds["starts"]
    count = 0
    if len(starts) <= 1 or workers() <= 1:
        _start_worker(None, mapping, starts, quads, db)
        try:
            for i in range(len(starts)):
                n, text = _page_lines(i)
                output.write(text)
                count += n
        finally:
            _worker.clear()
        return count
    context = multiprocessing.get_context("spawn")  # no fork of this process's driver threads
    with ProcessPoolExecutor(workers(), mp_context=context, initializer=_start_worker,
                             initargs=(db.target, mapping, starts, quads)) as pool:
        pending = deque(pool.submit(_page_lines, i) for i in range(min(2 * workers(), len(starts))))
        submitted = len(pending)
        while pending:
            n, text = pending.popleft().result()
            if submitted < len(starts):
                pending.append(pool.submit(_page_lines, submitted))
                submitted += 1
            output.write(text)
            count += n
    return count


def _start_worker(target, mapping: str, starts: list[str], quads: bool, db=None) -> None:
    if db is None:
        from .db import connect

        db = connect(target)
    _worker.update(db=db, mapping=Mapping.from_json(mapping), starts=starts, quads=quads)


def _page_lines(i: int) -> tuple[int, bytes]:
    """Page i of the graph as N-Triples or N-Quads: (statements, UTF-8 text)."""
    db, mapping, starts, quads = (_worker[k] for k in ("db", "mapping", "starts", "quads"))
    end = starts[i + 1] if i + 1 < len(starts) else None
    nodes = db.execute_query(cypher.EXPORT_NODES, start=starts[i], end=end).records[0]["nodes"]
    lines = []
    for uri, props, out in nodes:
        for s, p, o, g in node_statements(uri, props, out, mapping):
            if quads and not isinstance(g, ox.DefaultGraph):
                lines.append(f"{s} {p} {o} {g} .\n")
            else:
                lines.append(f"{s} {p} {o} .\n")
    return len(lines), "".join(lines).encode()
