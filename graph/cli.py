"""The `techreg` command: one group, a verb per subcommand, thin over the library."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from neo4j.exceptions import DriverError, Neo4jError
from rich.console import Console
from rich.table import Table

from ontology.errors import TechregError

from . import db as dbmod
from .server import LocalServer

app = typer.Typer(help="techreg: a sourced knowledge graph of tech-regulation disputes.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
neo4j_app = typer.Typer(help="Run the local Neo4j server (not needed when NEO4J_URI is set).",
                        no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
analyze_app = typer.Typer(help="Graph analytics (networkx, igraph) over the graph in Neo4j.",
                          no_args_is_help=True)
app.add_typer(analyze_app, name="analyze")
out = Console()
err = Console(stderr=True)


def _local_server() -> LocalServer:
    from . import settings

    if settings.get("NEO4J_URI"):
        raise TechregError("NEO4J_URI is set, so techreg uses that server and manages none: "
                           "unset NEO4J_URI to use the local one")
    return LocalServer.from_settings()


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the local Neo4j in the background and wait until Bolt answers."""
    server = _local_server()
    with err.status("Starting Neo4j (the first start fetches it from Maven Central)..."):
        state = server.start()
    verb = "started" if state["started"] else "already running"
    out.print(f"Neo4j {verb}: {state['uri']} (pid {state['pid']}, log {state['log']})")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Shut the local Neo4j down cleanly and wait for it."""
    server = _local_server()
    if server.stop():
        out.print("Neo4j stopped")
    else:
        out.print("Neo4j was not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say where Neo4j listens, its version, and whether it answers (exit 1 if it does not)."""
    target = dbmod.Target.from_settings()
    with dbmod.connect(target) as db:
        info = dbmod.server_info(db)
        counts = dbmod.counts(db)
    where = "local server" if target.local else "NEO4J_URI"
    out.print(f"Neo4j {info['version']} {info['edition']} answers at {target.uri} ({where}); "
              f"database {target.database}: {counts['nodes']} nodes, "
              f"{counts['relationships']} relationships")


@app.command()
def load(
    sources: Annotated[list[Path] | None, typer.Argument(
        help="RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD); default: the built dataset."
    )] = None,
    append: Annotated[bool, typer.Option(help="Add statements; remove nothing.")] = False,
    replace_source: Annotated[bool, typer.Option(
        "--replace-source", help="Replace only the source graphs in the input; keep others.")] = False,
    wipe: Annotated[bool, typer.Option(help="Empty the database first (in the same transaction).")]
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
    mode = "append" if append else "replace-source" if replace_source else "replace"
    with err.status("Reading and validating..."):
        data = read_quads(sources or [])
    with dbmod.connect() as db, _progress() as bar:
        task = bar.add_task("writing", total=None)
        summary = load_graph(data, db, mode=mode, wipe=wipe, progress=lambda step, done, total: bar.update(
            task, description=step, completed=done, total=total))
    _print_summary(summary)


@app.command()
def unload(
    source: Annotated[str, typer.Argument(help="A source graph IRI, a file, or a data/ file stem")],
) -> None:
    """Remove everything one source graph asserts, leaving the other sources as they are."""
    from loaders.neo4j import unload as unload_graph
    from loaders.rdf import source_iri
    from loaders.records import GRAPHS

    if "://" in source or source.startswith("urn:"):
        iri = source
    elif Path(source).exists():
        iri = source_iri(Path(source))
    else:
        iri = GRAPHS + source
    with dbmod.connect() as db:
        summary = unload_graph(db, iri)
    if not summary.changed:
        raise TechregError(f"no statements of source <{iri}> are loaded")
    _print_summary(summary)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="ttl, nt, nq, trig or jsonld")] = "nq",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File (default: stdout)")]
    = None,
) -> None:
    """Write the graph in Neo4j back as RDF, using the mapping recorded at load time."""
    from .export import FORMATS
    from .export import export as export_graph

    if fmt not in FORMATS:
        raise TechregError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    with dbmod.connect() as db:
        if output is None:
            count = export_graph(db, sys.stdout.buffer, fmt)
        else:
            if output.is_dir():
                raise TechregError(f"{output}: is a directory; give a file name to write")
            tmp = output.with_name(output.name + ".partial")
            with open(tmp, "wb") as f:
                count = export_graph(db, f, fmt)
            tmp.replace(output)
    err.print(f"exported {count} statements")


