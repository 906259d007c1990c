"""Tests run against a real Neo4j: the project's local test server, or the one in NEO4J_URI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph import db as dbmod
from graph.server import LocalServer, checkout_test_server

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"

# The test server is its own instance, so tests never touch the graph a user explores with
# `make run`, and it belongs to this checkout: its folder is derived from the checkout's
# path and its port is chosen free once and recorded there, so two clones can run their
# tests at the same time. TECHREG_NEO4J_HOME and TECHREG_NEO4J_PORT override either.
_test_server = checkout_test_server(ROOT, os.environ.get("TECHREG_NEO4J_HOME") or None,
                                    os.environ.get("TECHREG_NEO4J_PORT") or None)
os.environ["TECHREG_NEO4J_HOME"] = str(_test_server.home)
os.environ["TECHREG_NEO4J_PORT"] = str(_test_server.port)
os.environ.setdefault("TECHREG_NEO4J_HEAP", "1g")
os.environ.setdefault("TECHREG_NEO4J_PAGECACHE", "512m")


@pytest.fixture(scope="session")
def neo4j_target():
    """The live server for this run; a local one started here is stopped at the end."""
    if os.environ.get("NEO4J_URI"):
        if os.environ.get("TECHREG_TESTS_MAY_WIPE") != "1":
            pytest.exit("tests wipe the database in NEO4J_URI: set TECHREG_TESTS_MAY_WIPE=1 "
                        "to allow it, or unset NEO4J_URI to use the local test server", 2)
        yield dbmod.Target.from_settings()
        return
    server = LocalServer.from_settings()
    state = server.start()
    try:
        yield dbmod.Target.from_settings()
    finally:
        if state["started"]:
            server.stop()


@pytest.fixture
def db(neo4j_target):
    """A connection to an empty graph."""
    with dbmod.connect(neo4j_target) as database:
        database.execute_query("MATCH (n) DETACH DELETE n")
        yield database


@pytest.fixture(scope="session")
def curated_dataset():
    """The curated data (data/) built and validated once per run. Building it runs SHACL
    over the whole data, the slowest step of the suite's set-up: built once per module, it
    pushed modules past pytest's timeout on a loaded machine."""
    from loaders.records import build_dataset

    return build_dataset()


@pytest.fixture(scope="module")
def curated_db(neo4j_target, curated_dataset):
    """The curated data (data/) loaded into an emptied database, with its indexes online;
    loaded once per test module."""
    from loaders.neo4j import load

    with dbmod.connect(neo4j_target) as database:
        database.execute_query("MATCH (n) DETACH DELETE n")
        load(curated_dataset, database)
        database.execute_query("CALL db.awaitIndexes(60)")
        yield database
