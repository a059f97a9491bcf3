"""Harvest a DCAT feed over HTTP: fetch page after page (Hydra paging), parse each through the
registry of input formats (by Content-Type, URL and content: any RDF syntax, and an OpenAPI
description or NL-SBB spreadsheet as `load` reads them), and replace what the previous harvest
of the same URL brought, in one graph, atomically."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

from catalogue.errors import (
    FetchError,
    HarvestError,
    InvalidDocument,
    PayloadTooLarge,
    SourceOverLimit,
    SourceSyntaxError,
    UnknownFormat,
    UnsafeSource,
)
from catalogue.fetch import PUBLIC_ONLY, AddressPolicy, fetch
from catalogue.ingest.formats import Origin, all_triples, parse_input
from catalogue.ingest.load import Check, Listener, write_sources
from catalogue.ingest.rdf import ParsedSource
from catalogue.ingest.skolem import skolemise
from catalogue.limits import FILE_LIMITS, Limits
from catalogue.namespaces import DCAT, DCT, PREFIXES, RDF_TYPE
from catalogue.store.base import Store
from catalogue.store.terms import Literal, NamedNode, Triple

log = logging.getLogger(__name__)

HYDRA = PREFIXES["hydra"]
# hydra:next on a hydra:PartialCollectionView (hydra:view), hydra:nextPage on the older
# hydra:PagedCollection. ckanext-dcat, udata and opendata.swiss write the link as a string
# literal ("https://…?page=2"), so literals count as links too.
NEXT = (HYDRA + "next", HYDRA + "nextPage")
TOTAL_ITEMS = HYDRA + "totalItems"
ACCEPT = ("text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8, "
          "application/trig;q=0.7, application/n-triples;q=0.7, application/n-quads;q=0.7, "
          "*/*;q=0.1")
USER_AGENT = "catalogue-harvester"
# The kinds a per-record summary lists: DCAT records and the catalogues that hold them.
RECORD_TYPES = (DCAT + "Dataset", DCAT + "DataService", DCAT + "DatasetSeries", DCAT + "Catalog")
# The kinds hydra:totalItems counts: the items of the paged catalogue, not the catalogue itself.
ITEM_TYPES = RECORD_TYPES[:3]


@dataclass(frozen=True)
class Record:
    iri: str
    kind: str
    title: str | None


@dataclass
class HarvestResult:
    url: str
    graph: str
    pages: list[str] = field(default_factory=list)
    triples: int = 0
    records: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total_items: int | None = None
    items: int = 0

    @property
    def incomplete(self) -> bool:
        """Fewer items arrived than the feed's hydra:totalItems announced."""
        return self.total_items is not None and self.items < self.total_items


def harvest_graph_iri(base: str, url: str) -> str:
    """One graph per feed URL, so that harvesting it again replaces exactly what it brought."""
    return f"{base}/id/graph/harvest-{hashlib.sha256(url.encode()).hexdigest()[:16]}"


def harvest(
    store: Store,
    url: str,
    *,
    base: str,
    publisher: str | None = None,
    max_pages: int = 1000,
    max_bytes: int = 50 * 1024 * 1024,
    timeout: float = 30.0,
    checks: Sequence[Check] = (),
    listeners: Sequence[Listener] = (),
    policy: AddressPolicy = PUBLIC_ONLY,
    warn: Callable[[str], None] = log.warning,
    limits: Limits = FILE_LIMITS,
) -> HarvestResult:
    """Fetch every page of the feed at `url` and write them as one graph. Nothing is written
    when a page fails, is larger than `max_bytes` in total, or the harvest exceeds `timeout`.
    Every page and redirect must be at an address `policy` allows (public ones by default), so
    a feed's hydra:next cannot lead the harvest into the network it runs in."""
    result = HarvestResult(url=url, graph=harvest_graph_iri(base, url))
    triples: list[Triple] = []
    digest = hashlib.sha256()
    received = 0
    started = time.monotonic()
    page: str | None = url
    while page is not None:
        if len(result.pages) >= max_pages:
            warn(f"{url}: stopped after {max_pages} pages")
            result.warnings.append(f"stopped after {max_pages} pages")
            break
        remaining = timeout - (time.monotonic() - started)
        if remaining <= 0:
            raise HarvestError(f"{url}: the harvest took longer than {timeout:g} s")
        body, media_type = _fetch(page, max_bytes - received, remaining, policy)
        received += len(body)
        digest.update(body)
        result.pages.append(page)
        parsed = _parse(body, Origin(name=page, uri=page, graph=result.graph, base=base,
                                     keep_graphs=False, limits=limits, publisher=publisher,
                                     media_type=media_type or None))
        page_triples = all_triples(parsed)
        triples += page_triples
        page = _next_page(page_triples, page, result, warn)
    # Pages repeat the catalogue and its paging triples: store and count each triple once.
    triples = list(dict.fromkeys(triples))
    graphs = {result.graph: triples}
    skolemise(graphs, base)  # in place: records written as blank nodes get IRIs (ingest.skolem)
    source = ParsedSource(name=url, uri=url, content_hash=digest.hexdigest(), graphs=graphs)
    write_sources(store, [source], publisher=publisher, checks=checks, listeners=listeners)
    result.triples = len(triples)
    result.records = records_in(triples)
    _count_items(triples, result, warn)
    return result


