"""RDF -> Neo4j through Neo4j's own store writer (`neo4j-admin database import`): the bulk
first load (`techreg load --bulk`) of the local server.

It writes exactly what the transactional load (loaders.neo4j) writes into an empty
database: the same nodes, labels, properties (with `_hash`, `_digest`, `_types`,
`name^^`), relationships with their `_graphs`, the mapping node, the lock node, the indexes
and the constraints; so export is identical and a later `techreg load` of the same input
changes nothing. The mapping is the one mapping (ontology.mapping), applied subject by
subject to a stream:

1. read and check the input (loaders.rdf.read_quads, without keeping the files' text);
2. stream its statements, in input order, as text lines `subject TAB statement` into
   sorted runs on disk, and map one statement of each kind (predicate, datatype, class)
   in input order, which fixes every name and declared datatype as a whole-input mapping
   would;
3. merge the runs, so each subject's statements come together, and map a few thousand
   subjects at a time with those names: nodes go to CSV files (one per set of property
   types), relationships to two more; nodes that are only ever objects are found by
   merging the sorted ends with the sorted subjects;
4. stop the server, move the empty database aside, run the importer, start the server
   (on a failure the empty database is put back and the server started again);
5. create the indexes and constraints, the lock and mapping nodes, and wait for the
   indexes.

Memory is bounded by the run size and the chunk of subjects mapped at once, not by the
input: statements with blank nodes and records (both held in memory by read_quads, and
small in practice) aside.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from graph import cypher, settings
from graph.server import LocalServer, provision
from ontology.errors import TechregError
from ontology.mapping import RDF_TYPE, Mapping, node_id, to_property_graph

from .neo4j import SOURCE, LoadSummary, _bare, _no_cyclic_gc
from .rdf import _digest, read_quads, statements

Progress = Callable[[str, int, int], None]  # (phase, done, total)

RUN_LINES = 400_000  # statements sorted in memory at once (about 100 MB of text)
CHUNK_LINES = 50_000  # statements mapped at once
ARRAY = "\x1f"  # the importer's array delimiter (unit separator): `;` occurs in text
_HEADER_NAME = re.compile(r'^[^:,"\x00-\x1f]+$')


def bulk_load(paths: list[Path] | None, server: LocalServer | None = None, *,
              progress: Progress | None = None, workdir: Path | None = None,
              keep_files: bool = False) -> LoadSummary:
    """Load RDF (records, RDF files; default data/) into the local server's empty database
    through neo4j-admin import. Refuses, touching nothing, when NEO4J_URI is set, when the
    database holds anything, or when the input is invalid."""
    started = time.perf_counter()
    report = progress or (lambda phase, done, total: None)
    if settings.get("NEO4J_URI"):
        raise TechregError("--bulk writes the local server's store and NEO4J_URI names another "
                           "server: unset NEO4J_URI, or load without --bulk")
    server = server or LocalServer.from_settings()
    database = settings.get("NEO4J_DATABASE")
    report("checking the database", 0, 0)
    _check_empty(server, database)
    report("reading and validating", 0, 0)
    data = read_quads(list(paths or []), keep_lines=False)
    total = data.file_statements + len(data.quads)
    folder = Path(tempfile.mkdtemp(prefix="bulk-", dir=workdir or server.home))
    try:
        with _no_cyclic_gc():
            written = write_import_files(data, folder, total, report)
        _check_empty(server, database)  # nothing was written meanwhile
        _import(server, database, folder, written, report)
    finally:
        if not keep_files:
            shutil.rmtree(folder, ignore_errors=True)
    report("creating indexes", 0, 0)
    _finish(server, database, written["mapping"])
    return LoadSummary(triples=written["statements"], nodes_created=written["nodes"],
                       relationships_created=written["relationships"],
                       unknown_terms=len(written["mapping"].unknown),
                       seconds=time.perf_counter() - started)


# --- the database before and after ------------------------------------------------------------

def _connect(server: LocalServer, database: str):
    from graph.db import Target, connect

    return connect(Target(server.uri, "neo4j", server.password(), database, local=True))


def _schema_names() -> set[str]:
    return {re.search(r"(?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS", s).group(1)
            for s in cypher.SCHEMA}


def _check_empty(server: LocalServer, database: str) -> None:
    if not server.state():
        raise TechregError("the local Neo4j is not running: run `techreg neo4j start` "
                           "(--bulk needs the local server)")
    with _connect(server, database) as db:
        nodes = db.execute_query(cypher.BULK_NODES_IN_USE).records[0]["nodes"]
        if nodes:
            raise TechregError(f"--bulk needs an empty database and {database!r} holds {nodes} "
                               "nodes: load without --bulk, or empty it first")
        others = sorted(set(db.execute_query(cypher.BULK_INDEXES).records[0]["names"])
                        - _schema_names())
        if others:
            raise TechregError(f"--bulk replaces the store and {database!r} has indexes or "
                               f"constraints techreg did not make ({', '.join(others)}): drop "
                               "them, or load without --bulk")


def _finish(server: LocalServer, database: str, mapping: Mapping) -> None:
    with _connect(server, database) as db:
        for statement in cypher.SCHEMA:
            db.execute_query(statement)
        db.execute_query(cypher.LOCK)
        db.execute_query(cypher.WRITE_MAPPING, {"json": mapping.to_json()})
        db.execute_query(cypher.AWAIT_INDEXES, {"seconds": 3600})


# --- statements -> import files ---------------------------------------------------------------

def write_import_files(data, folder: Path, total: int = 0,
                       progress: Progress | None = None) -> dict:
    """The importer's CSV files for the input, in `folder`; returns what was written:
    node files (header inside), relationship files, multi-line files, counts, mapping."""
    report = progress or (lambda phase, done, total: None)
    runs: list[Path] = []
    firsts: dict[tuple, tuple] = {}
    buffer: list[str] = []
    count = 0
    for statement in statements(data, SOURCE):
        start, p, o, g = statement
        buffer.append(f"{start}\t{p} {o} <{g}>\n")
        if type(o) is ox.Literal:
            key = (p.value, None if o.language else o.datatype.value)
        else:
            key = (p.value, o.value if p.value == RDF_TYPE and type(o) is ox.NamedNode else 0)
        if key not in firsts:
            firsts[key] = statement
        count += 1
        if len(buffer) >= RUN_LINES:
            runs.append(_write_run(buffer, folder, len(runs)))
            report("sorting statements", count, total)
    if buffer:
        runs.append(_write_run(buffer, folder, len(runs)))
    report("sorting statements", count, count)
    # One statement of each kind, in input order, gives the names and declared datatypes
    # that mapping the whole input at once would give (the first value seen declares).
    names = to_property_graph(firsts.values(), data.prefixes).mapping
    del firsts

    nodes = _NodeFiles(folder)
    rels = _RelationshipFiles(folder)
    subjects_file = folder / "subjects.txt"
    end_runs: list[Path] = []
    ends: set[str] = set()
    done = 0
    with subjects_file.open("w", encoding="utf-8", newline="\n") as subjects_out:
        for chunk in _chunks(_merged(runs)):
            pg = to_property_graph(_parse(chunk), data.prefixes, names)
            for subject, lines in chunk:
                node = pg.nodes[subject]
                node["props"]["_digest"] = _digest(lines)
                nodes.add(node["labels"], node["props"])
                subjects_out.write(subject + "\n")
                done += len(lines)
            described = {subject for subject, _ in chunk}
            ends.update(uri for uri in pg.nodes if uri not in described)
            for (start, rel_type, end), graphs in pg.rels.items():
                graph = pg.nodes[start]["props"].get("_graph")
                rels.add(start, rel_type, end,
                         None if graph is not None and graphs == {graph} else sorted(graphs))
            nodes.flush()
            rels.flush()
            if len(ends) >= RUN_LINES:
                end_runs.append(_write_run([uri + "\n" for uri in ends], folder,
                                           len(end_runs), "ends"))
                ends.clear()
            report("mapping", done, count)
    if ends:
        end_runs.append(_write_run([uri + "\n" for uri in ends], folder, len(end_runs), "ends"))
    for uri in _only_ends(end_runs, subjects_file):
        bare = _bare(uri)
        nodes.add(bare["labels"], bare["props"])
    nodes.flush()
    rels.flush()
    for run in runs + end_runs:
        run.unlink()
    subjects_file.unlink()
    mapping = Mapping()
    mapping.merge(names)
    return {"nodes": nodes.count, "relationships": rels.count, "statements": count,
            "node_files": nodes.files(), "relationship_files": rels.files(),
            "multiline": nodes.multiline + rels.multiline, "mapping": mapping}


def _write_run(lines: list[str], folder: Path, index: int, kind: str = "run") -> Path:
    lines.sort()
    path = folder / f"{kind}-{index:05d}.txt"
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.writelines(lines)
    lines.clear()
    return path


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="\n") as f:
        yield from f


def _merged(runs: list[Path]) -> Iterator[tuple[str, list[str]]]:
    """(subject, its statements as text, sorted) from sorted runs: a subject never contains a
    tab, and a tab sorts before every character an IRI or a blank node label may hold, so
    each subject's lines come together."""
    subject, lines = None, []
    for line in heapq.merge(*(_lines(run) for run in runs)):
        start, _, rest = line.partition("\t")
        if start != subject:
            if subject is not None:
                yield subject, lines
            subject, lines = start, []
        lines.append(rest[:-1])
    if subject is not None:
        yield subject, lines


