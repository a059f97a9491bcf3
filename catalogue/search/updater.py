"""Keeps the index in step with the store: per written graph, and by a full rebuild."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from catalogue.search.extract import (
    all_subjects,
    documents,
    new_documents,
    referrers,
    subjects_in_graphs,
)
from catalogue.search.index import SearchIndex, Staged
from catalogue.store.base import BulkLoads, KeepsChanges, ReadsPatterns, Store
from catalogue.store.terms import NamedNode, Triple

# From this many new triples, the documents of new graphs are read from the triples themselves
# (and the store as it was) before the write, not from the store after it.
PREPARE_FROM = 2_000


def update_graphs(index: SearchIndex, store: Store, graphs: Sequence[str]) -> int:
    """Re-index every resource the written graphs held before or hold now, or, where the
    store says what its last write of a graph changed, the resources that change touched;
    returns how many documents were written."""
    # The states are read before the documents: should a write come between, the index
    # records an older state than it holds, and the next reconcile reads the graph again.
    states = store_states(store)
    whole, touched = _split_by_change(index, store, graphs, states)
    affected = index.uris_in_graphs(whole) | subjects_in_graphs(store, whole) | touched
    docs = documents(store, affected)
    index.replace(affected, docs, states={graph: states.get(graph) for graph in graphs})
    return len(docs)


def _split_by_change(index: SearchIndex, store: Store, graphs: Sequence[str],
                     states: dict[str, str]) -> tuple[list[str], set[str]]:
    """The graphs to re-index whole, and the resources to re-index for the others: those the
    store's last write of a graph touched, when the index holds that write's state before and
    the store its state after (else the change is not the one between them)."""
    whole: list[str] = []
    subjects: set[str] = set()
    objects: set[str] = set()
    seen = index.graph_states() if isinstance(store, KeepsChanges) else {}
    for graph in graphs:
        change = store.change(graph) if isinstance(store, KeepsChanges) else None
        if (change is None or change.subjects is None or change.before is None
                or seen.get(graph) != change.before.state
                or states.get(graph) != change.after.state):
            whole.append(graph)
            continue
        subjects |= change.subjects
        objects |= change.objects
    # A resource's document also holds facets read through other resources (a dataset's
    # formats through its distributions): those that point at a changed one are touched too.
    return whole, subjects | objects | referrers(store, subjects)


def rebuild(index: SearchIndex, store: Store) -> int:
    """Throw the index away and build it again from the store."""
    states = store_states(store)
    docs = documents(store, all_subjects(store))
    index.clear()
    index.replace((), docs, states=dict(states))
    return len(docs)


def reconcile(index: SearchIndex, store: Store) -> list[str]:
    """Re-index the graphs whose state in the system graph differs from the one the index
    recorded (a crash between the store's commit and the index's, a write by another tool or
    instance); returns them."""
    states = store_states(store)
    seen = index.graph_states()
    behind = sorted(g for g in states.keys() | seen.keys() if states.get(g) != seen.get(g))
    if behind:
        update_graphs(index, store, behind)
    return behind


def store_states(store: Store) -> dict[str, str]:
    """Each graph's state as the system graph records it: content hash and time."""
    return {record.graph: record.state for record in store.graphs()}


def ensure_built(index: SearchIndex, store: Store) -> int | None:
    """Build an empty index from a store that has data (a new or outdated index file);
    returns how many resources were indexed, or None when nothing had to be done."""
    if index.count() or store.is_empty():
        return None
    return rebuild(index, store)


class IndexListener:
    """The write-path listener (see catalogue.ingest.load) that updates an index. For large
    graphs the store does not hold yet, it reads the documents before the write (from the
    new triples and the store as it was, which is quicker than reading them back) and
    writes them into the index after it."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def __call__(self, store: Store, graphs: Sequence[str]) -> None:
        update_graphs(self.index, store, graphs)

    def prepare(self, store: Store, graphs: Mapping[str, Sequence[Triple]]
                ) -> Callable[[Store, Sequence[str]], None]:
        if (not isinstance(store, ReadsPatterns)
                or sum(len(triples) for triples in graphs.values()) < PREPARE_FROM
                or any(store.ask("ASK WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": NamedNode(graph)})
                       for graph in graphs)
                or self.index.uris_in_graphs(list(graphs))):
            return self
        if isinstance(store, BulkLoads) and store.will_bulk_load(graphs):
            return _NewGraphsAlongside(self.index, store, graphs)
        return _NewGraphs(self.index, store, graphs)


class _NewGraphs:
    """The index's part of a write of large new graphs: their documents are made from the
    new triples and the store's other graphs (quicker than reading them back) and written in
    one index transaction, which commits once the store's write did."""

    def __init__(self, index: SearchIndex, store: Store,
                 graphs: Mapping[str, Sequence[Triple]]) -> None:
        self.index, self.store, self.graphs = index, store, graphs
        self.staged: Staged | None = None

    def stage(self) -> Staged:
        uris, docs = new_documents(self.store, self.graphs)
        # All documents first, then their rows: made as a stream, interleaved with SQLite's
        # writes, a 10k-dataset load beside a bulk load took 8.0-8.2 s, not 6.7-6.8 s.
        self.staged = self.index.stage(uris, list(docs))
        return self.staged

    def __call__(self, store: Store, written: Sequence[str]) -> None:
        staged = self.staged or self.stage()
        try:
            states = store_states(store)
        except BaseException:
            staged.rollback()
            raise
        staged.commit({graph: states.get(graph) for graph in written})


class _NewGraphsAlongside(_NewGraphs):
    """The same, its work done while the store bulk-loads the graphs (see
    catalogue.ingest.load.WorksAlongside). The index stays locked for writes meanwhile,
    which is why only the bulk path (a store no one else uses) takes this way."""

    def alongside(self) -> None:
        self.stage()

    def abandon(self) -> None:
        if self.staged is not None:
            self.staged.rollback()


def index_listener(index: SearchIndex) -> IndexListener:
    """A write-path listener (see catalogue.ingest.load) that updates this index."""
    return IndexListener(index)
