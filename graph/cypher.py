"""Every Cypher statement techreg writes, in one place.

Values travel only as parameters. Labels and relationship types cannot be parameters in
an index-friendly way, so they come from the ontology mapping and are backtick-quoted
here; `quote` is the only way a name reaches a query.
"""

from __future__ import annotations


def quote(name: str) -> str:
    """Backtick-quote a label, type or property name (backticks inside are doubled)."""
    return "`" + name.replace("`", "``") + "`"


CONSTRAINT_URI = (
    "CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (n:Resource) REQUIRE n.uri IS UNIQUE"
)

WIPE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"

DELETE_ALL_IN_TX = "MATCH (n) DETACH DELETE n"


def merge_nodes(labels: list[str]) -> str:
    """Create or update nodes by uri, setting their whole property map and their labels."""
    extra = "".join(f":{quote(label)}" for label in labels if label != "Resource")
    return (
        "UNWIND $rows AS row "
        "MERGE (n:Resource {uri: row.uri}) "
        "SET n = row.props"
        + (f", n{extra}" if extra else "")
    )


def merge_relationships(rel_type: str) -> str:
    """Create relationships of one type between nodes found by uri."""
    return (
        "UNWIND $rows AS row "
        "MATCH (a:Resource {uri: row.start}) "
        "MATCH (b:Resource {uri: row.end}) "
        f"MERGE (a)-[r:{quote(rel_type)}]->(b) "
        "SET r = row.props"
    )


COUNTS = (
    "CALL { MATCH (n) RETURN count(n) AS nodes } "
    "CALL { MATCH ()-[r]->() RETURN count(r) AS relationships } "
    "RETURN nodes, relationships"
)

LABEL_COUNTS = (
    "MATCH (n:Resource) UNWIND labels(n) AS label "
    "WITH label WHERE label <> 'Resource' "
    "RETURN label, count(*) AS count ORDER BY count DESC, label"
)
