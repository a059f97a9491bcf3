"""The index file: an index made by another version is thrown away, then rebuilt."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

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


def test_threads_read_a_file_index_side_by_side_and_see_new_writes(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index.sqlite")
    index.replace((), [document(f"http://e/pand{i}") for i in range(50)])
    with ThreadPoolExecutor(max_workers=8) as pool:
        totals = list(pool.map(lambda _: index.search("pand", facets=["kind"]).total, range(64)))
        assert totals == [50] * 64
        index.replace((), [document("http://e/pand-new")])
        assert set(pool.map(lambda _: index.search("pand").total, range(16))) == {51}
    index.close()


def test_totals_are_the_same_with_and_without_facet_counts(store: Store) -> None:
    index = SearchIndex()
    ensure_built(index, store)
    for query, filters in (("", {}), ("pand", {}), ("", {"publisher": [KADASTER]})):
        plain = index.search(query, filters=filters)
        faceted = index.search(query, filters=filters, facets=["publisher", "theme"])
        assert plain.total == faceted.total > 0
        assert set(faceted.facets) == {"publisher", "theme"}


KADASTER = "https://identifier.overheid.nl/tooi/id/zbo/zb000195"


def test_members_of_a_scheme_carry_their_labels_and_every_broader_begrip() -> None:
    index = SearchIndex()
    kader, other = "http://e/kader", "http://e/ander"

    def begrip(name: str, scheme: str, *broader: str) -> Document:
        return Document(uri=f"http://e/{name}", kind="concept", graphs=["http://g"],
                        labels={"nl": name, "en": name.upper()},
                        facets={"scheme": [scheme], "broader": [f"http://e/{b}" for b in broader]})

    index.replace((), [begrip("gebouw", kader), begrip("woning", kader, "gebouw"),
                       begrip("woonboot", kader, "woning", "vaartuig"),
                       begrip("vaartuig", other)])
    members = {uri: (labels, sorted(broader)) for uri, labels, broader in index.members(kader)}
    assert members == {
        "http://e/gebouw": ({"nl": "gebouw", "en": "GEBOUW"}, []),
        "http://e/woning": ({"nl": "woning", "en": "WONING"}, ["http://e/gebouw"]),
        "http://e/woonboot": ({"nl": "woonboot", "en": "WOONBOOT"},
                              ["http://e/vaartuig", "http://e/woning"]),
    }
    assert index.members("http://e/leeg") == []


def test_replacing_more_documents_than_one_lookup_takes_leaves_each_once(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index.sqlite")
    index.replace((), [document(f"http://e/pand{i}") for i in range(1_200)])
    # The same documents again, some removed and some new: looked up 500 at a time.
    index.replace([f"http://e/pand{i}" for i in range(1_000, 1_200)],
                  [document(f"http://e/pand{i}") for i in range(100, 1_100)])
    assert index.count() == 1_100
    with sqlite3.connect(tmp_path / "index.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM fts").fetchone()[0] == 1_100
        assert db.execute("SELECT COUNT(DISTINCT doc) FROM facets").fetchone()[0] == 1_100
    assert index.search("pand").total == 1_100
    index.close()


def test_documents_given_as_a_stream_replace_those_they_name_across_chunks(
    tmp_path: Path,
) -> None:
    """Documents come a thousand at a time; one that replaces a document the index holds
    (not named in `remove`) takes its place in whichever thousand it comes."""
    index = SearchIndex(tmp_path / "index.sqlite")
    index.replace((), [document(f"http://e/pand{i}") for i in range(2_500)])
    renamed = (Document(uri=f"http://e/pand{i}", kind="dataset", graphs=["http://g2"],
                        labels={"nl": f"gebouw {i}"}, pref=[f"gebouw {i}"],
                        facets={"theme": ["http://t/wonen"]})
               for i in range(1_500, 3_200))
    index.replace((), renamed)
    assert index.count() == 3_200
    assert index.count("dataset") == 1_700
    assert index.search("pand").total == 1_500
    assert index.search("gebouw").total == 1_700
    assert index.facet_counts("theme") == {"http://t/wonen": 1_700}
    with sqlite3.connect(tmp_path / "index.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM fts").fetchone()[0] == 3_200
        assert db.execute("SELECT COUNT(*) FROM doc_graphs").fetchone()[0] == 3_200
        assert db.execute("SELECT COUNT(DISTINCT doc) FROM suggest").fetchone()[0] == 3_200
    index.close()


def test_a_staged_write_shows_only_once_committed_and_a_rollback_leaves_nothing(
    tmp_path: Path,
) -> None:
    index = SearchIndex(tmp_path / "index.sqlite")
    index.replace((), [document("http://e/pand0")], states={"http://g": "a 1"})
    staged = index.stage(["http://e/pand0"], [document(f"http://e/pand{i}") for i in (1, 2)])
    # another reader of the file (a server, say) reads the state before the write meanwhile
    with sqlite3.connect(tmp_path / "index.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM docs").fetchone()[0] == 1
    staged.rollback()
    assert index.search("pand").total == 1
    assert index.graph_states() == {"http://g": "a 1"}
    staged = index.stage(["http://e/pand0"], [document(f"http://e/pand{i}") for i in (1, 2)])
    staged.commit({"http://g": "b 2"})
    assert {hit.uri for hit in index.search("pand").hits} == {"http://e/pand1", "http://e/pand2"}
    assert index.graph_states() == {"http://g": "b 2"}
    with pytest.raises(RuntimeError, match="committed or rolled back already"):
        staged.commit({})
    index.replace((), [document("http://e/pand3")])  # the index is free for the next write
    assert index.search("pand").total == 3
    index.close()


def test_a_write_by_another_process_to_the_file_shows_in_counts_and_caches(
        tmp_path: Path) -> None:
    """`catalogue load` beside `catalogue serve` on one index file: the serving process kept
    the facet sets of before (total 11 with 32 documents listed, a theme filter missing the
    new dataset) until it was restarted."""
    path = tmp_path / "index.sqlite"
    serving, loading = SearchIndex(path), SearchIndex(path)  # as two processes hold it
    themed = Document(uri="http://e/a", kind="dataset", graphs=["http://g"],
                      labels={"nl": "a"}, pref=["a"], facets={"theme": ["http://t/ENVI"]})
    serving.replace((), [themed])
    before = serving.version
    assert serving.search("", kinds=("dataset",), facets=["theme"]).total == 1
    loading.replace((), [Document(uri=f"http://e/b{n}", kind="dataset", graphs=["http://h"],
                                  labels={"nl": f"b{n}"}, pref=[f"b{n}"],
                                  facets={"theme": ["http://t/ENVI"]}) for n in range(3)])
    assert serving.version != before  # the pages' caches are kept by it
    seen = serving.search("", kinds=("dataset",), facets=["theme"])
    assert seen.total == 4
    assert seen.facets["theme"][0] == ("http://t/ENVI", 4)
    filtered = serving.search("", kinds=("dataset",), filters={"theme": ["http://t/ENVI"]})
    assert filtered.total == 4
