"""Impact analysis: /impact?uri= (HTML, or JSON with Accept: application/json) and
/api/impact?uri= (JSON): what depends on a begrip, API or dataset."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from catalogue.iris import parse_iri
from catalogue.services.impact import Impact, impact
from catalogue.web.site import Site, language, site_of
from catalogue.web.urls import Urls

router = APIRouter(tags=["impact"])
Uri = Annotated[str, Query(min_length=1, max_length=4000)]


@router.get("/impact", response_class=Response,
            summary="What a change to a begrip, API or dataset would touch (HTML or JSON)")
async def impact_page(request: Request, uri: Uri) -> Response:
    site = site_of(request)
    found = await _impact(site, request, uri)
    if _wants_json(request):
        return JSONResponse(impact_json(found, site.urls), headers={"Vary": "Accept"})
    page = site.render(request, "impact.html", impact=found)
    page.headers["Vary"] = "Accept"
    page.headers["Link"] = f'<{site.urls.impact(found.iri, api=True)}>; rel="alternate"; ' \
                           'type="application/json"'
    return page


@router.get("/api/impact", summary="What a change to a begrip, API or dataset would touch")
async def impact_api(request: Request, uri: Uri) -> JSONResponse:
    site = site_of(request)
    return JSONResponse(impact_json(await _impact(site, request, uri), site.urls))


async def _impact(site: Site, request: Request, uri: str) -> Impact:
    iri = parse_iri(uri, field="uri")
    return await run_in_threadpool(impact, site.store, iri, lang=language(request))


def impact_json(found: Impact, urls: Urls) -> dict[str, Any]:
    return {
        "uri": found.iri, "label": found.label, "kind": found.kind, "total": found.total,
        "categories": {c.name: {"count": c.count, "items": [
            {"uri": d.iri, "label": d.label, "page": urls.resource(d.iri)} for d in c.items]}
            for c in found.categories},
    }


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
