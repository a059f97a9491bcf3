"""SQLite FTS5 index of every searchable resource: documents, facet values, ranking, paging."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from catalogue.search.text import fold, indexable, match_expression

# Column weights: a prefLabel match outranks altLabel, hiddenLabel, notation, then text.
_WEIGHTS = (0.0, 100.0, 30.0, 10.0, 5.0, 1.0)

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
CREATE INDEX IF NOT EXISTS facets_doc ON facets(doc);
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


class SearchIndex:
    """A thread-safe handle on the index database (a file, or memory for tests)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            str(path) if path else ":memory:", check_same_thread=False, isolation_level=None
        )
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def uris_in_graphs(self, graphs: Sequence[str]) -> set[str]:
        marks = ",".join("?" * len(graphs))
        with self._lock:
            rows = self._db.execute(
                f"SELECT DISTINCT d.uri FROM doc_graphs g JOIN docs d ON d.id = g.doc "
                f"WHERE g.graph IN ({marks})",
                list(graphs),
            ).fetchall()
        return {row[0] for row in rows}

    def replace(self, remove: Iterable[str], documents: Iterable[Document]) -> None:
        """Remove documents by URI and add new ones, in one transaction."""
        documents = list(documents)
        with self._lock:
            cursor = self._db.cursor()
            cursor.execute("BEGIN")
            try:
                for uri in set(remove) | {d.uri for d in documents}:
                    self._delete(cursor, uri)
                for document in documents:
                    self._insert(cursor, document)
                cursor.execute("COMMIT")
            except BaseException:
                cursor.execute("ROLLBACK")
                raise

    def clear(self) -> None:
        with self._lock:
            for table in ("docs", "doc_graphs", "facets", "fts"):
                self._db.execute(f"DELETE FROM {table}")

    def count(self, kind: str | None = None) -> int:
        with self._lock:
            if kind is None:
                return int(self._db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])
            return int(
                self._db.execute("SELECT COUNT(*) FROM docs WHERE kind = ?", (kind,)).fetchone()[0]
            )

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
    ) -> SearchResults:
        """Ranked full-text results; an empty query lists everything by sort key."""
        expression = match_expression(query)
        where, params = _filters(kinds, filters or {})
        if expression is None:
            base = f"SELECT d.id, 0.0 AS score FROM docs d WHERE {where}"
            order = "d.kind, d.sort_key"
            base_params: list[object] = params
        else:
            base = (
                f"SELECT d.id, bm25(fts, {', '.join(map(str, _WEIGHTS))}) AS score "
                f"FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ? AND {where}"
            )
            order = "score, d.sort_key"
            base_params = [expression, *params]
        exact = fold(query.strip())
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM ({base})", base_params).fetchone()[0]
            rows = self._db.execute(
                f"SELECT d.uri, d.kind, d.labels, d.snippet, m.score, d.sort_key = ? AS exact "
                f"FROM ({base}) m JOIN docs d ON d.id = m.id "
                f"ORDER BY exact DESC, {order} LIMIT ? OFFSET ?",
                [exact, *base_params, limit, offset],
            ).fetchall()
            counts = {name: self._facet_counts(name, base, base_params) for name in facets}
            hits = tuple(self._hit(row, lang) for row in rows)
        return SearchResults(total=int(total), hits=hits, facets=counts)

    def suggest(self, query: str, *, lang: str = "nl", limit: int = 10,
                kinds: Sequence[str] = ()) -> tuple[Hit, ...]:
        """Label completions for a search box: prefix matches on labels only."""
        words = [f'"{token}"*' for token in fold(query).split() if token]
        if not words:
            return ()
        expression = "{pref alt hidden notation} : (" + " AND ".join(words) + ")"
        where, params = _filters(kinds, {})
        with self._lock:
            rows = self._db.execute(
                f"SELECT d.uri, d.kind, d.labels, d.snippet, "
                f"bm25(fts, {', '.join(map(str, _WEIGHTS))}) AS score, d.sort_key = ? AS exact "
                f"FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ? AND {where} "
                f"ORDER BY exact DESC, score, length(d.sort_key) LIMIT ?",
                [fold(query.strip()), expression, *params, limit],
            ).fetchall()
            return tuple(self._hit(row, lang) for row in rows)

    # -- internals; callers hold the lock --

    def _facet_counts(
        self, name: str, base: str, params: Sequence[object]
    ) -> tuple[tuple[str, int], ...]:
        rows = self._db.execute(
            f"SELECT f.value, COUNT(*) FROM ({base}) m JOIN facets f ON f.doc = m.id "
            f"WHERE f.facet = ? GROUP BY f.value ORDER BY COUNT(*) DESC, f.value LIMIT 50",
            [*params, name],
        ).fetchall()
        return tuple((value, int(count)) for value, count in rows)

    def _hit(self, row: Sequence[object], lang: str) -> Hit:
        uri, kind, labels, snippet, score = row[0], row[1], row[2], row[3], row[4]
        doc_labels: dict[str, str] = json.loads(str(labels))
        label = next(
            (doc_labels[k] for k in (lang, "nl", "en", "") if k in doc_labels),
            next(iter(doc_labels.values()), str(uri)),
        )
        facets: dict[str, list[str]] = {}
        for facet, value in self._db.execute(
            "SELECT f.facet, f.value FROM facets f JOIN docs d ON d.id = f.doc WHERE d.uri = ?",
            (uri,),
        ):
            facets.setdefault(facet, []).append(value)
        return Hit(str(uri), str(kind), label, str(snippet), -float(str(score)), facets)

    def _delete(self, cursor: sqlite3.Cursor, uri: str) -> None:
        row = cursor.execute("SELECT id FROM docs WHERE uri = ?", (uri,)).fetchone()
        if row is None:
            return
        for table, column in (("docs", "id"), ("doc_graphs", "doc"), ("facets", "doc"),
                              ("fts", "rowid")):
            cursor.execute(f"DELETE FROM {table} WHERE {column} = ?", (row[0],))

    def _insert(self, cursor: sqlite3.Cursor, d: Document) -> None:
        sort_key = fold(d.label("nl"))
        cursor.execute(
            "INSERT INTO docs (uri, kind, labels, snippet, sort_key, modified) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (d.uri, d.kind, json.dumps(d.labels, ensure_ascii=False), d.snippet, sort_key,
             d.modified),
        )
        doc = cursor.lastrowid
        cursor.executemany(
            "INSERT INTO doc_graphs (doc, graph) VALUES (?, ?)", [(doc, g) for g in d.graphs]
        )
        rows = [(doc, "kind", d.kind)] + [
            (doc, name, value) for name, values in d.facets.items() for value in set(values)
        ]
        cursor.executemany("INSERT INTO facets (doc, facet, value) VALUES (?, ?, ?)", rows)
        cursor.execute(
            "INSERT INTO fts (rowid, uri, pref, alt, hidden, notation, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc, d.uri, indexable(list(d.pref)), indexable(list(d.alt)),
             indexable(list(d.hidden)), indexable(list(d.notation)), indexable(list(d.body))),
        )


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
