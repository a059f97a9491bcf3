"""Tests for catalogue/search/text.py: stems are the same whichever thread asks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import snowballstemmer

from catalogue.search.text import stems

WORDS = [
    f"{stem}{ending}"
    for stem in ("woning", "gegeven", "registratie", "gebouw", "adres", "perceel", "begrip",
                 "organisation", "running", "building", "address", "definition")
    for ending in ("", "en", "s", "ingen", "heden", "ing", "ed", "ly", "ness", "eren")
]


def single_threaded(word: str) -> tuple[str, ...]:
    found = {snowballstemmer.stemmer(name).stemWord(word) for name in ("dutch_porter", "english")}
    found.discard(word)
    return tuple(sorted(s for s in found if len(s) >= 3))


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Threads switch often, so a stemmer shared between them would be caught mid-word."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_stems_agree_across_threads(fast_switching: None) -> None:
    expected = {word: single_threaded(word) for word in WORDS}
    stems.cache_clear()

    def stem_all(offset: int) -> list[tuple[str, tuple[str, ...]]]:
        rotated = WORDS[offset:] + WORDS[:offset]
        found = []
        for _ in range(5):
            for word in rotated:
                found.append((word, stems.__wrapped__(word)))
        return found

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = [pair for part in pool.map(stem_all, range(0, 80, 10)) for pair in part]
    wrong = [(word, got, expected[word]) for word, got in answers if got != expected[word]]
    assert not wrong, f"{len(wrong)} of {len(answers)} stems differ, e.g. {wrong[:3]}"
    # and through the cache, which keeps whatever the first caller computed
    stems.cache_clear()

    def through_cache(offset: int) -> list[tuple[str, tuple[str, ...]]]:
        return [(word, stems(word)) for word in WORDS[offset:] + WORDS[:offset]]

    with ThreadPoolExecutor(max_workers=8) as pool:
        cached = [pair for part in pool.map(through_cache, range(0, 80, 10)) for pair in part]
    assert all(got == expected[word] for word, got in cached)
    stems.cache_clear()
