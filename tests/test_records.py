"""Curated records: compiling to RDF, and one clear located problem per kind of bad record."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import FIXTURES
from rdflib import XSD, Graph, Literal, URIRef

from loaders.records import build_dataset
from ontology import ID, NS
from ontology.errors import InvalidData

VALID = FIXTURES / "records" / "valid.yaml"


def test_valid_records_compile_with_types_dates_and_languages():
    dataset = Graph()
    for s, p, o, _ in build_dataset([VALID]).quads():
        dataset.add((s, p, o))
    assert (ID["case-1"], NS.decided, Literal("2016-10-27", datatype=XSD.date)) in dataset
    assert (ID["case-2"], NS.decided, Literal("2017-11", datatype=XSD.gYearMonth)) in dataset
    assert (ID["dispute-1"], NS.started, Literal("2012", datatype=XSD.gYear)) in dataset
    labels = set(dataset.objects(ID["acme"], URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    assert {(str(x), x.language) for x in labels} == {("Acme", "en"), ("Acmé", "fr")}
    # Inline parties become Participation nodes that inherit the proceeding's sources.
    participation = ID["case-1/parties/1"]
    assert (ID["case-1"], NS.hasParticipation, participation) in dataset
    assert (participation, NS.participant, ID["acme"]) in dataset
    assert (participation, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"),
            ID["src-example"]) in dataset


def _broken(tmp_path, old: str, new: str):
    text = VALID.read_text()
    assert old in text, old
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


def _line_of(path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


from helpers import BAD  # noqa: E402


@pytest.mark.parametrize("case", sorted(BAD))
def test_each_bad_record_is_located_and_explained(tmp_path, case):
    old, new, message, line_fragment = BAD[case]
    path = _broken(tmp_path, old, new)
    with pytest.raises(InvalidData) as error:
        build_dataset([path])
    problems = [p for p in error.value.problems if message in p.message]
    assert problems, [str(p) for p in error.value.problems]
    assert problems[0].file == str(path)
    if line_fragment:
        text = path.read_text()
        assert problems[0].line == text.count("\n", 0, text.index(line_fragment)) + 1


def test_validate_command_prints_file_line_and_exits_non_zero(tmp_path):
    path = _broken(tmp_path, "  authority: court-b\n", "  authority: court-z\n")
    result = subprocess.run([sys.executable, "-m", "cli", "validate", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    line = _line_of(path, "authority: court-z")
    assert f"{path}:{line}: case-2: 'court-z' is not the id of any record" in result.stdout
    assert "Traceback" not in result.stderr


def test_validate_writes_nothing(tmp_path):
    before = sorted(p.name for p in tmp_path.iterdir())
    subprocess.run([sys.executable, "-m", "cli", "validate", str(VALID)], check=True,
                   capture_output=True, cwd=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
