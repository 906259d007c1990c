"""How the explorer is served.

- `python -m explorer.serve run app.py [options]` is Streamlit's own command line, with the
  server's connections answering without Nagle's delay (see `no_nagle`). `make run` serves
  readers this way.
- `serving()` starts it on a free loopback port for whoever drives it from outside: the
  browser tests, the README's screenshots and the page benchmark.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def no_nagle() -> None:
    """Make Streamlit's server send each response at once.

    Streamlit (1.67) binds its listening socket itself, as `socket.socket(family)`, whose
    protocol number reads 0; asyncio turns Nagle's algorithm off (TCP_NODELAY) only on
    connections whose socket says IPPROTO_TCP, so here it stays on. On a connection the
    browser keeps alive, a response's body then waits behind its headers for the browser's
    delayed acknowledgement: 40 ms per script, and a first visit fetches about 120 of them
    through six connections (the same fault as kserve/kserve#6050). The socket made here is
    the same bound socket, opened again with the protocol the kernel reports for it."""
    from streamlit.web.server.starlette import starlette_server

    bind = starlette_server._bind_socket
    if getattr(bind, "no_nagle", False):
        return

    def bind_tcp(address: str, port: int, backlog: int) -> socket.socket:
        return socket.socket(fileno=bind(address, port, backlog).detach())

    bind_tcp.no_nagle = True
    starlette_server._bind_socket = bind_tcp


def main() -> None:
    """`python -m explorer.serve run app.py ...`: Streamlit's command line after `no_nagle`."""
    from streamlit.web import cli

    no_nagle()
    cli.main(prog_name="streamlit")


@contextmanager
def serving(env: dict[str, str] | None = None, timeout: float = 60,
            app: Path = APP) -> Iterator[str]:
    """Start `python -m explorer.serve run app.py` (with `env`, else this process's
    environment) and yield its URL once it answers its health check; stop it on leaving.
    `app` serves another Streamlit script instead (a benchmark's harness)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer.serve", "run", str(app), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=APP.parent, env=env or os.environ.copy(), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the explorer did not start on {url}") from None
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
