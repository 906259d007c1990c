"""The RDF <-> property-graph mapping, both directions side by side (docs/mapping.md).

RDF -> Neo4j (`to_property_graph`): a node per IRI or blank node, labelled `Resource` and
the local names of its ontology classes and their superclasses (`prefix__Name` outside the
ontology); IRI-valued statements become relationships (UPPER_SNAKE_CASE), literal-valued
statements node properties with native values; each node keeps its source graph
(`_graph`), each relationship the graphs asserting it when they differ (`_graphs`).

Neo4j -> RDF (`node_statements`): the inverse, with the names recorded in a `Mapping`.

Literals are kept exactly. Each property has one declared datatype (the ontology's range,
or for properties outside the ontology the datatype of the first value seen). A value is
stored as its native Neo4j value (a Date stays a Date, a whole decimal an Integer, a plain
string a String); when that native value under the declared datatype would not give back
the very same RDF term (another lexical form such as "1.0", another datatype, a decimal
beyond a float's precision), the node also keeps `name^^`: the exact terms of all the
property's values, in N-Triples syntax, in the order of `name`'s values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

import pyoxigraph as ox
from rdflib import RDFS, URIRef

from . import NS, local_name, model, upper_snake
from .errors import TechregError

DEFAULT_GRAPH = "urn:x-rdflib:default"
META_PROPS = ("uri", "_graph", "_hash", "_digest")  # the loader's bookkeeping, not statements
EXACT = "^^"  # suffix of the property that keeps the exact terms of a property's values

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
STRING = XSD + "string"
DATE = XSD + "date"
PARTIAL_DATE = str(NS.PartialDate)  # xsd:date, xsd:gYearMonth or xsd:gYear, by the value
_TEXT = {"", STRING, str(RDFS.Literal)}
_DATES = {DATE, PARTIAL_DATE}
_INTEGERS = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
    "unsignedByte")}
_FLOATS = {XSD + "double", XSD + "float"}
_LEXICAL = {  # what a well-formed literal of these datatypes looks like (XSD 1.1)
    "integer": re.compile(r"^[+-]?\d+$"),
    XSD + "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    "float": re.compile(r"^([+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN)$"),
    XSD + "boolean": re.compile(r"^(true|false|1|0)$"),
    XSD + "date": re.compile(r"^-?\d{4,}-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$"),
    XSD + "dateTime": re.compile(
        r"^-?\d{4,}-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"),
}
_PARTIAL = ((re.compile(r"^\d{4}$"), XSD + "gYear"),
            (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), XSD + "gYearMonth"))
_INT64 = 2**63
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")  # the form whose native Date gives it back


# --- names -----------------------------------------------------------------------------------

@dataclass
class Mapping:
    """Neo4j names <-> RDF terms; built while mapping, stored in Neo4j, read by export."""

    prefixes: dict[str, str] = field(default_factory=dict)  # namespace -> prefix
    labels: dict[str, str] = field(default_factory=dict)  # label -> class IRI
    properties: dict[str, str] = field(default_factory=dict)  # property name -> IRI
    relationships: dict[str, str] = field(default_factory=dict)  # type -> IRI
    datatypes: dict[str, str] = field(default_factory=dict)  # property name -> declared datatype
    unknown: set[str] = field(default_factory=set)

    @classmethod
    def from_json(cls, text: str | None) -> Mapping:
        if not text:
            return cls()
        data = json.loads(text)
        datatypes = {name: types[0] if isinstance(types, list) else types  # (lists before 0.2)
                     for name, types in data["datatypes"].items() if types}
        return cls(data["prefixes"], data["labels"], data["properties"],
                   data["relationships"], datatypes, set(data.get("unknown", [])))

    def used_prefixes(self) -> dict[str, str]:
        """Prefix bindings of the namespaces the mapped terms use (and techreg's ids)."""
        iris = [*self.labels.values(), *self.properties.values(), *self.relationships.values()]
        return {ns: prefix for ns, prefix in self.prefixes.items()
                if prefix == "id" or any(iri.startswith(ns) for iri in iris)}

    def to_json(self) -> str:
        return json.dumps({"prefixes": self.used_prefixes(), "labels": self.labels,
                           "properties": self.properties, "relationships": self.relationships,
                           "datatypes": self.datatypes, "unknown": sorted(self.unknown)},
                          sort_keys=True)

    def merge(self, other: Mapping) -> None:
        for mine, theirs in ((self.labels, other.labels), (self.properties, other.properties),
                             (self.relationships, other.relationships)):
            for name, iri in theirs.items():
                if mine.setdefault(name, iri) != iri:
                    raise TechregError(f"the Neo4j name {name!r} would stand for both <{mine[name]}>"
                                       f" and <{iri}>; bind distinct prefixes in the input")
        for namespace, prefix in other.prefixes.items():
            self.prefixes.setdefault(namespace, prefix)
        for name, datatype in other.datatypes.items():
            self.datatypes.setdefault(name, datatype)
        self.unknown |= other.unknown

    def seed(self, base: Mapping | None, prefixes: dict[str, str]) -> None:
        """Start from the names stored by earlier loads (so names and declared datatypes stay
        as they are for nodes not mapped again), then the input's prefix bindings."""
        if base is not None:
            self.prefixes.update(base.prefixes)
            self.datatypes.update(base.datatypes)
        used = set(self.prefixes.values())
        for prefix, namespace in prefixes.items():
            if prefix not in used:
                self.prefixes.setdefault(namespace, prefix)

    def _generic(self, iri: str, relationship: bool) -> str:
        self.unknown.add(iri)
        local = local_name(iri)
        namespace = iri[: len(iri) - len(local)]
        prefix = self.prefixes.get(namespace)
        if prefix is None:
            used = set(self.prefixes.values())
            prefix = next(f"ns{i}" for i in range(len(used) + 1) if f"ns{i}" not in used)
            self.prefixes[namespace] = prefix
        return f"{prefix}__{upper_snake(local) if relationship else local}"

    def label_names(self, cls: str) -> list[str]:
        m = model()
        cls = URIRef(cls)
        if m.is_own(cls):
            names = [local_name(c) for c in m.ancestors(cls)]
            for c in m.ancestors(cls):
                self.labels[local_name(c)] = str(c)
            return names
        name = self._generic(str(cls), relationship=False)
        self.labels[name] = str(cls)
        return [name]

    def relationship_name(self, prop: str) -> str:
        known = model().by_iri.get(URIRef(prop))
        name = known.neo4j_name if known else self._generic(prop, relationship=True)
        self.relationships[name] = prop
        return name

    def property_name(self, prop: str, datatype: str | None) -> str:
        """The property's Neo4j name; the first datatype seen becomes its declared one (the
        ontology's range for the ontology's own properties)."""
        known = model().by_iri.get(URIRef(prop))
        name = known.neo4j_name if known else self._generic(prop, relationship=False)
        self.properties[name] = prop
        if datatype is not None and name not in self.datatypes:
            declared = str(known.range) if known is not None and known.range is not None \
                and _is_datatype(str(known.range)) else datatype
            self.datatypes[name] = declared
        return name


def _is_datatype(iri: str) -> bool:
    return iri.startswith(XSD) or iri in (PARTIAL_DATE, str(RDFS.Literal))


# --- literals, both ways ---------------------------------------------------------------------

def native(lexical: str, datatype: str | None):
    """A literal's value as a native Neo4j value (the value it denotes where Neo4j has a type
    for it, else its lexical form). Raises ValueError for a lexical form its datatype does
    not allow ("2016-02-30"^^xsd:date, "a"^^xsd:integer)."""
    if datatype in _TEXT or datatype is None:
        return lexical
    kind = "integer" if datatype in _INTEGERS else "float" if datatype in _FLOATS else datatype
    pattern = _LEXICAL.get(kind)
    if pattern is None:
        return lexical
    match = pattern.match(lexical)
    try:
        if match is None:
            raise ValueError(lexical)
        if kind in (XSD + "date", XSD + "dateTime") and not _real_day(match):
            raise ValueError(lexical)
        if kind == "integer":
            number = int(lexical)
            return number if -_INT64 <= number < _INT64 else float(number)
        if kind == XSD + "decimal":
            number = Decimal(lexical)
            return int(number) if number == number.to_integral() and abs(number) < _INT64 \
                else float(number)
        if kind == "float":
            return float(lexical)
        if kind == XSD + "boolean":
            return lexical in ("true", "1")
        if kind == XSD + "date":
            return dt.date.fromisoformat(lexical) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", lexical) \
                else lexical  # a time zone or a year Neo4j has no Date for: the text
        return dt.datetime.fromisoformat(lexical.replace("Z", "+00:00"))
    except (ValueError, ArithmeticError, InvalidOperation):
        if kind == XSD + "dateTime" and match is not None and _real_day(match):
            return lexical  # well-formed, but beyond what a Neo4j DateTime holds: the text
        raise ValueError(f"{lexical!r} is not a valid {datatype.rsplit('#', 1)[-1]}") from None


def _date(lexical: str) -> dt.date:
    try:
        return dt.date.fromisoformat(lexical)
    except ValueError:
        raise ValueError(f"{lexical!r} is not a valid date") from None


def _real_day(match) -> bool:
    """Whether a date's month and day exist in its year (for years Python has no calendar
    for, in some leap year)."""
    year = int(match.group(0).lstrip("-").split("-")[0])
    try:
        dt.date(year if 1 <= year <= 9999 else 2000, int(match.group(1)), int(match.group(2)))
        return True
    except ValueError:
        return False


def natural(value, declared: str | None) -> ox.Literal | None:
    """The literal a native value stands for when its property's declared datatype is
    `declared`; None when the value cannot be of that datatype."""
    if hasattr(value, "to_native"):  # neo4j.time types, as the driver returns them
        value = value.to_native()
    kind = type(value)
    if declared in _TEXT or declared is None:
        return ox.Literal(value) if kind is str else None
    if declared == PARTIAL_DATE:
        if kind is dt.date:
            return ox.Literal(value.isoformat(), datatype=_node(XSD + "date"))
        if kind is str:
            for pattern, datatype in _PARTIAL:
                if pattern.match(value):
                    return ox.Literal(value, datatype=_node(datatype))
        return None
    if declared in _INTEGERS:
        return ox.Literal(str(value), datatype=_node(declared)) if kind is int else None
    if declared == XSD + "decimal":
        if kind is int:
            return ox.Literal(str(value), datatype=_node(declared))
        if kind is float and math.isfinite(value):
            return ox.Literal(format(Decimal(repr(value)), "f"), datatype=_node(declared))
        return None
    if declared in _FLOATS:
        if kind is not float:
            return None
        text = "NaN" if value != value else "INF" if value == math.inf \
            else "-INF" if value == -math.inf else repr(value)
        return ox.Literal(text, datatype=_node(declared))
    if declared == XSD + "boolean":
        return ox.Literal("true" if value else "false", datatype=_node(declared)) \
            if kind is bool else None
    if declared == XSD + "date":
        return ox.Literal(value.isoformat(), datatype=_node(declared)) if kind is dt.date else None
    if declared == XSD + "dateTime":
        if kind is not dt.datetime:
            return None
        text = value.isoformat()
        if value.utcoffset() == dt.timedelta(0):
            text = text[: -len("+00:00")] + "Z"
        return ox.Literal(text, datatype=_node(declared))
    return ox.Literal(value, datatype=_node(declared)) if kind is str else None


def to_value(literal: ox.Literal, declared: str | None):
    """A literal as (native value, exact term or None): the exact term, in N-Triples syntax,
    when the native value under the declared datatype would not give the literal back."""
    value = native(literal.value, literal.datatype.value)
    return value, (None if natural(value, declared) == literal else str(literal))


def to_literal(value, declared: str | None, language: str | None = None,
               exact: str | None = None) -> ox.Literal:
    """A stored value as the RDF literal it was loaded from (the inverse of to_value)."""
    if exact is not None:
        return from_ntriples(exact)
    if language:
        return ox.Literal(str(value), language=language)
    return natural(value, declared) or ox.Literal(str(value))


@lru_cache(maxsize=4096)
def from_ntriples(text: str) -> ox.Literal:
    """A literal written in N-Triples syntax, as a term."""
    [quad] = ox.parse(f"<x:s> <x:p> {text} .", format=ox.RdfFormat.N_TRIPLES)
    return quad.object


@cache
def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


# --- RDF -> property graph -------------------------------------------------------------------

@dataclass
class PropertyGraph:
    nodes: dict[str, dict] = field(default_factory=dict)  # uri -> {labels, props}
    rels: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)  # -> graphs
    mapping: Mapping = field(default_factory=Mapping)
    triples: int = 0

    def node(self, uri: str) -> dict:
        return self.nodes.setdefault(uri, {"labels": {"Resource"}, "props": {"uri": uri}})


