"""Documents (plain text, Markdown, HTML) -> a Source with mentions in Neo4j, a report, and
reviewable suggestions in the curated records format.

`ingest_document(path, db)` reads a file, finds the entities of the graph it names (their
names, aliases and short forms, case-sensitive, accent-insensitive, with possessive and
plural endings), extracts money amounts, dates, references to courts, laws and cases, and
candidate facts (acquisitions, fines), compares those facts with the graph, writes the
document's statements as one named graph (only the Source and its Mention nodes are
subjects, so entities are never re-described) and returns a `Report`. Ingesting the same
bytes again gives the same graph (the graph's IRI and the Source's id come from the content
hash), so it changes nothing; `techreg unload <graph IRI>` removes the document.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path

from rdflib import RDF, XSD, Dataset, Literal, URIRef

from ontology import ID, NS, model
from ontology.errors import TechregError

from .records import GRAPHS
from .resolve import (
    LEGAL_SUFFIXES,
    Candidate,
    Entity,
    EntityIndex,
    dump_records,
    fold,
    is_only_legal_form,
    normalize,
    slug,
)

EXCERPT_CHARS = 300
SUGGESTIONS_DIR = Path("suggestions")
KINDS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
         ".html": "html", ".htm": "html", ".xhtml": "html"}

# Cypher this module runs (values only as parameters).
ACQUISITIONS = (
    "MATCH (a:Acquisition)-[:ACQUIRER]->(:Resource {uri: $acquirer}), "
    "(a)-[:TARGET]->(:Resource {uri: $target}) "
    "RETURN a.uri AS uri, toString(a.announced) AS announced, toString(a.completed) AS completed, "
    "a.price AS price, a.currency AS currency, "
    "[(a)-[:SOURCE]->(s:Source) | coalesce(s.title, s.uri) + ' <' + coalesce(s.url, s.uri) + '>']"
    " AS sources ORDER BY uri"
)
PENALTIES = (
    "MATCH (p:Proceeding)-[:HAS_PARTICIPATION]->()-[:PARTICIPANT]->(:Resource {uri: $party}) "
    "WHERE p.penaltyAmount IS NOT NULL "
    "AND ($authority IS NULL OR EXISTS { (p)-[:AUTHORITY]->(:Resource {uri: $authority}) }) "
    "RETURN p.uri AS uri, p.penaltyAmount AS amount, p.penaltyCurrency AS currency, "
    "toString(coalesce(p.decided, p.date)) AS date, "
    "[(p)-[:SOURCE]->(s:Source) | coalesce(s.title, s.uri) + ' <' + coalesce(s.url, s.uri) + '>']"
    " AS sources ORDER BY uri"
)
IDENTIFIERS = (
    "MATCH (n:Resource) WHERE n.ecli IN $ids OR n.celex IN $ids OR n.docket IN $ids "
    "RETURN n.uri AS uri, [x IN [n.ecli, n.celex, n.docket] WHERE x IS NOT NULL] AS ids"
)


# --- reading ---------------------------------------------------------------------------------

@dataclass
class Document:
    path: Path
    kind: str  # text, markdown, html
    text: str  # NFC; offsets refer to this text
    content_hash: str  # sha256 of the file's bytes
    meta: dict = field(default_factory=dict)  # title, publisher, published, url, language

    @property
    def id(self) -> str:
        return f"src-doc-{self.content_hash[:12]}"

    @property
    def graph_iri(self) -> str:
        return f"{GRAPHS}doc-{self.content_hash[:12]}"


def read_document(path: Path, encoding: str | None = None) -> Document:
    """Read and decode a document; a binary, empty or undecodable file is a TechregError."""
    path = Path(path)
    if not path.is_file():
        raise TechregError(f"{path}: no such file")
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        raise TechregError(f"{path}: a PDF; techreg reads plain text, Markdown and HTML (no PDF "
                           "library is installed): convert it to text first, e.g. pdftotext")
    text = _decode(path, data, encoding)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise TechregError(f"{path}: the file is empty")
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        kind = "html" if re.match(r"\s*(<!doctype html|<html)", text[:500], re.I) else "text"
    meta: dict = {}
    if kind == "html":
        text, meta = _html_text(text)
    elif kind == "markdown":
        text, meta = _markdown(text)
    else:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        if len(first) <= 200:
            meta["title"] = first
    if not text.strip():
        raise TechregError(f"{path}: the document has no text")
    return Document(path, kind, text, hashlib.sha256(data).hexdigest(), meta)


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise TechregError(f"{path}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise TechregError(f"{path}: not {encoding} text (byte {e.start})") from None
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec)
    if b"\x00" in data[:4096]:
        raise TechregError(f"{path}: not a text file (it contains binary data)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise TechregError(f"{path}: not UTF-8 text (byte {e.start}) and no encoding given: "
                           "give it with --encoding, e.g. --encoding latin-1") from None
    controls = sum(1 for c in text[:4096] if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > 8:
        raise TechregError(f"{path}: not a text file (it contains binary data)")
    return text


class _HTMLText(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
              "article", "header", "footer", "blockquote", "pre", "ul", "ol", "table", "title"}
    SKIP = {"script", "style", "noscript", "template", "svg", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict = {}
        self.skip = 0
        self.in_title = False
        self.title = ""
        self.h1 = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.meta.setdefault("language", a["lang"])
        if tag == "meta":
            key = (a.get("property") or a.get("name") or "").lower()
            value = a.get("content", "").strip()
            target = {"og:title": "title", "og:site_name": "publisher", "publisher": "publisher",
                      "dc.publisher": "publisher", "article:published_time": "published",
                      "date": "published", "dc.date": "published", "citation_date": "published",
                      "og:url": "url", "dc.language": "language"}.get(key)
            if target and value:
                self.meta.setdefault(target, value)
        if tag == "link" and "canonical" in a.get("rel", "").split() and a.get("href"):
            self.meta.setdefault("url", a["href"])
        if tag == "title":
            self.in_title = True
        if tag in self.SKIP:
            self.skip += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif not self.skip:
            self.parts.append(data)


def _html_text(html: str) -> tuple[str, dict]:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    text = "\n\n".join(line for line in lines if line)
    meta = parser.meta
    if parser.title.strip():
        meta.setdefault("title", " ".join(parser.title.split()))
    if "published" in meta:
        meta["published"] = meta["published"][:10]
    return text, meta


def _markdown(text: str) -> tuple[str, dict]:
    import yaml

    meta: dict = {}
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if m:
        try:
            front = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError:
            front = {}
        if isinstance(front, dict):
            for key, target in (("title", "title"), ("publisher", "publisher"), ("date", "published"),
                                ("published", "published"), ("url", "url"), ("lang", "language"),
                                ("language", "language")):
                if front.get(key):
                    meta.setdefault(target, str(front[key]))
        text = text[m.end():]
    heading = re.search(r"(?m)^#\s+(.+)$", text)
    if heading:
        meta.setdefault("title", heading.group(1).strip())
    return text, meta


# --- finding entities ----------------------------------------------------------------------

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
_NOT_NAMES = {
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
        while run and (run[0].group(0).rstrip(".,").lower() in _NOT_NAMES
                       or fold(run[0].group(0).rstrip(".,")).lower() in _NOT_NAMES):
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


# --- money, dates, references -------------------------------------------------------------

@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class DateRef:
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Reference:
    kind: str  # court, law, case
    text: str
    start: int
    end: int
    entity: str | None = None


MONTHS = {
    **dict.fromkeys(["january", "jan", "janvier", "januari", "januar", "enero", "gennaio"], 1),
    **dict.fromkeys(["february", "feb", "fevrier", "februari", "februar", "febrero", "febbraio"], 2),
    **dict.fromkeys(["march", "mar", "mars", "maart", "marz", "maerz", "marzo"], 3),
    **dict.fromkeys(["april", "apr", "avril", "abril", "aprile"], 4),
    **dict.fromkeys(["may", "mai", "mei", "mayo", "maggio"], 5),
    **dict.fromkeys(["june", "jun", "juin", "juni", "junio", "giugno"], 6),
    **dict.fromkeys(["july", "jul", "juillet", "juli", "julio", "luglio"], 7),
    **dict.fromkeys(["august", "aug", "aout", "augustus", "agosto"], 8),
    **dict.fromkeys(["september", "sep", "sept", "septembre", "septiembre", "settembre"], 9),
    **dict.fromkeys(["october", "oct", "octobre", "oktober", "octubre", "ottobre"], 10),
    **dict.fromkeys(["november", "nov", "novembre", "noviembre"], 11),
    **dict.fromkeys(["december", "dec", "decembre", "dezember", "diciembre", "dicembre"], 12),
}
_MONTH = r"([^\W\d_]{3,10})\.?"
_DATE_PATTERNS = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), ("y", "m", "d")),
    (re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|e)?\s+{_MONTH}\s+(\d{{4}})(?!\d)"),
     ("d", "mon", "y")),
    (re.compile(rf"{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)"), ("mon", "d", "y")),
    (re.compile(rf"{_MONTH}\s+(\d{{4}})(?!\d)"), ("mon", "y")),
)
_YEAR = re.compile(r"(?<![\d/.,-])(1[89]\d\d|20\d\d)(?![\d/]|-\d)")

CURRENCIES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "d'euros": "EUR", "d’euros": "EUR",
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "us dollars": "USD", "de dollars": "USD", "£": "GBP", "gbp": "GBP", "pound": "GBP",
    "pounds": "GBP", "chf": "CHF", "francs": "CHF", "¥": "JPY", "jpy": "JPY", "yen": "JPY",
    "inr": "INR", "rupees": "INR", "krw": "KRW", "won": "KRW", "rub": "RUB", "roubles": "RUB",
    "rubles": "RUB", "try": "TRY", "lira": "TRY", "brl": "BRL", "reais": "BRL",
}
SCALES = {
    "billion": 9, "billions": 9, "bn": 9, "milliard": 9, "milliards": 9, "miljard": 9,
    "miljarden": 9, "milliarde": 9, "milliarden": 9, "mrd": 9, "mil millones": 9,
    "million": 6, "millions": 6, "mln": 6, "m": 6, "mio": 6, "miljoen": 6, "millionen": 6,
    "millones": 6, "milioni": 6, "thousand": 3, "k": 3,
}
_NUMBER = r"(\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
_SCALE = r"(?:\s*(" + "|".join(sorted(SCALES, key=len, reverse=True)) + r")\b)?"
_BEFORE = r"(US\$|\$|€|£|¥|EUR|USD|GBP|CHF|JPY|INR|KRW|RUB|BRL)"
_AFTER = (r"(?:\s*(?:de |d['’])?)(euros?|EUR|€|US dollars|dollars?|USD|pounds?|GBP|£|CHF|francs|"
          r"JPY|yen|INR|rupees|KRW|won|RUB|roubles|rubles|lira|BRL|reais)(?!\w)")
_MONEY = re.compile(
    rf"{_BEFORE}\s?{_NUMBER}{_SCALE}|(?<![\w.,]){_NUMBER}{_SCALE}{_AFTER}", re.I)


def parse_number(text: str) -> Decimal | None:
    """'8.5' '8,5' '30,000' '48.000' '30 000' '1,234.56' -> Decimal."""
    t = re.sub(r"[\s\u00a0\u202f]", "", text)
    if "," in t and "." in t:
        decimal = "," if t.rfind(",") > t.rfind(".") else "."
        t = t.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "," in t or "." in t:
        sep = "," if "," in t else "."
        groups = t.split(sep)
        if len(groups) > 2 or (len(groups[-1]) == 3 and groups[0] != "0"):
            t = "".join(groups)
        else:
            t = t.replace(sep, ".")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def find_money(text: str) -> list[Money]:
    result = []
    for m in _MONEY.finditer(text):
        if m.group(1):
            symbol, number, scale = m.group(1), m.group(2), m.group(3)
        else:
            number, scale, symbol = m.group(4), m.group(5), m.group(6)
        if symbol is None:
            continue
        amount = parse_number(number)
        currency = CURRENCIES.get(symbol.lower().strip())
        if amount is None or currency is None:
            continue
        if scale:
            amount *= Decimal(10) ** SCALES[scale.lower()]
        amount = amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize()
        result.append(Money(amount, currency, m.group(0).strip(), m.start(), m.end()))
    return result


def find_dates(text: str, taken: list[tuple[int, int]] = ()) -> list[DateRef]:
    found: list[DateRef] = []

    def free(s, e):
        return not any(a < e and s < b for a, b in [*taken, *((d.start, d.end) for d in found)])

    for pattern, parts in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            values = dict(zip(parts, m.groups(), strict=True))
            if "mon" in values:
                month = MONTHS.get(fold(values["mon"]).lower())
                if month is None:
                    continue
                values["m"] = str(month)
            try:
                if "d" in values:
                    value = dt.date(int(values["y"]), int(values["m"]), int(values["d"])).isoformat()
                else:
                    value = f"{int(values['y']):04d}-{int(values['m']):02d}"
            except ValueError:
                continue
            if free(m.start(), m.end()):
                found.append(DateRef(value, m.group(0), m.start(), m.end()))
    for m in _YEAR.finditer(text):
        if free(m.start(), m.end()):
            found.append(DateRef(m.group(1), m.group(0), m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


_COURT_WORDS = (r"Court|court|Tribunal|tribunal|Cour|cour|Hof|hof|Rechtbank|rechtbank|Gericht|"
                r"gericht|Gerichtshof|Tribunale|Audiencia|Conseil d['’]État|Raad van State")
_REFERENCES = (
    ("case", re.compile(r"ECLI:[A-Z]{2}:[A-Z0-9.]+:\d{4}:[A-Za-z0-9.]+")),
    ("case", re.compile(r"(?:(?:Case|case|Cases|zaak|affaire|Rechtssache|asunto|causa)\s+)?"
                        r"(?<![\w-])[CTF]-\d{1,4}/\d{2}(?:\s*P)?\b")),
    ("law", re.compile(r"(?:Directive|Regulation|Richtlijn|Verordening|[Dd]irective|[Rr]èglement|"
                       r"Richtlinie|Verordnung|Reglamento|Direttiva|Regolamento)\s*"
                       r"(?:\((?:EU|EC|EEC|UE|CE)\)\s*)?(?:(?:No|Nr|n°)\.?\s*)?"
                       r"\d{2,4}/\d{1,4}(?:/(?:EU|EC|EEC|UE|CE))?")),
    ("law", re.compile(r"\b(?:GDPR|RGPD|AVG|DSGVO|DMA|DSA|ePrivacy Directive|CLOUD Act|"
                       r"Stored Communications Act)\b")),
    ("law", re.compile(r"(?:[Aa]rticles?|[Aa]rt\.|[Aa]rtikel)\s+\d+[a-z]*(?:\s?\(\d+\))?"
                       r"(?:\s?(?:bis|ter|quater))?(?:,?\s+§\s*\d+)?")),
    ("law", re.compile(r"(?:\b(?:Act|Law|Code|Decree)|\bwet|\bloi|Gesetz)\s+(?:of|van|du|vom)\s+"
                       rf"\d{{1,2}}(?:er)?\s+{_MONTH}\s+\d{{4}}")),
    ("court", re.compile(rf"(?:[A-ZÀ-Þ][\w'’-]+\s+){{0,3}}(?:{_COURT_WORDS})"
                         r"(?:\s+(?:[a-zà-ÿ'’]+\s+){0,3}(?:(?:of|de|d['’]|van|te|du|des|di|für|voor)"
                         r"\s*)?(?:l['’]|the\s+)?[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+)*)?")),
)
_CELEX_TYPES = {"directive": "L", "richtlijn": "L", "richtlinie": "L", "direttiva": "L",
                "regulation": "R", "verordening": "R", "règlement": "R", "verordnung": "R",
                "reglamento": "R", "regolamento": "R"}


def find_references(text: str) -> list[Reference]:
    found: list[Reference] = []
    for kind, pattern in _REFERENCES:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            value = m.group(0).strip()
            if kind == "court":
                words = value.split()
                while len(words) > 1 and fold(words[0]).lower() in _NOT_NAMES:
                    start += len(words[0]) + 1
                    words = words[1:]
                value = " ".join(words)
                if not any(w[0].isupper() for w in words):
                    continue
            if any(r.start < end and start < r.end for r in found):
                continue
            found.append(Reference(kind, value, start, start + len(value)))
    return sorted(found, key=lambda r: r.start)


def identifiers_of(reference: Reference) -> list[str]:
    """Identifiers a reference may carry: an ECLI, a case number, a CELEX number."""
    text = reference.text
    ids = re.findall(r"ECLI:[A-Z]{2}:[A-Z0-9.]+:\d{4}:[A-Za-z0-9.]+", text)
    ids += re.findall(r"[CTF]-\d{1,4}/\d{2}", text)
    m = re.match(r"(\w+)\s*(?:\(\w+\)\s*)?(?:(?:No|Nr|n°)\.?\s*)?(\d{2,4})/(\d{1,4})", text)
    if m and m.group(1).lower() in _CELEX_TYPES:
        year, number = m.group(2), m.group(3)
        if len(year) == 2:
            year = ("19" if int(year) > 50 else "20") + year
        ids.append(f"3{year}{_CELEX_TYPES[m.group(1).lower()]}{int(number):04d}")
    return ids


# --- facts ---------------------------------------------------------------------------------

@dataclass
class Check:
    field: str  # record key
    document: str
    graph: str
    verdict: str  # supports, contradicts, not compared
    record: str  # the graph record compared with
    sources: list[str] = field(default_factory=list)  # the graph's sources for its value


@dataclass
class Fact:
    kind: str  # acquisition, fine
    values: dict  # record keys -> values (ids for references)
    sentence: str
    start: int
    end: int
    checks: list[Check] = field(default_factory=list)
    record: str | None = None  # the graph record it is about, if any

    @property
    def verdict(self) -> str:
        verdicts = {c.verdict for c in self.checks}
        if "contradicts" in verdicts:
            return "contradicts"
        if "supports" in verdicts:
            return "supports"
        return "new" if self.record is None else "not compared"

    def describe(self) -> str:
        v = self.values
        if self.kind == "acquisition":
            text = f"{v['acquirer']} acquired {v['target']}"
            if v.get("year"):
                text += f" in {v['year']}"
        else:
            text = f"{v.get('authority') or '?'} fined {v['party']}"
            if v.get("year"):
                text += f" ({v['year']})"
        if v.get("amount") is not None:
            text += f" for {v['currency']} {v['amount']:,}"
        return text


_ACQUIRE = re.compile(
    r"\b(?:acquir(?:ed|es|e|ing)|bought|buys|buy|purchas(?:ed|es|e)|took over|takes over|"
    r"took control of|racheté|rachète|rachetait|acquis|acquiert|a acheté|achète|kocht|koopt|"
    r"gekocht|overgenomen|nam\b.{0,40}\bover|übernahm|übernimmt|übernommen|gekauft|kaufte|"
    r"adquirió|compró|acquisì|acquistato|ha comprato)\b", re.I)
_PASSIVE = re.compile(r"\b(?:by|par|door|von|por|da)\s*$", re.I)
_FINE = re.compile(r"\b(?:fin(?:ed|es|e|ing)|penalt(?:y|ies)|amende|boete|beboet|Geldbu(?:ß|ss)e|"
                   r"Bu(?:ß|ss)geld|multa|sanzione|sanction(?:ne|né)?)\b", re.I)
_SENTENCE = re.compile(r"[^\n.!?]*(?:[.!?](?=\s|$)|\n|$)")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans; a period inside a number, an abbreviation or a legal form does not end one."""
    spans, start = [], 0
    for m in re.finditer(r"[.!?](?=\s+[\"“'‘(]?[A-ZÀ-Þ0-9])|\n\s*\n|\n(?=\s*[-*#])", text):
        before = text[max(0, m.start() - 6): m.start() + 1]
        if re.search(r"(?:\b[A-Za-z]|Inc|Ltd|Corp|Co|No|Art|art|S\.A|r\.l|Mr|Dr|St|v|vs)\.$", before):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


