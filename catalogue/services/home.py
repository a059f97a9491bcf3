"""What the home page shows: how much the registry holds, and its catalogues."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.namespaces import DCAT, FOAF, SKOS, sparql_prefixes
from catalogue.search import SearchIndex
from catalogue.services.labels import fallback_label, labels_for
from catalogue.store.base import Store

# What the home page counts: an index kind, and the type its link shows the instances of.
KINDS: dict[str, tuple[str, str]] = {
    "definitions": ("concept", SKOS + "Concept"),
    "datasets": ("dataset", DCAT + "Dataset"),
    "apis": ("api", DCAT + "DataService"),
    "organisations": ("organisation", FOAF + "Organization"),
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


def home_page(store: Store, index: SearchIndex, *, lang: str) -> HomePage:
    return HomePage(counts=counts(index), catalogues=catalogues(store, lang=lang))


def counts(index: SearchIndex) -> tuple[Count, ...]:
    """From the search index, which keeps them: a COUNT over the store grows with it."""
    return tuple(
        Count(name, index.count(kind), type_iri) for name, (kind, type_iri) in KINDS.items()
    )


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
