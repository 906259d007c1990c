// title: Where sources disagree
// description: Every claim: a value that a source gives for a fact and that differs from the value the record keeps, with the record, the property (by its record key), the value kept, the value claimed and the source with its URL.
MATCH (c:Claim)-[:ABOUT]->(about:Resource), (c)-[:PROPERTY]->(prop:Resource)
OPTIONAL MATCH (c)-[:SOURCE]->(s:Source)
WITH c, about, prop, s, split(prop.uri, '#')[-1] AS property
RETURN about.uri AS record, coalesce(about.label, about.`label@en`) AS name, property,
       coalesce(toString(about[property]),
                head([(about)-[r]->(x) WHERE type(r) = toUpper(property) | x.uri])) AS kept,
       c.value AS claimed, s.uri AS source, s.url AS url
ORDER BY record, property, claimed, source
