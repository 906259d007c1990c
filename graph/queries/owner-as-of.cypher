// title: Who owned a company on a given day
// description: The buyer in the last completed acquisition of the company on or before the day (partial dates count from their start). Who owned Skype when the Belgian investigating judge asked for its call data in September 2012?
// param company: entity = skype | the company
// param date: date = 2012-09-01 | the day
MATCH (a:Acquisition)-[:TARGET]->(:Resource {uri: $company}),
      (a)-[:ACQUIRER]->(owner:Resource)
WHERE a.completed IS NOT NULL AND toString(a.completed) <= $date
RETURN owner.uri AS owner, owner.label AS name, toString(a.completed) AS since, a.stake AS stake
ORDER BY since DESC
LIMIT 1
