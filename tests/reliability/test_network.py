"""Guarantee 6: the local Neo4j listens on loopback only, refuses a wrong password, keeps its
password private. tests/test_server.py already checks the password file's mode (0600), the
wrong password through the library, and that the Bolt URI is on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import os
import socket

import psutil
import pytest
import relhelp

from graph import db as dbmod
from graph.server import LocalServer

LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}


@pytest.fixture(scope="module")
def local_server(neo4j_target):
    if os.environ.get("NEO4J_URI"):
        pytest.skip("the tests use NEO4J_URI, not a local server techreg manages")
    server = LocalServer.from_settings()
    state = server.state()
    assert state, "the local test server is not running"
    return server, psutil.Process(state["pid"])


def test_the_local_server_listens_on_loopback_only(local_server):
    server, process = local_server
    listening = {(c.laddr.ip, c.laddr.port) for c in process.net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN}
    assert (server.port in {port for _, port in listening})
    assert {ip for ip, _ in listening} <= LOOPBACK, listening


def _other_addresses() -> list[str]:
    found = []
    for addresses in psutil.net_if_addrs().values():
        for a in addresses:
            if a.family not in (socket.AF_INET, socket.AF_INET6):
                continue
            ip = ipaddress.ip_address(a.address.split("%")[0])
            if not ip.is_loopback and not ip.is_link_local:
                found.append(str(ip))
    return found


def test_the_bolt_port_is_closed_on_every_other_address(local_server):
    server, _ = local_server
    others = _other_addresses()
    if not others:
        pytest.skip("this machine has no address but loopback")
    for address in others:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(3)
            assert s.connect_ex((address, server.port)) != 0, address


def test_a_wrong_password_is_refused_in_one_line(neo4j_target):
    env = relhelp.env_for(neo4j_target, NEO4J_PASSWORD="not-the-password")
    result = relhelp.techreg("counts", env=env)
    relhelp.assert_one_line_error(result, f"Neo4j at {neo4j_target.uri} refused the credentials",
                                  "check NEO4J_USERNAME and NEO4J_PASSWORD")


def test_the_password_is_in_no_command_line_and_its_file_is_private(local_server):
    server, process = local_server
    password = server.password()
    assert password not in " ".join(process.cmdline())
    assert os.stat(server.password_file).st_mode & 0o777 == 0o600
    with pytest.raises(Exception, match="refused the credentials"):
        dbmod.connect(dbmod.Target(server.uri, "neo4j", password[:-1], "neo4j", local=True))
