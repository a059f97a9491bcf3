"""The index file: an index made by another version is thrown away, then rebuilt."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from catalogue.search import Document, SearchIndex, ensure_built
from catalogue.search.index import SCHEMA_VERSION
from catalogue.store import Store


def document(uri: str) -> Document:
    return Document(uri=uri, kind="concept", graphs=["http://g"], labels={"nl": "pand"},
                    pref=["pand"])


def test_an_index_keeps_its_documents_across_opens(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    index = SearchIndex(path)
    index.replace((), [document("http://e/pand")])
    index.close()
    assert SearchIndex(path).count() == 1


def test_an_index_of_another_version_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    index = SearchIndex(path)
    index.replace((), [document("http://e/pand")])
    index.close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    reopened = SearchIndex(path)
    assert reopened.count() == 0
    reopened.replace((), [document("http://e/pand")])
    assert [hit.uri for hit in reopened.search("pand").hits] == ["http://e/pand"]


def test_ensure_built_fills_an_empty_index_from_the_store(store: Store) -> None:
    index = SearchIndex()
    assert ensure_built(index, store) == index.count() > 0
    assert ensure_built(index, store) is None  # already built: nothing to do
