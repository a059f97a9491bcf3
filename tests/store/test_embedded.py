"""The embedded store: atomic graph replace, provenance, union queries, dumps."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from catalogue.namespaces import CAT, SYSTEM_GRAPH
from catalogue.store import EmbeddedStore, GraphRecord, embedded
from catalogue.store.terms import Literal, NamedNode, RdfFormat, Triple, parse

EX = "http://example.org/"


def triple(s: str, o: str) -> Triple:
    return Triple(NamedNode(EX + s), NamedNode(EX + "p"), Literal(o))


def record(graph: str, count: int) -> GraphRecord:
    return GraphRecord(graph, "file:///x.ttl", EX + "org", datetime.now(UTC), "abc", count)


def test_replace_graph_swaps_content_and_provenance(empty_store: EmbeddedStore) -> None:
    g = EX + "g"
    empty_store.replace_graphs({g: [triple("a", "1"), triple("b", "2")]}, [record(g, 2)])
    empty_store.replace_graphs({g: [triple("c", "3")]}, [record(g, 1)])
    rows = empty_store.select(f"SELECT ?s WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    assert [row["s"].value for row in rows] == [EX + "c"]
    [prov] = empty_store.graphs()
    assert (prov.graph, prov.triples, prov.publisher) == (g, 1, EX + "org")


def test_queries_see_the_union_of_graphs(empty_store: EmbeddedStore) -> None:
    empty_store.replace_graphs(
        {EX + "g1": [triple("a", "1")], EX + "g2": [triple("b", "2")]},
        [record(EX + "g1", 1), record(EX + "g2", 1)],
    )
    rows = empty_store.select(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s")
    assert [row["s"].value for row in rows] == [EX + "a", EX + "b"]


def test_a_failing_replace_leaves_the_old_graph_whole(
    empty_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    g = EX + "g"
    empty_store.replace_graphs({g: [triple("a", "1")]}, [record(g, 1)])
    before = _dump(empty_store)
    original = embedded.replace_update

    def failing_last(graphs: object, records: object) -> str:
        # The drop and insert run first; then an operation that fails ends the transaction.
        update = original(graphs, records)  # type: ignore[arg-type]
        return update + " ;\nLOAD <http://127.0.0.1:1/none>"

    monkeypatch.setattr(embedded, "replace_update", failing_last)
    with pytest.raises(OSError):
        empty_store.replace_graphs({g: [triple("b", "2")]}, [record(g, 1)])
    assert _dump(empty_store) == before


def test_drop_graph_removes_content_and_record(empty_store: EmbeddedStore) -> None:
    g = EX + "g"
    empty_store.replace_graphs({g: [triple("a", "1")]}, [record(g, 1)])
    empty_store.drop_graph(g)
    assert empty_store.graphs() == []
    assert not empty_store.ask(f"ASK {{ <{EX}a> ?p ?o }}")
    assert not empty_store.ask(f"ASK {{ GRAPH <{SYSTEM_GRAPH}> {{ <{g}> ?p ?o }} }}")


def test_dump_leaves_out_the_system_graph(empty_store: EmbeddedStore) -> None:
    g = EX + "g"
    empty_store.replace_graphs({g: [triple("a", "1")]}, [record(g, 1)])
    for rdf_format in (RdfFormat.TRIG, RdfFormat.TURTLE, RdfFormat.N_QUADS):
        out = io.BytesIO()
        empty_store.dump(out, format=rdf_format)
        quads = list(parse(out.getvalue(), rdf_format))
        assert len(quads) == 1
        assert quads[0].subject == NamedNode(EX + "a")


def test_dump_of_one_graph(empty_store: EmbeddedStore) -> None:
    empty_store.replace_graphs(
        {EX + "g1": [triple("a", "1")], EX + "g2": [triple("b", "2")]},
        [record(EX + "g1", 1), record(EX + "g2", 1)],
    )
    out = io.BytesIO()
    empty_store.dump(out, format=RdfFormat.TURTLE, graph=EX + "g2")
    assert [q.subject.value for q in parse(out.getvalue(), RdfFormat.TURTLE)] == [EX + "b"]


def _dump(store: EmbeddedStore) -> bytes:
    out = io.BytesIO()
    store.dump(out, format=RdfFormat.N_QUADS)
    return b"\n".join(sorted(out.getvalue().splitlines()))


def test_bulk_path_for_new_graphs_writes_content_and_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "BULK_FROM", 2)
    store = EmbeddedStore(tmp_path / "store", exclusive=True)
    g = EX + "g"
    store.replace_graphs({g: [triple("a", "1"), triple("b", "2")]}, [record(g, 2)])
    assert store.graph_triple_count(g) == 2
    [prov] = store.graphs()
    assert (prov.graph, prov.triples) == (g, 2)
    assert store.recover() == []  # nothing left pending


def test_recover_drops_a_graph_left_pending(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    g = EX + "half"
    store.replace_graphs({g: [triple("a", "1")]}, [])
    store.replace_graphs({}, [])
    store.raw_store.update(
        f'INSERT DATA {{ GRAPH <{SYSTEM_GRAPH}> {{ <{g}> <{CAT}loadPending> "true" }} }}'
    )
    del store
    reopened = EmbeddedStore(path)
    assert reopened.graph_triple_count(g) == 0
    assert reopened.recover() == []


def test_is_empty_until_the_first_write(empty_store: EmbeddedStore) -> None:
    """Read from the first quad, not by counting them all (seconds at tens of millions)."""
    assert empty_store.is_empty()
    g = EX + "g"
    empty_store.replace_graphs({g: [triple("a", "1")]}, [record(g, 1)])
    assert not empty_store.is_empty()
    assert empty_store.quad_count() > 0
