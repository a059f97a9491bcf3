"""A large load reads its documents from its own triples before the write: the index it leaves
is the one a rebuild from the store gives, and a load that fails leaves store and index as
they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.generate import write_catalogue
from catalogue.errors import WrittenWithoutIndex
from catalogue.ingest.load import load_sources
from catalogue.search import SearchIndex, index_listener, rebuild, reconcile, updater
from catalogue.store import EmbeddedStore, embedded
from tests.store.test_delta import index_rows

BASE = "http://bench.catalogue.test"
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("load") / "catalogue.nt"
    write_catalogue(path, datasets=150, concepts=60)
    return path


def load(store: EmbeddedStore, index: SearchIndex, *paths: Path) -> None:
    load_sources(store, list(paths), base=BASE, listeners=[index_listener(index)])


@pytest.mark.parametrize("bulk", [True, False])
def test_the_index_after_a_load_is_the_index_a_rebuild_gives(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk: bool
) -> None:
    # begrippen with their kaders in other graphs first: the new graph's documents read
    # what the store already holds too
    store = EmbeddedStore(tmp_path / "store", exclusive=True)
    index = SearchIndex(tmp_path / "store.search.sqlite")
    load(store, index, DATA / "concepts" / "begrippen.ttl", DATA / "thirdparty" / "blank-nodes.ttl")
    monkeypatch.setattr(embedded, "BULK_FROM", 1_000 if bulk else 10**9)
    load(store, index, generated)
    assert store.change(f"{BASE}/id/graph/catalogue") is not None
    assert index.search("", kinds=["dataset"]).total > 150
    loaded = index_rows(index)
    rebuild(index, store)
    assert loaded == index_rows(index)


@pytest.mark.parametrize("bulk", [True, False])
def test_a_load_that_fails_in_the_write_leaves_store_and_index_as_they_were(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk: bool
) -> None:
    store = EmbeddedStore(tmp_path / "store", exclusive=True)
    index = SearchIndex(tmp_path / "store.search.sqlite")
    load(store, index, DATA / "concepts" / "begrippen.ttl")
    before_quads, before_index = store.quad_count(), index_rows(index)
    before_records = store.graphs()
    monkeypatch.setattr(embedded, "BULK_FROM", 1_000 if bulk else 10**9)
    raw = store.raw_store

    class Failing:
        """The store, whose bulk load or update fails halfway."""

        def __getattr__(self, name: str) -> object:
            return getattr(raw, name)

        def bulk_load(self, input: bytes, **options: object) -> None:
            half = input[: len(input) // 2]
            raw.bulk_load(input=half[: half.rfind(b"\n") + 1], **options)  # type: ignore[arg-type]
            raise OSError("No space left on device")

        def update(self, update: str) -> None:
            if "INSERT DATA" in update:  # the write; a clean-up after it goes through
                update += " ;\nLOAD <http://127.0.0.1:1/none>"
            raw.update(update)

    monkeypatch.setattr(store, "_store", Failing())
    with pytest.raises(OSError):
        load(store, index, generated)
    monkeypatch.setattr(store, "_store", raw)
    assert store.quad_count() == before_quads
    assert store.graphs() == before_records
    assert index_rows(index) == before_index


@pytest.mark.parametrize(("stop", "said"), [(RuntimeError("index broke"), "index broke"),
                                             (KeyboardInterrupt(), "interrupted")])
def test_a_load_whose_index_work_fails_leaves_the_store_whole_and_the_index_to_reconcile(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: BaseException,
    said: str,
) -> None:
    """The index's documents are made while the store writes; when that fails, the store's
    write still ends whole (it cannot be stopped halfway), the load fails, and the index,
    which recorded nothing of it, catches up from the system graph on the next reconcile."""
    store = EmbeddedStore(tmp_path / "store", exclusive=True)
    index = SearchIndex(tmp_path / "store.search.sqlite")
    load(store, index, DATA / "concepts" / "begrippen.ttl")
    before_index = index_rows(index)
    monkeypatch.setattr(embedded, "BULK_FROM", 1_000)

    def broken(*args: object) -> None:
        raise stop

    monkeypatch.setattr(updater, "new_documents", broken)
    with pytest.raises(WrittenWithoutIndex, match=rf"{said}: .* is written whole") as raised:
        load(store, index, generated)
    assert raised.value.__cause__ is stop
    graph = f"{BASE}/id/graph/catalogue"
    assert graph in {record.graph for record in store.graphs()}
    assert store.recover() == []  # nothing pending: the bulk load ended
    assert index_rows(index) == before_index
    monkeypatch.undo()
    assert reconcile(index, store) == [graph]
    loaded = index_rows(index)
    rebuild(index, store)
    assert loaded == index_rows(index)


def test_a_bulk_load_of_several_graphs_keeps_a_blank_node_they_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bulk loader renames blank nodes; graphs loaded in one call keep a shared one
    shared."""
    monkeypatch.setattr(embedded, "BULK_FROM", 2)
    source = tmp_path / "two.trig"
    source.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "ex:g1 { ex:a ex:contact _:shared . }\n"
        "ex:g2 { _:shared ex:name \"Loket\" . }\n", encoding="utf-8")
    store = EmbeddedStore(tmp_path / "store", exclusive=True)
    load_sources(store, [source], base=BASE)
    [row] = store.select(
        "SELECT ?name WHERE { GRAPH <http://example.org/g1> { ?a ?p ?b } "
        "GRAPH <http://example.org/g2> { ?b ?q ?name } }")
    assert row["name"].value == "Loket"


@pytest.mark.parametrize("name", ["udata--catalog.rdf", "udata--flat.jsonld",
                                  "ckanext-dcat--dataset_health_no_blank.ttl",
                                  "ckanext-dcat--catalog.rdf"])
@pytest.mark.parametrize("bulk", [True, False])
def test_documents_made_from_a_real_export_are_those_a_rebuild_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, bulk: bool
) -> None:
    """Real exports write dates as "…T19:01:24.184120" or "…+00:00"; the store keeps them as
    "…T19:01:24.18412" and "…Z", and so must documents made from the file's own triples."""
    monkeypatch.setattr(updater, "PREPARE_FROM", 1)
    monkeypatch.setattr(embedded, "BULK_FROM", 1 if bulk else 10**9)
    store = EmbeddedStore(tmp_path / "store", exclusive=True)
    index = SearchIndex(tmp_path / "store.search.sqlite")
    load(store, index, DATA / "validation-corpus" / name)
    loaded = index_rows(index)
    assert loaded["docs"]
    rebuild(index, store)
    assert loaded == index_rows(index)
