"""The local Neo4j server: provisioned from Maven Central, run as a background process.

`graph/neo4j_server/pom.xml` names the Neo4j Community artifacts; Maven copies them into
the cache, `Launcher.java` is compiled once, and the server runs as
`java -cp ... Launcher HOME CONF PASSWORD_FILE`, listening for Bolt on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import TechregError

from . import settings

SERVER_SRC = Path(__file__).parent / "neo4j_server"
READY_LINE = "techreg-neo4j ready"


def neo4j_version() -> str:
    """The Neo4j version pinned in the launcher's pom.xml."""
    pom = (SERVER_SRC / "pom.xml").read_text()
    return re.search(r"<neo4j.version>([^<]+)</neo4j.version>", pom).group(1)


@dataclass(frozen=True)
class LocalServer:
    """One local Neo4j instance: its folder and port."""

    home: Path
    port: int

    @classmethod
    def from_settings(cls) -> LocalServer:
        return cls(settings.get_path("TECHREG_NEO4J_HOME"), settings.get_int("TECHREG_NEO4J_PORT"))

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def state_file(self) -> Path:
        return self.home / "server.json"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "techreg-neo4j.log"

    def password(self) -> str:
        if not self.password_file.exists():
            raise TechregError(
                f"no password file at {self.password_file}: run `techreg neo4j start` first"
            )
        return self.password_file.read_text().strip()

    def state(self) -> dict | None:
        """The recorded pid/port/log of a running server, or None when none runs."""
        try:
            state = json.loads(self.state_file.read_text())
        except (FileNotFoundError, ValueError):
            return None
        if not process_alive(state.get("pid", -1)):
            self.state_file.unlink(missing_ok=True)
            return None
        return state

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> dict:
        """Start the server in the background and wait until Bolt answers.

        Returns its state; a server that already runs is left as it is (state["started"] False).
        """
        running = self.state()
        if running:
            return {**running, "started": False}
        _require("java", "Java 17+ is needed to run the local Neo4j: install it "
                 "(apt-get install openjdk-17-jre-headless) or set NEO4J_URI")
        if _port_taken(self.port):
            raise TechregError(
                f"port {self.port} on 127.0.0.1 is taken by another process: stop it or set "
                "TECHREG_NEO4J_PORT to a free port"
            )
        classpath = provision()
        self._prepare()
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        heap = settings.get("TECHREG_NEO4J_HEAP")
        command = [
            "java", f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC", "-Dfile.encoding=UTF-8",
            "-cp", classpath, "Launcher",
            str(self.home), str(self.home / "neo4j.conf"), str(self.password_file),
        ]
        with open(self.log_file, "ab") as log:
            process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, cwd=self.home, preexec_fn=_signals_for_child(),
            )
        state = {"pid": process.pid, "port": self.port, "uri": self.uri,
                 "log": str(self.log_file), "version": neo4j_version()}
        self.state_file.write_text(json.dumps(state))
        self._wait_ready(process)
        return {**state, "started": True}

    def stop(self, timeout: float = 120) -> bool:
        """Shut the server down cleanly and wait for it; False when none was running."""
        state = self.state()
        if not state:
            return False
        pid = state["pid"]
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while process_alive(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.2)
        self.state_file.unlink(missing_ok=True)
        return True

    def _prepare(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        if not self.password_file.exists():
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(24))
        os.chmod(self.password_file, 0o600)
        conf = {
            "server.default_listen_address": "127.0.0.1",
            "server.bolt.enabled": "true",
            "server.bolt.listen_address": f"127.0.0.1:{self.port}",
            "server.bolt.tls_level": "DISABLED",
            "dbms.security.auth_enabled": "true",
            "server.memory.pagecache.size": settings.get("TECHREG_NEO4J_PAGECACHE"),
            "db.tx_log.rotation.retention_policy": "2 files",
            "dbms.usage_report.enabled": "false",
        }
        (self.home / "neo4j.conf").write_text("".join(f"{k}={v}\n" for k, v in conf.items()))

    def _wait_ready(self, process: subprocess.Popen) -> None:
        timeout = settings.get_int("TECHREG_NEO4J_START_TIMEOUT")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.state_file.unlink(missing_ok=True)
                raise TechregError(
                    f"Neo4j failed to start ({_last_error(self.log_file)}); see {self.log_file}"
                )
            if READY_LINE in self.log_file.read_text(errors="replace") and not port_free(self.port):
                return
            time.sleep(0.3)
        process.terminate()
        self.state_file.unlink(missing_ok=True)
        raise TechregError(
            f"Neo4j did not answer within {timeout} s; see {self.log_file} or raise "
            "TECHREG_NEO4J_START_TIMEOUT"
        )


