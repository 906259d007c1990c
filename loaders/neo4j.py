"""RDF -> Neo4j: the ontology-derived property-graph mapping and an atomic, diffing writer.

The mapping (docs/mapping.md):
- a node per IRI or blank node, label `Resource` plus the local names of its ontology
  types and their superclasses; types outside the ontology get `prefix__LocalName`;
- IRI-valued statements become relationships named by the property's Neo4j name
  (UPPER_SNAKE_CASE of the local name), literal-valued statements node properties with
  native types; several values make a list; `name@lang` holds language-tagged values;
- each node knows the source graph that describes it (`_graph`), each relationship the
  graphs that assert it (`_graphs`), so one source can be replaced or unloaded alone;
- the names of all terms are recorded in a `_TechregMapping` node for export.

A load reads the current state of the affected sources, computes the difference, and
writes it in one transaction: afterwards Neo4j holds exactly the new state, or (on any
failure) exactly the old one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox
from rdflib import RDF, XSD, Dataset, URIRef

from graph import cypher
from ontology import local_name, model, upper_snake
from ontology.errors import TechregError

DEFAULT_GRAPH = "urn:x-rdflib:default"
META_PROPS = ("uri", "_graph", "_hash", "_digest")


# --- names ---------------------------------------------------------------------------------

@dataclass
class Mapping:
    """Neo4j names <-> RDF terms; built while mapping, stored in Neo4j, read by export."""

    prefixes: dict[str, str] = field(default_factory=dict)  # namespace -> prefix
    labels: dict[str, str] = field(default_factory=dict)  # label -> class IRI
    properties: dict[str, str] = field(default_factory=dict)  # property name -> IRI
    relationships: dict[str, str] = field(default_factory=dict)  # type -> IRI
    datatypes: dict[str, list[str]] = field(default_factory=dict)  # property -> datatypes
    unknown: set[str] = field(default_factory=set)

    @classmethod
    def from_json(cls, text: str | None) -> Mapping:
        if not text:
            return cls()
        data = json.loads(text)
        return cls(data["prefixes"], data["labels"], data["properties"],
                   data["relationships"], data["datatypes"], set(data.get("unknown", [])))

    def used_prefixes(self) -> dict[str, str]:
        """Prefix bindings of the namespaces the mapped terms use (and techreg's ids)."""
        iris = [*self.labels.values(), *self.properties.values(), *self.relationships.values()]
        return {ns: prefix for ns, prefix in self.prefixes.items()
                if prefix == "id" or any(iri.startswith(ns) for iri in iris)}

    def to_json(self) -> str:
        return json.dumps({"prefixes": self.used_prefixes(), "labels": self.labels,
                           "properties": self.properties, "relationships": self.relationships,
                           "datatypes": {name: sorted(types) for name, types in self.datatypes.items()},
                           "unknown": sorted(self.unknown)},
                          sort_keys=True)

    def merge(self, other: Mapping) -> None:
        for mine, theirs in ((self.labels, other.labels), (self.properties, other.properties),
                             (self.relationships, other.relationships)):
            for name, iri in theirs.items():
                if mine.setdefault(name, iri) != iri:
                    raise TechregError(f"the Neo4j name {name!r} would stand for both <{mine[name]}>"
                                       f" and <{iri}>; bind distinct prefixes in the input")
        for namespace, prefix in other.prefixes.items():
            self.prefixes.setdefault(namespace, prefix)
        for name, types in other.datatypes.items():
            known = self.datatypes.setdefault(name, [])
            known.extend(t for t in types if t not in known)
        self.unknown |= other.unknown

    def _generic(self, iri: str, relationship: bool) -> str:
        self.unknown.add(iri)
        local = local_name(iri)
        namespace = iri[: len(iri) - len(local)]
        prefix = self.prefixes.get(namespace)
        if prefix is None:
            used = set(self.prefixes.values())
            prefix = next(f"ns{i}" for i in range(len(used) + 1) if f"ns{i}" not in used)
            self.prefixes[namespace] = prefix
        return f"{prefix}__{upper_snake(local) if relationship else local}"

    def label_names(self, cls: URIRef) -> list[str]:
        m = model()
        if m.is_own(cls):
            names = [local_name(c) for c in m.ancestors(cls)]
            for c in m.ancestors(cls):
                self.labels[local_name(c)] = str(c)
            return names
        name = self._generic(str(cls), relationship=False)
        self.labels[name] = str(cls)
        return [name]

    def relationship_name(self, prop: URIRef) -> str:
        known = model().by_iri.get(prop)
        name = known.neo4j_name if known else self._generic(str(prop), relationship=True)
        self.relationships[name] = str(prop)
        return name

    def property_name(self, prop: URIRef, datatype: str | None, language: str | None) -> str:
        known = model().by_iri.get(prop)
        name = known.neo4j_name if known else self._generic(str(prop), relationship=False)
        self.properties[name] = str(prop)
        if language:
            return f"{name}@{language}"
        datatype = datatype or ""
        known_types = self.datatypes.setdefault(name, [])
        if datatype not in known_types:
            known_types.append(datatype)
        return name


XSD_NS = str(XSD)
_AS_STRING = {None, XSD_NS + "string", XSD_NS + "anyURI", XSD_NS + "gYear", XSD_NS + "gYearMonth"}
_INTEGERS = {XSD_NS + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                  "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                  "unsignedInt", "unsignedLong", "unsignedShort")}


def native(value: str, datatype: str | None):
    """A literal's lexical value as a native Neo4j value; partial dates stay strings.

    Raises ValueError for a value its datatype does not allow ("2016-02-30"^^xsd:date).
    """
    if datatype in _AS_STRING:
        return value
    try:
        if datatype == XSD_NS + "date":
            return dt.date.fromisoformat(value)
        if datatype == XSD_NS + "dateTime":
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if datatype in _INTEGERS:
            return int(value)
        if datatype == XSD_NS + "decimal":
            number = Decimal(value)
            return int(number) if number == number.to_integral() and abs(number) < 2**63 \
                else float(number)
        if datatype in (XSD_NS + "double", XSD_NS + "float"):
            return float(value)
        if datatype == XSD_NS + "boolean":
            if value not in ("true", "false", "1", "0"):
                raise ValueError(value)
            return value in ("true", "1")
    except (ValueError, ArithmeticError):
        raise ValueError(f"{value!r} is not a valid {datatype.rsplit('#', 1)[-1]}") from None
    return value


# --- RDF -> property graph (pure) -----------------------------------------------------------

@dataclass
class PropertyGraph:
    nodes: dict[str, dict] = field(default_factory=dict)  # uri -> {labels, props}
    rels: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)  # -> graphs
    mapping: Mapping = field(default_factory=Mapping)
    triples: int = 0

    def node(self, uri: str) -> dict:
        return self.nodes.setdefault(uri, {"labels": {"Resource"}, "props": {"uri": uri}})


@dataclass
class Quads:
    """RDF input read by pyoxigraph.

    `quads` are held in memory: records, and every statement with a blank node (those are
    canonicalised together at load time). Statements of `files` are kept as text by
    subject (`lines`: predicate, object and graph in N-Quads syntax) while a load decides
    what changed, and the files are parsed again for a full mapping, so a large file is
    never held in memory as pyoxigraph terms.
    """

    quads: list
    prefixes: dict[str, str] = field(default_factory=dict)  # prefix -> namespace
    files: list[tuple[str, ox.RdfFormat, str]] = field(default_factory=list)  # path, fmt, graph
    lines: dict[str, list[str]] | None = None  # subject -> its statements in files, as text
    file_statements: int = 0  # statements in files outside `quads`
    digests: dict[str, tuple] = field(default_factory=dict)  # source -> subject_digests()

    def __iter__(self) -> Iterator[ox.Quad]:
        """Every statement as read (default-graph statements of files in the file's graph)."""
        yield from self.quads
        for path, fmt, graph in self.files:
            for quad in ox.parse(path=path, format=fmt, base_iri=graph):
                if not _has_blank_node(quad):
                    yield ox.Quad(quad.subject, quad.predicate, quad.object,
                                  ox.NamedNode(graph) if isinstance(quad.graph_name, ox.DefaultGraph)
                                  else quad.graph_name)


def as_quads(data) -> Quads:
    """pyoxigraph quads of an rdflib graph or dataset (small inputs such as the records)."""
    if isinstance(data, Quads):
        return data
    if not isinstance(data, Dataset):
        dataset = Dataset()
        for triple in data:
            dataset.add(triple)
        data = dataset
    text = data.serialize(format="nquads")
    prefixes = {p: str(ns) for p, ns in data.namespace_manager.namespaces() if p}
    return Quads(list(ox.parse(text, format=ox.RdfFormat.N_QUADS)), prefixes)


def _has_blank_node(quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode) \
        or isinstance(quad.graph_name, ox.BlankNode)


BlankNode, DefaultGraph = ox.BlankNode, ox.DefaultGraph


def file_lines(path: str, fmt: ox.RdfFormat, graph: str, lines: dict[str, list[str]],
               blank: list | None = None) -> tuple[int, dict[str, str]]:
    """Add a file's statements to `lines` by subject, as text (predicate, object, graph),
    its default graph named `graph`; statements with blank nodes go to `blank` instead.
    Returns the number of statements added to `lines` and the prefixes the file declares."""
    default = f"<{graph}>"
    count = 0
    with open(path, "rb") as f:
        parser = ox.parse(f, format=fmt, base_iri=graph)
        for quad in parser:  # (once per statement: the checks of _has_blank_node inlined)
            subject, obj, name = quad.subject, quad.object, quad.graph_name
            if type(subject) is BlankNode or type(obj) is BlankNode or type(name) is BlankNode:
                if blank is not None:
                    blank.append(ox.Quad(subject, quad.predicate, obj,
                                         ox.NamedNode(graph) if type(name) is DefaultGraph
                                         else name))
                continue
            line = f"{quad.predicate} {obj} {default if type(name) is DefaultGraph else name}"
            subject = subject.value
            known = lines.get(subject)
            if known is None:
                lines[subject] = [line]
            else:
                known.append(line)
            count += 1
        return count, dict(parser.prefixes or {})


def statements(data: Quads, source: str, subjects: set[str] | None = None) -> Iterator[tuple]:
    """(subject node id, predicate, object, graph) for every statement (or those about
    `subjects`), default-graph statements in memory put in `source`.

    Blank nodes get canonical labels (RDFC-1.0), so reading the same file twice gives the
    same nodes and a second load changes nothing.
    """
    with_bnodes = ox.Dataset()
    for quad in data.quads:
        if _has_blank_node(quad):
            with_bnodes.add(quad)
            continue
        graph = quad.graph_name
        yield quad.subject.value, quad.predicate, quad.object, \
            source if isinstance(graph, ox.DefaultGraph) else graph.value
    if len(with_bnodes):
        with_bnodes.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        for quad in with_bnodes:
            graph = quad.graph_name
            graph = source if isinstance(graph, ox.DefaultGraph) else graph.value
            yield _node_id(quad.subject, graph), quad.predicate, quad.object, graph
    if subjects is not None and not subjects or not data.files:
        return
    if data.lines is not None and subjects is not None and 4 * len(subjects) < len(data.lines):
        # A few subjects changed: parse their statements kept as text, not the files.
        text = "".join(f"<{subject}> {line} .\n" for subject in subjects
                       for line in data.lines.get(subject, ()))
        for quad in ox.parse(text, format=ox.RdfFormat.N_QUADS):
            yield quad.subject.value, quad.predicate, quad.object, quad.graph_name.value
        return
    data.lines = None  # mapping (nearly) everything: the memory is better spent on that
    for path, fmt, graph in data.files:
        for quad in ox.parse(path=path, format=fmt, base_iri=graph):
            subject = quad.subject.value  # (a blank node's label is never a subject's id)
            if subjects is not None and subject not in subjects or _has_blank_node(quad):
                continue
            name = quad.graph_name
            yield subject, quad.predicate, quad.object, \
                graph if isinstance(name, ox.DefaultGraph) else name.value


def subject_digests(data: Quads, source: str) -> tuple[dict[str, str], int]:
    """Each subject's digest (a hash of its statements, in sorted order), and the number of
    statements.

    A node stores its digest, so a reload maps and compares only the subjects whose
    statements changed."""
    if source in data.digests:
        return data.digests[source]
    lines = data.lines
    if lines is None:  # dropped by an earlier full mapping: read the files again
        lines = {}
        for path, fmt, graph in data.files:
            file_lines(path, fmt, graph, lines)
    extra: dict[str, list[str]] = {}
    count = data.file_statements
    for start, predicate, obj, graph in statements(Quads(data.quads), source):
        count += 1
        extra.setdefault(start, []).append(f"{predicate} {obj} <{graph}>")
    digests = {}
    for subject, found in lines.items():
        more = extra.pop(subject, None)
        digests[subject] = _digest(found + more if more else found)
    for subject, found in extra.items():
        digests[subject] = _digest(found)
    data.digests[source] = digests, count
    return digests, count


def _digest(lines: list[str]) -> str:
    return hashlib.blake2b("\n".join(sorted(lines)).encode(), digest_size=16).hexdigest()


def to_property_graph(data, source: str = "urn:techreg:source:input",
                      subjects: set[str] | None = None, base: Mapping | None = None
                      ) -> PropertyGraph:
    """Map RDF to nodes and relationships (no database): all subjects, or only `subjects`.

    `base`: the mapping stored by earlier loads, whose prefixes are kept, so names given
    to terms outside the ontology stay the same for the subjects not mapped again."""
    pg = PropertyGraph()
    mapping = pg.mapping
    data = as_quads(data)
    if base is not None:
        mapping.prefixes.update(base.prefixes)
    used = set(mapping.prefixes.values())
    for prefix, namespace in data.prefixes.items():
        if prefix not in used:
            mapping.prefixes.setdefault(namespace, prefix)
    owners: dict[str, str] = {}
    nodes = pg.nodes
    rels = pg.rels
    rel_names: dict[str, str] = {}
    prop_names: dict[tuple, str] = {}
    labels_of: dict[str, list[str]] = {}
    rdf_type = str(RDF.type)
    for start, p, o, g in statements(data, source, subjects):
        if subjects is not None and start not in subjects:
            continue
        pg.triples += 1
        node = nodes.get(start) or pg.node(start)
        predicate = p.value
        is_literal = isinstance(o, ox.Literal)
        if is_literal or predicate == rdf_type:
            owner = owners.setdefault(start, g)
            if owner != g:
                raise TechregError(
                    f"<{start}> is described in two source graphs, <{owner}> and <{g}>; "
                    "keep each subject's facts in one source")
            node["props"]["_graph"] = g
        if predicate == rdf_type and isinstance(o, ox.NamedNode):
            cls = o.value
            if cls not in labels_of:
                labels_of[cls] = mapping.label_names(URIRef(cls))
            node["labels"].update(labels_of[cls])
            node["props"].setdefault("_types", []).append(cls)
        elif is_literal:
            language = o.language
            datatype = None if language else o.datatype.value
            key = (predicate, datatype, language)
            name = prop_names.get(key)
            if name is None:
                name = prop_names[key] = mapping.property_name(URIRef(predicate), datatype,
                                                               language)
            try:
                node["props"].setdefault(name, []).append(native(o.value, datatype))
            except ValueError as e:
                raise TechregError(f"<{start}> <{predicate}>: {e}; fix the value in source "
                                   f"<{g}>") from None
        else:
            end = _node_id(o, g)
            if end not in nodes:
                pg.node(end)
            name = rel_names.get(predicate)
            if name is None:
                name = rel_names[predicate] = mapping.relationship_name(URIRef(predicate))
            key = (start, name, end)
            graphs = rels.get(key)
            if graphs is None:
                rels[key] = {g}
            else:
                graphs.add(g)
    for node in nodes.values():
        props = node["props"]
        for name, values in props.items():
            if isinstance(values, list):
                if len(values) > 1:
                    values.sort(key=lambda v: (type(v).__name__, str(v)))
                props[name] = values[0] if len(values) == 1 and name != "_types" else values
        props["_hash"] = _hash(sorted(node["labels"]), props)
    return pg


def _bare(uri: str) -> dict:
    """The update that leaves a node as a load leaves one no source describes."""
    props = {"uri": uri}
    props["_hash"] = _hash(["Resource"], props)
    return {"uri": uri, "props": props, "labels": ["Resource"]}


def _node_id(term, graph: str) -> str:
    # Blank nodes are scoped to their graph, as in RDF datasets.
    if isinstance(term, ox.BlankNode):
        return f"_:{hashlib.sha1(f'{graph} {term.value}'.encode()).hexdigest()[:16]}"
    return term.value


def _hash(labels: list[str], props: dict) -> str:
    text = json.dumps([labels, {k: v for k, v in props.items() if k not in ("_hash", "_digest")}],
                      sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()


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
    source = source or "urn:techreg:source:input"
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
        pg = to_property_graph(data, source, dirty, base if skips else None)
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
