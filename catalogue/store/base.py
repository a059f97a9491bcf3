"""The one interface every triple store behind the catalogue implements."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Protocol, runtime_checkable

from catalogue.store.bind import Bindings
from catalogue.store.terms import Quad, RdfFormat, Term, Triple, Value

Row = dict[str, Value]


@dataclass(frozen=True, slots=True)
class GraphRecord:
    """Provenance of one named graph, kept in the system graph."""

    graph: str
    source: str
    publisher: str | None
    loaded_at: datetime
    content_hash: str
    triples: int

    @property
    def state(self) -> str:
        """The graph's state as derived data records it: content hash and time."""
        return f"{self.content_hash} {self.loaded_at.isoformat()}"


@dataclass(frozen=True, slots=True)
class GraphChange:
    """What the last write of one graph did: its record before (None: a new graph) and after,
    and when only part of it was written, the IRIs whose own triples changed and the IRIs that
    are objects of changed triples (None: the whole graph was written)."""

    before: GraphRecord | None
    after: GraphRecord
    subjects: frozenset[str] | None = None
    objects: frozenset[str] = frozenset()


@runtime_checkable
class KeepsChanges(Protocol):
    """A store that can say what its last write of a graph changed (the embedded one), so
    derived data updates only that."""

    def change(self, graph: str) -> GraphChange | None: ...


@runtime_checkable
class ReadsPatterns(Protocol):
    """A store that answers triple patterns directly (the embedded one): reading every
    triple of a resource this way costs microseconds, where a query costs a plan."""

    def quads(self, subject: Term | None, predicate: Term | None,
              object: Term | None) -> Iterator[Quad]:
        """The quads of every graph that match; None matches anything."""
        ...


@runtime_checkable
class BulkLoads(Protocol):
    """A store that writes large new graphs with a bulk loader (the embedded one, when it is
    the store's only user), which leaves Python's lock free while it runs."""

    def will_bulk_load(self, graphs: Mapping[str, Sequence[Triple]]) -> bool: ...


class Store(Protocol):
    """A quad store whose default graph, for queries, is the union of all named graphs."""

    # `bindings` gives variables their values ({"iri": "https://..."}: a str is an IRI, a
    # list binds one variable to each of its values); see catalogue.store.bind. A value from
    # outside goes there, never into the query text.

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """Run a SELECT; each row maps a bound variable name to its term."""
        ...

    def ask(self, query: str, bindings: Bindings | None = None) -> bool: ...

    def construct(self, query: str, bindings: Bindings | None = None) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE."""
        ...

    def replace_graphs(
        self, graphs: Mapping[str, Sequence[Triple]], records: Sequence[GraphRecord]
    ) -> None:
        """Replace each graph's content and its provenance record, all in one transaction."""
        ...

    def drop_graph(self, graph: str) -> None:
        """Remove a graph and its provenance record, in one transaction."""
        ...

    def graphs(self) -> list[GraphRecord]:
        """Provenance records of every graph, ordered by graph IRI."""
        ...

    def dump(self, output: BinaryIO, *, format: RdfFormat, graph: str | None = None) -> None:
        """Write one graph, or the whole store (as a union for formats without graphs)."""
        ...

    def is_empty(self) -> bool: ...

    def close(self) -> None: ...
