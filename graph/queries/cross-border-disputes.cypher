// title: Cross-border disputes
// description: Disputes in which a company that is a party to one of the proceedings has its headquarters outside the dispute's jurisdiction (a company seated in a member state is not foreign to the EU), with the company's headquarters. Which states take on foreign platforms?
MATCH (p:Proceeding)-[:IN_DISPUTE]->(d:Dispute)-[:JURISDICTION]->(j:Jurisdiction),
      (p)-[:HAS_PARTICIPATION]->(:Participation)-[:PARTICIPANT]->(c:Company),
      (c)-[:HEADQUARTERS]->(hq:Jurisdiction)
WHERE NOT (hq)-[:PART_OF*0..]->(j)
RETURN DISTINCT d.uri AS dispute, coalesce(d.label, d.`label@en`) AS name, j.uri AS jurisdiction, c.uri AS company,
       coalesce(c.label, c.`label@en`) AS companyName, hq.uri AS headquarters
ORDER BY jurisdiction, dispute, company
