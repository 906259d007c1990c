"""`techreg load` and `techreg export` as a user runs them, against the real Neo4j."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import FIXTURES
from helpers import assert_same_dataset, content_hash
from rdflib import Dataset

from loaders.rdf import read_rdf

RDF_FIXTURES = FIXTURES / "rdf"


@pytest.fixture
def techreg(neo4j_target):
    env = {**os.environ, "NEO4J_URI": neo4j_target.uri, "NEO4J_USERNAME": "neo4j",
           "NEO4J_PASSWORD": neo4j_target.password}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True,
                              text=True, env=env, timeout=300)
    return run


def test_load_prints_a_summary_and_a_second_load_changes_nothing(db, techreg):
    first = techreg("load", str(RDF_FIXTURES / "graphs.trig"))
    assert first.returncode == 0, first.stderr
    assert "nodes" in first.stdout and "triples" in first.stdout
    second = techreg("load", str(RDF_FIXTURES / "graphs.trig"))
    assert "nothing changed" in second.stdout


BAD_INPUTS = {
    "malformed turtle": ("bad.ttl", b"<a> <b> .\n", "bad.ttl:1: malformed turtle"),
    "malformed n-triples": ("bad.nt", b"<http://a> <http://b> <http://c> .\n<x y z\n",
                            "bad.nt:2: malformed nt"),
    "malformed json-ld": ("bad.jsonld", b"{\"@id\": ", "bad.jsonld:1: malformed json-ld"),
    "not utf-8": ("latin.ttl", "<http://a> <http://b> \"caf\xe9\" .\n".encode("latin-1"),
                  "latin.ttl:1: not UTF-8 text"),
    "empty file": ("empty.ttl", b"", "empty.ttl: the file is empty"),
    "unknown file type": ("data.xls", b"\x00\x01", "unknown RDF file type '.xls'"),
    "invalid records": ("records.yaml", b"- id: x\n  type: Company\n  name: X\n",
                        "records.yaml:1: x: the record needs at least one source"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_and_never_reaches_neo4j(db, techreg, tmp_path, case):
    techreg("load", str(RDF_FIXTURES / "graphs.trig"))
    before = content_hash(db)
    name, content, message = BAD_INPUTS[case]
    path = tmp_path / name
    path.write_bytes(content)
    result = techreg("load", str(path))
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert content_hash(db) == before


def test_missing_file_and_directory_are_reported(db, techreg, tmp_path):
    missing = techreg("load", str(tmp_path / "nope.ttl"))
    assert missing.returncode == 1 and "nope.ttl: no such file" in missing.stderr


def test_export_writes_what_was_loaded(db, techreg, tmp_path):
    techreg("load", str(RDF_FIXTURES / "graphs.trig"))
    out = tmp_path / "out.trig"
    result = techreg("export", "--format", "trig", "-o", str(out))
    assert result.returncode == 0, result.stderr
    exported = Dataset()
    exported.parse(out, format="trig")
    assert_same_dataset(read_rdf([RDF_FIXTURES / "graphs.trig"]), exported)


def test_unload_removes_one_source(db, techreg):
    techreg("load", str(RDF_FIXTURES / "graphs.trig"))
    result = techreg("unload", "https://example.org/graph/deals")
    assert result.returncode == 0, result.stderr
    again = techreg("unload", "https://example.org/graph/deals")
    assert again.returncode == 1 and "no statements of source" in again.stderr
