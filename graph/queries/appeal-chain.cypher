// title: The appeal chain of a proceeding
// description: The decisions a proceeding reviews or follows (step -1, -2... down the appealOf and follows chain: an appeal reviews a decision, a preliminary ruling follows the national court's reference) and the later appeals and rulings that review or follow it (step 1, 2...), with the court, its level, dates and outcome. The proceeding itself is step 0.
// param proceeding: entity = yahoo-cassation-2011 | the proceeding
MATCH (this:Proceeding {uri: $proceeding})
CALL (this) {
  RETURN this AS p, 0 AS step
  UNION
  MATCH path = (this)-[:APPEAL_OF|FOLLOWS*1..]->(p:Proceeding)
  RETURN p, -length(path) AS step
  UNION
  MATCH path = (p:Proceeding)-[:APPEAL_OF|FOLLOWS*1..]->(this)
  RETURN p, length(path) AS step
}
OPTIONAL MATCH (p)-[:AUTHORITY]->(a:Resource)
OPTIONAL MATCH (a)-[:COURT_LEVEL]->(level:Concept)
OPTIONAL MATCH (p)-[:APPEAL_OF]->(reviewed:Proceeding)
OPTIONAL MATCH (p)-[:FOLLOWS]->(followed:Proceeding)
RETURN step, p.uri AS decision, coalesce(p.label, p.`label@en`) AS name, coalesce(a.label, a.`label@en`) AS authority, level.notation AS level,
       toString(p.filed) AS filed, toString(p.heard) AS heard, toString(p.decided) AS decided, p.outcome AS outcome,
       reviewed.uri AS appealOf, followed.uri AS follows
ORDER BY step, decision
