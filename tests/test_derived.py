"""Tests for catalogue/derived.py: after a crash between the store's commit and the index's and
history's writes, the next start re-indexes the graph and recovers its version (issue 12)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from catalogue.cli import main
from catalogue.config import Settings
from catalogue.derived import follow_store
from catalogue.ingest.load import write_sources
from catalogue.ingest.rdf import ParsedSource, parse_source
from catalogue.publish import Publishers, Publishing
from catalogue.publish.history import History
from catalogue.search import SearchIndex, index_listener, open_index
from catalogue.store import EmbeddedStore, open_store
from catalogue.store.terms import RdfFormat
from catalogue.web.app import create_app
from tests.conftest import BASE
from tests.web.test_publish import ORG_A, dataset

GRAPH = f"{BASE}/id/graph/a-datasets"
DATASET = f"{BASE}/id/dataset/parkeren"


def on_disk(tmp_path: Path) -> Settings:
    return Settings(store=tmp_path / "store", base_iri=BASE, publish_dir=tmp_path / "publish")


def publish_then_crash(settings: Settings) -> None:
    """Publish version 1 properly; then write version 2 to the store (and the system graph)
    as Publishing does, and stop before the history and index are written."""
    assert settings.publish_dir is not None
    store = open_store(settings)
    index = open_index(settings)
    publisher = Publishers(settings.publish_dir).authenticate(
        f"Bearer {Publishers(settings.publish_dir).add(ORG_A)}")
    publishing = Publishing(store, settings.publish_dir, listeners=[index_listener(index)])
    publishing.put(publisher, GRAPH, dataset(DATASET, ORG_A, "Oude parkeerplaatsen"))
    body = dataset(DATASET, ORG_A, "Fietsenstallingen")
    parsed = parse_source(body, name="request body", uri=GRAPH, graph=GRAPH,
                          keep_graphs=False, format=RdfFormat.TURTLE)
    source = ParsedSource(name=GRAPH, uri="urn:catalogue:published:" + parsed.content_hash,
                          content_hash=parsed.content_hash, graphs=dict(parsed.graphs))
    write_sources(store, [source], publisher=ORG_A)  # the commit; then the process dies
    assert [v.action for v in publishing.history.versions(GRAPH)] == ["put"]
    assert index.search("Fietsenstallingen").total == 0
    index.close()
    store.close()
    del publishing, store
    gc.collect()  # Oxigraph lets go of the store's lock when the object goes


def stop(app: object) -> None:
    site = app.state.site  # type: ignore[attr-defined]
    site.index.close()
    site.store.close()
    del site
    gc.collect()


def search(client: TestClient, text: str) -> list[str]:
    answer = client.get("/search", params={"q": text}, headers={"Accept": "application/json"})
    return [hit["uri"] for hit in answer.json()["results"]]


def test_the_next_start_catches_the_index_and_history_up(tmp_path: Path) -> None:
    settings = on_disk(tmp_path)
    publish_then_crash(settings)
    app = create_app(settings)  # what `catalogue serve` runs at start
    with TestClient(app) as client:
        assert search(client, "Fietsenstallingen") == [DATASET]
        assert search(client, "Oude parkeerplaatsen") == []
    assert settings.publish_dir is not None
    versions = History(settings.publish_dir).versions(GRAPH)
    assert [v.action for v in versions] == ["put", "recovered"]
    site = app.state.site
    record = next(r for r in site.store.graphs() if r.graph == GRAPH)
    assert versions[-1].hash == record.content_hash
    assert versions[-1].at == record.loaded_at.isoformat() and versions[-1].by == ORG_A
    assert History(settings.publish_dir).triples(GRAPH, 2) == \
        Publishing(site.store, settings.publish_dir).content(GRAPH)
    # and the next start finds nothing more to do
    create_app(settings, store=site.store, index=site.index)
    assert len(History(settings.publish_dir).versions(GRAPH)) == 2
    stop(app)


def test_reindex_recovers_the_history_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    settings = on_disk(tmp_path)
    publish_then_crash(settings)
    monkeypatch.setenv("CATALOGUE_PUBLISH_DIR", str(settings.publish_dir))
    assert main(["reindex", "--store", str(settings.store), "--base-iri", BASE]) == 0
    assert f"recovered the history's newest version of {GRAPH}" in capsys.readouterr().out
    assert settings.publish_dir is not None
    versions = History(settings.publish_dir).versions(GRAPH)
    assert [v.action for v in versions] == ["put", "recovered"]
    gc.collect()
    index = open_index(settings)
    assert index.search("Fietsenstallingen").total == 1
    index.close()


def test_a_deletion_the_history_missed_is_recovered(tmp_path: Path) -> None:
    settings = on_disk(tmp_path)
    publish_then_crash(settings)
    store = open_store(settings)
    store.drop_graph(GRAPH)  # a DELETE that stopped after the store's commit
    store.close()
    del store
    gc.collect()
    app = create_app(settings)
    with TestClient(app) as client:
        assert search(client, "Oude parkeerplaatsen") == []
    stop(app)
    assert settings.publish_dir is not None
    actions = [v.action for v in History(settings.publish_dir).versions(GRAPH)]
    assert actions == ["put", "recovered"]
    assert History(settings.publish_dir).triples(GRAPH, 2) == []


def test_an_index_behind_is_reindexed_graph_by_graph(tmp_path: Path) -> None:
    store = EmbeddedStore()
    index = SearchIndex()
    settings = Settings(store=Path(":memory:"), base_iri=BASE)
    body = dataset(DATASET, ORG_A, "Laadpalen")
    parsed = parse_source(body, name="x.ttl", uri="urn:x", graph=GRAPH, keep_graphs=False,
                          format=RdfFormat.TURTLE)
    write_sources(store, [parsed])
    assert follow_store(store, index, settings).reindexed == (GRAPH,)
    assert index.search("Laadpalen").total == 1
    assert follow_store(store, index, settings).reindexed == ()
