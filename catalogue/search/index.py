"""SQLite FTS5 index of every searchable resource: documents, facet values, ranking, paging."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

import numpy as np

from catalogue.search.facetsets import FacetRows, FacetSets, Within
from catalogue.search.text import (
    any_words_expression,
    fold,
    indexable,
    match_expression,
    tokens,
)

# Column weights: a prefLabel match outranks altLabel, hiddenLabel, notation, then text.
_WEIGHTS = (0.0, 100.0, 30.0, 10.0, 5.0, 1.0)

# Sort orders a list page may ask for instead of relevance; ties broken by id for stable paging.
_SORTS = {
    "title": "d.sort_key, d.id",
    # Newest first; SQLite puts NULL (never modified) last in DESC, and (kind, modified, rowid)
    # is an index, so this order needs no sort.
    "modified": "d.modified DESC, d.id DESC",
}
# Every order a list can take: the sorts, and by kind then title ("").
_ORDERS = {**_SORTS, "": "d.kind, d.sort_key, d.id"}

# Writes touching at most this many documents update the facet bit sets in place of a rebuild.
_UPDATE_SETS_UP_TO = 2_000

# Raise on any change to the tables or to what goes into them: an index file with another
# version is thrown away and rebuilt from the store.
SCHEMA_VERSION = 7  # 7: no index on facets(doc) alone (facets_doc_facet serves it)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    uri TEXT UNIQUE NOT NULL,
    kind TEXT NOT NULL,
    labels TEXT NOT NULL,
    snippet TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    modified TEXT
);
CREATE INDEX IF NOT EXISTS docs_kind_sort ON docs(kind, sort_key);
CREATE INDEX IF NOT EXISTS docs_kind_modified ON docs(kind, modified);
CREATE TABLE IF NOT EXISTS doc_graphs (doc INTEGER NOT NULL, graph TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS doc_graphs_graph ON doc_graphs(graph);
CREATE INDEX IF NOT EXISTS doc_graphs_doc ON doc_graphs(doc);
CREATE TABLE IF NOT EXISTS facets (doc INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS facets_value ON facets(facet, value, doc);
CREATE INDEX IF NOT EXISTS facets_doc_facet ON facets(doc, facet, value);
-- Each indexed graph's content hash and time from the system graph, written in the same
-- transaction as its documents: a graph whose state differs is behind (catalogue.search.updater).
CREATE TABLE IF NOT EXISTS graph_states (graph TEXT PRIMARY KEY, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS suggest (
    tier INTEGER NOT NULL, term TEXT NOT NULL, doc INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS suggest_term ON suggest(tier, term);
CREATE INDEX IF NOT EXISTS suggest_doc ON suggest(doc);
CREATE VIRTUAL TABLE IF NOT EXISTS fts_terms USING fts5vocab(fts, row);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    uri UNINDEXED, pref, alt, hidden, notation, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""


@dataclass(frozen=True)
class Document:
    """One searchable resource, as the index keeps it."""

    uri: str
    kind: str
    graphs: Sequence[str]
    labels: Mapping[str, str]  # language ("" for none) -> display label
    pref: Sequence[str] = ()
    alt: Sequence[str] = ()
    hidden: Sequence[str] = ()
    notation: Sequence[str] = ()
    body: Sequence[str] = ()
    snippet: str = ""
    facets: Mapping[str, Sequence[str]] = field(default_factory=dict)
    modified: str | None = None

    def label(self, lang: str) -> str:
        for key in (lang, "nl", "en", ""):
            if key in self.labels:
                return self.labels[key]
        return next(iter(self.labels.values()), self.uri)


@dataclass(frozen=True)
class Hit:
    uri: str
    kind: str
    label: str
    snippet: str
    score: float
    facets: Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class SearchResults:
    total: int
    hits: tuple[Hit, ...]
    facets: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    # more values over the same documents: the next ones of a facet, or those matching words
    counter: FacetCounter | None = field(default=None, compare=False, repr=False)


FacetCounts = tuple[tuple[str, int], ...]


class FacetCounter:
    """Counts facet values over the documents of one result, from the in-memory facet sets
    and columns (see facetsets.py)."""

    def __init__(self, index: SearchIndex, sets: FacetSets, within: Within) -> None:
        self._index, self._sets, self._within = index, sets, within

    def top(self, facet: str, *, limit: int = 50,
            after: tuple[int, str] | None = None) -> FacetCounts:
        """The most frequent values, most first (then by value); after (count, value) when
        given: the next page of values, keyset-paged."""
        if not self._sets.covers((facet,)):
            return ()
        return self._sets.counts(facet, self._within, limit=limit, after=after)

    def of(self, facet: str, values: Iterable[str]) -> FacetCounts:
        """These values with their counts (those present), most first."""
        if not self._sets.covers((facet,)):
            return ()
        unique = list(dict.fromkeys(values))
        counted = zip(unique, self._sets.counts_of(facet, unique, self._within), strict=True)
        return tuple(sorted(((v, n) for v, n in counted if n),
                            key=lambda pair: (-pair[1], pair[0])))

    def matching(self, facet: str, words: str, *, limit: int = 20) -> FacetCounts:
        """Values of a facet whose label (or, for values with no document, whose text) has
        words starting with these, with their counts here: finding one value among
        thousands without listing them."""
        # Three candidates for each value shown: the most frequent among the first matches in
        # label order (ten each scanned 16k label rows for a common prefix at 100k datasets).
        candidates = self._index.facet_candidates(facet, words, self._sets, limit=limit * 3)
        return self.of(facet, candidates)[:limit]


class Staged:
    """A write of the index left open by `SearchIndex.stage`: commit or roll back, once."""

    def __init__(self, index: SearchIndex, cursor: sqlite3.Cursor,
                 removed: list[tuple[int, FacetRows]], added: list[tuple[int, FacetRows]],
                 size: int) -> None:
        self._index, self.cursor = index, cursor
        self.removed, self.added, self.size = removed, added, size
        self._open = True

    def commit(self, states: Mapping[str, str | None] | None = None) -> None:
        """Make the write visible, with the state of each graph its documents were read from
        (None: the graph is gone)."""
        self._close(states or {})

    def rollback(self) -> None:
        if self._open:
            self._close(None)

    def _close(self, states: Mapping[str, str | None] | None) -> None:
        if not self._open:
            raise RuntimeError("this index write was committed or rolled back already")
        self._open = False
        self._index._finish(self, states)


class SearchIndex:
    """A thread-safe handle on the index database (a file, or memory for tests)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = self._connect(path)
        if path is not None and self._outdated():
            # An index made by an older version: it is derived data, so start afresh; the
            # app rebuilds an empty index from the store.
            self._db.close()
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            self._db = self._connect(path)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._writes = 0  # our own commits
        # Facet bit sets (facetsets.py), built on first use and kept up to date by our writes;
        # valid while the file's data version is the one they were made at (another process,
        # `catalogue load` beside `catalogue serve`, may write the same file).
        self._sets: FacetSets | None = None
        self._sets_version = 0
        # Its own connection, only to ask SQLite whether another connection committed.
        self._watch = self._connect(path) if path is not None else None
        self._watch_lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            # Commits are not synced to disk one by one: a crash of the machine may lose the
            # last ones, which leaves the index behind the store, and `reconcile` (at the
            # next start) brings it up to date from the graph states it records.
            self._db.execute("PRAGMA synchronous = NORMAL")
            # The writer's page cache: 64 MiB, not SQLite's 2 MiB. Writing a 10k-dataset
            # load's 15k documents took 2.7-3.0 s against 3.1-3.5 s (six runs).
            self._db.execute("PRAGMA cache_size = -65536")
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @staticmethod
    def _connect(path: Path | None) -> sqlite3.Connection:
        return sqlite3.connect(
            str(path) if path else ":memory:", check_same_thread=False, isolation_level=None
        )

    def _outdated(self) -> bool:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        tables = self._db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        return bool(tables) and version != SCHEMA_VERSION

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A connection to read with. A file index gives each thread its own read-only
        connection, so requests read side by side (WAL lets them read while one writes); an
        in-memory index has one connection, behind the lock."""
        if self.path is None:
            with self._lock:
                yield self._db
            return
        reader: sqlite3.Connection | None = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._connect(self.path)
            reader.execute("PRAGMA query_only = 1")
            self._local.reader = reader
            with self._lock:
                self._readers.append(reader)
        yield reader

    def close(self) -> None:
        with self._lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
            self._db.close()
            if self._watch is not None:
                self._watch.close()

    def uris_in_graphs(self, graphs: Sequence[str]) -> set[str]:
        marks = ",".join("?" * len(graphs))
        with self._lock:
            rows = self._db.execute(
                f"SELECT DISTINCT d.uri FROM doc_graphs g JOIN docs d ON d.id = g.doc "
                f"WHERE g.graph IN ({marks})",
                list(graphs),
            ).fetchall()
        return {row[0] for row in rows}

    def replace(self, remove: Iterable[str], documents: Iterable[Document],
                states: Mapping[str, str | None] | None = None) -> None:
        """Remove documents by URI and add new ones, in one transaction; with them, the state
        of each graph they were read from (None: the graph is gone)."""
        self.stage(remove, documents).commit(states)

    def stage(self, remove: Iterable[str], documents: Iterable[Document]) -> Staged:
        """`replace` in a transaction left open: readers see none of it until `commit`, and
        `rollback` drops it. Other writes to the index wait for one of the two. `documents`
        may be a generator, read a thousand at a time."""
        self._lock.acquire()
        try:
            cursor = self._db.cursor()
            cursor.execute("BEGIN")
            try:
                removed = [self._delete(cursor, doc) for doc in self._ids(cursor, set(remove))]
                added = self._insert(cursor, documents, removed)
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
        except BaseException:
            self._lock.release()
            raise
        return Staged(self, cursor, removed, added, len(removed) + len(added))

    def _finish(self, staged: Staged, states: Mapping[str, str | None] | None) -> None:
        """Commit a staged write (with graph states), or roll it back (states None)."""
        cursor = staged.cursor
        try:
            if states is None:
                cursor.execute("ROLLBACK")
                return
            try:
                for graph, state in states.items():
                    cursor.execute("DELETE FROM graph_states WHERE graph = ?", (graph,))
                    if state is not None:
                        cursor.execute("INSERT INTO graph_states VALUES (?, ?)", (graph, state))
                cursor.execute("COMMIT")
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            finally:
                self._writes += 1
            # Readers kept the sets of the state before, as their connections did. Small writes
            # (a publisher's upload) update them; large ones drop them, to be built again on
            # the next search.
            sets = self._sets
            small = staged.size <= _UPDATE_SETS_UP_TO
            self._sets = sets.changed(staged.removed, staged.added) \
                if sets is not None and small else None
            self._sets_version = self._data_version()
        finally:
            self._lock.release()

    def clear(self) -> None:
        with self._lock:
            for table in ("docs", "doc_graphs", "facets", "fts", "suggest", "graph_states"):
                self._db.execute(f"DELETE FROM {table}")
            self._writes += 1
            self._sets = None

    def graph_states(self) -> dict[str, str]:
        """The state (content hash and time) of each graph as the index last read it."""
        with self._lock:
            rows = self._db.execute("SELECT graph, state FROM graph_states").fetchall()
        return {str(graph): str(state) for graph, state in rows}

    def count(self, kind: str | None = None) -> int:
        with self._reading() as db:
            if kind is None:
                return int(db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])
            return int(
                db.execute("SELECT COUNT(*) FROM docs WHERE kind = ?", (kind,)).fetchone()[0]
            )

    def facet_counts(
        self, facet: str, *, kind: str | None = None, values: Sequence[str] = ()
    ) -> dict[str, int]:
        """How many documents (of one kind) carry each value of a facet: e.g. begrippen per
        begrippenkader, from the index rather than a GROUP BY over the store."""
        clauses, params = ["f.facet = ?"], [facet]
        if kind is not None:
            clauses.append("d.kind = ?")
            params.append(kind)
        if values:
            clauses.append(f"f.value IN ({','.join('?' * len(values))})")
            params += list(values)
        with self._reading() as db:
            rows = db.execute(
                f"SELECT f.value, COUNT(*) FROM facets f "
                f"{'JOIN docs d ON d.id = f.doc ' if kind is not None else ''}"
                f"WHERE {' AND '.join(clauses)} GROUP BY f.value",
                params,
            ).fetchall()
        return {str(value): int(count) for value, count in rows}

    def related(
        self, words: Sequence[str], *, kinds: Sequence[str] = (), limit: int = 10,
        exclude: Sequence[str] = (), lang: str = "nl",
    ) -> tuple[Hit, ...]:
        """Documents sharing any of these words (labels weigh most): 'similar' begrippen.
        Words in more than 2% of the documents say little and would make the query rank
        nearly everything, so they are left out."""
        expression = any_words_expression(self._distinctive(words))
        if expression is None:
            return ()
        where, params = _filters(kinds, {})
        if exclude:
            where += f" AND d.uri NOT IN ({','.join('?' * len(exclude))})"
            params += list(exclude)
        with self._reading() as db:
            rows = db.execute(
                f"SELECT d.uri, d.kind, d.labels, d.snippet, "
                f"bm25(fts, {', '.join(map(str, _WEIGHTS))}) AS score "
                f"FROM fts CROSS JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ? AND {where} "
                f"ORDER BY score LIMIT ?",
                [expression, *params, limit],
            ).fetchall()
            return self._hits(db, rows, lang)

    def _distinctive(self, words: Sequence[str]) -> list[str]:
        candidates = sorted({token for text in words for token in tokens(text)})
        if not candidates:
            return []
        with self._reading() as db:
            total = int(db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])
            common = {term for term, in db.execute(
                f"SELECT term FROM fts_terms WHERE term IN ({','.join('?' * len(candidates))}) "
                f"AND doc > ?", [*candidates, max(20, total // 50)])}
        return [token for token in candidates if token not in common]

    def members(
        self, value: str, *, facet: str = "scheme", kind: str = "concept"
    ) -> list[tuple[str, dict[str, str], list[str]]]:
        """Every document of a kind with this facet value (the begrippen of a kader): its URI,
        labels per language and broader begrippen, read from the index in one query (a row per
        broader begrip; a correlated subquery per begrip took twice as long at 10k begrippen)."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT d.id, d.uri, d.labels, p.value FROM facets f "
                "CROSS JOIN docs d ON d.id = f.doc "
                "LEFT JOIN facets p ON p.doc = f.doc AND p.facet = 'broader' "
                "WHERE f.facet = ? AND f.value = ? AND d.kind = ?",
                (facet, value, kind),
            ).fetchall()
        found: dict[int, tuple[str, str, list[str]]] = {}
        for doc, uri, labels, parent in rows:
            entry = found.get(doc)
            if entry is None:
                entry = found[doc] = (uri, labels, [])
            if parent is not None:
                entry[2].append(parent)
        # One parse of all label objects as an array: a json.loads per begrip was most of the
        # time at 10k begrippen.
        names = json.loads("[" + ",".join(labels for _, labels, _ in found.values()) + "]")
        return [(uri, labels, broader)
                for (uri, _, broader), labels in zip(found.values(), names, strict=True)]

    def search(
        self,
        query: str,
        *,
        kinds: Sequence[str] = (),
        filters: Mapping[str, Sequence[str]] | None = None,
        lang: str = "nl",
        limit: int = 20,
        offset: int = 0,
        facets: Sequence[str] = (),
        facet_limit: int = 50,
        sort: str | None = None,
        modified_since: str | None = None,
    ) -> SearchResults:
        """Ranked full-text results; an empty query lists everything by sort key. `sort` is
        "title" or "modified" (newest first) instead of relevance; `modified_since` (an ISO
        date) keeps documents modified on or after it."""
        expression = match_expression(query)
        chosen = {name: values for name, values in (filters or {}).items() if values}
        sets = self.facet_sets((*facets, *chosen))
        where, params = _filters(kinds, chosen)
        if modified_since:
            where += " AND d.modified >= ?"
            params.append(modified_since)
        if expression is None:
            return self._listing(where, params, sets, sets.allowed(kinds, chosen), lang=lang,
                                 limit=limit, offset=offset, facets=facets, sort=sort,
                                 exact_total=not modified_since, facet_limit=facet_limit)
        if sort in _SORTS and not modified_since:
            return self._sorted_matches(expression, sets, sets.allowed(kinds, chosen),
                                        sort=str(sort), lang=lang, limit=limit, offset=offset,
                                        facets=facets, facet_limit=facet_limit)
        order = _SORTS[sort].replace("d.", "m.") if sort in _SORTS else \
            "m.sort_key = ? DESC, m.tier, m.score, m.sort_key"
        order_params = [] if sort in _SORTS else [fold(query.strip())]
        with self._reading() as db:
            # Every match once, filtered and ordered by SQLite (which runs without the GIL, so
            # requests in other threads go on meanwhile): the ids give the total, the page and
            # the facet counts, so the full-text query runs once for all three.
            matches = db.execute(
                f"SELECT m.id, m.score FROM (SELECT d.id, d.sort_key, d.modified, "
                f"bm25(fts, {', '.join(map(str, _WEIGHTS))}) AS score, {_TIER} AS tier "
                f"FROM fts CROSS JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ? AND {where}"
                f") m ORDER BY {order}",
                [expression, *params, *order_params],
            ).fetchall()
            page = matches[offset:offset + limit]
            scores = dict(page)
            hits = self._hits(db, [(*row, scores[doc]) for doc, row
                                   in self._rows(db, [doc for doc, _ in page])], lang)
        within = sets.of((doc for doc, _ in matches), kinds)
        return self._results(sets, within, len(matches), hits, facets, facet_limit)

    def _sorted_matches(
        self, expression: str, sets: FacetSets, allowed: Within, *, sort: str, lang: str,
        limit: int, offset: int, facets: Sequence[str], facet_limit: int,
    ) -> SearchResults:
        """Matches in title or date order: no ranking, so the full-text index only says which
        documents match (about a quarter of the ranked query's time at 100k datasets); kinds
        and filters are the sets', and the page is the matches' first places in the order
        (`FacetSets.places`)."""
        with self._reading() as db:
            # one text of ids: a row per match made a Python tuple each (a fifth of the time)
            text = db.execute("SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?",
                              [expression]).fetchone()[0]
            ids = np.array(text.split(","), dtype=np.int64) if text else np.zeros(0, np.int64)
            matched = sets.of(ids, allowed.kinds)
            within = Within(matched.bits & allowed.bits, allowed.kinds)
            hits = self._hits(db, self._in_order(db, sets, within, sort, offset, limit), lang)
        return self._results(sets, within, within.size, hits, facets, facet_limit)

    def facet_sets(self, facets: Iterable[str] = ()) -> FacetSets:
        """The facet bit sets, with at least these facets (built now if missing, or when
        another process wrote the index file since they were)."""
        facets = tuple(facets)
        sets = self._sets
        if sets is not None and sets.covers(facets) and self._sets_version == self._data_version():
            return sets
        with self._lock:
            sets = self._sets
            version = self._data_version()
            if version != self._sets_version:
                sets = None  # counts, totals and pages of another process's write
            if sets is None or not sets.covers(facets):
                sets = self._sets = FacetSets.build(self._db, facets, base=sets)
                self._sets_version = version
            return sets

    @property
    def version(self) -> tuple[int, int]:
        """Changes with every write to the index, ours and another process's: what a cache of
        answers read from it is kept by."""
        return self._writes, self._data_version()

    def _data_version(self) -> int:
        """SQLite's data version of the file as our watching connection sees it: it moves with
        every commit of any other connection (ours included)."""
        if self._watch is None:
            return 0
        with self._watch_lock:
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])

    def _listing(
        self, where: str, params: Sequence[object], sets: FacetSets, allowed: Within, *,
        lang: str, limit: int, offset: int, facets: Sequence[str], sort: str | None,
        exact_total: bool, facet_limit: int,
    ) -> SearchResults:
        """A plain list: counts from the bit sets (`allowed` is exact unless a condition the
        sets do not know applies); the page of a whole list in SQL, where the (kind, sort_key)
        and (kind, modified) indexes give the order with no sort (sorting 100k rows: 0.2 s)."""
        order = _SORTS.get(sort or "", _ORDERS[""])
        with self._reading() as db:
            if exact_total:
                total, within = allowed.size, allowed
            elif facets:
                ids = [doc for doc, in db.execute(f"SELECT d.id FROM docs d WHERE {where}",
                                                  params)]
                total, within = len(ids), sets.of(ids, allowed.kinds)
            else:  # the feed's modified_since pages: a total, no counts
                total, within = db.execute(f"SELECT COUNT(*) FROM docs d WHERE {where}",
                                           params).fetchone()[0], Within(0, ())
            if exact_total and not allowed.whole:
                # a filter: the page from the documents' places in the order, since SQL would
                # walk the order's index testing each document until a page is found (all
                # 100k for a value on a few)
                rows = self._in_order(db, sets, within, sort, offset, limit)
            else:
                rows = db.execute(
                    f"SELECT d.uri, d.kind, d.labels, d.snippet, 0.0 FROM docs d WHERE {where} "
                    f"ORDER BY {order} LIMIT ? OFFSET ?",
                    [*params, limit, offset],
                ).fetchall()
            hits = self._hits(db, rows, lang)
        return self._results(sets, within, int(total), hits, facets, facet_limit)

    def _in_order(self, db: sqlite3.Connection, sets: FacetSets, within: Within,
                  sort: str | None, offset: int, limit: int) -> list[tuple[object, ...]]:
        """The page of `within` in a list order (a sort, or by kind then title) as
        (uri, kind, labels, snippet, score) rows: the documents at the first places in it."""
        order = _ORDERS[sort if sort in _SORTS else ""]
        page = sets.first(within, sets.places(db, order), offset, limit)
        return [(*row, 0.0) for _, row in self._rows(db, page)]

    def _results(self, sets: FacetSets, within: Within, total: int, hits: tuple[Hit, ...],
                 facets: Sequence[str], facet_limit: int) -> SearchResults:
        """Results with the top values of `facets` over `within`, and its counter for more."""
        counter = FacetCounter(self, sets, within)
        counts = {name: counter.top(name, limit=facet_limit) for name in facets}
        return SearchResults(total=total, hits=hits, facets=counts, counter=counter)

    def facet_candidates(self, facet: str, words: str, sets: FacetSets, *,
                         limit: int) -> list[str]:
        """Values of a facet that may match these words: documents whose label has a word
        starting with them (a begrip, an organisation), then values whose own text (a name,
        the end of an IRI) does. Both are range scans on sorted keys."""
        prefix = " ".join(tokens(words))
        if not prefix or not sets.covers((facet,)):
            return []
        present = sets.values[facet]
        found: list[str] = []
        with self._reading() as db:
            for tier in range(4):
                rows = db.execute(
                    "SELECT d.uri FROM suggest s CROSS JOIN docs d ON d.id = s.doc "
                    "WHERE s.tier = ? AND s.term >= ? AND s.term < ? ORDER BY s.term LIMIT ?",
                    [tier, prefix, prefix + "\U0010ffff", limit * 2]).fetchall()
                found += [uri for uri, in rows if uri in present]
                if len(found) >= limit:  # the later tiers (hidden labels, codes) add little
                    break
        found += sets.named(facet, prefix, limit=limit)
        return list(dict.fromkeys(found))[:limit]

    @staticmethod
    def _rows(db: sqlite3.Connection, docs: Sequence[int]) -> list[tuple[int, tuple[object, ...]]]:
        """(id, (uri, kind, labels, snippet)) of these documents, in their order."""
        if not docs:
            return []
        found = {int(row[0]): tuple(row[1:]) for row in db.execute(
            f"SELECT id, uri, kind, labels, snippet FROM docs "
            f"WHERE id IN ({','.join('?' * len(docs))})", list(docs))}
        return [(doc, found[doc]) for doc in docs if doc in found]

    def suggest(self, query: str, *, lang: str = "nl", limit: int = 10,
                kinds: Sequence[str] = ()) -> tuple[Hit, ...]:
        """Label completions for a search box: labels (or a word in them) that start with the
        query, prefLabels before altLabels, hiddenLabels and notations, alphabetical within
        each (so an exact label comes first). A range scan on a B-tree: its cost does not grow
        with how many labels match, unlike ranking every full-text match."""
        prefix = " ".join(tokens(query))
        if not prefix:
            return ()
        kind_clause = f" AND d.kind IN ({','.join('?' * len(kinds))})" if kinds else ""
        found: list[int] = []
        with self._reading() as db:
            for tier in range(4):  # prefLabel, altLabel, hiddenLabel, notation
                rows = db.execute(
                    f"SELECT s.doc FROM suggest s CROSS JOIN docs d ON d.id = s.doc "
                    f"WHERE s.tier = ? AND s.term >= ? AND s.term < ?{kind_clause} "
                    f"ORDER BY s.term LIMIT ?",
                    [tier, prefix, prefix + "\U0010ffff", *kinds, limit * 4],
                ).fetchall()
                found += [row[0] for row in rows if row[0] not in found]
                if len(found) >= limit:
                    break
            rank = {doc: place for place, doc in enumerate(found[:limit])}
            return self._hits(db, [(*row, -float(limit - rank[doc]))
                                   for doc, row in self._rows(db, list(rank))], lang)

    # -- internals; callers hold a connection from _reading() --

    def _hits(self, db: sqlite3.Connection, rows: Sequence[Sequence[object]],
              lang: str) -> tuple[Hit, ...]:
        """Hits of (uri, kind, labels, snippet, score) rows, their facets read in one query."""
        uris = [str(row[0]) for row in rows]
        facets: dict[str, dict[str, list[str]]] = {uri: {} for uri in uris}
        if uris:
            for uri, facet, value in db.execute(
                "SELECT d.uri, f.facet, f.value FROM docs d CROSS JOIN facets f ON f.doc = d.id "
                f"WHERE d.uri IN ({','.join('?' * len(uris))})", uris,
            ):
                facets[uri].setdefault(facet, []).append(value)
        hits = []
        for uri, row in zip(uris, rows, strict=True):
            kind, labels, snippet, score = row[1], row[2], row[3], row[4]
            doc_labels: dict[str, str] = json.loads(str(labels))
            label = next(
                (doc_labels[k] for k in (lang, "nl", "en", "") if k in doc_labels),
                next(iter(doc_labels.values()), uri),
            )
            hits.append(Hit(uri, str(kind), label, str(snippet), -float(str(score)),
                            facets[uri]))
        return tuple(hits)

    @staticmethod
    def _ids(cursor: sqlite3.Cursor, uris: Iterable[str]) -> list[int]:
        """The ids of those documents the index holds: a large load's new documents are
        looked up 500 at a time, not one query each."""
        wanted = list(uris)
        found: list[int] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            found += [int(row[0]) for row in cursor.execute(
                f"SELECT id FROM docs WHERE uri IN ({','.join('?' * len(chunk))})", chunk)]
        return found

    def _delete(self, cursor: sqlite3.Cursor, doc: int) -> tuple[int, FacetRows]:
        """Remove a document; its id and facet rows."""
        rows = [(str(f), str(v)) for f, v in cursor.execute(
            "SELECT facet, value FROM facets WHERE doc = ?", (doc,))]
        for table, column in (("docs", "id"), ("doc_graphs", "doc"), ("facets", "doc"),
                              ("fts", "rowid"), ("suggest", "doc")):
            cursor.execute(f"DELETE FROM {table} WHERE {column} = ?", (doc,))
        return doc, rows

    def _insert(self, cursor: sqlite3.Cursor, documents: Iterable[Document],
                removed: list[tuple[int, FacetRows]]) -> list[tuple[int, FacetRows]]:
        """Add documents, in place of those of the same URIs (added to `removed`); each new
        document's id and facet rows.

        A thousand documents' rows go into each table in one statement, as one JSON array
        that SQLite reads itself (`json_each`): such a statement runs without Python's lock,
        where `executemany` takes it back for every row. So a thread of its own writes each
        thousand while the next thousand are made (and a bulk load of the store runs beside
        both, see catalogue.ingest.load). The ids are the ones SQLite would give one insert at
        a time: the largest plus one."""
        next_id = int(cursor.execute("SELECT COALESCE(MAX(id), 0) FROM docs").fetchone()[0]) + 1
        chunks = batched(documents, _CHUNK)
        first = next(chunks, [])
        second = next(chunks, None)
        if second is None:  # a publisher's record, say: no thread for one statement a table
            rows = _Rows(next_id, first)
            self._write(cursor, rows, removed)
            return rows.added
        added: list[tuple[int, FacetRows]] = []
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="index") as writer:
            writing: list[Future[None]] = []
            try:
                for chunk in chain((first, second), chunks):
                    rows = _Rows(next_id, chunk)
                    next_id += len(chunk)
                    added += rows.added
                    if len(writing) > 1:  # at most two thousand documents' rows waiting
                        writing.pop(0).result()
                    writing.append(writer.submit(self._write, cursor, rows, removed))
            finally:
                # every statement ends before the caller commits or rolls back
                wait(writing)
            for done in writing:
                done.result()
        return added

    def _write(self, cursor: sqlite3.Cursor, rows: _Rows,
               removed: list[tuple[int, FacetRows]]) -> None:
        removed += [self._delete(cursor, doc) for doc in self._ids(cursor, rows.uris)]
        for table, columns, values in rows.tables():
            select = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(len(columns)))
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) "
                           f"SELECT {select} FROM json_each(?)", (values,))