def _progress():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True)


def _print_summary(summary) -> None:
    table = Table("", "created", "updated", "deleted", title="load summary")
    table.add_row("nodes", str(summary.nodes_created), str(summary.nodes_updated),
                  str(summary.nodes_deleted))
    table.add_row("relationships", str(summary.relationships_created),
                  str(summary.relationships_updated), str(summary.relationships_deleted))
    out.print(table)
    out.print(f"{summary.triples} triples, {summary.unknown_terms} terms outside the ontology, "
              f"{summary.seconds:.2f} s ({summary.triples_per_second:,.0f} triples/s)"
              + ("" if summary.changed else "; nothing changed"), soft_wrap=True)


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Records files or folders (default: data/)")] = None,
) -> None:
    """Check records with the ontology and SHACL; print each problem as file:line: id: message."""
    from loaders.records import build_dataset
    from ontology.errors import InvalidData

    try:
        with err.status("Validating records..."):
            dataset = build_dataset(paths)
    except InvalidData as e:
        for problem in e.problems:
            out.print(str(problem), highlight=False, soft_wrap=True)
        err.print(f"[red]{len(e.problems)} problem(s)[/red]")
        raise typer.Exit(1) from None
    records = len({s for s, _, _, g in dataset.quads() if not str(g).endswith("/vocabularies")})
    out.print(f"valid: {records} subjects, {len(list(dataset.quads()))} statements")


@app.command()
def build(
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder")] = Path("out"),
) -> None:
    """Compile data/ into RDF: techreg.ttl, techreg.trig and techreg.nq (a graph per file)."""
    from loaders.records import build_dataset, write_outputs

    dataset = build_dataset()
    for path in write_outputs(dataset, output):
        out.print(f"wrote {path}")


@app.command()
def docs(
    output: Annotated[Path, typer.Option("-o", "--output")] = Path("docs/ontology.md"),
) -> None:
    """Regenerate the ontology reference from the ontology."""
    from ontology.reference import render_reference

    output.write_text(render_reference())
    out.print(f"wrote {output}")


@app.command()
def query(
    name: Annotated[str | None, typer.Argument(help="A research question (see --list)")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the research questions")] = False,
    cypher: Annotated[str | None, typer.Option(
        "--cypher", help="Run your own read-only Cypher (timeout and row limit apply)")] = None,
) -> None:
    """Ask a research question (Cypher on Neo4j), or run read-only Cypher of your own."""
    from . import queries
    from .console import run_readonly

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
            result = queries.run_cypher(db, queries.get(name), _params(param))
        else:
            raise TechregError("name a question (techreg query --list), or give --cypher '...'")
    _print_result(result.columns, result.rows, fmt)
    if getattr(result, "truncated", False):
        err.print(f"[yellow]stopped at the row limit ({len(result.rows)} rows)[/yellow]")


@app.command()
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
    from . import sparql as sparqlmod

    if (text is None) == (input_ is None):
        raise TechregError("give the query as an argument or with -i FILE (one of them)")
    if input_ is not None:
        from loaders.rdf import check_file

        check_file(input_)
        text = input_.read_text()
    if built:
        from loaders.records import build_dataset

        store = sparqlmod.store_from_dataset(build_dataset())
    else:
        with dbmod.connect() as db:
            store = sparqlmod.store_from_neo4j(db)
    sys.stdout.buffer.write(sparqlmod.query(store, text, fmt))


@app.command("serve-sparql")
def serve_sparql(
    host: Annotated[str, typer.Option(help="Address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 7878,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run")] = 10.0,
    limit: Annotated[int, typer.Option(help="Result rows at most")] = 10000,
    cors: Annotated[str | None, typer.Option(help="Access-Control-Allow-Origin value")] = None,
    allow_service: Annotated[bool, typer.Option(help="Allow SERVICE (federated) queries")] = False,
    built: Annotated[bool, typer.Option(help="Serve the RDF built from data/ instead of Neo4j")]
    = False,
) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol (read-only) at http://HOST:PORT/sparql."""
    from . import endpoint

    endpoint.run(host=host, port=port, timeout=timeout, limit=limit, cors=cors,
                 allow_service=allow_service, built=built)


JurisdictionOpt = Annotated[str | None, typer.Option(help="Slice: disputes in this jurisdiction "
                                                   "(a record id such as be)")]
TopicOpt = Annotated[str | None, typer.Option(help="Slice: disputes on this topic code")]
SinceOpt = Annotated[str | None, typer.Option(help="Slice: disputes active on or after this date")]
UntilOpt = Annotated[str | None, typer.Option(help="Slice: disputes started by this date")]
JsonOpt = Annotated[bool, typer.Option("--json", help="JSON output (for the explorer)")]


def _slice(jurisdiction, topic, since, until):
    from .analytics import Slice

    return Slice(jurisdiction, topic, since, until)


def _rows_out(rows: list[dict], as_json: bool) -> None:
    import json

    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=str) + "\n")
        return
    if not rows:
        out.print("no results")
        return
    _print_result(list(rows[0]), [list(r.values()) for r in rows], "table")


