"""Facet values as bit sets of documents, kept in memory beside the index: the documents a list
page or a search may show, and every facet count over them, are then an AND and a popcount per
facet value (microseconds at 100k documents) instead of a GROUP BY over the facet rows, which
took over 100 ms for a large result at 100k datasets (bench/datasets_bench.py).

A bit set is a Python int; bit i stands for the document at position i (positions are dense,
given in id order when the sets are built and then appended as documents are added).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

FacetRows = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class FacetSets:
    """The bit sets of some facets (always `kind`). Never changed in place: `changed` returns
    new sets, so a reader holding these sees one consistent state."""

    positions: Mapping[int, int]  # document id -> bit position
    values: Mapping[str, Mapping[str, int]]  # facet -> value -> bit set
    size: int  # positions handed out so far (removed documents leave theirs unused)

    @classmethod
    def build(cls, db: sqlite3.Connection, facets: Iterable[str],
              base: FacetSets | None = None) -> FacetSets:
        """Sets for `facets` (and those of `base`, kept) from the index as it is now."""
        positions: Mapping[int, int]
        values: dict[str, Mapping[str, int]]
        if base is None:
            ids = [int(row[0]) for row in db.execute("SELECT id FROM docs ORDER BY id")]
            positions = {doc: position for position, doc in enumerate(ids)}
            values, size = {}, len(ids)
        else:
            positions, values, size = base.positions, dict(base.values), base.size
        wanted = sorted({"kind", *facets} - set(values))
        if wanted:
            marks = ",".join("?" * len(wanted))
            buffers: dict[str, dict[str, bytearray]] = {name: {} for name in wanted}
            width = (size + 7) // 8
            for doc, facet, value in db.execute(
                f"SELECT doc, facet, value FROM facets WHERE facet IN ({marks})", wanted
            ):
                position = positions.get(int(doc))
                if position is None:
                    continue
                bits = buffers[facet].get(value)
                if bits is None:
                    bits = buffers[facet][value] = bytearray(width)
                bits[position >> 3] |= 1 << (position & 7)
            for name, found in buffers.items():
                values[name] = {value: int.from_bytes(bits, "little")
                                for value, bits in found.items()}
        return cls(positions=positions, values=values, size=size)

    def changed(self, removed: Iterable[tuple[int, FacetRows]],
                added: Iterable[tuple[int, FacetRows]]) -> FacetSets:
        """These sets after documents were removed and added (id and facet rows of each)."""
        positions = dict(self.positions)
        size = self.size
        values = {name: dict(found) for name, found in self.values.items()}
        for doc, rows in removed:
            position = positions.pop(doc, None)
            if position is None:
                continue
            for facet, value in rows:
                if facet in values and value in values[facet]:
                    values[facet][value] &= ~(1 << position)
        for doc, rows in added:
            position = positions[doc] = size
            size += 1
            for facet, value in rows:
                if facet in values:
                    values[facet][value] = values[facet].get(value, 0) | (1 << position)
        return FacetSets(positions=positions, values=values, size=size)

    def covers(self, facets: Iterable[str]) -> bool:
        return all(name in self.values for name in facets)

    def allowed(self, kinds: Sequence[str], filters: Mapping[str, Sequence[str]]) -> int:
        """The documents of one of `kinds` (any kind if none) that have, for each filter, one
        of its values."""
        by_kind = self.values["kind"]
        bits = _union(by_kind[kind] for kind in kinds if kind in by_kind) if kinds \
            else _union(by_kind.values())
        for name, chosen in filters.items():
            if chosen:
                found = self.values[name]
                bits &= _union(found[value] for value in chosen if value in found)
        return bits

    def of(self, docs: Iterable[int]) -> int:
        """The bit set of these document ids."""
        bits = bytearray((self.size + 7) // 8)
        for doc in docs:
            position = self.positions.get(doc)
            if position is not None:
                bits[position >> 3] |= 1 << (position & 7)
        return int.from_bytes(bits, "little")

    def counts(self, facet: str, within: int, *, limit: int = 50) -> tuple[tuple[str, int], ...]:
        """The most frequent values of a facet among `within`, most first (then by value)."""
        found = [(value, (bits & within).bit_count())
                 for value, bits in self.values[facet].items()]
        found = [pair for pair in found if pair[1]]
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return tuple(found[:limit])


def _union(sets: Iterable[int]) -> int:
    bits = 0
    for one in sets:
        bits |= one
    return bits
