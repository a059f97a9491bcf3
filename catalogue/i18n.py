"""Interface text in every language we have a catalogue for: gettext catalogues under
`catalogue/locale/{lang}/LC_MESSAGES/messages.po`, read with Babel, chosen per request; numbers
and dates formatted per locale. The language comes from ?lang=, a cookie or Accept-Language.

The msgids are stable keys (`concept.definition`), not English sentences, and Dutch and English
are both ordinary catalogues. Why: the interface is Dutch first, so neither language is "the
source"; rewording English (as "definition" became "concept") then never orphans the Dutch or a
third catalogue; and a key that reaches a page is plainly a missing translation, which
`tests/test_i18n.py` looks for. A third language is one more `.po` file: `LANGUAGES` is the set
of catalogues found. Missing entries fall back to English, then show the key (and log it).

The `.po` files are the source and are compiled in memory at first use (about 10 ms each), so a
fresh clone, an editable install and a built wheel need no compile step.

Thread safety: nothing is installed globally. `texts(lang)` returns an immutable object bound to
one catalogue; each request asks for its own.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

DEFAULT = "nl"
FALLBACK = "en"
DOMAIN = "messages"
LOG = logging.getLogger(__name__)


def locale_dir() -> Traversable:
    return files("catalogue") / "locale"


def catalogue_file(lang: str, root: Traversable | None = None) -> Traversable:
    return (root or locale_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def find_languages(root: Traversable | None = None) -> tuple[str, ...]:
    """Every language with a catalogue, the default first, then alphabetical."""
    found = sorted(entry.name for entry in (root or locale_dir()).iterdir()
                   if entry.is_dir() and catalogue_file(entry.name, root).is_file())
    return tuple(sorted(found, key=lambda lang: (lang != DEFAULT, lang)))


LANGUAGES = find_languages()


def compile_catalogue(source: Traversable, lang: str) -> Translations:
    """A .po file as gettext Translations (compiled to .mo in memory)."""
    with source.open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def translations(lang: str) -> Translations:
    compiled = compile_catalogue(catalogue_file(lang), lang)
    if lang != FALLBACK and FALLBACK in LANGUAGES:
        compiled.add_fallback(translations(FALLBACK))
    return compiled


def _format(text: str, values: dict[str, object]) -> str:
    return text % values if values else text


@dataclass(frozen=True)
class Texts:
    """The interface text and number/date formats of one language. Messages use
    `%(name)s` placeholders (Python format, as Jinja's newstyle gettext and Babel expect)."""

    lang: str
    catalogue: Translations

    def gettext(self, key: str, **values: object) -> str:
        text = self.catalogue.gettext(key)
        if text == key:
            LOG.warning("no translation for %r in any catalogue", key)
        return _format(text, values)

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        text = self.catalogue.ngettext(singular, plural, n)
        if text in (singular, plural):
            LOG.warning("no translation for %r in any catalogue", singular)
        return _format(text, {"num": self.number(n), **values})

    def pgettext(self, context: str, key: str, **values: object) -> str:
        text = str(self.catalogue.pgettext(context, key))
        if text == key:
            LOG.warning("no translation for %r (%s) in any catalogue", key, context)
        return _format(text, values)

    def has(self, key: str) -> bool:
        """Whether a catalogue has `key` (this language's own, else the English fallback): for
        keys built from data (`term.dct:title`, `error.404`) that may have no entry."""
        return key in _keys(self.lang) or (FALLBACK in LANGUAGES and key in _keys(FALLBACK))

    def number(self, n: int | float) -> str:
        """1234567 as 1.234.567 in Dutch, 1,234,567 in English; 291.2 as 291,2 in Dutch."""
        return format_decimal(n, locale=self.locale)

    def date(self, value: date | datetime | str) -> str:
        """A date or time as this locale writes it ("5 dec. 2026", "Dec 5, 2026"); an ISO
        string is read first, and anything else is shown as it is."""
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                return value
            value = parsed if "T" in value or " " in value.strip() else parsed.date()
        if isinstance(value, datetime):
            return f"{format_date(value, 'medium', locale=self.locale)} {value:%H:%M}"
        return format_date(value, "medium", locale=self.locale)

    @property
    def locale(self) -> Locale:
        return _locale(self.lang)


@cache
def _keys(lang: str) -> frozenset[str]:
    with catalogue_file(lang).open("rb") as po:
        return frozenset(str(m.id if isinstance(m.id, str) else m.id[0])
                         for m in read_po(po, locale=lang) if m.id and m.string)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def texts(lang: str) -> Texts:
    """The texts of `lang` (the default language when there is no catalogue for it)."""
    return _texts(lang if lang in LANGUAGES else DEFAULT)


@cache  # one entry per catalogue: a language a client names but we lack is never a key here
def _texts(lang: str) -> Texts:
    return Texts(lang, translations(lang))


@dataclass(frozen=True)
class Message:
    """Text decided now and translated when shown, in whatever language that is (a quality
    reason stored for later, a validation message). Values may be Messages themselves, or a
    `{lang: text}` dict (texts that come with their own languages, as SHACL messages do)."""

    key: str
    values: tuple[tuple[str, object], ...] = ()
    plural: str | None = None
    n: int = 0

    def text(self, lang: str) -> str:
        words = texts(lang)
        values = {name: _shown(value, lang) for name, value in self.values}
        if self.plural is not None:
            return words.ngettext(self.key, self.plural, self.n, **values)
        return words.gettext(self.key, **values)


def translatable(key: str, **values: object) -> Message:
    """A Message for `key` (Babel extracts `translatable` calls like `gettext` ones)."""
    return Message(key, tuple(values.items()))


def translatable_plural(singular: str, plural: str, n: int, **values: object) -> Message:
    return Message(singular, tuple(values.items()), plural, n)


def _shown(value: object, lang: str) -> object:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, dict):
        return value.get(lang) or value.get(FALLBACK) or next(iter(value.values()), "")
    return value


def pick_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    for part in (accept_language or "").split(","):
        primary = part.split(";")[0].strip().split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT
