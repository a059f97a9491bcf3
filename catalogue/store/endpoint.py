"""The /sparql endpoint's view of a store: run a query, answer serialised bytes."""

from __future__ import annotations

from typing import Protocol

from catalogue.config import Settings
from catalogue.store.base import Store
from catalogue.store.embedded import EmbeddedStore
from catalogue.store.queries import QueryAnswer, QueryRequest, QueryRunner, SameStore
from catalogue.store.remote import RemoteStore


class SparqlEndpoint(Protocol):
    async def answer(self, request: QueryRequest) -> QueryAnswer:
        """The result in one of the request's formats; QueryTimeout past the timeout."""
        ...


def open_endpoint(store: Store, settings: Settings) -> SparqlEndpoint:
    """Query threads over the embedded store; the server itself for a remote store."""
    if isinstance(store, RemoteStore):
        return store
    if isinstance(store, EmbeddedStore):
        return QueryRunner(SameStore(store.raw_store), threads=settings.query_workers,
                           timeout=settings.query_timeout)
    raise TypeError(f"no SPARQL endpoint for a {type(store).__name__}")


__all__ = ["QueryAnswer", "QueryRequest", "SparqlEndpoint", "open_endpoint"]
