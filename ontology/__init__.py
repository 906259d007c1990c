"""The techreg ontology, read from its Turtle files: the single source of classes and properties.

Everything else (record compiler, Neo4j mapping, validation, docs, explorer) asks this
module instead of restating the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

NS = Namespace("https://w3id.org/techreg/ontology#")
ID = Namespace("https://w3id.org/techreg/id/")
ONTOLOGY_DIR = Path(__file__).parent
ONTOLOGY_FILES = ("techreg.ttl", "vocabularies.ttl")
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


def local_name(iri: str) -> str:
    return re.split(r"[#/]", str(iri).rstrip("/#"))[-1]


def upper_snake(name: str) -> str:
    """Neo4j's convention for relationship types: inDispute -> IN_DISPUTE."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


@dataclass(frozen=True)
class Property:
    iri: URIRef
    key: str  # the field name in records
    is_object: bool  # a relationship in Neo4j; else a node property
    range: URIRef | None
    domains: frozenset[URIRef]
    scheme: URIRef | None  # values are concepts of this scheme
    iri_template: str | None
    inline: bool  # records give values as nested records
    neo4j_name: str
    label: str
    comment: str
    explains: bool = False  # a path through it is one hop (tr:explains)
    indexed: bool = False  # an identifier Neo4j indexes (tr:indexed)
    searchable: bool = False  # a name the full-text search looks in (tr:searchable)


@dataclass(frozen=True)
class OntClass:
    iri: URIRef
    name: str
    parents: tuple[URIRef, ...]
    label: str
    comment: str
    in_network: bool = True  # False: about the graph itself, left out of analytics


@dataclass
class Model:
    graph: Graph
    classes: dict[str, OntClass] = field(default_factory=dict)  # by local name
    properties: dict[str, Property] = field(default_factory=dict)  # by record key
    by_iri: dict[URIRef, Property] = field(default_factory=dict)
    concepts: dict[URIRef, dict[str, URIRef]] = field(default_factory=dict)  # scheme -> code -> IRI
    # Answers of ancestors(), worked out once per class: the explorer asks for every row.
    _lineage: dict[URIRef, tuple[URIRef, ...]] = field(default_factory=dict, repr=False,
                                                        compare=False)

    def ancestors(self, cls: URIRef) -> list[URIRef]:
        """The class and its superclasses within the ontology, nearest first."""
        if cls not in self._lineage:
            self._lineage[cls] = tuple(self._walk_up(cls))
        return list(self._lineage[cls])

    def _walk_up(self, cls: URIRef) -> list[URIRef]:
        seen: list[URIRef] = []
        todo = [cls]
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.append(current)
            ont = self.classes.get(local_name(current))
            if ont is not None and ont.iri == current:
                todo.extend(ont.parents)
        return [c for c in seen if self.is_own(c)]

    def is_own(self, cls: URIRef) -> bool:
        ont = self.classes.get(local_name(cls))
        return ont is not None and ont.iri == cls

    def allows(self, prop: Property, cls: URIRef) -> bool:
        """Whether records of class cls may carry prop (its domain is cls or an ancestor)."""
        return not prop.domains or bool(prop.domains & set(self.ancestors(cls)))

    def is_date(self, prop: Property) -> bool:
        return prop.range == NS.PartialDate

    def kind_of(self, labels) -> str:
        """A node's kind among its labels: its most specific ontology class ('Resource' if
        it has none)."""
        own = [label for label in labels if label in self.classes]
        if not own:
            return "Resource"
        return min(own, key=lambda name: (-len(self.ancestors(self.classes[name].iri)), name))

    def concept_code(self, iri: URIRef) -> str | None:
        value = self.graph.value(iri, SKOS.notation)
        return str(value) if value is not None else None


def _text(graph: Graph, subject, predicate) -> str:
    values = list(graph.objects(subject, predicate))
    english = [v for v in values if isinstance(v, Literal) and v.language in ("en", None)]
    return str((english or values or [""])[0])


def _domains(graph: Graph, prop: URIRef) -> frozenset[URIRef]:
    result: set[URIRef] = set()
    for domain in graph.objects(prop, RDFS.domain):
        union = graph.value(domain, OWL.unionOf)
        if union is not None:
            result.update(Collection(graph, union))
        else:
            result.add(domain)
    return frozenset(result)


@cache
def model() -> Model:
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(ONTOLOGY_DIR / name, format="turtle")
    m = Model(graph)
    for cls in graph.subjects(RDF.type, OWL.Class):
        # The ontology's own classes, and the reused classes it declares with a label.
        if isinstance(cls, URIRef) and graph.value(cls, RDFS.label) is not None:
            m.classes[local_name(cls)] = OntClass(
                cls, local_name(cls),
                tuple(p for p in graph.objects(cls, RDFS.subClassOf) if isinstance(p, URIRef)),
                _text(graph, cls, RDFS.label), _text(graph, cls, RDFS.comment),
                in_network=graph.value(cls, NS.inNetwork) != Literal(False),
            )
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in graph.subjects(RDF.type, kind):
            key = str(graph.value(prop, NS.recordKey) or local_name(prop))
            is_object = kind == OWL.ObjectProperty
            default_name = upper_snake(local_name(prop)) if is_object else local_name(prop)
            p = Property(
                iri=prop, key=key, is_object=is_object,
                range=graph.value(prop, RDFS.range), domains=_domains(graph, prop),
                scheme=graph.value(prop, NS.conceptScheme),
                iri_template=_str_or_none(graph.value(prop, NS.iriTemplate)),
                inline=bool(graph.value(prop, NS.inlineRecords)),
                neo4j_name=str(graph.value(prop, NS.neo4jName) or default_name),
                label=_text(graph, prop, RDFS.label), comment=_text(graph, prop, RDFS.comment),
                explains=bool(graph.value(prop, NS.explains)),
                indexed=bool(graph.value(prop, NS.indexed)),
                searchable=bool(graph.value(prop, NS.searchable)),
            )
            m.properties[key] = p
            m.by_iri[prop] = p
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        scheme = graph.value(concept, SKOS.inScheme)
        m.concepts.setdefault(scheme, {})[str(graph.value(concept, SKOS.notation))] = concept
    return m


def kind_of(labels) -> str:
    """A node's kind: the most specific ontology class among its labels."""
    return model().kind_of(labels)


def _str_or_none(value) -> str | None:
    return None if value is None else str(value)


__all__ = ["NS", "ID", "Model", "Property", "OntClass", "model", "kind_of", "local_name", "upper_snake",
           "SHAPES_FILE", "XSD"]
