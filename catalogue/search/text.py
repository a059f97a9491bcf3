"""Text normalisation for the index: case- and accent-insensitive tokens, Dutch and English
stems."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[\w]+", re.UNICODE)
# The Porter variant: snowball's newer "dutch" also strips ge- and over-conflates
# ("gegevens" -> "geven", "woningen" -> "woon").
_STEMMER_NAMES = ("dutch_porter", "english")


class _Stemmers(threading.local):
    """One set of stemmers per thread: a snowball stemmer keeps the word it is working on in
    its own fields, so two threads sharing one get each other's stems (or an IndexError)."""

    def __init__(self) -> None:
        self.all = tuple(snowballstemmer.stemmer(name) for name in _STEMMER_NAMES)


_STEMMERS = _Stemmers()


def fold(text: str) -> str:
    """Lower case without diacritics: 'Één' -> 'een'."""
    if text.isascii():  # most text; skips the per-character decomposition
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


@lru_cache(maxsize=65536)
def stems(token: str) -> tuple[str, ...]:
    """The token's stems in Dutch and English, without the token itself."""
    if token.isdigit():
        return ()  # a number has no suffix to strip (and numbers are most tokens of a catalogue)
    found = {stemmer.stemWord(token) for stemmer in _STEMMERS.all}
    found.discard(token)
    return tuple(sorted(s for s in found if len(s) >= 3))


def indexable(texts: list[str] | tuple[str, ...]) -> str:
    """The text as stored in a full-text column: folded words, then their stems."""
    if not texts:
        return ""
    words = tokens(texts[0] if len(texts) == 1 else " ".join(texts))
    for token in words[:]:  # appended to as it goes: each word's stems after all words
        found = stems(token)
        if found:
            words += found
    return " ".join(words)


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression: every word must match, as a prefix, as itself or a stem."""
    parts = []
    for token in tokens(query):
        # the word as a prefix; its stems as whole indexed words (a stem as a prefix would
        # match far too much: "gebouw"* also matches "gebouwinstallatie")
        options = [f'"{token}"*'] + [f'"{stem}"' for stem in stems(token)]
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts) if parts else None


# Words too common to say two texts are alike.
STOPWORDS = frozenset({
    "de", "het", "een", "en", "van", "in", "op", "te", "dat", "die", "is", "voor", "met", "als",
    "aan", "door", "bij", "of", "om", "wordt", "worden", "zijn", "naar", "uit", "over", "niet",
    "ook", "tot", "dan", "nog", "kan", "geen", "deze", "dit", "waar", "wat", "welke", "zoals",
    "onder", "hun", "haar", "the", "a", "an", "and", "on", "to", "for", "with", "as", "by",
    "or", "are", "be", "this", "that", "which", "from", "at", "its",
})


def any_words_expression(words: Sequence[str]) -> str | None:
    """An FTS5 expression matching documents that share any of these words (or their stems);
    stop words and very short words are left out."""
    options: list[str] = []
    for text in words:
        for token in tokens(str(text)):
            if len(token) < 4 or token in STOPWORDS:
                continue
            for form in (token, *stems(token)):
                quoted = f'"{form}"'
                if quoted not in options:
                    options.append(quoted)
    return " OR ".join(options[:40]) if options else None
