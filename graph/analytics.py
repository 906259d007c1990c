"""Graph analytics over a projection of the Neo4j graph: networkx holds the graph and
finds paths; igraph's C core computes PageRank, betweenness and Louvain communities, which
networkx's pure-Python code takes minutes for at 100k nodes.

The projection keeps the actors and events of disputes (companies, authorities, laws,
disputes, proceedings, participations, acquisitions, services, jurisdictions) and leaves
out sources, claims and concept codes, which would otherwise connect everything to
everything. A slice keeps the disputes of one jurisdiction, topic or period and what
they touch.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import igraph as ig
import networkx as nx

from ontology import ID, kind_of, model
from ontology.errors import TechregError, unknown_id

from . import cypher

# Relationships that explain how two entities are connected (ownership, parties, steps,
# authorities: tr:explains in the ontology) count as one hop in a path; all others (places,
# providers, laws) as two.
EXPLANATORY = frozenset(p.neo4j_name for p in model().properties.values() if p.explains)
# Classes about the graph itself (sources, claims, codes, mentions) stay out of the network.
OUTSIDE_NETWORK = sorted(name for name, c in model().classes.items() if not c.in_network)


EXACT_BETWEENNESS = 5000  # nodes up to which betweenness is exact
SAMPLED_SOURCES = 128  # sources sampled for betweenness above that


def uri(entity: str) -> str:
    return entity if "://" in entity else ID + entity


@dataclass(frozen=True)
class Slice:
    jurisdiction: str | None = None  # a record id, e.g. be
    topic: str | None = None  # a concept code, e.g. data-localisation
    since: str | None = None  # a date, compared as text
    until: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.jurisdiction or self.topic or self.since or self.until)


def project(db, where: Slice | None = None) -> nx.MultiDiGraph:
    """The graph (or a slice of it) as a networkx multigraph; nodes keyed by uri."""
    where = where or Slice()
    graph = nx.MultiDiGraph()
    [nodes] = db.execute_query(cypher.PROJECT_NODES, excluded=OUTSIDE_NETWORK).records
    graph.add_nodes_from(
        (uri, {"name": (name[0] if isinstance(name, list) else name) or uri.rsplit("/", 1)[-1],
               "kind": kind_of(labels), "labels": frozenset(labels)})
        for uri, labels, name in nodes["rows"])
    [edges] = db.execute_query(cypher.PROJECT_RELATIONSHIPS, excluded=OUTSIDE_NETWORK).records
    graph.add_edges_from((start, end, {"type": type_}) for start, type_, end in edges["rows"])
    if where.empty:
        return graph
    disputes = {r["uri"] for r in db.execute_query(
        cypher.SLICE_DISPUTES, jurisdiction=uri(where.jurisdiction) if where.jurisdiction else None,
        topic=where.topic, since=where.since, until=where.until).records}
    keep: set[str] = set(disputes)
    for dispute in disputes:
        proceedings = [n for n, _, d in graph.in_edges(dispute, data=True)
                       if d["type"] == "IN_DISPUTE"]
        keep.update(proceedings)
        for node in [dispute, *proceedings]:
            for _, other in graph.out_edges(node):
                keep.add(other)
                if graph.nodes[other].get("kind") == "Participation":
                    keep.update(o for _, o in graph.out_edges(other))
    # Acquisitions between the companies kept.
    for node, data in graph.nodes(data=True):
        if data["kind"] == "Acquisition":
            ends = {o for _, o in graph.out_edges(node)}
            if ends & keep:
                keep.add(node)
                keep.update(ends)
    return graph.subgraph(keep).copy()


def _simple(graph: nx.MultiDiGraph) -> nx.Graph:
    return nx.Graph(graph)


def centrality(graph: nx.MultiDiGraph, kinds: list[str] | None = None, top: int = 10) -> list[dict]:
    """PageRank and betweenness, highest PageRank first, optionally for some kinds only
    (any label: Law covers statutes, articles and directives).

    Betweenness is exact up to EXACT_BETWEENNESS nodes and estimated from a seeded sample
    of SAMPLED_SOURCES sources above that, as networkx's `betweenness_centrality(k=...,
    seed=7)` does; both measures are computed by igraph's C core (networkx's pure-Python
    betweenness takes minutes on graphs of 100k nodes) and equal networkx's on the same
    graph (tests/test_analytics.py).
    """
    simple = _simple(graph)
    if simple.number_of_nodes() == 0:
        return []
    pagerank, betweenness = pagerank_and_betweenness(simple)
    rows = [{"uri": n, "name": graph.nodes[n]["name"], "kind": graph.nodes[n]["kind"],
             "pagerank": round(pagerank[n], 6), "betweenness": round(betweenness[n], 6),
             "degree": simple.degree(n)}
            for n in simple if not kinds or graph.nodes[n]["labels"] & set(kinds)]
    rows.sort(key=lambda r: (-r["pagerank"], r["uri"]))
    return rows[:top]


def _compiled(simple: nx.Graph) -> tuple[list, ig.Graph]:
    """The graph's nodes in order, and the same graph in igraph (node i is nodes[i])."""
    nodes = list(simple)
    index = {node: i for i, node in enumerate(nodes)}
    return nodes, ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in simple.edges()])


def pagerank_and_betweenness(simple: nx.Graph, seed: int = 7) -> tuple[dict, dict]:
    """networkx's `pagerank` (solved exactly, not stopped by a tolerance) and normalised
    `betweenness_centrality` of an undirected graph, computed with igraph."""
    nodes, compiled = _compiled(simple)
    pagerank = compiled.pagerank(directed=False, damping=0.85, implementation="prpack")
    n = len(nodes)
    # The sources networkx would sample: random.sample picks the same positions from any
    # population of the same size.
    sample = None if n <= EXACT_BETWEENNESS else random.Random(seed).sample(range(n),
                                                                           SAMPLED_SOURCES)
    raw = compiled.betweenness(directed=False, sources=sample)
    # igraph counts each (source, target) pair once; networkx sums the dependencies of each
    # source, which for an undirected graph is twice that, then divides by the pairs counted.
    if n <= 2:
        scale = [0.0] * n
    elif sample is None:
        scale = [2 / ((n - 1) * (n - 2))] * n
    else:
        k = len(sample)
        scale = [2 / (k * (n - 2))] * n
        for i in sample:
            scale[i] = 2 / ((k - 1) * (n - 2))
    return ({node: pagerank[i] for i, node in enumerate(nodes)},
            {node: raw[i] * scale[i] for i, node in enumerate(nodes)})


def communities(graph: nx.MultiDiGraph, top_members: int = 5) -> list[dict]:
    """Louvain communities (igraph's multilevel algorithm, seeded, so repeatable), largest
    first, with their central members."""
    simple = _simple(graph)
    if simple.number_of_nodes() == 0:
        return []
    nodes, compiled = _compiled(simple)
    ig.set_random_number_generator(random.Random(7))
    try:
        clusters = compiled.community_multilevel()
    finally:
        ig.set_random_number_generator(random)
    found = [{nodes[i] for i in members} for members in clusters]
    degree = dict(simple.degree())
    result = []
    for members in sorted(found, key=lambda c: (-len(c), min(c))):
        ranked = sorted(members, key=lambda n: (-degree[n], n))
        kinds = Counter(graph.nodes[n]["kind"] for n in members)
        result.append({"size": len(members),
                       "members": [graph.nodes[n]["name"] for n in ranked[:top_members]],
                       "kinds": dict(kinds.most_common(3))})
    return result


def path(graph: nx.MultiDiGraph, start: str, end: str) -> list[dict]:
    """The shortest chain of hops between two entities, each hop with its relationship."""
    start, end = uri(start), uri(end)
    for node in (start, end):
        if node not in graph:
            raise unknown_id(node.removeprefix(ID), (n.removeprefix(ID) for n in graph),
                             "in the graph (or the slice)")
    undirected = nx.Graph()
    for a, b, data in graph.edges(data=True):
        weight = 1 if data["type"] in EXPLANATORY else 2
        if not undirected.has_edge(a, b) or undirected[a][b]["weight"] > weight:
            undirected.add_edge(a, b, weight=weight)
    try:
        nodes = nx.shortest_path(undirected, start, end, weight="weight")
    except nx.NetworkXNoPath:
        raise TechregError(f"no path between '{start.removeprefix(ID)}' and "
                           f"'{end.removeprefix(ID)}'") from None
    hops = [{"uri": nodes[0], "name": graph.nodes[nodes[0]]["name"],
             "kind": graph.nodes[nodes[0]]["kind"], "via": None, "forward": None}]
    for a, b in zip(nodes, nodes[1:], strict=False):
        forward = graph.has_edge(a, b)
        edges = graph.get_edge_data(a, b) if forward else graph.get_edge_data(b, a)
        rel = sorted(d["type"] for d in edges.values())[0]
        hops.append({"uri": b, "name": graph.nodes[b]["name"], "kind": graph.nodes[b]["kind"],
                     "via": rel, "forward": forward})
    return hops


def describe_path(hops: list[dict]) -> str:
    """A path as one readable line: A -[REL]-> B <-[REL]- C ..."""
    parts = [f"{hops[0]['name']} ({hops[0]['kind']})"]
    for hop in hops[1:]:
        arrow = f"-[{hop['via']}]->" if hop["forward"] else f"<-[{hop['via']}]-"
        parts.append(f"{arrow} {hop['name']} ({hop['kind']})")
    return " ".join(parts)


def _features(db) -> dict[str, dict[str, set[str]]]:
    features: dict[str, dict[str, set[str]]] = {}
    for row in db.execute_query(cypher.DISPUTE_FEATURES).records:
        features[row["dispute"]] = {
            "topics": set(row["topics"]), "laws": set(row["laws"]),
            "parties": set(row["parties"]), "jurisdictions": set(row["jurisdictions"])}
    return features


def similar(db, dispute: str, top: int = 5) -> list[dict]:
    """Disputes most like one: weighted Jaccard overlap of topics, laws, parties, places."""
    features = _features(db)
    target = uri(dispute)
    if target not in features:
        raise unknown_id(dispute, (d.removeprefix(ID) for d in features), "a dispute in the graph")
    weights = {"laws": 3.0, "parties": 3.0, "topics": 2.0, "jurisdictions": 1.0}
    mine = features[target]
    names = {r["uri"]: r["name"] for r in db.execute_query(cypher.DISPUTE_NAMES).records}
    rows = []
    for other, theirs in features.items():
        if other == target:
            continue
        score, reasons = 0.0, []
        for facet, weight in weights.items():
            union = mine[facet] | theirs[facet]
            shared = mine[facet] & theirs[facet]
            if union:
                score += weight * len(shared) / len(union)
            if shared:
                reasons.append(f"{facet}: " + ", ".join(sorted(
                    names.get(s, s.rsplit("/", 1)[-1]) for s in shared)))
        if score > 0:
            rows.append({"uri": other, "name": names.get(other, other),
                         "score": round(score / sum(weights.values()), 4),
                         "reason": "; ".join(reasons)})
    rows.sort(key=lambda r: (-r["score"], r["uri"]))
    return rows[:top]


def exposure(db, company: str) -> list[dict]:
    """The disputes a company faces itself, through subsidiaries, and through companies it
    bought; a dispute of a bought company counts only if it started on or after the
    acquisition's completion."""
    rows = []
    for row in db.execute_query(cypher.EXPOSURE, company=uri(company)).records:
        since, started, first = row["since"], row["started"], row["first"]
        # The first proceeding's date refines a dispute's start given only as a year.
        if first and (not started or (first.startswith(started) and len(first) > len(started))):
            started = first
        rows.append({"dispute": row["dispute"], "name": row["name"], "via": row["via"],
                     "acquired": since, "started": started,
                     "counted": _counts_from(started, since)})
    if not rows:  # no disputes, or no such company
        from .ids import require

        require(db, company, "Company")
    rows.sort(key=lambda r: (r["counted"] is not True, r["started"] or "", r["dispute"]))
    return rows


def _counts_from(started: str | None, acquired: str | None) -> bool | None:
    """Whether a dispute started on or after an acquisition; None when the dates cannot tell
    (unknown start, or both in the same year or month at the precision given)."""
    if acquired is None:
        return True
    if started is None:
        return None
    n = min(len(started), len(acquired))
    if started[:n] == acquired[:n] and len(started) != len(acquired):
        return None
    return started >= acquired
