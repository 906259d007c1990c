"""A typo gets one line, never a traceback: every command and subcommand of `techreg` walked
with a table of bad invocations (unknown option, missing argument, wrong type, out-of-range
number, unknown id, unreadable file). Each must leave one line on stderr, the right exit
status (2 for a usage error, 1 for input that cannot be read) and the graph unchanged.

The table runs in this process (`cli.main.main()` with its argv), which is what the
installed `techreg` runs; a few cases also run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer
from conftest import FIXTURES
from helpers import content_hash

from cli.main import app, main
from loaders.neo4j import load
from loaders.rdf import read_rdf

USAGE, INPUT = 2, 1
MISSING = "/nonexistent/nope"

# command -> [(arguments after the command, exit status, fragment of the one line)]
CASES: dict[str, list[tuple[list[str], int, str]]] = {
    "load": [(["--bulky", "x"], USAGE, "No such option: --bulky"),
             ([MISSING + ".ttl"], INPUT, "no such file")],
    "unload": [([], USAGE, "Missing argument 'source'")],
    "export": [(["-f", "xls"], USAGE, "unknown format 'xls'"),
               (["-f"], USAGE, "Option '-f' requires an argument")],
    "validate": [([MISSING + ".yaml"], INPUT, "nope.yaml")],
    "build": [(["-o"], USAGE, "Option '-o' requires an argument")],
    "docs": [(["extra"], USAGE, "unexpected extra argument(s) (extra)")],
    "query": [(["owner-as-of", "-p", "company=microsof"], USAGE,
               "'microsof' is not the id of any record; closest: microsoft"),
              (["owner-as-of", "-p", "date=yesterday"], INPUT, "takes a date"),
              (["owner-as-of", "-f", "xls"], USAGE, "unknown format 'xls'")],
    "sparql": [(["-i", MISSING + ".rq"], INPUT, "nope.rq: no such file"),
               (["-f", "xls", "ASK {}"], USAGE, "unknown format 'xls'")],
    "serve-sparql": [(["--port", "99999"], USAGE, "'--port': Input should be less than or equal to 65535"),
                     (["--port", "http"], USAGE, "'--port': Input should be a valid integer"),
                     (["--timeout", "0"], USAGE, "0 is not more than 0"),
                     (["--limit", "0"], USAGE, "'--limit': Input should be greater than or equal to 1")],
    "ingest": [([], USAGE, "Missing argument 'files'"),
               ([MISSING + ".txt"], INPUT, "nope.txt")],
    "ingest-table": [(["x.csv"], USAGE, "Missing option '--mapping'"),
                     ([MISSING + ".csv", "--mapping", MISSING + ".yaml"], INPUT, "nope")],
    "counts": [(["extra"], USAGE, "unexpected extra argument(s) (extra)")],
    "doctor": [(["extra"], USAGE, "unexpected extra argument(s) (extra)")],
    "neo4j start": [(["now"], USAGE, "unexpected extra argument(s) (now)")],
    "neo4j stop": [(["now"], USAGE, "unexpected extra argument(s) (now)")],
    "neo4j status": [(["now"], USAGE, "unexpected extra argument(s) (now)")],
    "analyze centrality": [(["--top", "many"], USAGE, "'--top': Input should be a valid integer"),
                           (["--top", "0"], USAGE, "'--top': Input should be greater than or equal to 1")],
    "analyze communities": [(["--since"], USAGE, "Option '--since' requires an argument")],
    "analyze path": [(["microsoft"], USAGE, "Missing argument 'end'"),
                     (["microsoft", "skipe"], USAGE,
                      "'skipe' is not in the graph (or the slice); closest: skype")],
    "analyze similar": [([], USAGE, "Missing argument 'dispute'"),
                        (["deal", "--top", "-1"], USAGE, "'--top': Input should be greater than or equal"),
                        (["microsoft"], USAGE, "'microsoft' is not a dispute in the graph")],
    "analyze exposure": [([], USAGE, "Missing argument 'company'"),
                         (["microsft"], USAGE,
                          "'microsft' is not a company in the graph; closest: microsoft")],
    "resolve propose": [(["--type"], USAGE, "Option '--type' requires an argument")],
    "resolve accept": [(["Skype Ltd"], USAGE, "Missing argument 'target'"),
                       (["Skype Ltd", "no-such-record", "--file", MISSING + ".yaml"], USAGE,
                        "'no-such-record' is not the id of any record")],
    "resolve undo": [([], USAGE, "Missing argument 'record_id'"),
                     (["no-such-decision", "--file", MISSING + ".yaml"], INPUT, "nope.yaml")],
}
UNKNOWN_COMMANDS = [(["lod"], "No such command 'lod'. Did you mean 'load'"),
                    (["neo4j", "stat"], "No such command 'stat'"),
                    (["analyze", "pth"], "No such command 'pth'"),
                    (["resolve", "acept"], "No such command 'acept'")]


def commands(group=None, prefix: str = "") -> list[str]:
    """Every leaf command of the app, as `group sub`."""
    group = group or typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            names += commands(command, f"{prefix}{name} ")
        else:
            names.append(prefix + name)
    return names


def invocations():
    for command in commands():
        words = command.split()
        yield pytest.param(words + ["--no-such-option"], USAGE,
                           "No such option: --no-such-option", id=f"{command} unknown option")
        for i, (args, status, fragment) in enumerate(CASES.get(command, [])):
            yield pytest.param(words + args, status, fragment, id=f"{command} {i}")
    for args, fragment in UNKNOWN_COMMANDS:
        yield pytest.param(args, USAGE, fragment, id=" ".join(args))


@pytest.fixture(scope="module")
def graph(neo4j_target):
    from graph import db as dbmod

    with dbmod.connect(neo4j_target) as database:
        database.execute_query("MATCH (n) DETACH DELETE n")
        load(read_rdf([FIXTURES / "rdf" / "graphs.trig"]), database)
        before = content_hash(database)
        yield database
        assert content_hash(database) == before, "a bad invocation changed the graph"


def techreg(capsys, args: list[str]) -> tuple[int, str, str]:
    """Run `techreg ARGS` in this process: (exit status, stdout, stderr)."""
    argv, sys.argv = sys.argv, ["techreg", *args]
    try:
        main()
        status = 0
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else 1
    finally:
        sys.argv = argv
    out, err = capsys.readouterr()
    return status, out, err


def test_the_table_names_only_commands_that_exist():
    assert set(CASES) <= set(commands())
    assert {"load", "doctor", "neo4j status", "analyze path", "resolve undo"} <= set(commands())


@pytest.mark.parametrize(("args", "status", "fragment"), list(invocations()))
def test_a_bad_invocation_is_one_line(graph, capsys, args, status, fragment):
    code, _, err = techreg(capsys, args)
    lines = err.strip().splitlines()
    assert "Traceback" not in err
    assert len(lines) == 1, err
    assert fragment in lines[0], lines[0]
    assert code == status, (code, lines[0])
    assert lines[0].startswith("error: ")
    if status == USAGE:  # the usage hint: where to read the command's usage
        assert "techreg" in lines[0] and "--help)" in lines[0]


def test_no_arguments_prints_the_help_not_a_traceback(capsys):
    code, out, err = techreg(capsys, [])
    assert "Traceback" not in out + err
    assert "Usage: techreg" in out + err and "serve-sparql" in out + err
    assert code == USAGE


@pytest.mark.parametrize("args", [["lod"], ["serve-sparql", "--port", "99999"],
                                  ["analyze", "path", "microsoft"]])
def test_a_real_process_gets_the_same_one_line(args):
    result = subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "NEO4J_URI": ""})
    assert result.returncode == USAGE
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and "--help" in result.stderr
