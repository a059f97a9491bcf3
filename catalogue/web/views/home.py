"""The home page and the list of sources."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from catalogue.content import bundled_document
from catalogue.errors import NotFound
from catalogue.namespaces import PREFIXES
from catalogue.services.home import home_page
from catalogue.services.labels import labels_for
from catalogue.web.site import language, site_of

router = APIRouter()


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    site = site_of(request)
    lang = language(request)
    page = site.cached(("home", lang), lambda: home_page(site.store, site.index, lang=lang))
    if _wants_json(request):
        return JSONResponse(asdict(page))
    return site.render(request, "home.html", page=page)


@router.get("/graphs", include_in_schema=False)
def graphs(request: Request) -> Response:
    site = site_of(request)
    records = site.cached(("graphs",), site.store.graphs)
    if _wants_json(request):
        return JSONResponse(
            [asdict(r) | {"loaded_at": r.loaded_at.isoformat()} for r in records]
        )
    lang = language(request)
    names = site.cached(("graph-publishers", lang), lambda: labels_for(
        site.store, {r.publisher for r in records if r.publisher}, lang))
    return site.render(request, "graphs.html", records=records, names=names)


@router.get("/context.jsonld", include_in_schema=False)
def jsonld_context() -> Response:
    """The @context our JSON-LD answers are compacted with (and carry inline)."""
    return JSONResponse({"@context": PREFIXES}, media_type="application/ld+json")


@router.get("/bundled/openapi/{name}", include_in_schema=False)
def bundled_openapi(request: Request, name: str) -> Response:
    """The bundled OpenAPI documents, which the API pages name as their description."""
    site = site_of(request)
    document = bundled_document(name, base=site.settings.base)
    if document is None:
        raise NotFound(f"no bundled OpenAPI document {name!r}")
    return Response(document, media_type="application/yaml")


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
