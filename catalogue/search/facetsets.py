"""Facet values as sets of documents, kept in memory beside the index: the documents a list
page or a search may show are an AND of a few sets, and the top values of each facet over them
are found without counting every value (a facet may have 50k values: the begrippen a
catalogue's datasets point to as `dcat:theme`).

Positions are dense (given in id order when the sets are built, then appended as documents are
added). A value on many documents is a bit set (a Python int; bit i is the document at position
i); a value on few is a tuple of its positions: 50k bit sets of 100k bits would be 700 MB, and
most values of a large facet are on a handful of documents.

Counting follows the number of documents, never the number of values:
- each facet keeps how many documents of each kind carry each value (`totals`), so the values
  of a whole list are its totals, ranked once per state of the index;
- over part of a list (a filter, a search) each facet's values are counted in one pass over the
  part's documents: a column per facet (`FacetColumn`) holds every document's value numbers in
  position order, so the part's values are gathered and counted by NumPy, and the top values
  found with a partial sort. Its cost grows with the part's documents and their values, not
  with the facet's values (before, a ranked scan of bit sets with a fall back to SQL: about
  150 ms of a 300 ms search at 100k datasets of the linked shape).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from catalogue.search.text import tokens

FacetRows = Sequence[tuple[str, str]]
Members = int | tuple[int, ...]  # a bit set, or the sorted positions of a value on few documents

# A value on more than 1/SPARSE_BELOW of the documents is kept as a bit set: from there a bit
# set takes less memory than a tuple of positions.
SPARSE_BELOW = 64


@dataclass
class Within:
    """The documents a page counts over: a bit set, the kinds it was taken from, and whether
    it is every document of those kinds (then counts are the totals)."""

    bits: int
    kinds: tuple[str, ...]
    whole: bool = False
    _bytes: bytes | None = field(default=None, repr=False)
    _positions: tuple[int, npt.NDArray[np.intp]] | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return self.bits.bit_count()

    def has(self, position: int) -> bool:
        found = self._as_bytes()
        index = position >> 3
        return index < len(found) and bool(found[index] >> (position & 7) & 1)

    def positions(self, size: int) -> npt.NDArray[np.intp]:
        """The positions in the set below `size`, in order, as an array (made once: a page
        counts several facets over the same set)."""
        if self._positions is None or self._positions[0] != size:
            bits = np.unpackbits(np.frombuffer(self._as_bytes(), dtype=np.uint8),
                                 bitorder="little")
            self._positions = (size, np.flatnonzero(bits[:size]))
        return self._positions[1]

    def _as_bytes(self) -> bytes:
        """The bit set as bytes, little-endian (bit i is bit i % 8 of byte i // 8), made once."""
        if self._bytes is None:
            self._bytes = self.bits.to_bytes((self.bits.bit_length() + 8) // 8, "little")
        return self._bytes


@dataclass(frozen=True)
class FacetColumn:
    """One facet's values per document: the value numbers of the document at position p are
    `numbers[starts[p]:starts[p + 1]]`, and `names[n]` is value number n. Appended to as
    documents are added (a new column: readers of the old one go on); a removed document keeps
    its numbers, and counts never reach them: no set holds its position any more."""

    names: list[str]
    number: dict[str, int]
    starts: npt.NDArray[np.int64]  # size + 1 offsets
    numbers: npt.NDArray[np.int32]
    # made on first use: the names sorted, and each value number's place among them
    _sorted: list[tuple[list[str], npt.NDArray[np.int64]]] = field(
        default_factory=list, compare=False, repr=False)

    @classmethod
    def of_rows(cls, rows: Sequence[tuple[int, str]], size: int) -> FacetColumn:
        """From (position, value) rows in any order."""
        number: dict[str, int] = {}
        positions = np.fromiter((position for position, _ in rows), dtype=np.int64,
                                count=len(rows))
        numbers = np.fromiter((number.setdefault(value, len(number)) for _, value in rows),
                              dtype=np.int32, count=len(rows))
        order = np.argsort(positions, kind="stable")
        starts = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(positions, minlength=size)[:size], out=starts[1:])
        return cls(list(number), number, starts, numbers[order])

    def extended(self, added: Sequence[Sequence[str]]) -> FacetColumn:
        """This column with documents at the next positions, one list of values each."""
        names, number = list(self.names), dict(self.number)
        flat = [number.setdefault(value, len(number)) for values in added for value in values]
        names.extend(list(number)[len(names):])
        ends = self.starts[-1] + np.cumsum([len(values) for values in added], dtype=np.int64)
        return FacetColumn(names, number, np.concatenate([self.starts, ends]),
                           np.concatenate([self.numbers, np.asarray(flat, dtype=np.int32)]))

    def sorted(self) -> tuple[list[str], npt.NDArray[np.int64]]:
        """The values sorted, and each value number's place among them (ties in counts go by
        value)."""
        if not self._sorted:
            order = sorted(range(len(self.names)), key=self.names.__getitem__)
            ranks = np.empty(len(self.names), dtype=np.int64)
            ranks[order] = np.arange(len(self.names))
            self._sorted.append(([self.names[n] for n in order], ranks))
        return self._sorted[0]

    def counts(self, positions: npt.NDArray[np.intp]) -> npt.NDArray[np.int64]:
        """How many of the documents at these positions carry each value number."""
        positions = positions[positions < len(self.starts) - 1]
        begin, end = self.starts[positions], self.starts[positions + 1]
        lengths = end - begin
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(len(self.names), dtype=np.int64)
        # the index of every value of every document: its document's start, then 0, 1, ...
        offsets = np.repeat(begin - np.cumsum(lengths) + lengths, lengths)
        gathered = self.numbers[offsets + np.arange(total)]
        return np.bincount(gathered, minlength=len(self.names))

    def top(self, counts: npt.NDArray[np.int64], *, limit: int,
            after: tuple[int, str] | None) -> tuple[tuple[str, int], ...]:
        """The `limit` values counted most, most first, then by value; only those after the
        (count, value) `after` when given."""
        ordered, rank = self.sorted()
        size = len(self.names)
        # one key per value: fewer counts sort later, then the value's place by name
        keys = -counts * size + rank
        eligible = counts > 0
        if after is not None:
            # after it: fewer counts, or as many and a value that sorts later
            eligible &= keys > -after[0] * size + bisect_right(ordered, after[1]) - 1
        candidates = np.flatnonzero(eligible)
        if len(candidates) > limit:
            candidates = candidates[np.argpartition(keys[candidates], limit - 1)[:limit]]
        chosen = candidates[np.argsort(keys[candidates], kind="stable")]
        return tuple((self.names[n], int(counts[n])) for n in chosen.tolist())


@dataclass(frozen=True)
class FacetSets:
    """The sets of some facets (always `kind`). Never changed in place: `changed` returns new
    sets, so a reader holding these sees one consistent state."""

    positions: Mapping[int, int]  # document id -> position
    ids: Sequence[int]  # position -> document id (0 for a removed document)
    values: Mapping[str, Mapping[str, Members]]  # facet -> value -> documents
    # facet -> kind -> value -> how many documents of that kind carry it
    totals: Mapping[str, Mapping[str, Mapping[str, int]]]
    columns: Mapping[str, FacetColumn]  # facet -> the values of each document
    size: int  # positions handed out so far (removed documents leave theirs unused)
    # (facet, kinds) -> values with their totals over those kinds, most first: made on first
    # use for this state. Keys are a facet and a set of known kinds, so the cache is bounded.
    _ranked: dict[tuple[str, tuple[str, ...]], list[tuple[str, int]]] = field(
        default_factory=dict, compare=False, repr=False)
    _named: dict[str, list[tuple[str, str]]] = field(
        default_factory=dict, compare=False, repr=False)
    _positions: list[npt.NDArray[np.int64]] = field(
        default_factory=list, compare=False, repr=False)
    _places: dict[str, npt.NDArray[np.int64]] = field(
        default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, db: sqlite3.Connection, facets: Iterable[str],
              base: FacetSets | None = None) -> FacetSets:
        """Sets for `facets` (and those of `base`, kept) from the index as it is now."""
        positions: Mapping[int, int]
        values: dict[str, Mapping[str, Members]]
        totals: dict[str, Mapping[str, Mapping[str, int]]]
        columns: dict[str, FacetColumn]
        ids: Sequence[int]
        if base is None:
            ids = [int(row[0]) for row in db.execute("SELECT id FROM docs ORDER BY id")]
            positions = {doc: position for position, doc in enumerate(ids)}
            values, totals, columns, size = {}, {}, {}, len(ids)
        else:
            positions, ids, size = base.positions, base.ids, base.size
            values, totals, columns = dict(base.values), dict(base.totals), dict(base.columns)
        wanted = sorted({"kind", *facets} - set(values))
        if not wanted:
            return cls(positions=positions, ids=ids, values=values, totals=totals,
                       columns=columns, size=size)
        kind_of = {int(doc): str(kind) for doc, kind in db.execute(
            "SELECT doc, value FROM facets WHERE facet = 'kind'")}
        found: dict[str, dict[str, list[int]]] = {name: {} for name in wanted}
        counted: dict[str, dict[str, Counter[str]]] = {name: {} for name in wanted}
        rows: dict[str, list[tuple[int, str]]] = {name: [] for name in wanted}
        marks = ",".join("?" * len(wanted))
        for doc, facet, value in db.execute(
            f"SELECT doc, facet, value FROM facets WHERE facet IN ({marks})", wanted
        ):
            position = positions.get(int(doc))
            if position is None:
                continue
            members = found[facet].get(value)
            if members is None:
                members = found[facet][value] = []
            members.append(position)
            rows[facet].append((position, value))
            kind = kind_of.get(int(doc), "")
            by_kind = counted[facet].get(kind)
            if by_kind is None:
                by_kind = counted[facet][kind] = Counter()
            by_kind[value] += 1
        for name in wanted:
            values[name] = {value: _members(sorted(members), size)
                            for value, members in found[name].items()}
            totals[name] = counted[name]
            columns[name] = FacetColumn.of_rows(rows[name], size)
        return cls(positions=positions, ids=ids, values=values, totals=totals, columns=columns,
                   size=size)

    def changed(self, removed: Iterable[tuple[int, FacetRows]],
                added: Iterable[tuple[int, FacetRows]]) -> FacetSets:
        """These sets after documents were removed and added (id and facet rows of each)."""
        positions = dict(self.positions)
        ids = list(self.ids)
        size = self.size
        values = {name: dict(found) for name, found in self.values.items()}
        totals = {name: {kind: Counter(counts) for kind, counts in by_kind.items()}
                  for name, by_kind in self.totals.items()}
        appended: dict[str, list[list[str]]] = {name: [] for name in self.columns}
        for doc, rows in removed:
            position = positions.pop(doc, None)
            if position is None:
                continue
            ids[position] = 0
            kind = _kind(rows)
            for facet, value in rows:
                members = values.get(facet, {}).get(value)
                if members is None:
                    continue
                values[facet][value] = _without(members, position)
                totals[facet].setdefault(kind, Counter())[value] -= 1
        for doc, rows in added:
            position = positions[doc] = size
            ids.append(doc)
            size += 1
            kind = _kind(rows)
            for facet, value in rows:
                if facet in values:
                    values[facet][value] = _with(values[facet].get(value, ()), position, size)
                    totals[facet].setdefault(kind, Counter())[value] += 1
            for facet, column in appended.items():
                column.append([value for name, value in rows if name == facet])
        columns = {name: column.extended(appended[name]) if appended[name] else column
                   for name, column in self.columns.items()}
        return FacetSets(positions=positions, ids=ids, values=values, totals=totals,
                         columns=columns, size=size)

    def covers(self, facets: Iterable[str]) -> bool:
        return all(name in self.values for name in facets)

    def allowed(self, kinds: Sequence[str], filters: Mapping[str, Sequence[str]]) -> Within:
        """The documents of one of `kinds` (any kind if none) that have, for each filter, one
        of its values."""
        by_kind = self.values["kind"]
        shown = tuple(sorted(set(kinds)))
        bits = self._union(by_kind[kind] for kind in shown if kind in by_kind) if kinds \
            else self._union(by_kind.values())
        whole = True
        for name, chosen in filters.items():
            if chosen:
                found = self.values[name]
                bits &= self._union(found[value] for value in chosen if value in found)
                whole = False
        return Within(bits, shown, whole=whole)

    def of(self, docs: Iterable[int] | npt.NDArray[np.int64],
           kinds: Sequence[str] = ()) -> Within:
        """The set of these document ids (found among `kinds`)."""
        found = docs if isinstance(docs, np.ndarray) else np.fromiter(docs, dtype=np.int64)
        where = self._where()
        found = where[found[(found >= 0) & (found < len(where))]]
        marks = np.zeros(self.size, dtype=np.uint8)
        marks[found[found >= 0]] = 1
        bits = np.packbits(marks, bitorder="little").tobytes()
        return Within(int.from_bytes(bits, "little"), tuple(sorted(kinds)))

    def places(self, db: sqlite3.Connection, order: str) -> npt.NDArray[np.int64]:
        """Each position's place in a sort order of the documents (an ORDER BY on `docs d`),
        made on first use for this state: a page of matches in that order is then their first
        places, found without sorting the matches (or anything) in SQL."""
        found = self._places.get(order)
        if found is None:
            rows = db.execute(f"SELECT d.id FROM docs d ORDER BY {order}")
            ids = np.fromiter((doc for doc, in rows), dtype=np.int64)
            where = self._where()
            positions = where[ids[ids < len(where)]]
            positions = positions[positions >= 0]
            found = np.full(self.size, self.size, dtype=np.int64)
            found[positions] = np.arange(len(positions))
            self._places[order] = found
        return found

    def first(self, within: Within, places: npt.NDArray[np.int64], offset: int,
              limit: int) -> list[int]:
        """The ids of the documents of `within` at these places in an order, from `offset`."""
        positions = within.positions(self.size)
        wanted = min(offset + limit, len(positions))
        if wanted <= offset:
            return []
        mine = places[positions]
        if wanted < len(positions):
            chosen = np.argpartition(mine, wanted - 1)[:wanted]
        else:
            chosen = np.arange(len(positions))
        chosen = chosen[np.argsort(mine[chosen], kind="stable")][offset:wanted]
        return [self.ids[position] for position in positions[chosen].tolist()]

    def _where(self) -> npt.NDArray[np.int64]:
        """Document id -> position (-1: none), made on first use for this state."""
        if not self._positions:
            where = np.full(max(self.positions, default=-1) + 1, -1, dtype=np.int64)
            where[np.fromiter(self.positions.keys(), dtype=np.int64, count=len(self.positions))] \
                = np.fromiter(self.positions.values(), dtype=np.int64, count=len(self.positions))
            self._positions.append(where)
        return self._positions[0]

    def ranked(self, facet: str, kinds: Sequence[str]) -> list[tuple[str, int]]:
        """Every value of a facet with its total over these kinds (all if none), most first,
        then by value."""
        key = (facet, tuple(sorted(kinds)))
        found = self._ranked.get(key)
        if found is None:
            by_kind = self.totals[facet]
            summed: Counter[str] = Counter()
            for kind in key[1] or by_kind.keys():
                summed.update(by_kind.get(kind, {}))
            found = sorted(((value, n) for value, n in summed.items() if n > 0),
                           key=lambda pair: (-pair[1], pair[0]))
            self._ranked[key] = found
        return found

    def counts(self, facet: str, within: Within, *, limit: int = 50,
               after: tuple[int, str] | None = None) -> tuple[tuple[str, int], ...]:
        """The most frequent values of a facet among `within`, most first (then by value), and
        after the (count, value) `after` when given (the next page of values)."""
        if within.whole:
            ranked = self.ranked(facet, within.kinds)
            start = 0 if after is None else bisect_right(
                ranked, (-after[0], after[1]), key=lambda pair: (-pair[1], pair[0]))
            return tuple(ranked[start:start + limit])
        column = self.columns[facet]
        return column.top(column.counts(within.positions(self.size)), limit=limit, after=after)

    def named(self, facet: str, prefix: str, *, limit: int) -> list[str]:
        """Values whose own text has words that start with `prefix` (folded words): a
        literal or a blank node's name as it is, an IRI by its last segment. A range in a
        sorted list of each value's word sequences, made on first use for this state."""
        terms = self._named.get(facet)
        if terms is None:
            rows: set[tuple[str, str]] = set()
            for value in self.values[facet]:
                text = value.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1] \
                    if "://" in value else value
                words = tokens(text)[:8]
                rows.update((" ".join(words[start:]), value) for start in range(len(words)))
            terms = self._named[facet] = sorted(rows)
        start = bisect_left(terms, (prefix, ""))
        found: list[str] = []
        for term, value in terms[start:]:
            if not term.startswith(prefix) or len(found) >= limit:
                break
            found.append(value)
        return found

    def prepare_value_search(self, facets: Iterable[str]) -> None:
        """Make `named`'s word lists of these facets now, not on the first value search: for
        50k begrippen as themes that took 90 ms, which every request that came at once paid
        (the tail of the "more" view's p95 at 100k datasets)."""
        for facet in facets:
            if facet in self.values:
                self.named(facet, "", limit=0)

    def counts_of(self, facet: str, values: Sequence[str], within: Within) -> list[int]:
        """How many documents of `within` carry each of these values: over part of a list
        with one count of the facet's column, not a set operation per value (a value search
        weighs a thousand candidates)."""
        if within.whole or len(values) < 8:
            return [self.count_of(facet, value, within) for value in values]
        column = self.columns[facet]
        counted = column.counts(within.positions(self.size))
        return [int(counted[n]) if (n := column.number.get(value)) is not None else 0
                for value in values]

    def count_of(self, facet: str, value: str, within: Within) -> int:
        if within.whole:  # the totals, summed over the kinds shown
            by_kind = self.totals[facet]
            return sum(by_kind[kind].get(value, 0) for kind in within.kinds or by_kind
                       if kind in by_kind)
        members = self.values[facet].get(value)
        return 0 if members is None else _count(members, within)

    def _union(self, sets: Iterable[Members]) -> int:
        bits = 0
        for one in sets:
            bits |= one if isinstance(one, int) else _bits(one, self.size)
        return bits


def _kind(rows: FacetRows) -> str:
    return next((value for facet, value in rows if facet == "kind"), "")


def _members(positions: list[int], size: int) -> Members:
    return _bits(positions, size) if len(positions) * SPARSE_BELOW > size else tuple(positions)


def _bits(positions: Iterable[int], size: int) -> int:
    bits = bytearray((size + 7) // 8)
    for position in positions:
        bits[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(bits, "little")


def _with(members: Members, position: int, size: int) -> Members:
    if isinstance(members, int):
        return members | (1 << position)
    return _members([*members, position], size)  # positions only grow: still sorted


def _without(members: Members, position: int) -> Members:
    if isinstance(members, int):
        return members & ~(1 << position)
    return tuple(p for p in members if p != position)


def _count(members: Members, within: Within) -> int:
    if isinstance(members, int):
        return (members & within.bits).bit_count()
    return sum(1 for position in members if within.has(position))
