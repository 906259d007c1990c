"""The ingest evaluation corpus: documents written for it, with gold annotations.

The source is one annotated text (`tests/fixtures/ingest/corpus/annotated.txt`): each
document starts with `=== FILE | DISPUTE | {metadata}` and marks every mention of a graph
entity as `[[text|record-id]]`. `python -m bench.ingest_corpus` writes the documents (plain
text, Markdown, HTML pages with navigation, bylines and credits around the article, a PDF)
and `gold.json`: per document its dispute and each mention's record id, text and offsets in
the text techreg extracts from the file (`read_document(...).text`).
"""

from __future__ import annotations

import html
import json
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "ingest" / "corpus"
ANNOTATED = CORPUS / "annotated.txt"
GOLD = CORPUS / "gold.json"
_MARK = re.compile(r"\[\[([^|\]]+)\|([^\]]+)\]\]")


def parse(annotated: str) -> list[dict]:
    """The documents of the annotated source: name, dispute, meta, plain text, and marks
    (text, record id, the words just before and after it)."""
    docs = []
    for block in re.split(r"(?m)^=== ", annotated)[1:]:
        header, _, body = block.partition("\n")
        name, dispute, meta = (part.strip() for part in header.split("|", 2))
        spans, plain, last, length = [], [], 0, 0
        for m in _MARK.finditer(body):
            plain.append(body[last:m.start()])
            length += m.start() - last
            spans.append((length, length + len(m.group(1)), m.group(1), m.group(2)))
            plain.append(m.group(1))
            length += len(m.group(1))
            last = m.end()
        plain.append(body[last:])
        text = "".join(plain)
        marks = [(surface, entity, text[max(0, a - 12):a], text[b:b + 12])
                 for a, b, surface, entity in spans]
        docs.append({"file": name, "dispute": dispute, "meta": json.loads(meta or "{}"),
                     "text": text.strip() + "\n", "marks": marks})
    return docs


def render(doc: dict) -> bytes:
    """The file's bytes in the format its name asks for."""
    meta, text = doc["meta"], doc["text"]
    suffix = Path(doc["file"]).suffix
    if suffix == ".md":
        front = "".join(f"{k}: {json.dumps(meta[k], ensure_ascii=False)}\n"
                        for k, key in (("title", "title"), ("publisher", "publisher"),
                                       ("published", "date"), ("url", "url")) if k in meta)
        front = front.replace("published:", "date:")
        return f"---\n{front}---\n{text}".encode()
    if suffix == ".html":
        return _html(meta, text).encode()
    if suffix == ".pdf":
        return pdf_bytes(text.splitlines(), title=meta.get("title"))
    return text.encode()


def _html(meta: dict, text: str) -> str:
    title, *paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    publisher = html.escape(meta["publisher"])
    head = [f"<title>{html.escape(title)} | {publisher}</title>",
            f'<meta property="og:site_name" content="{publisher}">']
    if meta.get("jsonld"):
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
              "datePublished": meta["published"] + "T08:00:00Z",
              "publisher": {"@type": "Organization", "name": meta["publisher"]},
              "mainEntityOfPage": meta["url"]}
        head.append(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    else:
        head.append(f'<meta property="article:published_time" content="{meta["published"]}T08:00:00Z">')
        head.append(f'<link rel="canonical" href="{meta["url"]}">')
    nav = ('<nav><ul><li><a href="/">Home</a></li><li><a href="/tech">Tech</a></li>'
           '<li><a href="/policy">Policy</a></li></ul></nav>') if meta.get("nav") else ""
    credit = f"<figure><img src=\"a.jpg\"><figcaption>{html.escape(meta['credit'])}</figcaption></figure>" \
        if meta.get("credit") else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n" + "\n".join(head) + "\n</head>\n<body>\n"
            f"{nav}\n<article>\n<h1>{html.escape(title)}</h1>\n"
            f"<p class=\"byline\">By Fixture Staff</p>\n{credit}\n{body}\n"
            "<p><a href=\"/more\">Read more</a></p>\n</article>\n"
            "<footer><p>Share this article</p><p>Subscribe to our newsletter</p></footer>\n"
            "</body>\n</html>\n")


def pdf_bytes(lines: list[str], title: str | None = None, width: int = 90) -> bytes:
    """A small PDF with a text layer (Helvetica, one page per 45 lines)."""
    wrapped = [w for line in lines for w in (textwrap.wrap(line, width) or [""])]
    pages = [wrapped[i:i + 45] for i in range(0, len(wrapped), 45)] or [[]]
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for page in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "56 790 Td"]
        for line in page:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>")
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    info = None
    if title:
        objects.append(f"<< /Title ({title}) >>")
        info = len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        body = body if isinstance(body, bytes) else body.encode("cp1252")
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R" + (f" /Info {info} 0 R" if info else "") + " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def gold_for(doc: dict, extracted: str) -> dict:
    """Each mark's offsets in the extracted text, found in order with the words around it
    (whitespace may differ; an unmarked earlier occurrence of the same words is skipped)."""
    def flexible(text: str) -> str:
        return r"\s+".join(re.escape(w) for w in text.split())

    mentions, position = [], 0
    for surface, entity, before, after in doc["marks"]:
        core = flexible(surface)
        m = None
        for context in ((before, after), ("", after), (before, ""), ("", "")):
            left = flexible(context[0]) + (r"\s*" if context[0][-1:].isspace() else "") \
                if context[0].strip() else ""
            right = (r"\s*" if context[1][:1].isspace() else "") + flexible(context[1]) \
                if context[1].strip() else ""
            pattern = rf"{left}(?<!\w)({core})(?!\w){right}"
            m = re.compile(pattern).search(extracted, max(0, position - len(context[0]) - 2))
            if m is not None and m.start(1) >= position:
                break
            m = None
        if m is None:
            raise SystemExit(f"{doc['file']}: '{surface}' not found in the extracted text after "
                             f"offset {position}")
        mentions.append({"entity": entity, "text": m.group(1), "start": m.start(1),
                         "end": m.end(1)})
        position = m.end(1)
    return {"dispute": doc["dispute"], "language": doc["meta"].get("language", "en"),
            "mentions": mentions}


def build(folder: Path = CORPUS) -> dict:
    from loaders.ingest import read_document

    docs = parse((folder / "annotated.txt").read_text(encoding="utf-8"))
    gold = {}
    for doc in docs:
        path = folder / doc["file"]
        path.write_bytes(render(doc))
        gold[doc["file"]] = gold_for(doc, read_document(path).text)
    (folder / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    return gold


if __name__ == "__main__":
    gold = build(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
    print(f"{len(gold)} documents, {sum(len(g['mentions']) for g in gold.values())} mentions, "
          f"{len({g['dispute'] for g in gold.values()})} disputes")
