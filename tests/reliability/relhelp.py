"""Shared helpers of the reliability suite (not a conftest: tests/conftest.py stays the only one).

Everything here drives real processes and the real Neo4j: the `techreg` command as a user
runs it, synthetic inputs big enough to interrupt, and the server's own view of running
transactions to know when a load has begun writing.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXTURES

from graph import cypher
from graph import db as dbmod
from ontology import ID

RDF_FIXTURES = FIXTURES / "rdf"
RECORDS = FIXTURES / "records" / "valid.yaml"
TRIG = RDF_FIXTURES / "graphs.trig"
ROOT = Path(__file__).resolve().parents[2]

TR = "https://w3id.org/techreg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def env_for(target: dbmod.Target, **extra: str) -> dict[str, str]:
    """The environment of a `techreg` process that uses the given server through NEO4J_URI."""
    return {**os.environ, "NEO4J_URI": target.uri, "NEO4J_USERNAME": target.user,
            "NEO4J_PASSWORD": target.password, "NEO4J_DATABASE": target.database, **extra}


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli", *map(str, args)]


def techreg(*args, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real `techreg` command and wait for it."""
    return subprocess.run(cli_command(*args), capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT)


def spawn(*args, env: dict[str, str]) -> subprocess.Popen:
    """Start `techreg` in the background (its output is collected with communicate())."""
    return subprocess.Popen(cli_command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=ROOT)


def assert_one_line_error(result, *fragments: str) -> str:
    """Exit 1, no traceback, exactly one line on stderr that holds every fragment."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_synthetic(path: Path, companies: int, tag: str = "synth") -> Path:
    """N-Triples of `companies` tr:Company nodes, each with a label and two relationships.

    4 triples per company: 25,000 companies make 100,000 triples, enough for a load to be
    caught while it writes.
    """
    company = f"<{TR}Company>"
    with open(path, "w") as f:
        for i in range(companies):
            s = f"<{ID}{tag}-{i}>"
            f.write(f"{s} <{RDF_TYPE}> {company} .\n")
            f.write(f'{s} <{RDFS_LABEL}> "{tag} company {i}" .\n')
            f.write(f"{s} <{TR}subsidiaryOf> <{ID}{tag}-{(i * 7 + 1) % companies}> .\n")
            f.write(f"{s} <{TR}subsidiaryOf> <{ID}{tag}-{(i * 13 + 5) % companies}> .\n")
    return path


def loader_transactions(db) -> list[str]:
    """The queries of running transactions that are a loader's batch writes."""
    rows = db.execute_query("SHOW TRANSACTIONS YIELD currentQuery, status "
                            "RETURN currentQuery AS q").records
    return [r["q"] for r in rows if r["q"] and r["q"].startswith("UNWIND $rows AS row")]


def wait_until_writing(db, process: subprocess.Popen | None = None, timeout: float = 120) -> str:
    """Block until a load's transaction is writing batches (seen from the server side)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        queries = loader_transactions(db)
        if queries:
            return queries[0]
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the load ended before it was seen writing: "
                                 f"{process.returncode} {process.stderr.read()}")
        time.sleep(0.02)
    raise AssertionError("no load was seen writing")


def wait_until_waiting_for_lock(db, count: int, timeout: float = 60) -> None:
    """Block until `count` transactions are blocked (status Blocked) on a lock."""
    deadline = time.monotonic() + timeout
    rows = []
    while time.monotonic() < deadline:
        rows = db.execute_query("SHOW TRANSACTIONS YIELD status, currentQuery "
                                "RETURN status, currentQuery AS q").records
        if sum(1 for r in rows if str(r["status"]).startswith("Blocked")) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"no transaction was seen waiting for a lock: {[dict(r) for r in rows]}")


def duplicate_uris(db) -> int:
    return db.execute_query(
        "MATCH (n:Resource) WITH n.uri AS uri, count(*) AS c WHERE c > 1 RETURN count(*) AS d"
    ).records[0]["d"]


def lock_nodes(db) -> int:
    return db.execute_query("MATCH (l:_TechregLock) RETURN count(l) AS c").records[0]["c"]


def graph_hash(db) -> str:
    """tests/test_loader.content_hash with each node's labels sorted.

    labels(n) lists labels in the order of the server's label tokens, i.e. the order in which
    labels were first created on that server, so the plain hash of one graph differs between
    two servers. This one compares graphs across servers (and equals itself on one).
    """
    record = db.execute_query(cypher.CONTENT_HASH).records[0]
    nodes = sorted(json.dumps([sorted(labels), props], sort_keys=True, default=str)
                   for labels, props in record["nodes"])
    text = json.dumps([nodes, record["rels"]], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
