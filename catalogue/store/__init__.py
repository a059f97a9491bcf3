"""The only place that talks to a triple store: one interface, an embedded implementation."""

from __future__ import annotations

from catalogue.config import Settings
from catalogue.store.base import GraphRecord, Row, Store
from catalogue.store.embedded import EmbeddedStore


def open_store(settings: Settings) -> Store:
    """The store the settings name: in memory, or on disk at `settings.store`."""
    if settings.in_memory:
        return EmbeddedStore()
    return EmbeddedStore(settings.store)


__all__ = ["EmbeddedStore", "GraphRecord", "Row", "Store", "open_store"]
