"""The organisation page: what it publishes (datasets), defines (begrippenkaders), offers (APIs)
and which APIs it uses. Lists are bounded; totals come from the search index."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.errors import NotFound
from catalogue.namespaces import CAT, DCT, FOAF, PREFIXES, SKOS
from catalogue.search import SearchIndex
from catalogue.services.datasets import (
    Contact,
    Link,
    contacts,
    inbound_links,
    iris,
    links,
    properties,
    text,
)
from catalogue.services.labels import fallback_label
from catalogue.services.resources import Inbound
from catalogue.store.base import Store

ORG = PREFIXES["org"]
LIMIT = 100


@dataclass(frozen=True)
class Listing:
    total: int
    items: tuple[Link, ...]


@dataclass(frozen=True)
class OrganisationPage:
    iri: str
    name: str
    description: str | None
    homepages: tuple[str, ...]
    identifiers: tuple[str, ...]
    contacts: tuple[Contact, ...]
    datasets: Listing
    apis: Listing
    schemes: Listing
    uses: tuple[Link, ...]
    parents: tuple[Link, ...]
    inbound: tuple[Inbound, ...] = ()
    inbound_truncated: bool = False


def organisation_page(
    store: Store, index: SearchIndex, iri: str, *, lang: str
) -> OrganisationPage:
    values = properties(store, iri)
    if not values:
        raise NotFound(f"no organisation <{iri}> in the catalogue", subject=iri)
    name = (text(values, FOAF + "name", lang) or text(values, SKOS + "prefLabel", lang)
            or text(values, PREFIXES["rdfs"] + "label", lang) or fallback_label(iri))
    uses = [row["a"].value for row in store.select(
        f"SELECT DISTINCT ?a WHERE {{ ?iri <{CAT}usesService> ?a }} LIMIT {LIMIT}", {"iri": iri})]
    return OrganisationPage(
        iri=iri,
        name=name,
        description=text(values, DCT + "description", lang),
        homepages=tuple(iris(values, FOAF + "homepage")),
        identifiers=tuple(sorted({v.value for p in (DCT + "identifier", ORG + "identifier")
                                  for v in values.get(p, [])})),
        contacts=contacts(store, iri, lang),
        datasets=_published(store, index, iri, "dataset", lang),
        apis=_published(store, index, iri, "api", lang),
        schemes=_published(store, index, iri, "scheme", lang),
        uses=links(store, uses, lang),
        parents=links(store, iris(values, ORG + "subOrganizationOf"), lang),
        **inbound_links(store, iri, lang),
    )


def _published(store: Store, index: SearchIndex, iri: str, kind: str, lang: str) -> Listing:
    found = index.search("", kinds=(kind,), filters={"publisher": [iri]}, lang=lang,
                         limit=LIMIT, sort="title")
    return Listing(found.total, tuple(Link(hit.uri, hit.label) for hit in found.hits))

