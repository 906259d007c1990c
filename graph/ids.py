"""Record ids as a user types them: whether one names a record in the graph, and the closest
ids when it does not (`techreg analyze exposure microsft` -> closest: microsoft)."""

from __future__ import annotations

import re

from ontology import ID
from ontology.errors import unknown_id

from . import cypher

ID_SHAPE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # as record ids are written


def record_ids(db, label: str | None = None) -> list[str]:
    """The ids of the curated records in the graph (of one label, e.g. Company, if given)."""
    prefix = str(ID)
    return sorted(r["uri"].removeprefix(prefix)
                  for r in db.execute_query(cypher.NAMED_ENTITIES, unnamed=[]).records
                  if r["uri"].startswith(prefix) and (label is None or label in r["labels"]))


def require(db, value: str, label: str | None = None, what: str | None = None) -> None:
    """UsageError (exit 2) naming the closest ids unless value is the id of a record (of the
    label, if given) in the graph."""
    known = record_ids(db, label)
    if value not in known:
        raise unknown_id(value, known, what or (f"a {label.lower()} in the graph" if label
                                                else "the id of any record"))


def require_params(db, question, given: dict[str, str]) -> None:
    """The check above for each entity parameter of a research question the user gave (a
    value not shaped like an id is left to the question's own check of its parameters)."""
    for param in question.params:
        value = given.get(param.name)
        if param.type == "entity" and value and ID_SHAPE.fullmatch(value):
            require(db, value)
