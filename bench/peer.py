"""The peer: Neo4j Labs' rdflib-neo4j loading the same file, run with .venv-peer's Python.

`python -m bench.peer load FILE` prints {"seconds": ..., "count": ...} like bench/steps.py.
It connects with the same settings techreg uses (NEO4J_URI, or the local server's files).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def _auth() -> dict:
    if os.environ.get("NEO4J_URI"):
        return {"uri": os.environ["NEO4J_URI"], "database": os.environ.get("NEO4J_DATABASE",
                                                                             "neo4j"),
                "user": os.environ.get("NEO4J_USERNAME", "neo4j"),
                "pwd": os.environ["NEO4J_PASSWORD"]}
    home = Path(os.environ.get("TECHREG_NEO4J_HOME", "~/.cache/techreg/server")).expanduser()
    port = os.environ.get("TECHREG_NEO4J_PORT", "7687")
    return {"uri": f"bolt://127.0.0.1:{port}", "database": "neo4j", "user": "neo4j",
            "pwd": (home / "password").read_text().strip()}


def load(path: Path) -> int:
    from rdflib import Graph
    from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig

    config = Neo4jStoreConfig(auth_data=_auth(), batching=True,
                              handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE)
    graph = Graph(store=Neo4jStore(config=config))
    graph.parse(path, format="nt")
    count = len(graph) if hasattr(graph, "__len__") else 0
    graph.close(True)
    return count


def main() -> None:
    step, path = sys.argv[1], Path(sys.argv[2])
    if step == "wipe":
        from bench.steps import wipe

        wipe(path)
        print(json.dumps({"seconds": 0, "count": 0, "peak_mb": 0}))
        return
    from bench.steps import peak_mb

    started = time.perf_counter()
    count = load(path)
    print(json.dumps({"seconds": time.perf_counter() - started, "count": count,
                      "peak_mb": peak_mb()}))


if __name__ == "__main__":
    main()
