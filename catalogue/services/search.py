"""The site search: one query over begrippen, begrippenkaders, datasets, APIs and organisations,
with filters; and the suggestions a search box shows while someone types."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from catalogue.search.index import FacetCounts, Hit, SearchIndex, SearchResults
from catalogue.services.facets import FacetValue, facet_iris, facet_label
from catalogue.services.labels import fallback_label, labels_for
from catalogue.store.base import Store

FILTERS = ("scheme", "publisher", "language", "status")
KIND_NAMES = ("concept", "scheme", "dataset", "api", "organisation", "catalogue")
PAGE_SIZE = 20
# The values each facet shows: the most frequent ones (a facet may have thousands).
FACET_SIZE = 10


@dataclass(frozen=True)
class Result:
    uri: str
    label: str
    kind: str
    scheme: str | None
    scheme_label: str | None
    snippet: str
    score: float


@dataclass(frozen=True)
class SearchPage:
    query: str
    total: int
    results: tuple[Result, ...]
    facets: tuple[tuple[str, tuple[FacetValue, ...]], ...]
    kinds: tuple[str, ...]
    page: int
    pages: int


def search_page(
    store: Store,
    index: SearchIndex,
    query: str,
    *,
    kinds: Sequence[str] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    lang: str,
    page: int = 1,
    size: int = PAGE_SIZE,
) -> SearchPage:
    chosen = {k: list(v) for k, v in (filters or {}).items() if k in FILTERS and v}
    found = index.search(query, kinds=[k for k in kinds if k in KIND_NAMES], filters=chosen,
                         lang=lang, limit=size, offset=(max(page, 1) - 1) * size,
                         facets=("kind", *FILTERS), facet_limit=FACET_SIZE)
    counts = {name: _with_chosen(found, name, values, chosen.get(name, ()))
              for name, values in found.facets.items()}
    iris = facet_iris(counts)
    iris |= {h.facets["scheme"][0] for h in found.hits if h.facets.get("scheme")}
    labels = labels_for(store, iris, lang)
    facets = tuple(
        (name, tuple(FacetValue(v, facet_label(v, labels), n,
                                v in chosen.get(name, ()) or (name == "kind" and v in kinds))
                     for v, n in values))
        for name, values in counts.items()
    )
    return SearchPage(
        query=query,
        total=found.total,
        results=tuple(_result(hit, labels) for hit in found.hits),
        facets=facets,
        kinds=tuple(kinds),
        page=max(page, 1),
        pages=max(1, -(-found.total // size)),
    )


def _with_chosen(found: SearchResults, name: str, values: FacetCounts,
                 chosen: Sequence[str]) -> FacetCounts:
    """The top values of a facet, and the chosen ones beyond them (so they can be unchosen)."""
    missing = [v for v in chosen if v not in {value for value, _ in values}]
    if not missing or found.counter is None:
        return values
    counted = dict(found.counter.of(name, missing))
    return (*values, *((v, counted.get(v, 0)) for v in missing))


def suggestions(index: SearchIndex, store: Store, query: str, *, lang: str, limit: int = 8,
                kinds: Sequence[str] = ()) -> tuple[Result, ...]:
    hits = index.suggest(query, lang=lang, limit=limit, kinds=kinds)
    schemes = {h.facets["scheme"][0] for h in hits if h.facets.get("scheme")}
    return tuple(_result(hit, labels_for(store, schemes, lang)) for hit in hits)


def _result(hit: Hit, labels: Mapping[str, str]) -> Result:
    scheme = hit.facets["scheme"][0] if hit.facets.get("scheme") else None
    return Result(
        uri=hit.uri,
        label=hit.label,
        kind=hit.kind,
        scheme=scheme,
        scheme_label=(labels.get(scheme) or fallback_label(scheme)) if scheme else None,
        snippet=hit.snippet,
        score=round(hit.score, 4),
    )
