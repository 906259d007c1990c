"""The `techreg` command line, on top of the library (ontology/, graph/, loaders/)."""
