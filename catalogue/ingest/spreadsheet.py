"""NL-SBB spreadsheets (CSV and XLSX, one row per begrip) in, SKOS triples out; and one
begrippenkader back out as the same CSV.

The first row names the columns; names are matched without case, accents, spaces or
underscores, in Dutch or English. Several values in one cell are separated by `|`.

| column (nl / en)                 | becomes                   | notes                           |
|----------------------------------|---------------------------|---------------------------------|
| uri                              | the begrip's IRI          | else minted from kader + label  |
| voorkeursterm / prefLabel        | skos:prefLabel            | required                        |
| alternatieve term / altLabel     | skos:altLabel             | `|`-separated                   |
| zoekterm / hiddenLabel           | skos:hiddenLabel          | `|`-separated                   |
| code / notation                  | skos:notation             |                                 |
| definitie / definition           | skos:definition           |                                 |
| uitleg / comment                 | rdfs:comment              | plain-language explanation      |
| toelichting / scopeNote          | skos:scopeNote            |                                 |
| voorbeeld / example              | skos:example              |                                 |
| bron / source                    | dct:source                | an http(s) URL becomes a link   |
| bovenliggend / broader           | skos:broader (+ narrower) | URI or voorkeursterm of a row   |
| gerelateerd / related            | skos:related (both ways)  | URI or voorkeursterm of a row   |
| exacte, nauwe, brede, specifiekere, gerelateerde match / exactMatch ... | skos:...Match | URIs |
| status                           | adms:status               | URI, or text                    |
| taal / language                  | language of the texts     | default `nl`                    |
| begrippenkader / conceptScheme   | skos:inScheme             | URI; default: one per file      |
| begrippenkader naam / schemeTitle| dct:title of the kader    |                                 |

Rows without a broader begrip become top concepts. A begrip's texts in another language go
on a row of their own: its `uri` again, another `taal`, and the texts (voorkeursterm,
alternatieve term, definitie, ...) in that language; what is not text (bovenliggend,
gerelateerd, matches, code, status, kader) counts from its first row only. Errors name the row
and column, and nothing is written: the whole file parses before the first triple is kept.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from catalogue.errors import SourceSyntaxError
from catalogue.ingest.rdf import ParsedSource
from catalogue.iris import iri_problem
from catalogue.namespaces import DCT, PREFIXES, RDF_TYPE, RDFS, SKOS
from catalogue.services.labels import language_rank
from catalogue.store.base import Store
from catalogue.store.terms import Literal, NamedNode, Triple

ADMS = PREFIXES["adms"]
EXTENSIONS = (".csv", ".xlsx")

# normalised column name -> field
COLUMNS: dict[str, str] = {}
for _field, _names in {
    "uri": ("uri", "iri", "id"),
    "prefLabel": ("voorkeursterm", "preflabel", "term", "label", "begrip", "naam"),
    "altLabel": ("alternatieveterm", "altlabel", "synoniem", "synoniemen"),
    "hiddenLabel": ("zoekterm", "hiddenlabel", "zoektermen"),
    "notation": ("code", "notation", "notatie"),
    "definition": ("definitie", "definition"),
    "comment": ("uitleg", "comment", "rdfscomment"),
    "scopeNote": ("toelichting", "scopenote"),
    "example": ("voorbeeld", "example"),
    "source": ("bron", "source"),
    "broader": ("bovenliggend", "broader", "bovenliggendbegrip", "breder"),
    "related": ("gerelateerd", "related", "verwant"),
    "exactMatch": ("exactematch", "exactmatch"),
    "closeMatch": ("nauwematch", "closematch"),
    "broadMatch": ("bredematch", "broadmatch"),
    "narrowMatch": ("specifiekerematch", "narrowmatch", "smallerematch"),
    "relatedMatch": ("gerelateerdematch", "relatedmatch"),
    "status": ("status",),
    "language": ("taal", "language", "lang"),
    "scheme": ("begrippenkader", "conceptscheme", "scheme"),
    "schemeTitle": ("begrippenkadernaam", "schemetitle", "begrippenkadertitel"),
}.items():
    for _name in _names:
        COLUMNS[_name] = _field

LITERALS = {"altLabel": SKOS + "altLabel", "hiddenLabel": SKOS + "hiddenLabel",
            "definition": SKOS + "definition", "comment": RDFS + "comment",
            "scopeNote": SKOS + "scopeNote", "example": SKOS + "example"}
MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


def is_spreadsheet(name: str) -> bool:
    return Path(name).suffix.lower() in EXTENSIONS


def _normalise(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _normalise(text.replace(" ", "-")) or "x").strip("-")


def read_rows(data: bytes, name: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV (UTF-8, `,` or `;`) or the first sheet of an XLSX file."""
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceSyntaxError(name, None, None, f"not UTF-8 text (byte {exc.start})") from None
    first = text.split("\n", 1)[0]
    dialect = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    try:
        rows = list(reader)
    except csv.Error as exc:  # a cell past the csv module's 128 KiB, a stray NUL
        raise SourceSyntaxError(name, reader.line_num, None, f"row {reader.line_num}: {exc}"
                                ) from None
    if not rows:
        raise SourceSyntaxError(name, None, None, "empty spreadsheet: no header row")
    return rows[0], rows[1:]