def provision() -> str:
    """Fetch the Neo4j jars (once) and compile the launcher (when it changed); return a classpath."""
    version = neo4j_version()
    root = settings.get_path("TECHREG_CACHE") / f"neo4j-{version}"
    lib, classes = root / "lib", root / "classes"
    if not (lib / ".complete").exists():
        _require("mvn", "Maven is needed once to fetch Neo4j from Maven Central: install it "
                 "(apt-get install maven) or set NEO4J_URI")
        lib.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            ["mvn", "-B", "-q", "-f", str(SERVER_SRC / "pom.xml"),
             "dependency:copy-dependencies", f"-DoutputDirectory={lib}"],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-1:] or ["no output"]
            raise TechregError(f"Maven could not fetch Neo4j {version}: {tail[0]}")
        (lib / ".complete").write_text(version)
    source = SERVER_SRC / "Launcher.java"
    compiled = classes / "Launcher.class"
    if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
        _require("javac", "a Java 17+ JDK (javac) is needed to build the Neo4j launcher: "
                 "apt-get install openjdk-17-jdk-headless")
        classes.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            ["javac", "-cp", f"{lib}/*", "-d", str(classes), str(source)],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise TechregError(f"could not compile {source}: {result.stderr.strip()[:300]}")
    return f"{classes}{os.pathsep}{lib}/*"


def _signals_for_child():
    """What the server's process must do before it runs Java: nothing, unless this process
    ignores SIGINT or SIGTERM (started in the background, by nohup, by some supervisors).
    An ignored signal stays ignored across exec, and a JVM never takes over a signal that
    was ignored when it started, so the server could not be stopped by it: set both back to
    their defaults in the child. (preexec_fn only then: it is not safe with threads.)"""
    if all(signal.getsignal(s) is not signal.SIG_IGN for s in (signal.SIGINT, signal.SIGTERM)):
        return None

    def defaults() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    return defaults


# --- the test server of a checkout ------------------------------------------------------------

TEST_PORTS = range(17100, 17900)  # away from 7687 (make run), 7689 (bench) and 7690-7699


def checkout_key(root: Path) -> str:
    """A short name for a checkout: its folder's name and a digest of its full path."""
    import hashlib

    root = Path(root).resolve()
    return f"{root.name}-{hashlib.sha256(str(root).encode()).hexdigest()[:10]}"


def checkout_test_server(root: Path, home: Path | None = None, port: int | None = None) -> LocalServer:
    """The test server of one checkout, so two checkouts can run their tests at once.

    Its folder is derived from the checkout's path (TECHREG_CACHE/test-servers/NAME-DIGEST)
    unless home is given; its port is the one given, else the one recorded in the folder
    (file `port`), else a free port of TEST_PORTS, tried first at a place derived from the
    same digest, and recorded. A recorded port that another process took meanwhile (while
    this server is not running) is replaced the same way."""
    key = checkout_key(root)
    home = Path(home) if home else settings.get_path("TECHREG_CACHE") / "test-servers" / key
    if port is not None:
        return LocalServer(home, int(port))
    record = home / "port"
    server = None
    with contextlib.suppress(FileNotFoundError, ValueError):
        server = LocalServer(home, int(record.read_text().strip()))
    if server and (server.state() or port_free(server.port)):
        return server
    start = int(key.rsplit("-", 1)[1], 16) % len(TEST_PORTS)
    for i in range(len(TEST_PORTS)):
        candidate = TEST_PORTS[(start + i) % len(TEST_PORTS)]
        if port_free(candidate):
            home.mkdir(parents=True, exist_ok=True)
            record.write_text(f"{candidate}\n")
            return LocalServer(home, candidate)
    raise TechregError(f"no free port in {TEST_PORTS.start}-{TEST_PORTS.stop - 1} for the test "
                       "server: set TECHREG_NEO4J_PORT")


def _require(program: str, message: str) -> None:
    if shutil.which(program) is None:
        raise TechregError(message)


def process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of this very process counts as gone.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return True


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _port_taken(port: int) -> bool:
    return not port_free(port)


def _last_error(log: Path) -> str:
    lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    for line in reversed(lines):
        if "Exception" in line or "ERROR" in line or "Caused by" in line:
            return line.strip()[:300]
    return lines[-1].strip()[:300] if lines else "no output"
