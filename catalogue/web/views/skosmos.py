"""Skosmos REST v1 compatibility: /rest/v1/vocabularies, /search, /{vocid}/data, /topConcepts,
/hierarchy and /label, in Skosmos's JSON shapes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from catalogue.errors import NotFound
from catalogue.iris import parse_iri
from catalogue.limits import MAX_NUMBER
from catalogue.namespaces import PREFIXES
from catalogue.services import skosmos
from catalogue.services.resources import describe
from catalogue.services.schemes import scheme_triples
from catalogue.store.terms import serialize
from catalogue.web.negotiation import choose
from catalogue.web.site import language, site_of
from catalogue.web.views.concepts import all_schemes

router = APIRouter(prefix="/rest/v1", tags=["skosmos"])


def _json(data: dict[str, Any]) -> JSONResponse:
    return JSONResponse(data, headers={"Access-Control-Allow-Origin": "*"})


@router.get("/vocabularies", summary="Skosmos: all vocabularies (begrippenkaders)")
def vocabularies(request: Request, lang: str | None = None) -> JSONResponse:
    return _json(skosmos.vocabularies(all_schemes(request), lang=lang or language(request),
                                      base=str(request.base_url).rstrip("/")))


@router.get("/search", summary="Skosmos: search begrippen")
def search(request: Request, query: str = "", lang: str | None = None, vocab: str = "",
           maxhits: int = Query(20, ge=1, le=1000),
           offset: int = Query(0, ge=0, le=MAX_NUMBER), fields: str = "",
           labellang: str | None = None) -> JSONResponse:
    site = site_of(request)
    return _json(skosmos.search(site.store, all_schemes(request), query, lang=lang,
                                vocids=vocab.split(), maxhits=maxhits, offset=offset,
                                fields=fields.split(), labellang=labellang))


@router.get("/{vocid}/search", summary="Skosmos: search one vocabulary")
def vocab_search(request: Request, vocid: str, query: str = "", lang: str | None = None,
                 maxhits: int = Query(20, ge=1, le=1000),
                 offset: int = Query(0, ge=0, le=MAX_NUMBER), fields: str = "",
                 labellang: str | None = None) -> JSONResponse:
    site = site_of(request)
    return _json(skosmos.search(site.store, all_schemes(request), query, lang=lang, vocids=[vocid],
                                maxhits=maxhits, offset=offset, fields=fields.split(),
                                labellang=labellang))


@router.get("/{vocid}/topConcepts", summary="Skosmos: top concepts")
def top_concepts(request: Request, vocid: str, lang: str | None = None) -> JSONResponse:
    site = site_of(request)
    lang = lang or language(request)
    scheme = skosmos.vocabulary(all_schemes(request), vocid)
    return _json(skosmos.top_concepts(site.store, scheme, lang=lang))


@router.get("/{vocid}/hierarchy", summary="Skosmos: broader chain with siblings")
def hierarchy(request: Request, vocid: str, uri: str = Query(min_length=1),
              lang: str | None = None) -> JSONResponse:
    uri = parse_iri(uri, field="uri")
    site = site_of(request)
    lang = lang or language(request)
    scheme = skosmos.vocabulary(all_schemes(request), vocid)
    if not skosmos.in_vocabulary(site.store, scheme, uri):
        raise NotFound(f"no concept <{uri}> in vocabulary {vocid!r}")
    return _json(skosmos.hierarchy(site.store, scheme, uri, lang=lang))


@router.get("/{vocid}/label", summary="Skosmos: labels of a concept")
def label(request: Request, vocid: str, uri: str = Query(min_length=1),
          lang: str | None = None) -> JSONResponse:
    uri = parse_iri(uri, field="uri")
    site = site_of(request)
    skosmos.vocabulary(all_schemes(request), vocid)
    return _json(skosmos.label(site.store, uri, lang=lang or ""))


@router.get("/{vocid}/data", summary="Skosmos: RDF of a concept or the whole vocabulary")
def data(request: Request, vocid: str, uri: str | None = None,
         format: str | None = None) -> Response:
    uri = parse_iri(uri, field="uri") if uri else None
    site = site_of(request)
    scheme = skosmos.vocabulary(all_schemes(request), vocid)
    accept = format or request.headers.get("accept") or "text/turtle"
    if accept in ("*/*", "text/html"):
        accept = "text/turtle"
    representation = choose(accept)
    if representation.rdf_format is None:
        representation = choose("text/turtle")
    assert representation.rdf_format is not None
    if uri:
        triples = describe(site.store, uri) if skosmos.in_vocabulary(
            site.store, scheme, uri) else []
        if not triples:
            raise NotFound("no concept found with given uri")
    else:
        triples = scheme_triples(site.store, scheme.iri)
    body = serialize(triples, format=representation.rdf_format, prefixes=PREFIXES)
    return Response(body, media_type=representation.media_type,
                    headers={"Access-Control-Allow-Origin": "*", "Vary": "Accept"})

