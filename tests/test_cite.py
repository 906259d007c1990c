"""Citations of a record and its sources, parsed back: BibTeX by bibtexparser, RIS by rispy,
CSL-JSON as JSON. Pure: a tiny record, no Neo4j."""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy

from graph.cite import DATASET, Citable, bibtex, csl_json, render, ris
from ontology import ID

RECORD = Citable(
    "microsoft-acquires-skype-2011", "Microsoft acquisition of Skype (2011) & {friends} 100%",
    "Acquisition", "0.1.0", "2026-11-30",
    [{"id": "src-thewrap-2011", "title": "Microsoft Buys Skype for $8.5 Billion",
      "publisher": "TheWrap", "url": "https://www.thewrap.com/microsoft-buy-skype/",
      "published": "2011-05-10", "accessed": "2026-11-26"},
     {"id": "src-undated", "title": "Skype_history", "publisher": None,
      "url": "https://example.org/skype", "published": "2011", "accessed": None}])


def test_bibtex_parses_back_with_the_record_and_its_sources():
    library = bibtexparser.parse_string(bibtex(RECORD))
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    record = entries["techreg-microsoft-acquires-skype-2011"]
    assert record.entry_type == "misc"
    assert record["url"] == str(ID["microsoft-acquires-skype-2011"])
    assert record["urldate"] == "2026-11-30" and record["version"] == "0.1.0"
    assert record["title"] == r"Microsoft acquisition of Skype (2011) \& \{friends\} 100\%"
    assert record["howpublished"] == DATASET.replace("&", r"\&")
    source = entries["techreg-src-thewrap-2011"]
    assert source.entry_type == "online"
    assert (source["organization"], source["date"], source["urldate"]) == (
        "TheWrap", "2011-05-10", "2026-11-26")
    assert source["title"] == r"Microsoft Buys Skype for \$8.5 Billion"
    assert entries["techreg-src-undated"]["title"] == r"Skype\_history"


def test_ris_parses_back():
    records = rispy.loads(ris(RECORD))
    assert [r["type_of_reference"] for r in records] == ["DATA", "ELEC", "ELEC"]
    record, source, undated = records
    assert record["title"].startswith("Microsoft acquisition of Skype (2011)")
    assert record["urls"] == [str(ID["microsoft-acquires-skype-2011"])]
    assert record["edition"] == "0.1.0" and record["access_date"] == "2026/11/30"
    assert (source["publisher"], source["date"], source["access_date"]) == (
        "TheWrap", "2011/05/10", "2026/11/26")
    assert undated["year"] == "2011" and "access_date" not in undated


def test_csl_json_is_json_with_dates_as_date_parts():
    items = json.loads(csl_json(RECORD))
    assert items[0]["type"] == "dataset" and items[0]["version"] == "0.1.0"
    assert items[0]["URL"] == str(ID["microsoft-acquires-skype-2011"])
    assert items[0]["accessed"] == {"date-parts": [[2026, 11, 30]]}
    assert items[1]["issued"] == {"date-parts": [[2011, 5, 10]]}
    assert items[2]["issued"] == {"date-parts": [[2011]]} and "accessed" not in items[2]


def test_unknown_format_is_refused():
    assert render(RECORD, "ris") == ris(RECORD)
    with pytest.raises(ValueError, match="bibtex, ris, csl-json"):
        render(RECORD, "endnote")


def test_the_cli_cites_a_record_from_the_graph(curated_db):
    from typer.testing import CliRunner

    from cli.main import app

    result = CliRunner().invoke(app, ["cite", "skype-belgium-interception", "-f", "csl-json",
                                      "--accessed", "2026-11-30"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert items[0]["title"] == "Belgian prosecution v Skype (refusal to cooperate with interception)"
    assert items[0]["URL"] == str(ID["skype-belgium-interception"]) and len(items) > 1
    bib = CliRunner().invoke(app, ["cite", "skype-belgium-interception", "-f", "bibtex"])
    assert not bibtexparser.parse_string(bib.output).failed_blocks
    bad = CliRunner().invoke(app, ["cite", "skype", "-f", "endnote"])
    assert bad.exit_code != 0
