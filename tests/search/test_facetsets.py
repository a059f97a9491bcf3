"""Facet counts, totals and filters from the bit sets agree with the documents themselves: on a
plain list, on full-text matches, after small writes (sets updated) and large ones (rebuilt)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence

import pytest

from catalogue.search import SearchIndex, facetsets
from catalogue.search.index import Document

FACETS = ("publisher", "theme", "format")
VALUES = {
    "publisher": [f"urn:org:{n}" for n in range(12)],
    "theme": [f"urn:theme:{n}" for n in range(5)],
    "format": [f"urn:format:{n}" for n in range(4)],
}
KINDS = ("dataset", "api", "concept")
WORDS = ("zebra", "giraf", "olifant")


def document(rng: random.Random, number: int) -> Document:
    facets = {name: rng.sample(values, rng.randint(0, 2)) for name, values in VALUES.items()}
    return Document(
        uri=f"urn:doc:{number}", kind=rng.choice(KINDS), graphs=["urn:graph"],
        labels={"nl": f"Document {number}"}, pref=[f"Document {number}"],
        body=[" ".join(rng.sample(WORDS, rng.randint(0, 2)))], facets=facets,
    )


def expected(documents: Mapping[str, Document], kinds: Sequence[str],
             filters: Mapping[str, Sequence[str]], word: str | None = None,
             ) -> tuple[int, dict[str, dict[str, int]]]:
    shown = [
        d for d in documents.values()
        if (not kinds or d.kind in kinds)
        and all(set(d.facets.get(name, ())) & set(values) for name, values in filters.items())
        and (word is None or word in " ".join(d.body).split())
    ]
    counts = {name: dict(Counter(v for d in shown for v in d.facets.get(name, ())))
              for name in FACETS}
    return len(shown), counts


def check(index: SearchIndex, documents: Mapping[str, Document], rng: random.Random) -> None:
    for _ in range(40):
        kinds = rng.sample(KINDS, rng.randint(0, 2))
        filters = {name: rng.sample(VALUES[name], 1) for name in rng.sample(FACETS, 1)} \
            if rng.random() < 0.6 else {}
        word = rng.choice((None, *WORDS))
        sort = rng.choice((None, "title", "modified"))
        found = index.search(word or "", kinds=kinds, filters=filters, facets=FACETS,
                             limit=5000, sort=sort)
        total, counts = expected(documents, kinds, filters, word)
        assert found.total == total == len(found.hits)
        assert {name: dict(values) for name, values in found.facets.items()} == counts
        if sort is not None or word is None:  # in the order of the whole list
            mine = {hit.uri for hit in found.hits}
            assert [hit.uri for hit in found.hits] == [
                hit.uri for hit in index.search("", limit=5000, sort=sort).hits
                if hit.uri in mine]
        if word is not None:
            assert {hit.uri for hit in found.hits} == {
                uri for uri, d in documents.items() if word in " ".join(d.body).split()
                and (not kinds or d.kind in kinds)
                and all(set(d.facets.get(n, ())) & set(v) for n, v in filters.items())
            }


@pytest.mark.parametrize(("seed", "sparse_below"), [(1, 64), (2, 64), (3, 0), (4, 10**9)])
def test_counts_agree_after_small_and_large_writes(
        seed: int, sparse_below: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # 0: every value a list of positions; 10**9: every value a bit set; 64: as served
    monkeypatch.setattr(facetsets, "SPARSE_BELOW", sparse_below)
    rng = random.Random(seed)
    index = SearchIndex()
    documents = {d.uri: d for d in (document(rng, n) for n in range(300))}
    index.replace((), documents.values())
    check(index, documents, rng)
    for _ in range(5):  # small writes: the sets are updated
        changed = list({d.uri: d for d in (document(rng, rng.randrange(400))
                                           for _ in range(rng.randint(1, 8)))}.values())
        gone = rng.sample(sorted(documents), 3)
        for uri in gone:
            del documents[uri]
        documents.update({d.uri: d for d in changed})
        index.replace(gone, changed)
        check(index, documents, rng)
    bulk = [document(rng, n) for n in range(300, 2_700)]  # a large write: rebuilt
    index.replace((), bulk)
    documents.update({d.uri: d for d in bulk})
    check(index, documents, rng)
    index.clear()
    assert index.search("", facets=FACETS).total == 0


def test_sets_of_a_file_index_see_writes_made_before_they_were_built(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "index.sqlite"
    rng = random.Random(3)
    first = SearchIndex(path)
    documents = {d.uri: d for d in (document(rng, n) for n in range(50))}
    first.replace((), documents.values())
    first.close()
    again = SearchIndex(path)
    check(again, documents, rng)
    again.close()


def test_value_search_can_be_prepared_before_the_first_search(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What the server does at start: the word lists of a facet's value search made then, so
    that no request makes them (and several at once do not each make them)."""
    rng = random.Random(4)
    index = SearchIndex()
    index.replace((), [document(rng, n) for n in range(60)])
    sets = index.facet_sets(FACETS)
    sets.prepare_value_search(["theme", "publisher", "no-such-facet"])
    # prepared: a value search reads the lists made above and splits no text into words
    monkeypatch.setattr(facetsets, "tokens", lambda text: pytest.fail("words split again"))
    assert sets.named("theme", "theme", limit=10) == sorted(VALUES["theme"])
    assert sets.named("publisher", "org", limit=3) == ["urn:org:0", "urn:org:1", "urn:org:10"]
    with pytest.raises(pytest.fail.Exception):
        sets.named("format", "format", limit=10)  # not prepared: made on first use
