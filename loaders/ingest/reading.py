"""Reading documents: bytes -> decoded, NFC-normalised text with what the document says about
itself (title, publisher, published, url, language). Offsets everywhere else refer to this
text.

Plain text, Markdown (YAML front matter), HTML (the article's main text and its metadata by
trafilatura: meta tags, OpenGraph, JSON-LD; navigation, bylines and credits dropped) and PDF
(the text layer, by pypdf). A file that cannot be read is a one-line TechregError.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from loaders.records import GRAPHS
from ontology.errors import TechregError

KINDS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
         ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf"}


@dataclass
class Document:
    path: Path
    kind: str  # text, markdown, html, pdf
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
    """Read and decode a document; a binary, empty, damaged or undecodable file is a
    TechregError of one line."""
    path = Path(path)
    if not path.is_file():
        raise TechregError(f"{path}: no such file")
    data = path.read_bytes()
    if not data.strip():
        raise TechregError(f"{path}: the file is empty")
    meta: dict = {}
    if data.startswith(b"%PDF") or KINDS.get(path.suffix.lower()) == "pdf":
        kind = "pdf"
        text, meta = _pdf(path, data)
    else:
        text = _decode(path, data, encoding)
        text = _normal(text)
        if not text.strip():
            raise TechregError(f"{path}: the file is empty")
        kind = KINDS.get(path.suffix.lower())
        if kind is None:
            kind = "html" if re.match(r"\s*(<!doctype html|<html)", text[:500], re.I) else "text"
        if kind == "html":
            text, meta = _html(path, text)
        elif kind == "markdown":
            text, meta = _markdown(text)
    if not text.strip():
        raise TechregError(f"{path}: the document has no text")
    text_meta(text, meta)
    return Document(path, kind, text, hashlib.sha256(data).hexdigest(), meta)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")


def text_meta(text: str, meta: dict) -> dict:
    """Fill what the document's own metadata left open from its text: the title (its first
    short line), the date (a dateline near the top) and the language (its common words)."""
    from .extract import find_dates

    lines = [line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip()]
    if lines and len(lines[0]) <= 200:
        meta.setdefault("title", lines[0])
    if not meta.get("published"):  # a dateline: a short line near the top that is mostly a date
        for line in lines[:4]:
            dated = [d for d in find_dates(line) if len(d.value) == 10]
            if dated and len(line) <= 80 and len(line) - len(dated[0].text) <= 40:
                meta["published"] = dated[0].value
                break
    if not meta.get("language") and (language := guess_language(text)):
        meta["language"] = language
    return meta


_COMMON_WORDS = {
    "en": {"the", "and", "of", "to", "in", "that", "is", "was", "for", "with", "on", "by", "has"},
    "fr": {"le", "la", "les", "des", "et", "est", "une", "du", "que", "pour", "dans", "par", "sur"},
    "nl": {"de", "het", "een", "en", "van", "is", "dat", "op", "voor", "met", "niet", "werd", "door"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "ein", "eine", "mit", "von", "den", "dem", "zu"},
    "es": {"el", "los", "las", "y", "que", "una", "por", "con", "para", "del", "se", "su", "al"},
    "it": {"il", "di", "che", "e", "gli", "una", "per", "con", "del", "della", "sono", "non", "ha"},
}


def guess_language(text: str) -> str | None:
    """The language whose common words the text uses most (en, fr, nl, de, es, it)."""
    words = re.findall(r"[^\W\d_]+", text[:5000].lower())
    if len(words) < 8:
        return None
    counts = {lang: sum(w in common for w in words) for lang, common in _COMMON_WORDS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] >= max(3, len(words) // 25) else None


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


def _html(path: Path, html: str) -> tuple[str, dict]:
    """The main text and the metadata of an HTML page (trafilatura; lxml for what it leaves)."""
    import lxml.html
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # lxml's parser errors have no common base worth naming here
        raise TechregError(f"{path}: the HTML cannot be parsed") from None
    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                        include_tables=True, deduplicate=False)
    found = found.as_dict() if found is not None and hasattr(found, "as_dict") else (found or {})
    text = found.get("text") or ""
    if not text.strip():  # a page too small for trafilatura's heuristics: all the body's text
        for bad in tree.xpath("//script|//style|//noscript|//template|//svg|//head|//nav"):
            bad.drop_tree()
        text = "\n".join(tree.xpath("//body//text()"))
    lines = [" ".join(line.split()) for line in _normal(text).split("\n")]
    text = "\n\n".join(line for line in lines if line)
    meta: dict = {}
    for key, target in (("title", "title"), ("sitename", "publisher"), ("date", "published"),
                        ("url", "url"), ("language", "language")):
        value = found.get(key)
        if value and isinstance(value, str) and value.strip():
            meta[target] = " ".join(value.split())
    lang = tree.get("lang") or next(iter(tree.xpath("//meta[@http-equiv='content-language']/@content")),
                                    None)
    if lang:
        meta.setdefault("language", lang.split("-")[0].lower())
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    if canonical:
        meta.setdefault("url", canonical[0].strip())
    if "url" not in meta:
        meta.update({"url": url} if (url := _json_ld_url(tree)) else {})
    if "published" in meta:
        meta["published"] = meta["published"][:10]
    if meta.get("title") and meta.get("publisher") and meta["title"].endswith(meta["publisher"]):
        meta["title"] = re.sub(r"\s*[-|–—:]\s*$", "", meta["title"][: -len(meta["publisher"])]) \
            or meta["title"]
    return text, meta


def _json_ld_url(tree) -> str | None:
    """The page's own URL in its JSON-LD (`url` or `mainEntityOfPage`), which trafilatura
    leaves out."""
    import json

    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            found = json.loads(script)
        except ValueError:
            continue
        for item in found if isinstance(found, list) else [found]:
            if not isinstance(item, dict):
                continue
            for value in (item.get("url"), item.get("mainEntityOfPage")):
                value = value.get("@id") if isinstance(value, dict) else value
                if isinstance(value, str) and re.match(r"https?://", value):
                    return value
    return None


def _pdf(path: Path, data: bytes) -> tuple[str, dict]:
    """The text layer of a PDF (pypdf), page after page."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise TechregError(f"{path}: an encrypted PDF: decrypt it first (e.g. qpdf --decrypt)")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except TechregError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError, IndexError) as e:
        reason = " ".join(str(e).split())[:80] or type(e).__name__
        raise TechregError(f"{path}: a PDF that cannot be read (damaged? {reason})") from None
    if not pages:
        raise TechregError(f"{path}: a PDF that cannot be read (damaged? no pages)")
    text = "\n\n".join(_normal(page).strip() for page in pages)
    if not re.search(r"\w{2,}", text):
        raise TechregError(f"{path}: a PDF without a text layer (a scan?): run OCR first, "
                           "e.g. ocrmypdf")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    meta: dict = {}
    title = info.get("/Title") if hasattr(info, "get") else None
    if title and str(title).strip():
        meta["title"] = " ".join(str(title).split())
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
