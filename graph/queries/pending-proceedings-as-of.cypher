// title: Proceedings pending on a day
// description: The proceedings that had begun on or before the day and were not decided by then (undecided ones with a recorded start count as pending), with their dispute, court or authority and dates.
// param date: date = 2016-10-01 | the day
MATCH (p:Proceeding)
WHERE toString(coalesce(p.filed, p.heard)) <= $date AND (p.decided IS NULL OR toString(p.decided) > $date)
OPTIONAL MATCH (p)-[:IN_DISPUTE]->(d:Dispute)
OPTIONAL MATCH (p)-[:AUTHORITY]->(a:Resource)
RETURN p.uri AS proceeding, coalesce(p.label, p.`label@en`) AS name, d.uri AS dispute, coalesce(a.label, a.`label@en`) AS authority,
       toString(coalesce(p.filed, p.heard)) AS started, toString(p.decided) AS decided
ORDER BY started, proceeding
