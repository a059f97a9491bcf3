"""What the home page shows: how much the registry holds, and its catalogues."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.namespaces import DCAT, FOAF, SKOS, sparql_prefixes
from catalogue.services.labels import fallback_label, labels_for
from catalogue.store.base import Store

# Each count is of resources with one of these types (an organisation may be typed either way).
KINDS: dict[str, tuple[str, ...]] = {
    "definitions": (SKOS + "Concept",),
    "datasets": (DCAT + "Dataset",),
    "apis": (DCAT + "DataService",),
    "organisations": (FOAF + "Organization", "http://www.w3.org/ns/org#Organization"),
}


@dataclass(frozen=True)
class Count:
    kind: str
    number: int
    type_iri: str


@dataclass(frozen=True)
class CatalogueSummary:
    iri: str
    title: str
    datasets: int
    services: int


@dataclass(frozen=True)
class HomePage:
    counts: tuple[Count, ...]
    catalogues: tuple[CatalogueSummary, ...]


def home_page(store: Store, *, lang: str) -> HomePage:
    return HomePage(counts=counts(store), catalogues=catalogues(store, lang=lang))


def counts(store: Store) -> tuple[Count, ...]:
    result = []
    for kind, types in KINDS.items():
        values = " ".join(f"<{t}>" for t in types)
        rows = store.select(
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?t {{ {values} }} ?s a ?t }}"
        )
        result.append(Count(kind, int(rows[0]["n"].value), types[0]))
    return tuple(result)


def catalogues(store: Store, *, lang: str, limit: int = 50) -> tuple[CatalogueSummary, ...]:
    rows = store.select(
        sparql_prefixes("dcat")
        + f"""SELECT ?c (COUNT(DISTINCT ?d) AS ?datasets) (COUNT(DISTINCT ?a) AS ?services)
        WHERE {{ ?c a dcat:Catalog . OPTIONAL {{ ?c dcat:dataset ?d }}
                 OPTIONAL {{ ?c dcat:service ?a }} }}
        GROUP BY ?c LIMIT {limit}"""
    )
    labels = labels_for(store, (row["c"].value for row in rows), lang)
    summaries = [
        CatalogueSummary(
            iri=row["c"].value,
            title=labels.get(row["c"].value) or fallback_label(row["c"].value),
            datasets=int(row["datasets"].value),
            services=int(row["services"].value),
        )
        for row in rows
    ]
    return tuple(sorted(summaries, key=lambda c: c.title.casefold()))


__all__ = ["HomePage", "home_page"]