def node_id(term) -> str:
    """A node's uri: the IRI, or `_:label` for a blank node (the input gives blank nodes
    labels that are stable and unique: loaders.rdf)."""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def to_property_graph(statements: Iterable[tuple], prefixes: dict[str, str] | None = None,
                      base: Mapping | None = None) -> PropertyGraph:
    """Nodes and relationships of (subject node id, predicate, object, graph) statements.

    `base`: the mapping stored by earlier loads, whose prefixes and declared datatypes are
    kept, so names and stored forms stay the same for the subjects not mapped again."""
    pg = PropertyGraph()
    mapping = pg.mapping
    mapping.seed(base, prefixes or {})
    owners: dict[str, str] = {}
    nodes = pg.nodes
    rels = pg.rels
    rel_names: dict[str, str] = {}
    prop_names: dict[tuple, tuple] = {}
    labels_of: dict[str, list[str]] = {}
    for start, p, o, g in statements:
        pg.triples += 1
        node = nodes.get(start) or pg.node(start)
        predicate = p.value
        is_literal = isinstance(o, ox.Literal)
        if is_literal or predicate == RDF_TYPE:
            owner = owners.setdefault(start, g)
            if owner != g:
                raise TechregError(
                    f"<{start}> is described in two source graphs, <{owner}> and <{g}>; "
                    "keep each subject's facts in one source")
            node["props"]["_graph"] = g
        if predicate == RDF_TYPE and isinstance(o, ox.NamedNode):
            cls = o.value
            if cls not in labels_of:
                labels_of[cls] = mapping.label_names(cls)
            node["labels"].update(labels_of[cls])
            node["props"].setdefault("_types", []).append(cls)
        elif is_literal:
            language = o.language
            datatype = None if language else o.datatype.value
            key = (predicate, datatype)
            known = prop_names.get(key)
            if known is None:
                name = mapping.property_name(predicate, datatype)
                known = prop_names[key] = name, mapping.datatypes.get(name)
            name, declared = known
            try:
                if language:
                    node["props"].setdefault(f"{name}@{language}", []).append((o.value, None))
                elif datatype == STRING and declared in _TEXT:  # the common cases, first
                    node["props"].setdefault(name, []).append((o.value, None))
                elif datatype == DATE and declared in _DATES and _ISO_DATE.match(o.value):
                    node["props"].setdefault(name, []).append((_date(o.value), None))
                else:
                    value = native(o.value, datatype)
                    node["props"].setdefault(name, []).append(
                        (value, None if natural(value, declared) == o else o))
            except ValueError as e:
                raise TechregError(f"<{start}> <{predicate}>: {e}; fix the value in source "
                                   f"<{g}>") from None
        else:
            end = node_id(o)
            if end not in nodes:
                pg.node(end)
            name = rel_names.get(predicate)
            if name is None:
                name = rel_names[predicate] = mapping.relationship_name(predicate)
            key = (start, name, end)
            graphs = rels.get(key)
            if graphs is None:
                rels[key] = {g}
            else:
                graphs.add(g)
    for node in nodes.values():
        node["props"] = _settle(node["props"], mapping.datatypes)
        node["props"]["_hash"] = content_hash(sorted(node["labels"]), node["props"])
    return pg


