"""The small CSV import of connections: one row per organisation that uses a service (an API or
a dataset), read into `cat:usesService` triples. Every bad row is an error naming its line and
column, so a file is taken whole or not at all."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from catalogue.errors import Forbidden, SourceSyntaxError, clipped
from catalogue.iris import iri_problem
from catalogue.namespaces import CAT
from catalogue.store.terms import NamedNode, Triple

USES_SERVICE = NamedNode(CAT + "usesService")
# Column names, Dutch or English, compared without case and spaces.
COLUMNS = {"organisatie": "organisation", "organisation": "organisation",
           "organization": "organisation", "dienst": "service", "service": "service",
           "api": "service"}


def parse_connections(data: bytes, *, name: str,
                      owner: Callable[[str], bool] | None = None) -> list[Triple]:
    """`<organisation> cat:usesService <service>` for each row of a CSV file whose header names
    the columns `organisatie` and `dienst` (or `organisation` and `service`); other columns are
    ignored, so the /koppelingen.csv download loads back. With `owner`, a row about an
    organisation it does not accept is Forbidden, naming its line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceSyntaxError(name, None, None, f"not UTF-8 text (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise SourceSyntaxError(name, 1, None, "empty file: the first row must name the "
                                "columns 'organisatie' and 'dienst'")
    places = _columns(header, name)
    triples: list[Triple] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            organisation, service = (_iri(row, places[field], field, name, line)
                                     for field in ("organisation", "service"))
            if owner is not None and not owner(organisation.value):
                raise Forbidden(f"{name}:{line}:{places['organisation'] + 1}: <"
                                f"{organisation.value}> is not your organisation: a publisher "
                                "declares the services its own organisation uses")
            triples.append(Triple(organisation, USES_SERVICE, service))
    except csv.Error as exc:  # a cell past the csv module's 128 KiB, a stray NUL
        raise SourceSyntaxError(name, reader.line_num, None, str(exc)) from None
    return list(dict.fromkeys(triples))


def _columns(header: list[str], name: str) -> dict[str, int]:
    places: dict[str, int] = {}
    for number, cell in enumerate(header):
        field = COLUMNS.get("".join(cell.split()).lower())
        if field is not None:
            places.setdefault(field, number)
    missing = [dutch for dutch, field in (("organisatie", "organisation"), ("dienst", "service"))
               if field not in places]
    if missing:
        raise SourceSyntaxError(name, 1, None, f"no column {' or '.join(map(repr, missing))} in "
                                f"the header {header!r} (organisatie,dienst or "
                                "organisation,service)")
    return places


def _iri(row: list[str], column: int, field: str, name: str, line: int) -> NamedNode:
    value = row[column].strip() if column < len(row) else ""
    problem = "is empty" if not value else None
    if problem is None:
        found = iri_problem(value)
        problem = None if found is None else f"{clipped(value)!r} is not an IRI: {found}"
    if problem is not None:
        raise SourceSyntaxError(name, line, column + 1, f"column '{field}' {problem}")
    return NamedNode(value)