def _chunks(subjects: Iterable[tuple[str, list[str]]]) -> Iterator[list]:
    chunk, size = [], 0
    for subject, lines in subjects:
        chunk.append((subject, lines))
        size += len(lines)
        if size >= CHUNK_LINES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _parse(chunk: list) -> Iterator[tuple]:
    """The chunk's statements as (subject node id, predicate, object, graph), as
    loaders.rdf.statements gives them."""
    text = "".join(f"{subject if subject.startswith('_:') else f'<{subject}>'} {line} .\n"
                   for subject, lines in chunk for line in lines)
    for quad in ox.parse(text, format=ox.RdfFormat.N_QUADS):
        yield node_id(quad.subject), quad.predicate, quad.object, quad.graph_name.value


def _only_ends(end_runs: list[Path], subjects_file: Path) -> Iterator[str]:
    """Nodes that are objects and never subjects: the sorted, de-duplicated ends minus the
    sorted subjects."""
    subjects = (line[:-1] for line in _lines(subjects_file))
    subject = next(subjects, None)
    previous = None
    for line in heapq.merge(*(_lines(run) for run in end_runs)):
        uri = line[:-1]
        if uri == previous:
            continue
        previous = uri
        while subject is not None and subject < uri:
            subject = next(subjects, None)
        if uri != subject:
            yield uri


