"""Jinja2 set-up: templates from site/templates, with the URL builder, and the gettext
callables of one request's language (`jinja2.ext.i18n`: `_()`, `ngettext()`, `{% trans %}`)."""

from __future__ import annotations

import re
import textwrap
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from catalogue.i18n import Texts, texts

# site/ in the checkout, installed as the package catalogue._site (see pyproject.toml).
SITE = Path(str(resources.files("catalogue._site")))


def environment(site: Path = SITE) -> Environment:
    env = Environment(
        loader=FileSystemLoader(site / "templates"),
        autoescape=select_autoescape(("html",)),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Newstyle gettext: `_('key', n=3)` fills %(n)s and escapes the values. The callables are
    # never installed on the environment (it is shared by all requests and languages): every
    # render gets those of its own language from `gettext_context`.
    env.extend(newstyle_gettext=True)
    env.filters["markdown"] = markdown
    env.filters["external_link"] = external_link
    env.tests["linkable"] = linkable
    env.filters["thousands"] = lambda n, lang="nl": texts(lang).number(n)
    env.filters["number"] = lambda n, lang="nl": texts(lang).number(n)
    env.filters["date"] = lambda value, lang="nl": texts(lang).date(value)
    return env


def gettext_context(language: Texts) -> dict[str, Any]:
    """The names `jinja2.ext.i18n` looks up, bound to one language, for one render."""

    def values(context: Context, given: dict[str, Any]) -> dict[str, Any]:
        if context.eval_ctx.autoescape:
            return {key: escape(value) for key, value in given.items()}
        return given

    def mark(context: Context, text: str) -> str:
        return Markup(text) if context.eval_ctx.autoescape else text

    @pass_context
    def gettext(context: Context, key: str, **given: Any) -> str:
        return mark(context, language.gettext(key, **values(context, given)))

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, n: int, **given: Any) -> str:
        return mark(context, language.ngettext(singular, plural, n, **values(context, given)))

    @pass_context
    def pgettext(context: Context, where: str, key: str, **given: Any) -> str:
        return mark(context, language.pgettext(where, key, **values(context, given)))

    return {"gettext": gettext, "_": gettext, "ngettext": ngettext, "pgettext": pgettext}


# CommonMark without raw HTML: OpenAPI descriptions are Markdown, and the HTML in them is not
# ours to trust. Line breaks written as <br> become real ones first.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def markdown(text: str) -> Markup:
    """Markdown as safe HTML (links kept, raw HTML escaped, javascript: links dropped)."""
    return Markup(_MARKDOWN.render(_BREAK.sub("\n", dedented(text))))


def dedented(text: str) -> str:
    """The text without the indentation its lines share, the first line aside: descriptions
    written as indented YAML block text keep it after their first line, and Markdown would
    show four spaces of it as a code block running off the page."""
    first, newline, rest = text.partition("\n")
    return first.strip() + newline + textwrap.dedent(rest)


# The only schemes a stored IRI may become a link with: a javascript: (or data:, vbscript:...)
# IRI in someone's metadata would otherwise run script on our origin when clicked.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def linkable(iri: object) -> bool:
    """Whether a stored IRI may be an href: http, https or mailto, nothing else."""
    scheme, colon, rest = str(iri or "").partition(":")
    return bool(colon and rest) and scheme.lower() in LINK_SCHEMES


def external_link(iri: str, text: str | None = None, *, cls: str = "", code: bool = False
                  ) -> Markup:
    """The one way a stored IRI becomes a link: `<a href rel=nofollow>` when `linkable`, else
    the IRI as text (never the friendly `text`, which would hide what the IRI is)."""
    if not linkable(iri):
        return Markup('<code class="unlinked">{}</code>').format(iri)
    shown = escape(iri if text is None else text)
    if code:
        shown = Markup("<code>{}</code>").format(shown)
    klass = Markup(' class="{}"').format(cls) if cls else ""
    return Markup('<a{} href="{}" rel="nofollow">{}</a>').format(klass, iri, shown)
