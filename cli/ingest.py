"""Bringing documents and tables in: `techreg ingest`, `ingest-table` and `resolve`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graph import db as dbmod
from ontology.errors import unknown_id

from .output import err, out


def ingest(
    files: Annotated[list[Path], typer.Argument(help="Plain text, Markdown, HTML or PDF documents")],
    title: Annotated[str | None, typer.Option(help="The document's title")] = None,
    publisher: Annotated[str | None, typer.Option(help="Who published it")] = None,
    published: Annotated[str | None, typer.Option(help="Its date: YYYY, YYYY-MM or YYYY-MM-DD")]
    = None,
    url: Annotated[str | None, typer.Option(help="Where it can be read")] = None,
    encoding: Annotated[str | None, typer.Option(help="Its encoding when not UTF-8, e.g. latin-1")]
    = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for suggested records")]
    = Path("suggestions"),
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document per input "
                                                         "(for pipelines) instead of the report")]
    = False,
) -> None:
    """Ingest documents: a Source with mentions of known entities in Neo4j, a report, and
    suggested records (not data until a person moves them into data/)."""
    import json

    from loaders.ingest import GraphContext, ingest_document, read_document
    from loaders.resolve import EntityIndex

    for path in files:  # unreadable files fail before anything is written
        read_document(path, encoding)
    with dbmod.connect() as db:
        index = EntityIndex.from_db(db)
        context = GraphContext.from_db(db)
        for path in files:
            report = ingest_document(path, db, title=title, publisher=publisher,
                                     published=published, url=url, encoding=encoding,
                                     suggestions=output, index=index, context=context)
            if as_json:
                print(json.dumps(report.as_json(), ensure_ascii=False), flush=True)
            else:
                print_report(report)


def print_report(report) -> None:
    meta = report.meta
    out.print(f"[bold]{report.path}[/bold]: source {report.source} "
              f"({meta.get('title') or 'no title'}; {meta.get('publisher') or 'publisher unknown'}; "
              f"{meta.get('published') or 'undated'})", highlight=False)
    out.print(f"graph <{report.graph}>: " + ("written" if report.changed else "unchanged"),
              highlight=False)
    table = Table("known entity", "mentions", "as written", title="entities mentioned")
    for entity, count in report.entities().items():
        texts = sorted({m.text for m in report.mentions if m.entity == entity})
        table.add_row(entity, str(count), ", ".join(texts))
    out.print(table)
    for m in report.mentions:
        if m.how != "name":
            out.print(f"linked ({m.how}, score {m.score:.2f}): '{m.text}' at {m.start}-{m.end} "
                      f"-> {m.entity}", highlight=False)
    for a in report.ambiguous:
        scores = [f"{c} ({s:.2f})" for c, s in zip(a.candidates, a.scores, strict=True)] \
            if a.scores else list(a.candidates)
        out.print(f"ambiguous: '{a.text}' at {a.start}-{a.end} could be "
                  f"{' or '.join(scores)}: not linked", highlight=False)
    for rank, d in enumerate(report.disputes[:3], start=1):
        linked = " [linked]" if d.dispute == report.dispute else ""
        out.print(f"dispute #{rank}: {d.dispute} (score {d.score:.2f}){linked}: "
                  + "; ".join(map(str, d.evidence[:6])), highlight=False)
    for e in report.events:
        out.print(f"proceeding ({e.verdict}{' ' + e.record if e.record else ''}): {e.describe()}"
                  f": {e.sentence}", highlight=False, soft_wrap=True)
    if report.filtered:
        out.print("filtered: " + ", ".join(f"{k} {v}" for k, v in report.filtered.items()),
                  highlight=False)
    for u in report.unknown:
        hint = ("; closest: " + ", ".join(map(str, u.proposals))) if u.proposals else ""
        out.print(f"unknown name: '{u.text}' at {u.start}-{u.end}{hint}", highlight=False)
    if report.money:
        out.print("amounts: " + "; ".join(f"{m.currency} {m.amount:,} ('{m.text}')"
                                         for m in report.money), highlight=False)
    if report.dates:
        out.print("dates: " + ", ".join(sorted({d.value for d in report.dates})), highlight=False)
    for r in report.references:
        out.print(f"{r.kind}: '{r.text}'" + (f" -> {r.entity}" if r.entity else " (not in the graph)"),
                  highlight=False)
    for fact in report.facts:
        out.print(f"fact ({fact.verdict}): {fact.describe()}", highlight=False)
        for c in fact.checks:
            out.print(f"  {c.field}: document {c.document}; graph {c.graph} in {c.record} "
                      f"[{c.verdict}]", highlight=False)
            for source in c.sources[:3]:
                out.print(f"    graph source: {source}", highlight=False)
            if len(c.sources) > 3:
                out.print(f"    (and {len(c.sources) - 3} more graph sources)", highlight=False)
        if fact.checks:
            out.print(f"    document source: {report.source} ({report.path})", highlight=False)
    if report.suggestions:
        out.print(f"suggested records: {report.suggestions}", highlight=False)


def ingest_table(
    file: Annotated[Path, typer.Argument(help="A CSV table")],
    mapping: Annotated[Path, typer.Option(help="The mapping file (see mappings/)")],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Records file to write (default: "
                                                     "suggestions/<table>.yaml)")] = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid",
                                               help="Skip rows that fail; write the others")]
    = False,
) -> None:
    """Turn a table's rows into records of the curated format through a mapping; rows that
    fail are reported by row number and nothing is written (unless --skip-invalid)."""
    from loaders.tables import ingest_table as run

    result = run(file, mapping, output=output, skip_invalid=skip_invalid)
    for problem in result.problems:
        out.print(f"row {problem.row}: {problem.message}", highlight=False, soft_wrap=True)
    for name, candidates in result.proposals.items():
        out.print(f"proposal: '{name}' may be " + ", ".join(map(str, candidates))
                  + f" (accept with: techreg resolve accept '{name}' ID)", highlight=False)
    if result.written or (skip_invalid and result.rejects):
        if result.written:
            out.print(f"wrote {len(result.records)} records from {result.rows_used} rows to "
                      f"{result.written}", highlight=False)
        if result.rejects:
            out.print(f"rejected {len(result.skipped)} rows: {result.rejects} (with the reasons)",
                      highlight=False)
    else:
        err.print(f"[red]{len(result.problems)} problem(s); nothing written[/red]")
        raise typer.Exit(1)


def propose(
    names: Annotated[list[str] | None, typer.Argument(help="Names to match (default: look for "
                                                      "duplicate records in data/)")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Only entities of this class")] = None,
) -> None:
    """Score known entities against names (exact, normalised, legal form, shared words)."""
    from loaders.resolve import EntityIndex

    index = EntityIndex.from_records()
    table = Table("name", "candidate", "score", "why")
    if names:
        for name in names:
            for c in index.candidates(name, type_) or []:
                table.add_row(name, c.entity.id, f"{c.score:.2f}", c.how)
    else:
        for entity, c in index.duplicates():
            table.add_row(entity.id, c.entity.id, f"{c.score:.2f}", c.how)
    if table.row_count:
        out.print(table)
    elif names:
        out.print(f"no known entity resembles {', '.join(map(repr, names))}"
                  + (f" among {type_} records" if type_ else ""), highlight=False)
    else:
        out.print("no likely duplicates among the records in data/ (to match names: "
                  "techreg resolve propose NAME...)", highlight=False)


def accept(
    name: Annotated[str, typer.Argument(help="The name as found in a document or table")],
    target: Annotated[str, typer.Argument(help="The record id it stands for")],
    record_id: Annotated[str | None, typer.Option("--id", help="Id of the decision record")] = None,
    source: Annotated[str | None, typer.Option(help="A Source record id supporting it")] = None,
    file: Annotated[Path | None, typer.Option(help="Decisions file (default data/same-as.yaml)")]
    = None,
) -> None:
    """Record that NAME stands for TARGET (a reviewable sameAs record in data/)."""
    from loaders.resolve import SAME_AS_FILE, EntityIndex
    from loaders.resolve import accept as accept_name

    index = EntityIndex.from_records()
    if target not in index.entities:
        raise unknown_id(target, index.entities)
    score = next((f"{c.score:.2f}" for c in index.candidates(name) if c.entity.id == target), "")
    record = accept_name(name, target, index, path=file or SAME_AS_FILE, record_id=record_id,
                    source=source, score=score)
    out.print(f"recorded {record['id']}: '{name}' sameAs {target} in {file or SAME_AS_FILE}",
              highlight=False)


def undo(
    record_id: Annotated[str, typer.Argument(help="The decision record's id")],
    file: Annotated[Path | None, typer.Option(help="Decisions file (default data/same-as.yaml)")]
    = None,
) -> None:
    """Remove an accepted same-as decision."""
    from loaders.resolve import SAME_AS_FILE
    from loaders.resolve import undo as undo_decision

    undo_decision(record_id, file or SAME_AS_FILE)
    out.print(f"removed {record_id}", highlight=False)
