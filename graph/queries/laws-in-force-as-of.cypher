// title: Laws in force in a jurisdiction on a day
// description: The laws of the jurisdiction and of the unions it belongs to (Belgium and the EU) that were in force on the day: in force (or, where no entry into force is recorded, adopted) on or before it and not repealed by then (by the law's repeal date, else by the entry into force of a law that repeals it). Laws with neither date are left out.
// param jurisdiction: entity = be | the jurisdiction
// param date: date = 2012-09-01 | the day
MATCH (:Jurisdiction {uri: $jurisdiction})-[:PART_OF*0..]->(lj:Jurisdiction)<-[:JURISDICTION]-(l:Law)
WITH DISTINCT l, lj, toString(coalesce(l.inForce, l.adopted)) AS since
WHERE since <= $date
  AND CASE WHEN l.repealed IS NOT NULL THEN toString(l.repealed) > $date
           ELSE NOT EXISTS { MATCH (r:Law)-[:REPEALS]->(l)
                             WHERE toString(coalesce(r.inForce, r.adopted)) <= $date } END
RETURN l.uri AS law, coalesce(l.label, l.`label@en`) AS name, lj.uri AS lawJurisdiction, since,
       CASE WHEN l.inForce IS NULL THEN 'adopted' ELSE 'in force' END AS basis
ORDER BY lawJurisdiction, since, law
