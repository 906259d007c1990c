"""The research questions: Cypher on Neo4j and SPARQL on the exported RDF agree, and answer."""

from __future__ import annotations

import pytest

from graph import queries
from graph.sparql import store_from_neo4j
from ontology import ID


@pytest.fixture(scope="module")
def graph(curated_db):
    """The curated data in Neo4j, and the RDF exported from it in a SPARQL store."""
    return curated_db, store_from_neo4j(curated_db)


def both(graph, name, **params):
    db, store = graph
    question = queries.get(name)
    return (queries.run_cypher(db, question, params),
            queries.run_sparql(store, question, params))


def _key(row):
    return repr(row)


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_cypher_and_sparql_give_the_same_rows(graph, name):
    cypher, sparql = both(graph, name)
    assert cypher.columns == sparql.columns
    assert cypher.rows, f"{name} returns nothing on the curated data"
    assert sorted(cypher.rows, key=_key) == sorted(sparql.rows, key=_key)


def test_there_are_at_least_twenty_questions():
    assert len(queries.library()) >= 20


def test_microsoft_owned_skype_when_the_belgian_judge_asked_for_its_data(graph):
    for result in both(graph, "owner-as-of", company="skype", date="2012-09"):
        assert result.rows[0][:3] == [ID + "microsoft", "Microsoft Corporation", "2011-10-13"]
    # Before 2009 eBay owned it; from November 2009 the investor group led by Silver Lake.
    for result in both(graph, "owner-as-of", company="skype", date="2008-01-01"):
        assert result.rows[0][0] == ID + "ebay"
    for result in both(graph, "owner-as-of", company="skype", date="2010-06-01"):
        assert result.rows[0][0] == ID + "silver-lake"


def test_the_belgian_skype_dispute_runs_through_three_court_levels(graph):
    for result in both(graph, "dispute-proceedings"):
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        judged = [(r["level"], r["decided"], r["penalty"]) for r in rows if r["decided"]]
        assert judged == [("first-instance", "2016-10-27", 30000),
                          ("appeal", "2017-11-15", 30000), ("supreme", "2019-02-19", None)]
        assert rows[-1]["appealOf"] == ID + "skype-antwerp-appeal-2017"


# --- the research questions' answers ------------------------------------------------------

