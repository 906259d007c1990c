"""Curated YAML records -> RDF, with the field-to-property mapping read from the ontology.

No field has code of its own: a record key names an ontology property (model().properties),
and the property's range decides how a value is read (reference, concept code, IRI
template, nested records, partial date, number, text). Problems are collected, each as
`file:line: record-id: message`, so a curator sees all of them at once.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef

from ontology import ID, NS, ONTOLOGY_DIR, Property, model
from ontology.errors import InvalidData, Problem, TechregError

from . import rules

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GRAPHS = "https://w3id.org/techreg/graph/"
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE_PATTERNS = (
    (re.compile(r"^\d{4}$"), XSD.gYear),
    (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), XSD.gYearMonth),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date),
)


@dataclass
class Record:
    fields: dict
    file: str
    line: int
    lines: dict[str, int]

    @property
    def id(self) -> str:
        return str(self.fields.get("id", ""))


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built with it
    """A YAML loader that remembers where each mapping and key stands, and refuses duplicate keys."""

    def construct_mapping(self, node, deep=False):
        lines, seen = {}, set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
            lines[key] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = lines
        return mapping


def read_records(path: Path) -> list[Record]:
    """The records of one YAML file; a file that is not a list of mappings is one problem."""
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise InvalidData([Problem(name, line, "", f"not UTF-8 text (byte {e.start}); "
                                                   "save it as UTF-8")]) from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark else None
        message = " ".join(str(getattr(e, "problem", None) or e).split())
        raise InvalidData([Problem(name, line, "", f"YAML syntax error: {message}")]) from None
    if data is None:
        raise InvalidData([Problem(name, None, "", "the file has no records")])
    if not isinstance(data, list):
        raise InvalidData([Problem(name, 1, "", "a records file is a YAML list of records")])
    records = []
    for item in data:
        if not isinstance(item, dict):
            raise InvalidData([Problem(name, None, "", f"each record is a mapping, not {item!r}")])
        line, lines = item.pop("__line__"), item.pop("__lines__")
        records.append(Record(item, name, line, lines))
    return records


def data_files(paths: list[Path] | None = None) -> list[Path]:
    """YAML files under the given paths (default data/), in a stable order."""
    result = []
    for path in paths or [DATA_DIR]:
        path = Path(path)
        if path.is_dir():
            result.extend(sorted(p for p in path.rglob("*.y*ml") if p.is_file()))
        elif path.exists():
            result.append(path)
        else:
            raise TechregError(f"{path}: no such file or directory")
    return result


class Compiler:
    """Turns records into RDF triples, one named graph per records file."""

    def __init__(self):
        self.model = model()
        self.problems: list[Problem] = []
        self.index: dict[str, Record] = {}
        self.references: list[tuple[Record, str, str]] = []  # (record, key, referenced id)
        self.subjects: dict[URIRef, tuple[Record, str | None]] = {}  # for SHACL locations

    def problem(self, record: Record, key: str | None, message: str) -> None:
        line = record.lines.get(key, record.line) if key else record.line
        self.problems.append(Problem(record.file, line, record.id, message))

    def compile(self, records_by_file: dict[str, list[Record]]) -> Dataset:
        dataset = Dataset()
        for records in records_by_file.values():
            for record in records:
                self._register(record)
        for file, records in records_by_file.items():
            graph = dataset.graph(URIRef(GRAPHS + Path(file).stem))
            for record in records:
                if record.id in self.index and self.index[record.id] is record:
                    self._record(graph, record, ID[record.id], inherited_sources=None)
        for record, key, ref in self.references:
            if ref not in self.index:
                self.problem(record, key, f"'{ref}' is not the id of any record")
        return dataset

    def _register(self, record: Record) -> None:
        rid = record.id
        if not rid:
            self.problem(record, None, "the record has no id")
        elif not ID_PATTERN.match(rid):
            self.problem(record, "id", f"id '{rid}' must be lower-case letters, digits and '-'")
        elif rid in self.index:
            first = self.index[rid]
            self.problem(record, "id", f"duplicate id; first defined at {first.file}:{first.line}")
        else:
            self.index[rid] = record

    def _record(self, graph: Graph, record: Record, subject: URIRef, inherited_sources) -> None:
        type_name = record.fields.get("type")
        cls = self.model.classes.get(str(type_name))
        if cls is None:
            known = ", ".join(sorted(self.model.classes))
            self.problem(record, "type", f"unknown type {type_name!r}; use one of: {known}")
            return
        graph.add((subject, RDF.type, cls.iri))
        self.subjects[subject] = (record, None)
        fields = dict(record.fields)
        if inherited_sources and "sources" not in fields:
            fields["sources"] = inherited_sources
        for key, value in fields.items():
            if key in ("id", "type"):
                continue
            prop = self.model.properties.get(key)
            if prop is None:
                self.problem(record, key, f"unknown field '{key}'; the fields are listed in "
                                          "docs/ontology.md")
                continue
            if not self.model.allows(prop, cls.iri):
                self.problem(record, key, f"field '{key}' does not apply to a {type_name}")
                continue
            values = value if isinstance(value, list) else [value]
            for index, item in enumerate(values, start=1):
                obj = self._value(graph, record, subject, prop, item, index, fields)
                if obj is not None:
                    graph.add((subject, prop.iri, obj))

    def _value(self, graph, record, subject, prop: Property, value, index, fields):
        key = prop.key
        if value is None or value == "":
            self.problem(record, key, f"'{key}' is empty; give a value or remove the field")
            return None
        lines, line = {}, record.line
        if isinstance(value, dict):
            value = dict(value)
            lines, line = value.pop("__lines__", {}), value.pop("__line__", record.line)
        if prop.inline:
            if not isinstance(value, dict):
                self.problem(record, key, f"each item of '{key}' is a mapping of fields")
                return None
            child = URIRef(f"{subject}/{key}/{index}")
            rng = self.model.classes.get(str(prop.range).split("#")[-1])
            nested = Record({"type": rng.name, **value}, record.file, line, lines)
            nested.fields.setdefault("id", record.id)
            self._record(graph, nested, child, inherited_sources=fields.get("sources"))
            return child
        if isinstance(value, dict | list):
            if prop.range == RDFS.Literal and isinstance(value, dict):
                for lang, text in value.items():
                    try:
                        graph.add((subject, prop.iri, Literal(str(text), lang=str(lang))))
                    except ValueError:
                        self.problem(record, key, f"'{lang}' is not a language tag")
                return None
            self.problem(record, key, f"'{key}' takes a single value per item, not {value!r}")
            return None
        if prop.is_object:
            return self._object(record, prop, value)
        return self._literal(record, prop, value)

    def _object(self, record: Record, prop: Property, value) -> URIRef | None:
        key, text = prop.key, str(value)
        if prop.scheme is not None:
            codes = self.model.concepts.get(prop.scheme, {})
            if text not in codes:
                self.problem(record, key, f"'{text}' is not a code of '{key}'; use one of: "
                                          f"{', '.join(sorted(codes))}")
                return None
            return codes[text]
        if prop.iri_template:
            return URIRef(prop.iri_template.format(text))
        if prop.range == RDF.Property:
            target = self.model.properties.get(text)
            if target is None:
                self.problem(record, key, f"'{text}' is not a field name")
                return None
            return target.iri
        self.references.append((record, key, text))
        return ID[text]

    def _literal(self, record: Record, prop: Property, value) -> Literal | None:
        key = prop.key
        if prop.range == NS.PartialDate:
            return self._date(record, key, value)
        if prop.range == XSD.decimal:
            if isinstance(value, bool):
                self.problem(record, key, f"'{key}' is a number, not {value!r}")
                return None
            try:
                number = Decimal(str(value))
                number = (Decimal(int(number)) if number == number.to_integral()
                          else Decimal(format(number.normalize(), "f")))
                return Literal(number, datatype=XSD.decimal)
            except InvalidOperation:
                self.problem(record, key, f"'{key}' is a number, not {value!r}")
                return None
        if isinstance(value, dt.date):
            self.problem(record, key, f"'{key}' is text: quote it")
            return None
        if prop.range == XSD.anyURI:
            if not re.match(r"^https?://\S+$", str(value)):
                self.problem(record, key, f"'{key}' must be an http(s) URL, not {value!r}")
                return None
            return Literal(str(value), datatype=XSD.anyURI)
        if prop.range in (XSD.string, XSD.language):
            return Literal(str(value), datatype=None if prop.range == XSD.string else prop.range)
        return Literal(str(value))

    def _date(self, record: Record, key: str, value) -> Literal | None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return Literal(value.isoformat(), datatype=XSD.date)
        text = str(value)
        for pattern, datatype in DATE_PATTERNS:
            if pattern.match(text):
                if datatype == XSD.date:
                    try:
                        dt.date.fromisoformat(text)
                    except ValueError:
                        self.problem(record, key, f"'{text}' is not a real date")
                        return None
                return Literal(text, datatype=datatype)
        self.problem(record, key, f"'{text}' is not a date: write \"YYYY\", \"YYYY-MM\" or "
                                  "\"YYYY-MM-DD\"")
        return None


def vocabulary_graph() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_DIR / "vocabularies.ttl", format="turtle")
    return graph


def compile_records(paths: list[Path] | None = None) -> tuple[Dataset, Compiler]:
    """Compile records files to a dataset (one named graph per file, plus the vocabularies)."""
    files = data_files(paths)
    if not files:
        raise TechregError(f"no records files (*.yaml) under {', '.join(map(str, paths or []))}")
    by_file: dict[str, list[Record]] = {}
    problems: list[Problem] = []
    for path in files:
        try:
            by_file[str(path)] = read_records(path)
        except InvalidData as e:
            problems.extend(e.problems)
    compiler = Compiler()
    compiler.problems.extend(problems)
    dataset = compiler.compile(by_file)
    compiler.problems.extend(rules.check(by_file, compiler.index))
    vocab = dataset.graph(URIRef(GRAPHS + "vocabularies"))
    for triple in vocabulary_graph():
        vocab.add(triple)
    for prefix, namespace in model().graph.namespaces():
        dataset.bind(prefix, namespace, replace=True)
    dataset.bind("id", ID)
    return dataset, compiler


def build_dataset(paths: list[Path] | None = None, shacl: bool = True) -> Dataset:
    """The validated dataset, or InvalidData with every problem."""
    from .validate import validate_dataset

    dataset, compiler = compile_records(paths)
    problems = list(compiler.problems)
    if not problems and shacl:
        problems = validate_dataset(dataset, compiler)
    if problems:
        raise InvalidData(problems)
    return dataset


def count_subjects(dataset: Dataset) -> int:
    """The subjects the records describe (the vocabularies' concepts left out)."""
    vocabularies = URIRef(GRAPHS + "vocabularies")
    return len({s for s, _, _, g in dataset.quads() if _graph_name(g) != vocabularies})


def _graph_name(graph) -> URIRef:
    return graph.identifier if isinstance(graph, Graph) else graph


def write_outputs(dataset: Dataset, folder: Path) -> list[Path]:
    """Write the dataset deterministically: Turtle (all graphs merged), TriG and N-Quads."""
    folder.mkdir(parents=True, exist_ok=True)
    merged = Graph()
    for prefix, namespace in dataset.namespaces():
        merged.bind(prefix, namespace, replace=True)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    paths = [folder / "techreg.ttl", folder / "techreg.trig", folder / "techreg.nq"]
    paths[0].write_text(merged.serialize(format="turtle"))
    paths[1].write_text(_trig(dataset))
    nquads = dataset.serialize(format="nquads").splitlines()
    paths[2].write_text("\n".join(sorted(line for line in nquads if line.strip())) + "\n")
    return paths


def _trig(dataset: Dataset) -> str:
    """TriG with the named graphs in the order of their names (rdflib writes them in the
    order of a set, which follows Python's hash seed), the default graph last as rdflib
    puts it; within a graph rdflib's Turtle order is already stable."""
    from rdflib.plugins.serializers.trig import TrigSerializer

    serializer = TrigSerializer(dataset)
    default = dataset.default_context.identifier
    serializer.contexts.sort(key=lambda g: (g.identifier == default, str(g.identifier)))
    buffer = io.BytesIO()
    serializer.serialize(buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")
