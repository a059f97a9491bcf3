"""Shared fixtures: a real in-memory Oxigraph store loaded from tests/data, and the app on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.ingest import load_sources
from catalogue.store import EmbeddedStore, Store
from catalogue.web.app import create_app

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
BASE = "http://catalogue.test"

needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"../shared/data is not beside the checkout ({SHARED})"
)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(store=Path(":memory:"), base_iri=BASE)


@pytest.fixture(scope="session")
def store() -> Store:
    """Read-only for tests: each test that writes makes its own store."""
    memory = EmbeddedStore()
    load_sources(memory, sorted(DATA.glob("*.ttl")), base=BASE)
    return memory


@pytest.fixture(scope="session")
def app(settings: Settings, store: Store) -> FastAPI:
    return create_app(settings, store=store)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A fresh client per test, so no cookie (such as the language) leaks between tests."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def empty_store() -> EmbeddedStore:
    return EmbeddedStore()
