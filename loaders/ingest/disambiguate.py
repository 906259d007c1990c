"""Disambiguation by context: when a name fits several records (Skype the company and Skype
the app, Facebook the network and its company), weigh each candidate by the evidence around
the name and in the document, and link the one clearly ahead.

The evidence: cue words near the name (summoned, fined, refused, acquired, the company point
to an organisation; download, users, calls, the app to a service), the words right before
and after it ("on Skype", "Skype users", "Skype said"), entities the document links and that
the graph relates to a candidate (its provider, its parent, its services), and the disputes
the document is most likely about (a candidate that takes part in them). Every candidate gets
a score; the best is linked when it leads by `MARGIN`, else the name stays ambiguous with the
scores reported.
"""

from __future__ import annotations

import math
import re

from loaders.resolve import EntityIndex

from .disputes import DisputeCandidate, GraphContext
from .mentions import Ambiguous, Mention

MARGIN = 0.2  # the best candidate's lead over the next, in probability, to link it
ORGANISATION = re.compile(
    r"(?i)(?<!\w)(?:summon(?:ed|s)?|fined?|fines|refus(?:ed|es|al)|acquir(?:ed|es)|bought|company|"
    r"firm|corporation|group|lawyers?|counsel|spokes(?:wo)?man|spokesperson|argued|appeal(?:ed|s)?|"
    r"convicted|ordered|prosecut(?:ed|ion)|charged|sued|complied|headquartered|based|subsidiary|"
    r"owner|owned|operator|provider|defendant|court|judges?|regulator|declined|denied|parent|"
    r"rechter|rechtbank|juges?|tribunal|gericht|richter|untersagt\w*|kündigte|beschwerde|klage|"
    r"klagte|plainte|recours|saisi|a fait appel|beroep|klacht|verschijnen|"
    r"entreprise|société|groupe|condamnée?|amende|refusé|poursuivie?|avocats?|porte-parole|"
    r"bedrijf|onderneming|veroordeeld|boete|weigerde|gedagvaard|advocaten?|woordvoerder|"
    r"unternehmen|konzern|verurteilt|bußgeld|weigerte|anwälte|sprecher|firma|vorgeladen)(?!\w)")
SERVICE = re.compile(
    r"(?i)(?<!\w)(?:download(?:ed|s)?|users?|calls?|calling|chats?|messaging|messages?|video|app|"
    r"application|platform|installed|accounts?|conversations?|subscribers?|online|feed|posts?|"
    r"services?|software|"
    r"utilisateurs?|appels?|messagerie|plateforme|gebruikers?|gesprekken|berichten|dienst|"
    r"nutzer(?:innen)?|anrufe|gespräche|nachrichten|dienstes)(?!\w)")
_SERVICE_BEFORE = re.compile(r"(?i)(?:\b(?:on|via|over|through|using|use|uses|used|op|sur|"
                             r"par|über|per|mit|met|such as|like|comme|wie|zoals)\s+|"
                             r"\b(?:users?|utilisateurs|gebruikers|nutzer(?:innen)?)\s+(?:of|d['’]|"
                             r"van|von)\s*)$")
_ORGANISATION_AFTER = re.compile(r"(?i)^(?:['’]s\s+(?:lawyers?|counsel|spokes\w*|parent|owner|"
                                 r"headquarters|management)|\s+(?:said|says|argued|refused|"
                                 r"denied|declined|appealed|told|supplied|provided|handed|agreed|stated|admitted|"
                                 r"insisted|claimed|replied|responded|confirmed|announced|"
                                 r"explained|maintained|contended|objected|counts\s+as|"
                                 r"(?:was|is|has\s+been|had\s+been|will\s+be)\s+(?:fined|ordered|"
                                 r"summoned|convicted|prosecuted|charged|sued|acquired|bought|sold|"
                                 r"owned|taken\s+to\s+court|found\s+guilty)|taken\s+to\s+court|"
                                 r"zei|weigerde|a\s+refusé|a\s+déclaré|erklärte|weigerte)\b)")
_SERVICE_AFTER = re.compile(r"(?i)^(?:\s+|-)(?:users?|calls?|accounts?|app|conversations?|"
                            r"messages?|chats?|gebruikers|gesprekken|utilisateurs|appels|nutzer|"
                            r"anrufe|konto|profile?s?|feed)\b")


