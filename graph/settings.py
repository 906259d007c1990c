"""Every setting of techreg: one table, read from the environment, documented in the README."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("NEO4J_URI", "", "Use this Neo4j server (bolt:// or neo4j://) instead of the local one; "
            "techreg then never starts a server."),
    Setting("NEO4J_USERNAME", "neo4j", "User name for NEO4J_URI."),
    Setting("NEO4J_PASSWORD", "", "Password for NEO4J_URI."),
    Setting("NEO4J_DATABASE", "neo4j", "Database to use."),
    Setting("TECHREG_CACHE", "~/.cache/techreg", "Where the Neo4j jars and the compiled launcher are "
            "kept (shared by all local servers)."),
    Setting("TECHREG_NEO4J_HOME", "~/.cache/techreg/server", "The local server's folder: data, logs, "
            "configuration, password file (mode 0600), pid file."),
    Setting("TECHREG_NEO4J_PORT", "7687", "Bolt port of the local server (it listens on 127.0.0.1 only)."),
    Setting("TECHREG_NEO4J_HEAP", "2g", "Java heap of the local server (-Xmx)."),
    Setting("TECHREG_NEO4J_PAGECACHE", "1g", "Page cache of the local server."),
    Setting("TECHREG_NEO4J_START_TIMEOUT", "180", "Seconds to wait for the local server to answer."),
    Setting("TECHREG_BULK_OFF_HEAP", "2G", "Memory outside its heap that `load --bulk`'s "
            "neo4j-admin import may use."),
    Setting("TECHREG_EXPORT_WORKERS", "", "Worker processes of an N-Triples/N-Quads export "
            "(default: one per core, at most 4)."),
    Setting("TECHREG_QUERY_TIMEOUT", "15", "Seconds a user-typed read-only query may run."),
    Setting("TECHREG_ROW_LIMIT", "1000", "Rows returned at most by a user-typed query."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The value of a setting: the environment's, else the default."""
    return os.environ.get(name) or _BY_NAME[name].default


def get_int(name: str) -> int:
    from ontology.errors import TechregError

    value = get(name)
    try:
        return int(value)
    except ValueError:
        raise TechregError(f"{name}={value!r} is not a whole number; fix or unset it") from None


def get_path(name: str) -> Path:
    return Path(get(name)).expanduser()