def _settle(props: dict, datatypes: dict[str, str]) -> dict:
    """Lists of (value, literal kept for its exact term or None) as stored: a single value
    bare, several as a list in a stable order, and `name^^` beside a property whose values
    need their exact terms."""
    settled = {}
    for name, values in props.items():
        if name == "_types":
            settled[name] = sorted(values)
            continue
        if not isinstance(values, list):
            settled[name] = values
            continue
        if len(values) > 1:
            values.sort(key=lambda v: (type(v[0]).__name__, str(v[0]), str(v[1] or "")))
        natives = [v for v, _ in values]
        mixed = len({type(v) for v in natives}) > 1
        if mixed or any(kept is not None for _, kept in values):
            declared = datatypes.get(name)
            terms = [kept or to_literal(v, declared) for v, kept in values]
            if mixed:  # a Neo4j list holds values of one type: these keep their texts
                natives = [term.value for term in terms]
            terms = [str(term) for term in terms]
            settled[name + EXACT] = terms[0] if len(terms) == 1 else terms
        settled[name] = natives[0] if len(natives) == 1 else natives
    return settled


def content_hash(labels: list[str], props: dict) -> str:
    """A node's hash over its labels and properties, bookkeeping aside: equal hashes, equal
    nodes."""
    text = json.dumps([labels, {k: v for k, v in props.items() if k not in ("_hash", "_digest")}],
                      sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()


# --- property graph -> RDF -------------------------------------------------------------------

@lru_cache(maxsize=50_000)  # relationship ends repeat: places, laws, sources
def term(uri: str):
    """The RDF term of a node's uri."""
    return ox.BlankNode(uri[2:]) if uri.startswith("_:") else ox.NamedNode(uri)


@cache
def graph_term(name: str | None):
    return ox.DefaultGraph() if not name or name == DEFAULT_GRAPH else ox.NamedNode(name)


_SKIP = {*META_PROPS, "_types"}


def node_statements(uri: str, props: dict, out: list, mapping: Mapping) -> Iterator[tuple]:
    """A stored node's statements as (subject, predicate, object, graph) terms: its types,
    its properties and its outgoing relationships [(type, end uri, graphs)], where graphs
    True means the graph that describes the node."""
    subject = term(uri)
    graph = graph_term(props.get("_graph"))
    rdf_type = _node(RDF_TYPE)
    for type_iri in props.get("_types", []):
        yield subject, rdf_type, _node(type_iri), graph
    for name, values in props.items():
        if name in _SKIP or name.endswith(EXACT):
            continue
        base, _, language = name.partition("@")
        predicate = _node(mapping.properties[base])
        exact = props.get(name + EXACT)
        if exact is not None:
            for text in exact if isinstance(exact, list) else [exact]:
                yield subject, predicate, from_ntriples(text), graph
            continue
        declared = mapping.datatypes.get(base)
        for value in values if isinstance(values, list) else [values]:
            yield subject, predicate, to_literal(value, declared, language or None), graph
    for rel_type, end, graphs in out:
        predicate = _node(mapping.relationships[rel_type])
        end = term(end)
        if graphs is True:  # asserted where the node is described
            yield subject, predicate, end, graph
            continue
        for name in graphs or [None]:
            yield subject, predicate, end, graph_term(name)
