// title: The laws invoked most often
// description: Each law or article relied on in proceedings, with its jurisdiction, the number of proceedings that invoked it and the number of disputes those proceedings belong to, most invoked first.
MATCH (p:Proceeding)-[:INVOKES]->(l:Resource)
OPTIONAL MATCH (p)-[:IN_DISPUTE]->(d:Dispute)
OPTIONAL MATCH (l)-[:JURISDICTION]->(j:Jurisdiction)
RETURN l.uri AS law, coalesce(l.label, l.`label@en`) AS name, j.uri AS jurisdiction,
       count(DISTINCT p) AS proceedings, count(DISTINCT d) AS disputes
ORDER BY proceedings DESC, disputes DESC, law
