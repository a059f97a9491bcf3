"""/search (HTML, or JSON with Accept: application/json) and /search/suggest (JSON for the
search box)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from catalogue.i18n import texts
from catalogue.services.search import search_page, suggestions
from catalogue.web.site import language, site_of

router = APIRouter()


@router.get("/search", tags=["search"], summary="Search begrippen, datasets, APIs, organisations")
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    kind: Annotated[list[str] | None, Query()] = None,
    scheme: Annotated[list[str] | None, Query()] = None,
    publisher: Annotated[list[str] | None, Query()] = None,
    language_: Annotated[list[str] | None, Query(alias="language")] = None,
    status: Annotated[list[str] | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> Response:
    site = site_of(request)
    lang = language(request)
    filters = {"scheme": scheme or [], "publisher": publisher or [],
               "language": language_ or [], "status": status or []}
    found = search_page(site.store, site.index, q, kinds=kind or [], filters=filters, lang=lang,
                        page=page)
    if _wants_json(request):
        results = [{"uri": r.uri, "label": r.label, "kind": r.kind, "scheme": r.scheme,
                    "snippet": r.snippet, "score": r.score} for r in found.results]
        return JSONResponse({"results": results, "total": found.total},
                            headers={"Vary": "Accept"})
    response = site.render(request, "search.html", page=found, filters=filters,
                           federated=site.settings.federated)
    response.headers["Vary"] = "Accept"
    return response


@router.get("/search/suggest", tags=["search"], summary="Label completions for a search box")
def suggest(request: Request, q: Annotated[str, Query(max_length=200)] = "",
            kind: Annotated[list[str] | None, Query()] = None) -> JSONResponse:
    site = site_of(request)
    lang = language(request)
    found = suggestions(site.index, site.store, q, lang=lang, kinds=kind or [])
    words = texts(lang)  # the box shows kind_label; kind stays the code for programs
    return JSONResponse({"results": [
        {**asdict(r), "url": site.urls.resource(r.uri),
         "kind_label": words.gettext(f"kind.{r.kind}")}
        for r in found
    ]})


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
