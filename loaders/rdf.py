"""RDF input: reading records and RDF files into pyoxigraph quads, with one-line errors that
name the file and line; the statements a load maps, with blank nodes canonicalised; and
each subject's digest, from which a reload finds what changed."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
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


def source_graph(name: str) -> str:
    """The source graph a user names: an IRI as it is, an existing file by its file: URI,
    anything else as the stem of a data/ file (`eu-platforms` -> GRAPHS + `eu-platforms`)."""
    from .records import GRAPHS

    if "://" in name or name.startswith("urn:"):
        return name
    if Path(name).exists():
        return source_iri(Path(name))
    return GRAPHS + name


def _split(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Records (YAML files, folders of them) apart from RDF files."""
    paths = [Path(p) for p in paths]
    records = [p for p in paths if p.is_dir() or p.suffix in (".yaml", ".yml")]
    return records, [p for p in paths if p not in records]


def _parse_files(files: list[Path], keep_lines: bool = True):
    """RDF files read by pyoxigraph and checked (a malformed file is one TechregError naming
    file and line), each file's triples outside a named graph in the graph named by its URI.

    Statements with blank nodes are kept as quads; the others as text by subject, from
    which the loader finds what changed (file_lines), unless `keep_lines` is false (the
    bulk load, which streams the files again instead).
    """
    result = Quads([], {}, lines={} if keep_lines else None)
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


def read_quads(paths: list[Path], keep_lines: bool = True):
    """Records and RDF files as pyoxigraph quads (Quads): the loader's input.

    No paths means the dataset built from data/. Records are compiled and validated with
    SHACL; every statement of a file keeps its named graph, or gets the file's.
    `keep_lines` false checks the files without keeping their statements (Quads.lines None).
    """
    records, files = _split(paths)
    result = _parse_files(files, keep_lines)
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


@dataclass
class Quads:
    """RDF input read by pyoxigraph.

    `quads` are held in memory: records, and every statement with a blank node (those are
    canonicalised together at load time). Statements of `files` are kept as text by
    subject (`lines`: predicate, object and graph in N-Quads syntax) while a load decides
    what changed, and the files are parsed again for a full mapping, so a large file is
    never held in memory as pyoxigraph terms.
    """

    quads: list
    prefixes: dict[str, str] = field(default_factory=dict)  # prefix -> namespace
    files: list[tuple[str, ox.RdfFormat, str]] = field(default_factory=list)  # path, fmt, graph
    lines: dict[str, list[str]] | None = None  # subject -> its statements in files, as text
    file_statements: int = 0  # statements in files outside `quads`
    digests: dict[str, tuple] = field(default_factory=dict)  # source -> subject_digests()

    def __iter__(self) -> Iterator[ox.Quad]:
        """Every statement as read (default-graph statements of files in the file's graph)."""
        yield from self.quads
        for path, fmt, graph in self.files:
            for quad in ox.parse(path=path, format=fmt, base_iri=graph):
                if not _has_blank_node(quad):
                    yield ox.Quad(quad.subject, quad.predicate, quad.object,
                                  ox.NamedNode(graph) if isinstance(quad.graph_name, ox.DefaultGraph)
                                  else quad.graph_name)


def as_quads(data) -> Quads:
    """pyoxigraph quads of an rdflib graph or dataset (small inputs such as the records)."""
    if isinstance(data, Quads):
        return data
    if not isinstance(data, Dataset):
        dataset = Dataset()
        for triple in data:
            dataset.add(triple)
        data = dataset
    text = data.serialize(format="nquads")
    prefixes = {p: str(ns) for p, ns in data.namespace_manager.namespaces() if p}
    return Quads(list(ox.parse(text, format=ox.RdfFormat.N_QUADS)), prefixes)


def _has_blank_node(quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode) \
        or isinstance(quad.graph_name, ox.BlankNode)


BlankNode, DefaultGraph = ox.BlankNode, ox.DefaultGraph


def file_lines(path: str, fmt: ox.RdfFormat, graph: str, lines: dict[str, list[str]] | None,
               blank: list | None = None) -> tuple[int, dict[str, str]]:
    """Add a file's statements to `lines` by subject, as text (predicate, object, graph),
    its default graph named `graph` (or with `lines` None only check and count them);
    statements with blank nodes go to `blank` instead.
    Returns the number of statements added to `lines` and the prefixes the file declares."""
    default = f"<{graph}>"
    count = 0
    with open(path, "rb") as f:
        parser = ox.parse(f, format=fmt, base_iri=graph)
        for quad in parser:  # (once per statement: the checks of _has_blank_node inlined)
            subject, obj, name = quad.subject, quad.object, quad.graph_name
            if type(subject) is BlankNode or type(obj) is BlankNode or type(name) is BlankNode:
                if blank is not None:
                    blank.append(ox.Quad(subject, quad.predicate, obj,
                                         ox.NamedNode(graph) if type(name) is DefaultGraph
                                         else name))
                continue
            count += 1
            if lines is None:
                continue
            line = f"{quad.predicate} {obj} {default if type(name) is DefaultGraph else name}"
            subject = subject.value
            known = lines.get(subject)
            if known is None:
                lines[subject] = [line]
            else:
                known.append(line)
        return count, dict(parser.prefixes or {})


