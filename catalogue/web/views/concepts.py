"""Begrippen pages: the list of begrippenkaders, one kader (overview, A-Z, tree, downloads),
and the rich HTML page of a begrip or kader at /resource and /doc/."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape

from catalogue.errors import NotAcceptable
from catalogue.ingest.spreadsheet import concepts_csv
from catalogue.namespaces import PREFIXES, SKOS
from catalogue.services.concept_quality import scheme_quality
from catalogue.services.concepts import concept_page
from catalogue.services.schemes import (
    SchemeSummary,
    TreeNode,
    az_index,
    hierarchy,
    scheme_by_vocid,
    scheme_list,
    scheme_page,
    scheme_triples,
)
from catalogue.store.terms import serialize
from catalogue.web.negotiation import BY_SUFFIX, RDF_REPRESENTATIONS
from catalogue.web.site import language, site_of
from catalogue.web.urls import Urls

router = APIRouter()
DOWNLOADS = ("ttl", "jsonld", "rdf", "csv")


@router.get("/begrippen", include_in_schema=False)
def schemes(request: Request) -> Response:
    return site_of(request).render(request, "concepts/list.html", schemes=all_schemes(request))


@router.get("/begrippen/{vocid}", include_in_schema=False)
def scheme(request: Request, vocid: str) -> Response:
    summary = scheme_by_vocid(all_schemes(request), vocid)
    if summary.vocid != vocid:
        return moved(request, vocid, summary.vocid)
    return scheme_overview(request, summary.iri)


@router.get("/begrippen/{vocid}/az", include_in_schema=False)
def scheme_az(request: Request, vocid: str, taal: str | None = None,
              letter: str | None = None) -> Response:
    site = site_of(request)
    lang = language(request)
    summary = scheme_by_vocid(all_schemes(request), vocid)
    if summary.vocid != vocid:
        return moved(request, vocid, summary.vocid)
    index = site.cached(("az", summary.iri, taal, letter, lang),
                        lambda: az_index(site.store, site.index, summary.iri, language=taal,
                                         letter=letter, lang=lang))
    return site.render(request, "concepts/az.html", summary=summary, az=index, view="az")


@router.get("/begrippen/{vocid}/boom", include_in_schema=False)
def scheme_tree(request: Request, vocid: str) -> Response:
    site = site_of(request)
    lang = language(request)
    summary = scheme_by_vocid(all_schemes(request), vocid)
    if summary.vocid != vocid:
        return moved(request, vocid, summary.vocid)
    # The tree's items, made once per write and language (10k begrippen are 0.5 MB of HTML).
    nodes = site.cached(("tree", summary.iri, lang), lambda: tree_items(
        hierarchy(site.store, site.index, summary.iri, lang=lang), site.urls))
    return site.render(request, "concepts/tree.html", summary=summary, nodes=nodes, view="boom")


def tree_items(nodes: tuple[TreeNode, ...], urls: Urls) -> Markup:
    """The nested <li> items of a tree. Written here rather than as a recursive template loop,
    which took 70 ms for a 10k-begrip kader (this takes a third of that)."""
    parts: list[str] = []

    def add(level: tuple[TreeNode, ...]) -> None:
        for node in level:
            href = escape(urls.resource(node.iri))
            parts.append(f'<li><a href="{href}">{escape(node.label)}</a>')
            if node.children:
                parts.append("<ul>")
                add(node.children)
                parts.append("</ul>")
            parts.append("</li>")

    add(nodes)
    return Markup("".join(parts))


@router.get("/begrippen/{vocid}/download.{suffix}", include_in_schema=False)
def scheme_download(request: Request, vocid: str, suffix: str) -> Response:
    site = site_of(request)
    summary = scheme_by_vocid(all_schemes(request), vocid)
    if summary.vocid != vocid:
        return moved(request, vocid, summary.vocid)
    if suffix not in DOWNLOADS:
        raise NotAcceptable(f"no download .{suffix}; choose one of " + ", ".join(DOWNLOADS))
    disposition = {"Content-Disposition": f'attachment; filename="{vocid}.{suffix}"'}
    if suffix == "csv":
        body = concepts_csv(site.store, summary.iri)
        return Response(body, media_type="text/csv; charset=utf-8", headers=disposition)
    representation = BY_SUFFIX[suffix]
    assert representation.rdf_format is not None
    triples = scheme_triples(site.store, summary.iri)
    rdf = serialize(triples, format=representation.rdf_format, prefixes=PREFIXES)
    return Response(rdf, media_type=representation.media_type, headers=disposition)


def moved(request: Request, old: str, vocid: str) -> Response:
    """A kader's address from before its slug left the base IRI out: to the one it has now."""
    path = request.url.path.replace(f"/begrippen/{old}", f"/begrippen/{vocid}", 1)
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(path + query, status_code=301)


def all_schemes(request: Request) -> tuple[SchemeSummary, ...]:
    """Every begrippenkader, computed once per write (vocid look-ups use it too)."""
    site = site_of(request)
    lang = language(request)
    return site.cached(("schemes", lang), lambda: scheme_list(site.store, site.index, lang=lang,
                                                        base=site.settings.base))


def scheme_overview(request: Request, iri: str) -> Response:
    site = site_of(request)
    lang = language(request)
    page = site.cached(("scheme", iri, lang),
                       lambda: scheme_page(site.store, site.index, iri, lang=lang,
                                           base=site.settings.base))
    quality = site.cached(("quality", iri, lang), lambda: scheme_quality(site.store, iri, lang))
    return site.render(request, "concepts/scheme.html", summary=page.summary, page=page,
                       quality=quality, view="", downloads=DOWNLOADS)


def rich_page(request: Request, iri: str, types: set[str]) -> Response | None:
    """The begrip or begrippenkader page for an IRI of one of these `types`; None for anything
    else."""
    site = site_of(request)
    if SKOS + "Concept" in types:
        lang = language(request)
        page = concept_page(site.store, site.index, iri, lang=lang, base=site.settings.base)
        return site.render(request, "concepts/concept.html", page=page,
                           formats=RDF_REPRESENTATIONS)
    if SKOS + "ConceptScheme" in types:
        return scheme_overview(request, iri)
    return None
