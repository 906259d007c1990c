"""Loaders: curated records -> validated RDF -> Neo4j."""
