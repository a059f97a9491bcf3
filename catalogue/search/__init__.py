"""The derived search index: full text, suggestions, facet counts and sort keys (SPARQL is
slow at those).

The store stays the single source of truth; this index can be thrown away and rebuilt from it
(`catalogue reindex`), and is updated in the same write path as the graphs it indexes."""

from catalogue.config import Settings
from catalogue.search.index import Document, Hit, SearchIndex, SearchResults
from catalogue.search.updater import (
    ensure_built,
    index_listener,
    rebuild,
    reconcile,
    update_graphs,
)


def open_index(settings: Settings) -> SearchIndex:
    return SearchIndex(settings.index_path)


__all__ = [
    "Document",
    "Hit",
    "SearchIndex",
    "SearchResults",
    "ensure_built",
    "index_listener",
    "open_index",
    "rebuild",
    "reconcile",
    "update_graphs",
]
