"""The rules `techreg validate` runs over whole records (loaders/rules.py): note references,
one Source record per URL, proceeding dates. Each has a passing and a failing fixture record."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from loaders import rules
from loaders.records import build_dataset
from ontology.errors import InvalidData

PASS = FIXTURES / "records" / "rules-pass.yaml"
FAIL = FIXTURES / "records" / "rules-fail.yaml"


def _line_of(path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


@pytest.fixture(scope="module")
def problems():
    with pytest.raises(InvalidData) as error:
        build_dataset([FAIL])
    return error.value.problems


def test_the_passing_records_pass_every_rule():
    build_dataset([PASS])  # raises on any problem


def test_a_note_naming_a_missing_record_is_a_located_problem(problems):
    found = [p for p in problems if "acme-india-2010" in p.message]
    assert len(found) == 1
    assert (found[0].file, found[0].line, found[0].record) == (
        str(FAIL), _line_of(FAIL, "curated as dispute acme-india-2010"), "dispute-1")
    assert str(found[0]).startswith(f"{FAIL}:{found[0].line}: dispute-1: the note names")


def test_ids_are_read_only_where_the_text_marks_them():
    text = ("The first-instance step is `case-1`; see claim-1 for the other date. The dispute "
            "over long-running fees is not a record; curated as dispute blackberry-india-2010.")
    assert rules.referenced_ids(text) == ["case-1", "claim-1", "blackberry-india-2010"]
    assert rules.referenced_ids("a long-running, well-known e-commerce dispute") == []


def test_one_source_record_per_url(problems):
    found = [p for p in problems if "one Source record per URL" in p.message]
    assert [(p.record, p.line) for p in found] == [
        ("src-same-url", _line_of(FAIL, "url: http://example.org/report/"))]
    assert "src-example" in found[0].message
    assert rules.normal_url("HTTP://example.org/a/") == rules.normal_url("https://example.org/a")


def test_decided_and_heard_are_not_before_filed(problems):
    found = sorted((p.record, p.line, p.message) for p in problems if "before 'filed'" in p.message)
    assert found == [
        ("case-1", _line_of(FAIL, 'decided: "2016-10-27"'),
         "'decided' 2016-10-27 is before 'filed' 2016-11"),
        ("case-2", _line_of(FAIL, 'heard: "2016-12"'), "'heard' 2016-12 is before 'filed' 2017"),
    ]


def test_partial_dates_compare_at_their_common_precision():
    assert not rules._before("2016-10-27", "2016")
    assert rules._before("2016-10", "2016-11-02")


def test_the_failing_file_has_no_other_problem(problems):
    assert len(problems) == 4, [str(p) for p in problems]
