// title: A company's timeline
// description: A company's acquisitions (as buyer or as target, dated by completion, else announcement) and the proceedings it was a party to (dated by decision, else start), in date order, with the other side (the company bought or the buyer; the dispute) and its role.
// param company: entity = microsoft | the company
MATCH (c:Resource {uri: $company})
CALL (c) {
  MATCH (a:Acquisition)-[:ACQUIRER]->(c), (a)-[:TARGET]->(o:Resource)
  RETURN toString(coalesce(a.completed, a.announced)) AS date, 'acquired' AS event, a AS item,
         o AS other, null AS role
  UNION
  MATCH (a:Acquisition)-[:TARGET]->(c), (a)-[:ACQUIRER]->(o:Resource)
  RETURN toString(coalesce(a.completed, a.announced)) AS date, 'acquired by' AS event, a AS item,
         o AS other, null AS role
  UNION
  MATCH (p:Proceeding)-[:HAS_PARTICIPATION]->(x:Participation)-[:PARTICIPANT]->(c),
        (p)-[:IN_DISPUTE]->(o:Dispute)
  OPTIONAL MATCH (x)-[:ROLE]->(r:Concept)
  RETURN toString(coalesce(p.decided, p.heard, p.filed)) AS date, 'party' AS event, p AS item,
         o AS other, r.notation AS role
}
RETURN date, event, item.uri AS item, coalesce(item.label, item.`label@en`) AS name, other.uri AS other,
       coalesce(other.label, other.`label@en`) AS otherName, role
ORDER BY date, item, role
