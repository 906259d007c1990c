"""`techreg serve-sparql`: the SPARQL 1.1 Protocol over real HTTP, with SPARQLWrapper and urllib."""

from __future__ import annotations

import csv
import inspect
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from conftest import FIXTURES
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from graph import endpoint
from graph.sparql import store_from_dataset, store_from_neo4j
from loaders.neo4j import load
from loaders.rdf import read_rdf

TRIG = FIXTURES / "rdf" / "graphs.trig"
RDFS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
LABELS = RDFS + "SELECT ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label"
EXPECTED_LABELS = ["Microsoft", "Microsoft buys Skype", "Skype", "Someone"]
ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
INSERT = "INSERT DATA { <http://example.org/x> <http://example.org/p> 'inserted' }"
INSERTED = "ASK { <http://example.org/x> ?p ?o }"
# Eight patterns with no shared variable: (triples in the fixture)^8 solutions to count.
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
        "?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }")


@pytest.fixture(scope="module")
def dataset():
    return read_rdf([TRIG])


@pytest.fixture(scope="module")
def store(dataset):
    return store_from_dataset(dataset)


@pytest.fixture(scope="module")
def expected(dataset) -> Graph:
    """All triples of the fixture, whatever their graph (the endpoint's default graph)."""
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


@pytest.fixture(scope="module")
def url(store):
    with endpoint.serve_in_background(store, timeout=5, workers=1) as server:
        yield server.url


def fetch(url: str, params: dict | None = None, accept: str | None = None,
          data: bytes | None = None, content_type: str | None = None, method: str | None = None):
    """(status, headers, body) of a plain HTTP request."""
    target = url + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    headers = {k: v for k, v in (("Accept", accept), ("Content-Type", content_type)) if v}
    request = urllib.request.Request(target, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def wrapper(url: str, text: str, fmt: str = JSON, method: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(url, returnFormat=fmt)
    client.setQuery(text)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    elif method:
        client.setMethod(method)
    return client


def labels_from(fmt: str, result) -> list[str]:
    """The ?label column of a converted SPARQLWrapper result."""
    if fmt == JSON:
        return [b["label"]["value"] for b in result["results"]["bindings"]]
    if fmt == XML:
        return [node.firstChild.data for node in result.getElementsByTagName("literal")]
    rows = list(csv.reader(io.StringIO(result.decode()),
                           delimiter="\t" if fmt == TSV else ","))
    assert rows[0] == (["?label"] if fmt == TSV else ["label"])
    return [row[0].strip('"') for row in rows[1:]]


# --- the graph in Neo4j, served ------------------------------------------------------------

def test_serves_the_graph_exported_from_neo4j(db, dataset, expected):
    load(dataset, db)
    with endpoint.serve_in_background(store_from_neo4j(db), workers=1) as server:
        served = wrapper(server.url, ALL_TRIPLES, TURTLE).query().convert()
        graphs = wrapper(server.url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
                         ).query().convert()
    assert isomorphic(Graph().parse(data=served, format="turtle"), expected)
    assert {b["g"]["value"] for b in graphs["results"]["bindings"]} == {
        str(g.identifier) for g in dataset.graphs() if len(g)}


# --- queries, formats, negotiation ---------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", POST, POSTDIRECTLY])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_by_get_and_post_in_every_results_format(url, method, fmt):
    result = wrapper(url, LABELS, fmt, method).query()
    assert labels_from(fmt, result.convert()) == EXPECTED_LABELS


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_results_read_back_as_pyoxigraph_writes_them(url, store, fmt):
    text = ('SELECT ?iri ?plain ?lang ?typed ?tricky ?unbound WHERE { VALUES (?iri ?plain ?lang '
            '?typed ?tricky) { (<http://example.org/a?b=c&d> "plain" "chat"@fr 42 '
            '"a \\"quote\\", a comma\\ta tab\\nnew line <&>") (UNDEF "x" UNDEF 1.5 UNDEF) } }')
    status, _, body = fetch(url, {"query": text}, accept=endpoint.negotiate(
        "", {k: v for k, v in endpoint.RESULT_TYPES.items() if v[0] == fmt})[1])
    reference = store.query(text).serialize(format=ox.QueryResultsFormat.from_extension(fmt))
    assert status == 200
    served, wanted = (Result.parse(io.BytesIO(b), format=fmt) for b in (body, reference))
    assert served.vars == wanted.vars
    assert list(served.bindings) == list(wanted.bindings)


def test_blank_nodes_are_bnodes(url):
    _, _, body = fetch(url, {"query": "SELECT ?b WHERE { ?b a ?t FILTER isBlank(?b) }"})
    assert [b["b"]["type"] for b in json.loads(body)["results"]["bindings"]] == ["bnode"]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(url, fmt):
    for text, answer in ((RDFS + "ASK { ?s rdfs:label 'Skype' }", True),
                         (RDFS + "ASK { ?s rdfs:label 'Nobody' }", False)):
        result = wrapper(url, text, fmt).query().convert()
        got = (result["boolean"] if fmt == JSON
               else result.getElementsByTagName("boolean")[0].firstChild.data == "true")
        assert got is answer


def test_construct_as_turtle_ntriples_and_jsonld_parses_back_to_the_triples(url, expected):
    turtle = wrapper(url, ALL_TRIPLES, TURTLE).query().convert()
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), expected)
    jsonld = wrapper(url, ALL_TRIPLES, JSONLD).query().convert()
    assert isomorphic(jsonld, expected)
    status, headers, body = fetch(url, {"query": ALL_TRIPLES}, accept="application/n-triples")
    assert status == 200 and headers.get_content_type() == "application/n-triples"
    assert isomorphic(Graph().parse(data=body, format="nt"), expected)


