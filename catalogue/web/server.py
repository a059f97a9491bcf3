"""`catalogue serve`: open the store, seed it when empty, run uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.store import open_store
from catalogue.web.app import create_app

log = logging.getLogger("catalogue")


def serve(settings: Settings) -> None:
    store = open_store(settings)
    if store.is_empty():
        results = load_bundled(store, base=settings.base)
        triples = sum(result.triples for result in results)
        print(f"catalogue: empty store, loaded the bundled content ({triples} triples)")
    app = create_app(settings, store=store)
    print(f"catalogue: serving {settings.store} on http://{settings.host}:{settings.port}/")
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    finally:
        store.close()
