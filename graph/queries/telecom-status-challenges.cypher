// title: Services challenged over telecom operator status
// description: Every step of the disputes over whether a service is a telecom / electronic-communications service (or another legal question, by its Topics code): the service, the dispute and its jurisdiction, each proceeding with its court or authority, court level, dates and outcome. Was SkypeOut, Skype or Gmail held to be a telecom service, where, and at which level?
// param topic: str = telecom-operator-status | the legal question, a Topics code
MATCH (d:Dispute)-[:TOPIC]->(:Concept {notation: $topic}),
      (d)-[:CONCERNS_SERVICE]->(s:Service),
      (p:Proceeding)-[:IN_DISPUTE]->(d)
OPTIONAL MATCH (d)-[:JURISDICTION]->(j:Jurisdiction)
OPTIONAL MATCH (p)-[:AUTHORITY]->(a:Resource)
OPTIONAL MATCH (a)-[:COURT_LEVEL]->(level:Concept)
RETURN s.uri AS service, coalesce(s.label, s.`label@en`) AS serviceName, d.uri AS dispute, j.uri AS jurisdiction,
       p.uri AS proceeding, coalesce(a.label, a.`label@en`) AS authority, level.notation AS level,
       toString(p.filed) AS filed, toString(p.heard) AS heard, toString(p.decided) AS decided, p.outcome AS outcome
ORDER BY service, dispute, coalesce(decided, heard, filed), proceeding
