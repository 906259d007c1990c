"""`techreg doctor`: what the local set-up needs, checked one thing at a time.

Each check returns a Check with what it found and, when it fails, what to do. A check never
changes anything (a stale pid file is reported, not removed) and one failing check does not
stop the others, so the user sees the whole picture at once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import TechregError

from . import settings
from .server import LocalServer, neo4j_version, port_free, process_alive

MIN_PYTHON = (3, 11)
MIN_JAVA = 17
MIN_FREE_BYTES = 2 * 2**30  # the server's data, logs and transaction logs, with room to grow


@dataclass(frozen=True)
class Check:
    """One finding: ok, warn (works, with a caveat), fail, or skip (does not apply)."""

    name: str
    status: str
    detail: str
    hint: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "fail"

    def __str__(self) -> str:
        line = f"{self.status:<4}  {self.name:<14} {self.detail}"
        return line + (f"; {self.hint}" if self.hint and self.status != "ok" else "")


def ok(name: str, detail: str) -> Check:
    return Check(name, "ok", detail)


def fail(name: str, detail: str, hint: str) -> Check:
    return Check(name, "fail", detail, hint)


def run_checks(server: LocalServer | None = None, uri: str | None = None) -> list[Check]:
    """Every check, in the order a set-up needs them. With NEO4J_URI set (or uri given) the
    local server's checks are skipped and only the connection is checked."""
    uri = uri if uri is not None else settings.get("NEO4J_URI")
    server = server or LocalServer.from_settings()
    local: list[tuple[str, Callable[[], Check]]] = [
        ("java", check_java), ("javac", check_javac), ("maven", check_maven),
        ("neo4j jars", check_jars), ("server folder", lambda: check_folder(server)),
        ("port", lambda: check_port(server)), ("pid file", lambda: check_pid(server)),
        ("password file", lambda: check_password(server)),
    ]
    checks = [_safely("python", check_python)]
    for name, check in local:
        checks.append(Check(name, "skip", "NEO4J_URI is set: techreg uses that server and runs "
                                          "none") if uri else _safely(name, check))
    checks.append(_safely("neo4j", lambda: check_answers(server, uri)))
    checks.append(_safely("disk", lambda: check_disk(server)))
    checks.append(_safely("chromium", check_chromium))
    return checks


def _safely(name: str, check: Callable[[], Check]) -> Check:
    """A check that raised becomes a failed check (the doctor itself must not crash)."""
    try:
        return check()
    except Exception as e:  # noqa: BLE001 - any failure of a check is its finding
        return fail(name, f"{type(e).__name__}: {' '.join(str(e).split())[:200]}",
                    "report this: a check should not fail this way")


# --- programs --------------------------------------------------------------------------------

def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] < MIN_PYTHON:
        return fail("python", f"{version} at {sys.executable}",
                    f"techreg needs Python {'.'.join(map(str, MIN_PYTHON))}+")
    return ok("python", f"{version} at {sys.executable}")


