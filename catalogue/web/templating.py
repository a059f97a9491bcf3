"""Jinja2 set-up: templates from site/templates, with the URL builder and the translator."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

SITE = Path(__file__).resolve().parents[2] / "site"


def environment(site: Path = SITE) -> Environment:
    env = Environment(
        loader=FileSystemLoader(site / "templates"),
        autoescape=select_autoescape(("html",)),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = markdown
    env.filters["thousands"] = lambda n, lang="nl": (
        f"{n:,}".replace(",", "." if lang == "nl" else ",")
    )
    return env


# CommonMark without raw HTML: OpenAPI descriptions are Markdown, and the HTML in them is not
# ours to trust. Line breaks written as <br> become real ones first.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def markdown(text: str) -> Markup:
    """Markdown as safe HTML (links kept, raw HTML escaped, javascript: links dropped)."""
    return Markup(_MARKDOWN.render(_BREAK.sub("\n", text)))
