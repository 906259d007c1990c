"""The explorer, run with Streamlit's AppTest against the real Neo4j."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES
from streamlit.testing.v1 import AppTest

from loaders.neo4j import load
from loaders.rdf import read_rdf

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_home_page_shows_counts_read_from_neo4j(db, monkeypatch, neo4j_target):
    load(read_rdf([FIXTURES / "skeleton.ttl"]), db)
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"Nodes": "3", "Relationships": "2"}


def test_home_page_says_how_to_start_neo4j_when_it_is_down(monkeypatch, tmp_path):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("TECHREG_NEO4J_HOME", str(tmp_path / "none"))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert "techreg neo4j start" in app.error[0].value