@dataclass
class _Named:
    """A mention or an ambiguous name, with the ids it may stand for."""

    ids: tuple[str, ...]
    start: int
    end: int


def extract_facts(doc_text: str, index: EntityIndex, mentions: list[Mention],
                  ambiguous: list[Ambiguous], money: list[Money], dates: list[DateRef]) -> list[Fact]:
    named = sorted([_Named((m.entity,), m.start, m.end) for m in mentions]
                   + [_Named(a.candidates, a.start, a.end) for a in ambiguous], key=lambda n: n.start)
    facts = []
    for s, e in sentences(doc_text):
        inside = [n for n in named if s <= n.start < e]
        amounts = [m for m in money if s <= m.start < e]
        years = sorted({d.value[:4] for d in dates if s <= d.start < e})
        sentence = doc_text[s:e].strip()
        amount = amounts[0] if amounts else None
        year = years[0] if len(years) == 1 else None
        verb = _ACQUIRE.search(doc_text, s, e)
        if verb:
            before = [n for n in inside if n.end <= verb.start()]
            after = [n for n in inside if n.start >= verb.end()]
            passive_by = next((n for n in after if _PASSIVE.search(doc_text[verb.end():n.start])),
                              None)
            if passive_by is not None and before:
                acquirer_n, target_n = passive_by, before[-1]
            elif before and after:
                acquirer_n, target_n = before[-1], after[0]
            else:
                acquirer_n = target_n = None
            acquirer = _pick(index, acquirer_n, "Agent")
            target = _pick(index, target_n, "Organization")
            if acquirer and target and acquirer != target:
                facts.append(Fact("acquisition", {
                    "acquirer": acquirer, "target": target, "year": year,
                    "amount": amount.amount if amount else None,
                    "currency": amount.currency if amount else None}, sentence, s, e))
                continue
        fine = _FINE.search(doc_text, s, e)
        if fine and amount:
            party = next((x for n in inside if (x := _pick(index, n, "Agent"))
                          and "PublicBody" not in index.entities[x].types), None)
            authority = next((x for n in inside if (x := _pick(index, n, "PublicBody"))), None)
            if party:
                facts.append(Fact("fine", {"party": party, "authority": authority, "year": year,
                                           "amount": amount.amount, "currency": amount.currency},
                                  sentence, s, e))
    return facts


