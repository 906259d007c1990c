"""The SPARQL 1.1 Protocol over HTTP: the request handler, its options and SERVICE detection.

The HTTP side is the standard library's threading server; each query is checked here
(read-only, SERVICE) and run on the worker pool.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .results import Problem, Request
from .workers import Pool

PATH = "/sparql"
MAX_BODY = 1_000_000

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
