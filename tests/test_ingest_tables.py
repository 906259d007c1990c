"""techreg ingest-table and techreg resolve: tables -> curated records, entity resolution."""

from __future__ import annotations

import csv
import shutil

import pytest
import yaml
from conftest import FIXTURES
from rdflib import OWL
from typer.testing import CliRunner

from cli.main import app
from loaders.records import DATA_DIR, compile_records
from loaders.resolve import EntityIndex, accept, core, normalize, undo
from loaders.tables import ingest_table, read_mapping
from ontology import ID
from ontology.errors import TechregError

TABLES = FIXTURES / "ingest"
MAPPINGS = FIXTURES.parent.parent / "mappings"


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("copy") / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def test_gdpr_tracker_rows_become_valid_records(data_copy, tmp_path):
    out = tmp_path / "fines.yaml"
    result = ingest_table(TABLES / "gdpr-fines.csv", MAPPINGS / "gdpr-fines.yaml", output=out,
                          data=[data_copy], today="2025-01-01")
    assert result.problems == [] and result.written == out
    records = {r["id"]: r for r in yaml.safe_load(out.read_text())}
    fine = records["gdpr-fine-fx-2"]
    assert fine["authority"] == "es-aepd"  # found by its Spanish name, with accents
    assert fine["parties"] == [{"party": "google-spain", "role": "defendant"}]
    assert fine["penaltyAmount"] == 10000 and fine["penaltyCurrency"] == "EUR"
    assert fine["decided"] == "2023-03-15" and fine["sources"] == ["src-gdpr-tracker-fx-2"]
    assert records["gdpr-fine-fx-3"]["parties"][0]["party"] == "amazon-europe-core"
    assert records["gdpr-fx-1"]["jurisdiction"] == "fr"
    assert records["src-gdpr-tracker-fx-1"]["accessed"] == "2025-01-01"


def test_failing_rows_are_reported_by_row_number_and_nothing_is_written(data_copy, tmp_path):
    out = tmp_path / "fines.yaml"
    result = ingest_table(TABLES / "gdpr-fines-bad.csv", MAPPINGS / "gdpr-fines.yaml",
                          output=out, data=[data_copy])
    assert [(p.row, p.message.split(";")[0]) for p in result.problems] == [
        (3, "'Meta Platforms Ireland Ltd' is not a known Agent"),
        (4, "'22/05/2023' does not match the date format %Y-%m-%d"),
        (4, "no Agent 'Zoomba Telecom S.A.' is known (parties)"),  # every column is checked
    ]
    assert "facebook-ireland (0.80" in result.problems[0].message
    assert not out.exists() and result.written is None
    skipped = ingest_table(TABLES / "gdpr-fines-bad.csv", MAPPINGS / "gdpr-fines.yaml",
                           output=out, data=[data_copy], skip_invalid=True)
    assert skipped.skipped == [3, 4] and skipped.rows_used == 1
    assert [r["id"] for r in yaml.safe_load(out.read_text())] == \
        ["src-gdpr-tracker-fx-1", "gdpr-fx-1", "gdpr-fine-fx-1"]


def test_skip_invalid_writes_the_valid_rows_and_the_rejects_with_every_reason(data_copy, tmp_path):
    out = tmp_path / "fines.yaml"
    result = CliRunner().invoke(app, ["ingest-table", str(TABLES / "gdpr-fines-rejects.csv"),
                                      "--mapping", str(MAPPINGS / "gdpr-fines.yaml"), "-o", str(out),
                                      "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert f"wrote 6 records from 2 rows to {out}" in result.output.replace("\n", "")
    rejects = tmp_path / "fines.rejects.csv"
    assert "rejected 1 rows" in result.output and rejects.exists()
    [row] = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert (row["row"], row["ETid"], row["Fine [€]"]) == ("3", "FX-6", "ten euros")
    assert row["reason"].split("; ") == [
        "'not-a-url' is not an http(s) URL (url)",
        "'2022-13-40' does not match the date format %Y-%m-%d",
        "'ten euros' is not a number (penaltyAmount)"]
    assert {r["id"] for r in yaml.safe_load(out.read_text())} >= {"gdpr-fine-fx-1", "gdpr-fine-fx-3"}
    # without --skip-invalid the same table writes nothing
    strict = ingest_table(TABLES / "gdpr-fines-rejects.csv", MAPPINGS / "gdpr-fines.yaml",
                          output=tmp_path / "strict.yaml", data=[data_copy])
    assert strict.written is None and strict.rejects is None and len(strict.problems) == 3


def test_accepting_a_proposal_records_same_as_and_resolves_the_name(data_copy, tmp_path):
    same_as = data_copy / "same-as.yaml"
    runner = CliRunner()
    result = runner.invoke(app, ["resolve", "accept", "Meta Platforms Ireland Ltd",
                                 "facebook-ireland", "--file", str(same_as)])
    assert result.exit_code == 0, result.output
    [record] = yaml.safe_load(same_as.read_text())
    assert record["sameAs"] == "facebook-ireland" and record["type"] == "Entity"
    assert "score 0.80" in record["note"]
    dataset, compiler = compile_records([data_copy])  # valid, and exported as owl:sameAs
    assert compiler.problems == []
    assert list(dataset.quads((ID["meta-platforms-ireland-ltd-same-as"], OWL.sameAs,
                               ID["facebook-ireland"], None)))
    index = EntityIndex.from_records([data_copy])
    entity, _ = index.resolve("Meta Platforms Ireland Ltd", "Company")
    assert entity.id == "facebook-ireland"
    undo(record["id"], same_as)
    assert not same_as.exists()


def test_generic_case_list(data_copy, tmp_path):
    out = tmp_path / "cases.yaml"
    result = CliRunner().invoke(app, ["ingest-table", str(TABLES / "cases.csv"), "--mapping",
                                      str(MAPPINGS / "case-list.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 4 records from 2 rows" in result.output
    cases = {r["id"]: r for r in yaml.safe_load(out.read_text())}
    assert cases["fixture-skype-mechelen-retrial"]["authority"] == \
        "court-first-instance-antwerp-mechelen"
    assert cases["fixture-skype-cassation-note"]["authority"] == "be-court-of-cassation"
    assert cases["fixture-skype-cassation-note"]["decided"] == "2021-03-01"


def test_a_mapping_is_checked_against_the_ontology(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("records:\n  - type: Fine\n    id: x-{a}\n    fields:\n      price: {column: a}\n")
    with pytest.raises(TechregError, match="fields.price: does not apply to a Fine"):
        read_mapping(bad)
    bad.write_text("records:\n  - type: Fyne\n    id: x\n")
    with pytest.raises(TechregError, match="unknown type 'Fyne'"):
        read_mapping(bad)


def test_scores_and_normal_forms():
    assert normalize("Skype Communications S.à r.l.") == "skype communications s a r l"
    assert core("Skype Communications S.à r.l.") == core("Skype Communications SARL") == \
        "skype communications"
    index = EntityIndex.from_records()
    assert index.resolve("Q2283")[0].id == "microsoft"
    entity, candidates = index.resolve("Microsoft Corp.")
    assert entity is None and str(candidates[0]) == \
        "microsoft (0.80, same name without legal form)"
    with pytest.raises(TechregError, match="already a record"):
        accept("microsoft", "skype", index)
