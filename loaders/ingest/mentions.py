"""Finding mentions: known entities' names in a text, and names that look like entities but
are unknown."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from loaders.resolve import LEGAL_SUFFIXES, Candidate, EntityIndex, fold, is_only_legal_form, normalize


@dataclass(frozen=True)
class Mention:
    entity: str  # record id
    name: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Ambiguous:
    text: str
    start: int
    end: int
    candidates: tuple[str, ...]  # record ids


@dataclass(frozen=True)
class Unknown:
    text: str
    start: int
    end: int
    proposals: tuple[Candidate, ...]


_SUFFIX_SET = set(LEGAL_SUFFIXES)


def short_forms(name: str) -> set[str]:
    """A name, the name without a parenthetical, and without a trailing legal form."""
    forms = {name.strip()}
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    forms.add(bare)
    tokens = bare.split()
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for k in (3, 2, 1):
            if len(tokens) > k and normalize(" ".join(tokens[-k:])) in _SUFFIX_SET:
                tokens = tokens[:-k]
                changed = True
                break
    forms.add(" ".join(tokens).rstrip(",").strip())
    return {f for f in forms if f}


class Matcher:
    """Finds known entities' names in text."""

    def __init__(self, index: EntityIndex):
        self.index = index
        self.forms: dict[str, set[str]] = {}  # folded form -> canonical ids
        for e in index.entities.values():
            target = index.canonical(e)
            for text in [*e.names, *e.aliases]:
                for form in short_forms(text):
                    folded = fold(form)
                    if is_only_legal_form(form) or len(folded) < 2:
                        continue
                    if len(folded) == 2 and not folded.isupper():
                        continue
                    if not any(c.isupper() or c.isdigit() for c in folded):
                        continue
                    self.forms.setdefault(folded, set()).add(target.id)
        alternatives = "|".join(re.escape(f) for f in sorted(self.forms, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<!\w)({alternatives})(['’]s|['’](?!\w)|s)?(?!\w)")

    def find(self, text: str) -> tuple[list[Mention], list[Ambiguous]]:
        folded, back = _fold_with_offsets(text)
        mentions, ambiguous = [], []
        for m in self.pattern.finditer(folded):
            start = back[m.start()]
            end = back[m.end() - 1] + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
            ids = sorted(self.forms[m.group(1)])
            if len(ids) == 1:
                e = self.index.entities[ids[0]]
                mentions.append(Mention(e.id, e.name, text[start:end], start, end))
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


def unknown_names(text: str, taken: list[tuple[int, int]], index: EntityIndex) -> list[Unknown]:
    """Capitalised sequences and acronyms that no known entity accounts for."""
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
        found[name] = Unknown(name, start, end,
                              tuple(c for c in index.candidates(name) if c.score >= 0.5))
    return sorted(found.values(), key=lambda u: u.start)
