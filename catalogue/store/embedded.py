"""The default store: pyoxigraph on disk (or in memory for tests)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph

from catalogue.namespaces import PREFIXES, SYSTEM_GRAPH
from catalogue.store import provenance
from catalogue.store.base import GraphRecord, Row
from catalogue.store.terms import (
    DefaultGraph,
    NamedNode,
    RdfFormat,
    Triple,
    serialize,
)

_SYSTEM = NamedNode(SYSTEM_GRAPH)


class EmbeddedStore:
    """pyoxigraph `Store`: every write is one transaction, queries see the union of graphs."""

    def __init__(self, path: Path | None = None) -> None:
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
        try:
            self._store = pyoxigraph.Store(str(path) if path is not None else None)
        except OSError as exc:
            raise OSError(f"cannot open the store at {path}: {exc}") from exc
        self.path = path

    def select(self, query: str) -> list[Row]:
        solutions = self._store.query(query, use_default_graph_as_union=True)
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

    def ask(self, query: str) -> bool:
        answer = self._store.query(query, use_default_graph_as_union=True)
        if not isinstance(answer, pyoxigraph.QueryBoolean):
            raise ValueError("ask() needs an ASK query")
        return bool(answer)

    def construct(self, query: str) -> list[Triple]:
        triples = self._store.query(query, use_default_graph_as_union=True)
        if not isinstance(triples, pyoxigraph.QueryTriples):
            raise ValueError("construct() needs a CONSTRUCT or DESCRIBE query")
        return list(triples)

    def raw_query(self, query: str, **options: object) -> object:
        """The pyoxigraph result itself, for callers that serialise it straight to bytes."""
        return self._store.query(query, **options)  # type: ignore[arg-type]

    def replace_graphs(
        self, graphs: Mapping[str, Sequence[Triple]], records: Sequence[GraphRecord]
    ) -> None:
        # One SPARQL update is one transaction in Oxigraph: a failure or a kill halfway leaves
        # every old graph and its provenance whole. (`bulk_load` is faster but not atomic.)
        self._store.update(replace_update(graphs, records))

    def drop_graph(self, graph: str) -> None:
        self._store.update(
            f"DROP SILENT GRAPH <{graph}> ;\n" + provenance.delete_record_update(graph)
        )

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
