// title: Proceedings per court level and jurisdiction
// description: For each jurisdiction of the deciding body and each court level (none for regulators and other authorities), the number of proceedings, how many were decided, and how many imposed a penalty.
// Each authority's proceedings are gathered once, then counted without duplicates for
// each jurisdiction and level of the authorities (an authority can have several
// jurisdictions, so the same proceeding may count in several rows).
MATCH (p:Proceeding)-[:AUTHORITY]->(a:Resource)
WITH a, collect(p) AS every, collect(CASE WHEN p.decided IS NOT NULL THEN p END) AS ruled,
     collect(CASE WHEN p.penaltyAmount IS NOT NULL THEN p END) AS fined
MATCH (a)-[:JURISDICTION]->(j:Jurisdiction)
OPTIONAL MATCH (a)-[:COURT_LEVEL]->(l:Concept)
WITH j, l, collect(every) AS every, collect(ruled) AS ruled, collect(fined) AS fined
CALL (every) { UNWIND every AS ps UNWIND ps AS p RETURN count(DISTINCT p) AS proceedings }
CALL (ruled) { UNWIND ruled AS ps UNWIND ps AS p RETURN count(DISTINCT p) AS decided }
CALL (fined) { UNWIND fined AS ps UNWIND ps AS p RETURN count(DISTINCT p) AS penalties }
RETURN j.uri AS jurisdiction, l.notation AS level, proceedings, decided, penalties
ORDER BY jurisdiction, level
