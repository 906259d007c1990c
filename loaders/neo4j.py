"""RDF -> Neo4j: the atomic, diffing writer.

A load maps its input with the one mapping (ontology.mapping), reads the current state of
the affected sources, computes the difference, and writes it in one transaction:
afterwards Neo4j holds exactly the new state, or (on any failure) exactly the old one.
Each node stores the digest of its subject's statements, so a reload maps and compares
only the subjects whose statements changed.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from graph import cypher
from ontology.errors import TechregError
from ontology.mapping import Mapping, PropertyGraph, content_hash, to_property_graph

from .rdf import as_quads, statements, subject_digests

SOURCE = "urn:techreg:source:input"  # the graph of in-memory statements outside a named graph


def _bare(uri: str) -> dict:
    """The update that leaves a node as a load leaves one no source describes."""
    props = {"uri": uri}
    props["_hash"] = content_hash(["Resource"], props)
    return {"uri": uri, "props": props, "labels": ["Resource"]}



# --- the writer ------------------------------------------------------------------------------

@dataclass
class LoadSummary:
    triples: int = 0
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_deleted: int = 0
    unknown_terms: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any((self.nodes_created, self.nodes_updated, self.nodes_deleted,
                    self.relationships_created, self.relationships_updated,
                    self.relationships_deleted))

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds else 0.0


Progress = Callable[[str, int, int], None]  # (step, done, total)


def load(data, db, *, mode: str = "replace", source: str | None = None, wipe: bool = False,
         batch_size: int = 5000, progress: Progress | None = None) -> LoadSummary:
    """Load RDF into Neo4j atomically.

    mode "replace": afterwards Neo4j holds exactly this input (everything else is removed);
    "replace-source": the source graphs present in the input are replaced, others kept;
    "append": statements are added, nothing is removed.
    wipe: first delete every node in the database, techreg's or not (same transaction).

    In "replace" mode each node stores the digest of its subject's statements, and only
    subjects whose digest changed are mapped and compared: a reload of unchanged input
    reads the input and the stored digests, and writes nothing.
    """
    if mode not in ("replace", "replace-source", "append"):
        raise ValueError(mode)
    started = time.perf_counter()
    source = source or SOURCE
    data = as_quads(data)
    digests, count = subject_digests(data, source) if mode == "replace" else (None, 0)
    for statement in cypher.SCHEMA:
        db.execute_query(statement)

    def work(tx):
        tx.run(cypher.LOCK).consume()
        if wipe:
            tx.run(cypher.WIPE).consume()
        stored = _read_nodes(tx)
        record = tx.run(cypher.READ_MAPPING).single()
        base = Mapping.from_json(record["json"] if record else None)
        dirty = None
        if digests is not None:
            dirty = {uri for uri, digest in digests.items()
                     if uri not in stored or stored[uri][2] != digest}
        # A load that maps every subject records only the names it uses, as a load into an
        # empty database would; one that skips unchanged subjects keeps the stored names,
        # which their nodes still use.
        skips = dirty is not None and len(dirty) < len(digests)
        found = statements(data, source, dirty)
        if dirty is not None:
            found = (statement for statement in found if statement[0] in dirty)
        # A load that maps every subject starts its names afresh; the others keep the stored
        # names and declared datatypes, which the nodes they do not map still use.
        pg = to_property_graph(found, data.prefixes, base if skips or mode != "replace" else None)
        if digests is not None:
            for uri in dirty:
                pg.nodes[uri]["props"]["_digest"] = digests[uri]
        mapping = base if skips or mode != "replace" else Mapping()
        mapping.merge(pg.mapping)
        plan = _plan(tx, pg, mode, stored, digests)
        deleted = _apply(tx, plan, batch_size, progress)
        tx.run(cypher.WRITE_MAPPING, json=mapping.to_json()).consume()
        return plan, pg, deleted

    with db.session() as session, _no_cyclic_gc():
        plan, pg, deleted = session.execute_write(work)
    return _summary(plan, deleted, count if digests is not None else pg.triples,
                    len(pg.mapping.unknown), started)


@contextlib.contextmanager
def _no_cyclic_gc():
    """Pause Python's cycle collector while a load builds millions of small dicts, lists
    and sets (none of which form cycles): its passes over them took a third of the mapping
    and planning time at 1M statements."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _summary(plan: dict, deleted: set[str], triples: int, unknown: int,
             started: float) -> LoadSummary:
    return LoadSummary(
        triples=triples,
        nodes_created=len(plan["create_nodes"]),
        # A node whose description was removed and that nothing points to any more is
        # deleted rather than left bare.
        nodes_updated=sum(1 for row in plan["update_nodes"] if row["uri"] not in deleted),
        nodes_deleted=len(plan["delete_nodes"]) + len(deleted),
        relationships_created=len(plan["create_rels"]),
        relationships_updated=len(plan["update_rels"]),
        relationships_deleted=len(plan["delete_rels"]),
        unknown_terms=unknown,
        seconds=time.perf_counter() - started)


