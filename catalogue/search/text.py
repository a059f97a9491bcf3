"""Text normalisation for the index: case- and accent-insensitive tokens, Dutch and English
stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[\w]+", re.UNICODE)
_STEMMERS = {
    "nl": snowballstemmer.stemmer("dutch"),
    "en": snowballstemmer.stemmer("english"),
}


def fold(text: str) -> str:
    """Lower case without diacritics: 'Één' -> 'een'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


@lru_cache(maxsize=65536)
def stems(token: str) -> tuple[str, ...]:
    """The token's stems in Dutch and English, without the token itself."""
    found = {stemmer.stemWord(token) for stemmer in _STEMMERS.values()}
    found.discard(token)
    return tuple(sorted(s for s in found if len(s) >= 3))


def indexable(texts: list[str] | tuple[str, ...]) -> str:
    """The text as stored in a full-text column: folded words, then their stems."""
    words = [token for text in texts for token in tokens(text)]
    extra = [stem for token in words for stem in stems(token)]
    return " ".join(words + extra)


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression: every word must match, as a prefix, as itself or a stem."""
    parts = []
    for token in tokens(query):
        options = [f'"{token}"*'] + [f'"{stem}"*' for stem in stems(token)]
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts) if parts else None
