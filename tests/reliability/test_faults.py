"""Guarantee 3: faults. Neo4j down when a command starts, Neo4j killed in the middle of a
load, the load process killed with SIGKILL, two loads at once, transient errors retried.

A load writes through one transaction, so whatever stops it midway must leave the graph
as it was; a rerun must then give exactly the graph of an uninterrupted load (equal
content hashes: relhelp.graph_hash, which sorts labels so that hashes compare across
servers). The loads here are big enough (synthetic N-Triples, 24,000 triples) to be
caught while writing: the test watches the server's own list of running transactions
(SHOW TRANSACTIONS) and strikes once a loader batch (`UNWIND $rows AS row ...`) runs.
"""

from __future__ import annotations

import inspect
import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import neo4j
import psutil
import pytest
import relhelp

import loaders.neo4j as loader
from graph import cypher
from graph import db as dbmod
from graph.server import LocalServer
from loaders.neo4j import load
from loaders.rdf import read_quads

COMPANIES = 6_000  # 24,000 triples
SMALL = relhelp.RDF_FIXTURES / "datatypes.ttl"


def _wipe(db) -> None:
    db.execute_query("MATCH (n) DETACH DELETE n")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return relhelp.write_synthetic(tmp_path_factory.mktemp("big") / "big.nt", COMPANIES)


@pytest.fixture(scope="module")
def big_data(big):
    """Read as `techreg load` reads (pyoxigraph), so in-process and CLI loads store the same
    mapping node (read_rdf would add rdflib's default prefixes to it)."""
    return read_quads([big])


@pytest.fixture(scope="module")
def reference(neo4j_target, big_data):
    """Content hashes of uninterrupted loads of each input into an empty database."""
    hashes = {}
    with dbmod.connect(neo4j_target) as db:
        for name, data in (("big", big_data), ("trig", read_quads([relhelp.TRIG])),
                           ("small", read_quads([SMALL]))):
            _wipe(db)
            load(data, db)
            assert relhelp.duplicate_uris(db) == 0
            hashes[name] = relhelp.graph_hash(db)
        _wipe(db)
    assert len(set(hashes.values())) == 3
    return hashes


# --- Neo4j down when a command starts -----------------------------------------------------

DOWN_COMMANDS = {
    "load": ("load", str(relhelp.TRIG)),
    "counts": ("counts",),
    "query": ("query", "company-disputes"),
    "query --cypher": ("query", "--cypher", "RETURN 1"),
    "export": ("export", "--format", "nt"),
}
DOWN_CASES = [(command, "NEO4J_URI") for command in DOWN_COMMANDS] + [
    ("load", "local"), ("counts", "local"), ("query", "local")]


@pytest.fixture(scope="module")
def down_results(tmp_path_factory):
    """Commands with NEO4J_URI on a closed port, or with no local server running."""
    port = relhelp.free_port()
    envs = {"NEO4J_URI": {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{port}",
                          "NEO4J_PASSWORD": "x"},
            "local": {**os.environ, "NEO4J_URI": "", "TECHREG_NEO4J_PORT": str(port),
                      "TECHREG_NEO4J_HOME": str(tmp_path_factory.mktemp("no-server"))}}
    runs = {(command, where): (DOWN_COMMANDS[command], envs[where])
            for command, where in DOWN_CASES}
    runs[("query --list", "NEO4J_URI")] = (("query", "--list"), envs["NEO4J_URI"])
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {key: pool.submit(relhelp.techreg, *args, env=env)
                   for key, (args, env) in runs.items()}
        return {key: f.result() for key, f in futures.items()}, port


@pytest.mark.parametrize(("command", "where"), DOWN_CASES)
def test_neo4j_down_when_a_command_starts_is_one_line_with_the_fix(down_results, command, where):
    results, port = down_results
    result = results[(command, where)]
    if where == "NEO4J_URI":
        relhelp.assert_one_line_error(result, f"cannot reach Neo4j at bolt://127.0.0.1:{port}",
                                      "check NEO4J_URI and that it runs")
    else:
        relhelp.assert_one_line_error(result, "the local Neo4j is not running",
                                      "run `techreg neo4j start`")


def test_query_list_needs_no_neo4j(down_results):
    result = down_results[0][("query --list", "NEO4J_URI")]
    assert result.returncode == 0, result.stderr
    assert "company-disputes" in result.stdout


# --- the load process killed ----------------------------------------------------------------

def test_sigkill_of_the_load_process_leaves_the_previous_graph_and_a_rerun_completes(
        db, neo4j_target, big, big_data, reference):
    load(read_quads([relhelp.TRIG]), db)
    assert relhelp.graph_hash(db) == reference["trig"]
    process = relhelp.spawn("load", big, env=relhelp.env_for(neo4j_target))
    try:
        relhelp.wait_until_writing(db, process)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert relhelp.graph_hash(db) == reference["trig"]  # nothing of the killed load is visible
    summary = load(big_data, db)  # waits for the server to roll the orphan back, if need be
    assert summary.nodes_deleted > 0  # the rerun replaced the previous graph ...
    assert relhelp.graph_hash(db) == reference["big"]  # ... and equals an uninterrupted load
    assert relhelp.duplicate_uris(db) == 0 and relhelp.lock_nodes(db) == 1


