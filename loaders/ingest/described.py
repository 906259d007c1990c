"""Authorities and places a text describes instead of naming: "a court in Mechelen", "the
Brussels court of appeal", "France's telecoms regulator", "Belgium's privacy watchdog", and
demonyms and adjectives ("Belgian", "Indian", "französische", "européenne") that stand for
a jurisdiction.

A description resolves through the graph: the kind of authority its noun names (a court, a
regulator), the place (a city in the authority's name in any language, or a jurisdiction
named or implied nearby), the sector (privacy, telecoms, competition: words of the
authority's names and description) and the court level (appeal, supreme, first instance).
It links only when one authority fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.resolve import EntityIndex, fold

from .disputes import GraphContext
from .mentions import NOT_NAME_WORDS

# ISO 3166 code -> demonyms and adjectives, as written (English, French, Dutch, German). The
# German forms are stems: the inflected endings are added below.
DEMONYMS = {
    "BE": ["Belgian", "Belgians", "belge", "belges", "Belgische", "Belgisch", "belgisch"],
    "FR": ["French", "français", "française", "françaises", "Franse", "Frans", "französisch"],
    "NL": ["Dutch", "néerlandais", "néerlandaise", "Nederlandse", "Nederlands", "niederländisch"],
    "DE": ["German", "allemand", "allemande", "Duitse", "Duits", "deutsch"],
    "LU": ["Luxembourgish", "luxembourgeois", "luxembourgeoise", "Luxemburgse", "luxemburgisch"],
    "IE": ["Irish", "irlandais", "irlandaise", "Ierse", "irisch"],
    "ES": ["Spanish", "espagnol", "espagnole", "Spaanse", "spanisch"],
    "IT": ["Italian", "italien", "italienne", "Italiaanse", "italienisch"],
    "IN": ["Indian", "indien", "indienne", "Indiase", "indisch"],
    "RU": ["Russian", "russe", "russes", "Russische", "russisch"],
    "US": ["American", "américain", "américaine", "Amerikaanse", "amerikanisch"],
    "GB": ["British", "britannique", "Britse", "britisch"],
    "CN": ["Chinese", "chinois", "chinoise", "Chinese", "chinesisch"],
    "JP": ["Japanese", "japonais", "japonaise", "Japanse", "japanisch"],
    "KR": ["Korean", "South Korean", "coréen", "coréenne", "Koreaanse", "koreanisch"],
    "AU": ["Australian", "australien", "australienne", "Australische", "australisch"],
    "BR": ["Brazilian", "brésilien", "brésilienne", "Braziliaanse", "brasilianisch"],
    "TR": ["Turkish", "turc", "turque", "Turkse", "türkisch"],
    "AT": ["Austrian", "autrichien", "autrichienne", "Oostenrijkse", "österreichisch"],
    "PL": ["Polish", "polonais", "polonaise", "Poolse", "polnisch"],
    "SE": ["Swedish", "suédois", "suédoise", "Zweedse", "schwedisch"],
    "DK": ["Danish", "danois", "danoise", "Deense", "dänisch"],
    "NO": ["Norwegian", "norvégien", "norvégienne", "Noorse", "norwegisch"],
    "CA": ["Canadian", "canadien", "canadienne", "Canadese", "kanadisch"],
    "MA": ["Moroccan", "Moroccans", "marocain", "marocaine", "marocains", "marocaines",
           "Marokkaanse", "marokkanisch"],
    "EU": ["European", "européen", "européenne", "européens", "Europese", "Europees", "europäisch"],
}
_GERMAN_ENDINGS = ("e", "en", "er", "es", "em")

# The nouns of authorities a text describes, by the class they stand for.
COURT_NOUNS = (r"court of appeals?|appeals? court|courts?|tribunal|cour d['’]appel|cour|"
               r"rechtbank|hof van beroep|hof|gerichtshof|oberlandesgericht|landgericht|gericht")
REGULATOR_NOUNS = (r"regulators?|watchdogs?|supervisory authority|authority|regulatory agency|"
                   r"agency|commission|toezichthouder|waakhond|autorité|régulateur|gendarme|"
                   r"aufsichtsbehörde|behörde|regulierungsbehörde|datenschutzbehörde")
_NOUN = re.compile(rf"(?<!\w)(?:(?P<court>{COURT_NOUNS})|(?P<regulator>{REGULATOR_NOUNS}))(?!\w)",
                   re.I)
# Sector words -> words an authority's names or description carry when it is of that sector.
SECTORS = {
    "privacy": (r"privacy|data[- ]protection|données|gegevensbescherming|datenschutz",
                ("data protection", "privacy", "donnees", "gegevensbescherming", "datenschutz",
                 "informatique et des libertes")),
    "telecom": (r"telecoms?|telecommunications?|communications|télécoms?|télécommunications|"
                r"telecommunicatie|telekommunikation",
                ("telecom", "communications", "telekommunikation")),
    "competition": (r"competition|antitrust|concurrence|mededinging|wettbewerbs?|kartell",
                    ("competition", "antitrust", "concurrence", "mededinging", "kartell",
                     "wettbewerb")),
}
LEVELS = {
    "appeal": r"appeals?|d['’]appel|van beroep|berufungs?|oberlandes",
    "supreme": r"supreme|highest|top|cassation|cassatie|bundesgerichtshof",
    "first-instance": r"first[- ]instance|lower|district|eerste aanleg|première instance",
}
_WINDOW_BEFORE = 40
_WINDOW_AFTER = 30


@dataclass(frozen=True)
class Described:
    entity: str
    text: str
    start: int
    end: int
    score: float
    how: str  # "demonym", "described court", "described regulator"


def demonym_forms(index: EntityIndex) -> dict[str, str]:
    """Written form -> jurisdiction id, for the jurisdictions the graph holds."""
    by_code = {e.iso: e.id for e in index.entities.values() if e.iso}
    union = next((e.id for e in index.entities.values()
                  if "SupranationalUnion" in e.types and "EU" in e.aliases), None)
    if union:
        by_code["EU"] = union
    forms = {}
    for code, words in DEMONYMS.items():
        if code not in by_code:
            continue
        for word in words:
            forms[word] = by_code[code]
            if word[-1].islower() and word.endswith("isch"):  # German stems
                for ending in _GERMAN_ENDINGS:
                    forms[word + ending] = by_code[code]  # lower case: capitalised, a name
    return forms


_INSTITUTION_AFTER = re.compile(r"\s+(Union|Unie|Commission|Kommission|Commissie|Hof|Gerichtshof|"
                                r"Parlement|Parliament|Parlament|Raad|Rat|Council|Court|Gericht|"
                                r"Central Bank|Zentralbank)\b")
_UNION_BEFORE = re.compile(r"(Union|Unie)\s+$")


def find_demonyms(text: str, forms: dict[str, str], taken: list[tuple[int, int]]) -> list[Described]:
    """Demonyms and adjectives of the jurisdictions, other than inside a proper name
    ("Europäische Kommission", "Europese Commissie"); "Europese Unie", "Union européenne"
    and "Europäische Union" stand for the union itself."""
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(f) for f in sorted(
        forms, key=len, reverse=True)) + r")(?![\w-])")
    found = []
    for m in pattern.finditer(text):
        start, end, word = m.start(), m.end(), m.group(1)
        if any(s < end and start < e for s, e in taken):
            continue
        institution = _INSTITUTION_AFTER.match(text, end)
        before = _UNION_BEFORE.search(text[max(0, start - 8):start])
        if institution and institution.group(1) in ("Union", "Unie"):
            end = institution.end()
        elif before:
            start -= len(before.group(0))
        elif institution:
            continue  # part of the institution's name
        found.append(Described(forms[word], text[start:end], start, end, 0.9, "demonym"))
    return found


def find_described(text: str, sentences: list[tuple[int, int]], index: EntityIndex,
                   context: GraphContext, jurisdictions: list[tuple[int, int, str]],
                   taken: list[tuple[int, int]]) -> list[Described]:
    """Authorities described by their kind, place, sector or level.

    jurisdictions: (start, end, jurisdiction id) of the places already found (names,
    possessives, demonyms); taken: spans of names already linked, which are left alone."""
    bodies = [e for e in index.entities.values() if "PublicBody" in e.types]
    found: list[Described] = []
    for s, e in sentences:
        for m in _NOUN.finditer(text, s, e):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            kind = "Court" if m.group("court") else "Regulator"
            lo = max(s, m.start() - _WINDOW_BEFORE)
            lo = text.find(" ", lo, m.start()) + 1 if lo > s else s
            hi = min(e, m.end() + _WINDOW_AFTER)
            before, after = text[lo:m.start()], text[m.end():hi]
            # the window stops at another clause
            before = re.split(r"[,;:()]|\b(?:and|en|et|und|while|but)\b", before)[-1]
            lo = m.start() - len(before)
            after = re.split(r"[,;:()]|\b(?:and|en|et|und|which|that|who)\b", after)[0]
            names = [(a, b) for a, b in taken
                     if not any(a == x and b == y for x, y, _ in jurisdictions)]
            cues = _cues(text, lo, m.start(), m.end(), m.end() + len(after), kind, index,
                         jurisdictions, names)
            if cues is None:
                continue
            # the place: each capitalised word near the noun in turn (nearest first), else the
            # jurisdiction alone; the first that leaves one authority wins
            options = [*cues["cities"], *([None] if cues["jurisdiction"] else [])]
            for city in options:
                start, end = cues["span"]
                if city is not None:
                    start, end = min(start, city[1]), max(end, city[2])
                if kind == "Regulator" and city is None and not cues["sector"]:
                    continue
                fitting = _fitting(bodies, kind, {**cues, "city": city and city[0]}, context)
                if len(fitting) == 1 and not _beside_a_name(text, (start, end), names):
                    found.append(Described(fitting[0], text[start:end], start, end,
                                           0.95 if city else 0.85, f"described {kind.lower()}"))
                    taken = [*taken, (start, end)]
                    break
    return found


_APPOSITION = re.compile(r"[\s,(]*(?:(?:the|la|le|de|die|der|het|l['’])\s*)?")


def _beside_a_name(text: str, span: tuple[int, int], names: list[tuple[int, int]]) -> bool:
    """Whether the description stands in apposition to a name ("the regulator BIPT", "the CNPD,
    Luxembourg's data protection authority"): then the name is the mention."""
    start, end = span
    for a, b in names:
        if a >= end and _APPOSITION.fullmatch(text[end:a]):
            return True
        if b <= start and _APPOSITION.fullmatch(text[b:start]):
            return True
    return False


def _cues(text, lo, noun_start, noun_end, hi, kind, index, jurisdictions, names):
    cues = {"jurisdiction": None, "sector": None, "level": None}
    span = [noun_start, noun_end]
    window = text[lo:hi]
    for name, (pattern, _) in SECTORS.items():
        for m in re.finditer(rf"(?<!\w)(?:{pattern})(?!\w)", window, re.I):
            cues["sector"] = name
            span[0] = min(span[0], lo + m.start())
            span[1] = max(span[1], lo + m.end())
    if kind == "Court":
        for name, pattern in LEVELS.items():
            for m in re.finditer(rf"(?<!\w)(?:{pattern})(?!\w)", window, re.I):
                cues["level"] = name
                span[0] = min(span[0], lo + m.start())
                span[1] = max(span[1], lo + m.end())
    for a, b, j in jurisdictions:
        if lo <= a and b <= hi:
            cues["jurisdiction"] = j
    cities = []
    for m in re.finditer(r"(?<![\w'’])([A-ZÀ-Þ][\w'’-]+)", window):
        word = m.group(1).removesuffix("'s").removesuffix("’s")
        a, b = lo + m.start(), lo + m.start() + len(word)
        if any(x <= a < y for x, y, _ in jurisdictions) or a == noun_start \
                or any(x <= a < y for x, y in names):
            continue
        if _NOUN.fullmatch(word) or fold(word).lower() in _NOT_PLACES \
                or word.lower() in NOT_NAME_WORDS:
            continue
        cities.append((word, a, b))
    if not (cities or cues["jurisdiction"]):
        return None
    cues["cities"] = sorted(cities, key=lambda c: min(abs(c[1] - noun_end), abs(noun_start - c[2])))
    cues["span"] = tuple(span)
    return cues


_NOT_PLACES = {"the", "a", "an", "de", "het", "la", "le", "les", "der", "die", "das", "un", "une",
               "een", "ein", "eine", "in", "of", "on", "at", "by", "for", "court", "justice",
               "european", "federal", "supreme", "high", "national", "state", "data",
               "protection", "communications", "telecoms", "competition", "first", "appeal"}


def _fitting(bodies, kind, cues, context) -> list[str]:
    result = []
    for body in bodies:
        if kind == "Court" and "Court" not in body.types:
            continue
        if kind == "Regulator" and ("Court" in body.types or not body.types & {"Regulator",
                                                                              "GovernmentBody"}):
            continue
        texts = fold(" ".join([*body.names, *body.aliases, body.description])).lower()
        names = fold(" ".join([*body.names, *body.aliases])).lower()
        if cues["city"] and not re.search(rf"\b{re.escape(fold(cues['city']).lower())}\b", names):
            continue
        if cues["jurisdiction"] and cues["jurisdiction"] not in context.places.get(body.id, ()):
            continue
        if cues["sector"] and not any(w in texts for w in SECTORS[cues["sector"]][1]):
            continue
        if cues["level"] and cues["level"] not in context.levels.get(body.id, ()):
            continue
        result.append(body.id)
    if kind == "Court" and len(result) > 1 and not cues["level"]:
        # "the court in X" without a level: the first-instance court of X, if there is one
        first = [b for b in result if "first-instance" in context.levels.get(b, ())]
        if len(first) == 1:
            return first
    return result
