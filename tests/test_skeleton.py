"""The walking skeleton: a Turtle file into Neo4j and back out with Cypher."""

from __future__ import annotations

import datetime as dt

from conftest import FIXTURES

from loaders.neo4j import load
from loaders.rdf import read_rdf


def test_turtle_round_trip_through_neo4j(db):
    summary = load(read_rdf([FIXTURES / "skeleton.ttl"]), db)
    assert summary.nodes_created == 3 and summary.relationships_created == 2
    record = db.execute_query(
        "MATCH (a:Acquisition)-[:ACQUIRER]->(buyer:Company), (a)-[:TARGET]->(target) "
        "RETURN buyer.label AS buyer, target.label AS target, a.announced AS announced, "
        "a.completed AS completed, a.price AS price, labels(a) AS labels"
    ).records[0]
    assert (record["buyer"], record["target"]) == ("Microsoft", "Skype")
    assert record["announced"].to_native() == dt.date(2011, 5, 10)
    assert record["completed"] == "2011-10"  # a partial date keeps its precision
    assert record["price"] == 8_500_000_000
    assert set(record["labels"]) >= {"Resource", "Acquisition", "Event", "Entity"}


def test_loading_twice_gives_the_same_graph(db):
    graph = read_rdf([FIXTURES / "skeleton.ttl"])
    load(graph, db)
    first = db.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    load(graph, db)
    assert db.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == first
