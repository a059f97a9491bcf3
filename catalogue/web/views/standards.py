"""/standaarden: the standards register, and a page per standard (also what /resource and
/doc/ show for an IRI typed dct:Standard), as HTML or, asked with Accept, JSON."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from catalogue.iris import parse_iri
from catalogue.namespaces import DCT
from catalogue.services.standards import standard_page, standards
from catalogue.web.pages import register
from catalogue.web.site import language, site_of

router = APIRouter()


@router.get("/standaarden", tags=["standards"], response_class=Response,
            summary="The standards in the catalogue, with what conforms to each")
async def standards_list(request: Request) -> Response:
    site = site_of(request)
    found = await run_in_threadpool(standards, site.store, site.index, lang=language(request))
    if _wants_json(request):
        return JSONResponse({"standards": [asdict(s) for s in found]}, headers={"Vary": "Accept"})
    response = site.render(request, "standards/list.html", standards=found)
    response.headers["Vary"] = "Accept"
    return response


@router.get("/standaarden/standaard", tags=["standards"], response_class=Response,
            summary="One standard: its status and the datasets and APIs that conform to it")
async def standard(request: Request, uri: str = Query(min_length=1)) -> Response:
    iri = parse_iri(uri, field="uri")
    site = site_of(request)
    page = await run_in_threadpool(standard_page, site.store, site.index, iri,
                                   lang=language(request))
    if _wants_json(request):
        return JSONResponse(asdict(page), headers={"Vary": "Accept"})
    response = site.render(request, "standards/standard.html", page=page)
    response.headers["Vary"] = "Accept"
    return response


@register(DCT + "Standard")
def standard_html(request: Request, iri: str) -> Response:
    site = site_of(request)
    page = standard_page(site.store, site.index, iri, lang=language(request))
    return site.render(request, "standards/standard.html", page=page)


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
