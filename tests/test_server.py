"""The local Neo4j server: start, stop, status, and the one-line errors."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

import pytest

from graph import db as dbmod
from graph.server import LocalServer
from ontology.errors import TechregError


def techreg(*args, env=None):
    """Run the real `techreg` command."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=300,
    )


def test_started_server_answers_over_bolt_on_loopback(neo4j_target):
    assert neo4j_target.uri.startswith("bolt://127.0.0.1:")
    with dbmod.connect(neo4j_target) as db:
        info = dbmod.server_info(db)
    assert info["version"].startswith("5.26.")
    assert info["edition"] == "community"


def test_password_file_is_private(neo4j_target):
    server = LocalServer.from_settings()
    assert os.stat(server.password_file).st_mode & 0o777 == 0o600
    assert len(server.password()) >= 24


def test_second_start_does_not_start_another_server(neo4j_target):
    server = LocalServer.from_settings()
    before = server.state()
    again = server.start()
    assert again["started"] is False
    assert again["pid"] == before["pid"]


def test_status_command_reports_version_and_counts(neo4j_target):
    result = techreg("neo4j", "status")
    assert result.returncode == 0, result.stderr
    assert "5.26" in result.stdout and "answers at bolt://127.0.0.1:" in result.stdout


def test_stop_of_a_server_that_is_not_running(tmp_path):
    server = LocalServer(tmp_path / "never-started", 7699)
    assert server.stop() is False


def test_start_stop_cycle_of_a_second_instance(tmp_path, neo4j_target):
    server = LocalServer(tmp_path / "instance", _free_port())
    state = server.start()
    try:
        assert state["started"] is True
        password = server.password()
        target = dbmod.Target(server.uri, "neo4j", password, "neo4j", local=True)
        with dbmod.connect(target) as db:
            db.execute_query("CREATE (:Probe {n: 1})")
    finally:
        assert server.stop() is True
    assert server.state() is None
    with pytest.raises(TechregError, match="cannot reach Neo4j"):
        dbmod.connect(target)
    # The data directory persists: a restart sees the node written before.
    server.start()
    try:
        with dbmod.connect(target) as db:
            assert db.execute_query("MATCH (p:Probe) RETURN count(p) AS c").records[0]["c"] == 1
    finally:
        server.stop()


def test_wrong_password_is_one_clear_line(neo4j_target):
    wrong = dbmod.Target(neo4j_target.uri, "neo4j", "not-the-password", "neo4j", local=False)
    with pytest.raises(TechregError) as error:
        dbmod.connect(wrong)
    assert "refused the credentials" in str(error.value)
    assert "NEO4J_PASSWORD" in str(error.value)


def test_unreachable_server_via_cli_has_no_traceback():
    port = _free_port()
    result = techreg("neo4j", "status", env={"NEO4J_URI": f"bolt://127.0.0.1:{port}",
                                             "NEO4J_PASSWORD": "x"})
    assert result.returncode == 1
    assert "cannot reach Neo4j at bolt://127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_neo4j_uri_is_used_and_no_server_is_managed(neo4j_target):
    env = {"NEO4J_URI": neo4j_target.uri, "NEO4J_USERNAME": "neo4j",
           "NEO4J_PASSWORD": neo4j_target.password}
    status = techreg("neo4j", "status", env=env)
    assert status.returncode == 0, status.stderr
    assert "(NEO4J_URI)" in status.stdout
    start = techreg("neo4j", "start", env=env)
    assert start.returncode == 1
    assert "NEO4J_URI is set" in start.stderr


def test_port_taken_is_reported(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        with pytest.raises(TechregError, match=f"port {port} on 127.0.0.1 is taken"):
            LocalServer(tmp_path / "s", port).start()


def test_java_missing_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(TechregError, match="Java 17"):
        LocalServer(tmp_path / "s", _free_port()).start()


def test_local_server_not_running_is_reported(tmp_path):
    result = techreg("neo4j", "status", env={"TECHREG_NEO4J_HOME": str(tmp_path / "none"),
                                             "NEO4J_URI": ""})
    assert result.returncode == 1
    assert "the local Neo4j is not running: run `techreg neo4j start`" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_maven_missing_is_reported(tmp_path, monkeypatch):
    """With no jars cached yet and no mvn on PATH, start says how to get Maven."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "java").symlink_to(shutil.which("java"))
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("TECHREG_CACHE", str(tmp_path / "empty-cache"))
    with pytest.raises(TechregError, match="Maven is needed once to fetch Neo4j"):
        LocalServer(tmp_path / "s", _free_port()).start()


def test_a_server_that_fails_to_start_is_reported_with_its_log(tmp_path, monkeypatch,
                                                               neo4j_target):
    monkeypatch.setenv("TECHREG_NEO4J_HEAP", "not-a-size")
    server = LocalServer(tmp_path / "s", _free_port())
    with pytest.raises(TechregError, match=r"Neo4j failed to start .*; see .*techreg-neo4j.log"):
        server.start()
    assert server.state() is None
