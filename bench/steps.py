"""One benchmark step, run in its own process so that its peak memory is its own.

`python -m bench.steps STEP FILE` prints {"seconds": ..., "triples": ...} as JSON. The
database is the one techreg is configured for (NEO4J_URI or the local server settings).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from pathlib import Path


def parse_pyoxigraph(path: Path) -> int:
    import pyoxigraph as ox

    return sum(1 for _ in ox.parse(path=str(path)))


def parse_rdflib(path: Path) -> int:
    from rdflib import Graph

    graph = Graph()
    graph.parse(path)
    return len(graph)


def check(path: Path) -> int:
    """Well-formedness, as `techreg load` checks it before writing."""
    from loaders.rdf import read_quads

    data = read_quads([path])
    return data.file_statements + len(data.quads)


def load(path: Path) -> int:
    from graph.db import connect
    from loaders.neo4j import load as load_graph
    from loaders.rdf import read_quads

    with connect() as db:
        return load_graph(read_quads([path]), db).triples


def load_curated(path: Path) -> int:
    from graph.db import connect
    from loaders.neo4j import load as load_graph
    from loaders.rdf import read_quads

    with connect() as db:
        return load_graph(read_quads([]), db).triples


def wipe(path: Path) -> int:
    from graph.db import connect

    with connect() as db, db.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS"
                    ).consume()
    return 0


def export_nt(path: Path) -> int:
    return _export("nt")


def export_ttl(path: Path) -> int:
    return _export("ttl")


def _export(fmt: str) -> int:
    from graph.db import connect
    from graph.export import export

    class Sink(io.RawIOBase):
        def writable(self):
            return True

        def write(self, data):
            return len(data)

    with connect() as db:
        return export(db, Sink(), fmt)


def analytics(path: Path) -> int:
    """The projection from Neo4j, then on it PageRank with betweenness, communities and a
    shortest path."""
    from graph import analytics as a
    from graph.db import connect
    from ontology.errors import TechregError

    timings = {}
    started = time.perf_counter()
    with connect() as db:
        graph = a.project(db)
    timings["projection"] = time.perf_counter() - started
    started = time.perf_counter()
    a.centrality(graph, top=10)
    timings["centrality"] = time.perf_counter() - started
    started = time.perf_counter()
    a.communities(graph)
    timings["communities"] = time.perf_counter() - started
    nodes = list(graph)
    started = time.perf_counter()
    with contextlib.suppress(TechregError):  # no path between two nodes is a fine answer
        a.path(graph, nodes[0], nodes[-1])
    timings["path"] = time.perf_counter() - started
    timings["nodes"], timings["edges"] = graph.number_of_nodes(), graph.number_of_edges()
    print(json.dumps({"analytics": timings}), file=sys.stderr)
    return graph.number_of_nodes()


STEPS = {f.__name__: f for f in (parse_pyoxigraph, parse_rdflib, check, load, load_curated, wipe,
                                  export_nt, export_ttl, analytics)}


def main() -> None:
    step, path = sys.argv[1], Path(sys.argv[2])
    started = time.perf_counter()
    count = STEPS[step](path)
    print(json.dumps({"seconds": time.perf_counter() - started, "count": count,
                      "peak_mb": peak_mb()}))


def peak_mb() -> float:
    """This process's own peak resident memory (VmHWM; unlike ru_maxrss it does not count
    the pages a forked child shared with its parent before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    main()
