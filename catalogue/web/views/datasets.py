"""/datasets and /apis (faceted lists), and the rich dataset, API and organisation pages that
/resource and /doc/ show for IRIs of those types (registered in catalogue.web.pages)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from catalogue.namespaces import DCAT, FOAF, PREFIXES
from catalogue.services.apis import api_page
from catalogue.services.datasets import SORTS, FacetView, ListPage, dataset_page, list_page
from catalogue.services.nearby import nearby
from catalogue.services.organisations import organisation_page
from catalogue.web.negotiation import RDF_REPRESENTATIONS
from catalogue.web.pages import register
from catalogue.web.site import language, site_of

router = APIRouter()
FILTERS = ("type", "publisher", "theme", "format", "licence", "access", "status", "quality",
           "standard")


# Which facet to show more of (`more`), words to find its values by (`more_q`), and the last
# value shown before ("count:value", `after`) for its next values.
_MORE = Query(None, pattern=f"^({'|'.join(FILTERS)})$")
_MORE_Q = Query("", max_length=200)
_AFTER = Query(None, max_length=2100, pattern="^[0-9]{1,9}:.+$")


@router.get("/datasets", tags=["datasets"], summary="Datasets, with facets and full-text search")
def datasets(request: Request, q: str = Query("", max_length=500),
             sort: str = Query("title", pattern="^(title|modified|relevance)$"),
             page: int = Query(1, ge=1, le=5000), more: str | None = _MORE,
             more_q: str = _MORE_Q, after: str | None = _AFTER) -> Response:
    return _list(request, "datasets", ("dataset",), q, sort, page, _view(more, more_q, after))


@router.get("/apis", tags=["datasets"], summary="APIs (data services), with facets and search")
def apis(request: Request, q: str = Query("", max_length=500),
         sort: str = Query("title", pattern="^(title|modified|relevance)$"),
         page: int = Query(1, ge=1, le=5000), more: str | None = _MORE,
         more_q: str = _MORE_Q, after: str | None = _AFTER) -> Response:
    return _list(request, "apis", ("api",), q, sort, page, _view(more, more_q, after))


def _view(more: str | None, more_q: str, after: str | None) -> FacetView | None:
    if more is None:
        return None
    keyset = None
    if after is not None:
        count, _, value = after.partition(":")
        keyset = (int(count), value)
    return FacetView(more, more_q, keyset)


def _list(request: Request, name: str, kinds: tuple[str, ...], q: str, sort: str,
          page: int, more: FacetView | None = None) -> Response:
    site = site_of(request)
    lang = language(request)
    filters = {f: request.query_params.getlist(f) for f in FILTERS}
    found = list_page(site.store, site.index, kinds=kinds, query=q, filters=filters,
                      sort=sort, page=page, lang=lang, more=more)
    if _wants_json(request):
        return JSONResponse(asdict(found), headers={"Vary": "Accept"})
    response = site.render(request, "datasets/list.html", page=found, name=name, sorts=SORTS,
                           href=_href(site.urls.datasets if name == "datasets"
                                      else site.urls.apis, found))
    response.headers["Vary"] = "Accept"
    return response


def _href(build: Callable[..., str], found: ListPage) -> Callable[..., str]:
    """URLs of this list with one thing changed: a facet value toggled, a page, a sort."""

    def href(facet: str | None = None, value: str | None = None, **changes: str) -> str:
        params: dict[str, str | list[str]] = {k: list(v) for k, v in found.filters.items()}
        if facet is not None and value is not None:
            chosen = list(params.get(facet, []))
            params[facet] = [v for v in chosen if v != value] if value in chosen \
                else [*chosen, value]
        base: dict[str, str | list[str]] = {"q": found.query, "sort": found.sort}
        base.update(params)
        base.update(changes)
        if "page" not in changes:
            base.pop("page", None)
        return str(build(**base))

    return href


@register(DCAT + "Dataset")
@register(DCAT + "DatasetSeries")
def dataset_html(request: Request, iri: str) -> Response:
    site = site_of(request)
    lang = language(request)
    # On a remote store, what the page reads comes in two requests (services/nearby.py); its
    # relation picture takes its first step there too.
    near = nearby(site.store, iri)
    page = dataset_page(near, iri, lang=lang,
                        page_url=site.settings.base + site.urls.resource(iri))
    return site.render(request, "datasets/dataset.html", page=page, formats=RDF_REPRESENTATIONS,
                       relation_picture=lambda other: site.picture(
                           other, lang, nearby=near if other == iri else None))


@register(DCAT + "DataService")
def api_html(request: Request, iri: str) -> Response:
    site = site_of(request)
    lang = language(request)
    picture = site.picture_ahead(iri, lang)
    page = api_page(site.store, iri, lang=lang)
    return site.render(request, "datasets/api.html", page=page, formats=RDF_REPRESENTATIONS,
                       relation_picture=picture)


@register(FOAF + "Organization")
@register(PREFIXES["org"] + "Organization")
def organisation_html(request: Request, iri: str) -> Response:
    site = site_of(request)
    page = organisation_page(site.store, site.index, iri, lang=language(request))
    return site.render(request, "datasets/organisation.html", page=page,
                       formats=RDF_REPRESENTATIONS)


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
