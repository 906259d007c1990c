"""`techreg neo4j start | stop | status`: the local Neo4j server."""

from __future__ import annotations

from graph import db as dbmod
from graph.server import LocalServer
from ontology.errors import TechregError

from .output import err, out


def _local_server() -> LocalServer:
    from graph import settings

    if settings.get("NEO4J_URI"):
        raise TechregError("NEO4J_URI is set, so techreg uses that server and manages none: "
                           "unset NEO4J_URI to use the local one")
    return LocalServer.from_settings()


def start() -> None:
    """Start the local Neo4j in the background and wait until Bolt answers."""
    server = _local_server()
    with err.status("Starting Neo4j (the first start fetches it from Maven Central)..."):
        state = server.start()
    verb = "started" if state["started"] else "already running"
    out.print(f"Neo4j {verb}: {state['uri']} (pid {state['pid']}, log {state['log']})")


def stop() -> None:
    """Shut the local Neo4j down cleanly and wait for it."""
    server = _local_server()
    if server.stop():
        out.print("Neo4j stopped")
    else:
        out.print("Neo4j was not running")


def status() -> None:
    """Say where Neo4j listens, its version, and whether it answers (exit 1 if it does not)."""
    target = dbmod.Target.from_settings()
    with dbmod.connect(target) as db:
        info = dbmod.server_info(db)
        counts = dbmod.counts(db)
    where = "local server" if target.local else "NEO4J_URI"
    out.print(f"Neo4j {info['version']} {info['edition']} answers at {target.uri} ({where}); "
              f"database {target.database}: {counts['nodes']} nodes, "
              f"{counts['relationships']} relationships")
