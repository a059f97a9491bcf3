"""`catalogue serve`: open the store, seed it when empty, run uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.search import ensure_built, index_listener, open_index
from catalogue.store import open_store
from catalogue.web.app import create_app
from catalogue.web.views.sparql import with_fast_sparql

log = logging.getLogger("catalogue")


def serve(settings: Settings) -> None:
    store = open_store(settings)
    index = open_index(settings)
    if store.is_empty():
        results = load_bundled(store, base=settings.base, listeners=[index_listener(index)])
        triples = sum(result.triples for result in results)
        print(f"catalogue: empty store, loaded the bundled content ({triples} triples)")
    elif index.count() == 0:
        print("catalogue: the search index is empty or was made by another version; building it")
        print(f"catalogue: indexed {ensure_built(index, store) or 0} resources")
    app = create_app(settings, store=store, index=index)
    print(f"catalogue: serving {settings.store} on http://{settings.host}:{settings.port}/")
    try:
        uvicorn.run(
            with_fast_sparql(app), host=settings.host, port=settings.port, log_level="info",
            access_log=settings.access_log,
        )
    finally:
        index.close()
        store.close()
