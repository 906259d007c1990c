"""Guarantees 4 and 5: the read-only faces stay read-only, and user input reaches Cypher only
as parameters.

tests/test_console.py refuses nineteen kinds of write in graph.console.run_readonly; here
the same refusals go through `techreg query --cypher` as a user types them. Injection
attempts go through `techreg query NAME --param k=v`. The SPARQL endpoint
(`techreg serve-sparql`) answers 1,000 queries on loopback without an error and without its
memory growing.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psutil
import pyoxigraph as ox
import pytest
import relhelp
from helpers import content_hash

from graph import db as dbmod
from graph import queries
from graph.sparql import store_from_dataset
from loaders.neo4j import load
from loaders.rdf import read_rdf

WRITES = [
    "CREATE (n:Evil)",
    "MATCH (n) DETACH DELETE n",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "MATCH (n) CALL (n) { SET n.x = 1 } IN TRANSACTIONS OF 10 ROWS",
    "RETURN 1; MATCH (n) DETACH DELETE n",
]

HOSTILE = "skype'}) DETACH DELETE n //"
INJECTIONS = {
    # name -> (arguments, expected: "refused" with a message fragment, or "no effect")
    "entity value": (("company-disputes", "--param", f"company={HOSTILE}"),
                     ("refused", "takes a record id such as skype")),
    "entity value with a newline": (("company-disputes", "--param",
                                     "company=skype\nMATCH (n) DETACH DELETE n"),
                                    ("refused", "takes a record id")),
    "date value": (("owner-as-of", "--param", "company=skype", "--param",
                    "date=2012') DETACH DELETE n //"), ("refused", "takes a date YYYY[-MM[-DD]]")),
    "text value, Cypher": (("largest-fines", "--param", f"currency={HOSTILE}"),
                           ("no effect", None)),
    "text value, quotes and braces": (("laws-invoked-on-topic", "--param",
                                       "topic=x\"}) MATCH (m) DETACH DELETE m RETURN 1 //"),
                                      ("no effect", None)),
    "parameter name": (("company-disputes", "--param", "company}) DETACH DELETE n //=skype"),
                       ("refused", "has no parameter")),
}


@pytest.fixture(scope="module")
def runs(neo4j_target):
    """The trig fixture loaded; every write and injection run through the CLI, side by side."""
    with dbmod.connect(neo4j_target) as db:
        db.execute_query("MATCH (n) DETACH DELETE n")
        load(read_rdf([relhelp.TRIG]), db)
        before = (content_hash(db), dbmod.counts(db))
        env = relhelp.env_for(neo4j_target)
        jobs = {("write", q): ("query", "--cypher", q) for q in WRITES}
        jobs |= {("injection", name): ("query", *args) for name, (args, _) in INJECTIONS.items()}
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = {key: pool.submit(relhelp.techreg, *args, env=env)
                       for key, args in jobs.items()}
            results = {key: f.result() for key, f in futures.items()}
        after = (content_hash(db), dbmod.counts(db))
    return before, after, results


@pytest.mark.parametrize("query", WRITES)
def test_query_cypher_refuses_writes_and_the_graph_is_unchanged(runs, query):
    before, after, results = runs
    line = relhelp.assert_one_line_error(results[("write", query)])
    assert "refused" in line or "Neo4j" in line, line
    assert after == before


@pytest.mark.parametrize("case", sorted(INJECTIONS))
def test_injection_through_query_parameters_is_refused_or_has_no_effect(runs, case):
    before, after, results = runs
    result = results[("injection", case)]
    expected, fragment = INJECTIONS[case][1]
    if expected == "refused":
        relhelp.assert_one_line_error(result, fragment)
    else:
        assert result.returncode == 0, result.stderr
        assert "0 rows" in result.stdout
    assert after == before


def test_parameter_values_never_reach_the_query_text():
    """Every question's Cypher is its file, unchanged: values are sent as parameters."""
    for question in queries.library().values():
        for p in question.params:
            assert f"${p.name}" in question.cypher, (question.name, p.name)
        assert "{" + "}" not in question.cypher and "%s" not in question.cypher


def test_sparql_parameters_are_bound_as_literals_not_spliced():
    """The SPARQL twin binds values in a VALUES block of escaped terms: the hostile value
    is one literal, and the query answers as for any other unknown currency."""
    store = store_from_dataset(read_rdf([relhelp.TRIG]))
    question = queries.get("largest-fines")
    hostile = 'EUR" } } INSERT DATA { <http://x> <http://y> "z" } #'
    text = queries.bound_sparql(question, {"currency": hostile})
    assert str(ox.Literal(hostile)) in text
    assert queries.run_sparql(store, question, {"currency": hostile}).rows == \
        queries.run_sparql(store, question, {"currency": "XXX"}).rows == []


# --- the SPARQL endpoint ----------------------------------------------------------------------

QUERIES = [
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
    "ORDER BY ?label",
    "ASK { ?s a <https://w3id.org/techreg/ontology#Company> }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
]
RSS_BOUND = 50 * 1024 * 1024  # bytes the endpoint (server and workers) may grow by


def _tree_rss(process: psutil.Process) -> int:
    members = [process, *process.children(recursive=True)]
    return sum(p.memory_info().rss for p in members if p.is_running())


def _ask(url: str, query: str) -> int:
    accept = "text/turtle" if query.startswith("CONSTRUCT") else "application/sparql-results+json"
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        assert response.status == 200
    if query.startswith(("SELECT", "ASK")):
        json.loads(body)
    return len(body)


def test_sparql_endpoint_answers_1000_queries_with_bounded_memory(db, neo4j_target, tmp_path,
                                                                 record_property):
    load(read_rdf([relhelp.TRIG]), db)
    port = relhelp.free_port()
    with open(tmp_path / "endpoint.log", "w") as log:  # it logs every request: a pipe fills up
        server = subprocess.Popen(relhelp.cli_command("serve-sparql", "--port", port), stdout=log,
                                  stderr=subprocess.STDOUT, env=relhelp.env_for(neo4j_target),
                                  cwd=relhelp.ROOT)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "endpoint.log").read_text()
                assert time.monotonic() < deadline, "the endpoint did not start"
                time.sleep(0.2)
        process = psutil.Process(server.pid)
        listening = [c.laddr.ip for c in process.net_connections(kind="inet")
                     if c.status == psutil.CONN_LISTEN]
        assert listening and all(ip in ("127.0.0.1", "::1") for ip in listening), listening
        for i in range(100):  # warm-up: workers loaded, caches filled
            _ask(url, QUERIES[i % len(QUERIES)])
        start = _tree_rss(process)
        sizes = [_ask(url, QUERIES[i % len(QUERIES)]) for i in range(1000)]
        growth = _tree_rss(process) - start
        record_property("rss_growth_mb", round(growth / 2**20, 1))
        print(f"endpoint RSS {start / 2**20:.1f} MB, growth {growth / 2**20:.1f} MB")
        assert len(sizes) == 1000 and all(sizes)
        assert growth < RSS_BOUND, f"the endpoint grew by {growth / 2**20:.1f} MB"
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
