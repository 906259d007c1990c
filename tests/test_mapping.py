"""The RDF <-> property-graph mapping on its own, without Neo4j: literals both ways, and whole
statements mapped to nodes and back."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest
from helpers import DECLARED, LITERALS, XSD, lit
from hypothesis import given, settings
from hypothesis import strategies as st

from ontology import ID
from ontology.mapping import (
    EXACT,
    Mapping,
    native,
    node_statements,
    to_literal,
    to_property_graph,
    to_value,
)

TR = "https://w3id.org/techreg/ontology#"


@settings(max_examples=600)
@given(LITERALS, DECLARED)
def test_every_literal_comes_back_as_the_same_term_whatever_its_property_declares(term, declared):
    if term.language:
        value, exact = term.value, None
        back = to_literal(value, declared, term.language)
    else:
        value, exact = to_value(term, declared)
        back = to_literal(value, declared, exact=exact)
    assert back == term
    assert str(back) == str(term)  # the same lexical form, datatype and language tag


@pytest.mark.parametrize("text, datatype, expected", [
    ("8500000000", "decimal", 8500000000),
    ("2011-05-10", "date", dt.date(2011, 5, 10)),
    ("42", "integer", 42),
    ("Skype", None, "Skype"),
    ("true", "boolean", True),
    ("2.5", "double", 2.5),
])
def test_common_values_are_native_and_need_no_exact_form(text, datatype, expected):
    declared = XSD + datatype if datatype else None
    value, exact = to_value(lit(text, declared), declared)
    assert value == expected and type(value) is type(expected)
    assert exact is None


@pytest.mark.parametrize("text, datatype", [
    ("1.2345678901234567890123457890", "decimal"),  # beyond a float's precision
    ("2.23400000000000000000005", "decimal"),
    ("1.0", "decimal"), ("1.", "decimal"), ("1.000000000", "decimal"),  # other lexical forms
    ("123", "byte"),  # a datatype other than the declared one
    ("99999999999999999999999", "integer"),  # beyond 64 bits
    ("2002-09-24Z", "date"),  # a time zone Neo4j's Date has not
])
def test_values_neo4j_cannot_hold_exactly_keep_their_exact_term(text, datatype):
    term = lit(text, XSD + datatype)
    value, exact = to_value(term, XSD + "decimal" if datatype == "decimal" else XSD + "integer")
    assert exact == str(term)


@pytest.mark.parametrize("text, datatype", [
    ("2016-02-30", "date"), ("a", "integer"), ("1e5", "decimal"), ("maybe", "boolean"),
    ("2015-02-29T10:00:00", "dateTime"), ("1,5", "double"),
])
def test_ill_formed_literals_are_refused(text, datatype):
    with pytest.raises(ValueError, match="is not a valid"):
        native(text, XSD + datatype)


# --- statements -> nodes -> statements ---------------------------------------------------------

def round_trip(quads: list[ox.Quad]) -> set[ox.Quad]:
    """Map statements to a property graph and turn its nodes back into statements."""
    statements = [(q.subject.value, q.predicate, q.object, q.graph_name.value) for q in quads]
    pg = to_property_graph(statements)
    mapping = Mapping()
    mapping.merge(pg.mapping)
    mapping = Mapping.from_json(mapping.to_json())  # as stored in Neo4j and read back
    out: dict[str, list] = {}
    for (start, type_, end), graphs in pg.rels.items():
        out.setdefault(start, []).append((type_, end, sorted(graphs)))
    result = set()
    for uri, node in pg.nodes.items():
        for s, p, o, g in node_statements(uri, node["props"], out.get(uri, []), mapping):
            result.add(ox.Quad(s, p, o, g))
    return result


S = ox.NamedNode(ID + "s")
G = ox.NamedNode("https://example.org/graph")


def quad(predicate: str, obj) -> ox.Quad:
    return ox.Quad(S, ox.NamedNode(predicate), obj, G)


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from(["http://ex.org/p", "http://ex.org/q", TR + "price",
                                            TR + "started", "http://www.w3.org/2000/01/rdf-schema#label"]),
                          LITERALS), min_size=1, max_size=12))
def test_several_values_of_one_property_stay_distinct_terms(pairs):
    quads = {quad(p, o) for p, o in pairs}
    assert round_trip(list(quads)) == quads


def test_a_string_a_typed_string_and_a_tagged_string_stay_three_statements():
    p = "http://ex.org/p"
    quads = {quad(p, lit("o")), quad(p, lit("o", "http://ex.org/dt")), quad(p, lit("o", language="en"))}
    assert round_trip(list(quads)) == quads


def test_exact_terms_are_kept_beside_the_native_values_only_where_needed():
    p = TR + "price"
    pg = to_property_graph([(S.value, ox.NamedNode(p), lit("1", XSD + "decimal"), G.value),
                            (S.value, ox.NamedNode(p), lit("1.0", XSD + "decimal"), G.value)])
    props = pg.nodes[S.value]["props"]
    assert props["price"] == [1, 1]
    assert props["price" + EXACT] == [f'"1"^^<{XSD}decimal>', f'"1.0"^^<{XSD}decimal>']
    plain = to_property_graph([(S.value, ox.NamedNode(p), lit("8500000000", XSD + "decimal"), G.value)])
    assert plain.nodes[S.value]["props"]["price"] == 8500000000
    assert "price" + EXACT not in plain.nodes[S.value]["props"]


def test_an_iri_a_blank_node_and_literals_as_objects_of_one_predicate_all_survive():
    p = "http://ex.org/p"
    quads = {quad(p, ox.NamedNode(ID + "o")), quad(p, ox.BlankNode("b1")), quad(p, lit("x")),
             quad(p, lit("2", XSD + "integer"))}
    back = round_trip(list(quads))
    assert len(back) == 4
    assert {q.object for q in back if not isinstance(q.object, ox.BlankNode)} == \
        {q.object for q in quads if not isinstance(q.object, ox.BlankNode)}
    assert sum(isinstance(q.object, ox.BlankNode) for q in back) == 1


def test_values_of_several_neo4j_types_are_stored_as_their_texts_with_their_terms():
    p = "http://ex.org/when"
    pg = to_property_graph([(S.value, ox.NamedNode(p), lit("2002-09-24", XSD + "date"), G.value),
                            (S.value, ox.NamedNode(p), lit("2002", XSD + "gYear"), G.value)])
    props = pg.nodes[S.value]["props"]
    assert sorted(props["ns0__when"]) == ["2002", "2002-09-24"]  # one type: a Neo4j list
    assert sorted(props["ns0__when" + EXACT]) == [f'"2002"^^<{XSD}gYear>',
                                                   f'"2002-09-24"^^<{XSD}date>']
