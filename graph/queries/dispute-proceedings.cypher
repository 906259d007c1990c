// title: The proceedings of a dispute and their appeal chain
// description: Every step of a dispute in date order: the court or authority and its level, dates, outcome, penalty, which decision each appeal reviews, and which proceeding each one follows (a preliminary ruling follows the national court's reference).
// param dispute: entity = skype-belgium-interception | the dispute
MATCH (p:Proceeding)-[:IN_DISPUTE]->(:Dispute {uri: $dispute})
OPTIONAL MATCH (p)-[:AUTHORITY]->(authority:Resource)
OPTIONAL MATCH (authority)-[:COURT_LEVEL]->(level:Concept)
OPTIONAL MATCH (p)-[:APPEAL_OF]->(earlier:Proceeding)
OPTIONAL MATCH (p)-[:FOLLOWS]->(followed:Proceeding)
RETURN p.uri AS proceeding, p.label AS name, authority.label AS authority,
       level.notation AS level, toString(p.filed) AS filed, toString(p.heard) AS heard,
       toString(p.decided) AS decided,
       p.outcome AS outcome, p.penaltyAmount AS penalty, p.penaltyCurrency AS currency,
       earlier.uri AS appealOf, followed.uri AS follows
ORDER BY coalesce(decided, heard, filed), proceeding
