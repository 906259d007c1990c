// title: Laws invoked, by the jurisdiction of the dispute
// description: For each jurisdiction where disputes arose, the laws and articles their proceedings relied on (national, EU or foreign), with the law's own jurisdiction and the number of proceedings and disputes that invoked it.
MATCH (p:Proceeding)-[:INVOKES]->(l:Resource),
      (p)-[:IN_DISPUTE]->(d:Dispute)-[:JURISDICTION]->(j:Jurisdiction)
OPTIONAL MATCH (l)-[:JURISDICTION]->(lj:Jurisdiction)
RETURN j.uri AS jurisdiction, l.uri AS law, coalesce(l.label, l.`label@en`) AS name, lj.uri AS lawJurisdiction,
       count(DISTINCT p) AS proceedings, count(DISTINCT d) AS disputes
ORDER BY jurisdiction, proceedings DESC, law
