"""/catalog(.ttl|.jsonld|.rdf|.nt): the paged DCAT-AP-NL feed for national portals."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from catalogue.limits import MAX_NUMBER
from catalogue.namespaces import PREFIXES
from catalogue.services.catalog_feed import catalog_feed
from catalogue.store.terms import serialize
from catalogue.web.negotiation import RDF_REPRESENTATIONS, choose
from catalogue.web.site import site_of

router = APIRouter()


@router.get("/catalog", tags=["catalogue"], summary="DCAT-AP-NL catalogue feed (Hydra paging)")
def catalog(request: Request, page: int = Query(1, ge=1, le=MAX_NUMBER),
            modified_since: str | None = None) -> Response:
    return _feed(request, None, page, modified_since)


@router.get("/catalog.{suffix}", tags=["catalogue"], summary="The catalogue feed in one syntax")
def catalog_with_suffix(request: Request, suffix: str, page: int = Query(1, ge=1, le=MAX_NUMBER),
                        modified_since: str | None = None) -> Response:
    return _feed(request, suffix, page, modified_since)


def _feed(request: Request, suffix: str | None, page: int, modified_since: str | None
          ) -> Response:
    site = site_of(request)
    representation = choose(request.headers.get("accept"), suffix)
    if representation.rdf_format is None:  # a browser: Turtle is the readable one
        representation = RDF_REPRESENTATIONS[0]
    base = site.settings.base
    # Page links are built from the base setting, not the request, so they stay right behind
    # a proxy (ckanext-dcat #68).
    path = f"{base}/catalog" + (f".{suffix}" if suffix else "")

    def page_url(number: int) -> str:
        params = {"page": str(number), **({"modified_since": modified_since}
                                          if modified_since else {})}
        return f"{path}?{urlencode(params)}"

    feed = catalog_feed(
        site.store, site.index, base=base, page=page, modified_since=modified_since,
        publisher=site.settings.registry_publisher or f"{base}/id/organisatie/catalogus",
        page_url=page_url,
    )
    body = serialize(feed.triples, format=representation.rdf_format, prefixes=PREFIXES)
    return Response(body, media_type=representation.media_type, headers={"Vary": "Accept"})
