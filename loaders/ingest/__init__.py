"""Documents (plain text, Markdown, HTML) -> a Source with mentions in Neo4j, a report, and
reviewable suggestions in the curated records format.

`ingest_document(path, db)` reads a file (`reading`), finds the entities of the graph it
names (`mentions`: their names, aliases and short forms, case-sensitive, accent-insensitive,
with possessive and plural endings), extracts money amounts, dates, references to courts,
laws and cases (`extract`), and candidate facts (acquisitions, fines), compares those facts
with the graph (`facts`), writes the document's statements as one named graph (only the
Source and its Mention nodes are subjects, so entities are never re-described) and returns
a `Report` (`report`). Ingesting the same bytes again gives the same graph (the graph's IRI
and the Source's id come from the content hash), so it changes nothing; `techreg unload
<graph IRI>` removes the document.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from graph.cypher import BY_IDENTIFIERS
from loaders.resolve import Entity, EntityIndex, dump_records, record_id
from ontology.errors import TechregError

from .disputes import DisputeCandidate, GraphContext, rank_disputes
from .extract import (
    DateRef,
    Money,
    Reference,
    find_dates,
    find_money,
    find_references,
    identifiers_of,
    parse_number,
)
from .facts import Check, Fact, compare_facts, extract_facts, sentences
from .mentions import Ambiguous, Matcher, Mention, Unknown, short_forms, unknown_names
from .output import document_graph, excerpt, partial_date, suggestion_records
from .reading import Document, read_document
from .report import Report, analyse

SUGGESTIONS_DIR = Path("suggestions")


def ingest_document(path: Path, db, *, title: str | None = None, publisher: str | None = None,
                    published: str | None = None, url: str | None = None,
                    encoding: str | None = None, suggestions: Path | None = SUGGESTIONS_DIR,
                    index: EntityIndex | None = None, accessed: str | None = None,
                    context: GraphContext | None = None) -> Report:
    """Ingest one document into Neo4j (its own named graph) and return the report.

    Options override what the document says about itself. Suggestions are written to
    `<suggestions>/<source id>.yaml` (None: not written), with the extracted text the
    offsets refer to beside them (`<source id>.txt`).
    """
    from loaders.neo4j import load

    doc = read_document(path, encoding)
    for key, value in (("title", title), ("publisher", publisher), ("published", published),
                       ("url", url)):
        if value:
            doc.meta[key] = value
    if doc.meta.get("published") and partial_date(doc.meta["published"]) is None:
        raise TechregError(f"{path}: the date {doc.meta['published']!r} is not YYYY, YYYY-MM or "
                           "YYYY-MM-DD")
    if doc.meta.get("url") and not re.match(r"^https?://\S+$", doc.meta["url"]):
        raise TechregError(f"{path}: the URL {doc.meta['url']!r} is not an http(s) URL")
    index = index or EntityIndex.from_db(db)
    context = context or GraphContext.from_db(db)
    report = analyse(doc, index, context=context)
    report.references = _resolve_identifiers(report.references, db)
    compare_facts(report.facts, db)
    summary = load(document_graph(doc, report), db, mode="replace-source")
    report.changed = summary.changed
    if suggestions is not None:
        records = suggestion_records(doc, report, accessed or dt.date.today().isoformat())
        folder = Path(suggestions)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{doc.id}.yaml"
        header = (f"# Suggestions from {doc.path.name} (techreg ingest). Not data: review each "
                  "record, move the ones that hold into data/, then run `techreg validate`.\n")
        target.write_text(header + dump_records(records), encoding="utf-8")
        target.with_suffix(".txt").write_text(doc.text, encoding="utf-8")
        report.suggestions = target
    return report


def _resolve_identifiers(references: list[Reference], db) -> list[Reference]:
    wanted = {i: r for r in references if r.entity is None for i in identifiers_of(r)}
    if not wanted:
        return references
    found = {}
    for row in db.execute_query(BY_IDENTIFIERS, ids=sorted(wanted)).records:
        for i in row["ids"]:
            found[i] = record_id(row["uri"])
    result = []
    for r in references:
        entity = r.entity or next((found[i] for i in identifiers_of(r) if i in found), None)
        result.append(Reference(r.kind, r.text, r.start, r.end, entity))
    return result


__all__ = ["Document", "Report", "Mention", "Ambiguous", "Unknown", "Fact", "Check", "Matcher",
           "Money", "DateRef", "Reference", "read_document", "analyse", "ingest_document",
           "find_money", "find_dates", "find_references", "identifiers_of", "parse_number",
           "short_forms", "unknown_names", "sentences", "extract_facts", "compare_facts",
           "document_graph", "excerpt", "suggestion_records", "Entity", "GraphContext",
           "DisputeCandidate", "rank_disputes"]
