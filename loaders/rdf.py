"""Reading RDF files, with one-line errors that name the file and line."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from ontology.errors import TechregError

from .records import build_dataset

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


def source_iri(path: Path) -> str:
    """The source graph of a file's triples: its file: URI."""
    return Path(path).resolve().as_uri()


def _split(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Records (YAML files, folders of them) apart from RDF files."""
    paths = [Path(p) for p in paths]
    records = [p for p in paths if p.is_dir() or p.suffix in (".yaml", ".yml")]
    return records, [p for p in paths if p not in records]


def _parse_files(files: list[Path]):
    """RDF files read by pyoxigraph and checked (a malformed file is one TechregError naming
    file and line), each file's triples outside a named graph in the graph named by its URI.

    Statements with blank nodes are kept as quads; the others as text by subject, from
    which the loader finds what changed (loaders.neo4j.file_lines).
    """
    from .neo4j import Quads, file_lines

    result = Quads([], {}, lines={})
    for path in files:
        check_file(path)
        fmt = rdf_format(path)
        graph = source_iri(path)
        try:
            count, prefixes = file_lines(str(path), OXIGRAPH_FORMATS[fmt], graph,
                                         result.lines, result.quads)
            result.file_statements += count
            for prefix, namespace in prefixes.items():
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
        result.files.append((str(path), OXIGRAPH_FORMATS[fmt], graph))
    return result


def read_quads(paths: list[Path]):
    """Records and RDF files as pyoxigraph quads (loaders.neo4j.Quads): the loader's input.

    No paths means the dataset built from data/. Records are compiled and validated with
    SHACL; every statement of a file keeps its named graph, or gets the file's.
    """
    from .neo4j import as_quads

    records, files = _split(paths)
    result = _parse_files(files)
    if records or not files:
        built = as_quads(build_dataset(records or None))
        result.quads[:0] = built.quads
        result.prefixes = {**result.prefixes, **built.prefixes}  # the records' bindings first
    return result


def read_rdf(paths: list[Path]) -> Dataset:
    """The same input as read_quads, as an rdflib Dataset (for SPARQL and comparisons)."""
    records, files = _split(paths)
    dataset = build_dataset(records or None) if records or not files else Dataset()
    if files:
        parsed = _parse_files(files)
        text = io.BytesIO()
        ox.serialize(parsed, text, ox.RdfFormat.N_QUADS)
        dataset.parse(data=text.getvalue().decode(), format="nquads")
        for prefix, namespace in parsed.prefixes.items():
            dataset.bind(prefix, namespace, override=False)
    return dataset