def answers(graph, name, **params):
    """Each language's rows as dicts, Cypher's first (both are checked against the same facts)."""
    for result in both(graph, name, **params):
        yield [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def test_skype_gmail_and_yahoo_were_challenged_over_telecom_operator_status(graph):
    for rows in answers(graph, "telecom-status-challenges"):
        belgian = [r for r in rows if r["dispute"] == ID + "skype-belgium-interception"
                   and r["decided"]]
        assert {r["service"] for r in belgian} == {ID + "skype-app"}
        assert [(r["level"], r["decided"]) for r in belgian] == [
            ("first-instance", "2016-10-27"), ("appeal", "2017-11-15"), ("supreme", "2019-02-19")]
        assert all(r["jurisdiction"] == ID + "be" for r in belgian)
        cjeu = {(r["service"], r["decided"]) for r in rows if r["level"] == "supranational"}
        assert cjeu == {(ID + "skypeout", "2019-06-05"), (ID + "gmail", "2019-06-13")}
        assert {r["service"] for r in rows} >= {ID + "skype-app", ID + "skypeout", ID + "gmail",
                                                 ID + "yahoo-mail"}


def test_the_skypeout_dispute_turned_on_the_framework_directive(graph):
    for rows in answers(graph, "laws-invoked-on-topic"):
        laws = {r["law"]: r for r in rows if r["dispute"] == ID + "skype-bipt-skypeout"}
        assert laws[ID + "directive-2002-21"]["jurisdiction"] == ID + "eu"
        assert laws[ID + "be-electronic-communications-act-2005-art-9"]["proceedings"] == 4


def test_the_yahoo_appeal_chain_runs_from_dendermonde_to_the_second_cassation(graph):
    for rows in answers(graph, "appeal-chain"):
        steps = {r["step"]: r["decision"] for r in rows}
        assert steps[0] == ID + "yahoo-cassation-2011"
        assert steps[-1] == ID + "yahoo-ghent-appeal-2010"
        assert steps[-2] == ID + "yahoo-dendermonde-2009"
        assert steps[max(steps)] == ID + "yahoo-cassation-2015"
        assert [r["step"] for r in rows] == sorted(r["step"] for r in rows)
    for rows in answers(graph, "appeal-chain", proceeding="skype-cassation-2019"):
        assert [(r["step"], r["level"]) for r in rows] == [
            (-2, "first-instance"), (-1, "appeal"), (0, "supreme")]


def test_microsoft_met_the_russian_linkedin_dispute_before_it_owned_linkedin(graph):
    for rows in answers(graph, "company-disputes"):
        by = {(r["dispute"], r["via"]): r for r in rows}
        russia = by[(ID + "roskomnadzor-v-linkedin", ID + "linkedin")]
        assert russia["acquisition"] == ID + "acq-microsoft-linkedin-2016"
        assert russia["acquired"] == "2016-12"
        # the dispute's start is only known as "2016", but its first judgment (4 August 2016)
        # predates the completion in December 2016
        assert russia["timing"] == "before"
        belgium = by[(ID + "skype-belgium-interception", ID + "skype")]
        assert belgium["party"] == ID + "skype-communications"
        assert (belgium["acquired"], belgium["timing"]) == ("2011-10-13", "after")
        assert by[(ID + "arcep-skype-registration", ID + "skype")]["timing"] == "before"
        assert by[(ID + "ms-ireland-warrant", None)]["timing"] is None


def test_article_102_and_the_gdpr_are_the_most_invoked_laws(graph):
    for rows in answers(graph, "most-invoked-laws"):
        assert [r["law"] for r in rows[:2]] == [ID + "tfeu-art-102", ID + "regulation-2016-679"]
        assert rows[0]["proceedings"] == max(r["proceedings"] for r in rows)
        assert all(r["disputes"] <= r["proceedings"] for r in rows)


def test_belgian_disputes_invoke_article_46bis_most(graph):
    for rows in answers(graph, "laws-invoked-by-jurisdiction"):
        belgian = [r for r in rows if r["jurisdiction"] == ID + "be"]
        assert belgian[0]["law"] == ID + "be-code-criminal-procedure-art-46bis"
        # the Yahoo! dispute's five proceedings; the Mechelen Skype judgment no longer counts (issue 18)
        assert (belgian[0]["proceedings"], belgian[0]["disputes"]) == (5, 1)
        assert ID + "directive-2002-21" in {r["law"] for r in belgian}


def test_national_laws_implement_the_telecom_directives(graph):
    for rows in answers(graph, "directive-implementations"):
        assert {(r["law"], r["jurisdiction"]) for r in rows} == {
            (ID + "be-electronic-communications-act-2005", ID + "be"), (ID + "de-tkg", ID + "de")}
    for rows in answers(graph, "directive-implementations", directive="directive-2018-1972"):
        assert [(r["law"], r["inForce"]) for r in rows] == [(ID + "de-tkg-2021", "2021-12-01")]


def test_the_code_repealed_the_framework_directive_after_the_cjeu_referrals(graph):
    for rows in answers(graph, "law-aftermath"):
        items = {(r["relation"], r["item"]): r for r in rows}
        repeal = items[("repealed by", ID + "directive-2018-1972")]
        assert repeal["date"] == "2018-12-11"
        for case in ("skypeout-cjeu-2019", "gmail-cjeu-2019"):
            assert items[("invoked in", ID + case)]["authority"] == \
                "Court of Justice of the European Union"
        referrals = [r for r in rows if r["item"].endswith("referral-2018")]
        assert len(referrals) == 2 and all(r["date"] < repeal["date"] for r in referrals)


def test_fines_by_jurisdiction_and_year(graph):
    for rows in answers(graph, "fines-by-jurisdiction-year"):
        by = {(r["jurisdiction"], r["year"], r["currency"]): r for r in rows}
        # Google Android (EUR 4.34 bn) and Qualcomm's exclusivity payments (EUR 997 m)
        assert (by[(ID + "eu", "2018", "EUR")]["fines"], by[(ID + "eu", "2018", "EUR")]["total"]) \
            == (2, 4340000000 + 997000000)
        # BIPT's SkypeOut fine and the Mechelen court's fine, not the appeal that upheld it
        assert (by[(ID + "be", "2016", "EUR")]["fines"], by[(ID + "be", "2016", "EUR")]["total"]) \
            == (2, 223454 + 30000)


def test_the_largest_euro_fine_is_google_android(graph):
    for rows in answers(graph, "largest-fines"):
        assert (rows[0]["proceeding"], rows[0]["fined"], rows[0]["amount"]) == (
            ID + "eu-google-android-2018-decision", ID + "google", 4340000000)
        amounts = [r["amount"] for r in rows]
        assert amounts == sorted(amounts, reverse=True)
        skype = [r for r in rows if r["fined"] == ID + "skype-communications"]
        assert {(r["amount"], r["jurisdiction"]) for r in skype} == {(223454, ID + "be"),
                                                                    (30000, ID + "be")}
    for rows in answers(graph, "largest-fines", currency="GBP"):
        # the CMA's Giphy order fine on Meta, then the ICO's fine on TikTok (two TikTok companies)
        assert [(r["fined"], r["amount"]) for r in rows] == [
            (ID + "meta", 50500000), (ID + "tiktok-inc", 12700000), (ID + "tiktok-uk", 12700000)]


def test_who_demands_localisation_interception_and_keys(graph):
    for rows in answers(graph, "state-access-demands"):
        by = {(r["jurisdiction"], r["topic"]): r["disputes"] for r in rows}
        assert by[(ID + "ru", "data-localisation")] == 2
        assert by[(ID + "br", "encryption")] == 3
        assert by[(ID + "be", "lawful-interception")] == 1
        assert {t for (j, t) in by if j == ID + "sa"} == {
            "data-localisation", "encryption", "lawful-interception"}


def test_sources_disagree_on_skype_prices_and_dates(graph):
    for rows in answers(graph, "source-disagreements"):
        ebay = {(r["property"], r["kept"], r["claimed"]) for r in rows
                if r["record"] == ID + "ebay-acquires-skype-2005"}
        assert ("completed", "2005-10-14", "2006") in ebay
        microsoft = {r["claimed"] for r in rows if r["record"] == ID + "microsoft-acquires-skype-2011"
                     and r["property"] == "price" and r["kept"] == "8500000000"}
        assert "5000000000 GBP" in microsoft
        authority = [r for r in rows if r["record"] == ID + "telegram-russia-fsb-fine"]
        assert authority[0]["kept"] == ID + "ru-magistrate-court-383-moscow"
        assert all(r["url"] for r in rows)


def test_what_the_sources_say_about_ebays_purchase_of_skype(graph):
    for rows in answers(graph, "claims-about-record"):
        prices = {(r["kept"], r["claimed"]) for r in rows if r["property"] == "price"}
        assert prices == {("2600000000", "2500000000 USD"), ("2600000000", "3100000000 USD")}
        sec = [r for r in rows if r["source"] == ID + "src-ebay-2005-skype-completion"]
        assert sec[0]["published"] == "2005-10-14"


def test_everything_known_about_skype(graph):
    for rows in answers(graph, "entity-neighbours"):
        links = {(r["direction"], r["relation"], r["neighbour"]) for r in rows}
        assert ("in", "TARGET", ID + "microsoft-acquires-skype-2011") in links
        assert ("in", "SUBSIDIARY_OF", ID + "skype-communications") in links
        assert ("out", "HEADQUARTERS", ID + "lu") in links
    for rows in answers(graph, "entity-neighbours", entity="skype-mechelen-2016"):
        parties = {(r["neighbour"], r["role"]) for r in rows if r["relation"] == "PARTY"}
        assert parties == {(ID + "skype-communications", "defendant"),
                           (ID + "be-public-prosecutor", "prosecutor")}
        assert ("in", "APPEAL_OF", ID + "skype-antwerp-appeal-2017") in {
            (r["direction"], r["relation"], r["neighbour"]) for r in rows}


def test_microsofts_timeline(graph):
    for rows in answers(graph, "company-timeline"):
        acquired = [(r["date"], r["other"]) for r in rows if r["event"] == "acquired"]
        assert (("2011-10-13", ID + "skype") in acquired and
                ("2016-12", ID + "linkedin") in acquired)
        dates = [r["date"] for r in rows]
        assert dates == sorted(dates)
        assert ("ms-warrant-2013" in {r["item"].removeprefix(ID) for r in rows if
                                      r["event"] == "party"})
    for rows in answers(graph, "company-timeline", company="skype"):
        buyers = [r["other"] for r in rows if r["event"] == "acquired by"]
        assert buyers == [ID + "ebay", ID + "silver-lake", ID + "microsoft"]


def test_the_belgian_skype_dispute_sources(graph):
    for rows in answers(graph, "dispute-sources"):
        supports = {(r["source"], r["supports"]) for r in rows}
        # the 2015 Reuters report of the Mechelen summons, cited by the dispute itself
        assert (ID + "src-reuters-2015-skype-summoned",
                ID + "skype-belgium-interception") in supports
        reuters = [r for r in rows if r["source"] == ID + "src-reuters-2015-skype-summoned"]
        assert {r["published"] for r in reuters} == {"2015-05-26"}
        assert any(s == ID + "src-rdc-2019-skype-cassation" and p == ID + "skype-cassation-2019"
                   for s, p in supports)


def test_laws_in_force_in_belgium_when_the_judge_asked_skype(graph):
    for rows in answers(graph, "laws-in-force-as-of"):
        laws = {r["law"] for r in rows}
        assert {ID + "be-electronic-communications-act-2005", ID + "directive-2002-21",
                ID + "directive-95-46"} <= laws
        assert ID + "regulation-2016-679" not in laws
    for rows in answers(graph, "laws-in-force-as-of", date="2021-01-01"):
        laws = {r["law"] for r in rows}
        assert ID + "directive-2018-1972" in laws and ID + "regulation-2016-679" in laws
        assert ID + "directive-2002-21" not in laws and ID + "directive-95-46" not in laws
        # repealed by Directive 2015/1535, which has no repeal date of its own
        assert ID + "directive-98-34" not in laws


def test_proceedings_pending_during_the_mechelen_trial(graph):
    for rows in answers(graph, "pending-proceedings-as-of"):
        pending = {r["proceeding"]: r for r in rows}
        assert pending[ID + "skype-mechelen-2016"]["decided"] == "2016-10-27"
        assert all(r["started"] <= "2016-10-01" for r in rows)
        assert all(r["decided"] is None or r["decided"] > "2016-10-01" for r in rows)
    for rows in answers(graph, "pending-proceedings-as-of", date="2016-11-01"):
        assert ID + "skype-mechelen-2016" not in {r["proceeding"] for r in rows}


def test_belgium_has_three_telecom_status_disputes(graph):
    for rows in answers(graph, "disputes-by-topic-and-jurisdiction"):
        by = {(r["topic"], r["jurisdiction"]): r for r in rows}
        belgium = by[("telecom-operator-status", ID + "be")]
        assert (belgium["disputes"], belgium["firstStarted"]) == (3, "2007")
        assert by[("competition", ID + "eu")]["disputes"] == 26


def test_belgian_proceedings_by_court_level(graph):
    for rows in answers(graph, "proceedings-by-court-level"):
        by = {(r["jurisdiction"], r["level"]): r for r in rows}
        assert (by[(ID + "be", "supreme")]["proceedings"], by[(ID + "be", "supreme")]["decided"]) \
            == (4, 3)
        assert by[(ID + "eu", "supranational")]["proceedings"] >= 2
        assert all(r["decided"] <= r["proceedings"] and r["penalties"] <= r["proceedings"]
                   for r in rows)


def test_microsofts_acquisitions_and_prices(graph):
    for rows in answers(graph, "acquisitions-by-company"):
        deals = {r["target"]: (r["price"], r["currency"], r["completed"]) for r in rows}
        assert deals[ID + "skype"] == (8500000000, "USD", "2011-10-13")
        assert deals[ID + "linkedin"] == (26200000000, "USD", "2016-12")
        assert deals[ID + "nokia-devices-and-services"][1] == "EUR"


def test_skype_is_a_foreign_company_before_belgian_authorities(graph):
    for rows in answers(graph, "cross-border-disputes"):
        foreign = {(r["dispute"], r["company"], r["headquarters"]) for r in rows}
        assert (ID + "skype-belgium-interception", ID + "skype-communications", ID + "lu") in foreign
        assert (ID + "skype-bipt-skypeout", ID + "skype-communications", ID + "lu") in foreign
        # a company seated in a member state is not foreign to the EU, a Californian one is
        assert not any(r["jurisdiction"] == ID + "eu" and r["headquarters"] == ID + "ie"
                       for r in rows)
        assert not any(r["jurisdiction"] == ID + "us" and r["headquarters"] == ID + "us-ca"
                       for r in rows)


def _cli(neo4j_target, *args):
    import os
    import subprocess
    import sys

    env = {**os.environ, "NEO4J_URI": neo4j_target.uri, "NEO4J_PASSWORD": neo4j_target.password}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_query_command_lists_runs_and_formats(graph, neo4j_target):
    import json

    listing = _cli(neo4j_target, "query", "--list")
    assert listing.returncode == 0 and "owner-as-of" in listing.stdout
    result = _cli(neo4j_target, "query", "owner-as-of", "--param", "date=2012-09-01",
                  "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["name"] == "Microsoft Corporation"
    bad = _cli(neo4j_target, "query", "owner-as-of", "--param", "date=yesterday")
    assert bad.returncode == 1 and "takes a date YYYY[-MM[-DD]]" in bad.stderr
    unknown = _cli(neo4j_target, "query", "no-such-question")
    assert unknown.returncode == 1 and "techreg query --list" in unknown.stderr


def test_sparql_command_over_the_graph_from_neo4j(graph, neo4j_target):
    result = _cli(neo4j_target, "sparql", "PREFIX tr: <https://w3id.org/techreg/ontology#> "
                  "SELECT (COUNT(?d) AS ?n) WHERE { ?d a tr:Dispute }")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.splitlines()[1]) >= 60
    broken = _cli(neo4j_target, "sparql", "SELECT WHERE {")
    assert broken.returncode == 1 and "SPARQL syntax error" in broken.stderr
