"""The rules of document ingest, one by one, on tiny graphs built here (no database): company
versus service, described authorities, demonyms, the filters, dispute ranking, candidate
proceedings, metadata and the readers of each format."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from bench.ingest_corpus import pdf_bytes
from loaders.ingest import analyse, find_dates, read_document
from loaders.ingest.disputes import DisputeProfile, GraphContext, Proceeding, clearly_ahead
from loaders.ingest.reading import Document
from loaders.ingest.report import penalty_amounts
from loaders.resolve import Entity, EntityIndex
from ontology import ID, local_name, model
from ontology.errors import TechregError


def entity(rid: str, kind: str, names, aliases=(), iso=None, description="") -> Entity:
    m = model()
    types = {local_name(c) for c in m.ancestors(m.classes[kind].iri)}
    return Entity(rid, str(ID[rid]), list(names), list(aliases), types, iso=iso,
                  description=description)


# One small world: Skype the company and the app, Belgian and French authorities, a dispute.
ENTITIES = [
    entity("skype", "Company", ["Skype Technologies"], ["Skype"]),
    entity("skype-app", "Service", ["Skype"]),
    entity("microsoft", "Company", ["Microsoft Corporation"], ["Microsoft"]),
    entity("android-inc", "Company", ["Android, Inc."]),
    entity("shutterstock", "Company", ["Shutterstock"]),
    entity("youtube", "Company", ["YouTube LLC"], ["YouTube"]),
    entity("youtube-service", "Service", ["YouTube"]),
    entity("lu", "Country", ["Luxembourg"], iso="LU"),
    entity("conseil-d-etat", "Court", ["Conseil d'État"], ["CE"]),
    entity("be", "Country", ["Belgium"], iso="BE"),
    entity("fr", "Country", ["France"], iso="FR"),
    entity("in", "Country", ["India"], iso="IN"),
    entity("de", "Country", ["Germany"], iso="DE"),
    entity("eu", "SupranationalUnion", ["European Union"], ["EU"]),
    entity("mechelen-court", "Court", ["Court of First Instance (Mechelen)",
                                       "Rechtbank van eerste aanleg (Mechelen)"]),
    entity("antwerp-appeal", "Court", ["Court of Appeal of Antwerp", "Hof van beroep Antwerpen"]),
    entity("brussels-appeal", "Court", ["Court of Appeal of Brussels",
                                        "Cour d'appel de Bruxelles"]),
    entity("brussels-first", "Court", ["Court of First Instance of Brussels"]),
    entity("bipt", "Regulator", ["Belgian Institute for Postal Services and Telecommunications"],
           ["BIPT"]),
    entity("arcep", "Regulator", ["Electronic Communications and Postal Regulatory Authority"],
           ["ARCEP"]),
    entity("cnil", "Regulator", ["French Data Protection Authority"], ["CNIL"]),
    entity("skype-case", "Dispute", ["Belgian prosecution v Skype"]),
    entity("cnil-case", "Dispute", ["CNIL v Google"]),
]
PLACES = {"mechelen-court": {"be"}, "antwerp-appeal": {"be"}, "brussels-appeal": {"be"},
          "brussels-first": {"be"}, "bipt": {"be"}, "arcep": {"fr"}, "cnil": {"fr"},
          "be": {"eu"}, "fr": {"eu"}}
LEVELS = {"mechelen-court": {"first-instance"}, "antwerp-appeal": {"appeal"},
          "brussels-appeal": {"appeal"}, "brussels-first": {"first-instance"}}
RELATED = {"skype-app": {"skype"}, "skype": {"skype-app", "microsoft"}, "microsoft": {"skype"}}


def world() -> tuple[EntityIndex, GraphContext]:
    skype_case = DisputeProfile("skype-case", "Belgian prosecution v Skype", "2012-09", "2019-02-19",
                                {"be"}, {"skype-app"}, [
                                    Proceeding("mechelen-2016", "Mechelen judgment", ["CourtCase"],
                                               {"decided": "2016-10-27"}, Decimal(30000), "EUR",
                                               ["mechelen-court"], ["skype"], []),
                                    Proceeding("antwerp-2017", "Antwerp appeal", ["Appeal"],
                                               {"decided": "2017-11-15"}, Decimal(30000), "EUR",
                                               ["antwerp-appeal"], ["skype"], [])])
    cnil_case = DisputeProfile("cnil-case", "CNIL v Google", "2019-01-21", "2020-06-19", {"fr"},
                               set(), [Proceeding("cnil-2019", "CNIL fine", ["Fine"],
                                                  {"decided": "2019-01-21"}, Decimal(50000000),
                                                  "EUR", ["cnil"], ["microsoft"], [])])
    context = GraphContext(PLACES, LEVELS, RELATED, {"skype-case": skype_case,
                                                      "cnil-case": cnil_case})
    return EntityIndex(ENTITIES), context


def run(text: str, meta: dict | None = None, kind: str = "text"):
    index, context = world()
    doc = Document(Path("fixture.txt"), kind, text, "0" * 64, dict(meta or {}))
    return analyse(doc, index, context=context)


def links(report) -> list[tuple[str, str, str]]:
    return [(m.text, m.entity, m.how) for m in report.mentions]


# --- 1. disambiguation by context ---------------------------------------------------------

def test_the_company_and_its_eponymous_service_are_told_apart_by_context():
    report = run("Skype was summoned to appear before a court in Mechelen. Skype's lawyers said "
                 "the company had refused. Millions of people make free calls on Skype every day.")
    skypes = [(m.entity, m.how) for m in report.mentions if m.text.startswith("Skype")]
    assert skypes == [("skype", "context"), ("skype", "context"), ("skype-app", "context")]
    assert all(0.5 < m.score <= 1 for m in report.mentions if m.how == "context")


def test_a_name_without_evidence_stays_ambiguous_with_scores():
    report = run("YouTube.")
    [a] = report.ambiguous
    assert set(a.candidates) == {"youtube", "youtube-service"} and len(a.scores) == 2
    assert abs(sum(a.scores) - 1) < 0.02


# --- 2. authorities and places described, demonyms ----------------------------------------

@pytest.mark.parametrize("text, described, entity", [
    ("Skype was summoned before a court in Mechelen on Tuesday.", "court in Mechelen",
     "mechelen-court"),
    ("The case went to the Brussels court of appeal.", "Brussels court of appeal",
     "brussels-appeal"),
    ("France's telecoms regulator asked Skype to register.", "telecoms regulator", "arcep"),
    ("De rechtbank van Mechelen veroordeelde Skype.", "rechtbank van Mechelen", "mechelen-court"),
])
def test_described_authorities_resolve_through_the_graph(text, described, entity):
    report = run(text)
    assert (described, entity) in [(m.text, m.entity) for m in report.mentions
                                   if m.how.startswith("described")]


def test_a_description_beside_the_authority_s_name_is_not_a_second_mention():
    report = run("The Belgian regulator BIPT fined Skype.")
    assert [m.entity for m in report.mentions if m.entity == "bipt"] == ["bipt"]


def test_a_court_description_that_fits_several_courts_is_not_linked():
    report = run("The Belgian court ruled on Skype.")  # four Belgian courts: which one?
    assert not any(m.how.startswith("described") for m in report.mentions)


@pytest.mark.parametrize("text, word, entity", [
    ("Belgian investigators asked for the data.", "Belgian", "be"),
    ("Indian users complained.", "Indian", "in"),
    ("la justice belge a tranché", "belge", "be"),
    ("die französische Behörde", "französische", "fr"),
    ("de Europese Unie", "Europese Unie", "eu"),
])
def test_demonyms_link_to_jurisdictions(text, word, entity):
    report = run(text)
    assert (word, entity, "demonym") in links(report)


def test_a_demonym_inside_an_institution_s_name_is_not_a_mention():
    report = run("Die Europäische Kommission und die Europese Commissie.")
    assert not [m for m in report.mentions if m.how == "demonym"]


# --- 4. fewer false mentions ---------------------------------------------------------------

def test_headline_byline_credit_and_navigation_name_nothing():
    text = ("Skype Taken To Court Over Customer Data Refusal\n\nBy Jane Fixture Doe\n\n"
            "Photo: Shutterstock / Fixture Agency\n\nSkype was summoned on Tuesday, a spokesman "
            "for the court said.\n\nRead More\n")
    report = run(text, {"title": "Skype Taken To Court Over Customer Data Refusal"})
    assert "shutterstock" not in report.entities()
    assert not [r for r in report.references if r.kind == "court"]
    assert [u.text for u in report.unknown] == []
    assert report.filtered["credit"] == 2 and report.filtered["headline"] >= 1  # name, unknown
    assert report.filtered["byline"] == 1


def test_a_dateline_names_where_the_reporter_was():
    report = run("Luxembourg, 16 July 2020\n\nThe Luxembourg company lost in court.")
    assert [(m.text, m.start) for m in report.mentions] == [("Luxembourg", 30)]
    assert report.filtered["dateline"] == 1


def test_a_name_inside_a_citation_is_not_a_mention():
    report = run("Le Conseil d'État a appliqué la directive 95/46/CE.")
    assert [m.text for m in report.mentions if m.entity == "conseil-d-etat"] == ["Conseil d'État"]
    assert report.filtered["inside a citation"] == 1


def test_a_short_form_the_text_uses_for_a_product_is_not_the_company():
    report = run("Makers of Android devices must pre-install the app. Android, Inc. was bought.")
    assert [(m.text, m.entity) for m in report.mentions if m.entity == "android-inc"] == [
        ("Android, Inc.", "android-inc")]
    assert report.filtered["product name"] == 1


def test_capitalised_phrases_are_not_unknown_entities_but_names_are():
    report = run("Customer Data Refusal was reported. The customer data went to Zoomba Telecom "
                 "S.A. last year, after the refusal.")
    assert [u.text for u in report.unknown] == ["Zoomba Telecom S.A."]
    assert report.filtered["capitalised phrase"] == 1


# --- 3. which dispute ----------------------------------------------------------------------

def test_disputes_are_ranked_with_evidence_and_linked_when_clearly_ahead():
    report = run("On 27 October 2016 the court in Mechelen fined Skype 30,000 euros for refusing "
                 "to help the Belgian police.")
    top = report.disputes[0]
    assert top.dispute == "skype-case" and report.dispute == "skype-case"
    kinds = {e.kind for e in top.evidence}
    assert {"authority", "date", "amount", "jurisdiction"} <= kinds
    assert top.as_dict()["evidence"][0]["weight"] >= top.as_dict()["evidence"][-1]["weight"]


def test_a_dispute_not_clearly_ahead_is_not_linked():
    assert clearly_ahead([]) is None
    report = run("Microsoft and Skype.")
    assert report.dispute is None


def test_penalty_amounts_leave_out_daily_penalties_and_add_up_one_sentence():
    text = "It fined A 60 million euros and B 40 million euros, and 100,000 euros per day."
    from loaders.ingest import find_money

    amounts = penalty_amounts(text, find_money(text), [(0, len(text))])
    assert (Decimal(100000000), "EUR") in amounts
    assert (Decimal(100000), "EUR") not in amounts


# --- 6. candidate proceedings --------------------------------------------------------------

def test_a_step_before_an_authority_becomes_a_candidate_proceeding():
    report = run("Skype has been summoned to appear before a court in Mechelen, a spokesman said "
                 "on Tuesday. The Belgian court fined Skype 30,000 euros on 27 October 2016.",
                 {"published": "2015-05-26"})
    summons = next(e for e in report.events if e.step == "summons")
    assert (summons.kind, summons.date_field, summons.date, summons.authority, summons.verdict) \
        == ("CourtCase", "filed", "2015-05-26", "mechelen-court", "new")
    assert summons.dispute == "skype-case" and "summoned" in summons.sentence


# --- 7 and 5. formats and metadata ---------------------------------------------------------

def test_html_metadata_from_opengraph_json_ld_and_lang(tmp_path):
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Skype in court",
          "datePublished": "2015-05-26T08:00:00Z",
          "publisher": {"@type": "Organization", "name": "Fixture Wire"}}
    page = tmp_path / "a.html"
    page.write_text(
        '<!doctype html><html lang="nl"><head><title>Skype in court | Fixture Wire</title>'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
        '<link rel="canonical" href="https://example.org/a"></head><body><nav>Home News</nav>'
        "<article><h1>Skype in court</h1><p>Skype werd gedagvaard door de rechtbank van Mechelen,"
        " zegt het parket. De zaak gaat terug tot 2012, toen een onderzoeksrechter gegevens vroeg."
        "</p><p>Read more</p></article></body></html>", encoding="utf-8")
    doc = read_document(page)
    assert doc.meta == {"title": "Skype in court", "publisher": "Fixture Wire",
                        "published": "2015-05-26", "url": "https://example.org/a",
                        "language": "nl"}
    assert "Home News" not in doc.text and "gedagvaard" in doc.text


def test_the_url_from_json_ld_when_the_page_has_no_canonical_link(tmp_path):
    ld = {"@type": "NewsArticle", "headline": "Skype in court",
          "mainEntityOfPage": {"@id": "https://example.org/b"}}
    page = tmp_path / "b.html"
    page.write_text(f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script>'
                    "</head><body><p>Skype was summoned by the court in Mechelen.</p></body></html>",
                    encoding="utf-8")
    assert read_document(page).meta["url"] == "https://example.org/b"


def test_plain_text_metadata_from_the_text(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Skype fined in Mechelen\n\nMechelen, 27 October 2016\n\nThe court in Mechelen "
                    "fined Skype for refusing to cooperate with the investigating judge.\n")
    doc = read_document(note)
    assert doc.meta == {"title": "Skype fined in Mechelen", "published": "2016-10-27",
                        "language": "en"}


def test_pdf_text_layer_with_offsets(tmp_path):
    pdf = tmp_path / "judgment.pdf"
    pdf.write_bytes(pdf_bytes(["Judgment of the court in Mechelen", "",
                               "The court fined Skype 30,000 euros on 27 October 2016."],
                              title="Mechelen judgment"))
    doc = read_document(pdf)
    assert doc.kind == "pdf" and doc.meta["title"] == "Mechelen judgment"
    start = doc.text.index("Skype")
    assert doc.text[start:start + 5] == "Skype" and "30,000 euros" in doc.text


@pytest.mark.parametrize("make, message", [
    (lambda: pdf_bytes([]), "a PDF without a text layer"),
    (lambda: pdf_bytes(["Skype"])[:60], "a PDF that cannot be read"),
    ("encrypted", "an encrypted PDF"),
])
def test_unreadable_pdfs_are_one_line_errors(tmp_path, make, message):
    if make == "encrypted":
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["Secret Skype"]))))
        writer.encrypt("secret")
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    else:
        data = make()
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(data)
    with pytest.raises(TechregError) as e:
        read_document(pdf)
    assert message in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("text, value", [
    ("le 27 octobre 2016", "2016-10-27"), ("op 26 mei 2015", "2015-05-26"),
    ("am 3. März 2020", "2020-03-03"), ("on May 26, 2015", "2015-05-26"),
    ("in Sept. 2019", "2019-09"),
])
def test_dates_in_several_languages(text, value):
    assert [d.value for d in find_dates(text)] == [value]
