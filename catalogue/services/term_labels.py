"""Names of the standard terms pages show most, so a page never reads as raw `dct:title` to an
architect: the catalogues' `term.{prefix}:{name}` entries (DCAT-AP-NL terms by the labels of the
standard). Terms not listed fall back to labels in the store."""

from __future__ import annotations

from catalogue.i18n import texts
from catalogue.namespaces import compact


def term_label(iri: str, lang: str) -> str | None:
    """The name of a well-known term in `lang`, or None."""
    key = f"term.{compact(iri)}"
    words = texts(lang)
    return words.gettext(key) if words.has(key) else None
