"""A subgraph (or the whole projected graph) as files a reader downloads: an edge list as
CSV, a GraphML document, and any result table as CSV. The explorer's export and question
pages call these; so can tests and scripts.
"""

from __future__ import annotations

import csv
import io

import networkx as nx

from . import analytics
from .browse import Subgraph, short

EDGE_COLUMNS = ["start", "start_name", "type", "end", "end_name"]


def whole(db) -> Subgraph:
    """The analytics projection (actors and events, without sources and claims) as a Subgraph."""
    graph = analytics.project(db)
    return Subgraph({n: {"name": d["name"], "kind": d["kind"]} for n, d in graph.nodes(data=True)},
                    sorted({(a, d["type"], b) for a, b, d in graph.edges(data=True)}))


def table_csv(columns, rows) -> str:
    """A header row and the rows as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def edges_csv(sub: Subgraph) -> str:
    """One row per relationship: its ends by record id and name, and its type."""
    rows = [[short(a), sub.nodes.get(a, {}).get("name"), t, short(b),
             sub.nodes.get(b, {}).get("name")] for a, t, b in sub.edges]
    return table_csv(EDGE_COLUMNS, rows)


def graphml(sub: Subgraph) -> bytes:
    """The subgraph as GraphML: nodes keyed by IRI with name and kind, edges with their type."""
    graph = nx.MultiDiGraph()
    for node, data in sub.nodes.items():
        graph.add_node(node, name=data["name"], kind=data["kind"])
    for a, t, b in sub.edges:
        graph.add_edge(a, b, type=t)
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    return buffer.getvalue()
