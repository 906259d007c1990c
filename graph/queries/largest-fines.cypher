// title: The largest fines in a currency
// description: The fines imposed in one currency, largest first, with the company or person fined (a defendant or respondent that is not a public body), the authority, the jurisdiction of the dispute and the date. Appeals that upheld or reduced a fine are left out.
// param currency: str = EUR | an ISO 4217 currency code
MATCH (p:Proceeding {penaltyCurrency: $currency})
WHERE p.penaltyAmount IS NOT NULL AND NOT p:Appeal
MATCH (p)-[:HAS_PARTICIPATION]->(x:Participation)-[:PARTICIPANT]->(fined:Resource),
      (x)-[:ROLE]->(role:Concept)
WHERE role.notation IN ['defendant', 'respondent'] AND (fined:Company OR fined:Person)
OPTIONAL MATCH (p)-[:AUTHORITY]->(a:Resource)
OPTIONAL MATCH (p)-[:IN_DISPUTE]->(:Dispute)-[:JURISDICTION]->(j:Jurisdiction)
RETURN p.penaltyAmount AS amount, p.penaltyCurrency AS currency, fined.uri AS fined,
       coalesce(fined.label, fined.`label@en`) AS name, p.uri AS proceeding, coalesce(a.label, a.`label@en`) AS authority, j.uri AS jurisdiction,
       toString(coalesce(p.decided, p.heard, p.filed)) AS date
ORDER BY amount DESC, proceeding, fined
