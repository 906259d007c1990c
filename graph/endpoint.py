"""A read-only SPARQL 1.1 Protocol endpoint over the graph (`techreg serve-sparql`).

The HTTP side is the standard library's threading server. Queries run in worker processes
that each hold a copy of the store (pyoxigraph, loaded from N-Quads): a query that runs past
the timeout is stopped by killing its worker, which is then replaced. SELECT results are cut
at the row limit (CONSTRUCT/DESCRIBE at as many triples) and the response says so in the
`X-Result-Truncated` header. SPARQL Update is refused, and so is SERVICE unless enabled.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import multiprocessing
import queue
import signal
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ontology.errors import TechregError

from .sparql import GRAPH_FORMATS, RESULT_FORMATS

PATH = "/sparql"
MAX_BODY = 1_000_000
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


# --- the worker process --------------------------------------------------------------------

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


def _worker_main(conn, nquads: bytes) -> None:
    """A worker: load the store, say ready, then answer queries until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    store = ox.Store()
    store.bulk_load(nquads, ox.RdfFormat.N_QUADS)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        conn.send(answer(store, request))


class Worker:
    """A child process holding a copy of the store; killed when a query overruns."""

    def __init__(self, context, nquads: bytes):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, nquads), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        """Block until the store is loaded (EOFError if the worker died)."""
        if not self.ready:
            if self.conn.recv() != "ready":
                raise EOFError("the query worker did not start")
            self.ready = True

    def ask(self, request: Request, timeout: float) -> Response:
        """The worker's answer, or TimeoutError if it takes longer than timeout seconds."""
        self.wait_ready()
        self.conn.send(request)
        if not self.conn.poll(timeout):
            raise TimeoutError
        return self.conn.recv()

    def stop(self) -> None:
        """Kill the process (a runaway query cannot be stopped any other way)."""
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Pool:
    """Worker processes handed out one query at a time; a failed worker is replaced."""

    def __init__(self, nquads: bytes, size: int, timeout: float):
        self.nquads, self.timeout = nquads, timeout
        self.context = multiprocessing.get_context("spawn")
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.workers: set[Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        for _ in range(size):
            self.idle.put(self._start())
        for worker in list(self.workers):
            worker.wait_ready()

    def _start(self) -> Worker:
        with self.lock:
            if self.closed:
                raise Problem(503, "the endpoint is shutting down")
            worker = Worker(self.context, self.nquads)
            self.workers.add(worker)
            return worker

    def _replace(self, worker: Worker) -> Worker:
        """Stop a worker and start a fresh one in its place."""
        with self.lock:
            self.workers.discard(worker)
        worker.stop()
        return self._start()

    def run(self, request: Request) -> Response:
        """Run a query on an idle worker; Problem(503) on timeout or when all stay busy."""
        try:
            worker = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            raise Problem(503, "all query workers are busy; try again") from None
        try:
            return worker.ask(request, self.timeout)
        except TimeoutError:
            worker = self._replace(worker)
            raise Problem(503, f"the query ran longer than {self.timeout:g} s and was "
                               "stopped") from None
        except (EOFError, OSError):
            worker = self._replace(worker)
            raise Problem(500, "the query worker failed; it has been restarted") from None
        finally:
            self.idle.put(worker)

    def close(self) -> None:
        """Stop every worker, busy or idle; no new ones start."""
        with self.lock:
            self.closed = True
            workers, self.workers = self.workers, set()
        for worker in workers:
            worker.stop()


# --- SERVICE detection ---------------------------------------------------------------------

_parse_lock = threading.Lock()


def uses_service(text: str) -> bool:
    """Whether a query contains a SERVICE pattern, judged on rdflib's parse tree.

    A query rdflib cannot parse (oxigraph may still accept it) counts as using SERVICE
    when the word appears anywhere in it: refusing wrongly is safer than calling out.
    """
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        with _parse_lock:
            tree = parseQuery(text)
    except Exception:  # noqa: BLE001 - any parser failure falls back to the safe check
        return "service" in text.lower()
    return _has_service(tree)


def _has_service(node) -> bool:
    """Whether a node of rdflib's parse tree holds a ServiceGraphPattern."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, str):
        return False
    if isinstance(node, CompValue):
        return node.name == "ServiceGraphPattern" or any(map(_has_service, node.values()))
    if isinstance(node, dict):
        return any(map(_has_service, node.values()))
    try:
        return any(map(_has_service, node))
    except TypeError:
        return False


# --- HTTP ----------------------------------------------------------------------------------

@dataclass
class Options:
    """How the endpoint behaves."""

    timeout: float = 10.0
    limit: int = 10000
    cors: str | None = None
    allow_service: bool = False


class Server(ThreadingHTTPServer):
    """The HTTP server, holding the options and the worker pool for its handlers."""

    daemon_threads = True

    def __init__(self, address, options: Options, pool: Pool):
        self.options, self.pool = options, pool
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    """GET and POST per the SPARQL 1.1 Protocol on /sparql, OPTIONS for CORS preflight."""

    server: Server
    server_version = "techreg-sparql"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        self._handle(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._handle(self._post)

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._handle(self._options)

    def _handle(self, method) -> None:
        """Call a request method; a Problem becomes its status and a one-line message."""
        try:
            method(self._params())
        except Problem as e:
            self._send(e.status, "text/plain; charset=utf-8", f"{e}\n".encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away

    def _params(self) -> dict[str, list[str]]:
        """The URL's parameters; Problem(404) for any path but /sparql."""
        url = urlsplit(self.path)
        if url.path != PATH:
            raise Problem(404, f"not found: the SPARQL endpoint is at {PATH}")
        return parse_qs(url.query, keep_blank_values=True)

    def _get(self, params: dict[str, list[str]]) -> None:
        if "query" not in params and "update" not in params:
            self._send(200, "text/plain; charset=utf-8", self._description().encode())
            return
        self._query(params)

    def _post(self, params: dict[str, list[str]]) -> None:
        content_type = self.headers.get_content_type()
        if content_type == "application/sparql-update":
            raise Problem(403, "this endpoint is read-only: SPARQL Update is refused")
        body = self._body()
        if content_type == "application/x-www-form-urlencoded":
            params = parse_qs(body, keep_blank_values=True)
        elif content_type == "application/sparql-query":
            params = {**params, "query": [*params.get("query", []), body]}
        else:
            raise Problem(415, "POST a form (application/x-www-form-urlencoded) or a query "
                               "(application/sparql-query)")
        self._query(params)

    def _options(self, _params: dict[str, list[str]]) -> None:
        """Answer a CORS preflight (the Allow-* headers only when CORS is on)."""
        headers = {"Allow": "GET, POST, OPTIONS"}
        if self.server.options.cors:
            headers |= {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                        "Access-Control-Allow-Headers": "Accept, Content-Type",
                        "Access-Control-Max-Age": "86400"}
        self._send(204, None, b"", headers)

    def _body(self) -> str:
        """The POST body as text, within the size limit."""
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise Problem(411, "a POST needs a Content-Length")
        if int(length) > MAX_BODY:
            raise Problem(413, f"the request body is larger than {MAX_BODY} bytes")
        try:
            return self.rfile.read(int(length)).decode()
        except UnicodeDecodeError:
            raise Problem(400, "the request body is not UTF-8") from None

    def _query(self, params: dict[str, list[str]]) -> None:
        """Check the query (read-only, SERVICE), run it on a worker and send the answer."""
        options = self.server.options
        if "update" in params:
            raise Problem(403, "this endpoint is read-only: SPARQL Update is refused")
        queries = params.get("query", [])
        if len(queries) != 1:
            raise Problem(400, "give exactly one query parameter")
        if not options.allow_service and uses_service(queries[0]):
            raise Problem(403, "SERVICE (federated query) is disabled on this endpoint; "
                               "start it with --allow-service to allow it")
        response = self.server.pool.run(Request(
            queries[0], self.headers.get("Accept", ""), params.get("default-graph-uri", []),
            params.get("named-graph-uri", []), options.limit))
        headers = {"X-Result-Limit": str(options.limit), "Vary": "Accept"}
        if response.truncated:
            headers["X-Result-Truncated"] = "true"
        self._send(response.status, response.content_type, response.body, headers)

    def _send(self, status: int, content_type: str | None, body: bytes,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.server.options.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.options.cors)
            self.send_header("Access-Control-Expose-Headers",
                             "X-Result-Limit, X-Result-Truncated")
        self.end_headers()
        self.wfile.write(body)

    def _description(self) -> str:
        options = self.server.options
        return (f"techreg SPARQL 1.1 endpoint (read-only).\n"
                f"Send ?query=... by GET, or POST a form or application/sparql-query.\n"
                f"Queries stop after {options.timeout:g} s; at most {options.limit} results "
                f"are sent (X-Result-Truncated: true says some were left out).\n"
                f"SERVICE is {'allowed' if options.allow_service else 'disabled'}.\n")


# --- starting and stopping -----------------------------------------------------------------

class Endpoint:
    """A SPARQL endpoint over a store: serve_forever() in the foreground, or start()."""

    def __init__(self, store: ox.Store, *, host: str = "127.0.0.1", port: int = 7878,
                 timeout: float = 10.0, limit: int = 10000, cors: str | None = None,
                 allow_service: bool = False, workers: int = 2):
        if timeout <= 0 or limit < 1 or workers < 1:
            raise TechregError("--timeout must be positive, --limit and workers at least 1")
        self.pool = Pool(store.dump(format=ox.RdfFormat.N_QUADS), workers, timeout)
        try:
            self.server = Server((host, port), Options(timeout, limit, cors, allow_service),
                                 self.pool)
        except OSError as e:
            self.pool.close()
            raise TechregError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{PATH}"

    def start(self) -> Endpoint:
        """Serve in a background thread; close() stops it."""
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C, then close."""
        try:
            self.server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.close()

    def close(self) -> None:
        """Stop serving, release the port and stop the workers."""
        if self.thread:
            self.server.shutdown()
            self.thread.join()
            self.thread = None
        self.server.server_close()
        self.pool.close()

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def serve_in_background(store: ox.Store, **options) -> Endpoint:
    """An endpoint on a free port of 127.0.0.1 (unless given), serving from a thread."""
    return Endpoint(store, **{"port": 0, **options}).start()


def run(host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0, limit: int = 10000,
        cors: str | None = None, allow_service: bool = False, built: bool = False) -> None:
    """Serve the graph from Neo4j (or the built data) until Ctrl-C."""
    endpoint = Endpoint(_store(built), host=host, port=port, timeout=timeout, limit=limit, cors=cors,
                        allow_service=allow_service)
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"SPARQL endpoint at {endpoint.url} (Ctrl-C to stop)", flush=True)
    endpoint.serve_forever()


def _interrupt(_signum, _frame) -> None:
    """Stop on SIGTERM as on Ctrl-C: close the server and its workers."""
    raise KeyboardInterrupt


def _store(built: bool) -> ox.Store:
    """The graph as exported from Neo4j, or the RDF built from data/."""
    from . import sparql

    if built:
        from loaders.records import build_dataset

        return sparql.store_from_dataset(build_dataset())
    from .db import connect

    with connect() as db:
        return sparql.store_from_neo4j(db)