def _pick(index: EntityIndex, named: _Named | None, type_name: str) -> str | None:
    """The one candidate of a name that fits the property's range (from the ontology)."""
    if named is None:
        return None
    fitting = [i for i in named.ids if index.entities[i].is_a(type_name)]
    return fitting[0] if len(fitting) == 1 else None


def compare_facts(facts: list[Fact], db) -> None:
    """Fill each fact's checks against the graph: supports, contradicts (with both sources)."""
    for fact in facts:
        v = fact.values
        if fact.kind == "acquisition":
            rows = db.execute_query(ACQUISITIONS, acquirer=str(ID[v["acquirer"]]),
                                    target=str(ID[v["target"]])).records
            if not rows:
                continue
            if v["year"]:
                same = [r for r in rows if v["year"] in (str(r["announced"])[:4], str(r["completed"])[:4])]
                if same:
                    row = same[0]
                    fact.checks.append(Check("year", v["year"], _when(row), "supports",
                                             _id(row["uri"]), list(row["sources"])))
                else:
                    row = rows[0]
                    fact.checks.append(Check("year", v["year"], _when(row), "contradicts",
                                             _id(row["uri"]), list(row["sources"])))
                rows = same or rows
            row = rows[0]
            fact.record = _id(row["uri"])
            if v["amount"] is not None and row["price"] is not None:
                graph_value = f"{row['currency']} {row['price']:,}"
                verdict = ("not compared" if row["currency"] != v["currency"] else
                           "supports" if Decimal(str(row["price"])) == v["amount"] else "contradicts")
                fact.checks.append(Check("price", f"{v['currency']} {v['amount']:,}", graph_value,
                                         verdict, fact.record, list(row["sources"])))
        else:
            rows = db.execute_query(PENALTIES, party=str(ID[v["party"]]),
                                    authority=str(ID[v["authority"]]) if v["authority"] else None
                                    ).records
            if v["year"]:
                rows = [r for r in rows if str(r["date"] or "")[:4] == v["year"]]
            if not rows:
                continue
            equal = [r for r in rows if r["currency"] == v["currency"]
                     and Decimal(str(r["amount"])) == v["amount"]]
            row = (equal or rows)[0]
            fact.record = _id(row["uri"])
            fact.checks.append(Check("penaltyAmount", f"{v['currency']} {v['amount']:,}",
                                     f"{row['currency']} {row['amount']:,}",
                                     "supports" if equal else
                                     "contradicts" if len(rows) == 1 else "not compared",
                                     fact.record, list(row["sources"])))


