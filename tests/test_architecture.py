"""The house rules of docs/architecture.md, read from the code: rooms above import rooms
below, never the reverse; no import cycles between modules; modules a newcomer can read."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
# The layers, bottom first: a package may import its own layer and those below.
LAYERS = {"ontology": 0, "graph": 1, "loaders": 2, "cli": 3, "explorer": 3, "app": 4, "bench": 4}
MAX_LINES = 500


def modules() -> dict[str, Path]:
    found = {"app": ROOT / "app.py"}
    for package in LAYERS:
        folder = ROOT / package
        if folder.is_dir():
            for path in folder.rglob("*.py"):
                parts = path.relative_to(ROOT).with_suffix("").parts
                name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
                found[name] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of ours the module imports, at the top or inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    result = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            # `from package import module` imports the module; other names come from base.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                result.add(target)
    return result


def import_graph() -> nx.DiGraph:
    found = modules()
    graph = nx.DiGraph()
    for name, path in found.items():
        graph.add_node(name)
        for target in imports(name, path, set(found)):
            graph.add_edge(name, target)
    return graph


def test_the_scan_sees_imports_inside_functions():
    graph = import_graph()
    assert graph.has_edge("loaders.neo4j", "ontology.mapping")
    assert graph.number_of_edges() > 50


def test_no_module_imports_a_room_above_its_own():
    upward = [(a, b) for a, b in import_graph().edges
              if LAYERS[b.split(".")[0]] > LAYERS[a.split(".")[0]]]
    assert upward == []


def test_the_read_side_imports_nothing_from_the_write_side():
    assert [(a, b) for a, b in import_graph().edges
            if a.startswith("graph") and b.startswith("loaders")] == []


def test_no_import_cycles_between_modules():
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    # A package's __init__ may gather its own modules; a cycle between two modules is a knot.
    knots = [c for c in cycles if not (len(c) == 2 and c[1].startswith(c[0] + "."))]
    assert knots == []


def test_no_module_outside_tests_is_past_what_a_newcomer_reads_in_one_sitting():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}
