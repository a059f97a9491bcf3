"""Rich HTML pages by rdf:type: a registry {type IRI: view} that /resource and /doc/ consult
before falling back to the generic resource page. Page families register their views here."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response

PageView = Callable[[Request, str], Response]

# type IRI -> the view that renders an IRI of that type; the first registered type wins.
RICH_PAGES: dict[str, PageView] = {}


def register(type_iri: str) -> Callable[[PageView], PageView]:
    def add(view: PageView) -> PageView:
        RICH_PAGES.setdefault(type_iri, view)
        return view

    return add


def rich_page(request: Request, iri: str, types: set[str]) -> Response | None:
    """The registered page for the IRI's `types`; None when no registered type fits."""
    for type_iri, view in RICH_PAGES.items():
        if type_iri in types:
            return view(request, iri)
    return None