def disambiguate(text: str, sentences: list[tuple[int, int]], ambiguous: list[Ambiguous],
                 index: EntityIndex, context: GraphContext, linked: list[Mention],
                 disputes: list[DisputeCandidate]) -> tuple[list[Mention], list[Ambiguous]]:
    """Link the ambiguous names whose best candidate is clearly ahead; the others come back
    with their candidates' scores."""
    resolved, still = [], []
    mentioned = {m.entity for m in linked}
    top = disputes[0].score if disputes else 0
    # entity -> how strongly it takes part in the top disputes: as a party, an authority...
    # (a service the dispute concerns counts half against a namesake of another kind, in full
    # against a namesake of its own kind)
    in_dispute: dict[bool, dict[str, float]] = {False: {}, True: {}}
    for d in disputes[:3]:
        share = d.score / top if top else 0
        for kind, members in context.disputes[d.dispute].items(context.related).items():
            for alike, weights in in_dispute.items():
                part = 1.0 if alike and kind == "service" else _PART.get(kind, 0.5)
                for member in members:
                    weights[member] = max(weights.get(member, 0), share * part)
    places = {p for m in linked if "Jurisdiction" in index.entities[m.entity].types
              for p in (m.entity, *context.related.get(m.entity, ()))}
    if disputes:
        places |= context.disputes[disputes[0].dispute].jurisdictions
    for a in ambiguous:
        s, e = next(((s, e) for s, e in sentences if s <= a.start < e), (0, len(text)))
        # records of one kind (a duplicate, a namesake) differ only by the disputes they are in
        alike = len({frozenset(index.entities[c].types) for c in a.candidates}) == 1
        raw = [_score(text, s, e, a, index.entities[c], context, mentioned, in_dispute[alike],
                      places, 1.0 if alike else 0.3) for c in a.candidates]
        weights = [math.exp(3 * r) for r in raw]
        probabilities = [w / sum(weights) for w in weights]
        order = sorted(range(len(raw)), key=lambda i: -probabilities[i])
        best = order[0]
        lead = probabilities[best] - (probabilities[order[1]] if len(order) > 1 else 0)
        if lead >= MARGIN:
            entity = index.entities[a.candidates[best]]
            resolved.append(Mention(entity.id, entity.name, a.text, a.start, a.end,
                                    round(probabilities[best], 2), "context"))
        else:
            still.append(Ambiguous(a.text, a.start, a.end, a.candidates,
                                   tuple(round(p, 2) for p in probabilities)))
    return resolved, still


_PART = {"party": 1.0, "authority": 1.0, "service": 0.5, "party's group": 0.5, "provider": 0.5,
         "law": 1.0, "jurisdiction": 1.0}
GOVERNMENT = re.compile(r"(?i)(?<!\w)(?:government|state|ministry|minister|cabinet|tax authorit\w+|"
                        r"gouvernement|état|ministère|regering|staat|ministerie|regierung|"
                        r"ministerium|finanzamt)(?!\w)")
_PLACE_BEFORE = re.compile(r"(?i)\b(?:in|of|from|across|au|en|aux|du|de la|in|im|aus|van|uit|"
                           r"naar|nach)\s+$")
_PLACE_AFTER = re.compile(r"(?i)^(?:['’]s\s+)?\s*(?:law|laws|company|firm|subsidiary|based|court|"
                          r"courts|judges?|authorit\w+|regulator|watchdog|market|users|consumers)\b")


def _score(text, s, e, a: Ambiguous, entity, context: GraphContext, mentioned, in_dispute,
           places, dispute_weight) -> float:
    """A candidate's evidence, as a number: cue words, the words right around the name, the
    entities the document links, the disputes it is about and the places it names."""
    types = entity.types
    company = bool(types & {"Organization", "Agent"}) and "PublicBody" not in types
    service = "Service" in types
    place = "Jurisdiction" in types
    government = "PublicBody" in types
    score = 0.1 if company else 0.25 if place else 0.0
    near = text[max(s, a.start - 40):min(e, a.end + 40)]
    sentence = text[s:e]
    for pattern, fits in ((ORGANISATION, company), (SERVICE, service), (GOVERNMENT, government)):
        hits = len(pattern.findall(near)) + 0.5 * len(pattern.findall(sentence))
        if fits:
            score += min(0.6, 0.2 * hits)
    before, after = text[s:a.start], text[a.end:e]
    if _SERVICE_BEFORE.search(before) or _SERVICE_AFTER.match(after):
        score += 0.5 if service else -0.2
    if _ORGANISATION_AFTER.match(after):
        score += 0.5 if company else -0.2
    if place and (_PLACE_BEFORE.search(before[-12:]) or _PLACE_AFTER.match(after)):
        score += 0.4
    related = context.related.get(entity.id, set())
    links = sum(1 for m in mentioned if m in related or entity.id in context.related.get(m, ()))
    score += min(0.3, 0.15 * links)
    score += dispute_weight * in_dispute.get(entity.id, 0)
    own = context.places.get(entity.id, set())
    if own and places:
        score += 0.2 if own & places else -0.15
    return score
