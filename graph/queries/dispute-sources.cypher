// title: The sources of a dispute
// description: Every source cited for a dispute or for one of its proceedings, in order of publication, with publisher, title, URL and the record it supports.
// param dispute: entity = skype-belgium-interception | the dispute
MATCH (d:Dispute {uri: $dispute})
CALL (d) {
  RETURN d AS record
  UNION
  MATCH (p:Proceeding)-[:IN_DISPUTE]->(d) RETURN p AS record
}
MATCH (record)-[:SOURCE]->(s:Source)
RETURN toString(s.issued) AS published, s.uri AS source, s.publisher AS publisher, s.title AS title,
       s.url AS url, record.uri AS supports
ORDER BY published, source, supports
