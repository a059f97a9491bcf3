"""Derived data follows the store: the search index and the publish history are reconciled
with the system graph (each graph's content hash and time) when a server or `catalogue
reindex` starts, so a crash between the store's commit and theirs leaves nothing behind."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from catalogue.config import Settings
from catalogue.publish.history import History
from catalogue.publish.recover import recover_history
from catalogue.publish.service import publishing_dir
from catalogue.search import SearchIndex, reconcile
from catalogue.store.base import Store

log = logging.getLogger("catalogue")


@dataclass(frozen=True)
class Reconciled:
    reindexed: tuple[str, ...]  # graphs whose index entries were behind
    history: tuple[str, ...]  # graphs that got a recovered version


def follow_store(store: Store, index: SearchIndex, settings: Settings) -> Reconciled:
    """Bring the index and the history in step with the store; says which graphs needed it."""
    reindexed = tuple(reconcile(index, store))
    # an in-memory store without a publish folder has a fresh history every time: nothing to do
    keeps_history = settings.publish_dir is not None or not settings.in_memory
    history = tuple(recover_history(store, History(publishing_dir(settings)))
                    if keeps_history else ())
    for graph in reindexed:
        log.warning("search index was behind the store for <%s>: re-indexed", graph)
    for graph in history:
        log.warning("history was behind the store for <%s>: version recovered", graph)
    return Reconciled(reindexed, history)
