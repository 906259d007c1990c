"""Tables (CSV from trackers and spreadsheets) -> records of the curated format, through a
small declarative mapping checked against the ontology.

A mapping (see mappings/ and docs/ingest.md) lists record templates; each row of the table
gives one record per template:

    records:
      - type: Fine                        # a class of the ontology
        id: "gdpr-fine-{ETid}"           # {Column} placeholders; ids are slugified
        fields:
          penaltyCurrency: EUR            # a constant
          dispute: "gdpr-{ETid}"          # a template (references are record ids)
          decided: {column: Date of Decision, date_format: "%Y-%m-%d"}
          authority: {column: Authority, find: [id, wikidata, name]}
          parties: {column: Controller/Processor, find: [name], role: defendant}

How a column's text becomes a value follows the property's range in the ontology (date,
number, concept code, reference, text). References with `find` are looked up among known
entities (by record id, Wikidata QID, name or alias; a name that only resembles one is a
proposal, never a silent match). The records are validated (ontology and SHACL) together
with data/; rows that fail are reported by their row number with every problem they have,
and nothing is written unless `skip_invalid` is set: then the valid rows are written and the
rejected ones go to `<output>.rejects.csv` with their reasons.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import RDF, XSD, URIRef

from ontology import ID, local_name, model
from ontology.errors import TechregError

from .ingest import parse_number
from .resolve import Candidate, EntityIndex, dump_records, slug

SUGGESTIONS_DIR = Path("suggestions")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_SPEC_KEYS = {"column", "date_format", "find", "role", "split", "map", "optional"}


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str


@dataclass
class TableResult:
    records: list[dict]
    problems: list[RowProblem]
    proposals: dict[str, list[Candidate]] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)
    rows_used: int = 0
    written: Path | None = None
    rejects: Path | None = None  # the rejected rows with their reasons (skip_invalid)


# --- the mapping ----------------------------------------------------------------------------

def read_mapping(path: Path) -> dict:
    """Read a mapping and check it against the ontology; problems are one TechregError."""
    path = Path(path)
    if not path.is_file():
        raise TechregError(f"{path}: no such mapping file")
    try:
        mapping = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise TechregError(f"{path}: not a YAML mapping ({' '.join(str(e).split())[:120]})") from None
    if not isinstance(mapping, dict) or not isinstance(mapping.get("records"), list) \
            or not mapping["records"]:
        raise TechregError(f"{path}: a mapping has 'records', a list of record templates")
    m = model()
    for n, template in enumerate(mapping["records"]):
        where = f"{path}: records[{n}]"
        if not isinstance(template, dict) or not template.get("type") or not template.get("id"):
            raise TechregError(f"{where}: each template has a 'type', an 'id' and 'fields'")
        cls = m.classes.get(str(template["type"]))
        if cls is None:
            raise TechregError(f"{where}: unknown type {template['type']!r}")
        for key, spec in (template.get("fields") or {}).items():
            prop = m.properties.get(key)
            if prop is None:
                raise TechregError(f"{where}.fields.{key}: not a field of the ontology "
                                   "(docs/ontology.md)")
            if not m.allows(prop, cls.iri):
                raise TechregError(f"{where}.fields.{key}: does not apply to a {template['type']}")
            if isinstance(spec, dict):
                unknown = set(spec) - _SPEC_KEYS
                if unknown or "column" not in spec:
                    raise TechregError(f"{where}.fields.{key}: a column spec has 'column' and "
                                       f"optionally {', '.join(sorted(_SPEC_KEYS - {'column'}))}")
                if spec.get("date_format") and not m.is_date(prop):
                    raise TechregError(f"{where}.fields.{key}: date_format on a field that is "
                                       "not a date")
                if spec.get("find") and not (prop.is_object and prop.scheme is None):
                    raise TechregError(f"{where}.fields.{key}: 'find' is for references")
                bad = set(spec.get("find") or []) - {"id", "wikidata", "name"}
                if bad:
                    raise TechregError(f"{where}.fields.{key}: find by id, wikidata or name, "
                                       f"not {', '.join(sorted(bad))}")
    return mapping


def columns_used(mapping: dict) -> set[str]:
    used = set()
    for template in mapping["records"]:
        used.update(_PLACEHOLDER.findall(str(template["id"])))
        for spec in (template.get("fields") or {}).values():
            if isinstance(spec, dict):
                used.add(spec["column"])
            else:
                for item in spec if isinstance(spec, list) else [spec]:
                    used.update(_PLACEHOLDER.findall(str(item)))
    return used - {"today"}


# --- reading the table --------------------------------------------------------------------

def read_table(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and (row number, row) pairs; row numbers count lines as a spreadsheet does."""
    path = Path(path)
    if not path.is_file():
        raise TechregError(f"{path}: no such file")
    data = path.read_bytes()
    if not data.strip():
        raise TechregError(f"{path}: the table is empty")
    if b"\x00" in data[:4096]:
        raise TechregError(f"{path}: not a text table (it contains binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise TechregError(f"{path}: not UTF-8 text (byte {e.start}); save the table as UTF-8 "
                           "CSV") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text.splitlines(keepends=True), dialect)
    rows = []
    header: list[str] = []
    for values in reader:
        if not header:
            header = [h.strip() for h in values]
            continue
        if not any(v.strip() for v in values):
            continue
        rows.append((reader.line_num, {h: (values[i].strip() if i < len(values) else "")
                                       for i, h in enumerate(header)}))
    if not header:
        raise TechregError(f"{path}: the table has no header row")
    return header, rows