def unload(db, graph_iri: str, progress: Progress | None = None) -> LoadSummary:
    """Remove everything one source graph asserts, atomically."""
    started = time.perf_counter()

    def work(tx):
        tx.run(cypher.LOCK).consume()
        plan = _plan(tx, PropertyGraph(), "replace-source", _read_nodes(tx), None, [graph_iri])
        return plan, _apply(tx, plan, 5000, progress)

    with db.session() as session:
        plan, deleted = session.execute_write(work)
    return _summary(plan, deleted, 0, 0, started)


def _read_nodes(tx) -> dict[str, tuple]:
    """The stored nodes: uri -> (hash, graph, digest)."""
    [record] = tx.run(cypher.READ_NODES).fetch(1)
    return {uri: (hash_, graph, digest) for uri, hash_, graph, digest in record["nodes"]}


def _plan(tx, pg: PropertyGraph, mode: str, current_nodes: dict, digests: dict | None,
          graphs: list[str] | None = None) -> dict:
    """What to create, update and delete so that the stored graph matches the input.

    "replace": `pg` holds only the subjects whose digest changed (and the nodes their
    relationships reach); the relationships of those subjects and of stored subjects the
    input no longer has are read and compared; nothing else is touched. Other modes read
    every relationship and compare the whole input.
    """
    replace = mode == "replace"
    if graphs is None and not replace:  # the sources a partial load is about
        graphs = sorted({n["props"].get("_graph") for n in pg.nodes.values()} - {None}
                        | {g for gs in pg.rels.values() for g in gs})
    in_scope = (lambda g: True) if replace else (lambda g: g in graphs)
    plan = defaultdict(list)
    if replace:
        gone = [uri for uri in current_nodes if uri not in digests]
        # Mapped subjects carry their new digest; other nodes in `pg` are only ends.
        changed = [uri for uri, node in pg.nodes.items()
                   if "_digest" in node["props"] and uri in current_nodes]
        current_rels = _read_relationships(tx, changed + gone)
    else:
        current_rels = _read_relationships(tx, None)
    candidates = pg.rels

    # Relationships: their graph lists follow the input within the scope.
    wanted_rels: dict[tuple, set[str]] = {}
    touched: set[str] = set()  # start nodes whose relationships change
    kept = []  # (id, key, graphs wanted, graphs stored as written)
    for key, (rid, stored, written) in current_rels.items():
        keep = set() if replace else {g for g in stored if not in_scope(g)}
        if mode == "append":
            keep = set(stored)
        new = keep | candidates.get(key, set())
        wanted_rels[key] = new
        if not new:
            plan["delete_rels"].append({"id": rid})
            touched.add(key[0])
            if replace:
                plan["cleanup"].append(key[2])
            continue
        if new != stored:
            touched.add(key[0])
        kept.append((rid, key, new, written))
    created = [(key, new) for key, new in candidates.items() if key not in current_rels]
    for key, new in created:
        wanted_rels[key] = set(new)
        touched.add(key[0])

    if replace:
        for uri, node in pg.nodes.items():
            props, stored = node["props"], current_nodes.get(uri)
            if stored is None:
                plan["create_nodes"].append({"props": props, "labels": sorted(node["labels"])})
            elif "_digest" in props and (stored[0], stored[2]) != (props["_hash"],
                                                                 props["_digest"]):
                plan["update_nodes"].append({"uri": uri, "props": props,
                                             "labels": sorted(node["labels"])})
        for uri in gone:  # described no more: made bare, and deleted if nothing points to it
            if current_nodes[uri][1] is not None or current_nodes[uri][2] is not None:
                plan["update_nodes"].append(_bare(uri))
            plan["cleanup"].append(uri)
    else:
        _plan_nodes(plan, pg, mode, current_nodes, wanted_rels, in_scope)
        # A partial load changes statements of these subjects without knowing all of them:
        # their digests no longer hold, so the next replace load compares them in full.
        written_nodes = {row["uri"] for row in plan["update_nodes"]} | \
            {row["props"]["uri"] for row in plan["create_nodes"]}
        plan["forget_digests"] = [{"uri": uri} for uri in sorted(touched - written_nodes)
                                  if current_nodes.get(uri, (None, None, None))[2] is not None]

    # A relationship's `_graphs` is left out when it is just its start node's `_graph` (the
    # case of nearly every statement), which the node's final state decides.
    final = {row["props"]["uri"]: row["props"].get("_graph") for row in plan["create_nodes"]}
    final.update((row["uri"], row["props"].get("_graph")) for row in plan["update_nodes"])

    def written_as(start: str, graphs: set[str]) -> list[str] | None:
        graph = final[start] if start in final else current_nodes[start][1] \
            if start in current_nodes else pg.nodes[start]["props"].get("_graph")
        return None if graph is not None and graphs == {graph} else sorted(graphs)

    for rid, key, new, written in kept:
        value = written_as(key[0], new)
        if value != written:
            plan["update_rels"].append({"id": rid, "graphs": value})
    plan["create_rels"] = [{"start": key[0], "type": key[1], "end": key[2],
                            "graphs": written_as(key[0], new)} for key, new in created]
    return plan


