// title: What came after a law: repeals, amendments, implementations and rulings
// description: What settled the question a law raised: the laws that repeal or amend it (or implement it), and the proceedings that invoked it or one of its articles, in date order (a law by its adoption, else its entry into force; a proceeding by its decision, else its start). For the Framework Directive: the 2018 European Electronic Communications Code that replaced it, and the 2019 CJEU rulings on SkypeOut and Gmail.
// param law: entity = directive-2002-21 | the law
MATCH (law:Resource {uri: $law})
CALL (law) {
  MATCH (later:Law)-[:REPEALS]->(law) RETURN later AS item, 'repealed by' AS relation
  UNION
  MATCH (later:Law)-[:AMENDS]->(law) RETURN later AS item, 'amended by' AS relation
  UNION
  MATCH (later:Law)-[:IMPLEMENTS]->(law) RETURN later AS item, 'implemented by' AS relation
  UNION
  MATCH (p:Proceeding)-[:INVOKES]->(:Law)-[:ARTICLE_OF*0..]->(law)
  RETURN p AS item, 'invoked in' AS relation
}
OPTIONAL MATCH (item)-[:AUTHORITY]->(a:Resource)
OPTIONAL MATCH (item)-[:JURISDICTION]->(j:Jurisdiction)
RETURN relation, item.uri AS item, coalesce(item.label, item.`label@en`) AS name,
       coalesce(toString(item.adopted), toString(item.inForce), toString(item.decided),
                toString(item.heard), toString(item.filed)) AS date,
       coalesce(a.label, a.`label@en`) AS authority, j.uri AS jurisdiction, item.outcome AS outcome
ORDER BY date, item, relation
