// title: What the sources say about one record
// description: For one record, each fact that some source gives differently: the value the record keeps, the sources the record cites, and each other value with its source. What do the sources say about the date eBay's purchase of Skype closed, or its price?
// param record: entity = ebay-acquires-skype-2005 | the record
MATCH (c:Claim)-[:ABOUT]->(:Resource {uri: $record}), (c)-[:PROPERTY]->(prop:Resource)
MATCH (about:Resource {uri: $record})
OPTIONAL MATCH (c)-[:SOURCE]->(s:Source)
WITH c, about, s, split(prop.uri, '#')[-1] AS property
RETURN property,
       coalesce(toString(about[property]),
                head([(about)-[r]->(x) WHERE type(r) = toUpper(property) | x.uri])) AS kept,
       c.value AS claimed, c.uri AS claim, s.uri AS source, s.publisher AS publisher,
       toString(s.issued) AS published
ORDER BY property, claimed, source
