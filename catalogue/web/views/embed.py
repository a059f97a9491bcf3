"""Embeddable definitions: other sites show a begrip's current definition where they use it.

- /embed/begrip?uri= : a small standalone HTML card for an iframe (any site may frame it);
- /embed/begrip.json?uri= : the same as JSON, open to every origin (CORS), for the script;
- /oembed?url= : oEmbed (https://oembed.com) for a begrip's page or IRI: the iframe to embed;
- /static/begrip-card.js : turns `<a data-begrip="IRI">` links on any page into cards shown on
  hover and focus.
Each says which registry it comes from and when the begrip last changed; answers may be
cached for five minutes."""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from catalogue.errors import NotFound
from catalogue.i18n import texts
from catalogue.iris import parse_iri
from catalogue.services.cards import Card, begrip_card
from catalogue.web.security import CONTENT_SECURITY_POLICY
from catalogue.web.site import language, site_of

router = APIRouter()
# Shared caches keep an answer per language: the card's comes from ?lang, the cookie or
# Accept-Language (without Vary a cache would serve one visitor's language to the next).
CACHE = {"Cache-Control": "public, max-age=300", "Vary": "Accept-Language, Cookie"}
CORS = {"Access-Control-Allow-Origin": "*"}
# The card may be framed by any site (that is what it is for); nothing else of ours may be.
FRAMEABLE = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors *"),
    "X-Frame-Options": "ALLOWALL",  # not a standard value: browsers then follow the CSP
}
WIDTH, HEIGHT = 420, 220


async def _card(request: Request, uri: str) -> Card:
    site = site_of(request)
    iri = parse_iri(uri, field="uri")
    return await run_in_threadpool(begrip_card, site.store, iri, lang=language(request))


@router.get("/embed/begrip", tags=["embed"], response_class=Response)
async def embed_card(request: Request, uri: str = Query(min_length=1)) -> Response:
    """A begrip's card as a small HTML page, for an iframe on another site."""
    card = await _card(request, uri)
    lang = language(request)
    site = site_of(request)
    page = site.render(request, "embed/begrip.html", card=card,
                       page_url=str(request.base_url).rstrip("/") + site.urls.resource(card.iri),
                       registry=texts(lang).gettext("site.name"))
    page.headers.update({**FRAMEABLE, **CACHE})
    return page


@router.get("/embed/begrip.json", tags=["embed"])
async def embed_json(request: Request, uri: str = Query(min_length=1)) -> JSONResponse:
    """A begrip's card as JSON (label, definition, kader, last change, page, and the words the
    card script shows in the asked language), open to every origin."""
    card = await _card(request, uri)
    lang = language(request)
    root = str(request.base_url).rstrip("/")
    urls = site_of(request).urls
    return JSONResponse({
        "iri": card.iri, "label": card.label, "definition": card.definition,
        "language": card.language, "scheme": card.scheme, "schemeLabel": card.scheme_label,
        "changed": card.changed, "page": root + urls.resource(card.iri),
        "registry": texts(lang).gettext("site.name"), "registryUrl": root + "/",
        "words": {key: texts(lang).gettext(f"embed.{key}")
                  for key in ("in", "changed", "source", "none", "more")},
    }, headers={**CORS, **CACHE})


@router.get("/oembed", tags=["embed"])
async def oembed(request: Request, url: str = Query(min_length=1),
                 format: str = Query(default="json"),
                 maxwidth: int | None = Query(default=None, ge=100, le=4000),
                 maxheight: int | None = Query(default=None, ge=80, le=4000)) -> JSONResponse:
    """oEmbed for a begrip: `url` is its page here or its IRI; a rich answer with the iframe."""
    if format not in ("json", ""):
        # What oEmbed (section 2.3.4) answers for a format the provider does not serve.
        return JSONResponse({"error": "only format=json is served"}, status_code=501)
    iri = parse_iri(_iri_of(request, url), field="url")  # the error names oEmbed's parameter
    card = await _card(request, iri)
    root = str(request.base_url).rstrip("/")
    width = min(WIDTH, maxwidth or WIDTH)
    height = min(HEIGHT, maxheight or HEIGHT)
    src = root + "/embed/begrip?" + urlencode({"uri": card.iri, "lang": language(request)})
    html = (f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
            f'title="{escape(card.label)}" style="border:0" loading="lazy"></iframe>')
    return JSONResponse({
        "version": "1.0", "type": "rich", "title": card.label, "html": html,
        "width": width, "height": height, "provider_name": texts(language(request)).gettext(
            "site.name"),
        "provider_url": root + "/", "cache_age": 300,
    }, headers={**CORS, **CACHE})


def _iri_of(request: Request, url: str) -> str:
    """The begrip IRI a page URL of ours names (/resource?uri=, /doc/...), or `url` itself."""
    parts = urlsplit(url)
    own = urlsplit(str(request.base_url))
    if parts.netloc == own.netloc and parts.path == "/resource":
        found = parse_qs(parts.query).get("uri")
        if not found:
            raise NotFound(f"{url} names no resource")
        return found[0]
    if parts.netloc == own.netloc and parts.path.startswith("/doc/"):
        return site_of(request).urls.minted(parts.path[len("/doc/"):])
    return url
