"""Every Cypher statement techreg runs, in one place.

Values travel only as parameters. Labels and relationship types travel as parameters too,
through Cypher 5.26's dynamic labels and types (`n:$(row.labels)`), so no name from the
data is ever spliced into query text.
"""

from __future__ import annotations

SCHEMA = (
    "CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (n:Resource) REQUIRE n.uri IS UNIQUE",
    "CREATE FULLTEXT INDEX resource_names IF NOT EXISTS FOR (n:Resource) "
    "ON EACH [n.label, n.`label@en`, n.altLabel, n.`altLabel@en`, n.prefLabel, n.title]",
    "CREATE INDEX proceeding_ecli IF NOT EXISTS FOR (n:Proceeding) ON (n.ecli)",
    "CREATE INDEX proceeding_docket IF NOT EXISTS FOR (n:Proceeding) ON (n.docket)",
    "CREATE INDEX law_celex IF NOT EXISTS FOR (n:Law) ON (n.celex)",
    "CREATE INDEX law_eli IF NOT EXISTS FOR (n:Law) ON (n.eli)",
    "CREATE INDEX jurisdiction_iso IF NOT EXISTS FOR (n:Jurisdiction) ON (n.isoCode)",
    "CREATE INDEX resource_graph IF NOT EXISTS FOR (n:Resource) ON (n._graph)",
)

# Loads take this lock first, so two loads never interleave: the second waits.
LOCK = "MERGE (l:_TechregLock {id: 'load'}) SET l.id = 'load'"

WIPE = "MATCH (n) WHERE NOT n:_TechregLock DETACH DELETE n"

READ_MAPPING = "MATCH (m:_TechregMapping {id: 'mapping'}) RETURN m.json AS json"
WRITE_MAPPING = "MERGE (m:_TechregMapping {id: 'mapping'}) SET m.json = $json"

READ_NODES = "MATCH (n:Resource) RETURN n.uri AS uri, n._hash AS hash, n._graph AS graph"
READ_RELATIONSHIPS = (
    "MATCH (a:Resource)-[r]->(b:Resource) "
    "RETURN a.uri AS start, type(r) AS type, b.uri AS end, elementId(r) AS id, "
    "r._graphs AS graphs"
)

CREATE_NODES = "UNWIND $rows AS row CREATE (n:Resource) SET n = row.props, n:$(row.labels)"
UPDATE_NODES = (
    "UNWIND $rows AS row MATCH (n:Resource {uri: row.uri}) "
    "WITH n, row, [l IN labels(n) WHERE NOT l IN row.labels] AS old "
    "REMOVE n:$(old) SET n = row.props, n:$(row.labels)"
)
DELETE_NODES = "UNWIND $rows AS row MATCH (n:Resource {uri: row.uri}) DETACH DELETE n"
CREATE_RELATIONSHIPS = (
    "UNWIND $rows AS row MATCH (a:Resource {uri: row.start}) MATCH (b:Resource {uri: row.end}) "
    "CREATE (a)-[r:$(row.type)]->(b) SET r._graphs = row.graphs"
)
UPDATE_RELATIONSHIPS = (
    "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.id SET r._graphs = row.graphs"
)
DELETE_RELATIONSHIPS = "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.id DELETE r"

# Export reads the graph back in pages keyed by uri, so memory stays flat.
EXPORT_NODES = (
    "MATCH (n:Resource) WHERE n.uri > $after "
    "WITH n ORDER BY n.uri LIMIT $limit "
    "RETURN n.uri AS uri, properties(n) AS props, "
    "[(n)-[r]->(b:Resource) | [type(r), b.uri, r._graphs]] AS out"
)

COUNTS = (
    "CALL { MATCH (n:Resource) RETURN count(n) AS nodes } "
    "CALL { MATCH (:Resource)-[r]->() RETURN count(r) AS relationships } "
    "RETURN nodes, relationships"
)

LABEL_COUNTS = (
    "MATCH (n:Resource) UNWIND labels(n) AS label "
    "WITH label WHERE label <> 'Resource' "
    "RETURN label, count(*) AS count ORDER BY count DESC, label"
)

# A content hash of the whole graph: nodes with labels and properties, relationships
# with their ends and properties. Equal hashes mean equal graphs.
CONTENT_HASH = (
    "CALL { MATCH (n) WITH n ORDER BY n.uri, n.id "
    "RETURN collect([labels(n), properties(n)]) AS nodes } "
    "CALL { MATCH (a)-[r]->(b) WITH a, r, b ORDER BY a.uri, type(r), b.uri "
    "RETURN collect([a.uri, type(r), b.uri, properties(r)]) AS rels } "
    "RETURN nodes, rels"
)

