"""The human-readable ontology reference (docs/ontology.md), generated from the ontology."""

from __future__ import annotations

from rdflib import RDFS, SKOS

from . import NS, local_name, model


def _range(prop) -> str:
    if prop.scheme is not None:
        return f"code of {local_name(prop.scheme)}"
    if prop.range is None:
        return "IRI" if prop.is_object else "text"
    if prop.range == NS.PartialDate:
        return "date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if prop.range == RDFS.Literal:
        return "text (or language -> text)"
    return local_name(prop.range)


def render_reference() -> str:
    m = model()
    lines = [
        "# techreg ontology reference",
        "",
        "Generated from `ontology/techreg.ttl` and `ontology/vocabularies.ttl` by "
        "`techreg docs`; do not edit by hand.",
        "",
        f"Namespace: `{NS}` (prefix `tr:`); instances under `https://w3id.org/techreg/id/`.",
        "",
        "## Classes",
        "",
        "Each class is a Neo4j label; a node also carries the labels of its superclasses.",
        "",
        "| class | subclass of | description | record fields |",
        "|---|---|---|---|",
    ]
    for name in sorted(m.classes):
        cls = m.classes[name]
        parents = ", ".join(local_name(p) for p in cls.parents if m.is_own(p)) or "-"
        fields = sorted(p.key for p in m.properties.values()
                        if p.domains and m.allows(p, cls.iri)
                        and not (p.domains & {NS.Entity}))
        lines.append(f"| `{name}` | {parents} | {cls.comment} | {', '.join(fields) or '-'} |")
    lines += [
        "",
        "Every record may also have: "
        + ", ".join(f"`{p.key}`" for p in sorted(m.properties.values(), key=lambda p: p.key)
                    if NS.Entity in p.domains) + ".",
        "",
        "## Properties",
        "",
        "| record field | RDF property | Neo4j | value | description |",
        "|---|---|---|---|---|",
    ]
    for key in sorted(m.properties):
        p = m.properties[key]
        qname = m.graph.namespace_manager.normalizeUri(p.iri)
        neo = f"`-[:{p.neo4j_name}]->`" if p.is_object else f"`.{p.neo4j_name}`"
        lines.append(f"| `{key}` | `{qname}` | {neo} | {_range(p)} | {p.comment} |")
    lines += ["", "## Concept schemes", ""]
    for scheme in sorted(m.concepts, key=str):
        title = m.graph.value(scheme, RDFS.label)
        lines += [f"### {local_name(scheme)}: {title}", "", "| code | label | definition |",
                  "|---|---|---|"]
        for code, concept in sorted(m.concepts[scheme].items()):
            label = m.graph.value(concept, SKOS.prefLabel)
            definition = m.graph.value(concept, SKOS.definition) or ""
            lines.append(f"| `{code}` | {label} | {definition} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