@analyze_app.command("centrality")
def analyze_centrality(
    kind: Annotated[list[str] | None, typer.Option(help="Only this kind (Company, Law, Court, "
                                                   "Regulator...); repeatable")] = None,
    top: Annotated[int, typer.Option(help="How many")] = 10,
    jurisdiction: JurisdictionOpt = None, topic: TopicOpt = None, since: SinceOpt = None,
    until: UntilOpt = None, as_json: JsonOpt = False,
) -> None:
    """The most central entities by PageRank, with betweenness and degree."""
    from . import analytics

    with dbmod.connect() as db:
        graph = analytics.project(db, _slice(jurisdiction, topic, since, until))
    _rows_out(analytics.centrality(graph, kind, top), as_json)


@analyze_app.command("communities")
def analyze_communities(
    jurisdiction: JurisdictionOpt = None, topic: TopicOpt = None, since: SinceOpt = None,
    until: UntilOpt = None, as_json: JsonOpt = False,
) -> None:
    """Communities of densely connected entities (Louvain), largest first."""
    from . import analytics

    with dbmod.connect() as db:
        graph = analytics.project(db, _slice(jurisdiction, topic, since, until))
    _rows_out(analytics.communities(graph), as_json)


@analyze_app.command("path")
def analyze_path(
    start: Annotated[str, typer.Argument(help="A record id, e.g. microsoft")],
    end: Annotated[str, typer.Argument(help="A record id, e.g. court-first-instance-antwerp-mechelen")],
    as_json: JsonOpt = False,
) -> None:
    """How two entities are connected: the shortest explanatory chain of hops."""
    from . import analytics

    with dbmod.connect() as db:
        hops = analytics.path(analytics.project(db), start, end)
    if as_json:
        _rows_out(hops, True)
    else:
        out.print(analytics.describe_path(hops), highlight=False, soft_wrap=True)


@analyze_app.command("similar")
def analyze_similar(
    dispute: Annotated[str, typer.Argument(help="A dispute's record id")],
    top: Annotated[int, typer.Option(help="How many")] = 5,
    as_json: JsonOpt = False,
) -> None:
    """Disputes most like one, by shared laws, parties, topics and jurisdictions, with why."""
    from . import analytics

    with dbmod.connect() as db:
        _rows_out(analytics.similar(db, dispute, top), as_json)


@analyze_app.command("exposure")
def analyze_exposure(
    company: Annotated[str, typer.Argument(help="A company's record id")],
    as_json: JsonOpt = False,
) -> None:
    """A company's disputes, including subsidiaries' and those of companies it bought
    (counted only from the acquisition on)."""
    from . import analytics

    with dbmod.connect() as db:
        rows = analytics.exposure(db, company)
    _rows_out(rows, as_json)
    if not as_json:
        counted = sum(1 for r in rows if r["counted"] is True)
        out.print(f"{counted} disputes count towards {company}'s exposure")


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Plain text, Markdown or HTML documents")],
    title: Annotated[str | None, typer.Option(help="The document's title")] = None,
    publisher: Annotated[str | None, typer.Option(help="Who published it")] = None,
    published: Annotated[str | None, typer.Option(help="Its date: YYYY, YYYY-MM or YYYY-MM-DD")]
    = None,
    url: Annotated[str | None, typer.Option(help="Where it can be read")] = None,
    encoding: Annotated[str | None, typer.Option(help="Its encoding when not UTF-8, e.g. latin-1")]
    = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for suggested records")]
    = Path("suggestions"),
) -> None:
    """Ingest documents: a Source with mentions of known entities in Neo4j, a report, and
    suggested records (not data until a person moves them into data/)."""
    from loaders.ingest import ingest_document, read_document
    from loaders.resolve import EntityIndex

    for path in files:  # unreadable files fail before anything is written
        read_document(path, encoding)
    with dbmod.connect() as db:
        index = EntityIndex.from_db(db)
        for path in files:
            report = ingest_document(path, db, title=title, publisher=publisher,
                                     published=published, url=url, encoding=encoding,
                                     suggestions=output, index=index)
            _print_ingest_report(report)