def _xlsx_rows(data: bytes, name: str) -> tuple[list[str], list[list[str]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SourceSyntaxError(name, None, None, f"not a readable XLSX workbook ({exc})") from None
    sheet = book.worksheets[0]
    rows = [["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        raise SourceSyntaxError(name, None, None, "empty spreadsheet: no header row")
    return rows[0], rows[1:]


def parse_spreadsheet(data: bytes, *, name: str, uri: str, graph: str, base: str) -> ParsedSource:
    """One NL-SBB spreadsheet as a ParsedSource with one graph. Raises SourceSyntaxError naming
    the row (1 is the header) and the column."""
    header, rows = read_rows(data, name)
    fields: list[str | None] = []
    for position, column in enumerate(header, start=1):
        if not column.strip():
            fields.append(None)
            continue
        field = COLUMNS.get(_normalise(column))
        if field is None:
            raise SourceSyntaxError(
                name, 1, position, f"unknown column {column!r}; known columns: "
                + ", ".join(sorted({n for n in COLUMNS.values()})))
        fields.append(field)
    if "prefLabel" not in fields:
        raise SourceSyntaxError(name, 1, None, "no column 'voorkeursterm' (prefLabel)")
    records = [(number, _record(fields, row)) for number, row in
               enumerate(rows, start=2) if any(cell.strip() for cell in row)]
    parsed = ParsedSource(name=name, uri=uri, content_hash=hashlib.sha256(data).hexdigest())
    parsed.graphs = {graph: list(_triples(records, header, fields, name=name, base=base))}
    return parsed


def _record(fields: Sequence[str | None], row: Sequence[str]) -> dict[str, str]:
    record: dict[str, str] = {}
    for field, cell in zip(fields, row, strict=False):
        if field and cell.strip():
            record[field] = cell.strip()
    return record


def _triples(records: list[tuple[int, dict[str, str]]], header: list[str],
             fields: list[str | None], *, name: str, base: str) -> Iterator[Triple]:
    def fail(row: int, field: str, message: str) -> SourceSyntaxError:
        column = fields.index(field) + 1
        return SourceSyntaxError(name, row, column,
                                 f"row {row}, column {header[column - 1]!r}: {message}")

    def iri(row: int, field: str, value: str) -> NamedNode:
        problem = iri_problem(value)
        if problem is not None:
            raise fail(row, field, f"{value!r} is not an IRI: {problem}")
        return NamedNode(value)

    stem = _slug(Path(name).stem)
    default_scheme = f"{base}/id/begrippenkader/{stem}"
    by_label: dict[str, str] = {}
    subjects: list[tuple[int, dict[str, str], NamedNode]] = []
    seen: dict[str, int] = {}
    languages: dict[tuple[str, str], int] = {}  # (begrip, language) -> its row
    for row, record in records:
        label = record.get("prefLabel")
        if not label and not ("uri" in record and record["uri"] in seen):
            raise fail(row, "prefLabel", "a begrip needs a voorkeursterm")
        scheme = record.get("scheme", default_scheme)
        subject = iri(row, "uri", record["uri"]) if "uri" in record else NamedNode(
            f"{scheme.rstrip('/#')}/{_slug(label or '')}" if "scheme" in record
            else f"{base}/id/begrip/{stem}/{_slug(label or '')}")
        language = record.get("language", "nl")
        if (subject.value, language) in languages:
            raise fail(row, "uri" if "uri" in record else "prefLabel",
                       f"begrip <{subject.value}> is already on row "
                       f"{languages[subject.value, language]}"
                       + (f" in language {language!r}" if subject.value in seen else ""))
        languages[subject.value, language] = row
        seen.setdefault(subject.value, row)
        if label:
            by_label.setdefault(_normalise(label), subject.value)
        subjects.append((row, record, subject))

    def target(row: int, field: str, value: str) -> NamedNode:
        if "://" in value or value.startswith("urn:"):
            return iri(row, field, value)
        found = by_label.get(_normalise(value))
        if found is None:
            raise fail(row, field, f"no begrip with voorkeursterm or URI {value!r} in this file")
        return NamedNode(found)

    schemes: dict[str, str] = {}
    for row, record, subject in subjects:
        language = record.get("language", "nl")
        if not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*", language):
            raise fail(row, "language", f"{language!r} is not a language tag")
        if "prefLabel" in record:
            yield Triple(subject, NamedNode(SKOS + "prefLabel"),
                         Literal(record["prefLabel"], language=language))
        for field, predicate in LITERALS.items():
            for value in _values(record.get(field, ""), field):
                yield Triple(subject, NamedNode(predicate), Literal(value, language=language))
        for value in _values(record.get("source", ""), "source"):
            if not value.startswith(("http://", "https://")):
                yield Triple(subject, NamedNode(DCT + "source"), Literal(value, language=language))
        if seen[subject.value] != row:
            continue  # another language's texts: the begrip itself is on its first row
        kader = iri(row, "scheme", record["scheme"]) if "scheme" in record else NamedNode(
            default_scheme)
        if kader.value not in schemes or "schemeTitle" in record:
            schemes[kader.value] = record.get("schemeTitle", schemes.get(kader.value, stem))
        yield Triple(subject, NamedNode(RDF_TYPE), NamedNode(SKOS + "Concept"))
        yield Triple(subject, NamedNode(SKOS + "inScheme"), kader)
        if "notation" in record:
            yield Triple(subject, NamedNode(SKOS + "notation"), Literal(record["notation"]))
        for value in _values(record.get("source", ""), "source"):
            if value.startswith(("http://", "https://")):
                yield Triple(subject, NamedNode(DCT + "source"), iri(row, "source", value))
        if "status" in record:
            value = record["status"]
            obj = iri(row, "status", value) if "://" in value else Literal(value)
            yield Triple(subject, NamedNode(ADMS + "status"), obj)
        parents = [target(row, "broader", v) for v in _values(record.get("broader", ""), "")]
        for parent in parents:
            yield Triple(subject, NamedNode(SKOS + "broader"), parent)
            yield Triple(parent, NamedNode(SKOS + "narrower"), subject)
        if not parents:
            yield Triple(subject, NamedNode(SKOS + "topConceptOf"), kader)
            yield Triple(kader, NamedNode(SKOS + "hasTopConcept"), subject)
        for value in _values(record.get("related", ""), ""):
            other = target(row, "related", value)
            yield Triple(subject, NamedNode(SKOS + "related"), other)
            yield Triple(other, NamedNode(SKOS + "related"), subject)
        for field in MATCHES:
            for value in _values(record.get(field, ""), ""):
                yield Triple(subject, NamedNode(SKOS + field), iri(row, field, value))
    for scheme_iri, title in schemes.items():
        yield Triple(NamedNode(scheme_iri), NamedNode(RDF_TYPE), NamedNode(SKOS + "ConceptScheme"))
        yield Triple(NamedNode(scheme_iri), NamedNode(DCT + "title"), Literal(title, language="nl"))


def _values(cell: str, field: str) -> list[str]:
    """The values in one cell: `|`-separated (long texts keep their own line breaks)."""
    if not cell:
        return []
    if field in ("definition", "comment", "scopeNote", "example"):
        return [cell]
    return [part.strip() for part in cell.split("|") if part.strip()]


# -- export ---------------------------------------------------------------------------------

EXPORT_COLUMNS = ("uri", "voorkeursterm", "alternatieve term", "zoekterm", "code", "definitie",
                  "uitleg", "toelichting", "voorbeeld", "bron", "bovenliggend", "gerelateerd",
                  "exacte match", "nauwe match", "status", "taal", "begrippenkader")
_EXPORT_PROPS = {
    "voorkeursterm": SKOS + "prefLabel", "alternatieve term": SKOS + "altLabel",
    "zoekterm": SKOS + "hiddenLabel", "code": SKOS + "notation", "definitie": SKOS + "definition",
    "uitleg": RDFS + "comment", "toelichting": SKOS + "scopeNote", "voorbeeld": SKOS + "example",
    "bron": DCT + "source", "bovenliggend": SKOS + "broader", "gerelateerd": SKOS + "related",
    "exacte match": SKOS + "exactMatch", "nauwe match": SKOS + "closeMatch",
    "status": ADMS + "status",
}


def concepts_csv(store: Store, scheme: str) -> str:
    """A begrippenkader in the spreadsheet layout above, one row per begrip and language of
    its texts (Dutch first, then by language): the first row holds the begrip's relations and
    codes, the others its texts in their language. It loads back with `catalogue load`."""
    props = ", ".join(f"<{p}>" for p in _EXPORT_PROPS.values())
    rows = store.select(
        f"SELECT ?c ?p ?o WHERE {{ ?c <{SKOS}inScheme> <{scheme}> . ?c ?p ?o "
        f"FILTER(?p IN ({props})) }}"
    )
    texts: dict[str, dict[str, dict[str, list[str]]]] = {}  # begrip -> language -> property
    other: dict[str, dict[str, list[str]]] = {}  # begrip -> property -> IRIs, codes, untagged
    for row in rows:
        obj, prop, concept = row["o"], row["p"].value, row["c"].value
        texts.setdefault(concept, {})
        if isinstance(obj, Literal) and obj.language and prop != SKOS + "notation":
            texts[concept].setdefault(obj.language, {}).setdefault(prop, []).append(obj.value)
        else:
            other.setdefault(concept, {}).setdefault(prop, []).append(obj.value)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for concept in sorted(texts):
        by_language = texts[concept]
        # the first row's language has a voorkeursterm, so that the begrip loads back
        languages = sorted(by_language, key=lambda tag: (
            SKOS + "prefLabel" not in by_language[tag], language_rank(tag, "nl"), tag)) or ["nl"]
        for position, language in enumerate(languages):
            values = dict(by_language.get(language, {}))
            if position == 0:
                for prop, found in other.get(concept, {}).items():
                    values[prop] = [*values.get(prop, []), *found]
            line = [concept]
            for column in EXPORT_COLUMNS[1:-2]:
                found = sorted(set(values.get(_EXPORT_PROPS[column], [])))
                line.append((found[0] if found else "") if column == "voorkeursterm"
                            else " | ".join(found))
            line += [language, scheme]
            writer.writerow(line)
    return out.getvalue()
