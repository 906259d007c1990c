"""Reading documents: bytes -> decoded, NFC-normalised text with what the document says about
itself (title, publisher, published, url, language). Offsets everywhere else refer to this
text."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from loaders.records import GRAPHS
from ontology.errors import TechregError

KINDS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
         ".html": "html", ".htm": "html", ".xhtml": "html"}


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
