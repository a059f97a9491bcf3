"""The gettext catalogues: every msgid the templates and code use is translated in every
catalogue, a language is a catalogue and nothing else, and the texts are chosen per request."""

from __future__ import annotations

import logging
import shutil
from importlib.resources import as_file
from pathlib import Path

import jinja2.ext
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from catalogue import i18n
from catalogue.i18n import LANGUAGES, catalogue_file, find_languages, locale_dir, texts

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "N_": None, "translatable": None, "translatable_plural": (1, 2)}


def catalogues() -> dict[str, Catalog]:
    found = {}
    for lang in LANGUAGES:
        with catalogue_file(lang).open("rb") as po:
            found[lang] = read_po(po, locale=lang)
    return found


def used_msgids() -> set[str]:
    """Every msgid the templates and the Python code name literally (Babel's extraction)."""
    used: set[str] = set()
    sources = [
        (ROOT / "site" / "templates", [("**.html", jinja2.ext.babel_extract)],
         {"**.html": {"extensions": "jinja2.ext.i18n"}}),
        (ROOT / "catalogue", [("**.py", "python")], {}),
    ]
    for folder, methods, options in sources:
        for _file, _line, message, _comments, _context in extract_from_dir(
                str(folder), methods, options_map=options, keywords=KEYWORDS):
            used.add(message if isinstance(message, str) else message[0])  # ngettext: singular
    return used


# Keys a template or module builds from a value ('kind.' ~ r.kind); the catalogues list the
# values it can take. Any other catalogue entry must be used literally somewhere.
DYNAMIC = ("count.", "connections.column.", "connections.type.", "connections.role.",
           "kind.", "facet.", "severity.", "relation.", "quality.", "error.",
           "concept.via.", "datasets.sort.", "datasets.kind.", "history.kind.", "history.action.",
           "organisations.",
           "mqa.", "profile.", "term.", "shacl.", "example.", "feed.action.", "feed.begrippen.",
           "embed.", "relations.kind.", "impact.category.")


def test_language_list_is_the_catalogues_found() -> None:
    assert find_languages() == LANGUAGES
    assert LANGUAGES[0] == "nl" and set(LANGUAGES) >= {"nl", "en"}


def test_every_used_msgid_is_translated_in_every_catalogue() -> None:
    used = used_msgids()
    assert len(used) > 200  # the extraction found the templates and the code
    for lang, catalog in catalogues().items():
        missing = sorted(key for key in used if key not in catalog or not _translated(
            catalog[key]))
        assert not missing, f"{lang}: no translation for {missing}"


def test_every_catalogue_entry_is_used_or_a_known_dynamic_key() -> None:
    used = used_msgids()
    for lang, catalog in catalogues().items():
        unused = sorted(str(m.id) for m in catalog if m.id and isinstance(m.id, str)
                        and m.id not in used and not m.id.startswith(DYNAMIC))
        assert not unused, f"{lang}: entries nothing uses: {unused}"


def test_catalogues_hold_the_same_keys() -> None:
    found = catalogues()
    keys = {lang: {_id(m) for m in catalog if m.id} for lang, catalog in found.items()}
    for lang, own in keys.items():
        assert own == keys["nl"], f"{lang} differs from nl: {sorted(own ^ keys['nl'])}"


def _id(message: object) -> str:
    msgid = message.id  # type: ignore[attr-defined]
    return msgid if isinstance(msgid, str) else msgid[0]


def _translated(message: object) -> bool:
    string = message.string  # type: ignore[attr-defined]
    return all(string) if isinstance(string, tuple | list) else bool(string)


def test_a_third_language_is_one_more_catalogue(tmp_path: Path) -> None:
    """Copy the catalogues, add German as one file, and the languages and texts follow."""
    with as_file(locale_dir()) as source:
        shutil.copytree(source, tmp_path / "locale")
    german = tmp_path / "locale" / "de" / "LC_MESSAGES"
    german.mkdir(parents=True)
    (german / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
        '\nmsgid "nav.home"\nmsgstr "Startseite"\n', encoding="utf-8")
    root = tmp_path / "locale"
    assert find_languages(root) == ("nl", "de", "en")
    compiled = i18n.compile_catalogue(root / "de" / "LC_MESSAGES" / "messages.po", "de")
    assert compiled.gettext("nav.home") == "Startseite"


def test_plural_forms_and_numbers_per_locale() -> None:
    nl, en = texts("nl"), texts("en")
    assert nl.ngettext("validate.violations", "validate.violations.plural", 8) == "8 fouten"
    assert nl.ngettext("validate.violations", "validate.violations.plural", 1) == "1 fout"
    assert en.ngettext("validate.warnings", "validate.warnings.plural", 13) == "13 warnings"
    assert nl.number(291.2) == "291,2" and en.number(291.2) == "291.2"
    assert nl.number(1234567) == "1.234.567" and en.number(1234567) == "1,234,567"


def test_an_unknown_language_gets_the_default() -> None:
    assert texts("xx").lang == "nl"
    assert i18n.pick_language("xx", None, "fr, en;q=0.5") == "en"


def test_an_unknown_key_is_logged_not_silent(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="catalogue.i18n"):
        assert texts("nl").gettext("no.such.key") == "no.such.key"
    assert "no.such.key" in caplog.text