def _when(row) -> str:
    parts = [f"announced {row['announced']}" if row["announced"] else "",
             f"completed {row['completed']}" if row["completed"] else ""]
    return ", ".join(p for p in parts if p)


def _id(uri: str) -> str:
    return str(uri).removeprefix(str(ID))


# --- the report and the whole flow ---------------------------------------------------------

@dataclass
class Report:
    path: str
    source: str  # record id of the Source
    graph: str  # named graph IRI
    content_hash: str
    meta: dict
    mentions: list[Mention]
    ambiguous: list[Ambiguous]
    unknown: list[Unknown]
    money: list[Money]
    dates: list[DateRef]
    references: list[Reference]
    facts: list[Fact]
    suggestions: Path | None = None
    changed: bool = False

    def entities(self) -> dict[str, int]:
        """Known entities mentioned, with how often."""
        counts: dict[str, int] = {}
        for m in self.mentions:
            counts[m.entity] = counts.get(m.entity, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def supporting(self) -> list[Fact]:
        return [f for f in self.facts if f.verdict == "supports"]

    def contradicting(self) -> list[Fact]:
        return [f for f in self.facts if f.verdict == "contradicts"]


def analyse(doc: Document, index: EntityIndex, matcher: Matcher | None = None) -> Report:
    """Everything found in a document, without touching the database."""
    matcher = matcher or Matcher(index)
    mentions, ambiguous = matcher.find(doc.text)
    money = find_money(doc.text)
    references = find_references(doc.text)
    dates = find_dates(doc.text, [(m.start, m.end) for m in money]
                       + [(r.start, r.end) for r in references if r.kind in ("case", "law")
                          and "/" in r.text])
    taken = [(m.start, m.end) for m in mentions] + [(a.start, a.end) for a in ambiguous] \
        + [(m.start, m.end) for m in money] + [(r.start, r.end) for r in references]
    unknown = unknown_names(doc.text, taken, index)
    by_span = {(m.start, m.end): m.entity for m in mentions}
    references = [_link(r, mentions, index, by_span) for r in references]
    facts = extract_facts(doc.text, index, mentions, ambiguous, money, dates)
    return Report(str(doc.path), doc.id, doc.graph_iri, doc.content_hash, dict(doc.meta), mentions,
                  ambiguous, unknown, money, dates, references, facts)


def _link(ref: Reference, mentions: list[Mention], index: EntityIndex, by_span) -> Reference:
    wanted = {"court": "Court", "law": "Law", "case": "Proceeding"}[ref.kind]
    for m in mentions:
        if m.start < ref.end and ref.start < m.end and index.entities[m.entity].is_a(wanted):
            return Reference(ref.kind, ref.text, ref.start, ref.end, m.entity)
    return ref


def document_graph(doc: Document, report: Report) -> Dataset:
    """The document's statements: only the Source and its Mention nodes are subjects."""
    dataset = Dataset()
    graph = dataset.graph(URIRef(doc.graph_iri))
    m = model()
    source = ID[doc.id]
    graph.add((source, RDF.type, NS.Source))

    def prop(key):
        return m.properties[key].iri

    meta = report.meta
    if meta.get("title"):
        graph.add((source, prop("title"), Literal(meta["title"])))
    if meta.get("publisher"):
        graph.add((source, prop("publisher"), Literal(meta["publisher"])))
    if meta.get("published") and (lit := _partial_date(meta["published"])) is not None:
        graph.add((source, prop("published"), lit))
    if meta.get("url") and re.match(r"^https?://\S+$", meta["url"]):
        graph.add((source, prop("url"), Literal(meta["url"], datatype=XSD.anyURI)))
    graph.add((source, prop("contentHash"), Literal(doc.content_hash)))
    graph.add((source, prop("excerpt"), Literal(excerpt(doc.text))))
    for number, mention in enumerate(report.mentions, start=1):
        node = URIRef(f"{source}/mention/{number}")
        entity = ID[mention.entity]
        graph.add((source, prop("mentions"), entity))
        graph.add((source, prop("hasMention"), node))
        graph.add((node, RDF.type, NS.Mention))
        graph.add((node, prop("mentionOf"), entity))
        graph.add((node, prop("matchedText"), Literal(mention.text)))
        graph.add((node, prop("startOffset"), Literal(mention.start, datatype=XSD.integer)))
        graph.add((node, prop("endOffset"), Literal(mention.end, datatype=XSD.integer)))
    return dataset


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def _partial_date(value: str) -> Literal | None:
    value = str(value).strip()[:10]
    for pattern, datatype in ((r"\d{4}-\d{2}-\d{2}", XSD.date), (r"\d{4}-\d{2}", XSD.gYearMonth),
                              (r"\d{4}", XSD.gYear)):
        if re.fullmatch(pattern, value):
            return Literal(value, datatype=datatype)
    return None


def suggestion_records(doc: Document, report: Report, accessed: str) -> list[dict]:
    """Candidate records in the curated format: the Source, new facts, and Claims for
    values that differ from the graph's."""
    note = f"suggestion from {doc.path.name}"
    meta = report.meta
    source = {"id": doc.id, "type": "Source"}
    for key in ("url", "publisher", "title"):
        if meta.get(key):
            source[key] = meta[key]
    if meta.get("published") and _partial_date(meta["published"]) is not None:
        source["published"] = str(_partial_date(meta["published"]))
    source["accessed"] = accessed
    if meta.get("language"):
        source["language"] = meta["language"]
    source["note"] = note
    records = [source]
    seen = {doc.id}
    tag = doc.content_hash[:6]
    for fact in report.facts:
        v = fact.values
        if fact.verdict == "contradicts":
            for check in fact.checks:
                if check.verdict != "contradicts":
                    continue
                prop = check.field
                value = check.document
                if prop == "year":
                    prop = "announced" if "announced" in check.graph else "completed"
                if prop == "price":
                    value = str(v["amount"])
                if prop == "penaltyAmount":
                    value = str(v["amount"])
                rid = f"claim-{check.record}-{slug(prop)}-{slug(value)}-{tag}"
                if rid in seen:
                    continue
                seen.add(rid)
                records.append({"id": rid, "type": "Claim", "about": check.record,
                                "property": prop, "value": value, "sources": [doc.id],
                                "note": f"{note}: the document says {check.document}, the graph "
                                        f"{check.graph}; check the sentence: {fact.sentence}"})
        elif fact.verdict == "new" and fact.kind == "acquisition":
            rid = f"acq-{v['acquirer']}-{v['target']}-{v['year'] or 'undated'}-{tag}"
            if rid in seen:
                continue
            seen.add(rid)
            acquirer, target = (index_name(report, v["acquirer"]), index_name(report, v["target"]))
            record = {"id": rid, "type": "Acquisition", "name": f"{acquirer} acquisition of {target}",
                      "acquirer": v["acquirer"], "target": v["target"]}
            if v["year"]:
                record["announced"] = v["year"]
            if v["amount"] is not None:
                record["price"] = int(v["amount"]) if v["amount"] == int(v["amount"]) \
                    else float(v["amount"])
                record["currency"] = v["currency"]
            record["sources"] = [doc.id]
            record["unverified"] = ["announced"] if v["year"] else []
            if not record["unverified"]:
                del record["unverified"]
            record["note"] = f"{note}: {fact.sentence}"
            records.append(record)
        elif fact.verdict == "new" and fact.kind == "fine":
            rid = f"fine-{v['party']}-{v['year'] or 'undated'}-{tag}"
            if rid in seen:
                continue
            seen.add(rid)
            record = {"id": rid, "type": "Fine",
                      "name": f"Fine on {index_name(report, v['party'])}"}
            if v["authority"]:
                record["authority"] = v["authority"]
            if v["year"]:
                record["decided"] = v["year"]
            record["penaltyAmount"] = int(v["amount"]) if v["amount"] == int(v["amount"]) \
                else float(v["amount"])
            record["penaltyCurrency"] = v["currency"]
            record["parties"] = [{"party": v["party"], "role": "defendant"}]
            record["sources"] = [doc.id]
            record["note"] = f"{note}: {fact.sentence} (give the 'dispute' it belongs to)"
            records.append(record)
    return records


def index_name(report: Report, entity: str) -> str:
    for m in report.mentions:
        if m.entity == entity:
            return m.name
    return entity


def ingest_document(path: Path, db, *, title: str | None = None, publisher: str | None = None,
                    published: str | None = None, url: str | None = None,
                    encoding: str | None = None, suggestions: Path | None = SUGGESTIONS_DIR,
                    index: EntityIndex | None = None, accessed: str | None = None) -> Report:
    """Ingest one document into Neo4j (its own named graph) and return the report.

    Options override what the document says about itself. Suggestions are written to
    `<suggestions>/<source id>.yaml` (None: not written).
    """
    from .neo4j import load

    doc = read_document(path, encoding)
    for key, value in (("title", title), ("publisher", publisher), ("published", published),
                       ("url", url)):
        if value:
            doc.meta[key] = value
    if doc.meta.get("published") and _partial_date(doc.meta["published"]) is None:
        raise TechregError(f"{path}: the date {doc.meta['published']!r} is not YYYY, YYYY-MM or "
                           "YYYY-MM-DD")
    if doc.meta.get("url") and not re.match(r"^https?://\S+$", doc.meta["url"]):
        raise TechregError(f"{path}: the URL {doc.meta['url']!r} is not an http(s) URL")
    index = index or EntityIndex.from_db(db)
    report = analyse(doc, index)
    report.references = _resolve_identifiers(report.references, db)
    compare_facts(report.facts, db)
    summary = load(document_graph(doc, report), db, mode="replace-source")
    report.changed = summary.changed
    if suggestions is not None:
        records = suggestion_records(doc, report, accessed or dt.date.today().isoformat())
        folder = Path(suggestions)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{doc.id}.yaml"
        header = (f"# Suggestions from {doc.path.name} (techreg ingest). Not data: review each "
                  "record, move the ones that hold into data/, then run `techreg validate`.\n")
        target.write_text(header + dump_records(records), encoding="utf-8")
        report.suggestions = target
    return report


def _resolve_identifiers(references: list[Reference], db) -> list[Reference]:
    wanted = {i: r for r in references if r.entity is None for i in identifiers_of(r)}
    if not wanted:
        return references
    found = {}
    for row in db.execute_query(IDENTIFIERS, ids=sorted(wanted)).records:
        for i in row["ids"]:
            found[i] = _id(row["uri"])
    result = []
    for r in references:
        entity = r.entity or next((found[i] for i in identifiers_of(r) if i in found), None)
        result.append(Reference(r.kind, r.text, r.start, r.end, entity))
    return result


__all__ = ["Document", "Report", "Mention", "Fact", "Check", "Matcher", "read_document",
           "analyse", "ingest_document", "find_money", "find_dates", "find_references",
           "parse_number", "Entity"]
