"""techreg ingest against the real Neo4j, with articles written for these fixtures."""

from __future__ import annotations

import shutil

import pytest
import yaml
from conftest import FIXTURES
from helpers import content_hash
from typer.testing import CliRunner

from cli.main import app
from graph import db as dbmod
from loaders.ingest import find_money, ingest_document, parse_number, read_document
from loaders.neo4j import load, unload
from loaders.records import DATA_DIR, build_dataset, data_files, read_records
from loaders.resolve import EntityIndex
from loaders.tables import validate_records
from ontology import ID
from ontology.errors import TechregError

DOCS = FIXTURES / "ingest"
ENGLISH = DOCS / "skype-deal-2011.md"
FRENCH = DOCS / "skype-rachat-fr.txt"
DUTCH_2012 = DOCS / "skype-overname-2012-nl.html"


@pytest.fixture(scope="module")
def graph_db(neo4j_target):
    """The curated data loaded once; each test's documents are unloaded after it."""
    with dbmod.connect(neo4j_target) as database:
        load(build_dataset(shacl=False), database, mode="replace", wipe=True)
        yield database


@pytest.fixture
def loaded(graph_db):
    yield graph_db
    rows = graph_db.execute_query(
        "MATCH (s:Source) WHERE s._graph STARTS WITH 'https://w3id.org/techreg/graph/doc-' "
        "RETURN DISTINCT s._graph AS g").records
    for row in rows:
        unload(graph_db, row["g"])


@pytest.fixture(scope="module")
def index(graph_db):
    return EntityIndex.from_db(graph_db)


def test_english_article_mentions_facts_and_references(loaded, index, tmp_path):
    report = ingest_document(ENGLISH, loaded, suggestions=tmp_path, index=index,
                             accessed="2025-01-01")
    assert report.meta["title"] == "Microsoft and Skype, a look back at the 2011 deal"
    assert report.meta["publisher"] == "Techreg Fixture Weekly"
    entities = report.entities()
    assert entities["microsoft"] == 3 and entities["skype"] == 2
    assert {"cjeu", "bipt", "skypeout", "directive-2002-21"} <= set(entities)
    possessive = next(m for m in report.mentions if m.text == "Microsoft's")
    assert possessive.entity == "microsoft"
    doc = read_document(ENGLISH)
    assert doc.text[possessive.start:possessive.end] == "Microsoft's"
    # 'Skype' alone is the company and the app: reported, not guessed
    assert any(a.text == "Skype" and set(a.candidates) == {"skype", "skype-app"}
               for a in report.ambiguous)
    assert [u.text for u in report.unknown] == ["Zoomba Telecom S.A."]
    assert [(m.amount, m.currency) for m in report.money] == [(8500000000, "USD")]
    refs = {(r.kind, r.text): r.entity for r in report.references}
    assert refs[("law", "Directive 2002/21/EC")] == "directive-2002-21"
    assert ("case", "Case C-142/18") in refs
    [fact] = report.facts
    assert fact.verdict == "supports" and fact.record == "microsoft-acquires-skype-2011"
    assert {c.field: c.verdict for c in fact.checks} == {"year": "supports", "price": "supports"}


def test_mentions_are_nodes_with_offsets_and_entities_are_not_redescribed(loaded, index, tmp_path):
    before = loaded.execute_query("MATCH (n {uri: $microsoft}) "
                                  "RETURN n._hash AS h", microsoft=ID + "microsoft").records[0]["h"]
    report = ingest_document(ENGLISH, loaded, suggestions=tmp_path, index=index)
    rows = loaded.execute_query(
        "MATCH (s:Source {uri: $uri})-[:HAS_MENTION]->(m:Mention)-[:MENTION_OF]->(e) "
        "RETURN e.uri AS e, m.matchedText AS text, m.startOffset AS start, m.endOffset AS end "
        "ORDER BY start", uri=f"{ID}{report.source}").records
    assert [(r["text"], r["start"], r["end"]) for r in rows] == \
        [(m.text, m.start, m.end) for m in report.mentions]
    mentioned = loaded.execute_query(
        "MATCH (s:Source {uri: $uri})-[:MENTIONS]->(e) RETURN collect(e.uri) AS es",
        uri=f"{ID}{report.source}").records[0]["es"]
    assert ID + "microsoft" in mentioned
    source = loaded.execute_query("MATCH (s:Source {uri: $uri}) RETURN s", uri=
                                  f"{ID}{report.source}").records[0]["s"]
    assert source["contentHash"] == report.content_hash
    assert len(source["excerpt"]) < 320 and "Microsoft acquired Skype" in source["excerpt"]
    assert source["url"] == "https://example.org/fixtures/skype-deal-2011"
    after = loaded.execute_query("MATCH (n {uri: $microsoft}) "
                                 "RETURN n._hash AS h", microsoft=ID + "microsoft").records[0]["h"]
    assert before == after


