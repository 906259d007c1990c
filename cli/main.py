"""The `techreg` command: one group, a verb per subcommand, thin over the library.

The commands live in the modules beside this one (server, data, query, analyze, ingest);
this module puts them together in the order `techreg --help` lists them, and turns known
failures into one line and a non-zero exit.
"""

from __future__ import annotations

import logging
import sys

import typer
from neo4j.exceptions import DriverError, Neo4jError

from ontology.errors import TechregError

from . import analyze, data, ingest, query, server
from .output import err

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
                data.counts, data.stats):
    app.command()(command)
for command in (server.start, server.stop, server.status):
    neo4j_app.command()(command)
for command in (analyze.centrality, analyze.communities, analyze.path, analyze.similar,
                analyze.exposure):
    analyze_app.command()(command)
for command in (ingest.propose, ingest.accept, ingest.undo):
    resolve_app.command()(command)


def main() -> None:
    """Entry point: run the app, turning known failures into one line and a non-zero exit."""
    # The driver logs each retry of a managed transaction; the user gets our one line instead.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    logging.getLogger("neo4j").propagate = False
    try:
        code = app(standalone_mode=False)
    except TechregError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
        sys.exit(e.exit_code)
    except Neo4jError as e:
        err.print(f"[red]error:[/red] Neo4j: {e.message or e}", highlight=False, soft_wrap=True)
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
    except Exception as e:  # click's usage errors
        import click

        if isinstance(e, click.exceptions.ClickException):
            e.show()
            sys.exit(e.exit_code)
        raise
    sys.exit(code if isinstance(code, int) else 0)
