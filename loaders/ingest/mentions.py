"""Finding mentions: known entities' names in a text, names that look like entities but are
unknown, and the parts of a page that name nothing (headlines, bylines, image credits,
navigation), with how many candidates each filter removed."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from loaders.resolve import LEGAL_SUFFIXES, Candidate, EntityIndex, fold, is_only_legal_form, normalize


@dataclass(frozen=True)
class Mention:
    entity: str  # record id
    name: str
    text: str
    start: int
    end: int
    score: float = 1.0  # how sure the link is
    how: str = "name"  # name, demonym, described court/regulator, context


@dataclass(frozen=True)
class Ambiguous:
    text: str
    start: int
    end: int
    candidates: tuple[str, ...]  # record ids
    scores: tuple[float, ...] = ()  # the candidates' scores from the context, when weighed


@dataclass(frozen=True)
class Unknown:
    text: str
    start: int
    end: int
    proposals: tuple[Candidate, ...]


_SUFFIX_SET = set(LEGAL_SUFFIXES)


def short_forms(name: str) -> set[str]:
    """A name, the name without a parenthetical, and without a trailing legal form."""
    return set(graded_forms(name))


def graded_forms(name: str) -> dict[str, int]:
    """The forms of a name with their strength: 2 for the name as written and without a
    parenthetical qualifier ("Facebook (social network)" -> "Facebook"), 1 for the name
    without its legal form ("Android, Inc." -> "Android"), which a text may use for
    something else."""
    forms = {name.strip(): 2}
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    forms.setdefault(bare, 2)
    tokens = bare.split()
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for k in (3, 2, 1):
            if len(tokens) > k and normalize(" ".join(tokens[-k:])) in _SUFFIX_SET:
                tokens = tokens[:-k]
                changed = True
                break
    forms.setdefault(" ".join(tokens).rstrip(",").strip(), 1)
    dated = re.sub(r"\s+(?:of|van|du|vom)\s+(?:\d{1,2}\.?\s+\w+\s+)?\d{4}$", "", bare)
    if dated != bare:  # "Electronic Communications Act of 13 June 2005" -> "... Act"
        forms.setdefault(dated, 1)
    return {f: strength for f, strength in forms.items() if f}


# A short form a text also uses for a product ("Android devices", "Android-Strafe", "users of
# Android") names the product, not the company.
_PRODUCT_AFTER = re.compile(r"(?i)^(?:-[^\W\d_]|\s+(?:devices?|phones?|smartphones?|apps?|"
                            r"users?|platform|operating system|ecosystem|tablets?|handsets?|"
                            r"software|toestellen|appareils|geräte|smartphones)\b)")
_PRODUCT_BEFORE = re.compile(r"(?i)(?:\b(?:users?|utilisateurs|gebruikers|nutzer) (?:of|d['’]|"
                             r"van|von)\s*|\b(?:an|on|over|wegen|for)\s+)$")


# "EU-Gericht", "EU-Kommission": the name is part of a compound naming another institution
_INSTITUTION_COMPOUND = re.compile(r"-(?:Gericht|Gerichtshof|Kommission|Parlament|Behörde|Hof|"
                                   r"Commissie|Rat|Court|Commission)\b")


class Matcher:
    """Finds known entities' names in text: names, aliases and short forms, case-sensitive
    (a name of several words also with a lower-case first letter: "cour d'appel d'Anvers"),
    accent-insensitive, with possessive and plural endings."""

    def __init__(self, index: EntityIndex):
        self.index = index
        self.forms: dict[str, dict[str, int]] = {}  # folded form -> canonical id -> strength
        for e in index.entities.values():
            target = index.canonical(e)
            for text in [*e.names, *e.aliases]:
                for form, strength in graded_forms(text).items():
                    folded = fold(form)
                    if is_only_legal_form(form) or len(folded) < 2:
                        continue
                    if len(folded) == 2 and not folded.isupper():
                        continue
                    if not any(c.isupper() or c.isdigit() for c in folded):
                        continue
                    variants = [folded]
                    if " " in folded and folded[0].isupper():
                        variants.append(folded[0].lower() + folded[1:])
                    for variant in variants:
                        ids = self.forms.setdefault(variant, {})
                        ids[target.id] = max(ids.get(target.id, 0), strength)
        alternatives = "|".join(re.escape(f) for f in sorted(self.forms, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<!\w)({alternatives})(['’]s|['’](?!\w)|s)?(?!\w)")

    def find(self, text: str, filtered: Counter | None = None
             ) -> tuple[list[Mention], list[Ambiguous]]:
        """Mentions of one entity, and names several entities share. Where some candidates
        bear the name as written and others only as a short form, the first win; a name
        known only as a short form is dropped where the text uses it for a product."""
        filtered = filtered if filtered is not None else Counter()
        folded, back = _fold_with_offsets(text)
        found = []
        for m in self.pattern.finditer(folded):
            start = back[m.start()]
            end = back[m.end() - 1] + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
            grades = self.forms[m.group(1)]
            strongest = max(grades.values())
            found.append((start, end, m.group(1), sorted(i for i, g in grades.items()
                                                          if g == strongest), strongest))
        compound = [f for f in found if _INSTITUTION_COMPOUND.match(text, f[1])]
        if compound:
            filtered["compound name"] += len(compound)
        found = [f for f in found if f not in compound]
        products = {form for start, end, form, _, strength in found if strength == 1 and (
            _PRODUCT_AFTER.match(text[end:end + 20])
            or _PRODUCT_BEFORE.search(text[max(0, start - 20):start]))}
        mentions, ambiguous = [], []
        for start, end, form, ids, strength in found:
            if form in products:
                filtered["product name"] += 1
            elif len(ids) == 1:
                e = self.index.entities[ids[0]]
                mentions.append(Mention(e.id, e.name, text[start:end], start, end,
                                        1.0 if strength == 2 else 0.8))
            else:
                ambiguous.append(Ambiguous(text[start:end], start, end, tuple(ids)))
        return mentions, ambiguous


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    out, back = [], []
    for i, ch in enumerate(text):
        f = fold(ch)
        out.append(f)
        back.extend([i] * len(f))
    back.append(len(text))
    return "".join(out), back


class Zones:
    """Lines of a document that name nothing even when they hold names: image credits and
    navigation (nothing in them is a mention), headlines and bylines (their capitalised
    words are not unknown entities, and a headline's "Court" is not a court)."""

    CREDIT = re.compile(r"(?i)^(?:photo|image|picture|foto|bild|beeld|illustration|credits?|crédit|"
                        r"copyright|afbeelding)s?\b\s*(?:[:/|©]|by\b|credit\b)|©")
    NAVIGATION = re.compile(r"(?i)^\W*(?:read more|read also|also read|share( this)?|subscribe|sign up|"
                            r"advertisement|related( articles| stories)?|lees (?:ook|meer)|"
                            r"lire (?:aussi|la suite)|weiterlesen|mehr (?:lesen|zum thema)|"
                            r"newsletter|follow us|comments?|tags?|menu|home|next|previous)\b"
                            r"[^.!?]{0,30}$")
    BYLINE = re.compile(r"(?i)^(?:by|door|par|von|text|texte|tekst|written by|reporting by)\b"
                        r"[: ]+[A-ZÀ-Þ][^.!?]{0,70}$")

    # "Brussels, 27 June 2017 —": where the reporter was, not what the story is about
    DATELINE = re.compile(r"(?m)^[ \t]*([A-ZÀ-Þ][\w'’-]+(?:[ -][A-ZÀ-Þ][\w'’-]+)?),[ \t]+"
                          r"(?:(?:le |am |on )?\d{1,2}(?:er|\.)?[ \t]+[^\W\d_]+\.?|"
                          r"[^\W\d_]+[ \t]+\d{1,2},)[ \t]+\d{4}\b")

    def __init__(self, text: str, title: str | None = None):
        self.spans: dict[str, list[tuple[int, int]]] = {
            "credit": [], "navigation": [], "byline": [], "headline": [], "dateline": []}
        for m in self.DATELINE.finditer(text):
            self.spans["dateline"].append((m.start(1), m.end(1)))
        for m in re.finditer(r"[^\n]+", text):
            line = m.group(0).strip()
            if not line:
                continue
            span = (m.start(), m.end())
            if len(line) <= 120 and self.CREDIT.search(line):
                self.spans["credit"].append(span)
            elif self.NAVIGATION.match(line):
                self.spans["navigation"].append(span)
            elif self.BYLINE.match(line):
                self.spans["byline"].append(span)
            elif _is_headline(line, title):
                self.spans["headline"].append(span)

    def zone(self, start: int, end: int,
             kinds=("credit", "navigation", "byline", "headline", "dateline")):
        for kind in kinds:
            if any(s <= start and end <= e for s, e in self.spans[kind]):
                return kind
        return None


def _is_headline(line: str, title: str | None) -> bool:
    bare = line.lstrip("#").strip()
    if line.startswith("#") or (title and bare == title.strip()):
        return True
    if len(bare) > 120 or bare[-1:] in ".!?:;,\"”»":
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", bare)
    if len(words) < 3:
        return False
    capitalised = sum(w[0].isupper() for w in words if len(w) > 3)
    return capitalised >= 0.6 * max(1, sum(len(w) > 3 for w in words))


def drop_in_zones(items: list, zones: Zones, filtered: Counter,
                  kinds=("credit", "navigation", "dateline")) -> list:
    """The items (anything with start and end) outside the given zones; counts the others."""
    kept = []
    for item in items:
        zone = zones.zone(item.start, item.end, kinds)
        if zone:
            filtered[zone] += 1
        else:
            kept.append(item)
    return kept


_CONNECTORS = {"de", "du", "des", "la", "le", "van", "der", "den", "von", "of", "the", "für",
               "and", "&", "y", "di", "del", "da", "do", "dos", "et", "en", "te", "d'", "l'"}
NOT_NAME_WORDS = {
    "the", "a", "an", "in", "on", "at", "by", "for", "and", "but", "it", "its", "this", "that",
    "le", "la", "les", "un", "une", "l", "de", "het", "een", "op", "der", "die", "das",
    "el", "il", "lo", "los", "las", "en", "à", "au", "aux", "dans", "pour", "par", "sur",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
    "août", "septembre", "octobre", "novembre", "décembre", "januari", "februari", "maart",
    "mei", "juni", "juli", "augustus", "oktober", "according", "after", "before", "when",
    "while", "last", "next", "since", "he", "she", "they", "we", "our", "their", "his", "her",
    "selon", "volgens", "laut", "según", "secondo", "toen", "als", "quand", "lorsque", "ten",
}
_NOT_ACRONYMS = {"EUR", "USD", "GBP", "CHF", "JPY", "INR", "KRW", "RUB", "TRY", "BRL", "SEK",
                 "US", "UK", "EU", "CEO", "CFO", "VAT", "PDF", "HTML", "AM", "PM", "TV", "OK",
                 "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII"}


def unknown_names(text: str, taken: list[tuple[int, int]], index: EntityIndex,
                  zones: Zones | None = None, filtered: Counter | None = None) -> list[Unknown]:
    """Capitalised sequences and acronyms that no known entity accounts for, outside
    headlines, bylines, credits and navigation, and other than capitalised phrases (every
    word of which the text also writes in lower case)."""
    zones = zones or Zones("")
    filtered = filtered if filtered is not None else Counter()
    lower = {w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if w.islower()}
    words = list(re.finditer(r"[^\W\d_][\w'’.&-]*", text))
    runs: list[list[re.Match]] = []
    current: list[re.Match] = []
    pending: list[re.Match] = []
    for w in words:
        token = w.group(0).rstrip(".,")
        last = (pending or current)[-1].group(0) if current else ""
        ends_sentence = last.endswith(".") and last.count(".") == 1 and len(last) > 3
        gap_ok = current and not ends_sentence and re.fullmatch(
            r"[ \u00a0]+|[ \u00a0]*-[ \u00a0]*", text[(pending or current)[-1].end():w.start()])
        if token[0].isupper() and (not current or gap_ok):
            current.extend(pending)
            current.append(w)
            pending = []
        elif current and gap_ok and token.lower() in _CONNECTORS and not pending:
            pending = [w]
        else:
            if current:
                runs.append(current)
            current = [w] if token[0].isupper() else []
            pending = []
    if current:
        runs.append(current)
    pieces = []
    for run in runs:  # the parts of a run that no known name covers
        piece = []
        for w in run:
            if any(s < w.end() and w.start() < e for s, e in taken):
                if piece:
                    pieces.append(piece)
                piece = []
            else:
                piece.append(w)
        if piece:
            pieces.append(piece)
    found: dict[str, Unknown] = {}
    for run in pieces:
        while run and (run[0].group(0).rstrip(".,").lower() in NOT_NAME_WORDS
                       or fold(run[0].group(0).rstrip(".,")).lower() in NOT_NAME_WORDS):
            run = run[1:]
        while run and run[-1].group(0).lower().rstrip(".,") in _CONNECTORS:
            run = run[:-1]
        if not run:
            continue
        start, end = run[0].start(), run[-1].end()
        while end > start and text[end - 1] in ".,'’" and not text[start:end].endswith(
                tuple(s for s in (".A.", "r.l.", "Inc.", "Ltd.", "Corp.", "Co.", ".V."))):
            end -= 1
        name = text[start:end]
        single = len(run) == 1
        if single and not (re.fullmatch(r"[A-Z][A-Z0-9]{1,7}", name) and name not in _NOT_ACRONYMS):
            continue
        if any(s < end and start < e for s, e in taken):
            continue
        if name in found:
            continue
        zone = zones.zone(start, end)
        if zone:
            filtered[zone] += 1
            continue
        if not single and all(w.group(0).rstrip(".,").lower() in lower for w in run
                              if w.group(0).rstrip(".,").lower() not in _CONNECTORS):
            filtered["capitalised phrase"] += 1
            continue
        found[name] = Unknown(name, start, end,
                              tuple(c for c in index.candidates(name) if c.score >= 0.5))
    return sorted(found.values(), key=lambda u: u.start)
