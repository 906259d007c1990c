"""Every Cypher statement techreg runs, in one place.

Values travel only as parameters. Labels and relationship types travel as parameters too,
through Cypher 5.26's dynamic labels and types (`n:$(row.labels)`), so no name from the
data is ever spliced into query text.
"""

from __future__ import annotations

from ontology import local_name, model


def _schema() -> tuple[str, ...]:
    """The constraints and indexes a load creates: a unique uri, a full-text index over the
    names the ontology marks searchable, an index per identifier it marks indexed (for each
    class of its domain), the source graph, and the load lock."""
    m = model()
    names = [p.neo4j_name for p in m.properties.values() if p.searchable]
    fields = ", ".join(f"n.`{name}{tag}`" for name in sorted(names) for tag in ("", "@en"))
    indexes = sorted((local_name(domain), p.neo4j_name) for p in m.properties.values()
                     if p.indexed for domain in p.domains)
    return (
        "CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (n:Resource) REQUIRE n.uri IS UNIQUE",
        f"CREATE FULLTEXT INDEX resource_names IF NOT EXISTS FOR (n:Resource) ON EACH [{fields}]",
        *(f"CREATE INDEX {label.lower()}_{name.lower()} IF NOT EXISTS FOR (n:`{label}`) "
          f"ON (n.`{name}`)" for label, name in indexes),
        "CREATE INDEX resource_graph IF NOT EXISTS FOR (n:Resource) ON (n._graph)",
        # One lock node at most, so that concurrent loads' MERGEs meet on it and serialise.
        "CREATE CONSTRAINT techreg_lock IF NOT EXISTS FOR (l:_TechregLock) REQUIRE l.id IS UNIQUE",
    )


SCHEMA = _schema()

SERVER_INFO = ("CALL dbms.components() YIELD name, versions, edition "
               "RETURN name, versions[0] AS version, edition")

# Loads take this lock first, so two loads never interleave: the second waits.
LOCK = "MERGE (l:_TechregLock {id: 'load'}) SET l.id = 'load'"

WIPE = "MATCH (n) WHERE NOT n:_TechregLock DETACH DELETE n"

# The bulk load (loaders/bulk.py) replaces the store: it accepts a database holding no node
# but techreg's own bookkeeping, and no index or constraint but the LOOKUP indexes and
# techreg's (SCHEMA); after the import it waits for the new indexes to come online.
BULK_NODES_IN_USE = (
    "MATCH (n) WHERE NOT n:_TechregLock AND NOT n:_TechregMapping RETURN count(n) AS nodes"
)
BULK_INDEXES = "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN collect(name) AS names"
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"

READ_MAPPING = "MATCH (m:_TechregMapping {id: 'mapping'}) RETURN m.json AS json"
WRITE_MAPPING = "MERGE (m:_TechregMapping {id: 'mapping'}) SET m.json = $json"

