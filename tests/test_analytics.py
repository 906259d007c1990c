"""Graph analytics on the curated data in the real Neo4j, with the answers asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import networkx as nx
import pytest

from graph import analytics
from ontology import ID


@pytest.fixture(scope="module")
def curated(curated_db):
    return curated_db, analytics.project(curated_db)


def test_path_from_microsoft_to_the_mechelen_court_goes_through_the_skype_acquisition(curated):
    _, graph = curated
    hops = analytics.path(graph, "microsoft", "court-first-instance-antwerp-mechelen")
    chain = [(h["via"], h["kind"]) for h in hops]
    assert chain[:3] == [(None, "Company"), ("ACQUIRER", "Acquisition"), ("TARGET", "Company")]
    assert hops[1]["uri"] == ID + "microsoft-acquires-skype-2011"
    assert hops[2]["uri"] == ID + "skype"
    assert hops[-1]["via"] == "AUTHORITY"
    text = analytics.describe_path(hops)
    assert text.startswith("Microsoft Corporation (Company) <-[ACQUIRER]- Microsoft acquisition")


def _graphs_of_research_size():
    """Small graphs of the shapes centrality meets: random, with an isolated node and a
    second component, with a hub, and a path."""
    random_graph = nx.gnm_random_graph(400, 1100, seed=3)
    random_graph.add_node(999)
    random_graph.add_edges_from([(1000, 1001), (1001, 1002)])
    hub = nx.star_graph(60)
    nx.add_path(hub, range(60, 90))
    return [random_graph, hub, nx.path_graph(7)]


@pytest.mark.parametrize("graph", _graphs_of_research_size())
def test_pagerank_and_exact_betweenness_equal_networkx(graph):
    pagerank, betweenness = analytics.pagerank_and_betweenness(graph)
    expected_pagerank = nx.pagerank(graph, tol=1e-12, max_iter=10_000)
    expected_betweenness = nx.betweenness_centrality(graph)
    assert max(abs(pagerank[n] - expected_pagerank[n]) for n in graph) < 1e-8
    assert max(abs(betweenness[n] - expected_betweenness[n]) for n in graph) < 1e-12


def test_sampled_betweenness_equals_networkx_with_the_same_seed(monkeypatch):
    graph = _graphs_of_research_size()[0]
    monkeypatch.setattr(analytics, "EXACT_BETWEENNESS", 100)
    monkeypatch.setattr(analytics, "SAMPLED_SOURCES", 40)
    _, betweenness = analytics.pagerank_and_betweenness(graph)
    expected = nx.betweenness_centrality(graph, k=40, seed=7)
    assert max(abs(betweenness[n] - expected[n]) for n in graph) < 1e-12
    assert sorted(graph, key=betweenness.get)[-5:] == sorted(graph, key=expected.get)[-5:]


def test_centrality_ranks_the_big_platforms_and_the_laws_of_competition_and_privacy(curated):
    _, graph = curated
    companies = analytics.centrality(graph, ["Company"], top=3)
    assert companies[0]["uri"] == ID + "google"
    ranks = [r["pagerank"] for r in companies]
    assert len(ranks) > 1 and ranks == sorted(ranks, reverse=True)
    laws = analytics.centrality(graph, ["Law"], top=2)
    # Article 102 TFEU (abuse of dominance) and the GDPR are the laws most disputes invoke.
    assert {law["uri"] for law in laws} == {ID + "tfeu-art-102", ID + "regulation-2016-679"}


def test_a_slice_keeps_one_jurisdiction(curated):
    db, _ = curated
    belgium = analytics.project(db, analytics.Slice(jurisdiction="be"))
    assert ID + "skype-belgium-interception" in belgium
    assert ID + "ms-ireland-warrant" not in belgium
    disputes = [n for n, d in belgium.nodes(data=True) if d["kind"] == "Dispute"]
    assert 3 <= len(disputes) < 20


def test_communities_cover_the_graph(curated):
    _, graph = curated
    found = analytics.communities(graph)
    assert sum(c["size"] for c in found) == graph.number_of_nodes()
    sizes = [c["size"] for c in found]
    assert len(sizes) > 1 and sizes == sorted(sizes, reverse=True)


def test_similar_disputes_share_party_and_question_with_a_reason(curated):
    db, _ = curated
    rows = analytics.similar(db, "skype-belgium-interception", top=3)
    assert rows[0]["uri"] == ID + "skype-bipt-skypeout"
    assert "Skype Communications" in rows[0]["reason"]
    assert "telecom-operator-status" in rows[0]["reason"]


def test_exposure_counts_acquired_disputes_only_from_the_acquisition(curated):
    db, _ = curated
    rows = {r["dispute"].removeprefix(ID): r for r in analytics.exposure(db, "microsoft")}
    assert rows["skype-belgium-interception"]["counted"] is True  # 2012, after 2011-10
    assert rows["skype-belgium-interception"]["acquired"] == "2011-10-13"
    assert rows["roskomnadzor-v-linkedin"]["counted"] is False  # Aug 2016, before Dec 2016
    assert rows["ms-ireland-warrant"]["via"] == "Microsoft Corporation"


def test_analyze_cli_gives_json_for_the_explorer(curated, neo4j_target):
    env = {**os.environ, "NEO4J_URI": neo4j_target.uri, "NEO4J_PASSWORD": neo4j_target.password}
    result = subprocess.run([sys.executable, "-m", "cli", "analyze", "similar",
                             "skype-belgium-interception", "--top", "2", "--json"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["uri"] for r in rows][0] == ID + "skype-bipt-skypeout"
    unknown = subprocess.run([sys.executable, "-m", "cli", "analyze", "path", "microsoft",
                              "no-such-thing"], capture_output=True, text=True, env=env, timeout=120)
    # an id that names nothing is a usage error (issue 16): exit 2, one line
    assert unknown.returncode == 2 and "'no-such-thing' is not in the graph" in unknown.stderr
