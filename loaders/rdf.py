"""Reading RDF files, with one-line errors that name the file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from graph.errors import TechregError

DEFAULT_GRAPH = "urn:x-rdflib:default"

OXIGRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML,
}
FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".nq": "nquads",
    ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml",
}


def rdf_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise TechregError(
            f"{path}: unknown RDF file type {path.suffix!r}; use one of "
            f"{', '.join(sorted(FORMATS))}"
        ) from None


def check_file(path: Path) -> None:
    if not path.exists():
        raise TechregError(f"{path}: no such file")
    if path.is_dir():
        raise TechregError(f"{path}: is a directory; give a file")
    if path.stat().st_size == 0:
        raise TechregError(f"{path}: the file is empty")


def parse_into(graph: Graph, path: Path) -> None:
    """Parse one file into graph, or raise a one-line TechregError naming file and line."""
    check_file(path)
    fmt = rdf_format(path)
    try:
        data = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise TechregError(f"{path}:{line}: not UTF-8 text (byte {e.start}); save it as UTF-8") from None
    try:  # pyoxigraph checks well-formedness fast and says where a file breaks
        for _ in ox.parse(data, format=OXIGRAPH_FORMATS[fmt], base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as e:
        line = e.lineno or 1
        message = " ".join(str(e.msg if hasattr(e, "msg") else e).split())
        raise TechregError(f"{path}:{line}: malformed {fmt}: {message[:300]}") from None
    try:
        graph.parse(data=data, format=fmt)
    except Exception as e:  # rdflib raises many types; all mean the file is malformed
        message = " ".join(str(e).split())
        line = re.search(r"line (\d+)", message) or re.search(r":(\d+):", message)
        where = f"{path}:{line.group(1)}" if line else str(path)
        raise TechregError(f"{where}: malformed {fmt}: {message[:300]}") from None


def source_iri(path: Path) -> str:
    """The source graph of a file's triples: its file: URI."""
    return Path(path).resolve().as_uri()


def read_rdf(paths: list[Path]) -> Dataset:
    """Read RDF files and records into one dataset; no paths means the dataset built from data/.

    Records (YAML files, folders of them) are compiled and validated with SHACL.

    Each file's named graphs are kept; its triples outside a named graph go into a graph
    named by the file's URI, so every statement knows the source it came from.
    """
    from .records import build_dataset

    records = [Path(p) for p in paths if Path(p).is_dir() or Path(p).suffix in (".yaml", ".yml")]
    dataset = build_dataset(records or None) if not paths or records else Dataset()
    for path in paths:
        path = Path(path)
        if path in records:
            continue
        if rdf_format(path) in ("trig", "nquads"):
            parsed = Dataset()
            parse_into(parsed, path)
            for prefix, namespace in parsed.namespaces():
                dataset.bind(prefix, namespace, override=False)
            default = URIRef(source_iri(path))
            for s, p, o, g in parsed.quads((None, None, None, None)):
                name = g.identifier if isinstance(g, Graph) else g
                target = default if name is None or str(name) == DEFAULT_GRAPH else name
                dataset.graph(target).add((s, p, o))
        else:
            graph = dataset.graph(URIRef(source_iri(path)))
            parse_into(graph, path)
            for prefix, namespace in graph.namespaces():
                dataset.bind(prefix, namespace, override=False)
    return dataset


def read_quads(paths: list[Path]):
    """Like read_rdf, but parsed by pyoxigraph only: the fast path for large files.

    Returns loaders.neo4j.Quads; triples outside a named graph go into the file's graph.
    """
    from .neo4j import Quads, as_quads

    records = [Path(p) for p in paths if Path(p).is_dir() or Path(p).suffix in (".yaml", ".yml")]
    result = Quads([], {})
    if not paths or records:
        from .records import build_dataset

        compiled = as_quads(build_dataset(records or None))
        result.quads.extend(compiled.quads)
        result.prefixes.update(compiled.prefixes)
    for path in paths:
        path = Path(path)
        if path in records:
            continue
        check_file(path)
        fmt = rdf_format(path)
        graph = ox.NamedNode(source_iri(path))
        try:
            with open(path, "rb") as f:
                parser = ox.parse(f, format=OXIGRAPH_FORMATS[fmt], base_iri=graph.value)
                for quad in parser:
                    if isinstance(quad.graph_name, ox.DefaultGraph):
                        quad = ox.Quad(quad.subject, quad.predicate, quad.object, graph)
                    result.quads.append(quad)
                for prefix, namespace in (parser.prefixes or {}).items():
                    result.prefixes.setdefault(prefix, namespace)
        except SyntaxError as e:
            message = " ".join(str(e.msg if hasattr(e, "msg") else e).split())
            if "Invalid UTF-8" in message:
                raise TechregError(f"{path}:{e.lineno or 1}: not UTF-8 text; save it as UTF-8") \
                    from None
            raise TechregError(f"{path}:{e.lineno or 1}: malformed {fmt}: {message[:300]}") \
                from None
        except UnicodeDecodeError as e:
            raise TechregError(f"{path}: not UTF-8 text (byte {e.start}); save it as UTF-8") \
                from None
    return result
