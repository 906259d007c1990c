"""The explorer's page of ingested documents (issue 19, item 11), run with Streamlit's AppTest
against the real Neo4j after `techreg ingest` has read a fixture article into it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import streamlit as st
from conftest import FIXTURES
from helpers import markdown
from streamlit.testing.v1 import AppTest

from graph import db as dbmod
from graph import documents
from loaders.ingest import ingest_document
from loaders.neo4j import load
from loaders.records import build_dataset

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ARTICLE = FIXTURES / "ingest" / "skype-rachat-fr.txt"


@pytest.fixture(autouse=True)
def keep_main_module():
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(scope="module")
def ingested(neo4j_target, tmp_path_factory):
    """The curated data (without SHACL, as test_ingest loads it) and one ingested article."""
    with dbmod.connect(neo4j_target) as database:
        load(build_dataset(shacl=False), database, mode="replace", wipe=True)
        report = ingest_document(ARTICLE, database, suggestions=tmp_path_factory.mktemp("s"))
        yield database, report


@pytest.fixture
def page(ingested, neo4j_target, monkeypatch):
    # The app caches its connection for the process; one made by an earlier module holds
    # bookmarks of a store that test_bulk has since replaced, which the server never reaches.
    st.cache_resource.clear()
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)

    def open_page(**params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["page"] = "documents"
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()
    return open_page


def test_library_reads_the_ingested_source_its_dispute_and_mentions_in_context(ingested):
    db, report = ingested
    rows = documents.ingested(db)
    assert [r["id"] for r in rows] == [report.source]
    assert rows[0]["mentions"] == len(report.mentions)
    doc = documents.document(db, rows[0]["id"])
    assert doc.title == "Le rachat de Skype par Microsoft, dix ans après"
    assert [d["id"] for d in doc.about] == ["skype-belgium-interception"]
    assert "skype-belgium-interception" in [d["id"] for d in doc.candidates]
    first = doc.mentions[0]
    assert (first.entity, first.text, first.in_excerpt) == ("skype", "Skype", True)
    assert first.before.endswith("Le rachat de ") and first.after.startswith(" par Microsoft")
    late = [m for m in doc.mentions if m.text == "Skype Communications" and m.start > 400]
    assert late and not late[0].in_excerpt  # beyond the stored opening: not placed by guess
    assert documents.document(db, "skype") is None  # a curated Source or entity is not one


def test_in_context_takes_the_occurrence_at_the_offset_and_refuses_far_ones():
    excerpt = "Skype a. Skype b. Skype c."
    assert documents.in_context(excerpt, "Skype", 18, width=3) == ("…b. ", " c.")
    assert documents.in_context(excerpt, "Skype", 400) is None
    assert documents.in_context(excerpt, "Teams", 0) is None


def test_documents_page_lists_ingested_sources_with_their_dispute(page):
    at = page()
    assert not at.exception
    text = markdown(at)
    assert "Le rachat de Skype par Microsoft, dix ans après" in text
    assert "?page=documents&amp;id=src-doc-" in text
    assert "?page=entity&amp;id=skype-belgium-interception" in text


def test_document_page_highlights_mentions_and_links_disputes_and_entities(page, ingested):
    db, _ = ingested
    source = documents.ingested(db)[0]["id"]
    at = page(id=source)
    assert not at.exception
    text = markdown(at)
    assert "Le rachat de <mark>Skype</mark> par Microsoft" in text
    assert "?page=entity&amp;id=skype" in text and "?page=entity&amp;id=microsoft" in text
    assert "?page=case&amp;id=skype-belgium-interception" in text  # the dispute it is about
    assert "?page=entity&amp;id=skype-bipt-skypeout" in text  # a candidate
    assert "<mark>Cour d&#x27;appel d&#x27;Anvers</mark> at 463" in text  # escaped, beyond


def test_unknown_document_and_hostile_ids_are_reported_escaped(page):
    at = page(id="<script>alert(1)</script>")
    assert not at.exception
    assert any("No ingested document" in e.value for e in at.error)
    assert "<script>" not in markdown(at)
