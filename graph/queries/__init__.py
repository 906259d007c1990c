"""The research questions: named, parameterised queries, each in Cypher and in SPARQL.

A question is two files in this folder, NAME.cypher and NAME.rq, each opening with a
header of comment lines:

    // title: Who owned a company on a given day
    // description: The last completed acquisition of the company on or before the date.
    // param company: entity = skype | the company
    // param date: date = 2012-09-01 | the day

(`#` instead of `//` in SPARQL). Parameter types: `entity` (a record id such as
`skype`, passed to Cypher as its IRI and to SPARQL as a NamedNode), `str`, `int`,
`date` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, compared as text so partial dates count
from their start). Values reach both languages only as parameters: Cypher `$name`,
SPARQL variables `?name` bound by substitution.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ontology import ID
from ontology.errors import TechregError

FOLDER = Path(__file__).parent
TYPES = ("entity", "str", "int", "date")
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long")}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    help: str


@dataclass(frozen=True)
class Question:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    cypher: str
    sparql: str

    def values(self, given: dict[str, str] | None = None) -> dict[str, str]:
        """Parameter values as text: given ones, else defaults; unknown or missing ones fail."""
        given = dict(given or {})
        unknown = set(given) - {p.name for p in self.params}
        if unknown:
            raise TechregError(f"question '{self.name}' has no parameter "
                               f"{', '.join(sorted(unknown))}; it takes: "
                               f"{', '.join(p.name for p in self.params) or 'none'}")
        values = {}
        for p in self.params:
            value = given.get(p.name, p.default)
            if value is None:
                raise TechregError(f"question '{self.name}' needs --param {p.name}=...")
            values[p.name] = check(p, str(value))
        return values

    def cypher_params(self, given=None) -> dict:
        params = {}
        for p in self.params:
            value = self.values(given)[p.name]
            params[p.name] = (str(ID[value]) if p.type == "entity" else
                              int(value) if p.type == "int" else value)
        return params

    def sparql_substitutions(self, given=None) -> dict:
        subs = {}
        for p in self.params:
            value = self.values(given)[p.name]
            subs[ox.Variable(p.name)] = (
                ox.NamedNode(str(ID[value])) if p.type == "entity" else
                ox.Literal(value, datatype=ox.NamedNode(XSD + "integer")) if p.type == "int"
                else ox.Literal(value))
        return subs


def check(param: Param, value: str) -> str:
    if param.type == "int" and not re.fullmatch(r"-?\d+", value):
        raise TechregError(f"--param {param.name} takes a whole number, not {value!r}")
    if param.type == "date" and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise TechregError(f"--param {param.name} takes a date YYYY[-MM[-DD]], not {value!r}")
    if param.type == "entity" and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
        raise TechregError(f"--param {param.name} takes a record id such as skype, not {value!r}")
    return value


def _header(text: str, mark: str) -> tuple[dict[str, str], list[Param]]:
    fields, params = {}, []
    for line in text.splitlines():
        if not line.startswith(mark):
            break
        body = line[len(mark):].strip()
        match = re.fullmatch(r"param (\w+): (\w+)(?: = ([^|]*?))?\s*(?:\|\s*(.*))?", body)
        if match:
            name, type_, default, help_ = match.groups()
            if type_ not in TYPES:
                raise ValueError(f"{name}: unknown parameter type {type_}")
            params.append(Param(name, type_, default or None, help_ or ""))
        elif ":" in body:
            key, _, value = body.partition(":")
            fields[key.strip()] = value.strip()
    return fields, params


@cache
def library() -> dict[str, Question]:
    """Every question in this folder, by name."""
    questions = {}
    for path in sorted(FOLDER.glob("*.cypher")):
        rq = path.with_suffix(".rq")
        cypher, sparql = path.read_text(), rq.read_text()
        fields, params = _header(cypher, "//")
        sparql_fields, sparql_params = _header(sparql, "#")
        if sparql_params != params:
            raise ValueError(f"{path.stem}: the Cypher and SPARQL headers differ in parameters")
        questions[path.stem] = Question(path.stem, fields["title"], fields.get("description", ""),
                                        tuple(params), cypher, sparql)
    return questions


def get(name: str) -> Question:
    try:
        return library()[name]
    except KeyError:
        raise TechregError(f"no question named '{name}'; `techreg query --list` lists them") \
            from None


# --- running -----------------------------------------------------------------------------

def plain(value):
    """A Cypher or SPARQL value as plain Python, so the two languages' rows compare equal."""
    if value is None:
        return None
    if isinstance(value, ox.NamedNode | ox.BlankNode):
        return value.value
    if isinstance(value, ox.Literal):
        if value.datatype.value in NUMERIC:
            number = float(value.value)
            return int(number) if number.is_integer() else number
        if value.datatype.value == XSD + "boolean":
            return value.value == "true"
        return value.value
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else float(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "labels") and hasattr(value, "element_id"):  # a Neo4j node
        return {"labels": sorted(value.labels), **plain(dict(value))}
    if hasattr(value, "type") and hasattr(value, "element_id"):  # a relationship
        return {"type": value.type, **plain(dict(value))}
    if hasattr(value, "nodes") and hasattr(value, "relationships"):  # a path
        return [plain(n) for n in value.nodes]
    return value


@dataclass
class Result:
    columns: list[str]
    rows: list[list]


def run_cypher(db, question: Question, given: dict | None = None) -> Result:
    import neo4j

    records, _, columns = db.execute_query(question.cypher, question.cypher_params(given),
                                           routing_=neo4j.RoutingControl.READ)
    return Result(list(columns), [[plain(record[c]) for c in columns] for record in records])


def bound_sparql(question: Question, given: dict | None = None) -> str:
    """The SPARQL text with its parameters bound by a VALUES block."""
    subs = question.sparql_substitutions(given)
    if not subs:
        return question.sparql
    names = " ".join(str(v) for v in subs)
    terms = " ".join(str(t) for t in subs.values())
    return re.sub(r"WHERE\s*\{", lambda m: f"WHERE {{\n  VALUES ({names}) {{ ({terms}) }}",
                  question.sparql, count=1)


def run_sparql(store: ox.Store, question: Question, given: dict | None = None) -> Result:
    solutions = store.query(bound_sparql(question, given), use_default_graph_as_union=True)
    columns = [v.value for v in solutions.variables]
    rows = [[plain(solution[c]) for c in columns] for solution in solutions]
    return Result(columns, rows)
