"""Keeps the index in step with the store: per written graph, and by a full rebuild."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from catalogue.search.extract import all_subjects, documents, subjects_in_graphs
from catalogue.search.index import SearchIndex
from catalogue.store.base import Store


def update_graphs(index: SearchIndex, store: Store, graphs: Sequence[str]) -> int:
    """Re-index every resource the written graphs held before or hold now; returns how many."""
    affected = index.uris_in_graphs(graphs) | subjects_in_graphs(store, graphs)
    docs = documents(store, affected)
    index.replace(affected, docs)
    return len(docs)


def rebuild(index: SearchIndex, store: Store) -> int:
    """Throw the index away and build it again from the store."""
    docs = documents(store, all_subjects(store))
    index.clear()
    index.replace((), docs)
    return len(docs)


def ensure_built(index: SearchIndex, store: Store) -> int | None:
    """Build an empty index from a store that has data (a new or outdated index file);
    returns how many resources were indexed, or None when nothing had to be done."""
    if index.count() or store.is_empty():
        return None
    return rebuild(index, store)


def index_listener(index: SearchIndex) -> Callable[[Store, Sequence[str]], None]:
    """A write-path listener (see catalogue.ingest.load) that updates this index."""

    def listener(store: Store, graphs: Sequence[str]) -> None:
        update_graphs(index, store, graphs)

    return listener
