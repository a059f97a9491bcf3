"""The DCAT-AP-NL catalogue feed for national portals: one dcat:Catalog per page of ~100
records (datasets via dcat:dataset, data services via dcat:service), Hydra paging, and
`modified_since`. Which records are on a page comes from the search index (no SPARQL sort)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from catalogue.errors import InputError, NotFound
from catalogue.namespaces import DCAT, DCT, FOAF, PREFIXES, RDF_TYPE, XSD
from catalogue.search import SearchIndex
from catalogue.store.base import Store
from catalogue.store.terms import Literal, NamedNode, Triple

HYDRA = PREFIXES["hydra"]
VCARD = PREFIXES["vcard"]
ORG = PREFIXES["org"]
PAGE_SIZE = 100
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")


def _is_date(text: str) -> bool:
    """An ISO date, or date and time, that exists (not 2024-13-45, nor T25:99)."""
    if not _DATE.match(text):
        return False
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class FeedPage:
    triples: list[Triple]
    page: int
    last: int
    total: int


def catalog_feed(
    store: Store,
    index: SearchIndex,
    *,
    base: str,
    publisher: str,
    page_url: Callable[[int], str],
    page: int = 1,
    modified_since: str | None = None,
    page_size: int = PAGE_SIZE,
) -> FeedPage:
    """One page of the catalogue. Raises InputError for a bad page or date."""
    if page < 1:
        raise InputError(f"page must be 1 or more, not {page}")
    if modified_since is not None and not _is_date(modified_since):
        raise InputError(f"modified_since must be an ISO date (2024-01-31), not {modified_since!r}")
    found = index.search("", kinds=("dataset", "api"), limit=page_size,
                         offset=(page - 1) * page_size, sort="title",
                         modified_since=modified_since)
    last = max(1, math.ceil(found.total / page_size))
    if page > last:  # an empty page linking to the one before would lead a harvester back
        raise NotFound(f"page {page} is past the last page of the catalogue ({last})")
    catalog = f"{base}/catalog"
    triples = _catalog(catalog, base, publisher)
    for hit in found.hits:
        link = DCAT + ("service" if hit.kind == "api" else "dataset")
        triples.append(_t(catalog, link, NamedNode(hit.uri)))
    triples += _records(store, [hit.uri for hit in found.hits])
    triples += _paging(page_url, page, last, found.total, page_size)
    return FeedPage(triples=triples, page=page, last=last, total=found.total)


def _t(subject: str, predicate: str, obj: NamedNode | Literal) -> Triple:
    return Triple(NamedNode(subject), NamedNode(predicate), obj)


def _catalog(catalog: str, base: str, publisher: str) -> list[Triple]:
    contact = f"{catalog}#contact"
    return [
        _t(catalog, RDF_TYPE, NamedNode(DCAT + "Catalog")),
        _t(catalog, DCT + "title", Literal("Catalogus", language="nl")),
        _t(catalog, DCT + "title", Literal("Catalogue", language="en")),
        _t(catalog, DCT + "description", Literal(
            "Datasets en API's van de Nederlandse overheid, met de begrippen waar ze over gaan.",
            language="nl")),
        _t(catalog, DCT + "description", Literal(
            "Datasets and APIs of the Dutch public sector, with the concepts they are about.",
            language="en")),
        _t(catalog, DCT + "publisher", NamedNode(publisher)),
        _t(catalog, FOAF + "homepage", NamedNode(f"{base}/")),
        _t(catalog, DCAT + "contactPoint", NamedNode(contact)),
        _t(contact, RDF_TYPE, NamedNode(VCARD + "Kind")),
        _t(contact, VCARD + "fn", Literal("Beheer van de catalogus", language="nl")),
        _t(contact, VCARD + "hasURL", NamedNode(f"{base}/")),
    ]


def _records(store: Store, uris: list[str]) -> list[Triple]:
    """Each record with its distributions and contact points (concise bounded descriptions)."""
    if not uris:
        return []
    values = " ".join(f"<{uri}>" for uri in uris)
    # A UNION of plain patterns, not a property path: Virtuoso refuses DESCRIBE with one.
    links = " UNION ".join(
        f"{{ ?r <{p}> ?x }}" for p in (DCAT + "distribution", DCAT + "contactPoint",
                                       DCT + "publisher", DCT + "creator", DCT + "conformsTo"))
    triples = store.construct(
        f"DESCRIBE ?x WHERE {{ {{ VALUES ?x {{ {values} }} }} UNION "
        f"{{ VALUES ?r {{ {values} }} {links} }} FILTER(isIRI(?x)) }}"
    )
    # FOAF says every organisation is an agent; DCAT-AP-NL checks for foaf:Agent without
    # inference, so the entailed type is written out.
    agent = NamedNode(FOAF + "Agent")
    kinds = {NamedNode(FOAF + "Organization"), NamedNode(ORG + "Organization")}
    organisations = {t.subject for t in triples
                     if t.predicate.value == RDF_TYPE and t.object in kinds}
    return triples + [Triple(o, NamedNode(RDF_TYPE), agent) for o in organisations]


def _paging(page_url: Callable[[int], str], page: int, last: int, total: int,
            size: int) -> list[Triple]:
    view = page_url(page)
    integer = NamedNode(XSD + "integer")
    triples = [
        _t(view, RDF_TYPE, NamedNode(HYDRA + "PartialCollectionView")),
        _t(view, RDF_TYPE, NamedNode(HYDRA + "PagedCollection")),
        _t(view, HYDRA + "totalItems", Literal(str(total), datatype=integer)),
        _t(view, HYDRA + "itemsPerPage", Literal(str(size), datatype=integer)),
    ]
    # Both the current Hydra terms and the older ones ckanext-dcat harvesters read.
    for new, old, target in (("first", "firstPage", 1), ("last", "lastPage", last),
                             ("next", "nextPage", page + 1 if page < last else None),
                             ("previous", "previousPage", page - 1 if page > 1 else None)):
        if target is not None:
            triples.append(_t(view, HYDRA + new, NamedNode(page_url(target))))
            triples.append(_t(view, HYDRA + old, NamedNode(page_url(target))))
    return triples
