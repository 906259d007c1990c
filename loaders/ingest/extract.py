"""Extracting money amounts, dates and references (courts, laws, cases) from a text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from loaders.resolve import fold

from .mentions import NOT_NAME_WORDS


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


# Languages whose month names dates are read in (by dateparser).
DATE_LANGUAGES = ["en", "fr", "nl", "de", "es", "it"]
_MONTH = r"([^\W\d_]{3,10})\.?"
_DATE_PATTERNS = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), ("y", "m", "d")),
    (re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|e|\.)?\s+{_MONTH}\s+(\d{{4}})(?!\d)"),
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
    """Full dates, months and years. Regular expressions find where a date may be; dateparser
    reads it (month names and abbreviations in DATE_LANGUAGES)."""
    found: list[DateRef] = []

    def free(s, e):
        return not any(a < e and s < b for a, b in [*taken, *((d.start, d.end) for d in found)])

    for pattern, parts in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            value = _read_date(m.group(0), "d" in parts)
            if value is not None:
                found.append(DateRef(value, m.group(0), m.start(), m.end()))
    for m in _YEAR.finditer(text):
        if free(m.start(), m.end()):
            found.append(DateRef(m.group(1), m.group(0), m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _read_date(text: str, with_day: bool) -> str | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    parsed = _dateparser(text, with_day)
    if parsed is None:
        return None
    return parsed.date().isoformat() if with_day else f"{parsed.year:04d}-{parsed.month:02d}"


@cache
def _dateparser(text: str, with_day: bool):
    import dateparser

    parts = ["day", "month", "year"] if with_day else ["month", "year"]
    return dateparser.parse(text, languages=DATE_LANGUAGES,
                            settings={"REQUIRE_PARTS": parts, "PREFER_DAY_OF_MONTH": "first",
                                      "STRICT_PARSING": with_day})


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
    ("court", re.compile(rf"(?:[A-ZÀ-Þ][\w'’-]+[ \t]+){{0,3}}(?:{_COURT_WORDS})"
                         r"(?:[ \t]+(?:[a-zà-ÿ'’]+[ \t]+){0,3}(?:(?:of|de|d['’]|van|te|du|des|di|"
                         r"für|voor)[ \t]*)?(?:l['’]|the[ \t]+)?[A-ZÀ-Þ][\w'’-]+"
                         r"(?:[ \t]+[A-ZÀ-Þ][\w'’-]+)*)?")),
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
                while len(words) > 1 and fold(words[0]).lower() in NOT_NAME_WORDS:
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
    for case in re.findall(r"[CTF]-\d{1,4}/\d{2}(?:\s*P\b)?", text):
        ids += [case, case.removesuffix("P").strip()] if case.endswith("P") else [case]
    m = re.match(r"(\w+)\s*(?:\(\w+\)\s*)?(?:(?:No|Nr|n°)\.?\s*)?(\d{2,4})/(\d{1,4})", text)
    if m and m.group(1).lower() in _CELEX_TYPES:
        year, number = m.group(2), m.group(3)
        if len(year) == 2:
            year = ("19" if int(year) > 50 else "20") + year
        ids.append(f"3{year}{_CELEX_TYPES[m.group(1).lower()]}{int(number):04d}")
    return ids
