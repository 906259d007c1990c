"""Connecting to Neo4j: the server in NEO4J_URI, else the project's local server."""

from __future__ import annotations

from dataclasses import dataclass

import neo4j
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from ontology.errors import TechregError

from . import cypher, settings
from .server import LocalServer


@dataclass(frozen=True)
class Target:
    """Where to connect: a URI, credentials and a database."""

    uri: str
    user: str
    password: str
    database: str
    local: bool

    @classmethod
    def from_settings(cls) -> Target:
        database = settings.get("NEO4J_DATABASE")
        if settings.get("NEO4J_URI"):
            return cls(settings.get("NEO4J_URI"), settings.get("NEO4J_USERNAME"),
                       settings.get("NEO4J_PASSWORD"), database, local=False)
        server = LocalServer.from_settings()
        if not server.state():
            raise TechregError(
                "the local Neo4j is not running: run `techreg neo4j start` (or set NEO4J_URI)"
            )
        return cls(server.uri, "neo4j", server.password(), database, local=True)


def connect(target: Target | None = None) -> Database:
    """A driver whose connectivity and credentials have been checked.

    Failures become one-line TechregErrors that say what to do.
    """
    target = target or Target.from_settings()
    driver = neo4j.GraphDatabase.driver(
        target.uri, auth=(target.user, target.password), connection_timeout=10,
        max_transaction_retry_time=15, notifications_min_severity="OFF",
    )
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        fix = ("the password file of the local server may be stale; delete it only with the data"
               if target.local else "check NEO4J_USERNAME and NEO4J_PASSWORD")
        raise TechregError(f"Neo4j at {target.uri} refused the credentials: {fix}") from None
    except (ServiceUnavailable, OSError, ValueError) as e:
        driver.close()
        fix = "run `techreg neo4j start`" if target.local else "check NEO4J_URI and that it runs"
        raise TechregError(f"cannot reach Neo4j at {target.uri} ({_first_line(e)}): {fix}") from None
    return Database(driver, target.database, target)


class Database:
    """A driver bound to one database, so callers never pass the database name around."""

    def __init__(self, driver: neo4j.Driver, database: str, target: Target | None = None):
        self.driver = driver
        self.database = database
        self.target = target  # what it connected to: export's worker processes connect there too

    def session(self, **kwargs) -> neo4j.Session:
        return self.driver.session(database=self.database, **kwargs)

    def execute_query(self, query: str, parameters: dict | None = None, **kwargs):
        return self.driver.execute_query(query, parameters or {}, database_=self.database,
                                         **kwargs)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def server_info(driver) -> dict:
    record = driver.execute_query(cypher.SERVER_INFO).records[0]
    return dict(record)


def counts(driver) -> dict[str, int]:
    """Node and relationship counts, as the explorer's home page shows them."""
    record = driver.execute_query(cypher.COUNTS).records[0]
    return {"nodes": record["nodes"], "relationships": record["relationships"]}


def snapshot(db: Database) -> tuple[dict[str, int], str]:
    """The graph's counts and its version, read together.

    The version is the bookmark Neo4j returns for the read: it names the last transaction
    committed to the database, so it changes with every write and with nothing else, and
    caches of reads can be keyed by it."""
    with db.session(default_access_mode=neo4j.READ_ACCESS) as session:
        record = session.run(cypher.COUNTS).single(strict=True)
        version = ",".join(sorted(session.last_bookmarks().raw_values))
    return {"nodes": record["nodes"], "relationships": record["relationships"]}, version


def label_counts(driver) -> list[tuple[str, int]]:
    """Nodes per label (Resource left out), most frequent first."""
    return [(r["label"], r["count"]) for r in driver.execute_query(cypher.LABEL_COUNTS).records]


def _first_line(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:200]


__all__ = ["Database", "Target", "connect", "server_info", "counts", "snapshot", "label_counts", "Neo4jError"]
