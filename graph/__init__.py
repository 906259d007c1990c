"""techreg's graph side: the Neo4j server and connection, queries, export and analytics."""
