"""Every IRI has a page: /resource?uri=..., and /id/ -> 303 -> /doc/ for IRIs we mint."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from catalogue.errors import NotFound
from catalogue.iris import parse_iri
from catalogue.namespaces import PREFIXES
from catalogue.services.resources import describe, exists, resource_page, types_of
from catalogue.store.terms import serialize
from catalogue.web.negotiation import REPRESENTATIONS, choose, split_suffix
from catalogue.web.pages import rich_page as typed_page
from catalogue.web.site import Site, language, site_of
from catalogue.web.views.concepts import rich_page

router = APIRouter()


@router.get("/resource", include_in_schema=False)
def resource(request: Request, uri: str = Query(min_length=1)) -> Response:
    return answer(request, parse_iri(uri, field="uri"), None)


@router.get("/resource.{suffix}", include_in_schema=False)
def resource_with_suffix(request: Request, suffix: str, uri: str = Query(min_length=1)) -> Response:
    return answer(request, parse_iri(uri, field="uri"), suffix)


@router.get("/id/{path:path}", include_in_schema=False)
def minted(request: Request, path: str) -> Response:
    # The path decoded is the IRI's (as /doc/ reads it); written back as its page's URL, a ?
    # or # in it stays in the path (/id/a%3Fb went to /doc/a?b, which showed …/id/a).
    site = site_of(request)
    return RedirectResponse(site.urls.resource(site.urls.minted(path)), status_code=303,
                            headers={"Vary": "Accept"})


@router.get("/.well-known/genid/{name}", include_in_schema=False)
def skolem(request: Request, name: str) -> Response:
    """A Skolem IRI we gave a record written as a blank node (catalogue.ingest.skolem) leads to
    that record's page, as a minted IRI does."""
    site = site_of(request)
    iri = parse_iri(f"{site.settings.base}/.well-known/genid/{name}", field="path")
    return RedirectResponse(site.urls.resource(iri), status_code=303, headers={"Vary": "Accept"})


@router.get("/doc/{path:path}", include_in_schema=False)
def document(request: Request, path: str) -> Response:
    stem, suffix = split_suffix(path)
    return answer(request, parse_iri(site_of(request).urls.minted(stem), field="path"), suffix)


def answer(request: Request, iri: str, suffix: str | None) -> Response:
    """The resource in the representation the suffix or the Accept header asks for; `iri` has
    been through parse_iri."""
    site = site_of(request)
    representation = choose(request.headers.get("accept"), suffix)
    headers = {"Link": _alternates(site, iri), "Vary": "Accept"}
    if representation.rdf_format is None:
        # One query for the types that pick the page (on a remote store, a request each).
        types = types_of(site.store, iri)
        rich = rich_page(request, iri, types)  # begrip and begrippenkader pages
        if rich is None:
            rich = typed_page(request, iri, types)  # pages registered by type (web.pages)
        if rich is not None:
            rich.headers.update(headers)
            return rich
        page = resource_page(site.store, iri, lang=language(request))
        response = site.render(request, "resource.html", page=page, formats=REPRESENTATIONS[1:])
        response.headers.update(headers)
        return response
    triples = describe(site.store, iri)
    if not triples and not exists(site.store, iri):
        raise NotFound(f"no resource <{iri}> in the catalogue", subject=iri)
    body = serialize(triples, format=representation.rdf_format, prefixes=PREFIXES)
    return Response(body, media_type=representation.media_type, headers=headers)


def _alternates(site: Site, iri: str) -> str:
    return ", ".join(
        f'<{site.urls.resource(iri, r.suffix)}>; rel="alternate"; type="{r.media_type}"'
        for r in REPRESENTATIONS
    )
