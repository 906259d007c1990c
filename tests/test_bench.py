"""A smoke run of the benchmark harness: every step runs and agrees on counts (no timings)."""

from __future__ import annotations

import os

import pytest


@pytest.mark.timeout(1500)  # --bulk stops and starts the server
def test_benchmark_smoke_run(neo4j_target, monkeypatch, tmp_path):
    from bench import run

    external = os.environ.get("NEO4J_URI")  # else the local test server, where --bulk runs
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)
    report, curated = run.main(["--sizes", "3000", "--repeat", "1", "--no-peer",
                                "--folder", str(tmp_path)])
    assert len(curated["curated"]["queries"]) >= 20
    triples = report["triples"]
    assert report["parse pyoxigraph (N-Triples)"]["count"] == triples
    assert report["load into empty Neo4j"]["count"] == triples
    assert report["export N-Triples"]["count"] == triples  # what was loaded comes back
    assert report["export Turtle"]["count"] == triples
    assert {"projection", "centrality", "communities", "path"} <= set(report["analytics"])
    assert report["analytics"]["nodes"] > 100
    assert len(report["queries"]) >= 20
    assert "| load into empty Neo4j |" in run.markdown([report])
    assert 0 < report["load into empty Neo4j"]["peak_mb"] < 2000
    assert report["Oxigraph bulk load of the export"]["count"] > 0.9 * triples
    if not external:  # --bulk ran, and a load after it
        assert report["bulk load (--bulk)"]["count"] == triples  # changes nothing
        assert report["reload after --bulk (changes)"]["count"] == 0
        assert "importing" in report["bulk load (--bulk)"]["phases"]
        assert "| bulk load (--bulk) |" in run.markdown([report])
