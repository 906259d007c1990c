"""The data commands: validate and build the records, load and unload RDF, export, count."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graph import db as dbmod
from ontology.errors import TechregError, UsageError

from .output import err, out, print_summary, progress


def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Records files or folders (default: data/)")] = None,
) -> None:
    """Check records with the ontology and SHACL; print each problem as file:line: id: message."""
    from loaders.records import build_dataset, count_subjects
    from ontology.errors import InvalidData

    try:
        with err.status("Validating records..."):
            dataset = build_dataset(paths)
    except InvalidData as e:
        for problem in e.problems:
            out.print(str(problem), highlight=False, soft_wrap=True)
        err.print(f"[red]{len(e.problems)} problem(s)[/red]")
        raise typer.Exit(1) from None
    out.print(f"valid: {count_subjects(dataset)} subjects, {len(list(dataset.quads()))} statements")


def build(
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder")] = Path("out"),
) -> None:
    """Compile data/ into RDF: techreg.ttl, techreg.trig and techreg.nq (a graph per file)."""
    from loaders.records import build_dataset, write_outputs

    dataset = build_dataset()
    for path in write_outputs(dataset, output):
        out.print(f"wrote {path}")


def docs(
    output: Annotated[Path, typer.Option("-o", "--output")] = Path("docs/ontology.md"),
) -> None:
    """Regenerate the ontology reference from the ontology."""
    from ontology.reference import render_reference

    output.write_text(render_reference())
    out.print(f"wrote {output}")


def stats(
    markdown: Annotated[bool, typer.Option(
        "--markdown", help="Write the tables as Markdown to --output instead of printing them")] = False,
    output: Annotated[Path, typer.Option("-o", "--output")] = Path("docs/coverage.md"),
) -> None:
    """Coverage of data/: disputes by jurisdiction, topic and year; proceedings by type; the
    share of primary sources; unverified facts."""
    from loaders.coverage import coverage, tables
    from loaders.coverage import markdown as to_markdown
    from loaders.records import build_dataset

    with err.status("Building the dataset..."):
        cov = coverage(build_dataset())
    if markdown:
        output.write_text(to_markdown(cov))
        out.print(f"wrote {output}")
        return
    for title, header, rows in tables(cov):
        table = Table(*header, title=title)
        for row in rows:
            table.add_row(*(str(x) for x in row))
        out.print(table)


def load(
    sources: Annotated[list[Path] | None, typer.Argument(
        help="RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD); default: the built dataset."
    )] = None,
    append: Annotated[bool, typer.Option(help="Add statements; remove nothing.")] = False,
    replace_source: Annotated[bool, typer.Option(
        "--replace-source", help="Replace only the source graphs in the input; keep others.")] = False,
    wipe: Annotated[bool, typer.Option(help="Empty the database first (in the same transaction).")]
    = False,
    bulk: Annotated[bool, typer.Option(help="First load into the local server's empty database "
                                       "through neo4j-admin import (stops and restarts it).")]
    = False,
) -> None:
    """Load RDF into Neo4j: validated first, written in one transaction, idempotent.

    By default the graph afterwards is exactly the input: what was removed from the input
    is removed from Neo4j.
    """
    from loaders.neo4j import load as load_graph
    from loaders.rdf import read_quads

    if append and replace_source:
        raise TechregError("choose --append or --replace-source, not both")
    if bulk:
        from loaders.bulk import bulk_load

        if append or replace_source or wipe:
            raise TechregError("--bulk is a first load into an empty database: it takes no "
                               "--append, --replace-source or --wipe")
        with progress() as bar:
            task = bar.add_task("bulk load", total=None)
            summary = bulk_load(sources or [], progress=lambda step, done, total: bar.update(
                task, description=step, completed=done, total=total or None))
        print_summary(summary)
        return
    mode = "append" if append else "replace-source" if replace_source else "replace"
    with err.status("Reading and validating..."):
        data = read_quads(sources or [])
    with dbmod.connect() as db, progress() as bar:
        task = bar.add_task("writing", total=None)
        summary = load_graph(data, db, mode=mode, wipe=wipe, progress=lambda step, done, total: bar.update(
            task, description=step, completed=done, total=total))
    print_summary(summary)


def unload(
    source: Annotated[str, typer.Argument(help="A source graph IRI, a file, or a data/ file stem")],
) -> None:
    """Remove everything one source graph asserts, leaving the other sources as they are."""
    from loaders.neo4j import unload as unload_graph
    from loaders.rdf import source_graph

    iri = source_graph(source)
    with dbmod.connect() as db:
        summary = unload_graph(db, iri)
    if not summary.changed:
        raise TechregError(f"no statements of source <{iri}> are loaded")
    print_summary(summary)


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="ttl, nt, nq, trig or jsonld")] = "nq",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File (default: stdout)")]
    = None,
) -> None:
    """Write the graph in Neo4j back as RDF, using the mapping recorded at load time."""
    from graph.export import FORMATS, export_file
    from graph.export import export as export_graph

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    with dbmod.connect() as db:
        count = (export_graph(db, sys.stdout.buffer, fmt) if output is None
                 else export_file(db, output, fmt))
    err.print(f"exported {count} statements")


def counts() -> None:
    """Nodes per label and relationship counts in Neo4j."""
    with dbmod.connect() as db:
        total = dbmod.counts(db)
        rows = dbmod.label_counts(db)
    table = Table("label", "nodes")
    for label, count in rows:
        table.add_row(label, str(count))
    out.print(table)
    out.print(f"{total['nodes']} nodes, {total['relationships']} relationships")
