"""Replacing a large graph writes only the subjects that changed: the store, the search index
and the history end as a full replace leaves them, and a failed write leaves them as before."""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from bench.generate import write_catalogue
from catalogue.ingest.load import load_sources
from catalogue.publish.diff import diff
from catalogue.search import SearchIndex, index_listener, rebuild
from catalogue.store import EmbeddedStore, GraphRecord
from catalogue.store.delta import content, lines_of
from catalogue.store.terms import Literal, NamedNode, RdfFormat, Triple, parse, serialize

BASE = "http://bench.catalogue.test"
DCT = "http://purl.org/dc/terms/"


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated catalogue of 120 datasets (about 4,000 triples), and a copy in which every
    tenth dataset has a new title, a new contact e-mail (a blank node) and its distribution
    a new format (a facet read through another resource)."""
    folder = tmp_path_factory.mktemp("delta")
    old = folder / "old" / "catalogue.nt"
    new = folder / "new" / "catalogue.nt"
    old.parent.mkdir()
    new.parent.mkdir()
    write_catalogue(old, datasets=120, concepts=40)
    new.write_text(changed(old.read_text("utf-8")), "utf-8")
    return old, new


def changed(text: str) -> str:
    def every_tenth(match: re.Match[str]) -> bool:
        return int(match.group("n")) % 10 == 0

    text = re.sub(r'(?m)^(?P<s><[^>]*/dataset/(?P<n>\d+)> <http://purl.org/dc/terms/title> '
                  r'"[^"]*)"@nl',
                  lambda m: m.group("s") + ' gewijzigd"@nl' if every_tenth(m) else m.group(0),
                  text)
    text = re.sub(r"(?m)^(?P<s>_:contact(?P<n>\d+) <http://www.w3.org/2006/vcard/ns#hasEmail> )"
                  r"<[^>]*>",
                  lambda m: m.group("s") + "<mailto:nieuw@example.nl>" if every_tenth(m)
                  else m.group(0), text)
    return re.sub(r"(?m)^(?P<s><[^>]*/distributie/(?P<n>\d+)> <http://purl.org/dc/terms/format> "
                  r"<[^>]*/file-type/)[A-Z]+>",
                  lambda m: m.group("s") + "ODS>" if every_tenth(m) else m.group(0), text)


def load(store: EmbeddedStore, index: SearchIndex, path: Path) -> None:
    load_sources(store, [path], base=BASE, listeners=[index_listener(index)])


def graph_iri() -> str:
    return f"{BASE}/id/graph/catalogue"


def as_rdflib(store: EmbeddedStore) -> Graph:
    data = bytes(store.raw_store.dump(format=RdfFormat.N_TRIPLES,
                                      from_graph=NamedNode(graph_iri())) or b"")
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def index_rows(index: SearchIndex) -> dict[str, list[tuple[object, ...]]]:
    """Everything the index holds, by URI rather than by row id."""
    assert index.path is not None
    db = sqlite3.connect(index.path)
    try:
        docs = {row[0]: row for row in db.execute("SELECT id, uri, kind, labels, snippet, "
                                                  "sort_key, modified FROM docs")}
        def rows(query: str) -> list[tuple[object, ...]]:
            return sorted((docs[row[0]][1], *row[1:]) for row in db.execute(query))
        return {
            "docs": sorted(row[1:] for row in docs.values()),
            "graphs": rows("SELECT doc, graph FROM doc_graphs"),
            "facets": rows("SELECT doc, facet, value FROM facets"),
            "suggest": rows("SELECT doc, tier, term FROM suggest"),
            "fts": rows("SELECT rowid, uri, pref, alt, hidden, notation, body FROM fts"),
            "states": sorted(db.execute("SELECT graph, state FROM graph_states")),
        }
    finally:
        db.close()


def opened(folder: Path) -> tuple[EmbeddedStore, SearchIndex]:
    return (EmbeddedStore(folder / "store"), SearchIndex(folder / "store.search.sqlite"))


def test_a_replace_with_a_tenth_changed_ends_as_a_full_replace(
    catalogue: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = catalogue
    store, index = opened(tmp_path / "delta")
    load(store, index, old)
    load(store, index, new)
    change = store.change(graph_iri())
    assert change is not None and change.subjects is not None
    # twelve datasets and their twelve distributions; the contact points are the datasets'
    assert len(change.subjects) == 24

    full_store, full_index = opened(tmp_path / "full")
    load(full_store, full_index, new)
    assert isomorphic(as_rdflib(store), as_rdflib(full_store))
    assert store.graphs()[0].triples == full_store.graphs()[0].triples
    # the index updated for the changed subjects equals one built from the store afresh
    touched = index_rows(index)
    rebuild(index, store)
    assert touched == index_rows(index)
    rebuild(full_index, full_store)
    rebuilt = index_rows(full_index)
    assert touched["docs"] == rebuilt["docs"]
    assert touched["facets"] == rebuilt["facets"]
    hits = index.search("gewijzigd", kinds=["dataset"], limit=100)
    assert hits.total == 12
    assert index.search("", kinds=["dataset"], filters={"format": [
        "http://publications.europa.eu/resource/authority/file-type/ODS"]}).total == 12


def test_the_history_diff_is_that_of_the_content_read_back(
    catalogue: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = catalogue
    store, index = opened(tmp_path)
    load(store, index, old)
    before = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                             {"g": graph_iri()})
    load(store, index, new)
    after = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                            {"g": graph_iri()})
    assert store.change(graph_iri()).subjects is not None  # type: ignore[union-attr]
    files = diff(triples(old), triples(new), limit=10_000)
    assert diff(before, after, limit=10_000) == files
    assert any("gewijzigd" in added for added in files.added) and files.removed


def triples(path: Path) -> list[Triple]:
    return [quad.triple for quad in parse(path.read_bytes(), RdfFormat.N_TRIPLES)]


def test_without_kept_digests_the_graph_is_read_back_and_the_result_is_the_same(
    catalogue: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = catalogue
    store, index = opened(tmp_path)
    load(store, index, old)
    shutil.rmtree(tmp_path / "store.digests")
    load(store, index, new)
    assert store.change(graph_iri()).subjects is not None  # type: ignore[union-attr]
    full_store, _ = opened(tmp_path / "full")
    load(full_store, SearchIndex(), new)
    assert isomorphic(as_rdflib(store), as_rdflib(full_store))


def test_a_failed_delta_write_leaves_store_index_and_digests_as_they_were(
    catalogue: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = catalogue
    store, index = opened(tmp_path)
    load(store, index, old)
    graph_before, index_before = as_rdflib(store), index_rows(index)
    records_before = store.graphs()
    raw = store.raw_store

    class Failing:
        """The store, whose update fails at its last operation (after the delta's)."""

        def __getattr__(self, name: str) -> object:
            return getattr(raw, name)

        def update(self, update: str) -> None:
            assert "DELETE" in update and "INSERT DATA" in update
            raw.update(update + " ;\nLOAD <http://127.0.0.1:1/none>")

    monkeypatch.setattr(store, "_store", Failing())
    with pytest.raises(OSError):
        load(store, index, new)
    monkeypatch.undo()
    assert isomorphic(as_rdflib(store), graph_before)
    assert store.graphs() == records_before
    assert index_rows(index) == index_before
    # the digests kept are still those of the graph as it is: the next replace is right
    load(store, index, new)
    assert store.change(graph_iri()).subjects is not None  # type: ignore[union-attr]
    full_store, _ = opened(tmp_path / "full")
    load(full_store, SearchIndex(), new)
    assert isomorphic(as_rdflib(store), as_rdflib(full_store))


def test_a_change_the_index_did_not_see_before_reindexes_the_whole_graph(
    catalogue: tuple[Path, Path], tmp_path: Path
) -> None:
    """The index only takes a store's word on what changed when it holds the state before."""
    old, new = catalogue
    store, index = opened(tmp_path)
    load_sources(store, [old], base=BASE)  # the index does not hear of it
    load(store, index, new)
    assert store.change(graph_iri()).subjects is not None  # type: ignore[union-attr]
    assert index.search("", kinds=["dataset"]).total == 120
    touched = index_rows(index)
    rebuild(index, store)
    assert touched == index_rows(index)


def line(s: str, p: str, o: str) -> str:
    return f"<{s}> <{p}> {o} ."


def test_blank_node_trees_are_compared_by_shape_per_subject() -> None:
    a = [line("http://x/a", "http://x/p", "_:b1"), '_:b1 <http://x/q> "1" .',
         '_:b1 <http://x/r> _:b2 .', '_:b2 <http://x/q> "2" .']
    same_shape = [line("http://x/a", "http://x/p", "_:z9"), '_:z9 <http://x/r> _:z8 .',
                  '_:z8 <http://x/q> "2" .', '_:z9 <http://x/q> "1" .']
    other = [*same_shape[:2], '_:z8 <http://x/q> "3" .', same_shape[3]]
    first, second, third = content(a), content(same_shape), content(other)
    assert first is not None and second is not None and third is not None
    assert first.digests == second.digests
    assert first.digests != third.digests
    assert len(first.lines["http://x/a"]) == 4


@pytest.mark.parametrize("lines", [
    # a blank node that two triples point at
    [line("http://x/a", "http://x/p", "_:b"), line("http://x/c", "http://x/p", "_:b")],
    # a blank node that no triple points at
    ['_:b <http://x/q> "1" .'],
    # blank nodes in a cycle
    ['_:b <http://x/q> _:c .', '_:c <http://x/q> _:b .'],
    # deeper than MAX_DEPTH
    [line("http://x/a", "http://x/p", "_:b1"), "_:b1 <http://x/p> _:b2 .",
     "_:b2 <http://x/p> _:b3 .", "_:b3 <http://x/p> _:b4 .", '_:b4 <http://x/q> "1" .'],
    # RDF-star
    ['<< <http://x/a> <http://x/p> <http://x/b> >> <http://x/q> "1" .'],
])
def test_graphs_of_other_shapes_are_replaced_whole(lines: list[str]) -> None:
    assert content(lines) is None


def test_a_graph_with_shared_blank_nodes_is_replaced_whole_and_right(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    g = "http://x/g"
    shared = [line(f"http://x/s{n}", "http://x/p", "_:shared") for n in range(2500)]
    source = "\n".join([*shared, '_:shared <http://x/q> "1" .']).encode()
    first = [quad.triple for quad in parse(source, RdfFormat.N_TRIPLES)]
    now = datetime.now(UTC).replace(microsecond=0)
    store.replace_graphs({g: first}, [GraphRecord(g, "file:///a", None, now, "a", len(first))])
    second = first[1:]
    store.replace_graphs({g: second}, [GraphRecord(g, "file:///a", None,
                                                   now + timedelta(seconds=1), "b",
                                                   len(second))])
    assert store.change(g).subjects is None  # type: ignore[union-attr]
    assert store.graph_triple_count(g) == len(second)


def test_literals_with_line_separators_stay_on_their_line() -> None:
    """A literal may hold U+2028 or a form feed unescaped: lines split at newlines only."""
    text = Literal("een\u2028twee\x0cdrie", language="nl")
    data = serialize([Triple(NamedNode("http://x/a"), NamedNode("http://x/p"), text)],
                     format=RdfFormat.N_TRIPLES)
    found = content(lines_of(bytes(data or b"")))
    assert found is not None and len(found.lines["http://x/a"]) == 1
