"""A read-only SPARQL 1.1 Protocol endpoint over a store (`techreg serve-sparql`).

The caller builds the store (from Neo4j, or from the built data) and hands it over; the
endpoint never reads Neo4j or data/ itself. Its parts:

- results.py: content negotiation, SELECT results cut at the row limit, one query answered;
- workers.py: the worker processes that each hold a copy of the store, killed on timeout;
- protocol.py: the HTTP handler (GET, POST, OPTIONS on /sparql), SERVICE detection.

SPARQL Update is refused, and so is SERVICE unless enabled.
"""

from __future__ import annotations

import os
import signal
import threading

import pyoxigraph as ox

from ontology.errors import TechregError

from .protocol import PATH, Options, Server, uses_service
from .results import GRAPH_TYPES, RESULT_TYPES, Problem, Request, Response, answer, negotiate
from .workers import Pool

__all__ = ["Endpoint", "GRAPH_TYPES", "PATH", "Problem", "RESULT_TYPES", "Request", "Response",
           "answer", "negotiate", "run", "serve_in_background", "uses_service"]


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


def run(store: ox.Store, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0,
        limit: int = 10000, cors: str | None = None, allow_service: bool = False) -> None:
    """Serve a store until Ctrl-C (or SIGTERM)."""
    endpoint = Endpoint(store, host=host, port=port, timeout=timeout, limit=limit, cors=cors,
                        allow_service=allow_service)
    stop_on_signals(endpoint)
    print(f"SPARQL endpoint at {endpoint.url} (Ctrl-C to stop)", flush=True)
    endpoint.serve_forever()


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def stop_on_signals(endpoint: Endpoint) -> None:
    """SIGINT and SIGTERM stop the endpoint: the first closes the server, releasing its port
    and its workers; a second one during that shutdown ends the process at once. Installed
    here rather than left to Python, which keeps Ctrl-C ignored in a process that started
    with it ignored (a background job of a script, nohup)."""

    def first(signum, _frame) -> None:
        for s in STOP_SIGNALS:
            signal.signal(s, again)
        raise KeyboardInterrupt  # serve_forever() stops and closes the endpoint

    def again(signum, _frame) -> None:
        endpoint.pool.kill()
        os._exit(128 + signum)

    for s in STOP_SIGNALS:
        signal.signal(s, first)
