"""A store, index and app holding the begrippen scenarios of tests/data/concepts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.ingest import load_sources
from catalogue.search import SearchIndex, index_listener
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import BASE, DATA

SCENARIOS = DATA / "concepts"


def build(paths: list[Path]) -> tuple[EmbeddedStore, SearchIndex]:
    store = EmbeddedStore()
    index = SearchIndex()
    for path in paths:  # one source at a time, as `catalogue load` would be run per file
        load_sources(store, [path], base=BASE, listeners=[index_listener(index)])
    return store, index


@pytest.fixture(scope="module")
def concepts_app() -> FastAPI:
    store, index = build(sorted(SCENARIOS.glob("*.ttl")))
    return create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store, index=index)


@pytest.fixture(scope="module")
def concepts_client(concepts_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(concepts_app) as client:
        yield client
