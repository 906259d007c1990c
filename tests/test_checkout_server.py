"""The test server belongs to the checkout: two clones get different folders and ports, one
checkout gets the same ones every time, and the environment still overrides them."""

from __future__ import annotations

import os
import socket

from conftest import ROOT

from graph.server import TEST_PORTS, checkout_key, checkout_test_server


def test_two_checkouts_get_their_own_folder_and_port(tmp_path, monkeypatch):
    monkeypatch.setenv("TECHREG_CACHE", str(tmp_path / "cache"))
    a = checkout_test_server(tmp_path / "clone-a" / "techreg")
    b = checkout_test_server(tmp_path / "clone-b" / "techreg")
    assert a.home != b.home and a.port != b.port
    assert a.home.parent == tmp_path / "cache" / "test-servers"
    assert a.home.name.startswith("techreg-") and a.home.name == checkout_key(
        tmp_path / "clone-a" / "techreg")
    for server in (a, b):
        assert server.port in TEST_PORTS and not 7687 <= server.port <= 7699
        assert (server.home / "port").read_text().strip() == str(server.port)


def test_one_checkout_gets_the_same_server_every_time(tmp_path, monkeypatch):
    monkeypatch.setenv("TECHREG_CACHE", str(tmp_path / "cache"))
    first = checkout_test_server(tmp_path / "clone")
    assert checkout_test_server(tmp_path / "clone") == first
    assert checkout_test_server(tmp_path / "clone" / ".." / "clone") == first


def test_a_recorded_port_someone_else_took_is_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("TECHREG_CACHE", str(tmp_path / "cache"))
    first = checkout_test_server(tmp_path / "clone")
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", first.port))
        squatter.listen()
        moved = checkout_test_server(tmp_path / "clone")
    assert moved.home == first.home and moved.port != first.port
    assert (first.home / "port").read_text().strip() == str(moved.port)


def test_the_environment_overrides_folder_and_port(tmp_path, monkeypatch):
    monkeypatch.setenv("TECHREG_CACHE", str(tmp_path / "cache"))
    given = checkout_test_server(tmp_path / "clone", home=tmp_path / "mine", port=7692)
    assert (given.home, given.port) == (tmp_path / "mine", 7692)
    assert not (tmp_path / "mine" / "port").exists()
    chosen = checkout_test_server(tmp_path / "clone", home=tmp_path / "mine")
    assert chosen.home == tmp_path / "mine" and chosen.port in TEST_PORTS


def test_this_run_has_a_server_of_its_own():
    """conftest set both (from the checkout, unless the environment gave them)."""
    home, port = os.environ["TECHREG_NEO4J_HOME"], int(os.environ["TECHREG_NEO4J_PORT"])
    assert home and 0 < port < 65536
    assert checkout_key(ROOT).startswith(ROOT.name + "-")