# --- two loads at once ------------------------------------------------------------------------

def test_two_loads_at_once_serialise_and_the_end_state_is_one_input(db, neo4j_target, big,
                                                                    reference):
    """Two `techreg load` processes with different inputs, both inside their transaction at
    the same time (a gate transaction holds the load lock until both wait on it)."""
    load(read_quads([relhelp.TRIG]), db)  # a previous load: the lock node exists
    env = relhelp.env_for(neo4j_target)
    with db.session() as session:
        gate = session.begin_transaction()
        gate.run(cypher.LOCK).consume()
        loads = [relhelp.spawn("load", big, env=env), relhelp.spawn("load", SMALL, env=env)]
        try:
            relhelp.wait_until_waiting_for_lock(db, 2)  # both wait: neither writes
            assert relhelp.loader_transactions(db) == []
        finally:
            gate.rollback()
    for process in loads:
        _, stderr = process.communicate(timeout=180)
        assert process.returncode == 0, stderr
    assert relhelp.graph_hash(db) in (reference["big"], reference["small"])  # never a mix
    assert relhelp.duplicate_uris(db) == 0 and relhelp.lock_nodes(db) == 1


def _paused_load(db, data):
    """An in-process load that stops inside its transaction after its first batch, until
    released; returns (thread, writing event, release event, errors)."""
    writing, release, errors = threading.Event(), threading.Event(), []

    def progress(step, done, total):
        if not writing.is_set():
            writing.set()
            release.wait(120)

    def run():
        try:
            load(data, db, progress=progress)
        except Exception as e:  # reported by the test
            errors.append(e)

    thread = threading.Thread(target=run)
    thread.start()
    assert writing.wait(120), "the paused load never began writing"
    return thread, release, errors


def test_a_second_load_waits_while_the_first_is_mid_transaction(db, neo4j_target, big_data,
                                                                 reference):
    load(read_quads([relhelp.TRIG]), db)  # a previous load: the lock node exists
    first, release, errors = _paused_load(db, big_data)
    try:
        second = relhelp.spawn("load", SMALL, env=relhelp.env_for(neo4j_target))
        relhelp.wait_until_waiting_for_lock(db, 1)
        time.sleep(1)
        assert second.poll() is None  # still waiting for the lock
    finally:
        release.set()
        first.join(120)
    _, stderr = second.communicate(timeout=120)
    assert errors == [] and second.returncode == 0, (errors, stderr)
    assert relhelp.graph_hash(db) == reference["small"]  # the second ran after the first
    assert relhelp.duplicate_uris(db) == 0 and relhelp.lock_nodes(db) == 1


def test_two_first_loads_on_an_empty_database_serialise(db, neo4j_target, big_data, reference):
    assert relhelp.lock_nodes(db) == 0
    first, release, errors = _paused_load(db, big_data)
    try:
        second = relhelp.spawn("load", SMALL, env=relhelp.env_for(neo4j_target))
        deadline = time.monotonic() + 20
        while second.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        finished_while_first_was_writing = second.poll() is not None
    finally:
        release.set()
        first.join(120)
        second.communicate(timeout=120)
    assert errors == []
    observed = {"second finished while the first was mid-transaction":
                finished_while_first_was_writing,
                "lock nodes": relhelp.lock_nodes(db), "duplicate uris": relhelp.duplicate_uris(db),
                "end state is one input":
                relhelp.graph_hash(db) in (reference["big"], reference["small"])}
    assert observed == {"second finished while the first was mid-transaction": False,
                        "lock nodes": 1, "duplicate uris": 0, "end state is one input": True}


# --- transient errors ---------------------------------------------------------------------

def test_every_write_of_the_loader_runs_in_a_managed_transaction():
    """Managed transactions (execute_write) are what the driver retries on transient errors."""
    source = inspect.getsource(loader)
    assert source.count("session.execute_write(work)") == 2  # load and unload
    for unmanaged in ("begin_transaction", "session.run(", ".write_transaction("):
        assert unmanaged not in source
    # The only other statements are the schema ones, through driver.execute_query (also retried).
    assert "db.execute_query(statement)" in inspect.getsource(loader.load)


