"""Entity resolution: which known entity does a name stand for, and how sure is that?

An `EntityIndex` holds the entities of the graph (from Neo4j, or from the records in data/)
with their names, aliases and Wikidata QIDs. `candidates(name)` scores entities against a
name (exact name or alias, normalised forms: accents, case, punctuation, legal suffixes such
as S.A., S.à r.l., Inc., Ltd; then token overlap) and proposes; nothing is merged silently.
A person accepts a proposal with `techreg resolve accept NAME ID`, which appends a reviewable
record with `sameAs` (owl:sameAs) to data/same-as.yaml; `techreg resolve undo` removes it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Dataset, Graph, URIRef
from rdflib.namespace import SH

from graph.cypher import NAMED_ENTITIES
from ontology import ID, NS, SHAPES_FILE, local_name, model
from ontology.errors import TechregError

SIMILAR_SPELLING = 88  # rapidfuzz ratio (0-100) above which two names are spelling variants
IDENTIFIER_KEYS = ("ecli", "celex", "docket")  # record keys of identifiers a text may cite
SAME_AS_FILE = Path(__file__).resolve().parent.parent / "data" / "same-as.yaml"
WIKIDATA = "http://www.wikidata.org/entity/"

# Legal forms, written normalised (lower case, no accents, punctuation as spaces).
LEGAL_SUFFIXES = (
    "s a r l", "sarl", "s a", "sa", "sas", "s p a", "spa", "sl", "s l", "srl", "inc", "ltd",
    "limited", "llc", "l l c", "plc", "corp", "corporation", "incorporated", "co", "company",
    "gmbh", "gmbh co kg", "co kg", "kg", "ag", "nv", "n v", "bv", "b v", "bvba", "sprl", "ab",
    "as", "oy", "uc", "lp", "llp", "holdings", "group",
)
_SUFFIX_RE = re.compile(r"(?:\s+(?:" + "|".join(sorted((re.escape(s) for s in LEGAL_SUFFIXES),
                                                         key=len, reverse=True)) + r"))+$")


def _unnamed_classes() -> frozenset[str]:
    """The classes whose records carry no names: those that are neither a class the shapes
    require a 'name' of (tr:NamedShape's targets), nor one of their subclasses or ancestors.
    Sources, Claims, Participations, Mentions and concepts: the graph keeps them as context
    rather than as things a text names."""
    m = model()
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    named = {local_name(c) for c in shapes.objects(NS.NamedShape, SH.targetClass)}
    lines = {name: {local_name(c) for c in m.ancestors(cls.iri)} for name, cls in m.classes.items()}
    return frozenset(name for name, ancestors in lines.items()
                     if not ancestors & named  # not a named class or below one
                     and not any(name in lines[n] for n in named))  # nor above one


NOT_NAMED = _unnamed_classes()


def fold(text: str) -> str:
    """Text without accents (é -> e, ß -> ss), keeping its case."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalize(name: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces."""
    text = fold(name).casefold().replace("&", " ")
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def core(name: str) -> str:
    """The normalised name without legal suffixes: 'Skype Communications'."""
    text = normalize(name)
    stripped = _SUFFIX_RE.sub("", text).strip()
    return stripped or text


def is_only_legal_form(name: str) -> bool:
    text = normalize(name)
    return not text or _SUFFIX_RE.sub("", " " + text).strip() == ""


def slug(text: str) -> str:
    """A record id from a name: 'Skype Communications S.à r.l.' -> 'skype-communications-s-a-r-l'."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(str(text)).lower())) or "x"


@dataclass
class Entity:
    id: str
    uri: str
    names: list[str]
    aliases: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    wikidata: str | None = None
    same_as: list[str] = field(default_factory=list)  # ids
    iso: str | None = None  # a jurisdiction's ISO 3166 code
    description: str = ""
    identifiers: tuple[str, ...] = ()  # ECLI, CELEX number, docket

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.id

    def is_a(self, type_name: str | None) -> bool:
        return not type_name or type_name in self.types


@dataclass(frozen=True)
class Candidate:
    entity: Entity
    score: float
    how: str  # what matched: "exact name", "alias", "normalised", "legal form", "tokens", "QID"

    def __str__(self) -> str:
        return f"{self.entity.id} ({self.score:.2f}, {self.how})"


class EntityIndex:
    """Known entities by id, QID and name forms."""

    def __init__(self, entities: list[Entity]):
        self.entities = {e.id: e for e in entities}
        self.by_qid = {e.wikidata: e for e in entities if e.wikidata}
        self.exact: dict[str, set[str]] = {}  # casefolded name or alias -> ids
        self.by_norm: dict[str, set[str]] = {}
        self.by_core: dict[str, set[str]] = {}
        self.by_token: dict[str, set[str]] = {}
        for e in entities:
            for text in [*e.names, *e.aliases]:
                if is_only_legal_form(text):
                    continue
                self.exact.setdefault(" ".join(text.casefold().split()), set()).add(e.id)
                self.by_norm.setdefault(normalize(text), set()).add(e.id)
                self.by_core.setdefault(core(text), set()).add(e.id)
                for token in core(text).split():
                    self.by_token.setdefault(token, set()).add(e.id)

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def from_db(cls, db) -> EntityIndex:
        entities = []
        for row in db.execute_query(NAMED_ENTITIES, unnamed=sorted(NOT_NAMED)).records:
            props = row["props"]
            names = _values(props, "label")
            aliases = _values(props, "altLabel")
            qid = row["wikidata"][0].removeprefix(WIKIDATA) if row["wikidata"] else None
            entities.append(Entity(record_id(row["uri"]), row["uri"], names, aliases,
                                   set(row["labels"]) - {"Resource"}, qid,
                                   [record_id(u) for u in row["same"]], props.get("isoCode"),
                                   " ".join(_values(props, "comment")),
                                   tuple(str(props[k]) for k in IDENTIFIER_KEYS if props.get(k))))
        return cls(entities)

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> EntityIndex:
        m = model()
        graph = dataset
        entities = []
        subjects = {s for s, _, _, _ in graph.quads((None, RDF.type, None, None))
                    if isinstance(s, URIRef) and str(s).startswith(str(ID))}
        for s in sorted(subjects):
            types = set()
            for _, _, o, _ in graph.quads((s, RDF.type, None, None)):
                if m.is_own(o):
                    types.update(local_name(c) for c in m.ancestors(o))
            if not types or types & NOT_NAMED:
                continue
            names = sorted({str(o) for _, _, o, _ in graph.quads((s, RDFS.label, None, None))},
                           key=_english_first(graph, s))
            aliases = sorted({str(o) for _, _, o, _ in graph.quads((s, SKOS.altLabel, None, None))})
            qids = [str(o).removeprefix(WIKIDATA)
                    for _, _, o, _ in graph.quads((s, SKOS.exactMatch, None, None))]
            same = [record_id(str(o)) for _, _, o, _ in graph.quads((s, OWL.sameAs, None, None))]
            entities.append(Entity(record_id(str(s)), str(s), names, aliases, types,
                                   qids[0] if qids else None, same))
        return cls(entities)

    @classmethod
    def from_records(cls, paths: list[Path] | None = None) -> EntityIndex:
        """The entities of the records files under paths (default data/), without compiling."""
        from .records import data_files, read_records

        return cls.from_record_list([r for f in data_files(paths) for r in read_records(f)])

    @classmethod
    def from_record_list(cls, records) -> EntityIndex:
        m = model()
        entities = []
        for record in records:
            f = record.fields
            ont = m.classes.get(str(f.get("type")))
            if ont is None or not record.id:
                continue
            types = {local_name(c) for c in m.ancestors(ont.iri)}
            if types & NOT_NAMED:
                continue
            entities.append(Entity(record.id, str(ID[record.id]), _texts(f.get("name")),
                                   [t for a in _list(f.get("aliases")) for t in _texts(a)], types,
                                   str(f["wikidata"]) if f.get("wikidata") else None,
                                   [str(x) for x in _list(f.get("sameAs"))],
                                   str(f["isoCode"]) if f.get("isoCode") else None,
                                   " ".join(_texts(f.get("description"))),
                                   tuple(str(f[k]) for k in IDENTIFIER_KEYS if f.get(k))))
        return cls(entities)

    # -- lookups ----------------------------------------------------------------------------

    def by_identifier(self, identifier: str) -> Entity | None:
        """The entity an ECLI, CELEX number or docket identifies."""
        if not hasattr(self, "_identifiers"):
            self._identifiers = {i: e for e in self.entities.values() for i in e.identifiers}
        return self._identifiers.get(identifier)

    def canonical(self, entity: Entity) -> Entity:
        """Follow accepted sameAs decisions to the record they point to."""
        seen = set()
        while entity.same_as and entity.id not in seen:
            seen.add(entity.id)
            target = self.entities.get(entity.same_as[0])
            if target is None:
                break
            entity = target
        return entity

    def candidates(self, name: str, type_name: str | None = None, limit: int = 5) -> list[Candidate]:
        """Entities that may be meant by name, best first, each with a score in (0, 1]."""
        text = str(name).strip()
        found: dict[str, Candidate] = {}

        def add(ids, score, how):
            for i in ids:
                e = self.canonical(self.entities[i])
                if e.is_a(type_name) and (e.id not in found or found[e.id].score < score):
                    found[e.id] = Candidate(e, score, how)

        if re.fullmatch(r"Q[1-9]\d*", text) and text in self.by_qid:
            add([self.by_qid[text].id], 1.0, "QID")
        if text in self.entities:
            add([text], 1.0, "id")
        add(self.exact.get(" ".join(text.casefold().split()), ()), 1.0, "exact name or alias")
        add(self.by_norm.get(normalize(text), ()), 0.9, "same name without accents and punctuation")
        add(self.by_core.get(core(text), ()), 0.8, "same name without legal form")
        tokens = set(core(text).split())
        if tokens:
            pool = set().union(*(self.by_token.get(t, set()) for t in tokens))
            for i in pool:
                e = self.entities[i]
                best = max((len(tokens & set(core(n).split())) / len(tokens | set(core(n).split()))
                            for n in [*e.names, *e.aliases] if not is_only_legal_form(n)),
                           default=0)
                if best >= 0.5:
                    add([i], round(0.7 * best, 2), "shared words")
            # spelling variants and typos ("Skype Comunications"), by rapidfuzz over all forms
            from rapidfuzz import fuzz, process

            forms = list(self.by_core)
            for form, ratio, _ in process.extract(core(text), forms, scorer=fuzz.ratio,
                                                  score_cutoff=SIMILAR_SPELLING, limit=limit):
                add(self.by_core[form], round(0.7 * ratio / 100, 2), "similar spelling")
        return sorted(found.values(), key=lambda c: (-c.score, c.entity.id))[:limit]

    def resolve(self, name: str, type_name: str | None = None) -> tuple[Entity | None, list[Candidate]]:
        """The one entity name certainly stands for (score 1), else None and the proposals."""
        found = self.candidates(name, type_name)
        certain = [c for c in found if c.score >= 1.0]
        if len({c.entity.id for c in certain}) == 1:
            return certain[0].entity, found
        return None, found

    def duplicates(self, threshold: float = 0.8) -> list[tuple[Entity, Candidate]]:
        """Pairs of distinct records that look like the same thing (same type), to review."""
        pairs = []
        for e in self.entities.values():
            if e.same_as or not e.types & {"Agent", "Service"}:
                continue
            for text in [*e.names, *e.aliases]:
                for c in self.candidates(text, limit=10):
                    other = c.entity
                    if other.id > e.id and c.score >= threshold and other.types == e.types:
                        pairs.append((e, c))
        unique = {(a.id, c.entity.id): (a, c) for a, c in sorted(pairs, key=lambda p: p[1].score)}
        return sorted(unique.values(), key=lambda p: (-p[1].score, p[0].id))


def _list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _texts(value) -> list[str]:
    """A text field's strings, English first: 'X' or {en: X, fr: Y}."""
    if value is None:
        return []
    if isinstance(value, dict):
        items = sorted((k, v) for k, v in value.items() if not str(k).startswith("__"))
        return [str(v) for k, v in sorted(items, key=lambda kv: kv[0] != "en")]
    return [str(value)]


def record_id(uri: str) -> str:
    """The record id of a techreg IRI."""
    return str(uri).removeprefix(str(ID))


def _values(props: dict, base: str) -> list[str]:
    result = []
    for key in sorted(props, key=lambda k: (k not in (base, f"{base}@en"), k)):
        if key == base or key.startswith(base + "@"):
            value = props[key]
            result.extend(value if isinstance(value, list) else [value])
    return [str(v) for v in result]


def _english_first(graph, subject):
    langs = {str(o): o.language for _, _, o, _ in graph.quads((subject, RDFS.label, None, None))}
    return lambda text: (langs.get(text) not in (None, "en"), text)


# --- accepted decisions -------------------------------------------------------------------

def accept(name: str, target: str, index: EntityIndex, *, path: Path = SAME_AS_FILE,
           record_id: str | None = None, source: str | None = None, score: str = "") -> dict:
    """Record that `name` (as found in a document or table) stands for record `target`.

    Appends `{id, type: Entity, name, sameAs: target}` to the same-as file; the next
    resolution of that name is exact. Returns the record.
    """
    if target not in index.entities:
        raise TechregError(f"'{target}' is not the id of a known entity")
    if name in index.entities:
        raise TechregError(f"'{name}' is already a record: two records for one thing are merged "
                           "by hand (keep one, make the other's names its aliases)")
    rid = record_id or f"{slug(name)}-same-as"
    if rid in index.entities:
        raise TechregError(f"a record '{rid}' exists already; give another --id")
    record = {"id": rid, "type": "Entity", "name": name, "sameAs": target}
    if source:
        record["sources"] = [source]
    record["note"] = f"accepted as the same as {target}" + (f" (proposed with score {score})"
                                                             if score else "")
    _append_records(path, [record], header="# Accepted same-as decisions (techreg resolve "
                                           "accept). Remove a record to undo it.\n")
    return record


def undo(record_id: str, path: Path = SAME_AS_FILE) -> None:
    """Remove one accepted decision from the same-as file."""
    import yaml

    if not path.exists():
        raise TechregError(f"{path}: no accepted decisions")
    text = path.read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=- )", text)
    kept = [b for b in blocks if not re.match(rf"- id: {re.escape(record_id)}\s*$", b.splitlines()[0]
                                              if b.startswith("- ") else "")]
    if len(kept) == len(blocks):
        raise TechregError(f"{path}: no decision with id '{record_id}'")
    rest = "".join(kept)
    if not yaml.safe_load(rest):
        path.unlink()
    else:
        path.write_text(rest, encoding="utf-8")


def dump_records(records: list[dict]) -> str:
    import yaml

    parts = []
    for record in records:
        parts.append(yaml.dump([record], Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False,
                               width=100, default_flow_style=False))
    return "\n".join(parts)


def _append_records(path: Path, records: list[dict], header: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8") if path.exists() else header
    if existing and not existing.endswith("\n"):
        existing += "\n"
    path.write_text(existing + ("\n" if path.exists() else "") + dump_records(records),
                    encoding="utf-8")
