"""Document ingest against the real Neo4j with the curated data: the evaluation corpus meets
its targets, `techreg ingest --json` names the dispute a news report is about, the Source is
linked to it with suggestions worth reviewing, and ingesting twice changes nothing."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from bench.ingest_corpus import CORPUS
from bench.ingest_eval import TARGETS, evaluate
from cli.main import app
from graph import db as dbmod
from loaders.ingest import ingest_document
from loaders.neo4j import load, unload
from loaders.records import build_dataset
from ontology import ID

SUMMONS = CORPUS / "skype-summons-2015-en.html"
PDF = CORPUS / "epic-apple-2023-en.pdf"


@pytest.fixture(scope="module")
def curated(neo4j_target):
    """The curated data loaded once (validated by the suite elsewhere, so without SHACL here)."""
    with dbmod.connect(neo4j_target) as database:
        load(build_dataset(shacl=False), database, mode="replace", wipe=True)
        yield database


@pytest.fixture
def graph(curated):
    yield curated
    rows = curated.execute_query(
        "MATCH (s:Source) WHERE s._graph STARTS WITH 'https://w3id.org/techreg/graph/doc-' "
        "RETURN DISTINCT s._graph AS g").records
    for row in rows:
        unload(curated, row["g"])


def test_the_corpus_meets_the_targets(curated):
    figures = evaluate(curated)
    assert figures["documents"] >= 25
    assert figures["precision"] >= TARGETS["precision"]
    assert figures["recall"] >= TARGETS["recall"]
    assert figures["top1"] >= TARGETS["top1"]
    assert figures["linked wrongly"] == 0


def test_ingest_json_names_the_dispute_first(graph, tmp_path):
    result = CliRunner().invoke(app, ["ingest", "--json", str(SUMMONS), str(PDF),
                                      "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert first["source"]["publisher"] == "Fixture Tech Daily"
    assert first["source"]["published"] == "2015-05-26" and first["source"]["language"] == "en"
    assert first["disputes"][0]["dispute"] == "skype-belgium-interception"
    assert first["dispute"] == "skype-belgium-interception"
    assert {"kind", "value", "weight"} <= set(first["disputes"][0]["evidence"][0])
    mention = next(m for m in first["mentions"] if m["how"] == "described court")
    assert (mention["entity"], mention["text"]) == ("court-first-instance-antwerp-mechelen",
                                                     "court in Mechelen")
    assert {"entity", "text", "start", "end", "score"} <= set(mention)
    skypes = {m["entity"] for m in first["mentions"] if m["text"] == "Skype"}
    assert skypes == {"skype", "skype-app"}  # the company summoned, the app people call on
    assert second["disputes"][0]["dispute"] == "epic-v-apple"
    assert set(first) >= {"source", "mentions", "disputes", "unknown", "amounts", "dates", "facts"}


def test_the_source_is_linked_to_its_dispute_with_suggestions_to_review(graph, tmp_path):
    report = ingest_document(SUMMONS, graph, suggestions=tmp_path, accessed="2026-01-01")
    row = graph.execute_query(
        "MATCH (s:Source {uri: $uri}) RETURN [(s)-[:ABOUT_DISPUTE]->(d) | d.uri] AS about, "
        "[(s)-[:CANDIDATE_DISPUTE]->(d) | d.uri] AS candidates", uri=ID + report.source).records[0]
    assert row["about"] == [ID + "skype-belgium-interception"]
    assert ID + "skype-belgium-interception" in row["candidates"]
    records = yaml.safe_load(report.suggestions.read_text())
    source = records[0]
    assert (source["publisher"], source["published"], source["title"]) == (
        "Fixture Tech Daily", "2015-05-26", "Skype Taken To Court Over Call Data Refusal")
    summons = next(r for r in records if r["type"] == "CourtCase")
    assert summons["dispute"] == "skype-belgium-interception"
    assert summons["authority"] == "court-first-instance-antwerp-mechelen"
    assert summons["filed"] == "2015-05-26" and "summoned" in summons["note"]
    text = report.suggestions.with_suffix(".txt").read_text(encoding="utf-8")
    m = report.mentions[0]
    assert text[m.start:m.end] == m.text  # the offsets refer to the text kept for the reviewer


def test_a_pdf_ingested_twice_changes_nothing(graph, tmp_path):
    first = ingest_document(PDF, graph, suggestions=None)
    assert first.changed and first.dispute == "epic-v-apple"
    count = "MATCH (n) RETURN count(n) AS n"
    before = graph.execute_query(count).records[0]["n"]
    again = ingest_document(PDF, graph, suggestions=None)
    assert not again.changed and graph.execute_query(count).records[0]["n"] == before
