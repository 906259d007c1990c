"""The endpoint's query workers: child processes that each hold a copy of the store.

A query that runs past the timeout is stopped by killing its worker, which is then replaced
by a fresh one loaded from the same N-Quads.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import threading

import pyoxigraph as ox

from .results import Problem, Request, Response, answer


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

    def kill(self) -> None:
        """Kill every worker at once, without waiting (the process is about to end)."""
        self.closed = True
        for worker in list(self.workers):
            worker.process.kill()

    def close(self) -> None:
        """Stop every worker, busy or idle; no new ones start."""
        with self.lock:
            self.closed = True
            workers, self.workers = self.workers, set()
        for worker in workers:
            worker.stop()
