"""Change feeds: what the kept history of published graphs says changed, newest first, for the
whole registry, one publisher, one begrippenkader or one resource (a begrip, a dataset, an API).

Every entry is one version of one graph: who made it, when, how (put, post, delete, rollback),
how many triples came and went, and for begrippenkaders which begrippen are new, removed or
changed (the diff the history page shows). Feeds are read from the history at request time, so
a publish shows in the next request's feed; the diffs of versions are kept in a small cache
(a version never changes)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from catalogue.namespaces import SKOS
from catalogue.publish.diff import BegripChange, diff
from catalogue.publish.history import History, Version
from catalogue.store.terms import NamedNode

# Versions looked at for one feed, newest first: a feed filtered to one begrip reads the diffs
# of at most this many versions (each diff reads two snapshots once, then is cached).
MAX_SCANNED = 400
_SCHEME_LINKS = (f"<{SKOS}inScheme>", f"<{SKOS}topConceptOf>", f"<{SKOS}hasTopConcept>")


@dataclass(frozen=True)
class Change:
    """One version of one graph, as a feed entry."""

    graph: str
    version: Version
    added: int
    removed: int
    begrippen: tuple[BegripChange, ...]
    # IRIs the change touched: subjects of added or removed triples, and the begrippenkaders
    # (skos:inScheme and friends) of those.
    touched: frozenset[str]
    schemes: frozenset[str]


class Changes:
    """The changes kept in a History."""

    def __init__(self, history: History, *, cache: int = 2048) -> None:
        self.history = history
        self._cache: OrderedDict[tuple[str, int], Change] = OrderedDict()
        self._size = cache
        self._lock = threading.Lock()

    def newest(
        self, *, limit: int = 30, by: str | None = None, touching: str | None = None,
        scheme: str | None = None, graphs: Iterable[str] | None = None,
    ) -> list[Change]:
        """Up to `limit` changes, newest first: all, or those made by `by` (an organisation
        IRI), touching the resource `touching`, or within the begrippenkader `scheme`."""
        versions = sorted(
            ((version, graph) for graph in (graphs if graphs is not None
                                            else self.history.graphs())
             for version in self.history.versions(graph)),
            key=lambda pair: (pair[0].at, pair[0].number), reverse=True)
        found: list[Change] = []
        for version, graph in versions[:MAX_SCANNED]:
            if by is not None and version.by != by:
                continue
            change = self.change(graph, version)
            if touching is not None and touching not in change.touched:
                continue
            if scheme is not None and scheme not in change.schemes | change.touched:
                continue
            found.append(change)
            if len(found) >= limit:
                break
        return found

    def change(self, graph: str, version: Version) -> Change:
        key = (graph, version.number)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        change = self._read(graph, version)
        with self._lock:
            self._cache[key] = change
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return change

    def _read(self, graph: str, version: Version) -> Change:
        earlier = [v for v in self.history.versions(graph) if v.number < version.number]
        old = self.history.triples(graph, earlier[-1].number) if earlier else []
        new = self.history.triples(graph, version.number)
        changed = diff(old, new, limit=1 << 62)
        touched: set[str] = set()
        schemes: set[str] = set()
        for line in (*changed.added, *changed.removed):
            subject, _, rest = line.partition(" ")
            if subject.startswith("<"):
                touched.add(subject[1:-1])
            predicate, _, value = rest.partition(" ")
            if predicate in _SCHEME_LINKS and value.startswith("<"):
                schemes.add(value[1:value.index(">")])
        # A begrip's own triples name its kader only where inScheme changed: add the kaders
        # of the touched begrippen from the version itself.
        for triple in (*new, *old):
            if (triple.predicate.value in (SKOS + "inScheme", SKOS + "topConceptOf")
                    and isinstance(triple.subject, NamedNode)
                    and triple.subject.value in touched
                    and isinstance(triple.object, NamedNode)):
                schemes.add(triple.object.value)
        for begrip in changed.begrippen:
            for side in (begrip.old, begrip.new):
                if side is not None:
                    touched.add(side.iri)
        return Change(graph, version, len(changed.added), len(changed.removed),
                      changed.begrippen, frozenset(touched), frozenset(schemes))