# Reads come back as one list per query: the Python driver spends about 16 us on each
# record it receives, so a record per node or relationship would cost seconds at 1M triples.
READ_NODES = (
    "MATCH (n:Resource) RETURN collect([n.uri, n._hash, n._graph, n._digest]) AS nodes"
)
_RELATIONSHIP_ROWS = (
    "RETURN collect([a.uri, type(r), b.uri, elementId(r), r._graphs, a._graph]) AS rels"
)
READ_RELATIONSHIPS = "MATCH (a:Resource)-[r]->(b:Resource) " + _RELATIONSHIP_ROWS
READ_RELATIONSHIPS_FROM = (
    "UNWIND $uris AS uri MATCH (a:Resource {uri: uri})-[r]->(b:Resource) " + _RELATIONSHIP_ROWS
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
FORGET_DIGESTS = "UNWIND $rows AS row MATCH (n:Resource {uri: row.uri}) REMOVE n._digest"
# Nodes that no source describes and no relationship touches are removed after a load.
DELETE_UNUSED = (
    "UNWIND $uris AS uri MATCH (n:Resource {uri: uri}) "
    "WHERE n._graph IS NULL AND n._digest IS NULL AND NOT EXISTS { (n)--() } "
    "DELETE n RETURN collect(uri) AS deleted"
)

# Export reads the graph back in pages of nodes by uri, so memory stays flat: first where
# each page starts, then the pages, each as one record (a list of nodes), which the driver
# decodes far faster than one record per node.
EXPORT_PAGES = (
    "MATCH (n:Resource) WITH n.uri AS uri ORDER BY uri WITH collect(uri) AS uris "
    "RETURN [i IN range(0, size(uris) - 1, $size) | uris[i]] AS starts"
)
EXPORT_NODES = (
    "MATCH (n:Resource) WHERE n.uri >= $start AND ($end IS NULL OR n.uri < $end) "
    "WITH n ORDER BY n.uri "
    "RETURN collect([n.uri, properties(n), "
    # A relationship asserted only where its start node is described (nearly all: the
    # loader then leaves `_graphs` out) sends true instead of that graph's name.
    "[(n)-[r]->(b:Resource) | [type(r), b.uri, "
    "CASE WHEN r._graphs IS NULL OR r._graphs = [n._graph] THEN true ELSE r._graphs END]]]) "
    "AS nodes"
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

# Nodes in the analytics network: described by a source and of no class in $excluded.
_PROJECTED = ("{v}._graph IS NOT NULL AND none(label IN labels({v}) WHERE label IN $excluded)")
# The projection comes back as one list per query: the Python driver spends about 16 us on
# each record it receives, so 450k one-row records cost seconds that one list does not.
PROJECT_NODES = (
    f"MATCH (n:Resource) WHERE {_PROJECTED.format(v='n')} "
    "RETURN collect([n.uri, labels(n), coalesce(n.label, n.`label@en`, "
    "CASE WHEN n:Participation THEN 'as ' + [(n)-[:ROLE]->(r) | r.notation][0] END)]) AS rows"
)
PROJECT_RELATIONSHIPS = (
    f"MATCH (a:Resource)-[r]->(b:Resource) WHERE {_PROJECTED.format(v='a')} "
    f"AND {_PROJECTED.format(v='b')} "
    "RETURN collect([a.uri, type(r), b.uri]) AS rows"
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
    "reduce(first = null, x IN [(d)<-[:IN_DISPUTE]-(p) | coalesce(toString(p.filed), "
    "toString(p.heard), toString(p.decided))] "
    "| CASE WHEN first IS NULL OR x < first THEN x ELSE first END) AS first"
)

# --- the explorer ---------------------------------------------------------------------------

_NAME = "coalesce({v}.label, {v}.`label@en`, {v}.prefLabel, {v}.`prefLabel@en`, {v}.title, {v}.uri)"

SEARCH = (
    "CALL db.index.fulltext.queryNodes('resource_names', $q) YIELD node, score "
    "WHERE $label IS NULL OR $label IN labels(node) "
    f"RETURN node.uri AS uri, {_NAME.format(v='node')} AS name, labels(node) AS labels, score "
    "ORDER BY score DESC, uri LIMIT $limit"
)
ENTITY = (
    "MATCH (n:Resource {uri: $uri}) "
    "RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS props, "
    f"[(n)-[r]->(m:Resource) | {{type: type(r), uri: m.uri, name: {_NAME.format(v='m')}, "
    "labels: labels(m)}] AS outgoing, "
    f"[(m:Resource)-[r]->(n) WHERE NOT m:Participation | {{type: type(r), uri: m.uri, "
    f"name: {_NAME.format(v='m')}, labels: labels(m)}}] AS incoming, "
    "[(n)<-[:PARTICIPANT]-(pa:Participation)<-[:HAS_PARTICIPATION]-(p:Resource) | "
    f"{{uri: p.uri, name: {_NAME.format(v='p')}, labels: labels(p), "
    "role: [(pa)-[:ROLE]->(r) | r.notation][0]}] AS roles, "
    "[(n)-[:SOURCE]->(s:Source) | {id: s.uri, url: s.url, title: s.title, publisher: s.publisher, "
    "published: toString(s.issued), accessed: toString(s.accessed)}] AS sources, "
    "[(c:Claim)-[:ABOUT]->(n) | {property: [(c)-[:PROPERTY]->(p) | p.uri][0], value: c.value, "
    "sources: [(c)-[:SOURCE]->(s) | s.url]}] AS claims"
)
_NEIGHBOUR_FILTER = (
    "WHERE m <> n AND all(r IN rels WHERE $types IS NULL OR type(r) IN $types) "
    "AND all(x IN nodes(p)[1..] WHERE x._graph IS NOT NULL AND ($sources OR NOT x:Source)) "
    "WITH m, min(length(p)) AS hops ORDER BY hops, m.uri LIMIT $limit "
    f"RETURN m.uri AS uri, {_NAME.format(v='m')} AS name, labels(m) AS labels, hops"
)
NEIGHBOURHOOD = {
    1: "MATCH (n:Resource {uri: $uri}) MATCH p = (n)-[rels*1..1]-(m:Resource) " + _NEIGHBOUR_FILTER,
    2: "MATCH (n:Resource {uri: $uri}) MATCH p = (n)-[rels*1..2]-(m:Resource) " + _NEIGHBOUR_FILTER,
}
NODES = (
    "MATCH (n:Resource) WHERE n.uri IN $uris "
    f"RETURN n.uri AS uri, {_NAME.format(v='n')} AS name, labels(n) AS labels"
)
SUBGRAPH_EDGES = (
    "MATCH (a:Resource)-[r]->(b:Resource) WHERE a.uri IN $uris AND b.uri IN $uris "
    "AND ($types IS NULL OR type(r) IN $types) "
    "RETURN a.uri AS start, type(r) AS type, b.uri AS end"
)
RELATIONSHIP_TYPES = (
    "MATCH (:Resource)-[r]->(:Resource) RETURN DISTINCT type(r) AS type ORDER BY type"
)
TIMELINE = (
    "MATCH (n:Resource {uri: $uri}) "
    "CALL (n) { "
    "RETURN n AS e UNION "
    "MATCH (n)--(e:Resource) WHERE e:Event OR e:Dispute RETURN e UNION "
    "MATCH (n)<-[:PARTICIPANT]-(:Participation)<-[:HAS_PARTICIPATION]-(e:Proceeding) RETURN e "
    "} "
    "UNWIND [k IN keys(e) WHERE k IN $dates] AS what "
    f"RETURN toString(e[what]) AS date, what, e.uri AS uri, {_NAME.format(v='e')} AS name, "
    "labels(e) AS labels"
)
DISPUTES = (
    "MATCH (d:Dispute) "
    f"RETURN d.uri AS uri, {_NAME.format(v='d')} AS name, "
    f"[(d)-[:JURISDICTION]->(j) | {_NAME.format(v='j')}] AS jurisdictions, "
    "[(d)-[:TOPIC]->(t) | t.notation] AS topics, "
    "[(d)<-[:IN_DISPUTE]-()-[:HAS_PARTICIPATION]->()-[:PARTICIPANT]->(c:Company) | "
    f"{_NAME.format(v='c')}] AS companies, "
    "toString(d.started) AS started, toString(d.ended) AS ended, d.outcome AS outcome, "
    "COUNT { (d)<-[:IN_DISPUTE]-() } AS proceedings "
    "ORDER BY started, uri"
)
COMPANY_GROUPS = (
    "MATCH (c:Company) "
    f"RETURN {_NAME.format(v='c')} AS name, [{_NAME.format(v='c')}] + "
    f"[(s:Organization)-[:SUBSIDIARY_OF*1..3]->(c) | {_NAME.format(v='s')}] AS members "
    "ORDER BY name"
)
PROCEEDINGS_TIMELINE = (
    "MATCH (p:Proceeding)-[:IN_DISPUTE]->(d:Dispute) "
    "WITH p, d, coalesce(toString(p.decided), toString(p.heard), toString(p.filed)) AS date "
    "WHERE date IS NOT NULL "
    f"RETURN {_NAME.format(v='d')} AS dispute, {_NAME.format(v='p')} AS name, date, "
    f"labels(p) AS labels, [(d)-[:JURISDICTION]->(j) | {_NAME.format(v='j')}][0] AS jurisdiction "
    "ORDER BY date"
)
FINES_BY_JURISDICTION = (
    "MATCH (p:Proceeding) WHERE p.penaltyAmount IS NOT NULL "
    "OPTIONAL MATCH (p)-[:AUTHORITY]->()-[:JURISDICTION]->(j) "
    f"WITH p, coalesce({_NAME.format(v='j')}, 'unknown') AS jurisdiction "
    "RETURN jurisdiction, p.penaltyCurrency AS currency, count(p) AS fines, "
    "sum(p.penaltyAmount) AS total, max(p.penaltyAmount) AS largest "
    "ORDER BY total DESC, jurisdiction"
)
PARTICIPATIONS = (
    "MATCH (p:Proceeding)-[:HAS_PARTICIPATION]->(pa:Participation)-[:PARTICIPANT]->(party:Resource) "
    "WHERE pa.uri IN $uris "
    "RETURN pa.uri AS participation, p.uri AS proceeding, party.uri AS party, "
    "[(pa)-[:ROLE]->(r) | r.notation][0] AS role"
)

# --- ingest and entity resolution (loaders/ingest, loaders/resolve) -------------------------

# The entities a document or a table may name: everything curated except the classes whose
# records carry no names (given as $unnamed, derived from the ontology by the caller).
NAMED_ENTITIES = (
    "MATCH (n:Entity) WHERE n._graph IS NOT NULL "
    "AND none(label IN labels(n) WHERE label IN $unnamed) "
    "RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS props, "
    "[(n)-[:WIKIDATA]->(w) | w.uri] AS wikidata, [(n)-[:SAME_AS]->(m) | m.uri] AS same"
)
_SOURCES_OF = (
    "[({v})-[:SOURCE]->(s:Source) | coalesce(s.title, s.uri) + ' <' + coalesce(s.url, s.uri) + '>']"
    " AS sources"
)
ACQUISITIONS_BETWEEN = (
    "MATCH (a:Acquisition)-[:ACQUIRER]->(:Resource {uri: $acquirer}), "
    "(a)-[:TARGET]->(:Resource {uri: $target}) "
    "RETURN a.uri AS uri, toString(a.announced) AS announced, toString(a.completed) AS completed, "
    "a.price AS price, a.currency AS currency, "
    f"{_SOURCES_OF.format(v='a')} ORDER BY uri"
)
PENALTIES_ON = (
    "MATCH (p:Proceeding)-[:HAS_PARTICIPATION]->()-[:PARTICIPANT]->(:Resource {uri: $party}) "
    "WHERE p.penaltyAmount IS NOT NULL "
    "AND ($authority IS NULL OR EXISTS { (p)-[:AUTHORITY]->(:Resource {uri: $authority}) }) "
    "RETURN p.uri AS uri, p.penaltyAmount AS amount, p.penaltyCurrency AS currency, "
    "toString(coalesce(p.decided, p.heard, p.filed)) AS date, "
    f"{_SOURCES_OF.format(v='p')} ORDER BY uri"
)
BY_IDENTIFIERS = (
    "MATCH (n:Resource) WHERE n.ecli IN $ids OR n.celex IN $ids OR n.docket IN $ids "
    "RETURN n.uri AS uri, [x IN [n.ecli, n.celex, n.docket] WHERE x IS NOT NULL] AS ids"
)
# What ingest weighs a name and a document against: each named entity's places (jurisdiction,
# headquarters), court level and related entities (parent, provider, the law an article
# belongs to, the union a country is part of).
ENTITY_CONTEXT = (
    "MATCH (n:Entity) WHERE n._graph IS NOT NULL "
    "AND none(label IN labels(n) WHERE label IN $unnamed) "
    "RETURN collect([n.uri, [(n)-[:JURISDICTION|HEADQUARTERS]->(j) | j.uri], "
    "[(n)-[:COURT_LEVEL]->(c) | c.notation], "
    "[(n)-[:SUBSIDIARY_OF|PROVIDER|ARTICLE_OF|PART_OF]->(m) | m.uri] "
    "+ [(m)-[:SUBSIDIARY_OF|PROVIDER]->(n) | m.uri]]) AS rows"
)
# Every dispute with the evidence a document may share with it: its parties, authorities,
# jurisdictions, laws, services, dates and amounts, proceeding by proceeding.
DISPUTE_PROFILES = (
    "MATCH (d:Dispute) WHERE d._graph IS NOT NULL "
    "RETURN d.uri AS uri, coalesce(d.label, d.`label@en`) AS name, "
    "toString(d.started) AS started, toString(d.ended) AS ended, "
    "[(d)-[:JURISDICTION]->(j) | j.uri] AS jurisdictions, "
    "[(d)-[:CONCERNS_SERVICE]->(s) | s.uri] AS services, "
    "[(d)<-[:IN_DISPUTE]-(p:Proceeding) | {uri: p.uri, name: coalesce(p.label, p.`label@en`), "
    "labels: labels(p), filed: toString(p.filed), heard: toString(p.heard), "
    "decided: toString(p.decided), amount: toString(p.penaltyAmount), currency: p.penaltyCurrency, "
    "authorities: [(p)-[:AUTHORITY]->(a) | a.uri], "
    "parties: [(p)-[:HAS_PARTICIPATION]->()-[:PARTICIPANT]->(x) | x.uri], "
    "laws: [(p)-[:INVOKES]->(l) | l.uri] + [(p)-[:INVOKES]->()-[:ARTICLE_OF]->(l) | l.uri]}] "
    "AS proceedings ORDER BY uri"
)


# --- the explorer: kinds, case files, comparisons, map, citations -----------------------------

KIND_COUNTS = "MATCH (n:Resource) RETURN labels(n) AS labels, count(*) AS count"
CLAIMS_ABOUT = (
    "MATCH (c:Claim)-[:ABOUT]->(:Resource {uri: $uri}) "
    f"RETURN c.uri AS uri, {_NAME.format(v='c')} AS name, "
    "[(c)-[:PROPERTY]->(p) | p.uri][0] AS property, c.value AS value, "
    "[(c)-[:SOURCE]->(s:Source) | {uri: s.uri, url: s.url, title: s.title, "
    "publisher: s.publisher}] AS sources ORDER BY uri"
)
_LABEL = "coalesce({v}.prefLabel, {v}.`prefLabel@en`, {v}.notation)"
CASE_FILE = (
    "MATCH (d:Dispute {uri: $uri}) "
    f"RETURN d.uri AS uri, {_NAME.format(v='d')} AS name, d.outcome AS outcome, "
    "toString(d.started) AS started, toString(d.ended) AS ended, "
    f"[(d)-[:JURISDICTION]->(j) | {_NAME.format(v='j')}] AS jurisdictions, "
    f"[(d)-[:TOPIC]->(t) | {_LABEL.format(v='t')}] AS topics, "
    f"[(p:Proceeding)-[:IN_DISPUTE]->(d) | {{uri: p.uri, name: {_NAME.format(v='p')}, "
    "labels: labels(p), date: coalesce(toString(p.decided), toString(p.heard), "
    "toString(p.filed), toString(p.date)), filed: toString(p.filed), "
    "decided: toString(p.decided), outcome: p.outcome, amount: p.penaltyAmount, "
    "currency: p.penaltyCurrency, ecli: p.ecli, "
    f"authority: [(p)-[:AUTHORITY]->(a) | {{uri: a.uri, name: {_NAME.format(v='a')}, "
    "labels: labels(a), level: [(a)-[:COURT_LEVEL]->(l) | l.notation][0]}][0], "
    "appeal_of: [(p)-[:APPEAL_OF]->(q) | q.uri], follows: [(p)-[:FOLLOWS]->(q) | q.uri], "
    "parties: [(p)-[:HAS_PARTICIPATION]->(pa)-[:PARTICIPANT]->(x) | "
    f"{{uri: x.uri, name: {_NAME.format(v='x')}, role: [(pa)-[:ROLE]->(r) | r.notation][0]}}], "
    f"laws: [(p)-[:INVOKES]->(l) | {{uri: l.uri, name: {_NAME.format(v='l')}, "
    f"of: [(l)-[:ARTICLE_OF]->(m) | {_NAME.format(v='m')}][0]}}], "
    f"questions: [(p)-[:QUESTION]->(q) | {_LABEL.format(v='q')}]}}] AS proceedings, "
    "[(d)-[:SOURCE]->(s:Source) | {uri: s.uri, url: s.url, title: s.title, "
    "publisher: s.publisher, published: toString(s.issued)}] AS sources"
)
RELATED_DISPUTES = (
    "MATCH (d:Dispute {uri: $uri}) "
    "CALL (d) { "
    "MATCH (d)-[:TOPIC]->(t)<-[:TOPIC]-(o:Dispute) WHERE o <> d "
    f"RETURN o, 'same legal question: ' + {_LABEL.format(v='t')} AS why "
    "UNION "
    "MATCH (d)<-[:IN_DISPUTE]-()-[:HAS_PARTICIPATION]->()-[:PARTICIPANT]->(c:Company) "
    "MATCH (c)-[:SUBSIDIARY_OF*0..3]->(g:Company) WHERE NOT (g)-[:SUBSIDIARY_OF]->() "
    "MATCH (x:Organization)-[:SUBSIDIARY_OF*0..3]->(g) "
    "MATCH (o:Dispute)<-[:IN_DISPUTE]-()-[:HAS_PARTICIPATION]->()-[:PARTICIPANT]->(x) "
    f"WHERE o <> d RETURN o, 'same company group: ' + {_NAME.format(v='g')} AS why "
    "} "
    f"WITH o, collect(DISTINCT why) AS why RETURN o.uri AS uri, {_NAME.format(v='o')} AS name, "
    f"why, [(o)-[:JURISDICTION]->(j) | {_NAME.format(v='j')}] AS jurisdictions "
    "ORDER BY size(why) DESC, name LIMIT $limit"
)
PICKABLE_ENTITIES = (
    "MATCH (n:Resource) WHERE n:Dispute OR n:Law OR n:Agent OR n:Jurisdiction OR n:Service "
    "OR n:Event "
    f"RETURN n.uri AS uri, {_NAME.format(v='n')} AS name, labels(n) AS labels ORDER BY name"
)
TOPICS = (
    "MATCH (d:Dispute)-[:TOPIC]->(t:Concept) "
    f"RETURN t.notation AS code, {_LABEL.format(v='t')} AS label, count(DISTINCT d) AS disputes "
    "ORDER BY disputes DESC, label"
)
COMPARE = (
    "MATCH (t:Concept {notation: $topic}) "
    "MATCH (d:Dispute) WHERE (d)-[:TOPIC]->(t) OR EXISTS { (d)<-[:IN_DISPUTE]-()-[:QUESTION]->(t) } "
    "MATCH (d)-[:JURISDICTION]->(j) "
    f"RETURN {_NAME.format(v='j')} AS jurisdiction, j.isoCode AS iso, d.uri AS uri, "
    f"{_NAME.format(v='d')} AS name, toString(d.started) AS started, d.outcome AS outcome, "
    f"[(d)<-[:IN_DISPUTE]-()-[:AUTHORITY]->(a) | {_NAME.format(v='a')}] AS authorities "
    "ORDER BY jurisdiction, started, uri"
)

# Disputes on the world map: each dispute with the country its jurisdiction is or belongs to
# (a state of the US counts for the US; the EU has no country and stays on its own), and
# the fines of its proceedings. With $topic, only disputes that raise that legal question.
ATLAS = (
    "MATCH (d:Dispute)-[:JURISDICTION]->(j) "
    "WHERE $topic IS NULL OR EXISTS { (d)-[:TOPIC]->(:Concept {notation: $topic}) } "
    "OR EXISTS { (d)<-[:IN_DISPUTE]-()-[:QUESTION]->(:Concept {notation: $topic}) } "
    "OPTIONAL MATCH (j)-[:PART_OF*0..3]->(c:Country) "
    "WITH d, j, c ORDER BY c.uri WITH d, j, head(collect(c)) AS c "
    f"RETURN d.uri AS uri, {_NAME.format(v='d')} AS name, toString(d.started) AS started, "
    f"d.outcome AS outcome, {_NAME.format(v='j')} AS jurisdiction, "
    f"c.isoCode AS country, {_NAME.format(v='c')} AS countryName, "
    "[(d)<-[:IN_DISPUTE]-(p) WHERE p.penaltyAmount IS NOT NULL | {amount: p.penaltyAmount, "
    "currency: p.penaltyCurrency, decided: toString(p.decided)}] AS fines "
    "ORDER BY countryName, jurisdiction, started, uri"
)

# --- ingested documents (graph/documents.py) -----------------------------------------------

INGESTED_SOURCES = (
    "MATCH (s:Source) WHERE s.contentHash IS NOT NULL "
    f"RETURN s.uri AS uri, {_NAME.format(v='s')} AS title, s.publisher AS publisher, "
    "toString(s.published) AS published, s.url AS url, "
    "COUNT { (s)-[:HAS_MENTION]->() } AS mentions, "
    f"[(s)-[:ABOUT_DISPUTE]->(d) | {{uri: d.uri, name: {_NAME.format(v='d')}}}] AS about "
    "ORDER BY published DESC, title, uri"
)
INGESTED_SOURCE = (
    "MATCH (s:Source {uri: $uri}) WHERE s.contentHash IS NOT NULL "
    f"RETURN s.uri AS uri, {_NAME.format(v='s')} AS title, s.publisher AS publisher, "
    "toString(s.published) AS published, s.url AS url, s.excerpt AS excerpt, "
    "s.contentHash AS hash, s._graph AS graph, "
    f"[(s)-[:ABOUT_DISPUTE]->(d) | {{uri: d.uri, name: {_NAME.format(v='d')}}}] AS about, "
    f"[(s)-[:CANDIDATE_DISPUTE]->(d) | {{uri: d.uri, name: {_NAME.format(v='d')}}}] AS candidates, "
    "[(s)-[:HAS_MENTION]->(m)-[:MENTION_OF]->(e) | {text: m.matchedText, start: m.startOffset, "
    f"end: m.endOffset, uri: e.uri, name: {_NAME.format(v='e')}, labels: labels(e)}}] AS mentions"
)