def _print_ingest_report(report) -> None:
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
    for a in report.ambiguous:
        out.print(f"ambiguous: '{a.text}' at {a.start}-{a.end} could be "
                  f"{' or '.join(a.candidates)}: not linked", highlight=False)
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


@app.command("ingest-table")
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
    if result.written:
        out.print(f"wrote {len(result.records)} records from {result.rows_used} rows to "
                  f"{result.written}" + (f"; skipped {len(result.skipped)} rows"
                                         if result.skipped else ""), highlight=False)
    else:
        err.print(f"[red]{len(result.problems)} problem(s); nothing written[/red]")
        raise typer.Exit(1)


resolve_app = typer.Typer(help="Entity resolution: propose, accept and undo same-as decisions.",
                          no_args_is_help=True)
app.add_typer(resolve_app, name="resolve")


@resolve_app.command("propose")
def resolve_propose(
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
    out.print(table)


@resolve_app.command("accept")
def resolve_accept(
    name: Annotated[str, typer.Argument(help="The name as found in a document or table")],
    target: Annotated[str, typer.Argument(help="The record id it stands for")],
    record_id: Annotated[str | None, typer.Option("--id", help="Id of the decision record")] = None,
    source: Annotated[str | None, typer.Option(help="A Source record id supporting it")] = None,
    file: Annotated[Path | None, typer.Option(help="Decisions file (default data/same-as.yaml)")]
    = None,
) -> None:
    """Record that NAME stands for TARGET (a reviewable sameAs record in data/)."""
    from loaders.resolve import SAME_AS_FILE, EntityIndex, accept

    index = EntityIndex.from_records()
    score = next((f"{c.score:.2f}" for c in index.candidates(name) if c.entity.id == target), "")
    record = accept(name, target, index, path=file or SAME_AS_FILE, record_id=record_id,
                    source=source, score=score)
    out.print(f"recorded {record['id']}: '{name}' sameAs {target} in {file or SAME_AS_FILE}",
              highlight=False)


@resolve_app.command("undo")
def resolve_undo(
    record_id: Annotated[str, typer.Argument(help="The decision record's id")],
    file: Annotated[Path | None, typer.Option(help="Decisions file (default data/same-as.yaml)")]
    = None,
) -> None:
    """Remove an accepted same-as decision."""
    from loaders.resolve import SAME_AS_FILE, undo

    undo(record_id, file or SAME_AS_FILE)
    out.print(f"removed {record_id}", highlight=False)


def _params(pairs: list[str] | None) -> dict[str, str]:
    result = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise TechregError(f"--param takes NAME=VALUE, not {pair!r}")
        result[name.strip()] = value.strip()
    return result


def _print_result(columns: list[str], rows: list[list], fmt: str) -> None:
    import csv
    import json

    if fmt == "json":
        out.print_json(json.dumps([dict(zip(columns, row, strict=True)) for row in rows],
                                  default=str))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "table":
        from ontology import ID

        table = Table(*columns)
        for row in rows:  # record ids read better than full IRIs in a table
            table.add_row(*("" if v is None else str(v).removeprefix(str(ID)) for v in row))
        out.print(table)
        out.print(f"{len(rows)} rows")
    else:
        raise TechregError(f"unknown format {fmt!r}; use table, csv or json")


@app.command()
def counts() -> None:
    """Nodes per label and relationship counts in Neo4j."""
    from . import cypher

    with dbmod.connect() as db:
        total = dbmod.counts(db)
        rows = db.execute_query(cypher.LABEL_COUNTS).records
    table = Table("label", "nodes")
    for row in rows:
        table.add_row(row["label"], str(row["count"]))
    out.print(table)
    out.print(f"{total['nodes']} nodes, {total['relationships']} relationships")


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


if __name__ == "__main__":
    main()
