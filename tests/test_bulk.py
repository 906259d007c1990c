"""`techreg load --bulk`: the bulk first load through neo4j-admin import writes what the
transactional load writes, refuses what it cannot do without touching anything, and leaves
the empty database when the import fails. Against the project's local test server, which
it stops and restarts (skipped when the tests run against a server in NEO4J_URI)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import FIXTURES
from helpers import content_hash

from graph import db as dbmod
from graph.export import export, export_file
from graph.server import LocalServer
from loaders import bulk
from loaders.neo4j import load
from loaders.rdf import read_quads
from ontology.errors import TechregError

pytestmark = pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")),
                                reason="--bulk needs the local server, not NEO4J_URI")

RDF = FIXTURES / "rdf"
DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURE_FILES = sorted(p for p in RDF.rglob("*") if p.is_file())
PHASES = ["checking the database", "reading and validating", "sorting statements", "mapping",
          "stopping the server", "importing", "starting the server", "creating indexes"]


def snapshot(db) -> tuple[list[str], list[str]]:
    """Every node (labels, properties) and relationship (ends, type, properties), typed
    (a Date and its text differ), in a stable order."""
    def typed(value):
        return f"{type(value).__name__}:{value}"

    nodes = sorted(json.dumps([sorted(r["labels"]), r["props"]], sort_keys=True, default=typed)
                   for r in db.execute_query("MATCH (n) RETURN labels(n) AS labels, "
                                             "properties(n) AS props").records)
    rels = sorted(json.dumps([r["a"], r["type"], r["b"], r["props"]], sort_keys=True,
                             default=typed)
                  for r in db.execute_query("MATCH (a)-[r]->(b) RETURN a.uri AS a, type(r) AS "
                                            "type, b.uri AS b, properties(r) AS props").records)
    return nodes, rels


def exported_nq(db) -> list[str]:
    buffer = io.BytesIO()
    export(db, buffer, "nq")
    return sorted(buffer.getvalue().decode().splitlines())


def empty(target) -> None:
    with dbmod.connect(target) as db:
        db.execute_query("MATCH (n) DETACH DELETE n")


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("inputs", [[], FIXTURE_FILES], ids=["data", "rdf-fixtures"])
def test_bulk_writes_what_the_transactional_load_writes(neo4j_target, monkeypatch, tmp_path,
                                                       inputs):
    if inputs:  # small runs and chunks, so the fixtures go through the external sort
        monkeypatch.setattr(bulk, "RUN_LINES", 17)
        monkeypatch.setattr(bulk, "CHUNK_LINES", 9)
    else:  # a copy of data/, so both loads read the same records while data/ is edited
        inputs = [shutil.copytree(DATA, tmp_path / "data")]
    empty(neo4j_target)
    data = read_quads(inputs)  # (read once for both transactional loads: SHACL takes a while)
    with dbmod.connect(neo4j_target) as db:
        load(data, db)
        expected, expected_export = snapshot(db), exported_nq(db)
        db.execute_query("MATCH (n) DETACH DELETE n")
    phases = []
    summary = bulk.bulk_load(inputs, progress=lambda phase, done, total: phases.append(phase))
    assert [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p] == PHASES
    with dbmod.connect(neo4j_target) as db:
        assert snapshot(db) == expected
        assert exported_nq(db) == expected_export
        assert summary.nodes_created == len(expected[0]) - 2  # the lock and mapping nodes aside
        assert summary.relationships_created == len(expected[1])
        assert not load(data, db).changed
        names = {r["name"] for r in db.execute_query("SHOW INDEXES YIELD name").records}
        assert {"resource_uri", "resource_names", "resource_graph", "techreg_lock"} <= names


@pytest.fixture
def small_graph(neo4j_target):
    empty(neo4j_target)
    with dbmod.connect(neo4j_target) as db:
        load(read_quads([RDF / "graphs.trig"]), db)
        yield db


def _refused(paths, match: str) -> str:
    state = LocalServer.from_settings().state()
    with pytest.raises(TechregError, match=match) as caught:
        bulk.bulk_load(paths)
    assert LocalServer.from_settings().state()["pid"] == state["pid"]  # never stopped
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_bulk_refuses_a_database_that_is_not_empty(small_graph):
    before = content_hash(small_graph)
    _refused([RDF / "datatypes.ttl"], "needs an empty database and 'neo4j' holds")
    assert content_hash(small_graph) == before


def test_bulk_refuses_indexes_it_did_not_make(neo4j_target):
    empty(neo4j_target)
    with dbmod.connect(neo4j_target) as db:
        db.execute_query("CREATE INDEX bulk_test_other IF NOT EXISTS FOR (n:Company) ON (n.x)")
        try:
            _refused([RDF / "datatypes.ttl"], "bulk_test_other")
        finally:
            db.execute_query("DROP INDEX bulk_test_other")


def test_bulk_refuses_another_server(neo4j_target, monkeypatch):
    empty(neo4j_target)
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    with pytest.raises(TechregError, match="NEO4J_URI names another server") as caught:
        bulk.bulk_load([RDF / "datatypes.ttl"])
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name, content, message", [
    ("bad.ttl", b"<a> <b> .\n", "bad.ttl:1: malformed turtle"),
    ("records.yaml", b"- id: x\n  type: Company\n  name: X\n", "at least one source"),
])
def test_bulk_refuses_invalid_input_before_touching_the_database(neo4j_target, tmp_path, name,
                                                                 content, message):
    empty(neo4j_target)
    path = tmp_path / name
    path.write_bytes(content)
    _refused([path], message)
    with dbmod.connect(neo4j_target) as db:
        assert db.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0


@pytest.mark.timeout(900)
def test_a_failed_import_leaves_the_empty_database(neo4j_target, monkeypatch):
    empty(neo4j_target)
    real = bulk._command
    monkeypatch.setattr(bulk, "_command", lambda *a: [*real(*a), "--no-such-option"])
    with pytest.raises(TechregError, match="neo4j-admin import failed") as caught:
        bulk.bulk_load([RDF / "graphs.trig"])
    assert "\n" not in str(caught.value) and "left empty" in str(caught.value)
    assert LocalServer.from_settings().state() is not None  # started again
    with dbmod.connect(neo4j_target) as db:
        assert db.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0
        assert load(read_quads([RDF / "graphs.trig"]), db).nodes_created > 0


@pytest.mark.timeout(900)
def test_the_load_command_takes_bulk_and_a_later_load_changes_nothing(neo4j_target):
    empty(neo4j_target)
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}

    def techreg(*args, **extra):
        return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True,
                              text=True, env={**env, **extra}, timeout=800)

    path = str(RDF / "graphs.trig")
    refused = techreg("load", "--bulk", "--append", path)
    assert refused.returncode == 1 and "--bulk is a first load" in refused.stderr
    elsewhere = techreg("load", "--bulk", path, NEO4J_URI=neo4j_target.uri)
    assert elsewhere.returncode == 1 and "NEO4J_URI" in elsewhere.stderr
    first = techreg("load", "--bulk", path)
    assert first.returncode == 0, first.stderr
    assert "triples" in first.stdout
    second = techreg("load", path)
    assert second.returncode == 0, second.stderr
    assert "nothing changed" in second.stdout


def test_the_routing_scheme_reaches_the_local_server(neo4j_target):
    """`neo4j://` (the scheme of clusters and Aura) works against a single server too."""
    routed = dbmod.Target(neo4j_target.uri.replace("bolt://", "neo4j://"), neo4j_target.user,
                          neo4j_target.password, neo4j_target.database, local=False)
    empty(neo4j_target)
    with dbmod.connect(routed) as db:
        summary = load(read_quads([RDF / "graphs.trig"]), db)
        assert summary.nodes_created > 0
        assert dbmod.counts(db)["nodes"] == summary.nodes_created
        assert len(exported_nq(db)) == summary.triples


def test_the_nquads_export_loads_unchanged_into_oxigraph(small_graph, tmp_path):
    path = tmp_path / "graph.nq"
    count = export_file(small_graph, path, "nq")
    store = ox.Store(str(tmp_path / "store"))
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    written = list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    assert len(set(written)) == count == len(store)
    assert canonical(store) == canonical(written)  # (the store names blank nodes its own way)


def canonical(quads) -> set[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def test_export_in_worker_processes_writes_the_pages_in_order(small_graph, monkeypatch):
    """Pages of three nodes, turned into lines by two worker processes, give the lines the
    single-process writer gives, in the same order."""
    from graph import export as exporting

    monkeypatch.setattr(exporting, "PAGE", 3)
    monkeypatch.setenv("TECHREG_EXPORT_WORKERS", "2")
    for quads in (True, False):
        parallel, serial = io.BytesIO(), io.BytesIO()
        count = exporting._write_pages(small_graph, parallel, quads=quads)
        assert count == exporting._write_lines(exporting.statements(small_graph), serial, quads)
        assert parallel.getvalue() == serial.getvalue()
        assert count > 10