def test_describe(url):
    status, headers, body = fetch(url, {"query": "DESCRIBE <https://w3id.org/techreg/id/skype>"},
                                  accept="text/turtle")
    assert status == 200 and headers.get_content_type() == "text/turtle"
    graph = Graph().parse(data=body, format="turtle")
    assert (URIRef("https://w3id.org/techreg/id/skype"), None, Literal("Skype")) in graph


@pytest.mark.parametrize(("text", "accept", "content_type"), [
    (LABELS, None, "application/sparql-results+json"),
    (LABELS, "*/*", "application/sparql-results+json"),
    (LABELS, "application/json", "application/sparql-results+json"),
    (LABELS, "text/xml", "application/sparql-results+xml"),
    (LABELS, "text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    (LABELS, "text/turtle, text/csv;q=0.1", "text/csv"),
    (ALL_TRIPLES, None, "text/turtle"),
    (ALL_TRIPLES, "text/*", "text/turtle"),
    (ALL_TRIPLES, "application/json", "application/ld+json"),
    (ALL_TRIPLES, "application/n-triples;q=0.9, application/ld+json", "application/ld+json"),
    (ALL_TRIPLES, "application/rdf+xml", "application/rdf+xml"),
])
def test_content_negotiation_by_accept_header(url, text, accept, content_type):
    status, headers, _ = fetch(url, {"query": text}, accept=accept)
    assert status == 200
    assert headers.get_content_type() == content_type
    assert "Accept" in headers["Vary"]


def test_unacceptable_format_is_406(url):
    status, _, body = fetch(url, {"query": LABELS}, accept="image/png")
    assert status == 406 and b"text/csv" in body


def test_protocol_dataset_parameters_choose_the_graphs(url):
    params = {"query": RDFS + "SELECT ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l",
              "default-graph-uri": "https://example.org/graph/companies"}
    _, _, body = fetch(url, params)
    assert [b["l"]["value"] for b in json.loads(body)["results"]["bindings"]] == [
        "Microsoft", "Skype"]


# --- read-only, SERVICE, errors ------------------------------------------------------------

def test_update_is_refused_and_the_data_unchanged(url):
    with pytest.raises(urllib.error.HTTPError) as refused:
        wrapper(url, INSERT, method=POST).query()
    assert refused.value.code == 403
    for data, content_type in ((INSERT.encode(), "application/sparql-update"),
                               (urllib.parse.urlencode({"update": INSERT}).encode(),
                                "application/x-www-form-urlencoded")):
        status, _, body = fetch(url, data=data, content_type=content_type)
        assert status == 403 and b"read-only" in body
    status, _, body = fetch(url, {"query": INSERT})
    assert status == 400 and b"syntax error" in body
    assert wrapper(url, INSERTED).query().convert()["boolean"] is False


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { ?s ?p ?o optional { service silent <http://example.org/sparql> { ?s ?p ?x } } }",
    "SELECT * WHERE { ?s ?p ?o . { SELECT ?s WHERE { SERVICE ?endpoint { ?s ?p ?o } } } }",
])
def test_service_is_refused(url, text):
    with pytest.raises(urllib.error.HTTPError) as refused:
        wrapper(url, text).query()
    assert refused.value.code == 403
    assert b"SERVICE" in refused.value.read()


def test_the_word_service_in_a_string_or_iri_is_not_a_service_call(url):
    text = ('SELECT ?s WHERE { ?s ?p "SERVICE <http://example.org/> { }" '
            'FILTER (?p != <http://example.org/SERVICE>) }')
    status, _, body = fetch(url, {"query": text})
    assert status == 200 and json.loads(body)["results"]["bindings"] == []


def test_service_works_when_allowed(url, store):
    text = RDFS + f"SELECT ?l WHERE {{ SERVICE <{url}> {{ ?s rdfs:label ?l }} }} ORDER BY ?l"
    with endpoint.serve_in_background(store, workers=1, allow_service=True) as federating:
        result = wrapper(federating.url, text).query().convert()
    assert [b["l"]["value"] for b in result["results"]["bindings"]] == EXPECTED_LABELS


def test_malformed_query_is_400_with_the_parser_message(url):
    status, _, body = fetch(url, {"query": "SELECT * WHERE { ?s ?p }"})
    assert status == 400 and body.startswith(b"SPARQL syntax error: error at 1:")


@pytest.mark.parametrize(("path", "params", "data", "content_type", "status"), [
    ("/nowhere", {"query": LABELS}, None, None, 404),
    ("/sparql", {"query": [LABELS, LABELS]}, None, None, 400),
    ("/sparql", None, LABELS.encode(), "text/plain", 415),
    ("/sparql", None, b"", "application/x-www-form-urlencoded", 400),
])
def test_protocol_errors(url, path, params, data, content_type, status):
    assert fetch(url.replace("/sparql", path), params, data=data,
                 content_type=content_type)[0] == status


def test_get_without_query_describes_the_endpoint(url):
    status, _, body = fetch(url)
    assert status == 200 and b"SPARQL" in body and b"read-only" in body


# --- timeout, limit, CORS, binding ---------------------------------------------------------

def test_a_runaway_query_is_stopped_at_the_timeout_and_the_server_goes_on(store):
    with endpoint.serve_in_background(store, timeout=1, workers=1) as server:
        started = time.monotonic()
        status, _, body = fetch(server.url, {"query": SLOW})
        elapsed = time.monotonic() - started
        assert status == 503 and b"longer than 1 s" in body
        assert elapsed < 1 + 3
        assert labels_from(JSON, wrapper(server.url, LABELS).query().convert()) == EXPECTED_LABELS


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_the_limit_cuts_the_results_and_says_so(store, fmt):
    with endpoint.serve_in_background(store, limit=3, workers=1) as server:
        result = wrapper(server.url, LABELS, fmt).query()
        assert labels_from(fmt, result.convert()) == EXPECTED_LABELS[:3]
        assert result.info()["x-result-truncated"] == "true"
        assert result.info()["x-result-limit"] == "3"
        result = wrapper(server.url, LABELS + " LIMIT 3", fmt).query()
        assert "x-result-truncated" not in result.info()
        status, headers, body = fetch(server.url, {"query": ALL_TRIPLES},
                                      accept="application/n-triples")
        assert headers["X-Result-Truncated"] == "true"
        assert len(Graph().parse(data=body, format="nt")) == 3


def test_cors_headers_only_when_configured(url, store):
    preflight = {"method": "OPTIONS"}
    status, headers, _ = fetch(url, **preflight)
    assert status == 204 and "Access-Control-Allow-Origin" not in headers
    assert "Access-Control-Allow-Origin" not in fetch(url, {"query": LABELS})[1]
    with endpoint.serve_in_background(store, workers=1, cors="https://yasgui.example") as server:
        status, headers, _ = fetch(server.url, **preflight)
        assert status == 204
        assert headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
        assert "POST" in headers["Access-Control-Allow-Methods"]
        assert "Content-Type" in headers["Access-Control-Allow-Headers"]
        for params in ({"query": LABELS}, {"query": "SELECT"}):
            headers = fetch(server.url, params)[1]
            assert headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
            assert "X-Result-Truncated" in headers["Access-Control-Expose-Headers"]


def test_binds_to_localhost_by_default(store):
    assert inspect.signature(endpoint.run).parameters["host"].default == "127.0.0.1"
    with endpoint.Endpoint(store, port=0, workers=1) as server:
        assert server.server.server_address[0] == "127.0.0.1"


def test_bad_settings_and_a_busy_port_are_one_line_errors(store, url):
    from ontology.errors import TechregError

    with pytest.raises(TechregError, match="--limit"):
        endpoint.Endpoint(store, limit=0)
    port = int(urllib.parse.urlsplit(url).port)
    with pytest.raises(TechregError, match=f"cannot listen on 127.0.0.1:{port}"):
        endpoint.Endpoint(store, port=port, workers=1)


# --- the command -----------------------------------------------------------------------------

def test_serve_sparql_command_prints_the_url_and_stops_on_ctrl_c(db, dataset, neo4j_target):
    load(dataset, db)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NEO4J_URI": neo4j_target.uri, "NEO4J_USERNAME": "neo4j",
           "NEO4J_PASSWORD": neo4j_target.password}
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve-sparql", "--port", str(port), "--limit", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/sparql" in line, process.stderr.read()
        result = wrapper(f"http://127.0.0.1:{port}/sparql", LABELS).query()
        assert labels_from(JSON, result.convert()) == EXPECTED_LABELS[:2]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