# --- CSV for neo4j-admin import ---------------------------------------------------------------

def _kind(value) -> str:
    """The importer's type of a value, as the driver would store it."""
    kind = type(value)
    if kind is bool:
        return "boolean"
    if kind is int:
        return "long"
    if kind is float:
        return "double"
    if kind is str:
        return "string"
    if kind is dt.datetime:
        return "datetime" if value.tzinfo is not None else "localdatetime"
    if kind is dt.date:
        return "date"
    if kind is list:
        return _kind(value[0]) + "[]"
    raise TechregError(f"--bulk cannot write a {kind.__name__} value; load without --bulk")


def _text(value) -> str:
    kind = type(value)
    if kind is str:
        if ARRAY in value:
            raise TechregError("--bulk cannot write a text holding U+001F; load without --bulk")
        return value.replace('"', '""')
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if kind in (dt.date, dt.datetime):
        return value.isoformat()
    return str(value)


def _field(value) -> str:
    if type(value) is list:
        return '"' + ARRAY.join(_text(v) for v in value) + '"'
    return '"' + _text(value) + '"' if type(value) is str else _text(value)


def _multiline(value) -> bool:
    if type(value) is list:
        return any(_multiline(v) for v in value)
    return type(value) is str and ("\n" in value or "\r" in value)


def _header_name(name: str) -> str:
    if not _HEADER_NAME.match(name):
        raise TechregError(f"--bulk cannot name the property {name!r} in the importer's "
                           "files; load without --bulk")
    return name


