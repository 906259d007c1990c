// title: The disputes a company faces, directly and through companies it acquired
// description: Disputes in which the company, a subsidiary of it, or a company it acquired (or a subsidiary of that company) is a party to a proceeding; for acquired ones, the acquisition, its completion date and whether the dispute started before or after it (compared at the precision both dates share, using the dispute's start and its proceedings' dates; 'unclear' when they cannot be told apart). Did Microsoft inherit the Russian LinkedIn dispute or meet it after buying LinkedIn?
// param company: entity = microsoft | the company
MATCH (company:Resource {uri: $company})
CALL (company) {
  MATCH (party:Resource)-[:SUBSIDIARY_OF*0..]->(company)
  RETURN party, null AS via, null AS acq
  UNION
  MATCH (acq:Acquisition)-[:ACQUIRER]->(company), (acq)-[:TARGET]->(via:Resource),
        (party:Resource)-[:SUBSIDIARY_OF*0..]->(via)
  WHERE acq.completed IS NOT NULL
  RETURN party, via, acq
}
MATCH (p:Proceeding)-[:HAS_PARTICIPATION]->(:Participation)-[:PARTICIPANT]->(party),
      (p)-[:IN_DISPUTE]->(d:Dispute)
WITH DISTINCT d, party, via, acq
OPTIONAL MATCH (q:Proceeding)-[:IN_DISPUTE]->(d)
WITH d, party, via, acq, toString(acq.completed) AS acquired, toString(d.started) AS started,
     collect(toString(q.filed)) + collect(toString(q.heard)) + collect(toString(q.decided)) AS steps
WITH d, party, via, acq, acquired, started,
     [x IN steps + [started] WHERE x IS NOT NULL] AS dates
RETURN d.uri AS dispute, coalesce(d.label, d.`label@en`) AS name, party.uri AS party, via.uri AS via,
       acq.uri AS acquisition, acquired, started,
       CASE WHEN acq IS NULL THEN null
            WHEN any(x IN dates WHERE left(x, size(acquired)) < left(acquired, size(x))) THEN 'before'
            WHEN started IS NOT NULL
                 AND left(started, size(acquired)) > left(acquired, size(started)) THEN 'after'
            ELSE 'unclear' END AS timing
ORDER BY dispute, party, via
