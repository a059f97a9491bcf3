"""/quality (publishers and their stored MQA scores) and /quality/publisher?uri= (one publisher's
dashboard, scored on demand and cached per write generation); both also as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from catalogue.iris import parse_iri
from catalogue.quality.dashboard import publisher_dashboard, publisher_list
from catalogue.web.site import language, site_of

router = APIRouter()


@router.get("/quality", tags=["quality"], summary="Publishers with their MQA quality scores")
def quality(request: Request) -> Response:
    site = site_of(request)
    lang = language(request)
    rows = site.cached(("quality-list", lang),
                       lambda: publisher_list(site.store, site.index, lang=lang))
    return _answer(request, "quality/list.html", {"publishers": [asdict(r) for r in rows]},
                   publishers=rows)


@router.get("/quality/publisher", tags=["quality"],
            summary="One publisher's MQA dashboard: scores, top problems, what to fix first")
def publisher(request: Request, uri: str = Query(..., max_length=2000)) -> Response:
    uri = parse_iri(uri, field="uri")
    site = site_of(request)
    lang = language(request)
    page = site.cached(("quality-publisher", uri, lang),
                       lambda: publisher_dashboard(site.store, uri, lang=lang))
    return _answer(request, "quality/publisher.html", asdict(page), page=page)


def _answer(request: Request, template: str, data: dict[str, Any], **context: Any) -> Response:
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return JSONResponse(data, headers={"Vary": "Accept"})
    response = site_of(request).render(request, template, **context)
    response.headers["Vary"] = "Accept"
    return response
