"""Facet counts, totals and search hits agree with the documents themselves on the `linked`
data shape of bench/generate.py (themes into a kader of many begrippen, many publishers, several
distributions): the whole list, filters, searches, the top values only, the next values by
keyset, and the SQL count the sets fall back to for evenly spread values."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import DCAT, DCT, RDF, WORDS_NL, write_catalogue
from catalogue.ingest import load_sources
from catalogue.search import SearchIndex, index_listener
from catalogue.store import EmbeddedStore
from tests.conftest import BASE

DATASETS = 600
FACETS = ("theme", "publisher", "format")
_LINE = re.compile(r'^(\S+) <([^>]+)> (<[^>]+>|_:\S+|".*) \.$')


class Expected:
    """What the N-Triples file says, read line by line, without the catalogue's code."""

    def __init__(self, path: Path) -> None:
        objects: dict[tuple[str, str], list[str]] = defaultdict(list)
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _LINE.match(line)
            assert match, line
            subject, predicate, obj = match.groups()
            objects[(subject.strip("<>"), predicate)].append(obj.strip("<>"))
        self.datasets = sorted(s for (s, p), o in objects.items()
                               if p == RDF + "type" and DCAT + "Dataset" in o)
        self.facets: dict[str, dict[str, set[str]]] = {}
        self.titles: dict[str, str] = {}
        for dataset in self.datasets:
            parts = objects[(dataset, DCAT + "distribution")]
            self.facets[dataset] = {
                "theme": set(objects[(dataset, DCAT + "theme")]),
                "publisher": set(objects[(dataset, DCT + "publisher")]),
                "format": {f for part in parts for f in objects[(part, DCT + "format")]},
            }
            self.titles[dataset] = " ".join(objects[(dataset, DCT + "title")]).lower()

    def counts(self, shown: list[str]) -> dict[str, dict[str, int]]:
        return {name: dict(Counter(v for d in shown for v in self.facets[d][name]))
                for name in FACETS}

    def chosen(self, filters: dict[str, list[str]]) -> list[str]:
        return [d for d in self.datasets
                if all(self.facets[d][name] & set(values) for name, values in filters.items())]


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SearchIndex, Expected]]:
    path = tmp_path_factory.mktemp("linked") / "linked.nt"
    counts = write_catalogue(path, datasets=DATASETS, base=BASE, shape="linked")
    assert counts.concepts == DATASETS // 2 and counts.organisations == DATASETS // 30
    store, index = EmbeddedStore(), SearchIndex()
    load_sources(store, [path], base=BASE, listeners=[index_listener(index)])
    yield index, Expected(path)
    index.close()


def _top(counts: dict[str, int], limit: int) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit])


def test_whole_list_filters_and_searches_count_as_the_documents_do(
        linked: tuple[SearchIndex, Expected]) -> None:
    index, expected = linked
    rng = random.Random(5)
    theme_values = sorted({v for d in expected.datasets for v in expected.facets[d]["theme"]})
    assert len(theme_values) > 150  # many distinct values: the shape under test
    cases: list[tuple[str, dict[str, list[str]]]] = [("", {})]
    for _ in range(12):
        name = rng.choice(FACETS)
        value = rng.choice(sorted({v for d in expected.datasets
                                   for v in expected.facets[d][name]}))
        cases.append(("", {name: [value]}))
    cases += [(word, {}) for word in rng.sample(WORDS_NL, 4)]
    for query, filters in cases:
        found = index.search(query, kinds=["dataset"], filters=filters, facets=FACETS,
                             limit=DATASETS, facet_limit=10_000)
        hits = [hit.uri for hit in found.hits]
        shown = expected.chosen(filters)
        if query:
            # the word as the titles hold it: every such dataset is found (stems find more)
            assert {d for d in shown if query in expected.titles[d].split()} <= set(hits)
            shown = [d for d in shown if d in set(hits)]
        assert found.total == len(hits) == len(shown), (query, filters)
        assert sorted(hits) == sorted(shown)
        want = expected.counts(shown)
        assert {name: dict(found.facets[name]) for name in FACETS} == want, (query, filters)
        for limit in (1, 5):  # the top values only, ties by value
            top = index.search(query, kinds=["dataset"], filters=filters, facets=FACETS,
                               limit=1, facet_limit=limit)
            assert top.facets == {name: _top(want[name], limit) for name in FACETS}


