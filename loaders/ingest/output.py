"""What a document leaves behind: its statements for Neo4j (a Source and its Mentions in the
document's own named graph) and suggested records in the curated format."""

from __future__ import annotations

import re

from rdflib import RDF, XSD, Dataset, Literal, URIRef

from loaders.resolve import slug
from ontology import ID, NS, model

from .reading import Document
from .report import Report

EXCERPT_CHARS = 300
CANDIDATE_DISPUTES = 3  # the top disputes a Source names as candidates


def document_graph(doc: Document, report: Report) -> Dataset:
    """The document's statements: only the Source and its Mention nodes are subjects."""
    dataset = Dataset()
    graph = dataset.graph(URIRef(doc.graph_iri))
    m = model()
    source = ID[doc.id]
    graph.add((source, RDF.type, NS.Source))

    def prop(key):
        return m.properties[key].iri

    meta = report.meta
    if meta.get("title"):
        graph.add((source, prop("title"), Literal(meta["title"])))
    if meta.get("publisher"):
        graph.add((source, prop("publisher"), Literal(meta["publisher"])))
    if meta.get("published") and (lit := partial_date(meta["published"])) is not None:
        graph.add((source, prop("published"), lit))
    if meta.get("url") and re.match(r"^https?://\S+$", meta["url"]):
        graph.add((source, prop("url"), Literal(meta["url"], datatype=XSD.anyURI)))
    graph.add((source, prop("contentHash"), Literal(doc.content_hash)))
    graph.add((source, prop("excerpt"), Literal(excerpt(doc.text))))
    if report.dispute:
        graph.add((source, prop("aboutDispute"), ID[report.dispute]))
    for candidate in report.disputes[:CANDIDATE_DISPUTES]:
        graph.add((source, prop("candidateDispute"), ID[candidate.dispute]))
    for number, mention in enumerate(report.mentions, start=1):
        node = URIRef(f"{source}/mention/{number}")
        entity = ID[mention.entity]
        graph.add((source, prop("mentions"), entity))
        graph.add((source, prop("hasMention"), node))
        graph.add((node, RDF.type, NS.Mention))
        graph.add((node, prop("mentionOf"), entity))
        graph.add((node, prop("matchedText"), Literal(mention.text)))
        graph.add((node, prop("startOffset"), Literal(mention.start, datatype=XSD.integer)))
        graph.add((node, prop("endOffset"), Literal(mention.end, datatype=XSD.integer)))
    return dataset


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def partial_date(value: str) -> Literal | None:
    value = str(value).strip()[:10]
    for pattern, datatype in ((r"\d{4}-\d{2}-\d{2}", XSD.date), (r"\d{4}-\d{2}", XSD.gYearMonth),
                              (r"\d{4}", XSD.gYear)):
        if re.fullmatch(pattern, value):
            return Literal(value, datatype=datatype)
    return None


def suggestion_records(doc: Document, report: Report, accessed: str) -> list[dict]:
    """Candidate records in the curated format: the Source, new facts, and Claims for
    values that differ from the graph's."""
    note = f"suggestion from {doc.path.name}"
    meta = report.meta
    source = {"id": doc.id, "type": "Source"}
    for key in ("url", "publisher", "title"):
        if meta.get(key):
            source[key] = meta[key]
    if meta.get("published") and partial_date(meta["published"]) is not None:
        source["published"] = str(partial_date(meta["published"]))
    source["accessed"] = accessed
    if meta.get("language"):
        source["language"] = meta["language"]
    source["note"] = note
    records = [source]
    seen = {doc.id}
    tag = doc.content_hash[:6]
    for fact in report.facts:
        v = fact.values
        if fact.verdict == "contradicts":
            for check in fact.checks:
                if check.verdict != "contradicts":
                    continue
                prop = check.field
                value = check.document
                if prop == "year":
                    prop = "announced" if "announced" in check.graph else "completed"
                if prop == "price":
                    value = str(v["amount"])
                if prop == "penaltyAmount":
                    value = str(v["amount"])
                rid = f"claim-{check.record}-{slug(prop)}-{slug(value)}-{tag}"
                if rid in seen:
                    continue
                seen.add(rid)
                records.append({"id": rid, "type": "Claim", "about": check.record,
                                "property": prop, "value": value, "sources": [doc.id],
                                "note": f"{note}: the document says {check.document}, the graph "
                                        f"{check.graph}; check the sentence: {fact.sentence}"})
        elif fact.verdict == "new" and fact.kind == "acquisition":
            rid = f"acq-{v['acquirer']}-{v['target']}-{v['year'] or 'undated'}-{tag}"
            if rid in seen:
                continue
            seen.add(rid)
            acquirer, target = (index_name(report, v["acquirer"]), index_name(report, v["target"]))
            record = {"id": rid, "type": "Acquisition", "name": f"{acquirer} acquisition of {target}",
                      "acquirer": v["acquirer"], "target": v["target"]}
            if v["year"]:
                record["announced"] = v["year"]
            if v["amount"] is not None:
                record["price"] = int(v["amount"]) if v["amount"] == int(v["amount"]) \
                    else float(v["amount"])
                record["currency"] = v["currency"]
            record["sources"] = [doc.id]
            record["unverified"] = ["announced"] if v["year"] else []
            if not record["unverified"]:
                del record["unverified"]
            record["note"] = f"{note}: {fact.sentence}"
            records.append(record)
        elif fact.verdict == "new" and fact.kind == "fine":
            rid = f"fine-{v['party']}-{v['year'] or 'undated'}-{tag}"
            if rid in seen:
                continue
            seen.add(rid)
            record = {"id": rid, "type": "Fine",
                      "name": f"Fine on {index_name(report, v['party'])}"}
            if v["authority"]:
                record["authority"] = v["authority"]
            if v["year"]:
                record["decided"] = v["year"]
            record["penaltyAmount"] = int(v["amount"]) if v["amount"] == int(v["amount"]) \
                else float(v["amount"])
            record["penaltyCurrency"] = v["currency"]
            record["parties"] = [{"party": v["party"], "role": "defendant"}]
            record["sources"] = [doc.id]
            if report.dispute:
                record["dispute"] = report.dispute
                record["note"] = f"{note}: {fact.sentence}"
            else:
                record["note"] = f"{note}: {fact.sentence} (give the 'dispute' it belongs to)"
            records.append(record)
    for event in report.events:
        if event.verdict != "new" or not event.dispute:
            continue
        rid = f"{slug(event.kind)}-{event.dispute}-{event.authority}-{event.date}-{tag}"
        if rid in seen:
            continue
        seen.add(rid)
        record = {"id": rid, "type": event.kind,
                  "name": f"{event.step.capitalize()} before {index_name(report, event.authority)} "
                          f"({event.date})",
                  "dispute": event.dispute, "authority": event.authority,
                  event.date_field: event.date}
        if event.amount is not None:
            record["penaltyAmount"] = int(event.amount) if event.amount == int(event.amount) \
                else float(event.amount)
            record["penaltyCurrency"] = event.currency
        if event.parties:
            record["parties"] = [{"party": p, "role": "defendant"} for p in event.parties]
        record["sources"] = [doc.id]
        record["note"] = (f"{note}: {event.sentence}" + (
            f" (the graph has at this authority: {'; '.join(event.graph)})" if event.graph else ""))
        records.append(record)
    return records


def index_name(report: Report, entity: str) -> str:
    for m in report.mentions:
        if m.entity == entity:
            return m.name
    return entity
