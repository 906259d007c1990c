"""Reading the graph: research questions and Cypher, SPARQL, the SPARQL endpoint."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graph import db as dbmod
from ontology.errors import TechregError, UsageError

from .output import err, out, print_result


def query(
    name: Annotated[str | None, typer.Argument(help="A research question (see --list)")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the research questions")] = False,
    cypher: Annotated[str | None, typer.Option(
        "--cypher", help="Run your own read-only Cypher (timeout and row limit apply)")] = None,
) -> None:
    """Ask a research question (Cypher on Neo4j), or run read-only Cypher of your own."""
    from graph import ids, queries
    from graph.console import run_readonly

    if fmt not in TABLE_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use {', '.join(TABLE_FORMATS)}")
    if list_:
        table = Table("name", "title", "parameters")
        for q in queries.library().values():
            table.add_row(q.name, q.title, ", ".join(
                f"{p.name}: {p.type}" + (f" = {p.default}" if p.default else "") for p in q.params))
        out.print(table)
        return
    with dbmod.connect() as db:
        if cypher is not None:
            result = run_readonly(db, cypher)
        elif name:
            question, given = queries.get(name), parse_params(param)
            ids.require_params(db, question, given)
            result = queries.run_cypher(db, question, given)
        else:
            raise TechregError("name a question (techreg query --list), or give --cypher '...'")
    print_result(result.columns, result.rows, fmt)
    if getattr(result, "truncated", False):
        err.print(f"[yellow]stopped at the row limit ({len(result.rows)} rows)[/yellow]")


TABLE_FORMATS = ("table", "csv", "json")


def parse_params(pairs: list[str] | None) -> dict[str, str]:
    """NAME=VALUE pairs as a dict."""
    result = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise TechregError(f"--param takes NAME=VALUE, not {pair!r}")
        result[name.strip()] = value.strip()
    return result


def sparql(
    text: Annotated[str | None, typer.Argument(help="A SPARQL 1.1 query")] = None,
    input_: Annotated[Path | None, typer.Option("-i", "--input", help="Read the query from a file")]
    = None,
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     help="csv, tsv, json, xml; for graphs ttl, nt, jsonld")] = "csv",
    built: Annotated[bool, typer.Option(help="Query the RDF built from data/ instead of Neo4j")]
    = False,
) -> None:
    """Run a SPARQL query over the graph as exported from Neo4j (or the built RDF)."""
    from graph import sparql as sparqlmod

    if (text is None) == (input_ is None):
        raise TechregError("give the query as an argument or with -i FILE (one of them)")
    if fmt not in {**sparqlmod.RESULT_FORMATS, **sparqlmod.GRAPH_FORMATS}:
        raise UsageError(f"unknown format {fmt!r}; use one of "
                         f"{', '.join([*sparqlmod.RESULT_FORMATS, *sparqlmod.GRAPH_FORMATS])}")
    if input_ is not None:
        from loaders.rdf import check_file

        check_file(input_)
        text = input_.read_text()
    sys.stdout.buffer.write(sparqlmod.query(graph_store(built), text, fmt))


def serve_sparql(
    host: Annotated[str, typer.Option(help="Address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port", min=0, max=65535)] = 7878,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run",
                                           callback=lambda v: positive(v))] = 10.0,
    limit: Annotated[int, typer.Option(help="Result rows at most", min=1)] = 10000,
    cors: Annotated[str | None, typer.Option(help="Access-Control-Allow-Origin value")] = None,
    allow_service: Annotated[bool, typer.Option(help="Allow SERVICE (federated) queries")] = False,
    built: Annotated[bool, typer.Option(help="Serve the RDF built from data/ instead of Neo4j")]
    = False,
) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol (read-only) at http://HOST:PORT/sparql."""
    from graph import endpoint

    endpoint.run(graph_store(built), host=host, port=port, timeout=timeout, limit=limit,
                 cors=cors, allow_service=allow_service)


def positive(value: float) -> float:
    """A number that must be more than 0 (click's ranges have no open bound in Typer)."""
    if value <= 0:
        raise typer.BadParameter(f"{value:g} is not more than 0")
    return value


def graph_store(built: bool):
    """A pyoxigraph store of the graph as exported from Neo4j, or of the RDF built from data/."""
    from graph import sparql as sparqlmod

    if built:
        from loaders.records import build_dataset

        return sparqlmod.store_from_dataset(build_dataset())
    with dbmod.connect() as db:
        return sparqlmod.store_from_neo4j(db)
