// title: Laws invoked in the disputes over a legal question
// description: For each dispute about the question (a Topics code, by default telecom operator status), the laws and articles its proceedings relied on, with the law's jurisdiction and how many of the dispute's proceedings invoked it.
// param topic: str = telecom-operator-status | the legal question, a Topics code
MATCH (d:Dispute)-[:TOPIC]->(:Concept {notation: $topic}),
      (p:Proceeding)-[:IN_DISPUTE]->(d),
      (p)-[:INVOKES]->(l:Resource)
OPTIONAL MATCH (l)-[:JURISDICTION]->(j:Jurisdiction)
RETURN d.uri AS dispute, l.uri AS law, coalesce(l.label, l.`label@en`) AS name, j.uri AS jurisdiction,
       count(DISTINCT p) AS proceedings
ORDER BY dispute, proceedings DESC, law
