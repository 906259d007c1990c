"""Ingested documents, read-only: the Sources `techreg ingest` wrote (those with a
contentHash), each with its mentions in context, the dispute it was linked to and the
candidate disputes. The graph keeps only the opening of a document's text (`excerpt`, its
whitespace flattened), so a mention is shown in context when it falls in that opening."""

from __future__ import annotations

from dataclasses import dataclass, field

from .analytics import kind_of
from .browse import _name, short, uri
from .cypher import INGESTED_SOURCE, INGESTED_SOURCES

CONTEXT_CHARS = 80  # characters shown either side of a mention

@dataclass
class Mention:
    entity: str  # record id
    name: str
    kind: str
    text: str
    start: int | None
    end: int | None
    before: str = ""  # the excerpt's text around the mention, when the excerpt holds it
    after: str = ""
    in_excerpt: bool = False


@dataclass
class Document:
    id: str
    title: str
    publisher: str | None
    published: str | None
    url: str | None
    excerpt: str
    graph: str | None
    about: list[dict] = field(default_factory=list)  # {id, name}
    candidates: list[dict] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def _value(v):
    return _name(v) if isinstance(v, list) else v


def _disputes(rows) -> list[dict]:
    return sorted(({"id": short(d["uri"]), "name": _name(d["name"]) or short(d["uri"])}
                   for d in rows), key=lambda d: d["id"])


def ingested(db) -> list[dict]:
    """The ingested Sources: id, title, publisher, published, url, mentions, the dispute."""
    return [{"id": short(r["uri"]), "title": _name(r["title"]) or short(r["uri"]),
             "publisher": _value(r["publisher"]), "published": r["published"],
             "url": _value(r["url"]), "mentions": r["mentions"],
             "dispute": _disputes(r["about"])}
            for r in db.execute_query(INGESTED_SOURCES).records]


def in_context(excerpt: str, text: str, start: int | None, width: int = CONTEXT_CHARS):
    """(before, after) around the mention in the excerpt, or None when the excerpt does not
    hold it. The excerpt flattens whitespace, so the mention sits at or a little before its
    offset: the occurrence of its text nearest to the offset, at most a fifth earlier."""
    if not text or not excerpt or start is None:
        return None
    slack = max(20, start // 5)
    best, pos = None, excerpt.find(text)
    while pos != -1 and pos <= start:
        if start - pos <= slack:
            best = pos
        pos = excerpt.find(text, pos + 1)
    if best is None:
        return None
    end = best + len(text)
    before = excerpt[max(0, best - width):best]
    after = excerpt[end:end + width]
    return ("…" if best > width else "") + before, after + ("…" if end + width < len(excerpt) else "")


def document(db, source_id: str) -> Document | None:
    """One ingested Source with its mentions (in text order), its dispute and candidates."""
    rows = db.execute_query(INGESTED_SOURCE, uri=uri(source_id)).records
    if not rows:
        return None
    r = rows[0]
    excerpt = _value(r["excerpt"]) or ""
    mentions = []
    for m in sorted(r["mentions"], key=lambda m: (m["start"] is None, m["start"] or 0, m["text"] or "")):
        text = _value(m["text"]) or ""
        mention = Mention(short(m["uri"]), _name(m["name"]) or short(m["uri"]), kind_of(m["labels"]),
                          text, m["start"], m["end"])
        around = in_context(excerpt, text, m["start"])
        if around:
            mention.before, mention.after = around
            mention.in_excerpt = True
        mentions.append(mention)
    return Document(short(r["uri"]), _name(r["title"]) or short(r["uri"]), _value(r["publisher"]),
                    r["published"], _value(r["url"]), excerpt, r["graph"],
                    _disputes(r["about"]), _disputes(r["candidates"]), mentions)