def _plan_nodes(plan: dict, pg: PropertyGraph, mode: str, current_nodes: dict,
                wanted_rels: dict, in_scope) -> None:
    """Nodes in a partial load: described nodes follow the input; a node no source
    describes and no relationship touches any more is removed."""
    referenced = {k[0] for k, g in wanted_rels.items() if g} | \
                 {k[2] for k, g in wanted_rels.items() if g}
    for uri, node in pg.nodes.items():
        props, labels = node["props"], sorted(node["labels"])
        stored = current_nodes.get(uri)
        if stored is None:
            plan["create_nodes"].append({"props": props, "labels": labels})
        elif "_graph" in props and stored[0] != props["_hash"]:
            if stored[1] and stored[1] != props["_graph"] and not in_scope(stored[1]):
                raise TechregError(
                    f"<{uri}> is already described by source <{stored[1]}>; keep each subject's "
                    "facts in one source or replace that source")
            plan["update_nodes"].append({"uri": uri, "props": props, "labels": labels})
    for uri, (_, graph, _) in current_nodes.items():
        if uri in pg.nodes:
            continue
        described_elsewhere = graph is not None and (not in_scope(graph) or mode == "append")
        if described_elsewhere:
            continue
        if uri in referenced:
            if graph is not None:  # its description was removed; keep a bare node
                plan["update_nodes"].append(_bare(uri))
        else:
            plan["delete_nodes"].append({"uri": uri})


def _read_relationships(tx, starts: list[str] | None, batch: int = 20000) -> dict:
    """Stored relationships (all, or those leaving the given nodes) by (start, type, end):
    (id, the graphs that assert it, `_graphs` as stored)."""
    if starts is None:
        pages = [tx.run(cypher.READ_RELATIONSHIPS).single()["rels"]]
    else:
        pages = (tx.run(cypher.READ_RELATIONSHIPS_FROM, uris=starts[i: i + batch]).single()["rels"]
                 for i in range(0, len(starts), batch))
    # A relationship without `_graphs` is asserted where its start node is described.
    return {(start, type_, end): (rid, set(graphs) if graphs is not None else
                                  {start_graph} if start_graph is not None else set(), graphs)
            for page in pages for start, type_, end, rid, graphs, start_graph in page}


def _apply(tx, plan: dict, batch_size: int, progress: Progress | None) -> set[str]:
    """Write the plan; returns the uris of the nodes deleted because nothing points to them
    any more."""
    steps = [
        ("delete relationships", cypher.DELETE_RELATIONSHIPS, plan["delete_rels"]),
        ("delete nodes", cypher.DELETE_NODES, plan["delete_nodes"]),
        ("create nodes", cypher.CREATE_NODES, plan["create_nodes"]),
        ("update nodes", cypher.UPDATE_NODES, plan["update_nodes"]),
        ("create relationships", cypher.CREATE_RELATIONSHIPS, plan["create_rels"]),
        ("update relationships", cypher.UPDATE_RELATIONSHIPS, plan["update_rels"]),
        ("update nodes", cypher.FORGET_DIGESTS, plan["forget_digests"]),
    ]
    total = sum(len(rows) for _, _, rows in steps)
    done = 0
    for step, query, rows in steps:
        for i in range(0, len(rows), batch_size):
            batch = rows[i: i + batch_size]
            tx.run(query, rows=batch).consume()
            done += len(batch)
            if progress:
                progress(step, done, total)
    candidates = sorted(set(plan["cleanup"]))
    deleted: set[str] = set()
    for i in range(0, len(candidates), 20000):
        deleted.update(tx.run(cypher.DELETE_UNUSED, uris=candidates[i: i + 20000]
                              ).single()["deleted"])
    return deleted

