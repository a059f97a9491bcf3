"""Derived data follows the store: the search index and the publish history are reconciled
with the system graph (each graph's content hash and time) when a server or `catalogue
reindex` starts, so a crash between the store's commit and theirs leaves nothing behind."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from catalogue.config import Settings
from catalogue.errors import CatalogueError
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


class Follower:
    """Keeps the index in step with a store that others write too (other instances on one
    remote store, `catalogue load`): every `every` seconds, one small query for the graph
    states in the system graph, and a re-index of the graphs whose state moved. No
    coordination service: the system graph is the log every writer already keeps."""

    def __init__(self, store: Store, index: SearchIndex, *, every: float = 2.0) -> None:
        self._store, self._index, self._every = store, index, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="catalogue-follower",
                                        daemon=True)

    def start(self) -> Follower:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                for graph in reconcile(self._index, self._store):
                    log.info("followed a write to <%s> by another writer: re-indexed", graph)
            except CatalogueError as exc:
                # The store is down or slow: try again next round; the pages say so meanwhile.
                log.warning("could not follow the store: %s", exc)
