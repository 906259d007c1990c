"""Helpers shared by test modules: comparing graphs and datasets, and the table of bad
records that the record and bad-input tests both walk."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pyoxigraph as ox
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from graph import cypher
from graph.export import export
from ontology.mapping import PARTIAL_DATE

XSD = "http://www.w3.org/2001/XMLSchema#"


def content_hash(db) -> str:
    record = db.execute_query(cypher.CONTENT_HASH).records[0]
    text = json.dumps([record["nodes"], record["rels"]], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def exported(db) -> Dataset:
    buffer = io.BytesIO()
    export(db, buffer, "nq")
    dataset = Dataset()
    dataset.parse(data=buffer.getvalue().decode(), format="nquads")
    return dataset


def graphs_of(dataset: Dataset) -> dict[str, Graph]:
    result: dict[str, Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = str(g.identifier if isinstance(g, Graph) else g)
        result.setdefault(name, Graph()).add((s, p, o))
    return result


def assert_same_dataset(expected: Dataset, actual: Dataset) -> None:
    want, got = graphs_of(expected), graphs_of(actual)
    assert sorted(want) == sorted(got)
    for name in want:
        assert isomorphic(want[name], got[name]), name


def node(db, uri: str) -> dict:
    return db.execute_query("MATCH (n:Resource {uri: $uri}) RETURN n, labels(n) AS labels",
                            uri=uri).records[0]


# Bad records: what to replace in tests/fixtures/records/valid.yaml, the message expected and
# a fragment of the line the problem must be located at.
BAD = {
    "yaml syntax error": ("  name: State v Acme\n", "  name: [State v Acme\n",
                          "YAML syntax error", None),
    "unknown field": ("  started: \"2012\"\n", "  started: \"2012\"\n  colour: red\n",
                      "unknown field 'colour'", "colour:"),
    "field of another type": ("  isoCode: BE\n", "  isoCode: BE\n  penaltyAmount: 5\n",
                              "does not apply to a Country", "penaltyAmount: 5"),
    "malformed date": ("  started: \"2012\"\n", "  started: \"12/03/2012\"\n",
                       "is not a date", "started:"),
    "impossible date": ("  decided: \"2016-10-27\"\n", "  decided: \"2016-02-30\"\n",
                        "'2016-02-30' is not a real date", "decided:"),
    "missing source": ("  isoCode: BE\n  sources: [src-example]\n", "  isoCode: BE\n",
                       "needs at least one source", "- id: be"),
    "reference to a missing entity": ("  authority: court-b\n", "  authority: court-z\n",
                                      "'court-z' is not the id of any record", "authority: court-z"),
    "duplicate id": ("- id: court-b\n", "- id: court-a\n", "duplicate id; first defined at",
                     "- id: court-a\n  type: Court\n  name: Appeal"),
    "wrong value class": ("  authority: court-a\n", "  authority: act\n",
                          "'authority' must be a reference to an Organization", "authority: act"),
    "unknown concept code": ("role: defendant", "role: villain",
                             "'villain' is not a code of 'role'", "role: villain"),
    "unknown type": ("  type: Statute\n", "  type: Statoot\n", "unknown type 'Statoot'",
                     "type: Statoot"),
    "appeal before the decision": ("  decided: \"2017-11\"\n", "  decided: \"2015\"\n",
                                   "is before the decision it appeals", "- id: case-2"),
    "amount that is not a number": ("penaltyAmount: 30000", "penaltyAmount: lots",
                                    "'penaltyAmount' is a number", "penaltyAmount:"),
    "bad identifier": ("  aliases: [Acme Corp]\n", "  aliases: [Acme Corp]\n  wikidata: X12\n",
                       "'wikidata' must be a QID", "wikidata: X12"),
}


# RDF literals of every kind, canonical and not, for property tests of the mapping.
def lit(text: str, datatype: str | None = None, language: str | None = None) -> ox.Literal:
    if language:
        return ox.Literal(text, language=language)
    return ox.Literal(text, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(text)


# --- literals ---------------------------------------------------------------------------------

signs = st.sampled_from(["", "+", "-"])
digits = st.text("0123456789", min_size=1, max_size=30)
zeros = st.text("0", max_size=3)
integers = st.builds(lambda s, z, d: s + z + d, signs, zeros, digits)
decimals = st.one_of(
    st.builds(lambda s, a, b: f"{s}{a}.{b}", signs, digits, st.text("0123456789", max_size=30)),
    st.builds(lambda s, b: f"{s}.{b}", signs, digits), integers)
doubles = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr).map(
        lambda t: {"inf": "INF", "-inf": "-INF", "nan": "NaN"}.get(t, t)),
    st.builds(lambda m, e: f"{m}E{e}", decimals, st.integers(-30, 30)),
    st.sampled_from(["INF", "-INF", "+INF", "NaN", "1e0", ".5e-3", "5."]))
zones = st.sampled_from(["", "Z", "+00:00", "-05:00", "+05:30", "+14:00"])
dates = st.builds(lambda d, z: d.isoformat() + z,
                  st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), zones)
datetimes = st.builds(
    lambda d, frac, z: d.isoformat(timespec="seconds") + frac + z,
    st.datetimes(dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30)),
    st.sampled_from(["", ".5", ".000", ".123456", ".1234567"]), zones)

LITERALS = st.one_of(
    st.builds(lit, st.text(max_size=20)),
    st.builds(lit, st.text(max_size=10), st.just(None),
              st.sampled_from(["en", "EN-gb", "fr", "nl-BE", "de-CH-1901"])),
    st.builds(lit, integers, st.sampled_from(
        [XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                           "unsignedByte")])),
    st.builds(lit, decimals, st.just(XSD + "decimal")),
    st.builds(lit, doubles, st.sampled_from([XSD + "double", XSD + "float"])),
    st.builds(lit, st.sampled_from(["true", "false", "1", "0"]), st.just(XSD + "boolean")),
    st.builds(lit, dates, st.just(XSD + "date")),
    st.builds(lit, datetimes, st.just(XSD + "dateTime")),
    st.builds(lit, st.sampled_from(["2011", "2011-05", "-0044", "2011Z"]),
              st.sampled_from([XSD + "gYear", XSD + "gYearMonth"])),
    st.builds(lit, st.sampled_from(["12:00:00", "P1Y2M", "--05-10", "abc", "", "http://x"]),
              st.sampled_from([XSD + "time", XSD + "duration", XSD + "gMonthDay",
                               XSD + "anyURI", XSD + "token", "http://example.org/dt"])),
)
DECLARED = st.sampled_from([None, XSD + "string", XSD + "integer", XSD + "decimal",
                            XSD + "double", XSD + "date", XSD + "dateTime", PARTIAL_DATE,
                            "http://example.org/dt"])




def markdown(at) -> str:
    """All the Markdown an AppTest run of the explorer wrote, as one text."""
    return "\n".join(m.value for m in at.markdown)
