"""Federated search: /api/federated?q=&source=N (one other registry's answer, as JSON, for the
search page's script to show as it arrives) and /search/federated?q= (all of them on one page,
for readers without JavaScript; it waits at most the federated timeout)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from catalogue.errors import NotFound
from catalogue.federation import FederatedSource, SourceAnswer, ask_all, ask_later
from catalogue.fetch import AddressPolicy, address_policy
from catalogue.i18n import texts
from catalogue.web.site import Site, language, site_of

router = APIRouter()
Term = Annotated[str, Query(min_length=1, max_length=200)]
# Never cached: the answer is another registry's, of this moment.
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/api/federated", tags=["search"],
            summary="What one other registry (Skosmos REST) has for a term")
async def federated_json(request: Request, q: Term,
                         source: Annotated[int, Query(ge=0, le=1000)]) -> JSONResponse:
    site = site_of(request)
    lang = language(request)
    answer = await ask_later(_source(site, source), q, timeout=site.settings.federated_timeout,
                             lang=lang, policy=_policy(site))
    return JSONResponse(answer_json(answer, lang), headers=NO_STORE)


@router.get("/search/federated", tags=["search"], response_class=Response,
            summary="What every other registry has for a term (one page, no script needed)")
async def federated_page(request: Request, q: Term) -> Response:
    site = site_of(request)
    lang = language(request)
    answers = await ask_all(site.settings.federated, q, lang=lang,
                            timeout=site.settings.federated_timeout, policy=_policy(site))
    page = site.render(request, "federated.html", query=q, answers=answers,
                       status_text=lambda answer: status_text(answer, lang))
    page.headers.update(NO_STORE)
    return page


def answer_json(answer: SourceAnswer, lang: str) -> dict[str, Any]:
    return {
        "source": {"number": answer.source.number, "name": answer.source.name,
                   "url": answer.source.url},
        "status": answer.status,
        "message": status_text(answer, lang),
        "results": [{"uri": h.uri, "label": h.label, "vocabulary": h.vocabulary,
                     "lang": h.lang, "definition": h.definition, "link": h.link}
                    for h in answer.hits],
    }


def status_text(answer: SourceAnswer, lang: str) -> str:
    words = texts(lang)
    if answer.status == "unusable":
        return words.gettext("federated.unusable")
    if answer.status == "unreachable":
        return words.gettext("federated.unreachable")
    if not answer.hits:
        return words.gettext("federated.none")
    return words.gettext("federated.found", n=len(answer.hits))


def _source(site: Site, number: int) -> FederatedSource:
    sources = site.settings.federated
    if number >= len(sources):
        raise NotFound(f"source={number}: there are {len(sources)} federated sources "
                       f"(numbered from 0; CATALOGUE_FEDERATED_SOURCES)")
    return sources[number]


def _policy(site: Site) -> AddressPolicy:
    return address_policy(allow_private=site.settings.federated_allow_private_addresses)
