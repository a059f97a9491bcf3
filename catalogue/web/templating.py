"""Jinja2 set-up: templates from site/templates, with the URL builder and the translator."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

SITE = Path(__file__).resolve().parents[2] / "site"


def environment(site: Path = SITE) -> Environment:
    env = Environment(
        loader=FileSystemLoader(site / "templates"),
        autoescape=select_autoescape(("html",)),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n, lang="nl": (
        f"{n:,}".replace(",", "." if lang == "nl" else ",")
    )
    return env
