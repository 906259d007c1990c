"""The `techreg` command is thin: what its commands used to work out themselves is library
code, tested here without the command (and with Neo4j where it reads the graph)."""

from __future__ import annotations

import inspect
import io

import pytest
from conftest import FIXTURES
from rdflib import Dataset, URIRef

from graph import db as dbmod
from graph import endpoint
from graph.export import export, export_file
from loaders.neo4j import load
from loaders.rdf import read_rdf, source_graph, source_iri
from loaders.records import GRAPHS, build_dataset, count_subjects
from ontology.errors import TechregError

TRIG = FIXTURES / "rdf" / "graphs.trig"
VALID = FIXTURES / "records" / "valid.yaml"


# --- unload: which source graph a user means -------------------------------------------------

@pytest.mark.parametrize("name", ["https://example.org/graph/a", "urn:x-source:1",
                                  "file:///tmp/some.ttl"])
def test_an_iri_names_itself(name):
    assert source_graph(name) == name


def test_an_existing_file_names_its_file_uri(tmp_path, monkeypatch):
    path = tmp_path / "mine.ttl"
    path.write_text("")
    assert source_graph(str(path)) == source_iri(path) == path.resolve().as_uri()
    monkeypatch.chdir(tmp_path)
    assert source_graph("mine.ttl") == path.resolve().as_uri()


def test_anything_else_is_the_stem_of_a_data_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no file of that name here
    assert source_graph("eu-platforms") == GRAPHS + "eu-platforms"


# --- validate: counting what the records describe --------------------------------------------

def test_count_subjects_leaves_out_the_vocabularies():
    dataset = build_dataset([VALID])
    vocabularies = URIRef(GRAPHS + "vocabularies")
    described = {s for s, _, _, g in dataset.quads() if g != vocabularies}
    assert count_subjects(dataset) == len(described) > 0
    assert len(described) < len({s for s, *_ in dataset.quads()})


def test_count_subjects_of_an_empty_dataset():
    assert count_subjects(Dataset()) == 0


# --- counts: nodes per label ---------------------------------------------------------------

def test_label_counts_are_nodes_per_label_most_frequent_first(db):
    load(read_rdf([TRIG]), db)
    counts = dbmod.label_counts(db)
    assert counts and all(isinstance(n, int) and n > 0 for _, n in counts)
    assert "Resource" not in dict(counts)
    assert [n for _, n in counts] == sorted((n for _, n in counts), reverse=True)
    expected = db.execute_query("MATCH (n:Company) RETURN count(n) AS c").records[0]["c"]
    assert dict(counts)["Company"] == expected


# --- export: a file appears only when complete -------------------------------------------------

def test_export_file_writes_the_same_as_the_stream(db, tmp_path):
    load(read_rdf([TRIG]), db)
    stream = io.BytesIO()
    count = export(db, stream, "nq")
    target = tmp_path / "graph.nq"
    assert export_file(db, target, "nq") == count > 0
    assert target.read_bytes() == stream.getvalue()
    assert not (tmp_path / "graph.nq.partial").exists()


def test_export_file_to_a_directory_is_refused(db, tmp_path):
    with pytest.raises(TechregError, match="is a directory"):
        export_file(db, tmp_path, "nq")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_neither_the_file_nor_the_partial(db, tmp_path):
    load(read_rdf([TRIG]), db)
    target = tmp_path / "graph.out"
    with pytest.raises(KeyError):
        export_file(db, target, "no-such-format")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_keeps_an_earlier_complete_file(db, tmp_path):
    target = tmp_path / "graph.nq"
    target.write_text("earlier\n")
    with pytest.raises(KeyError):
        export_file(db, target, "no-such-format")
    assert target.read_text() == "earlier\n"


# --- the endpoint takes a store ---------------------------------------------------------------

def test_the_endpoint_is_handed_its_store():
    parameters = list(inspect.signature(endpoint.run).parameters)
    assert parameters[0] == "store" and "built" not in parameters


def test_a_load_too_large_for_the_transaction_memory_says_what_to_do():
    """Met at 10M statements with the default 4 GB heap (docs/benchmarks.md): the user gets
    Neo4j's words and the two ways out, on one line."""
    from neo4j.exceptions import Neo4jError

    from cli.main import neo4j_message

    error = Neo4jError._hydrate_neo4j(
        code="Neo.TransientError.General.MemoryPoolOutOfMemoryError",
        message="The allocation of an extra 2.0 MiB would use more than the limit 2.8 GiB.")
    line = neo4j_message(error)
    assert line.startswith("Neo4j: The allocation of an extra 2.0 MiB would use more than the "
                           "limit 2.8 GiB: the load is one transaction")
    assert "techreg load --bulk" in line and "TECHREG_NEO4J_HEAP" in line and "\n" not in line
    other = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Statement.SyntaxError",
                                      message="Invalid input 'MATCHH'\n  (line 1)")
    assert neo4j_message(other) == "Neo4j: Invalid input 'MATCHH'"