def _count_items(triples: Sequence[Triple], result: HarvestResult,
                 warn: Callable[[str], None]) -> None:
    """Compare the items that arrived with the largest hydra:totalItems any page announced, so
    a feed whose paging we could not follow does not pass for a whole one."""
    totals = [int(t.object.value) for t in triples
              if t.predicate.value == TOTAL_ITEMS and isinstance(t.object, Literal)
              and t.object.value.strip().isdigit()]
    result.items = len({t.subject for t in triples
                        if t.predicate.value == RDF_TYPE and isinstance(t.object, NamedNode)
                        and t.object.value in ITEM_TYPES})
    result.total_items = max(totals) if totals else None
    if result.incomplete:
        message = (f"{result.url}: {result.items} records arrived in {len(result.pages)} pages, "
                   f"but the feed's hydra:totalItems says {result.total_items}")
        warn(message)
        result.warnings.append(message)


def _fetch(url: str, budget: int, timeout: float, policy: AddressPolicy) -> tuple[bytes, str]:
    try:
        answer = fetch(url, timeout=timeout, max_bytes=budget, policy=policy,
                       headers={"Accept": ACCEPT, "User-Agent": USER_AGENT})
    except PayloadTooLarge:
        raise HarvestError(f"{url}: the feed is larger than the size limit") from None
    except FetchError as exc:
        raise HarvestError(str(exc)) from None
    if answer.status >= 300:
        raise HarvestError(f"{url}: HTTP {answer.status}")
    return answer.body, answer.media_type


def _parse(body: bytes, origin: Origin) -> ParsedSource:
    try:
        # The page URL is the base, so relative IRIs and the source's own IRIs are kept as is.
        return parse_input(body, origin)
    except (SourceOverLimit, UnsafeSource):
        raise  # their own status (413, 422) and message
    except (SourceSyntaxError, UnknownFormat, InvalidDocument) as exc:
        served = origin.media_type or "none"
        message = str(exc) if "served as" in str(exc) else f"{exc} (Content-Type {served})"
        raise HarvestError(message) from None


def _next_page(
    triples: list[Triple], page: str, result: HarvestResult, warn: Callable[[str], None]
) -> str | None:
    targets = sorted({t.object.value.strip() for t in triples
                      if t.predicate.value in NEXT and isinstance(t.object, NamedNode | Literal)
                      and t.object.value.strip()})
    if not targets:
        return None
    following = urljoin(page, targets[0])
    if following in result.pages:
        message = (f"{page}: hydra:next points back to {following}, harvested already; "
                   f"stopped to avoid a loop")
        warn(message)
        result.warnings.append(message)
        return None
    return following


def records_in(triples: Sequence[Triple]) -> list[Record]:
    """The DCAT records among the harvested triples, with their titles, in IRI order."""
    kinds: dict[str, str] = {}
    titles: dict[str, str] = {}
    for t in triples:
        subject, obj = t.subject, t.object
        if not isinstance(subject, NamedNode) or not isinstance(obj, NamedNode | Literal):
            continue
        if t.predicate.value == RDF_TYPE and obj.value in RECORD_TYPES:
            kinds.setdefault(subject.value, obj.value.rsplit("#", 1)[-1])
        elif (t.predicate.value == DCT + "title" and isinstance(obj, Literal)
              and (subject.value not in titles or obj.language == "nl")):
            titles[subject.value] = obj.value
    return [Record(iri, kind, titles.get(iri)) for iri, kind in sorted(kinds.items())]