# --- rows -> records ------------------------------------------------------------------------

class _RowError(Exception):
    pass


class _Builder:
    def __init__(self, mapping: dict, index: EntityIndex, today: str):
        self.mapping = mapping
        self.index = index
        self.today = today
        self.model = model()
        self.proposals: dict[str, list[Candidate]] = {}

    def render(self, template: str, row: dict) -> str:
        def value(m):
            name = m.group(1)
            if name == "today":
                return self.today
            return row.get(name, "")

        return _PLACEHOLDER.sub(value, str(template))

    def row_records(self, row: dict) -> list[dict]:
        """The row's records; every column the mapping reads is checked, and all the row's
        problems are raised together."""
        records, problems = [], []
        sources = [slug(self.render(t["id"], row)) for t in self.mapping["records"]
                   if t["type"] == "Source"]
        for template in self.mapping["records"]:
            rid = slug(self.render(template["id"], row))
            record = {"id": rid, "type": template["type"]}
            for key, spec in (template.get("fields") or {}).items():
                try:
                    value = self.field(key, spec, row)
                except _RowError as e:
                    if str(e) not in problems:
                        problems.append(str(e))
                    continue
                if value not in (None, "", []):
                    record[key] = value
            if template["type"] != "Source" and sources and "sources" not in record:
                record["sources"] = sources
            records.append(record)
        if problems:
            raise _RowError(*problems)
        return records

    def field(self, key: str, spec, row: dict):
        prop = self.model.properties[key]
        if isinstance(spec, dict):
            raw = row.get(spec["column"], "")
            if not raw:
                if spec.get("optional"):
                    return None
                raise _RowError(f"column '{spec['column']}' is empty")
            parts = [p.strip() for p in raw.split(spec["split"])] if spec.get("split") else [raw]
            values = [self.convert(prop, spec, p) for p in parts if p]
            if prop.inline:
                values = [{"party": v, "role": spec.get("role", "defendant")} for v in values]
            return values if (len(values) > 1 or spec.get("split") or prop.inline) else values[0]
        if isinstance(spec, list):
            return [self.constant(prop, s, row) for s in spec]
        return self.constant(prop, spec, row)

    def constant(self, prop, spec, row):
        if not isinstance(spec, str) or not _PLACEHOLDER.search(spec):
            return spec
        text = self.render(spec, row)
        if prop.is_object and prop.scheme is None and not prop.iri_template:
            return slug(text)
        if prop.range == XSD.anyURI and not re.fullmatch(r"https?://\S+", text):
            raise _RowError(f"'{text}' is not an http(s) URL ({prop.key})")
        return text

    def convert(self, prop, spec: dict, text: str):
        if spec.get("map"):
            text = str(spec["map"].get(text, text))
        if self.model.is_date(prop):
            return _date(text, spec.get("date_format"))
        if prop.range is not None and local_name(prop.range) == "decimal":
            number = parse_number(re.sub(r"[^\d.,\s]", "", text))
            if number is None:
                raise _RowError(f"'{text}' is not a number ({prop.key})")
            return int(number) if number == number.to_integral() else float(number)
        if prop.is_object and prop.scheme is None and not prop.iri_template:
            return self.find(prop, spec, text)
        if prop.range == XSD.anyURI and not re.fullmatch(r"https?://\S+", text):
            raise _RowError(f"'{text}' is not an http(s) URL ({prop.key})")
        return text

    def find(self, prop, spec: dict, text: str) -> str:
        rng = prop.range
        if prop.inline:  # the reference sits in the nested record's 'party'
            rng = self.model.properties["party"].range
        type_name = local_name(rng) if rng is not None and self.model.is_own(rng) else None
        how = spec.get("find") or ["id"]
        if "id" in how and text in self.index.entities:
            e = self.index.canonical(self.index.entities[text])
            if e.is_a(type_name):
                return e.id
        if "wikidata" in how and re.fullmatch(r"Q[1-9]\d*", text) and text in self.index.by_qid:
            return self.index.canonical(self.index.by_qid[text]).id
        if "name" in how:
            entity, candidates = self.index.resolve(text, type_name)
            if entity is not None:
                return entity.id
            if candidates:
                self.proposals[text] = candidates
                raise _RowError(f"'{text}' is not a known {type_name or 'entity'}; it may be "
                                + ", ".join(map(str, candidates[:3])))
        if not ("id" in how and len(how) == 1):
            raise _RowError(f"no {type_name or 'entity'} '{text}' is known ({prop.key})")
        return slug(text)


