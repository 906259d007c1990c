"""Docs that cannot drift: the settings table and the ontology reference."""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, RDFS

from graph.settings import SETTINGS
from ontology import model
from ontology.reference import render_reference

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in readme, setting.name


def test_ontology_reference_is_current():
    assert (ROOT / "docs" / "ontology.md").read_text() == render_reference(), (
        "docs/ontology.md is stale: run `techreg docs`")


def test_every_class_and_property_has_a_label_and_a_comment():
    graph = model().graph
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, kind):
            if term.startswith("http"):
                assert graph.value(term, RDFS.label), f"{term} has no rdfs:label"
                assert graph.value(term, RDFS.comment), f"{term} has no rdfs:comment"


def test_record_keys_and_neo4j_names_are_unique():
    m = model()
    assert len(m.properties) == len(m.by_iri)
    names = [p.neo4j_name for p in m.by_iri.values()]
    assert len(names) == len(set(names))
