"""What the SPARQL endpoint answers: content negotiation, SELECT results written by the
endpoint itself (so that they can be cut at the row limit), and answering one query on a store.

These run inside the query workers (see workers.py); nothing here knows of HTTP or processes.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..sparql import GRAPH_FORMATS, RESULT_FORMATS

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

# Media types a client may ask for -> (format, media type sent back); the first is the default.
RESULT_TYPES = {
    "application/sparql-results+json": ("json", "application/sparql-results+json"),
    "application/json": ("json", "application/sparql-results+json"),
    "application/sparql-results+xml": ("xml", "application/sparql-results+xml"),
    "application/xml": ("xml", "application/sparql-results+xml"),
    "text/xml": ("xml", "application/sparql-results+xml"),
    "text/csv": ("csv", "text/csv; charset=utf-8"),
    "text/tab-separated-values": ("tsv", "text/tab-separated-values; charset=utf-8"),
}
GRAPH_TYPES = {
    "text/turtle": ("ttl", "text/turtle; charset=utf-8"),
    "application/turtle": ("ttl", "text/turtle; charset=utf-8"),
    "application/x-turtle": ("ttl", "text/turtle; charset=utf-8"),
    "application/n-triples": ("nt", "application/n-triples"),
    "text/plain": ("nt", "application/n-triples"),
    "application/ld+json": ("jsonld", "application/ld+json"),
    "application/json": ("jsonld", "application/ld+json"),
    "application/rdf+xml": ("rdfxml", "application/rdf+xml"),
}
RDF_FORMATS = {**GRAPH_FORMATS, "rdfxml": ox.RdfFormat.RDF_XML}


class Problem(Exception):
    """A request the endpoint answers with an HTTP error status and a one-line message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class Request:
    """A query as the worker runs it."""

    text: str
    accept: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    limit: int = 10000


@dataclass
class Response:
    """What the worker answers: a status, a body and whether rows were left out."""

    status: int
    content_type: str
    body: bytes
    truncated: bool = False


# --- content negotiation -------------------------------------------------------------------

def negotiate(accept: str, types: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """The (format, media type) best matching an Accept header, or None if nothing fits."""
    ranges = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        quality = next((_quality(p[2:]) for p in params if p.startswith("q=")), 1.0)
        if media and quality > 0:
            ranges.append((-quality, position, media.lower()))
    if not ranges:
        return next(iter(types.values()))
    for _, _, media in sorted(ranges):
        match = next((types[t] for t in types if _matches(media, t)), None)
        if match:
            return match
    return None


def _quality(text: str) -> float:
    """The q= weight of a media range (0, i.e. not acceptable, if malformed)."""
    try:
        return float(text)
    except ValueError:
        return 0.0


def _matches(media_range: str, media_type: str) -> bool:
    """Whether a media range of an Accept header (maybe with wildcards) covers a type."""
    if media_range in ("*/*", "*"):
        return True
    if media_range.endswith("/*"):
        return media_type.startswith(media_range[:-1])
    return media_range == media_type


# --- serialising SELECT results (so they can be cut at the limit) -------------------------

def _json_term(term) -> dict:
    """A term as a SPARQL JSON results binding value."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    result = {"type": "literal", "value": term.value}
    if term.language:
        result["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        result["datatype"] = term.datatype.value
    return result


def _xml_term(term) -> str:
    """A term as a SPARQL XML results binding element."""
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
                f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}"
                "</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_term(term) -> str:
    """A term as a SPARQL CSV results value (the plain string, _:id for blank nodes)."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def select_json(variables: list[str], rows: list) -> bytes:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode()


def select_xml(variables: list[str], rows: list) -> bytes:
    """SPARQL Query Results XML."""
    out = [f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def select_csv(variables: list[str], rows: list) -> bytes:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_term(t) for t in row] for row in rows)
    return buffer.getvalue().encode()


def select_tsv(variables: list[str], rows: list) -> bytes:
    """SPARQL 1.1 Query Results TSV: terms in SPARQL/N-Triples syntax."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


SELECT_SERIALISERS = {"json": select_json, "xml": select_xml, "csv": select_csv,
                      "tsv": select_tsv}


# --- answering a query ------------------------------------------------------------------

def answer(store: ox.Store, request: Request) -> Response:
    """Run one query on the store and serialise its result as the client asked."""
    try:
        result = store.query(request.text, **_dataset(request))
    except SyntaxError as e:
        return _text(400, f"SPARQL syntax error: {' '.join(str(e).split())}")
    except (OSError, ValueError, RuntimeError) as e:
        return _text(400, f"the query failed: {' '.join(str(e).split())}")
    graph = isinstance(result, ox.QueryTriples)
    chosen = negotiate(request.accept, GRAPH_TYPES if graph else RESULT_TYPES)
    if chosen is None:
        kinds = GRAPH_TYPES if graph else RESULT_TYPES
        return _text(406, f"cannot answer in {request.accept!r}; ask for one of: "
                          f"{', '.join(kinds)}")
    fmt, media_type = chosen
    try:
        if isinstance(result, ox.QueryBoolean):
            return Response(200, media_type, result.serialize(format=RESULT_FORMATS[fmt]))
        rows = list(itertools.islice(result, request.limit + 1))
        body = (ox.serialize(rows[:request.limit], format=RDF_FORMATS[fmt]) if graph else
                SELECT_SERIALISERS[fmt]([v.value for v in result.variables],
                                        rows[:request.limit]))
    except (OSError, ValueError, RuntimeError) as e:
        return _text(400, f"the query failed: {' '.join(str(e).split())}")
    return Response(200, media_type, body, truncated=len(rows) > request.limit)


def _dataset(request: Request) -> dict:
    """The RDF dataset of the protocol's default-graph-uri/named-graph-uri, else the union."""
    if not request.default_graphs and not request.named_graphs:
        return {"use_default_graph_as_union": True}
    return {"default_graph": [ox.NamedNode(g) for g in request.default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in request.named_graphs]}


def _text(status: int, message: str) -> Response:
    """A plain-text error response."""
    return Response(status, "text/plain; charset=utf-8", (message + "\n").encode())