# Documents written by one statement per table.
_CHUNK = 1_000


def batched(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Lists of `size` items, the last one shorter (itertools.batched from Python 3.12)."""
    found = iter(items)
    while chunk := list(islice(found, size)):
        yield chunk


class _Rows:
    """The rows of documents in each table, the first document's id given."""

    def __init__(self, first: int, documents: Sequence[Document]) -> None:
        self.uris = [d.uri for d in documents]
        self.docs: list[tuple[object, ...]] = []
        self.graphs: list[tuple[int, str]] = []
        self.facets: list[tuple[int, str, str]] = []
        self.suggest: list[tuple[int, str, int]] = []
        self.texts: list[tuple[object, ...]] = []
        self.added: list[tuple[int, FacetRows]] = []
        for doc, d in enumerate(documents, first):
            self.docs.append((doc, d.uri, d.kind, json.dumps(d.labels, ensure_ascii=False),
                              d.snippet, fold(d.label("nl")), d.modified))
            self.graphs += [(doc, g) for g in d.graphs]
            # Exactly one `kind` row per document: search() counts totals by it.
            rows = [("kind", d.kind)] + [
                (name, value)
                for name, values in d.facets.items() if name != "kind"
                for value in set(values)
            ]
            self.facets += [(doc, facet, value) for facet, value in rows]
            self.suggest += [(tier, term, doc) for tier, term in suggest_terms(d)]
            self.texts.append((doc, d.uri, indexable(list(d.pref)), indexable(list(d.alt)),
                               indexable(list(d.hidden)), indexable(list(d.notation)),
                               indexable(list(d.body))))
            self.added.append((doc, rows))

    def tables(self) -> Iterator[tuple[str, tuple[str, ...], str]]:
        """Each table, its columns, and its rows as one JSON array."""
        for table, columns, rows in (
            ("docs", ("id", "uri", "kind", "labels", "snippet", "sort_key", "modified"),
             self.docs),
            ("doc_graphs", ("doc", "graph"), self.graphs),
            ("facets", ("doc", "facet", "value"), self.facets),
            ("suggest", ("tier", "term", "doc"), self.suggest),
            ("fts", ("rowid", "uri", "pref", "alt", "hidden", "notation", "body"), self.texts),
        ):
            if rows:
                yield table, columns, json.dumps(rows, ensure_ascii=False)


def suggest_terms(d: Document) -> list[tuple[int, str]]:
    """(tier, term) rows for suggestions: each label folded, and again from each later word
    ("kadastrale aanduiding" is found by "aand" too)."""
    rows: set[tuple[int, str]] = set()
    for tier, labels in enumerate((d.pref, d.alt, d.hidden, d.notation)):
        for label in labels:
            words = tokens(label)[:12]
            for start in range(len(words)):
                rows.add((tier, " ".join(words[start:])))
    return sorted(rows)


# Which field a match is in decides the order before bm25 does: prefLabel, altLabel,
# hiddenLabel, notation, then text (bm25's soft weights alone let a long definition full of
# the word outrank a label). bm25 with one column weighted is below zero exactly when that
# column holds a match, so the tier costs no extra full-text query.
_TIER = "CASE " + " ".join(
    f"WHEN bm25(fts, {', '.join('1' if c == n else '0' for c in range(6))}) < 0 THEN {n - 1}"
    for n in range(1, 5)
) + " ELSE 4 END"


def _filters(
    kinds: Sequence[str], filters: Mapping[str, Sequence[str]]
) -> tuple[str, list[object]]:
    """SQL conditions on docs d: the kind is one of `kinds`, each facet has one of its values."""
    clauses = ["1"]
    params: list[object] = []
    if kinds:
        clauses.append(f"d.kind IN ({','.join('?' * len(kinds))})")
        params += list(kinds)
    for name, values in sorted(filters.items()):
        if not values:
            continue
        clauses.append(
            "d.id IN (SELECT doc FROM facets WHERE facet = ? "
            f"AND value IN ({','.join('?' * len(values))}))"
        )
        params += [name, *values]
    return " AND ".join(clauses), params
