// title: Proceedings per court level and jurisdiction
// description: For each jurisdiction of the deciding body and each court level (none for regulators and other authorities), the number of proceedings, how many were decided, and how many imposed a penalty.
MATCH (p:Proceeding)-[:AUTHORITY]->(a:Resource)-[:JURISDICTION]->(j:Jurisdiction)
OPTIONAL MATCH (a)-[:COURT_LEVEL]->(l:Concept)
RETURN j.uri AS jurisdiction, l.notation AS level, count(DISTINCT p) AS proceedings,
       count(DISTINCT CASE WHEN p.decided IS NOT NULL THEN p END) AS decided,
       count(DISTINCT CASE WHEN p.penaltyAmount IS NOT NULL THEN p END) AS penalties
ORDER BY jurisdiction, level
