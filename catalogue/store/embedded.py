"""The default store: pyoxigraph on disk (or in memory for tests)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph

from catalogue.namespaces import CAT, PREFIXES, SYSTEM_GRAPH
from catalogue.store import bind, provenance
from catalogue.store.base import GraphRecord, Row
from catalogue.store.shared import WriteCounter
from catalogue.store.terms import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    serialize,
)

_SYSTEM = NamedNode(SYSTEM_GRAPH)
_PENDING = NamedNode(CAT + "loadPending")

# From this many triples, a write of graphs that do not exist yet may take the bulk path.
BULK_FROM = 100_000


class EmbeddedStore:
    """pyoxigraph `Store`: every write is one transaction, queries see the union of graphs."""

    def __init__(self, path: Path | None = None, *, exclusive: bool = False) -> None:
        """Open (or create) the store at `path`, or in memory.

        `exclusive` says no one reads while we write (the CLI holds the store alone): then a
        large write of new graphs may use Oxigraph's bulk loader, made crash-safe by a marker
        that `recover` acts on at the next open. A server with readers never sets it."""
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
        try:
            self._store = pyoxigraph.Store(str(path) if path is not None else None)
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise OSError(
                    f"the store at {path} is in use by another process "
                    "(stop `catalogue serve` on it, or point --store elsewhere)"
                ) from exc
            raise OSError(f"cannot open the store at {path}: {exc}") from exc
        self.path = path
        self.exclusive = exclusive
        if path is not None:
            self.recover()
        # Counts our writes, so readers holding their own view of the store (the SPARQL front
        # processes) know when to reopen it.
        self.writes = 0
        self._shared_writes: WriteCounter | None = None

    def select(self, query: str, bindings: bind.Bindings | None = None) -> list[Row]:
        return solution_rows(self._query(query, bindings))

    def ask(self, query: str, bindings: bind.Bindings | None = None) -> bool:
        answer = self._query(query, bindings)
        if not isinstance(answer, pyoxigraph.QueryBoolean):
            raise ValueError("ask() needs an ASK query")
        return bool(answer)

    def construct(self, query: str, bindings: bind.Bindings | None = None) -> list[Triple]:
        triples = self._query(query, bindings)
        if not isinstance(triples, pyoxigraph.QueryTriples):
            raise ValueError("construct() needs a CONSTRUCT or DESCRIBE query")
        return list(triples)

    def _query(self, query: str, bindings: bind.Bindings | None) -> object:
        return self._store.query(bind.as_text(query, bindings), use_default_graph_as_union=True)

    @property
    def raw_store(self) -> pyoxigraph.Store:
        """The pyoxigraph store itself, for the other modules of catalogue.store."""
        return self._store

    def raw_query(self, query: str, **options: object) -> object:
        """The pyoxigraph result itself, for callers that serialise it straight to bytes."""
        return self._store.query(query, **options)  # type: ignore[arg-type]

    def replace_graphs(
        self, graphs: Mapping[str, Sequence[Triple]], records: Sequence[GraphRecord]
    ) -> None:
        # One SPARQL update is one transaction in Oxigraph: a failure or a kill halfway leaves
        # every old graph and its provenance whole. Its commit grows faster than the data (one
        # RocksDB write batch: 31 s at 10k datasets, 1,140 s and 11 GB at 100k), hence the
        # bulk path for large new graphs when no one else reads.
        if self._may_bulk_load(graphs):
            self._bulk_insert_new(graphs, records)
        else:
            self._store.update(replace_update(graphs, records))
        self._wrote()

    def recover(self) -> list[str]:
        """Remove graphs whose bulk load did not finish (a kill halfway); returns them."""
        pending = [
            quad.subject.value
            for quad in self._store.quads_for_pattern(None, _PENDING, None, _SYSTEM)
            if isinstance(quad.subject, NamedNode)
        ]
        for graph in pending:
            self._store.clear_graph(NamedNode(graph))
            self._store.update(provenance.delete_record_update(graph))
        return pending

    def _may_bulk_load(self, graphs: Mapping[str, Sequence[Triple]]) -> bool:
        return (
            self.exclusive
            and self.path is not None
            and sum(len(triples) for triples in graphs.values()) >= BULK_FROM
            and not any(self._store.contains_named_graph(NamedNode(g)) for g in graphs)
        )

    def _bulk_insert_new(
        self, graphs: Mapping[str, Sequence[Triple]], records: Sequence[GraphRecord]
    ) -> None:
        """Mark the graphs pending, bulk-load them, then swap the marks for their records.

        A kill before the last step leaves the marks; `recover` then drops the partial graphs,
        so the store holds the old state (these graphs did not exist) or the new one."""
        marks = [Quad(NamedNode(g), _PENDING, Literal("true"), _SYSTEM) for g in graphs]
        self._store.extend(marks)
        self._store.bulk_extend(
            Quad(t.subject, t.predicate, t.object, NamedNode(graph))
            for graph, triples in graphs.items()
            for t in triples
        )
        self._store.flush()
        self._store.update(replace_update({}, records))

    def drop_graph(self, graph: str) -> None:
        self._store.update(
            f"DROP SILENT GRAPH <{graph}> ;\n" + provenance.delete_record_update(graph)
        )
        self._wrote()

    def share_writes(self, counter: WriteCounter) -> None:
        """Publish the write count in `counter` too, for readers in other processes."""
        self._shared_writes = counter
        counter.set(self.writes)

    def _wrote(self) -> None:
        self.writes += 1
        if self._shared_writes is not None:
            # Readers in other processes open a view per write, and opening one replays the
            # write-ahead log: 13 s after two 200k-triple writes, 18 ms after a flush (2 s).
            self._store.flush()
            self._shared_writes.set(self.writes)

    def graphs(self) -> list[GraphRecord]:
        return provenance.read_records(self)

    def dump(self, output: BinaryIO, *, format: RdfFormat, graph: str | None = None) -> None:
        # The system graph is the store's own bookkeeping, not data: it is never exported.
        if graph is not None:
            self._store.dump(output, format, from_graph=NamedNode(graph), prefixes=PREFIXES)
        elif format.supports_datasets:
            quads = (
                quad
                for quad in self._store.quads_for_pattern(None, None, None, None)
                if not (isinstance(quad.graph_name, NamedNode) and quad.graph_name == _SYSTEM)
            )
            serialize(quads, output, format, prefixes=PREFIXES)
        else:
            union = self.construct(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER(?g != <{SYSTEM_GRAPH}>) }}"
            )
            serialize(union, output, format, prefixes=PREFIXES)

    def is_empty(self) -> bool:
        return len(self._store) == 0

    def quad_count(self) -> int:
        return len(self._store)

    def graph_triple_count(self, graph: str) -> int:
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, NamedNode(graph)))

    def close(self) -> None:
        self._store.flush()


def solution_rows(solutions: object) -> list[Row]:
    """SELECT results as rows of bound terms (RDF-star triple terms left out)."""
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise ValueError("select() needs a SELECT query")
    names = [variable.value for variable in solutions.variables]
    rows: list[Row] = []
    for solution in solutions:
        row: Row = {}
        for name in names:
            term = solution[name]
            if term is not None and not isinstance(term, Triple):
                row[name] = term
        rows.append(row)
    return rows


def replace_update(graphs: Mapping[str, Sequence[Triple]], records: Sequence[GraphRecord]) -> str:
    """A SPARQL update that swaps each graph and its provenance record for new ones."""
    parts = [f"DROP SILENT GRAPH <{graph}>" for graph in graphs]
    parts += [provenance.delete_record_update(record.graph) for record in records]
    body = [f"GRAPH <{graph}> {{\n{_ntriples(triples)}}}" for graph, triples in graphs.items()]
    body.append(f"GRAPH <{SYSTEM_GRAPH}> {{\n{_ntriples(provenance.record_triples(records))}}}")
    parts.append("INSERT DATA {\n" + "\n".join(body) + "\n}")
    return " ;\n".join(parts)


def _ntriples(triples: Sequence[Triple]) -> str:
    if not triples:
        return ""
    return bytes(serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")


__all__ = ["DefaultGraph", "EmbeddedStore"]
