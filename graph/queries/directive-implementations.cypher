// title: National laws implementing an EU directive
// description: The national laws that transpose the directive (or implement an EU regulation), with their jurisdiction, adoption, entry into force and repeal. Which member-state acts put the Framework Directive, the ePrivacy Directive or the European Electronic Communications Code into national law?
// param directive: entity = directive-2002-21 | the directive (or EU regulation)
MATCH (l:Law)-[:IMPLEMENTS]->(:Resource {uri: $directive})
OPTIONAL MATCH (l)-[:JURISDICTION]->(j:Jurisdiction)
RETURN l.uri AS law, coalesce(l.label, l.`label@en`) AS name, j.uri AS jurisdiction, toString(l.adopted) AS adopted,
       toString(l.inForce) AS inForce, toString(l.repealed) AS repealed
ORDER BY jurisdiction, law