def _version_line(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    return ((result.stdout + result.stderr).strip().splitlines() or [""])[0]


def java_major(line: str) -> int | None:
    """The major version in `java -version`'s first line ("17.0.15", "1.8.0_392" -> 8)."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', line) or re.search(r"\b(\d+)(?:\.(\d+))?", line)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def check_java() -> Check:
    hint = "install a JDK 17+ (apt-get install openjdk-17-jdk-headless) or set NEO4J_URI"
    if shutil.which("java") is None:
        return fail("java", "not found on PATH", hint)
    line = _version_line(["java", "-version"])
    major = java_major(line)
    if major is None or major < MIN_JAVA:
        return fail("java", f"{line or 'no version'} (needs {MIN_JAVA}+)", hint)
    return ok("java", line)


def _launcher_compiled() -> bool:
    from .server import SERVER_SRC

    compiled = _cache_root() / "classes" / "Launcher.class"
    return compiled.exists() and compiled.stat().st_mtime >= (SERVER_SRC / "Launcher.java").stat().st_mtime


def _cache_root() -> Path:
    return settings.get_path("TECHREG_CACHE") / f"neo4j-{neo4j_version()}"


def check_javac() -> Check:
    if shutil.which("javac"):
        return ok("javac", _version_line(["javac", "-version"]))
    if _launcher_compiled():
        return ok("javac", "not on PATH, but the launcher is already compiled")
    return fail("javac", "not found on PATH (needed once, to compile the launcher)",
                "install a JDK (apt-get install openjdk-17-jdk-headless), not only a JRE")


def check_maven() -> Check:
    if shutil.which("mvn"):
        return ok("maven", _version_line(["mvn", "-v"]).replace("\x1b[1m", "").replace("\x1b[m", ""))
    if (_cache_root() / "lib" / ".complete").exists():
        return ok("maven", "not on PATH, but the Neo4j jars are already fetched")
    return fail("maven", "not found on PATH (needed once, to fetch Neo4j from Maven Central)",
                "apt-get install maven, or set NEO4J_URI")


def check_jars() -> Check:
    lib = _cache_root() / "lib"
    if not (lib / ".complete").exists():
        return fail("neo4j jars", f"Neo4j {neo4j_version()} not fetched yet into {lib}",
                    "run `techreg neo4j start` once with network access (Maven fetches them)")
    jars = len(list(lib.glob("*.jar")))
    return ok("neo4j jars", f"Neo4j {neo4j_version()}: {jars} jars in {lib}")


# --- the local server ------------------------------------------------------------------------

def check_folder(server: LocalServer) -> Check:
    home = server.home
    if home.exists():
        if not home.is_dir():
            return fail("server folder", f"{home} is not a folder", "remove it or set TECHREG_NEO4J_HOME")
        if not os.access(home, os.W_OK | os.X_OK):
            return fail("server folder", f"{home} is not writable", "fix its owner or permissions, "
                        "or set TECHREG_NEO4J_HOME")
        return ok("server folder", str(home))
    parent = _existing_parent(home)
    if not os.access(parent, os.W_OK | os.X_OK):
        return fail("server folder", f"{home} does not exist and {parent} is not writable",
                    "set TECHREG_NEO4J_HOME to a folder you can write")
    return ok("server folder", f"{home} (created at the first start)")


def _existing_parent(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _recorded_state(server: LocalServer) -> dict | None:
    try:
        return json.loads(server.state_file.read_text())
    except (FileNotFoundError, ValueError):
        return None


def check_port(server: LocalServer) -> Check:
    state = _recorded_state(server)
    if state and state.get("port") == server.port and process_alive(state.get("pid", -1)):
        return ok("port", f"{server.port}: the local server's (pid {state['pid']})")
    if port_free(server.port):
        return ok("port", f"{server.port} on 127.0.0.1 is free")
    return fail("port", f"{server.port} on 127.0.0.1 is taken by another process",
                "stop that process, or set TECHREG_NEO4J_PORT to a free port")


def check_pid(server: LocalServer) -> Check:
    if not server.state_file.exists():
        return ok("pid file", "none: the local server is not running")
    state = _recorded_state(server)
    if state is None:
        return fail("pid file", f"{server.state_file} is unreadable",
                    "remove it; `techreg neo4j start` writes a new one")
    pid = state.get("pid", -1)
    if process_alive(pid):
        return ok("pid file", f"pid {pid} is running ({server.state_file})")
    return fail("pid file", f"stale: pid {pid} is not running ({server.state_file})",
                "`techreg neo4j start` clears it, or remove it")


def check_password(server: LocalServer) -> Check:
    path = server.password_file
    if not path.exists():
        return Check("password file", "skip", f"none yet at {path}: `techreg neo4j start` creates it")
    mode = path.stat().st_mode & 0o777
    if not os.access(path, os.R_OK):
        return fail("password file", f"{path} is not readable", "fix its owner, or remove it and "
                    "restart the server (a new password is generated)")
    if mode != 0o600:
        return fail("password file", f"{path} has mode {mode:04o}, not 0600",
                    f"chmod 600 {path}")
    return ok("password file", f"{path} (mode 0600)")


def check_answers(server: LocalServer, uri: str | None) -> Check:
    from . import db as dbmod

    hint = ("check NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD" if uri
            else "see the checks above; `techreg neo4j start` starts it")
    try:
        if uri:
            target = dbmod.Target.from_settings()
        elif not process_alive((_recorded_state(server) or {}).get("pid", -1)):
            return fail("neo4j", f"the local Neo4j is not running ({server.uri})",
                        "run `techreg neo4j start` (or set NEO4J_URI)")
        else:
            target = dbmod.Target(server.uri, "neo4j", server.password(),
                                  settings.get("NEO4J_DATABASE"), local=True)
        with dbmod.connect(target) as db:
            info = dbmod.server_info(db)
    except TechregError as e:
        return fail("neo4j", str(e), hint)
    return ok("neo4j", f"Neo4j {info['version']} {info['edition']} answers at {target.uri}")


# --- the machine -------------------------------------------------------------------------------

def check_disk(server: LocalServer) -> Check:
    where = _existing_parent(server.home)
    free = shutil.disk_usage(where).free
    detail = f"{free / 2**30:.1f} GiB free at {where}"
    if free < MIN_FREE_BYTES:
        return fail("disk", detail, f"free some space: the server needs about "
                    f"{MIN_FREE_BYTES / 2**30:.0f} GiB")
    return ok("disk", detail)


CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def check_chromium() -> Check:
    found = next((shutil.which(name) for name in CHROMIUMS if shutil.which(name)), None)
    if found:
        return ok("chromium", found)
    return Check("chromium", "warn", "not found (only the browser tests need it)",
                 "`make browser` installs it (apt-get install chromium)")
