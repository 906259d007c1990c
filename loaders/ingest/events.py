"""Candidate proceedings: sentences that tell of a step before an authority (a summons, a
hearing, a fine, a judgment, an appeal, an order, an investigation) with its date, compared
with the proceedings the graph holds for the document's dispute."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from loaders.resolve import EntityIndex

from .disputes import DisputeProfile, GraphContext
from .extract import DateRef, Money
from .mentions import Mention

# Verbs and nouns of a step -> the kind of proceeding and the date it gives. Checked in order.
STEPS = (
    (r"appeal(?:ed|s)?|hoger beroep|beroep aangetekend|fait appel|interjeté appel|berufung",
     "Appeal", "filed", "appeal"),
    (r"summon(?:ed|s|ses)?|dagvaard\w*|gedagvaard|convoqu\w+|cité\w* à comparaître|vorgeladen|"
     r"charged|prosecuted|indicted|aangeklaagd|poursuivi\w*|angeklagt", "CourtCase", "filed", "summons"),
    (r"hearing|heard|zitting|audience|verhandlung|anhörung", "CourtCase", "heard", "hearing"),
    (r"fined|fines?|penalt(?:y|ies)|amende|boete|beboet|bußgeld|geldbuße|sanctionn\w+",
     "Fine", "decided", "fine"),
    (r"convicted|ruled|ruling|judgment|judgement|verdict|upheld|dismissed|overturned|"
     r"veroordeeld|uitspraak|vonnis|condamn\w+|jugement|arrêt|verurteilt|urteil|entschied",
     "CourtCase", "decided", "judgment"),
    (r"ordered|bevolen|beval|ordonn\w+|angeordnet|anordnung", "Order", "decided", "order"),
    (r"opened an investigation|investigation|probe|inquiry|onderzoek|enquête|ermittlung",
     "Investigation", "filed", "investigation"),
)
_RECENT = re.compile(r"(?i)\b(?:on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
                     r"today|yesterday|this week|(?:lundi|mardi|mercredi|jeudi|vendredi)|"
                     r"aujourd'hui|hier|(?:maandag|dinsdag|woensdag|donderdag|vrijdag)|vandaag|"
                     r"gisteren|(?:montag|dienstag|mittwoch|donnerstag|freitag)|heute|gestern)\b")
_STEPS = [(re.compile(rf"(?i)(?<!\w)(?:{p})(?!\w)"), kind, date, step)
          for p, kind, date, step in STEPS]


@dataclass
class Event:
    step: str  # summons, hearing, fine, judgment, appeal, order, investigation
    kind: str  # a Proceeding class: CourtCase, Appeal, Fine, Order, Investigation
    date_field: str  # filed, heard, decided
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    authority: str
    parties: list[str]
    amount: Decimal | None
    currency: str | None
    sentence: str
    start: int
    end: int
    verdict: str = "new"  # new, in graph
    record: str | None = None  # the graph's proceeding it matches
    dispute: str | None = None
    graph: list[str] = field(default_factory=list)  # the graph's proceedings at that authority

    def describe(self) -> str:
        text = f"{self.step} ({self.kind}) before {self.authority}, {self.date_field} {self.date}"
        if self.amount is not None:
            text += f", {self.currency} {self.amount:,}"
        return text


def find_events(text: str, sentences: list[tuple[int, int]], mentions: list[Mention],
                index: EntityIndex, money: list[Money], dates: list[DateRef],
                context: GraphContext, dispute: str | None, published: str | None = None
                ) -> list[Event]:
    """Steps before an authority told with a date (or on a day relative to the report's date);
    matched against the dispute's proceedings."""
    profile = context.disputes.get(dispute) if dispute else None
    events = []
    for s, e in sentences:
        inside = [m for m in mentions if s <= m.start < e]
        authorities = [m.entity for m in inside if "PublicBody" in index.entities[m.entity].types
                       and "Prosecutor" not in index.entities[m.entity].types]
        when = [d.value for d in dates if s <= d.start < e]
        if not when and published and _RECENT.search(text, s, e):
            when = [published]  # "on Tuesday", "today": the day the report was published
        if not authorities or not when:
            continue
        found = next(((kind, date_field, step) for pattern, kind, date_field, step in _STEPS
                      if pattern.search(text, s, e)), None)
        if found is None:
            continue
        kind, date_field, step = found
        authority = authorities[0]
        if kind == "Fine" and "Court" in index.entities[authority].types:
            kind = "CourtCase"
        if kind == "CourtCase" and "appeal" in context.levels.get(authority, ()):
            kind = "Appeal"
        date = max(when, key=len)
        parties = sorted({m.entity for m in inside if "PublicBody" not in index.entities[m.entity].types
                          and index.entities[m.entity].types & {"Organization", "Person"}})
        amount = next((m for m in money if s <= m.start < e), None)
        event = Event(step, kind, date_field, date, authority, parties,
                      amount.amount if amount else None, amount.currency if amount else None,
                      text[s:e].strip(), s, e, dispute=dispute)
        if profile is not None:
            _compare(event, profile)
        events.append(event)
    return events


def _compare(event: Event, profile: DisputeProfile) -> None:
    same_authority = [p for p in profile.proceedings if event.authority in p.authorities]
    event.graph = [f"{p.id} ({', '.join(f'{k} {v}' for k, v in p.dates.items())})"
                   for p in same_authority]
    for p in same_authority:
        if any(v.startswith(event.date) or event.date.startswith(v) for v in p.dates.values()):
            event.verdict, event.record = "in graph", p.id
            return
