// title: Where sources disagree
// description: Every claim: a value that a source gives for a fact and that differs from the value the record keeps, with the record, the property (by its record key), the value kept, the value claimed and the source with its URL.
MATCH (c:Claim)-[:ABOUT]->(about:Resource), (c)-[:PROPERTY]->(prop:Resource)
OPTIONAL MATCH (c)-[:SOURCE]->(s:Source)
WITH c, about, prop, s, split(prop.uri, '#')[-1] AS property
// the kept value: the literal, else each record the property links to (IN_DISPUTE for inDispute)
WITH c, about, s, property,
     [(about)-[r]->(x) WHERE replace(type(r), '_', '') = toUpper(property) | x.uri] AS linked
UNWIND CASE WHEN about[property] IS NOT NULL THEN [toString(about[property])]
            WHEN size(linked) > 0 THEN linked ELSE [null] END AS kept
RETURN about.uri AS record, coalesce(about.label, about.`label@en`) AS name, property, kept,
       c.value AS claimed, s.uri AS source, s.url AS url
ORDER BY record, property, claimed, source
