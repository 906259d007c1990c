// title: Disputes per topic and jurisdiction
// description: How many disputes each jurisdiction has on each legal question or theme, with the first and last start dates.
MATCH (d:Dispute)-[:TOPIC]->(t:Concept), (d)-[:JURISDICTION]->(j:Jurisdiction)
RETURN t.notation AS topic, j.uri AS jurisdiction, count(DISTINCT d) AS disputes,
       min(toString(d.started)) AS firstStarted, max(toString(d.started)) AS lastStarted
ORDER BY topic, disputes DESC, jurisdiction
