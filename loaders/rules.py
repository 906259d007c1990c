"""Rules over whole records that SHACL does not state well, run by `techreg validate`.

Each rule takes the records by file and the index of records by id and returns problems
located as file:line: record-id: message, like the compiler's own.

- A note, description or outcome that names a record id names one that exists. A token is
  taken for a record id only where the text marks it as one, so ordinary prose is left
  alone: in backticks (`skype-mechelen-2016`), right after a record word ("dispute
  blackberry-india-2010", "see claim-x-2019"), or with a Source or Claim id's prefix
  (src-..., claim-...). The token must look like an id with a hyphen, and concept codes
  (first-instance, telecom-operator-status...) are not ids.
- One Source record per URL: URLs are compared without their scheme (http/https) and
  trailing slash.
- A proceeding has at most one 'filed', 'heard' and 'decided' date, and neither 'heard' nor
  'decided' is before 'filed' (partial dates compared at the precision both have).
"""

from __future__ import annotations

import re

from ontology import model
from ontology.errors import Problem

TEXT_FIELDS = ("note", "description", "outcome")
DATE_FIELDS = ("filed", "heard", "decided")

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)+"
_BACKTICKED = re.compile(rf"`({_ID})`")
_AFTER_WORD = re.compile(
    rf"\b(?:dispute|disputes|record|records|proceeding|proceedings|claim|claims|source|see)"
    rf"\s+({_ID})\b")
_PREFIXED = re.compile(r"(?<![\w/.-])((?:src|claim)(?:-[a-z0-9]+)+)\b")


def check(records_by_file: dict, index: dict) -> list[Problem]:
    """Every rule's problems, in file order."""
    records = [r for recs in records_by_file.values() for r in recs]
    return (note_references(records, index) + one_source_per_url(records)
            + proceeding_dates(records) + appeal_dates(records, index))


def _problem(record, key, message: str) -> Problem:
    line = record.lines.get(key, record.line) if key else record.line
    return Problem(record.file, line, record.id, message)


def _texts(value) -> list[str]:
    if isinstance(value, dict):
        return [str(v) for v in value.values()]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value is not None else []


def _codes() -> set[str]:
    return {code for codes in model().concepts.values() for code in codes}


def referenced_ids(text: str) -> list[str]:
    """The tokens of a text that it marks as record ids, in order, without repeats."""
    found: list[str] = []
    for pattern in (_BACKTICKED, _AFTER_WORD, _PREFIXED):
        for match in pattern.finditer(text):
            token = match.group(1).rstrip("-")
            if token not in found:
                found.append(token)
    return found


def note_references(records: list, index: dict) -> list[Problem]:
    codes = _codes()
    problems = []
    for record in records:
        for key in TEXT_FIELDS:
            for text in _texts(record.fields.get(key)):
                for token in referenced_ids(text):
                    if token not in index and token not in codes:
                        problems.append(_problem(
                            record, key, f"the {key} names '{token}', which is not the id of "
                                         f"any record"))
    return problems


def normal_url(url: str) -> str:
    return re.sub(r"^https?://", "", str(url).strip(), flags=re.I).rstrip("/")


def one_source_per_url(records: list) -> list[Problem]:
    first: dict[str, object] = {}
    problems = []
    for record in records:
        if record.fields.get("type") != "Source" or not record.fields.get("url"):
            continue
        url = normal_url(record.fields["url"])
        if url in first:
            other = first[url]
            problems.append(_problem(
                record, "url", f"the url is already the url of {other.id} "
                               f"({other.file}:{other.line}); one Source record per URL"))
        else:
            first[url] = record
    return problems


def _before(a: str, b: str) -> bool:
    """Whether partial date a is before b, compared at the precision both have."""
    n = min(len(a), len(b))
    return a[:n] < b[:n]


def proceeding_dates(records: list) -> list[Problem]:
    problems = []
    for record in records:
        dates = {}
        for key in DATE_FIELDS:
            value = record.fields.get(key)
            if isinstance(value, list):
                if len(value) > 1:
                    problems.append(_problem(record, key, f"a proceeding has one '{key}' date"))
                value = value[0] if value else None
            if value is not None:
                dates[key] = str(value)
        filed = dates.get("filed")
        for key in ("heard", "decided"):
            if filed and key in dates and _before(dates[key], filed):
                problems.append(_problem(
                    record, key, f"'{key}' {dates[key]} is before 'filed' {filed}"))
    return problems


def appeal_dates(records: list, index: dict) -> list[Problem]:
    """An appeal is neither lodged nor decided before the decision it appeals (partial
    dates compared at the precision both have). A rule here rather than a SPARQL
    constraint in shapes.ttl: pyshacl parses such a query again for every appeal, which
    took most of `techreg validate`'s time on the full data."""
    problems = []
    for record in records:
        appealed = record.fields.get("appealOf")
        for target in appealed if isinstance(appealed, list) else [appealed]:
            previous = index.get(target) if isinstance(target, str) else None
            earlier = previous.fields.get("decided") if previous is not None else None
            if earlier is None:
                continue
            for key in ("filed", "decided"):
                value = record.fields.get(key)
                if value is not None and _before(str(value), str(earlier)):
                    problems.append(_problem(
                        record, None, f"the appeal's date {value} is before the decision it "
                                      f"appeals ({earlier})"))
    return problems