# --- analytics ----------------------------------------------------------------------------

_PROJECTED = ("{v}._graph IS NOT NULL AND NOT ({v}:Source OR {v}:Claim OR {v}:Concept "
              "OR {v}:ConceptScheme)")
PROJECT_NODES = (
    f"MATCH (n:Resource) WHERE {_PROJECTED.format(v='n')} "
    "RETURN n.uri AS uri, labels(n) AS labels, "
    "coalesce(n.label, n.`label@en`, "
    "CASE WHEN n:Participation THEN 'as ' + [(n)-[:ROLE]->(r) | r.notation][0] END) AS name"
)
PROJECT_RELATIONSHIPS = (
    f"MATCH (a:Resource)-[r]->(b:Resource) WHERE {_PROJECTED.format(v='a')} "
    f"AND {_PROJECTED.format(v='b')} "
    "RETURN a.uri AS start, type(r) AS type, b.uri AS end"
)
SLICE_DISPUTES = (
    "MATCH (d:Dispute) "
    "WHERE ($jurisdiction IS NULL OR EXISTS { (d)-[:JURISDICTION]->(:Resource {uri: $jurisdiction}) }) "
    "AND ($topic IS NULL OR EXISTS { (d)-[:TOPIC]->(:Concept {notation: $topic}) }) "
    "AND ($since IS NULL OR coalesce(toString(d.ended), '9999') >= $since) "
    "AND ($until IS NULL OR toString(d.started) <= $until) "
    "RETURN d.uri AS uri"
)
DISPUTE_FEATURES = (
    "MATCH (d:Dispute) RETURN d.uri AS dispute, "
    "[(d)-[:TOPIC]->(t) | t.notation] + [(d)<-[:IN_DISPUTE]-()-[:QUESTION]->(q) | q.notation] "
    "AS topics, "
    "[(d)<-[:IN_DISPUTE]-()-[:INVOKES]->(l) | l.uri] AS laws, "
    "[(d)<-[:IN_DISPUTE]-()-[:HAS_PARTICIPATION]->()-[:PARTICIPANT]->(p) WHERE NOT p:PublicBody "
    "| p.uri] AS parties, "
    "[(d)-[:JURISDICTION]->(j) | j.uri] AS jurisdictions"
)
DISPUTE_NAMES = (
    "MATCH (n:Resource) WHERE n:Dispute OR n:Law OR n:Agent OR n:Jurisdiction "
    "RETURN n.uri AS uri, coalesce(n.label, n.`label@en`) AS name"
)
EXPOSURE = (
    "MATCH (c:Resource {uri: $company}) "
    "CALL (c) { "
    "MATCH (d:Dispute)<-[:IN_DISPUTE]-(:Proceeding)-[:HAS_PARTICIPATION]->()-[:PARTICIPANT]->(c) "
    "RETURN d, coalesce(c.label, c.`label@en`) AS via, null AS since "
    "UNION "
    "MATCH (s:Organization)-[:SUBSIDIARY_OF*1..3]->(c) "
    "MATCH (d:Dispute)<-[:IN_DISPUTE]-(:Proceeding)-[:HAS_PARTICIPATION]->()-[:PARTICIPANT]->(s) "
    "RETURN d, coalesce(s.label, s.`label@en`) AS via, null AS since "
    "UNION "
    "MATCH (a:Acquisition)-[:ACQUIRER]->(c), (a)-[:TARGET]->(t) WHERE a.completed IS NOT NULL "
    "MATCH (x:Organization)-[:SUBSIDIARY_OF*0..3]->(t) "
    "MATCH (d:Dispute)<-[:IN_DISPUTE]-(:Proceeding)-[:HAS_PARTICIPATION]->()-[:PARTICIPANT]->(x) "
    "RETURN d, coalesce(x.label, x.`label@en`) AS via, toString(a.completed) AS since "
    "} "
    "WITH DISTINCT d, via, since "
    "RETURN d.uri AS dispute, coalesce(d.label, d.`label@en`) AS name, via, since, "
    "toString(d.started) AS started, "
    "reduce(first = null, x IN [(d)<-[:IN_DISPUTE]-(p) | coalesce(toString(p.date), "
    "toString(p.decided))] | CASE WHEN first IS NULL OR x < first THEN x ELSE first END) AS first"
)
