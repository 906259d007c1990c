"""RDF -> Neo4j -> RDF against the real Neo4j: mapping, idempotence, atomicity, round trip."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import FIXTURES
from helpers import assert_same_dataset, content_hash, exported, node
from rdflib import Dataset, Graph, URIRef

from loaders.neo4j import load, unload
from loaders.rdf import read_quads, read_rdf, source_iri
from loaders.records import build_dataset
from ontology import ID
from ontology.errors import TechregError

RDF_FIXTURES = FIXTURES / "rdf"
EDGE_CASES = ["datatypes.ttl", "graphs.trig", "small.jsonld"]


def test_mapping_of_datatypes_languages_multivalues_and_unknown_terms(db):
    summary = load(read_rdf([RDF_FIXTURES / "datatypes.ttl"]), db)
    assert summary.unknown_terms == 9  # ex: terms, counted in the summary
    court = node(db, ID + "court-x")
    assert {"Resource", "Court", "PublicBody", "Organization", "Agent", "Entity"} <= set(
        court["labels"])
    props = court["n"]
    assert props["label@fr"] == "Cour de cassation" and props["label@nl"] == "Hof van Cassatie"
    assert sorted(props["altLabel"]) == ["Cassation", "Supreme court of Belgium"]
    assert props["founded"] == "1832"  # a gYear keeps its precision: no invented day
    case = node(db, ID + "case-x")["n"]
    assert case["decided"].to_native() == dt.date(2019, 2, 19)
    assert case["filed"] == "2012-09"
    assert case["penaltyAmount"] == 30000.5
    assert case["ex__pages"] == 42 and case["ex__public"] is True
    assert case["ex__hearingStarted"].to_native() == dt.datetime(2019, 1, 15, 9, 30,
                                                                 tzinfo=dt.UTC)
    rels = {r["type"] for r in db.execute_query(
        "MATCH (:Resource {uri: $uri})-[r]->() RETURN type(r) AS type",
        uri=ID + "case-x").records}
    assert rels == {"AUTHORITY", "HAS_PARTICIPATION", "ex__SEE_ALSO"}
    # The blank-node participation is a node of its own.
    assert db.execute_query("MATCH (:CourtCase)-[:HAS_PARTICIPATION]->(p:Participation)"
                            "-[:PARTICIPANT]->(:Court) RETURN count(p) AS c").records[0]["c"] == 1


@pytest.mark.parametrize("name", EDGE_CASES)
def test_round_trip_of_edge_case_fixtures_is_isomorphic(db, name):
    data = read_rdf([RDF_FIXTURES / name])
    load(data, db)
    assert_same_dataset(data, exported(db))


def test_round_trip_of_the_curated_dataset_is_isomorphic(db):
    data = build_dataset()
    load(data, db)
    assert_same_dataset(data, exported(db))


def test_second_load_changes_nothing(db):
    data = read_rdf([RDF_FIXTURES / "datatypes.ttl", RDF_FIXTURES / "graphs.trig"])
    load(data, db)
    before = content_hash(db)
    summary = load(data, db)
    assert not summary.changed
    assert content_hash(db) == before


def test_a_failure_mid_load_leaves_the_previous_graph_and_a_rerun_completes(db):
    first = read_rdf([RDF_FIXTURES / "graphs.trig"])
    load(first, db)
    before = content_hash(db)
    second = read_rdf([RDF_FIXTURES / "datatypes.ttl"])

    def fail_after_first_batch(step, done, total):
        raise RuntimeError("injected failure")

    with pytest.raises(RuntimeError, match="injected failure"):
        load(second, db, batch_size=1, progress=fail_after_first_batch)
    assert content_hash(db) == before
    load(second, db)
    assert_same_dataset(second, exported(db))


def test_records_removed_from_the_input_disappear(db):
    data = read_rdf([RDF_FIXTURES / "graphs.trig"])
    load(data, db)
    smaller = Dataset()
    for s, p, o, g in data.quads((None, None, None, None)):
        if s != URIRef(ID + "deal"):
            smaller.graph(g.identifier if isinstance(g, Graph) else g).add((s, p, o))
    summary = load(smaller, db)
    assert summary.nodes_deleted == 1 and summary.relationships_deleted == 2
    assert_same_dataset(smaller, exported(db))


def test_one_source_is_replaced_or_unloaded_alone(db, tmp_path):
    load(read_rdf([RDF_FIXTURES / "graphs.trig"]), db)
    extra = tmp_path / "extra.ttl"
    extra.write_text("@prefix tr: <https://w3id.org/techreg/ontology#> .\n"
                     f"<{ID}x> a tr:Company .\n")
    load(read_rdf([extra]), db, mode="append")
    assert node(db, ID + "x")["n"]["_graph"] == source_iri(extra)
    # Unloading one graph keeps the relationship another graph also asserts.
    summary = unload(db, "https://example.org/graph/deals")
    assert summary.nodes_deleted == 1  # the deal
    subsidiary = db.execute_query(
        "MATCH (:Company {label: 'Microsoft'})-[r:SUBSIDIARY_OF]->() RETURN r._graphs AS g"
    ).records
    assert [r["g"] for r in subsidiary] == [["https://example.org/graph/other"]]
    assert node(db, ID + "x")  # the appended source is untouched
    # Replacing one source changes only that source.
    extra.write_text("@prefix tr: <https://w3id.org/techreg/ontology#> .\n"
                     f"<{ID}y> a tr:Company .\n")
    summary = load(read_rdf([extra]), db, mode="replace-source")
    assert (summary.nodes_created, summary.nodes_deleted) == (1, 1)
    assert db.execute_query("MATCH (n:Company) RETURN count(n) AS c").records[0]["c"] == 3


def test_a_subject_described_by_two_sources_is_refused_before_writing(db, tmp_path):
    load(read_rdf([RDF_FIXTURES / "graphs.trig"]), db)
    before = content_hash(db)
    clash = tmp_path / "clash.ttl"
    clash.write_text(f'<{ID}skype> '
                     '<http://www.w3.org/2000/01/rdf-schema#label> "Skype Ltd" .\n')
    with pytest.raises(TechregError, match="already described by source"):
        load(read_rdf([clash]), db, mode="append")
    assert content_hash(db) == before


def test_full_text_index_finds_names(db):
    load(read_rdf([RDF_FIXTURES / "datatypes.ttl"]), db)
    db.execute_query("CALL db.awaitIndexes(60)")
    hits = db.execute_query(
        "CALL db.index.fulltext.queryNodes('resource_names', $q) YIELD node RETURN node.uri AS uri",
        q="cassation").records
    assert ID + "court-x" in [h["uri"] for h in hits]


def _variants(lines: list[str]) -> dict[str, list[str]]:
    """Edits of an N-Triples file: literals changed, statements dropped (whole subjects and
    single statements), relationships pointed elsewhere, statements added."""
    iri_objects = [line.rsplit(" ", 2)[-2] for line in lines
                   if line.rstrip().endswith("> .") and "#type>" not in line]
    redirected = []
    for i, line in enumerate(lines):
        if i % 11 == 0 and line.rstrip().endswith("> .") and "#type>" not in line:
            head = line.rsplit(" ", 2)[0]
            line = f"{head} {iri_objects[(i * 7) % len(iri_objects)]} .\n"
        redirected.append(line)
    dropped_subjects = {line.split(" ", 1)[0] for line in lines[::40]}
    return {
        "labels renamed": [line.replace('" .', ' (renamed)" .', 1)
                           if i % 17 == 0 and "rdf-schema#label" in line else line
                           for i, line in enumerate(lines)],
        "statements dropped": [line for i, line in enumerate(lines) if i % 13],
        "subjects dropped": [line for line in lines
                             if line.split(" ", 1)[0] not in dropped_subjects],
        "relationships redirected": redirected,
        "statements added": lines + [
            f"<{ID}new-{i}> <http://www.w3.org/2000/01/"
            f'rdf-schema#label> "New {i}" .\n' for i in range(30)] + [
            f"{line.split(' ', 1)[0]} <https://w3id.org/techreg/ontology#jurisdiction> "
            f"<{ID}new-3> .\n" for line in lines[::50]],
    }


@pytest.mark.parametrize("variant", ["labels renamed", "statements dropped", "subjects dropped",
                                     "relationships redirected", "statements added"])
def test_a_reload_after_edits_gives_the_graph_of_a_fresh_load(db, tmp_path, variant):
    """A reload maps and compares only the subjects whose statements changed; the graph
    it leaves must be the one a load into an empty database gives."""
    from bench.generate import write

    path = tmp_path / "input.nt"
    write(3000, path)
    original = path.read_text().splitlines(keepends=True)
    load(read_quads([path]), db)
    path.write_text("".join(_variants(original)[variant]))
    summary = load(read_quads([path]), db)
    assert summary.changed
    incremental = content_hash(db)
    assert not load(read_quads([path]), db).changed
    load(read_quads([path]), db, wipe=True)
    assert content_hash(db) == incremental
    assert_same_dataset(read_rdf([path]), exported(db))


def test_file_digests_equal_the_digests_of_the_same_statements_in_memory(tmp_path):
    """Files are hashed while they are read (one inlined loop); statements in memory by
    loaders.rdf.subject_digests. Both must give a subject the same digest."""
    from bench.generate import write
    from loaders.rdf import Quads, subject_digests

    path = tmp_path / "input.nt"
    write(2000, path)
    from_file = read_quads([path])
    in_memory = Quads(list(from_file))
    assert subject_digests(from_file, "urn:x") == subject_digests(in_memory, "urn:x")
    assert len(subject_digests(in_memory, "urn:x")[0]) > 100
