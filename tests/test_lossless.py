"""RDF -> Neo4j -> RDF loses nothing: every term comes back as the same term, against the real
Neo4j (the mapping alone is tested in test_mapping.py)."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from conftest import FIXTURES
from helpers import LITERALS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.export import export
from loaders.neo4j import load
from loaders.rdf import Quads, read_quads

LOSSLESS = sorted((FIXTURES / "rdf" / "lossless").iterdir())


def canonical(quads) -> set[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def exported(db) -> set[str]:
    buffer = io.BytesIO()
    export(db, buffer, "nq")
    return canonical(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("path", LOSSLESS, ids=lambda p: p.name)
def test_each_fixture_comes_back_term_for_term(db, path):
    data = read_quads([path])
    expected = canonical(data)
    summary = load(data, db, wipe=True)
    assert summary.triples == len(expected)
    assert exported(db) == expected
    again = load(read_quads([path]), db)
    assert not again.changed


def test_long_decimals_are_numbers_in_cypher_with_their_exact_form_beside(db):
    load(read_quads([FIXTURES / "rdf" / "lossless" / "decimals.ttl"]), db, wipe=True)
    [row] = db.execute_query(
        "MATCH (n {uri: 'http://example.org/lossless/long'}) "
        "RETURN n.ex__amount AS value, n.`ex__amount^^` AS exact").records
    assert row["value"] == pytest.approx(1.2345678901234567)
    assert row["exact"] == ('"1.2345678901234567890123457890"'
                            '^^<http://www.w3.org/2001/XMLSchema#decimal>')


# Small random graphs: a few subjects (IRIs and blank nodes), each described in one named
# graph; objects are literals of every kind, IRIs, blank nodes and RDF lists.
EX = "http://example.org/p/"
SUBJECTS = [ox.NamedNode(f"http://example.org/s/{i}") for i in range(4)]
BLANKS = [ox.BlankNode(f"b{i}") for i in range(3)]
GRAPHS = [ox.NamedNode(f"http://example.org/g/{i}") for i in range(2)]
PREDICATES = [ox.NamedNode(EX + name) for name in ("a", "b", "c")]
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@st.composite
def small_graphs(draw):
    quads = set()
    home = {s: draw(st.sampled_from(GRAPHS)) for s in SUBJECTS + BLANKS}
    for _ in range(draw(st.integers(1, 14))):
        subject = draw(st.sampled_from(SUBJECTS + BLANKS))
        predicate = draw(st.sampled_from(PREDICATES))
        kind = draw(st.sampled_from(["literal", "literal", "iri", "blank", "list"]))
        if kind == "literal":
            obj = draw(LITERALS)
        elif kind == "iri":
            obj = draw(st.sampled_from(SUBJECTS))
        elif kind == "blank":
            obj = draw(st.sampled_from(BLANKS))
        else:
            items = draw(st.lists(LITERALS, min_size=1, max_size=3))
            obj = ox.BlankNode(f"list{len(quads)}")
            cell = obj
            for i, item in enumerate(items):
                rest = ox.BlankNode(f"list{len(quads)}-{i + 1}") if i + 1 < len(items) \
                    else ox.NamedNode(RDF + "nil")
                quads.add(ox.Quad(cell, ox.NamedNode(RDF + "first"), item, home[subject]))
                quads.add(ox.Quad(cell, ox.NamedNode(RDF + "rest"), rest, home[subject]))
                cell = rest
        quads.add(ox.Quad(subject, predicate, obj, home[subject]))
    return sorted(quads, key=str)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(small_graphs())
def test_random_graphs_of_every_kind_of_term_come_back_isomorphic(db, quads):
    load(Quads(list(quads)), db, wipe=True)
    assert exported(db) == canonical(quads)