def _date(text: str, fmt: str | None) -> str:
    if not fmt:
        if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
            return text
        raise _RowError(f"'{text}' is not a date YYYY, YYYY-MM or YYYY-MM-DD (give a date_format)")
    try:
        value = dt.datetime.strptime(text, fmt).date()
    except ValueError:
        raise _RowError(f"'{text}' does not match the date format {fmt}") from None
    if "%d" in fmt:
        return value.isoformat()
    if "%m" in fmt or "%b" in fmt or "%B" in fmt:
        return value.isoformat()[:7]
    return value.isoformat()[:4]


# --- validation and the whole flow ----------------------------------------------------------

def validate_records(records_by_row: dict[int, list[dict]], data_records: list) -> list[RowProblem]:
    """Validate generated records against data/ (references, ontology, SHACL).

    The data records are only registered (their ids and types), not compiled again, so this
    stays quick on a large data/; SHACL checks the generated records' own statements.
    """
    from .records import Compiler, read_records, vocabulary_graph
    from .validate import validate_dataset

    owner = {}
    records = []
    for row, row_records in records_by_row.items():
        for record in row_records:
            if record["id"] not in owner:
                owner[record["id"]] = row
                records.append(record)
    if not records:
        return []
    m = model()
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "ingested-table.yaml"
        generated.write_text(dump_records(records), encoding="utf-8")
        compiler = Compiler()
        for record in data_records:
            compiler._register(record)
        dataset = compiler.compile({str(generated): read_records(generated)})
        problems = list(compiler.problems)
        if not problems:
            context = dataset.graph(URIRef("urn:techreg:table-context"))
            referenced = {o for _, _, o, _ in dataset.quads((None, None, None, None))}
            for record in data_records:
                cls = m.classes.get(str(record.fields.get("type")))
                if cls is not None and ID[record.id] in referenced:
                    context.add((ID[record.id], RDF.type, cls.iri))
            for triple in vocabulary_graph():
                context.add(triple)
            # the context's subjects are targets too; their problems belong to data/
            problems = [p for p in validate_dataset(dataset, compiler) if p.record in owner]
    result = []
    for p in problems:
        row = owner.get(p.record, 0)
        result.append(RowProblem(row, f"{p.record}: {p.message}" if p.record else p.message))
    return result


def ingest_table(path: Path, mapping_path: Path, *, output: Path | None = None,
                 skip_invalid: bool = False, data: list[Path] | None = None,
                 today: str | None = None) -> TableResult:
    """Rows -> records; written to output only if every row is valid (or skip_invalid)."""
    mapping = read_mapping(mapping_path)
    header, rows = read_table(path)
    missing = sorted(columns_used(mapping) - set(header))
    if missing:
        raise TechregError(f"{path}: the table has no column {', '.join(map(repr, missing))} "
                           f"that {mapping_path} uses (columns: {', '.join(header)})")
    from .records import data_files, read_records

    data_records = [r for f in data_files(data) for r in read_records(f)]
    index = EntityIndex.from_record_list(data_records)
    builder = _Builder(mapping, index, today or dt.date.today().isoformat())
    by_row: dict[int, list[dict]] = {}
    problems: list[RowProblem] = []
    for number, row in rows:
        try:
            by_row[number] = builder.row_records(row)
        except _RowError as e:
            problems += [RowProblem(number, message) for message in e.args]
    problems += validate_records(by_row, data_records)
    result = TableResult([], sorted(problems, key=lambda p: p.row), builder.proposals)
    bad = {p.row for p in problems}
    if bad and not skip_invalid:
        return result
    for _ in range(3):  # dropping rows may break references from other rows
        by_row = {n: r for n, r in by_row.items() if n not in bad}
        again = validate_records(by_row, data_records)
        if not again:
            break
        result.problems += again
        bad |= {p.row for p in again}
    else:
        raise TechregError(f"{path}: rows keep failing after skipping the invalid ones")
    seen, records = set(), []
    for number in sorted(by_row):
        for record in by_row[number]:
            if record["id"] not in seen:
                seen.add(record["id"])
                records.append(record)
    result.records = records
    result.skipped = sorted(bad)
    result.rows_used = len(by_row)
    output = Path(output or SUGGESTIONS_DIR / f"{Path(path).stem}.yaml")
    if bad:
        result.rejects = write_rejects(output.with_suffix(".rejects.csv"), header, rows,
                                       result.problems)
    if not records:
        return result
    output.parent.mkdir(parents=True, exist_ok=True)
    header_text = (f"# Records from {Path(path).name} via {Path(mapping_path).name} "
                   "(techreg ingest-table). Review them before moving them into data/.\n")
    output.write_text(header_text + dump_records(records), encoding="utf-8")
    result.written = output
    return result


def write_rejects(path: Path, header: list[str], rows: list[tuple[int, dict]],
                  problems: list[RowProblem]) -> Path:
    """The rejected rows as they were, with their row number and the reasons, as CSV."""
    reasons: dict[int, list[str]] = {}
    for p in problems:
        reasons.setdefault(p.row, []).append(p.message)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["row", "reason", *header])
        for number, row in rows:
            if number in reasons:
                writer.writerow([number, "; ".join(reasons[number]), *(row[h] for h in header)])
    return path


__all__ = ["ingest_table", "read_mapping", "read_table", "validate_records", "TableResult",
           "RowProblem"]
