"""The only place that talks to a triple store: one interface, an embedded implementation."""

from __future__ import annotations

from catalogue.config import Settings
from catalogue.store.base import GraphRecord, Row, Store
from catalogue.store.embedded import EmbeddedStore


def open_store(settings: Settings, *, exclusive: bool = False) -> Store:
    """The store the settings name: a remote SPARQL server, in memory, or on disk.

    `exclusive`: the caller is the store's only user (the CLI), so large new graphs may be
    bulk-loaded (see EmbeddedStore)."""
    if settings.sparql_endpoint:
        from catalogue.store.remote import RemoteStore

        return RemoteStore(
            settings.sparql_endpoint,
            update_endpoint=settings.sparql_update_endpoint,
            graph_store_endpoint=settings.graph_store_endpoint,
            timeout=settings.query_timeout,
        )
    if settings.in_memory:
        return EmbeddedStore()
    return EmbeddedStore(settings.store, exclusive=exclusive)


__all__ = ["EmbeddedStore", "GraphRecord", "Row", "Store", "open_store"]