def statements(data: Quads, source: str, subjects: set[str] | None = None) -> Iterator[tuple]:
    """(subject node id, predicate, object, graph) for every statement (or those about
    `subjects`), default-graph statements in memory put in `source`.

    Blank nodes get canonical labels (RDFC-1.0), so reading the same file twice gives the
    same nodes and a second load changes nothing.
    """
    with_bnodes = ox.Dataset()
    for quad in data.quads:
        if _has_blank_node(quad):
            with_bnodes.add(quad)
            continue
        graph = quad.graph_name
        yield quad.subject.value, quad.predicate, quad.object, \
            source if isinstance(graph, ox.DefaultGraph) else graph.value
    if len(with_bnodes):
        yield from _blank_node_statements(with_bnodes, source)
    if subjects is not None and not subjects or not data.files:
        return
    if data.lines is not None and subjects is not None and 4 * len(subjects) < len(data.lines):
        # A few subjects changed: parse their statements kept as text, not the files.
        text = "".join(f"<{subject}> {line} .\n" for subject in subjects
                       for line in data.lines.get(subject, ()))
        for quad in ox.parse(text, format=ox.RdfFormat.N_QUADS):
            yield quad.subject.value, quad.predicate, quad.object, quad.graph_name.value
        return
    data.lines = None  # mapping (nearly) everything: the memory is better spent on that
    for path, fmt, graph in data.files:
        for quad in ox.parse(path=path, format=fmt, base_iri=graph):
            subject = quad.subject.value  # (a blank node's label is never a subject's id)
            if subjects is not None and subject not in subjects or _has_blank_node(quad):
                continue
            name = quad.graph_name
            yield subject, quad.predicate, quad.object, \
                graph if isinstance(name, ox.DefaultGraph) else name.value


def _blank_node_statements(dataset: ox.Dataset, source: str) -> Iterator[tuple]:
    """Statements with blank nodes, their labels made canonical (RDFC-1.0) and then scoped
    to the graphs each blank node appears in: the same input gives the same nodes, a blank
    node shared by two graphs stays one node, and equal canonical labels in unrelated
    sources stay apart."""
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    # In the order of their text: a Dataset's own order varies between runs, and the first
    # datatype seen for a property outside the ontology becomes its declared one.
    quads = sorted(((q.subject, q.predicate, q.object,
                     source if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value)
                    for q in dataset), key=lambda q: (str(q[0]), str(q[1]), str(q[2]), q[3]))
    scopes: dict[str, set[str]] = {}
    for subject, _, obj, graph in quads:
        for term in (subject, obj):
            if isinstance(term, ox.BlankNode):
                scopes.setdefault(term.value, set()).add(graph)
    labels = {label: hashlib.sha1(f"{' '.join(sorted(graphs))} {label}".encode()).hexdigest()[:16]
              for label, graphs in scopes.items()}
    for subject, predicate, obj, graph in quads:
        if isinstance(obj, ox.BlankNode):
            obj = ox.BlankNode(labels[obj.value])
        yield (f"_:{labels[subject.value]}" if isinstance(subject, ox.BlankNode)
               else subject.value), predicate, obj, graph


def subject_digests(data: Quads, source: str) -> tuple[dict[str, str], int]:
    """Each subject's digest (a hash of its statements, in sorted order), and the number of
    statements.

    A node stores its digest, so a reload maps and compares only the subjects whose
    statements changed."""
    if source in data.digests:
        return data.digests[source]
    lines = data.lines
    if lines is None:  # dropped by an earlier full mapping: read the files again
        lines = {}
        for path, fmt, graph in data.files:
            file_lines(path, fmt, graph, lines)
    extra: dict[str, list[str]] = {}
    count = data.file_statements
    for start, predicate, obj, graph in statements(Quads(data.quads), source):
        count += 1
        extra.setdefault(start, []).append(f"{predicate} {obj} <{graph}>")
    digests = {}
    for subject, found in lines.items():
        more = extra.pop(subject, None)
        digests[subject] = _digest(found + more if more else found)
    for subject, found in extra.items():
        digests[subject] = _digest(found)
    data.digests[source] = digests, count
    return digests, count


def _digest(lines: list[str]) -> str:
    return hashlib.blake2b("\n".join(sorted(lines)).encode(), digest_size=16).hexdigest()


