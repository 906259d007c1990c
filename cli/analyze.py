"""`techreg analyze`: graph analytics (networkx, igraph) over the graph in Neo4j."""

from __future__ import annotations

from typing import Annotated

import typer

from graph import db as dbmod

from .output import out, rows_out

JurisdictionOpt = Annotated[str | None, typer.Option(help="Slice: disputes in this jurisdiction "
                                                   "(a record id such as be)")]
TopicOpt = Annotated[str | None, typer.Option(help="Slice: disputes on this topic code")]
SinceOpt = Annotated[str | None, typer.Option(help="Slice: disputes active on or after this date")]
UntilOpt = Annotated[str | None, typer.Option(help="Slice: disputes started by this date")]
JsonOpt = Annotated[bool, typer.Option("--json", help="JSON output (for the explorer)")]


def _slice(jurisdiction, topic, since, until):
    from graph.analytics import Slice

    return Slice(jurisdiction, topic, since, until)


def centrality(
    kind: Annotated[list[str] | None, typer.Option(help="Only this kind (Company, Law, Court, "
                                                   "Regulator...); repeatable")] = None,
    top: Annotated[int, typer.Option(help="How many", min=1)] = 10,
    jurisdiction: JurisdictionOpt = None, topic: TopicOpt = None, since: SinceOpt = None,
    until: UntilOpt = None, as_json: JsonOpt = False,
) -> None:
    """The most central entities by PageRank, with betweenness and degree."""
    from graph import analytics

    with dbmod.connect() as db:
        graph = analytics.project(db, _slice(jurisdiction, topic, since, until))
    rows_out(analytics.centrality(graph, kind, top), as_json)


def communities(
    jurisdiction: JurisdictionOpt = None, topic: TopicOpt = None, since: SinceOpt = None,
    until: UntilOpt = None, as_json: JsonOpt = False,
) -> None:
    """Communities of densely connected entities (Louvain), largest first."""
    from graph import analytics

    with dbmod.connect() as db:
        graph = analytics.project(db, _slice(jurisdiction, topic, since, until))
    rows_out(analytics.communities(graph), as_json)


def path(
    start: Annotated[str, typer.Argument(help="A record id, e.g. microsoft")],
    end: Annotated[str, typer.Argument(help="A record id, e.g. court-first-instance-antwerp-mechelen")],
    as_json: JsonOpt = False,
) -> None:
    """How two entities are connected: the shortest explanatory chain of hops."""
    from graph import analytics

    with dbmod.connect() as db:
        hops = analytics.path(analytics.project(db), start, end)
    if as_json:
        rows_out(hops, True)
    else:
        out.print(analytics.describe_path(hops), highlight=False, soft_wrap=True)


def similar(
    dispute: Annotated[str, typer.Argument(help="A dispute's record id")],
    top: Annotated[int, typer.Option(help="How many", min=1)] = 5,
    as_json: JsonOpt = False,
) -> None:
    """Disputes most like one, by shared laws, parties, topics and jurisdictions, with why."""
    from graph import analytics

    with dbmod.connect() as db:
        rows_out(analytics.similar(db, dispute, top), as_json)


def exposure(
    company: Annotated[str, typer.Argument(help="A company's record id")],
    as_json: JsonOpt = False,
) -> None:
    """A company's disputes, including subsidiaries' and those of companies it bought
    (counted only from the acquisition on)."""
    from graph import analytics

    with dbmod.connect() as db:
        rows = analytics.exposure(db, company)
    rows_out(rows, as_json)
    if not as_json:
        counted = sum(1 for r in rows if r["counted"] is True)
        out.print(f"{counted} disputes count towards {company}'s exposure")