def test_reingesting_changes_nothing_and_unload_removes_the_document(loaded, index, tmp_path):
    first = ingest_document(FRENCH, loaded, suggestions=tmp_path, index=index)
    assert first.changed
    state = content_hash(loaded)
    again = ingest_document(FRENCH, loaded, suggestions=tmp_path, index=index)
    assert not again.changed and content_hash(loaded) == state
    unload(loaded, first.graph)
    assert not loaded.execute_query("MATCH (m:Mention) RETURN m LIMIT 1").records


def test_french_article_with_accents(loaded, index, tmp_path):
    report = ingest_document(FRENCH, loaded, suggestions=tmp_path, index=index)
    texts = {m.text: m.entity for m in report.mentions}
    assert texts["Skype Communications S.à r.l."] == "skype-communications"
    assert texts["Skype Communications Sàrl"] == "skype-communications"
    assert texts["Cour d'appel d'Anvers"] == "be-court-of-appeal-antwerp"
    assert texts["IBPT"] == "bipt"
    assert [u.text for u in report.unknown] == ["Élodie Vandermeersch"]
    assert {(m.amount, m.currency) for m in report.money} == {(8500000000, "USD"), (30000, "EUR")}
    assert "2016-10-27" in {d.value for d in report.dates}
    fine = next(f for f in report.facts if f.kind == "fine")
    assert fine.verdict == "supports" and fine.record == "skype-mechelen-2016"


def test_conflicting_year_is_reported_with_both_sources(loaded, index, tmp_path):
    report = ingest_document(DUTCH_2012, loaded, suggestions=tmp_path, index=index,
                             accessed="2025-01-01")
    assert report.meta["publisher"] == "Fixturekrant" and report.meta["language"] == "nl"
    assert report.meta["published"] == "2019-03-01"
    [fact] = report.contradicting()
    assert fact.values["acquirer"] == "microsoft" and fact.values["target"] == "skype"
    year = next(c for c in fact.checks if c.field == "year")
    assert (year.document, year.verdict, year.record) == \
        ("2012", "contradicts", "microsoft-acquires-skype-2011")
    assert "2011-05-10" in year.graph and year.sources
    assert "Pieter Van den Broeck" in [u.text for u in report.unknown]
    # the CLI shows both sides
    result = CliRunner().invoke(app, ["ingest", str(DUTCH_2012), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "fact (contradicts): microsoft acquired skype in 2012" in result.output
    assert "year: document 2012; graph announced 2011-05-10" in result.output
    assert "graph source:" in result.output and f"document source: {report.source}" in result.output


def test_suggestions_become_valid_data_when_moved_into_data(loaded, index, tmp_path):
    report = ingest_document(DUTCH_2012, loaded, suggestions=tmp_path / "s", index=index,
                             accessed="2025-01-01")
    records = yaml.safe_load(report.suggestions.read_text())
    source, claim = records[0], records[1]
    assert source["type"] == "Source" and source["note"] == f"suggestion from {DUTCH_2012.name}"
    assert claim == {**claim, "type": "Claim", "about": "microsoft-acquires-skype-2011",
                     "property": "announced", "value": "2012", "sources": [report.source]}
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    shutil.copy(report.suggestions, data / "suggested.yaml")
    result = CliRunner().invoke(app, ["validate", str(data)])
    assert result.exit_code == 0, result.output
    # without a URL, validate says exactly what to fix
    plain = tmp_path / "note.txt"
    plain.write_text("Microsoft kocht Skype in 2012 voor 8,5 miljard dollar.\n", encoding="utf-8")
    report = ingest_document(plain, loaded, suggestions=tmp_path / "s", index=index)
    data_records = [r for f in data_files([DATA_DIR]) for r in read_records(f)]
    problems = validate_records({1: yaml.safe_load(report.suggestions.read_text())}, data_records)
    assert sorted(p.message for p in problems) == [
        f"{report.source}: a Source needs a 'publisher'",
        f"{report.source}: a Source needs exactly one http(s) 'url'"]


@pytest.mark.parametrize("name, message", [
    ("not-text.txt", "not a text file"),
    ("empty.txt", "the file is empty"),
    ("latin1-note.txt", "not UTF-8 text (byte 18) and no encoding given"),
    ("article.pdf", "a PDF"),
])
def test_unreadable_files_are_one_line_errors(name, message):
    with pytest.raises(TechregError) as e:
        read_document(DOCS / name)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_an_encoding_can_be_given():
    doc = read_document(DOCS / "latin1-note.txt", encoding="latin-1")
    assert "racheté" in doc.text


def test_cli_error_is_one_line(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "cli", "ingest", str(DOCS / "empty.txt")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "the file is empty" in result.stderr


@pytest.mark.parametrize("text, value", [("8.5", "8.5"), ("8,5", "8.5"), ("30,000", "30000"),
                                         ("48.000", "48000"), ("30 000", "30000"),
                                         ("1,234.56", "1234.56")])
def test_numbers_in_several_conventions(text, value):
    assert str(parse_number(text)) == value


def test_money_with_currencies_and_scales():
    found = find_money("It paid €1.2bn, then £5.1 billion, 30 000 euros and 8,5 milliards de dollars.")
    assert [(str(m.amount), m.currency) for m in found] == [
        ("1200000000", "EUR"), ("5100000000", "GBP"), ("30000", "EUR"), ("8500000000", "USD")]
