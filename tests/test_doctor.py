"""`techreg doctor`: one line per check with what to do, and a non-zero exit on a failure."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from graph import doctor
from graph.server import LocalServer

NAMES = ["python", "java", "javac", "maven", "neo4j jars", "server folder", "port", "pid file",
         "password file", "neo4j", "disk", "chromium"]


def by_name(checks) -> dict[str, doctor.Check]:
    return {c.name: c for c in checks}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_running_test_server_passes_every_check(neo4j_target):
    checks = doctor.run_checks()
    assert [c.name for c in checks] == NAMES
    failed = [str(c) for c in checks if c.failed]
    assert failed == []
    found = by_name(checks)
    assert "5.26." in found["neo4j"].detail
    assert found["password file"].detail.endswith("(mode 0600)")
    assert found["pid file"].status == "ok" and "is running" in found["pid file"].detail


def test_a_broken_server_folder_is_reported_check_by_check(tmp_path):
    home = tmp_path / "server"
    home.mkdir()
    (home / "password").write_text("secret")
    os.chmod(home / "password", 0o644)
    (home / "server.json").write_text(json.dumps({"pid": 2**22 + 12345, "port": 1}))
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        server = LocalServer(home, squatter.getsockname()[1])
        found = by_name(doctor.run_checks(server, uri=""))
    assert found["password file"].failed and f"chmod 600 {home / 'password'}" in str(
        found["password file"])
    assert found["pid file"].failed and "stale" in found["pid file"].detail
    assert found["port"].failed and "TECHREG_NEO4J_PORT" in found["port"].hint
    assert found["neo4j"].failed
    assert found["server folder"].status == "ok"


def test_with_neo4j_uri_the_local_server_is_not_checked(neo4j_target, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)
    found = by_name(doctor.run_checks(LocalServer(doctor.Path("/nonexistent"), 1)))
    for name in ("java", "javac", "maven", "neo4j jars", "server folder", "port", "pid file",
                 "password file"):
        assert found[name].status == "skip", name
    assert found["neo4j"].status == "ok" and neo4j_target.uri in found["neo4j"].detail


def test_no_java_fails_with_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    java = doctor.check_java()
    assert java.failed and "openjdk-17-jdk-headless" in java.hint


@pytest.mark.parametrize(("line", "major"), [
    ('openjdk version "17.0.15" 2025-04-15', 17), ('java version "1.8.0_392"', 8),
    ('openjdk version "21" 2023-09-19', 21), ("", None)])
def test_java_versions_are_read(line, major):
    assert doctor.java_major(line) == major


def test_the_command_prints_a_line_per_check_and_fails_on_a_failure(tmp_path):
    env = {**os.environ, "NEO4J_URI": "", "TECHREG_NEO4J_HOME": str(tmp_path / "none"),
           "TECHREG_NEO4J_PORT": str(free_port())}
    result = subprocess.run([sys.executable, "-m", "cli", "doctor"], capture_output=True,
                            text=True, env=env, timeout=300)
    lines = result.stdout.strip().splitlines()
    assert [line[6:20].strip() for line in lines[:-1]] == NAMES
    neo4j = next(line for line in lines if line[6:20].strip() == "neo4j")
    assert neo4j.startswith("fail") and "techreg neo4j start" in neo4j
    assert result.returncode == 1 and lines[-1].startswith("1 check(s) failed: neo4j")
    assert "Traceback" not in result.stderr
