// title: Everything known about an entity
// description: Every record linked to the entity, in both directions, with the link (its Neo4j relationship name), the neighbour's name (or a source's title, a code's notation) and, for proceedings, the entity's role as a party (participations are skipped over: a proceeding links straight to its parties).
// param entity: entity = skype | the record
MATCH (e:Resource {uri: $entity})
CALL (e) {
  MATCH (e)-[r]->(n:Resource) WHERE type(r) <> 'HAS_PARTICIPATION'
  RETURN 'out' AS direction, type(r) AS relation, n, null AS role
  UNION
  MATCH (e)<-[r]-(n:Resource) WHERE type(r) <> 'PARTICIPANT'
  RETURN 'in' AS direction, type(r) AS relation, n, null AS role
  UNION
  MATCH (e)-[:HAS_PARTICIPATION]->(x:Resource)-[:PARTICIPANT]->(n:Resource)
  OPTIONAL MATCH (x)-[:ROLE]->(c:Resource)
  RETURN 'out' AS direction, 'PARTY' AS relation, n, c.notation AS role
  UNION
  MATCH (e)<-[:PARTICIPANT]-(x:Resource)<-[:HAS_PARTICIPATION]-(n:Resource)
  OPTIONAL MATCH (x)-[:ROLE]->(c:Resource)
  RETURN 'in' AS direction, 'PARTY' AS relation, n, c.notation AS role
}
RETURN DISTINCT direction, relation, n.uri AS neighbour,
       coalesce(n.label, n.`label@en`, n.title, n.notation) AS name, role
ORDER BY direction, relation, neighbour, role
