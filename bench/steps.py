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


def changes(path: Path) -> int:
    """A load of the file, counting what it changed (0 after a load of the same input)."""
    from graph.db import connect
    from loaders.neo4j import load as load_graph
    from loaders.rdf import read_quads

    with connect() as db:
        s = load_graph(read_quads([path]), db)
    return sum((s.nodes_created, s.nodes_updated, s.nodes_deleted, s.relationships_created,
                s.relationships_updated, s.relationships_deleted))


def bulk_load(path: Path) -> int:
    """`techreg load --bulk` into the emptied local server; the time of each phase (from its
    start to the next phase's start) goes to stderr."""
    from loaders.bulk import bulk_load as load_bulk

    phases: dict[str, float] = {}
    started = time.perf_counter()

    def progress(phase: str, done: int, total: int) -> None:
        phases.setdefault(phase, time.perf_counter() - started)

    summary = load_bulk([path], progress=progress)
    marks = sorted(phases.items(), key=lambda item: item[1]) + [("end", summary.seconds)]
    print(json.dumps({"phases": {name: round(marks[i + 1][1] - at, 2)
                                 for i, (name, at) in enumerate(marks[:-1])}}), file=sys.stderr)
    return summary.triples


def export_nq_file(path: Path) -> int:
    """N-Quads written to a file beside the input (for the Oxigraph step)."""
    from graph.db import connect
    from graph.export import export_file

    with connect() as db:
        return export_file(db, _exported(path), "nq")


def oxigraph_load(path: Path) -> int:
    """The N-Quads export loaded into an Oxigraph store with its bulk loader; every distinct
    line of the export must be a quad of the store, and nothing else."""
    import tempfile

    import pyoxigraph as ox

    exported = _exported(path)
    with tempfile.TemporaryDirectory(dir=exported.parent) as folder:
        store = ox.Store(folder)
        store.bulk_load(path=str(exported), format=ox.RdfFormat.N_QUADS)
        count = len(store)
        distinct = len(set(exported.read_bytes().splitlines()))
        if count != distinct:
            raise SystemExit(f"Oxigraph holds {count} quads, the export {distinct} lines")
        del store
    return count


def _exported(path: Path) -> Path:
    return path.with_name(path.stem + "-export.nq")


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


STEPS = {f.__name__: f for f in (parse_pyoxigraph, parse_rdflib, check, load, changes, bulk_load,
                                  load_curated, wipe, export_nt, export_ttl, export_nq_file,
                                  oxigraph_load, analytics)}


def main() -> None:
    step, path = sys.argv[1], Path(sys.argv[2])
    started = time.perf_counter()
    count = STEPS[step](path)
    print(json.dumps({"seconds": time.perf_counter() - started, "count": count,
                      "peak_mb": peak_mb(), "children_peak_mb": children_peak_mb()}))


def peak_mb() -> float:
    """This process's own peak resident memory (VmHWM; unlike ru_maxrss it does not count
    the pages a forked child shared with its parent before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children_peak_mb() -> float:
    """The largest peak resident memory of this step's child processes (the importer's JVM,
    export workers), which peak_mb does not count."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


if __name__ == "__main__":
    main()
