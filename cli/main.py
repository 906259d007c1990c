"""The `techreg` command: one group, a verb per subcommand, thin over the library.

The commands live in the modules beside this one (server, data, query, analyze, ingest,
doctor); this module puts them together in the order `techreg --help` lists them, and
turns every failure it knows into one line on stderr and a non-zero exit: 2 for a usage
error (an unknown command or option, a missing argument, a value out of range, an id that
names no record), with the usage hint; 1 for anything else.
"""

from __future__ import annotations

import logging
import signal
import sys

import typer
from neo4j.exceptions import DriverError, Neo4jError

from ontology.errors import TechregError, UsageError

from . import analyze, cite, data, doctor, ingest, query, server
from .output import err

PROG = "techreg"

app = typer.Typer(help="techreg: a sourced knowledge graph of tech-regulation disputes.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
neo4j_app = typer.Typer(help="Run the local Neo4j server (not needed when NEO4J_URI is set).",
                        no_args_is_help=True)
analyze_app = typer.Typer(help="Graph analytics (networkx, igraph) over the graph in Neo4j.",
                          no_args_is_help=True)
resolve_app = typer.Typer(help="Entity resolution: propose, accept and undo same-as decisions.",
                          no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(analyze_app, name="analyze")
app.add_typer(resolve_app, name="resolve")

for command in (data.load, data.unload, data.export, data.validate, data.build, data.docs,
                query.query, query.sparql, query.serve_sparql, ingest.ingest, ingest.ingest_table,
                data.counts, data.stats, cite.cite, doctor.doctor):
    app.command()(command)
for command in (server.start, server.stop, server.status):
    neo4j_app.command()(command)
for command in (analyze.centrality, analyze.communities, analyze.path, analyze.similar,
                analyze.exposure):
    analyze_app.command()(command)
for command in (ingest.propose, ingest.accept, ingest.undo):
    resolve_app.command()(command)


# What to do about the server's errors a user can meet in normal use, by Neo4j's code.
ADVICE = {
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError":
        "the load is one transaction and did not fit the server's transaction memory (70 % of "
        "its heap by default); nothing was committed. For a first load of a large file use "
        "`techreg load --bulk`, or give the local server a larger heap "
        "(`techreg neo4j stop`, then TECHREG_NEO4J_HEAP=12g `techreg neo4j start`)",
}


def neo4j_message(error: Neo4jError) -> str:
    """One line for a server error: what Neo4j said, and what to do when we know."""
    said = (error.message or str(error)).splitlines()[0][:200].rstrip(". ")
    advice = ADVICE.get(error.code or "")
    return f"Neo4j: {said}" + (f": {advice}" if advice else "")


def main() -> None:
    """Entry point: run the app, turning known failures into one line and a non-zero exit."""
    # The driver logs each retry of a managed transaction; the user gets our one line instead.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    logging.getLogger("neo4j").propagate = False
    # Ctrl-C interrupts every command, even in a process started with SIGINT ignored (a
    # background job, nohup), where Python would leave it ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    args = sys.argv[1:]
    try:
        code = app(args=args, standalone_mode=False, prog_name=PROG)
    except UsageError as e:
        _usage_line(str(e), args)
        sys.exit(e.exit_code)
    except TechregError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        sys.exit(e.exit_code)
    except Neo4jError as e:
        err.print(f"[red]error:[/red] {neo4j_message(e)}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except DriverError as e:  # the server went away mid-command: nothing was committed
        first = (str(e) or type(e).__name__).splitlines()[0][:200]
        err.print(f"[red]error:[/red] lost the connection to Neo4j ({first}); nothing was "
                  "committed: check `techreg neo4j status` and run the command again",
                  highlight=False, soft_wrap=True)
        sys.exit(1)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(1)
    except Exception as e:
        if not _is_click_error(e):
            raise
        _click_error(e, args)
    sys.exit(code if isinstance(code, int) else 0)


def _is_click_error(error: Exception) -> bool:
    """Click's exceptions, as Typer raises them (its vendored copy of click) or click itself."""
    import click
    from typer import _click

    return isinstance(error, _click.exceptions.ClickException | click.exceptions.ClickException)


def _click_error(error, args: list[str]) -> None:
    """A click error as one line: the help for a bare group, else the message with the
    usage and where to read more; exit 2 for usage errors."""
    from typer import _click

    if isinstance(error, _click.exceptions.NoArgsIsHelpError):
        error.show()  # a group without its command: its help, as click shows it
        sys.exit(error.exit_code)
    message = " ".join(error.format_message().split())
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        usage = " ".join(ctx.get_usage().split())
        err.print(f"[red]error:[/red] {message} ({usage}; more: {ctx.command_path} --help)",
                  highlight=False, soft_wrap=True)
    else:
        _usage_line(message, args)
    sys.exit(error.exit_code)


def _usage_line(message: str, args: list[str]) -> None:
    """A usage error raised by the library (an unknown id, a bad value): the message and where
    to read the command's usage."""
    err.print(f"[red]error:[/red] {message} (more: {' '.join([PROG, *_command_path(args)])} "
              "--help)", highlight=False, soft_wrap=True)


def _command_path(args: list[str]) -> list[str]:
    """The command and subcommand names at the start of args (`analyze path`)."""
    group, path = typer.main.get_command(app), []
    for word in args:
        commands = getattr(group, "commands", None)
        if not commands or word not in commands:
            break
        path.append(word)
        group = commands[word]
    return path
