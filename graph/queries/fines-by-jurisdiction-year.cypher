// title: Fines by jurisdiction and year
// description: How many fines were imposed in each jurisdiction (that of the dispute) and year (of the decision, else of the proceeding's start), and their total per currency. Counts the decisions that imposed a penalty, not the appeals that upheld or changed it.
MATCH (p:Proceeding)-[:IN_DISPUTE]->(:Dispute)-[:JURISDICTION]->(j:Jurisdiction)
WHERE p.penaltyAmount IS NOT NULL AND NOT p:Appeal
WITH j, p, left(toString(coalesce(p.decided, p.heard, p.filed)), 4) AS year
RETURN j.uri AS jurisdiction, year, p.penaltyCurrency AS currency,
       count(DISTINCT p) AS fines, sum(p.penaltyAmount) AS total
ORDER BY jurisdiction, year, currency
