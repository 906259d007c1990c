// title: Data-access, interception, localisation and encryption demands by state
// description: For each jurisdiction, how many disputes concern law-enforcement access to data, data stored abroad, lawful interception, data retention, data localisation or encryption, with the disputes' first and last start dates. Who demands what from platforms?
MATCH (d:Dispute)-[:TOPIC]->(t:Concept), (d)-[:JURISDICTION]->(j:Jurisdiction)
WHERE t.notation IN ['law-enforcement-access', 'data-stored-abroad', 'lawful-interception',
                     'data-retention', 'data-localisation', 'encryption']
RETURN j.uri AS jurisdiction, coalesce(j.label, j.`label@en`) AS name, t.notation AS topic, count(DISTINCT d) AS disputes,
       min(toString(d.started)) AS firstStarted, max(toString(d.started)) AS lastStarted
ORDER BY jurisdiction, topic
