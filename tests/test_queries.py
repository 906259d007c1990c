"""The research questions: Cypher on Neo4j and SPARQL on the exported RDF agree, and answer."""

from __future__ import annotations

import pytest

from graph import queries
from graph.sparql import store_from_neo4j
from loaders.neo4j import load
from loaders.records import build_dataset

ID = "https://w3id.org/techreg/id/"


@pytest.fixture(scope="module")
def graph(neo4j_target):
    """The curated data loaded into Neo4j, and the RDF exported from it in a SPARQL store."""
    from graph import db as dbmod

    with dbmod.connect(neo4j_target) as db:
        db.execute_query("MATCH (n) DETACH DELETE n")
        load(build_dataset(), db)
        yield db, store_from_neo4j(db)


def both(graph, name, **params):
    db, store = graph
    question = queries.get(name)
    return (queries.run_cypher(db, question, params),
            queries.run_sparql(store, question, params))


def _key(row):
    return repr(row)


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_cypher_and_sparql_give_the_same_rows(graph, name):
    cypher, sparql = both(graph, name)
    assert cypher.columns == sparql.columns
    assert cypher.rows, f"{name} returns nothing on the curated data"
    assert sorted(cypher.rows, key=_key) == sorted(sparql.rows, key=_key)


def test_there_are_at_least_twenty_questions():
    assert len(queries.library()) >= 20


def test_microsoft_owned_skype_when_the_belgian_judge_asked_for_its_data(graph):
    for result in both(graph, "owner-as-of", company="skype", date="2012-09"):
        assert result.rows[0][:3] == [ID + "microsoft", "Microsoft Corporation", "2011-10-13"]
    for result in both(graph, "owner-as-of", company="skype", date="2010-01-01"):
        assert result.rows[0][0] == ID + "silver-lake"


def test_the_belgian_skype_dispute_runs_through_three_court_levels(graph):
    for result in both(graph, "dispute-proceedings"):
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        judged = [(r["level"], r["decided"], r["penalty"]) for r in rows if r["decided"]]
        assert judged == [("first-instance", "2016-10-27", 30000),
                          ("appeal", "2017-11-15", 30000), ("supreme", "2019-02-19", None)]
        assert rows[-1]["appealOf"] == ID + "skype-antwerp-appeal-2017"
