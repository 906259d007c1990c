"""Guarantee 1: bad input is one clear line (file and line or record, what to fix), exit 1,
and Neo4j is untouched. Every case runs the real `techreg load` against the real Neo4j.

tests/test_load_cli.py already covers malformed Turtle, N-Triples and JSON-LD, non-UTF-8
Turtle, an empty file, an unknown file type, a records file without sources and a missing
`.ttl` path; tests/test_records.py locates every kind of bad record in-process. This file
adds the rest through the CLI. The cases are independent processes, so they run side by
side (the graph is hashed before the first starts and after the last ends).
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest
import relhelp
from helpers import BAD as BAD_RECORDS
from helpers import assert_same_dataset, content_hash, exported

from graph import db as dbmod
from graph.export import export
from loaders.neo4j import load
from loaders.rdf import read_rdf, source_iri

VALID_TEXT = relhelp.RECORDS.read_text()

# Record mutations from tests/test_records.py, now loaded through the CLI.
RECORD_CASES = ["yaml syntax error", "unknown field", "field of another type",
                "amount that is not a number", "malformed date", "impossible date",
                "reference to a missing entity", "duplicate id", "wrong value class"]

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"


def _record_case(name: str):
    old, new, message, fragment = BAD_RECORDS[name]
    text = VALID_TEXT.replace(old, new, 1)
    line = text.count("\n", 0, text.index(fragment)) + 1 if fragment else None
    return "records.yaml", text.encode(), line, [message]


def _file_cases():
    """name -> (file name, bytes or None for a directory, line or None, fragments)."""
    cases = {f"records: {name}": _record_case(name) for name in RECORD_CASES}
    cases.update({
        "malformed trig": ("bad.trig", b"<http://a> {\n  <http://b> <http://c> .\n}\n",
                           2, ["malformed trig"]),
        "malformed turtle, later line": (
            "later.ttl", b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open\n",
            3, ["malformed turtle"]),
        "json that is not json-ld": ("notld.jsonld", b'{"@context": 5, "@id": "x"}', None,
                                     ["malformed json-ld"]),
        # binary content: "not UTF-8 text" or "malformed nt", located either way
        "binary file named .ttl": ("picture.ttl", PNG, 1, []),
        "binary file named .nt": ("random.nt", bytes(range(256)) * 8, 1, []),
        "binary records file": ("picture.yaml", PNG, None, ["not UTF-8 text"]),
        "records file that is not a list": ("map.yaml", b"id: x\ntype: Company\n", 1,
                                            ["a records file is a YAML list of records"]),
        "empty records file": ("empty.yaml", b"", None, ["the file has no records"]),
        "directory where a file is expected": ("folder.ttl", None, None,
                                               ["no records files (*.yaml) under"]),
    })
    return cases


CASES = _file_cases()


@pytest.fixture(scope="module")
def outcome(neo4j_target, tmp_path_factory):
    """Load a previous graph, run every bad input through `techreg load`, hash again."""
    folder = tmp_path_factory.mktemp("bad-input")
    runs = {}
    for name, (file_name, content, _, _) in CASES.items():
        case_dir = folder / f"case{len(runs)}"
        case_dir.mkdir()
        path = case_dir / file_name
        if content is None:
            path.mkdir()
        else:
            path.write_bytes(content)
        runs[name] = path
    missing = folder / "no-such-file.yaml"
    runs["path that does not exist (records)"] = missing
    runs["path that does not exist (no suffix)"] = folder / "typo"
    with dbmod.connect(neo4j_target) as db:
        db.execute_query("MATCH (n) DETACH DELETE n")
        load(read_rdf([relhelp.TRIG]), db)
        before = content_hash(db)
        env = relhelp.env_for(neo4j_target)
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = {name: pool.submit(relhelp.techreg, "load", path, env=env)
                       for name, path in runs.items()}
            results = {name: future.result() for name, future in futures.items()}
        after = content_hash(db)
    return {"before": before, "after": after, "results": results, "paths": runs}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_located_line_and_neo4j_is_untouched(outcome, case):
    _, _, line, fragments = CASES[case]
    path = outcome["paths"][case]
    where = f"{path}:{line}:" if line else f"{path}"
    relhelp.assert_one_line_error(outcome["results"][case], where, *fragments)
    assert outcome["after"] == outcome["before"]


@pytest.mark.parametrize("case", ["path that does not exist (records)",
                                  "path that does not exist (no suffix)"])
def test_a_path_that_does_not_exist_is_named(outcome, case):
    relhelp.assert_one_line_error(outcome["results"][case], str(outcome["paths"][case]),
                                  "no such file")
    assert outcome["after"] == outcome["before"]


def test_bad_input_is_reported_even_when_neo4j_is_down(tmp_path):
    """Input is read and validated before Neo4j is contacted: the user learns what to fix."""
    path = tmp_path / "records.yaml"
    path.write_text(VALID_TEXT.replace("  authority: court-b\n", "  authority: court-z\n"))
    env = {**relhelp.env_for(dbmod.Target(f"bolt://127.0.0.1:{relhelp.free_port()}", "neo4j",
                                          "x", "neo4j", local=False))}
    result = relhelp.techreg("load", path, env=env)
    relhelp.assert_one_line_error(result, f"{path}:", "'court-z' is not the id of any record")


def test_a_directory_given_as_a_query_file_is_refused(tmp_path):
    result = relhelp.techreg("sparql", "--built", "-i", tmp_path, env=relhelp.env_for(
        dbmod.Target("bolt://127.0.0.1:1", "neo4j", "x", "neo4j", local=False)))
    relhelp.assert_one_line_error(result, str(tmp_path), "is a directory; give a file")


def test_export_to_a_directory_is_one_line(db, neo4j_target, tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    result = relhelp.techreg("export", "-o", target, env=relhelp.env_for(neo4j_target))
    relhelp.assert_one_line_error(result, str(target))
    assert not (tmp_path / "out.partial").exists()


def test_non_utf8_records_name_the_line_and_the_fix(neo4j_target, tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(VALID_TEXT.replace("Acme Corp", "Acm\xe9 Corp").encode("latin-1"))
    # The first byte that is not UTF-8 (the fixture's "Acmé" in line 15 or 16 turns Latin-1 too).
    data = path.read_bytes()
    first = next(i for i, b in enumerate(data) if b >= 0x80)
    line = data[:first].count(b"\n") + 1
    result = relhelp.techreg("load", path, env=relhelp.env_for(neo4j_target))
    relhelp.assert_one_line_error(result, f"{path}:{line}:", "not UTF-8", "save it as UTF-8")


def test_a_10_mb_literal_loads_and_round_trips(db, neo4j_target, tmp_path):
    """Decided by running it: a 10 MB string in Turtle is accepted and comes back intact."""
    big = "x" * (10 * 1024 * 1024)
    path = tmp_path / "huge.ttl"
    path.write_text(f'<{relhelp.ID}huge> a <{relhelp.TR}Company> ;\n'
                    f'  <{relhelp.RDFS_LABEL}> "{big}" .\n')
    result = relhelp.techreg("load", path, env=relhelp.env_for(neo4j_target))
    assert result.returncode == 0, result.stderr
    size = db.execute_query("MATCH (n:Resource {uri: $uri}) RETURN size(n.label) AS s",
                            uri=f"{relhelp.ID}huge").records[0]["s"]
    assert size == len(big)
    # rdflib's N-Quads parser is too slow on a 10 MB line; pyoxigraph compares the quads.
    buffer = io.BytesIO()
    export(db, buffer, "nq")
    got = {str(q) for q in ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS)}
    graph = ox.NamedNode(source_iri(path))
    want = {str(ox.Quad(t.subject, t.predicate, t.object, graph))
            for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}
    assert got == want


ILL_TYPED = [
    pytest.param('"2016-02-30"^^xsd:date', id="impossible xsd:date"),
    pytest.param('"lots"^^xsd:decimal', id="ill-typed xsd:decimal"),
    pytest.param('"12"^^xsd:integer', id="well-typed control"),
]


@pytest.mark.parametrize("literal", ILL_TYPED)
def test_an_ill_typed_literal_in_rdf_is_refused_or_round_trips(db, neo4j_target, tmp_path,
                                                                literal):
    path = tmp_path / "typed.ttl"
    path.write_text("@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                    f"<{relhelp.ID}case-x> a <{relhelp.TR}CourtCase> ;\n"
                    f"  <{relhelp.TR}decided> {literal} .\n")
    load(read_rdf([relhelp.TRIG]), db)
    before = content_hash(db)
    result = relhelp.techreg("load", path, env=relhelp.env_for(neo4j_target))
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode == 0:
        assert_same_dataset(read_rdf([path]), exported(db))
    else:
        relhelp.assert_one_line_error(result, str(path))
        assert content_hash(db) == before
