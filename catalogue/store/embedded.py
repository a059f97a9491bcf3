"""The default store: pyoxigraph on disk (or in memory for tests)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import pyoxigraph

from catalogue.namespaces import CAT, PREFIXES, SYSTEM_GRAPH
from catalogue.store import bind, provenance
from catalogue.store.base import GraphChange, GraphRecord, Row
from catalogue.store.delta import (
    Content,
    Delta,
    Digests,
    content,
    delta,
    lines_of,
    subject_digests,
)
from catalogue.store.shared import WriteCounter
from catalogue.store.terms import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Term,
    Triple,
    serialize,
)

_SYSTEM = NamedNode(SYSTEM_GRAPH)
_PENDING = NamedNode(CAT + "loadPending")

# From this many triples, a write of graphs that do not exist yet may take the bulk path.
BULK_FROM = 100_000
# A graph of this many triples or more is compared with its new content, and only what changed
# is written (catalogue.store.delta); smaller graphs are replaced whole, which is as quick.
DELTA_FROM = 2_000


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
        self._changes: dict[str, GraphChange] = {}
        self._digests = Digests(path.with_name(path.name + ".digests") if path else None)

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

    def quads(self, subject: Term | None, predicate: Term | None,
              object: Term | None) -> Iterator[Quad]:
        return iter(self._store.quads_for_pattern(subject, predicate, object, None))  # type: ignore[arg-type]

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
        # bulk path for large new graphs when no one else reads, and for large graphs that
        # exist, an update of the subjects that changed only (catalogue.store.delta).
        before = {r.graph: r for r in provenance.read_records(self) if r.graph in graphs}
        deltas: dict[str, Delta] = {}
        # The digests of each large graph's subjects are kept, so that its next replace
        # compares with them instead of reading the graph back (2.6 s at 10k datasets).
        if self.will_bulk_load(graphs):
            digests = self._bulk_insert_new(graphs, records)
        else:
            contents = self._contents(graphs)
            deltas = self._deltas(contents, before)
            whole = {graph: triples for graph, triples in graphs.items() if graph not in deltas}
            operations = [op for graph, delta in deltas.items() for op in delta.update(graph)]
            self._store.update(" ;\n".join([*operations, replace_update(whole, records)]))
            digests = {graph: found.digests for graph, found in contents.items()}
        self._keep_changes(graphs, before, records, deltas, digests)
        self._wrote()

    def change(self, graph: str) -> GraphChange | None:
        """What the last write of `graph` by this store object changed."""
        return self._changes.get(graph)

    def _contents(self, graphs: Mapping[str, Sequence[Triple]]) -> dict[str, Content]:
        """The new content of the large graphs, per subject (those fit for comparing)."""
        found: dict[str, Content] = {}
        for graph, triples in graphs.items():
            if len(triples) >= DELTA_FROM:
                new = content(lines_of(_ntriples_bytes(triples)))
                if new is not None:
                    found[graph] = new
        return found

    def _deltas(self, contents: Mapping[str, Content],
                before: Mapping[str, GraphRecord]) -> dict[str, Delta]:
        deltas: dict[str, Delta] = {}
        for graph, new in contents.items():
            record = before.get(graph)
            if record is None:
                continue
            old = self._digests.get(graph, record.state) or self._read_digests(graph)
            found = delta(old, new) if old is not None else None
            if found is not None:
                deltas[graph] = self._with_old_objects(graph, found)
        return deltas

    def _read_digests(self, graph: str) -> dict[str, str] | None:
        """The digests of a graph as the store holds it (no digests were kept of its last
        write): it is read back whole, once."""
        old = self._store.dump(format=RdfFormat.N_TRIPLES, from_graph=NamedNode(graph))
        found = content(lines_of(bytes(old or b"")))
        return dict(found.digests) if found is not None else None

    def _with_old_objects(self, graph: str, found: Delta) -> Delta:
        """The delta, with the IRIs its deleted triples pointed at among its objects."""
        objects = set(found.objects)
        for subject in found.gone:
            for quad in self._store.quads_for_pattern(NamedNode(subject), None, None,
                                                      NamedNode(graph)):
                if isinstance(quad.object, NamedNode):
                    objects.add(quad.object.value)
        return replace(found, objects=frozenset(objects))

    def _keep_changes(self, graphs: Iterable[str], before: Mapping[str, GraphRecord],
                      records: Sequence[GraphRecord], deltas: Mapping[str, Delta],
                      digests: Mapping[str, Mapping[str, str]]) -> None:
        after = {record.graph: record for record in records}
        for graph in graphs:
            self._changes.pop(graph, None)
            self._digests.forget(graph)
            if graph not in after:
                continue
            found = deltas.get(graph)
            self._changes[graph] = GraphChange(
                before.get(graph), after[graph],
                found.subjects if found is not None else None,
                found.objects if found is not None else frozenset())
            if graph in digests:
                self._digests.put(graph, after[graph].state, digests[graph])

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

    def will_bulk_load(self, graphs: Mapping[str, Sequence[Triple]]) -> bool:
        """Whether a write of these graphs takes the bulk path: large new graphs, in a store
        on disk that no one else uses."""
        return (
            self.exclusive
            and self.path is not None
            and sum(len(triples) for triples in graphs.values()) >= BULK_FROM
            and not any(self._store.contains_named_graph(NamedNode(g)) for g in graphs)
        )

    def _bulk_insert_new(
        self, graphs: Mapping[str, Sequence[Triple]], records: Sequence[GraphRecord]
    ) -> dict[str, Mapping[str, str]]:
        """Mark the graphs pending, bulk-load them, then swap the marks for their records;
        returns the subject digests of the large ones.

        The loader reads N-Triples (N-Quads for several graphs, so that a blank node two of
        them share stays one node), not Python terms: so it runs without Python's lock,
        beside the search index's work (catalogue.ingest.load). It gives blank nodes new
        names; their graph and shape stay. The digests are taken from the same N-Triples
        after the load (a process of their own to take them during it was no quicker: the
        machine's cores are busy with the loader and the index then).

        A kill before the last step leaves the marks; `recover` then drops the partial graphs,
        so the store holds the old state (these graphs did not exist) or the new one."""
        lines = {graph: _ntriples_bytes(triples) for graph, triples in graphs.items()}
        marks = [Quad(NamedNode(g), _PENDING, Literal("true"), _SYSTEM) for g in graphs]
        self._store.extend(marks)
        try:
            if len(graphs) == 1:
                [(graph, data)] = lines.items()
                self._store.bulk_load(input=data, format=RdfFormat.N_TRIPLES,
                                      to_graph=NamedNode(graph), lenient=True)
            else:
                self._store.bulk_load(input=_nquads(lines), format=RdfFormat.N_QUADS,
                                      lenient=True)
            self._store.flush()
            self._store.update(replace_update({}, records))
        except BaseException:
            # A failure we see (a full disk, an interrupt): take the partial graphs out now,
            # not at the next open.
            self.recover()
            raise
        return {graph: found for graph, data in lines.items() if len(graphs[graph]) >= DELTA_FROM
                and (found := subject_digests(data)) is not None}

    def drop_graph(self, graph: str) -> None:
        self._changes.pop(graph, None)
        self._digests.forget(graph)
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
        # The first quad, not len(): that counts every quad (6.6 s of a start at 44M quads).
        return next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None

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
    return _ntriples_bytes(triples).decode("utf-8") if triples else ""


def _ntriples_bytes(triples: Sequence[Triple]) -> bytes:
    """N-Triples as Oxigraph writes it (single spaces, one triple a line, each ending " .")."""
    return bytes(serialize(triples, format=RdfFormat.N_TRIPLES) or b"")


def _nquads(lines: Mapping[str, bytes]) -> bytes:
    """Graphs' N-Triples (as `_ntriples_bytes` writes them) as one N-Quads document: each
    line gets its graph's name before the final dot. A blank node keeps its label in every
    graph, so one that two graphs share stays one node."""
    quads = [line[:-2] + f" <{graph}> .".encode()
             for graph, data in lines.items() for line in data.split(b"\n") if line]
    return b"\n".join([*quads, b""])


__all__ = ["DefaultGraph", "EmbeddedStore"]
