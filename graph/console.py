"""Running Cypher that a person typed: read-only, bounded in time and rows.

Three locks, each enough on its own for writes, together also for reads that reach out:
1. the transaction runs in READ access mode, so the server refuses any write;
2. EXPLAIN must classify the query as read-only ('r') before it runs;
3. a deny-list refuses clauses and procedures that reach files, the network or the
   configuration (LOAD CSV, dbms.*, apoc.load.* ...), and `CALL { } IN TRANSACTIONS`.
Neo4j's own transaction timeout stops a runaway query; rows stop at the row limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import neo4j
from neo4j.exceptions import ClientError, Neo4jError

from ontology.errors import TechregError

from . import settings
from .queries import plain

DENIED = (
    (r"\bLOAD\s+CSV\b", "LOAD CSV reads files and URLs"),
    (r"\bIN\s+TRANSACTIONS\b", "CALL { ... } IN TRANSACTIONS writes in batches"),
    (r"\b(dbms|db\.create|db\.index\.fulltext\.(create|drop)|apoc|gds|n10s)\.[\w.]*",
     "procedures that reach files, the network, the configuration or write"),
    (r"\b(CREATE|DROP|ALTER|GRANT|DENY|REVOKE|START|STOP)\s+(DATABASE|USER|ROLE|ALIAS|INDEX|"
     r"CONSTRAINT|SERVER)\b", "administration and schema commands"),
)


@dataclass
class ConsoleResult:
    columns: list[str]
    rows: list[list]
    truncated: bool


def _without_literals(text: str) -> str:
    """The query with string literals and comments blanked, for keyword checks."""
    text = re.sub(r"//[^\n]*|/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", text, flags=re.S)


def check_denied(text: str) -> None:
    code = _without_literals(text)
    for pattern, why in DENIED:
        match = re.search(pattern, code, flags=re.I)
        if match:
            raise TechregError(f"refused: {match.group(0)!r} is not allowed here ({why}); "
                               "this console is read-only")


def run_readonly(db, text: str, params: dict | None = None, timeout: float | None = None,
                 limit: int | None = None) -> ConsoleResult:
    """Run user-typed Cypher read-only, with a timeout and a row limit."""
    if not text or not text.strip():
        raise TechregError("the query is empty")
    timeout = timeout or settings.get_int("TECHREG_QUERY_TIMEOUT")
    limit = limit or settings.get_int("TECHREG_ROW_LIMIT")
    check_denied(text)
    try:
        with db.session(default_access_mode=neo4j.READ_ACCESS) as session:
            plan = session.run(neo4j.Query("EXPLAIN " + text, timeout=timeout), params or {})
            kind = plan.consume().query_type
            if kind != "r":
                raise TechregError(f"refused: the query is not read-only (Neo4j classes it "
                                   f"'{kind}'); this console only reads")
            result = session.run(neo4j.Query(text, timeout=timeout), params or {})
            columns = list(result.keys())
            rows, truncated = [], False
            for record in result:
                if len(rows) == limit:
                    truncated = True
                    break
                rows.append([plain(record[c]) for c in columns])
            result.consume()
    except ClientError as e:
        if "TransactionTimedOut" in (e.code or "") or "timeout" in (e.message or "").lower():
            raise TechregError(f"the query ran longer than {timeout:g} s and was stopped") \
                from None
        raise TechregError(f"Neo4j: {' '.join((e.message or str(e)).split())}") from None
    except Neo4jError as e:
        raise TechregError(f"Neo4j: {' '.join((e.message or str(e)).split())}") from None
    return ConsoleResult(columns, rows, truncated)
