"""SHACL validation of the compiled records.

Two sets of shapes: those in ontology/shapes.ttl (what a valid record needs: required
fields, cardinalities, identifier patterns, the appeal-date rule) and those derived here
from the ontology's ranges (datatypes and value classes), so ranges are stated once.
"""

from __future__ import annotations

from functools import cache

from pyshacl import validate
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from ontology import NS, SHAPES_FILE, model

SH = Namespace("http://www.w3.org/ns/shacl#")


@cache
def shapes_graph() -> Graph:
    """shapes.ttl plus a property shape per ontology property, derived from its range."""
    graph = Graph()
    graph.parse(SHAPES_FILE, format="turtle")
    m = model()
    for prop in m.by_iri.values():
        if prop.range is None or prop.range == RDF.Property:
            continue
        shape = URIRef(f"{NS}range-{prop.key}")
        graph.add((shape, RDF.type, SH.NodeShape))
        graph.add((shape, SH.targetSubjectsOf, prop.iri))
        pshape = BNode()
        graph.add((shape, SH.property, pshape))
        graph.add((pshape, SH.path, prop.iri))
        if prop.range == NS.PartialDate:
            _or(graph, pshape, [XSD.date, XSD.gYearMonth, XSD.gYear])
        elif prop.range == RDFS.Literal:
            _or(graph, pshape, [XSD.string, RDF.langString])
        elif prop.is_object:
            graph.add((pshape, SH["class"], prop.range))
        else:
            graph.add((pshape, SH.datatype, prop.range))
        graph.add((pshape, SH.message, Literal(f"'{prop.key}' must be a {_range_name(prop)}")))
    return graph


def _or(graph: Graph, shape, datatypes) -> None:
    options = []
    for datatype in datatypes:
        option = BNode()
        graph.add((option, SH.datatype, datatype))
        options.append(option)
    head = BNode()
    Collection(graph, head, options)
    graph.add((shape, SH["or"], head))


def _range_name(prop) -> str:
    if prop.range == NS.PartialDate:
        return "date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if prop.range == RDFS.Literal:
        return "text"
    name = str(prop.range).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    article = "an" if name[0].lower() in "aeiou" else "a"
    return f"reference to {article} {name}" if prop.is_object else name


def validate_dataset(dataset, compiler) -> list:
    """SHACL problems of a compiled dataset, located at their records' file and line."""
    from ontology.errors import Problem

    data = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        data.add((s, p, o))
    ontology = model().graph
    conforms, results, _ = validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology, inference="none",
        allow_warnings=False, advanced=True,
    )
    if conforms:
        return []
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = str(results.value(result, SH.resultMessage) or "does not conform")
        record, _ = compiler.subjects.get(focus, (None, None))
        prop = model().by_iri.get(path)
        key = prop.key if prop else None
        if record is None:
            problems.append(Problem("<data>", None, str(focus), message))
            continue
        line = record.lines.get(key, record.line) if key else record.line
        problems.append(Problem(record.file, line, record.id, message))
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