class _NodeFiles:
    """Nodes as CSV, one file per set of (property, type), with its header as first line."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.paths: dict[tuple, Path] = {}
        self.pending: dict[tuple, list[str]] = {}
        self.count = 0
        self.multiline: list[Path] = []

    def add(self, labels, props: dict) -> None:
        names = sorted(props)
        multiline = any(_multiline(props[n]) for n in names if n not in ("uri", "_hash"))
        signature = (tuple((n, _kind(props[n])) for n in names if n != "uri"), multiline)
        row = ",".join([_field(props["uri"]), '"' + ARRAY.join(sorted(labels)) + '"',
                        *(_field(props[n]) for n, _ in signature[0])])
        rows = self.pending.get(signature)
        if rows is None:
            rows = self.pending[signature] = []
            if signature not in self.paths:
                path = self.paths[signature] = self.folder / f"nodes-{len(self.paths):04d}.csv"
                header = ",".join(["uri:ID", ":LABEL", *(f"{_header_name(n)}:{k}"
                                                         for n, k in signature[0])])
                rows.append(header)
                if multiline:
                    self.multiline.append(path)
        rows.append(row)
        self.count += 1

    def flush(self) -> None:
        for signature, rows in self.pending.items():
            with self.paths[signature].open("a", encoding="utf-8", newline="\n") as f:
                f.write("\n".join(rows) + "\n")
        self.pending.clear()

    def files(self) -> list[Path]:
        return list(self.paths.values())


class _RelationshipFiles:
    """Relationships as CSV: those asserted where their start node is described (no
    `_graphs`), and the others with their `_graphs`."""

    def __init__(self, folder: Path):
        self.plain = folder / "relationships.csv"
        self.listed = folder / "relationships-graphs.csv"
        self.rows: tuple[list[str], list[str]] = ([], [])
        self.count = 0
        self.multiline: list[Path] = []
        for path, header in ((self.plain, ":START_ID,:END_ID,:TYPE"),
                             (self.listed, ":START_ID,:END_ID,:TYPE,_graphs:string[]")):
            path.write_text(header + "\n", encoding="utf-8")

    def add(self, start: str, rel_type: str, end: str, graphs: list[str] | None) -> None:
        row = f'"{_text(start)}","{_text(end)}","{_text(rel_type)}"'
        if graphs is None:
            self.rows[0].append(row)
        else:
            self.rows[1].append(row + "," + _field(graphs))
        self.count += 1

    def flush(self) -> None:
        for path, rows in zip((self.plain, self.listed), self.rows, strict=True):
            if rows:
                with path.open("a", encoding="utf-8", newline="\n") as f:
                    f.write("\n".join(rows) + "\n")
                rows.clear()

    def files(self) -> list[Path]:
        return [self.plain, self.listed]


# --- the import -------------------------------------------------------------------------------

def _import(server: LocalServer, database: str, folder: Path, written: dict,
            report: Progress) -> None:
    """Stop the server, import into a new store, start the server. A failed import puts the
    empty database back and starts the server again."""
    classpath = provision()
    report("stopping the server", 0, 0)
    server.stop()
    data = server.home / "data"
    places = [data / "databases" / database, data / "transactions" / database]
    aside = [place.with_name(place.name + ".before-bulk") for place in places]
    for place, kept in zip(places, aside, strict=True):
        shutil.rmtree(kept, ignore_errors=True)
        if place.exists():
            place.rename(kept)
    command = _command(classpath, database, folder, written)
    env = {**os.environ, "NEO4J_HOME": str(server.home), "NEO4J_CONF": str(server.home)}
    report("importing", 0, 0)
    log = folder / "import.log"
    try:
        with log.open("wb") as out:
            result = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                    cwd=folder, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise TechregError(f"neo4j-admin import failed ({_last_line(log)}); the database "
                               "is left empty as it was")
    except BaseException:
        for place, kept in zip(places, aside, strict=True):
            shutil.rmtree(place, ignore_errors=True)
            if kept.exists():
                kept.rename(place)
        with contextlib.suppress(TechregError):
            report("starting the server", 0, 0)
            server.start()
        raise
    for kept in aside:
        shutil.rmtree(kept, ignore_errors=True)
    report("starting the server", 0, 0)
    server.start()


def _command(classpath: str, database: str, folder: Path, written: dict) -> list[str]:
    heap = settings.get("TECHREG_NEO4J_HEAP")
    command = ["java", f"-Xmx{heap}", "-XX:+UseG1GC", "-Dfile.encoding=UTF-8", "-cp", classpath,
               "org.neo4j.cli.AdminTool", "database", "import", "full", database,
               "--array-delimiter=U+001F", "--report-file", str(folder / "import.report"),
               f"--max-off-heap-memory={settings.get('TECHREG_BULK_OFF_HEAP')}"]
    command += [f"--nodes={path}" for path in written["node_files"]]
    command += [f"--relationships={path}" for path in written["relationship_files"]]
    if written["multiline"]:
        command += ["--multiline-fields-format=v2",
                    "--multiline-fields=" + ",".join(str(p) for p in written["multiline"])]
    return command


def _last_line(log: Path) -> str:
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    for line in lines:
        if "rror" in line or "xception" in line:
            return line[:300]
    return lines[-1][:300] if lines else "no output"