def test_a_load_chosen_as_deadlock_victim_is_retried_and_completes(db, neo4j_target, tmp_path):
    """A real deadlock: another transaction holds a node the load will update and then asks
    for the load lock. Neo4j aborts the load with DeadlockDetected (a transient error); the
    managed transaction runs the load again, and it completes."""
    load(read_quads([relhelp.TRIG]), db)
    changed = tmp_path / "changed.trig"
    changed.write_text(relhelp.TRIG.read_text()
                       .replace('rdfs:label "Skype"', 'rdfs:label "Skype Technologies"')
                       .replace("id:skype a tr:Company",
                                "id:new-co a tr:Company ; rdfs:label \"New\" .\n    "
                                "id:skype a tr:Company"))
    data = read_quads([changed])
    attempts, errors = [], []
    other = db.driver.session(database=db.database)
    blocker = other.begin_transaction()
    # Neo4j aborts the transaction that holds fewer locks: the blocker holds many.
    blocker.run("UNWIND range(1, 5000) AS i CREATE (:_Scratch {i: i})").consume()
    blocker.run("MATCH (n:Resource {uri: $uri}) SET n.poke = 1",
                uri=relhelp.ID + "skype").consume()

    def ask_for_the_load_lock():
        try:
            blocker.run("MATCH (l:_TechregLock) SET l.id = 'load'").consume()
        except neo4j.exceptions.Neo4jError as e:
            errors.append(e.code)
        finally:
            blocker.rollback()

    waiter = threading.Thread(target=ask_for_the_load_lock)

    def progress(step, done, total):
        if done == 1:
            attempts.append(step)
            if len(attempts) == 1:  # inside the first attempt, holding the load lock
                waiter.start()
                with dbmod.connect(neo4j_target) as watcher:
                    relhelp.wait_until_waiting_for_lock(watcher, 1)

    try:
        started = time.monotonic()
        load(data, db, batch_size=1, progress=progress)
    finally:
        waiter.join(60)
        other.close()
    assert errors == []  # the other transaction was not the victim ...
    assert len(attempts) == 2, attempts  # ... the load was, and it ran again
    assert time.monotonic() - started < 30
    labels = db.execute_query("MATCH (n:Company) RETURN n.label AS l ORDER BY l").records
    assert [r["l"] for r in labels] == ["Microsoft", "New", "Skype Technologies"]
    assert db.execute_query("MATCH (n {poke: 1}) RETURN count(n) AS c").records[0]["c"] == 0


# --- Neo4j killed in the middle of a load ---------------------------------------------------
# Last in the module: the separate server boots in the background while the tests above run.

@pytest.fixture(scope="module", autouse=True)
def separate_server(tmp_path_factory):
    """A second local Neo4j (own folder, own free port), started at module setup in a thread."""
    server = LocalServer(tmp_path_factory.mktemp("crash") / "instance", relhelp.free_port())
    with ThreadPoolExecutor(max_workers=1) as pool:
        booting = pool.submit(server.start)
        yield server, booting
        booting.result(timeout=300)
    server.stop(timeout=5)  # a throwaway instance: SIGKILL after 5 s is fine


@pytest.fixture(scope="module")
def server_killed_mid_load(separate_server, big, big_data):
    """`techreg load` writing into the separate server when it is killed (SIGKILL); restart."""
    server, booting = separate_server
    state = booting.result(timeout=300)
    seen = {}
    target = dbmod.Target(server.uri, "neo4j", server.password(), "neo4j", local=False)
    with dbmod.connect(target) as db:
        load(read_quads([relhelp.TRIG]), db)
        seen["before"] = relhelp.graph_hash(db)
        process = relhelp.spawn("load", big, env=relhelp.env_for(target))
        try:
            relhelp.wait_until_writing(db, process)
            os.kill(state["pid"], signal.SIGKILL)
            psutil.Process(state["pid"]).wait(60)
        finally:
            stdout, stderr = process.communicate(timeout=120)
    seen["client"] = (process.returncode, stdout, stderr)
    assert server.state() is None
    server.start()
    with dbmod.connect(target) as db:
        seen["after restart"] = relhelp.graph_hash(db)
        seen["duplicates after restart"] = relhelp.duplicate_uris(db)
        load(big_data, db)
        seen["after rerun"] = relhelp.graph_hash(db)
        seen["duplicates after rerun"] = relhelp.duplicate_uris(db)
    return seen


def test_neo4j_killed_mid_load_leaves_no_partial_graph_and_a_rerun_completes(
        server_killed_mid_load, reference):
    seen = server_killed_mid_load
    assert seen["before"] == reference["trig"]
    assert seen["after restart"] == reference["trig"]  # the previous graph, nothing half-written
    assert seen["duplicates after restart"] == 0
    assert seen["after rerun"] == reference["big"]  # the rerun equals an uninterrupted load
    assert seen["duplicates after rerun"] == 0


def test_neo4j_killed_mid_load_is_one_line_for_the_user(server_killed_mid_load):
    code, stdout, stderr = server_killed_mid_load["client"]
    result = subprocess.CompletedProcess(["techreg", "load"], code, stdout, stderr)
    relhelp.assert_one_line_error(result, "Neo4j")
