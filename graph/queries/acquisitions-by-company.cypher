// title: A company's acquisitions and their prices
// description: The companies a buyer acquired (or tried to), with status, announcement and completion dates, price, currency and stake, in date order.
// param company: entity = microsoft | the buyer
MATCH (a:Acquisition)-[:ACQUIRER]->(:Resource {uri: $company}), (a)-[:TARGET]->(t:Resource)
OPTIONAL MATCH (a)-[:ACQUISITION_STATUS]->(s:Concept)
RETURN t.uri AS target, coalesce(t.label, t.`label@en`) AS name, a.uri AS acquisition, s.notation AS status,
       toString(a.announced) AS announced, toString(a.completed) AS completed,
       a.price AS price, a.currency AS currency, a.stake AS stake
ORDER BY coalesce(completed, announced), target
