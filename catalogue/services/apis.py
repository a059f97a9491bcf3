"""The API page: endpoint, OpenAPI document, version, servers, authentication, operations, the
datasets it serves, the begrippen its fields carry, and its API Design Rules score."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.errors import NotFound
from catalogue.namespaces import CAT, DCAT, DCT, PREFIXES, RDFS
from catalogue.services.datasets import (
    Contact,
    Link,
    contacts,
    every_text,
    iris,
    links,
    properties,
    text,
    texts,
)
from catalogue.services.labels import fallback_label, labels_for
from catalogue.services.standards import ADR
from catalogue.store.base import Store
from catalogue.store.terms import truth

OWL = PREFIXES["owl"]
OPERATION_LIMIT = 500
FIELD_LIMIT = 1000


@dataclass(frozen=True)
class Operation:
    iri: str
    method: str
    path: str
    summary: str | None


@dataclass(frozen=True)
class FieldConcept:
    """A field of the API and the begrip it carries (or, when suggested, may carry)."""

    field: Link
    schema: str
    concept: Link
    suggested: bool


@dataclass(frozen=True)
class AdrFinding:
    rule: str
    passed: bool
    message: str | None


@dataclass(frozen=True)
class ApiPage:
    iri: str
    title: str
    description: str | None
    version: str | None
    endpoints: tuple[str, ...]
    servers: tuple[str, ...]
    descriptions: tuple[str, ...]  # dcat:endpointDescription: the OpenAPI document
    conforms_to: tuple[Link, ...]
    authentication: tuple[str, ...]
    publishers: tuple[Link, ...]
    contacts: tuple[Contact, ...]
    licences: tuple[Link, ...]
    themes: tuple[Link, ...]
    access_rights: tuple[Link, ...]
    keywords: tuple[str, ...]
    operations: tuple[Operation, ...]
    operations_truncated: bool
    datasets: tuple[Link, ...]
    field_concepts: tuple[FieldConcept, ...]
    field_count: int
    adr_score: int | None
    adr_findings: tuple[AdrFinding, ...]
    adr_standard: str  # the standard the score measures, for its entry in the register
    users: tuple[Link, ...]  # organisations that use the API (cat:usesService)


def api_page(store: Store, iri: str, *, lang: str) -> ApiPage:
    values = properties(store, iri)
    if not values:
        raise NotFound(f"no API <{iri}> in the catalogue", subject=iri)
    score = text(values, CAT + "adrScore", lang)
    datasets = iris(values, DCAT + "servesDataset")
    datasets += [row["d"].value for row in store.select(
        f"SELECT DISTINCT ?d WHERE {{ ?d <{DCAT}distribution>/<{DCAT}accessService> ?iri }}",
        {"iri": iri}
    )]
    users = [row["o"].value for row in store.select(
        f"SELECT DISTINCT ?o WHERE {{ ?o <{CAT}usesService> ?iri }} LIMIT 200", {"iri": iri})]
    operations = _operations(store, iri)
    return ApiPage(
        iri=iri,
        title=text(values, DCT + "title", lang) or fallback_label(iri),
        description=text(values, DCT + "description", lang),
        version=text(values, DCAT + "version", lang) or text(values, OWL + "versionInfo", lang),
        # a test server is never shown as the endpoint; the page says there is no other
        endpoints=tuple(url for url in iris(values, DCAT + "endpointURL")
                        if url not in iris(values, CAT + "testServer")),
        servers=tuple(iris(values, CAT + "server")),
        descriptions=tuple(iris(values, DCAT + "endpointDescription")),
        conforms_to=links(store, iris(values, DCT + "conformsTo"), lang),
        authentication=texts(values, CAT + "authentication", lang),
        publishers=links(store, iris(values, DCT + "publisher"), lang),
        contacts=contacts(store, iri, lang),
        licences=links(store, iris(values, DCT + "license"), lang),
        themes=links(store, iris(values, DCAT + "theme"), lang),
        access_rights=links(store, iris(values, DCT + "accessRights"), lang),
        keywords=every_text(values, DCAT + "keyword", lang),
        operations=tuple(operations[:OPERATION_LIMIT]),
        operations_truncated=len(operations) > OPERATION_LIMIT,
        datasets=links(store, datasets, lang),
        field_concepts=_field_concepts(store, iri, lang),
        field_count=len(values.get(CAT + "field", [])),
        adr_score=int(score) if score and score.isdigit() else None,
        adr_findings=_findings(store, iri),
        adr_standard=ADR,
        users=links(store, users, lang),
    )


def _operations(store: Store, iri: str) -> list[Operation]:
    rows = store.select(
        f"SELECT ?op ?method ?path ?summary WHERE {{ ?iri <{CAT}operation> ?op . "
        f"OPTIONAL {{ ?op <{CAT}method> ?method }} OPTIONAL {{ ?op <{CAT}path> ?path }} "
        f"OPTIONAL {{ ?op <{DCT}title> ?title }} OPTIONAL {{ ?op <{DCT}description> ?about }} "
        # An operation with an empty summary shows its description (many specs fill only that).
        f"BIND(COALESCE(?title, ?about) AS ?summary) }} LIMIT {OPERATION_LIMIT + 1}",
        {"iri": iri}
    )
    operations = {
        row["op"].value: Operation(
            row["op"].value,
            row["method"].value if "method" in row else "",
            row["path"].value if "path" in row else fallback_label(row["op"].value),
            row["summary"].value if "summary" in row else None,
        )
        for row in rows
    }
    order = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
    return sorted(operations.values(), key=lambda o: (
        o.path, order.index(o.method) if o.method in order else len(order)))


def _field_concepts(store: Store, iri: str, lang: str) -> tuple[FieldConcept, ...]:
    rows = store.select(
        f"SELECT ?f ?name ?schema ?p ?c WHERE {{ ?iri <{CAT}field> ?f . "
        f"?f ?p ?c FILTER(?p IN (<{CAT}concept>, <{CAT}suggestedConcept>)) "
        f"OPTIONAL {{ ?f <{RDFS}label> ?name }} OPTIONAL {{ ?f <{CAT}schema> ?schema }} }} "
        f"LIMIT {FIELD_LIMIT}", {"iri": iri}
    )
    labels = labels_for(store, {row["c"].value for row in rows}, lang)
    result = {
        (row["f"].value, row["c"].value): FieldConcept(
            field=Link(row["f"].value, row["name"].value if "name" in row
                       else fallback_label(row["f"].value)),
            schema=row["schema"].value if "schema" in row else "",
            concept=Link(row["c"].value, labels.get(row["c"].value)
                         or fallback_label(row["c"].value)),
            suggested=row["p"].value == CAT + "suggestedConcept",
        )
        for row in rows
    }
    return tuple(sorted(result.values(),
                        key=lambda f: (f.suggested, f.schema, f.field.label, f.concept.label)))


def _findings(store: Store, iri: str) -> tuple[AdrFinding, ...]:
    rows = store.select(
        f"SELECT ?rule ?passed ?message WHERE {{ ?iri <{CAT}adrFinding> ?f . "
        f"?f <{CAT}rule> ?rule ; <{CAT}passed> ?passed OPTIONAL {{ ?f <{RDFS}comment> ?message }} "
        f"}} LIMIT 50", {"iri": iri}
    )
    return tuple(sorted(
        (AdrFinding(row["rule"].value, truth(row["passed"]),
                    row["message"].value if "message" in row else None) for row in rows),
        key=lambda f: (f.passed, f.rule)))
