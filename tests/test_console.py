"""User-typed Cypher is read-only, bounded and refuses what reaches out; against real Neo4j."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from helpers import content_hash

from graph.console import run_readonly
from loaders.neo4j import load
from loaders.rdf import read_rdf
from ontology.errors import TechregError

WRITES = [
    "CREATE (n:Evil)",
    "MERGE (n:Evil {x: 1})",
    "MATCH (n:Company) SET n.label = 'hacked'",
    "MATCH (n:Company) REMOVE n.label",
    "MATCH (n:Company) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Company) SET n:Evil",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD CSV FROM 'http://example.org/x.csv' AS row RETURN row",
    "CREATE INDEX evil FOR (n:Company) ON (n.label)",
    "DROP CONSTRAINT resource_uri",
    "CREATE DATABASE evil",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
    "CALL db.createLabel('Evil')",
    "CALL apoc.load.json('http://example.org')",
    "MATCH (n) CALL (n) { SET n.x = 1 } IN TRANSACTIONS OF 10 ROWS",
    "UNWIND [1] AS x CALL (x) { CREATE (:Evil) } RETURN x",
    "match (n) detach delete n",
    "MATCH (n) /* comment */ DETACH /* hidden */ DELETE n",
]


@pytest.fixture
def loaded(db):
    load(read_rdf([FIXTURES / "rdf" / "graphs.trig"]), db)
    return db


@pytest.mark.parametrize("query", WRITES)
def test_every_write_is_refused_and_the_graph_is_unchanged(loaded, query):
    before = content_hash(loaded)
    with pytest.raises(TechregError, match="refused|Neo4j"):
        run_readonly(loaded, query)
    assert content_hash(loaded) == before


def test_strings_that_look_like_writes_are_fine(loaded):
    result = run_readonly(loaded, "RETURN 'CREATE (n) LOAD CSV' AS text")
    assert result.rows == [["CREATE (n) LOAD CSV"]]


def test_reads_return_rows_and_nodes(loaded):
    result = run_readonly(loaded, "MATCH (c:Company) RETURN c.label AS name, c ORDER BY name")
    assert [r[0] for r in result.rows] == ["Microsoft", "Skype"]
    assert result.rows[0][1]["labels"][:2] == ["Agent", "Company"]


def test_row_limit(loaded):
    result = run_readonly(loaded, "UNWIND range(1, 50) AS x RETURN x", limit=10)
    assert len(result.rows) == 10 and result.truncated


def test_timeout_stops_a_runaway_query(loaded):
    with pytest.raises(TechregError, match="longer than 1 s"):
        run_readonly(loaded, "UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 3 "
                             "RETURN count(*)", timeout=1)


def test_values_travel_as_parameters(loaded):
    hostile = "Skype'}) DETACH DELETE n //"
    before = content_hash(loaded)
    result = run_readonly(loaded, "MATCH (c:Company {label: $name}) RETURN c.uri",
                          {"name": hostile})
    assert result.rows == [] and content_hash(loaded) == before


def test_syntax_errors_are_neo4j_messages(loaded):
    with pytest.raises(TechregError, match="Neo4j: .*Invalid input"):
        run_readonly(loaded, "MATCH (n RETURN n")


def test_read_access_mode_alone_makes_the_server_refuse_writes(loaded):
    """The first lock does not depend on the other two: Neo4j itself refuses."""
    import neo4j
    from neo4j.exceptions import Neo4jError

    before = content_hash(loaded)
    with loaded.session(default_access_mode=neo4j.READ_ACCESS) as session, \
            pytest.raises(Neo4jError, match="(?i)write"):
        session.execute_read(lambda tx: tx.run("CREATE (:Evil)").consume())
    assert content_hash(loaded) == before
