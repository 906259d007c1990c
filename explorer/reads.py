"""The graph as the explorer's pages read it: each read asked of Neo4j once per version of
the graph, and its answer shared by every session of the server.

Readers mostly open the same views, so most of a page's reads were asked before; a page
run asks Neo4j only what is new since the graph last changed. The version is the bookmark
of the run's first read (graph.db.snapshot): any write committed to the database makes a
new version, so an answer is never older than the run that uses it.
"""

from __future__ import annotations

import json

import neo4j
import streamlit as st

from graph import db as dbmod


class Snapshot:
    """A database, as one run of a page reads it at one version of the graph.

    `execute_query` (every read of graph/) goes to Neo4j in read access mode, so the
    explorer cannot write, and its answers are kept per version. Sessions (the consoles'
    typed queries, with their time limits) go to Neo4j each time, as does `live`, the
    database itself, for reads too large to keep (an export)."""

    def __init__(self, live: dbmod.Database, version: str):
        self.live = live
        self.version = version
        self.database = live.database
        self.target = live.target

    def execute_query(self, query: str, parameters: dict | None = None, **kwargs):
        key = json.dumps([query, parameters, kwargs], sort_keys=True, default=repr)
        return _answer(self.live, self.version, key, query, parameters or {}, kwargs)

    def session(self, **kwargs) -> neo4j.Session:
        return self.live.session(**kwargs)


# Answers of the curated data's reads are small (most under a few hundred rows); old
# versions' answers leave as new ones come (least recently used first).
@st.cache_resource(max_entries=4096, show_spinner=False)
def _answer(_live: dbmod.Database, version: str, key: str, _query: str, _parameters: dict,
            _kwargs: dict):
    return _live.execute_query(_query, _parameters,
                               **{**_kwargs, "routing_": neo4j.RoutingControl.READ})


def snapshot(live: dbmod.Database) -> tuple[dict[str, int], Snapshot]:
    """The graph's counts and the snapshot of it this run reads."""
    totals, version = dbmod.snapshot(live)
    return totals, Snapshot(live, version)