def test_next_values_by_keyset(linked: tuple[SearchIndex, Expected]) -> None:
    """Every value once, in order, page after page: over the whole list (the totals) and over
    part of it (counted over the part's documents)."""
    index, expected = linked
    fmt = "http://publications.europa.eu/resource/authority/file-type/CSV"
    for filters in ({}, {"format": [fmt]}):
        found = index.search("", kinds=["dataset"], filters=filters, facets=FACETS,
                             limit=1, facet_limit=7)
        for facet in FACETS:
            want = expected.counts(expected.chosen(filters))[facet]
            assert found.counter is not None
            pages, after = [], None
            while True:
                page = found.counter.top(facet, limit=7, after=after)
                if not page:
                    break
                pages += page
                after = (page[-1][1], page[-1][0])
            assert pages == list(_top(want, len(want))), (filters, facet)


def test_a_value_is_found_among_many_by_its_label(linked: tuple[SearchIndex, Expected]) -> None:
    index, expected = linked
    found = index.search("", kinds=["dataset"], facets=FACETS, limit=1)
    assert found.counter is not None
    counts = expected.counts(expected.datasets)["theme"]
    # a begrip far from the top values, found by its label ("<word> <number>")
    begrip = [v for v, _ in _top(counts, len(counts)) if "/id/begrip/" in v][40]
    number = begrip.rsplit("/", 1)[-1]
    label = next(hit.label for hit in index.search(number, kinds=["concept"], limit=50).hits
                 if hit.uri == begrip)
    matches = dict(found.counter.matching("theme", label))
    assert matches[begrip] == counts[begrip]
    assert all(value in {v for d in expected.datasets for v in expected.facets[d]["theme"]}
               for value in matches)
    # a value with no document, by the end of its IRI
    assert dict(found.counter.matching("format", "csv")) == {
        "http://publications.europa.eu/resource/authority/file-type/CSV":
            expected.counts(expected.datasets)["format"][
                "http://publications.europa.eu/resource/authority/file-type/CSV"]}


def test_a_search_in_title_or_date_order_finds_what_the_ranked_one_finds(
        linked: tuple[SearchIndex, Expected]) -> None:
    """Title and date order take the matches from the full-text index and the page from the
    documents' places in that order: the same documents, totals and counts as the ranked
    search, pages in order, and the same pages as the plain list gives for those documents."""
    index, _ = linked
    rng = random.Random(11)
    fmt = "http://publications.europa.eu/resource/authority/file-type/CSV"
    for word in rng.sample(WORDS_NL, 3):
        for filters in ({}, {"format": [fmt]}):
            ranked = index.search(word, kinds=["dataset"], filters=filters, facets=FACETS,
                                  limit=DATASETS, facet_limit=10_000)
            for sort in ("title", "modified"):
                found = index.search(word, kinds=["dataset"], filters=filters, facets=FACETS,
                                     limit=DATASETS, facet_limit=10_000, sort=sort)
                assert found.total == ranked.total > 0, (word, filters, sort)
                assert sorted(h.uri for h in found.hits) == sorted(h.uri for h in ranked.hits)
                assert found.facets == ranked.facets
                # the order: the plain list's order, kept to these documents
                everything = index.search("", kinds=["dataset"], limit=DATASETS, sort=sort)
                mine = {h.uri for h in found.hits}
                assert [h.uri for h in found.hits] == \
                    [h.uri for h in everything.hits if h.uri in mine]
                # paging: pages of 7 put together are the whole, with none twice
                pages = [index.search(word, kinds=["dataset"], filters=filters, limit=7,
                                      offset=start, sort=sort).hits
                         for start in range(0, found.total + 7, 7)]
                assert [h.uri for page in pages for h in page] == [h.uri for h in found.hits]


def test_counts_of_many_values_over_part_of_the_list(linked: tuple[SearchIndex, Expected]) -> None:
    """A value search counts its candidates over the part shown with one pass of the facet's
    column: the same counts as the documents give, values on none of them left out."""
    index, expected = linked
    fmt = "http://publications.europa.eu/resource/authority/file-type/CSV"
    found = index.search("", kinds=["dataset"], filters={"format": [fmt]}, facets=FACETS,
                         limit=1)
    assert found.counter is not None
    want = expected.counts(expected.chosen({"format": [fmt]}))["theme"]
    values = sorted({v for d in expected.datasets for v in expected.facets[d]["theme"]})[:300]
    assert len(values) >= 8 and any(v not in want for v in values)
    assert dict(found.counter.of("theme", [*values, "http://example.org/nowhere"])) == \
        {v: want[v] for v in values if v in want}
