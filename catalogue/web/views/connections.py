"""The connections map: /koppelingen (picture, sortable table, counts), /koppelingen.csv and
/koppelingen.json (the picture's data), and PUT /api/koppelingen, the CSV import of a
publisher's connections into a graph it owns."""

from __future__ import annotations

import csv
import io
import json

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from catalogue.ingest.connections import parse_connections
from catalogue.iris import parse_iri
from catalogue.limits import MAX_NUMBER
from catalogue.publish.rules import in_own_namespace
from catalogue.services.connections import (
    SORT_KEYS,
    Connection,
    Connections,
    Filters,
    connections,
    picture,
    picture_json,
    service_uses,
    sort_rows,
)
from catalogue.store.terms import RdfFormat, serialize
from catalogue.web.site import language, site_of
from catalogue.web.views.publish import write_graph

router = APIRouter()
PAGE_SIZE = 200
CSV_COLUMNS = ("organisatie", "dienst", "organisatie_naam", "soort", "dienst_naam", "dienst_type",
               "aanbieder", "aanbieder_naam", "basisregistratie", "bron")
CSV_OPENAPI = {"requestBody": {"required": True, "content": {"text/csv": {"schema": {
    "type": "string", "example": "organisatie,dienst\nORG_IRI,API_OR_DATASET_IRI\n"}}}}}


def _all(request: Request) -> Connections:
    site = site_of(request)
    lang = language(request)
    return site.cached(("connections", lang),
                       lambda: connections(site.store, base=site.settings.base, lang=lang))


def _filters(organisation: str, kind: str, service: str, registry: str) -> Filters:
    # A GET form sends an empty value for "all"; anything else must be an IRI.
    return Filters(**{name: parse_iri(value, field=name) if value else "" for name, value in
                      (("organisation", organisation), ("kind", kind), ("service", service),
                       ("registry", registry))})


# A column of the table (an unknown one is a 400, as an unknown `order` is).
_SORT_PATTERN = f"^({'|'.join(SORT_KEYS)})$"


@router.get("/koppelingen", include_in_schema=False)
def connections_page(
    request: Request, organisation: str = "", kind: str = "", service: str = "",
    registry: str = "", sort: str = Query(default="organisation", pattern=_SORT_PATTERN),
    order: str = Query(default="asc", pattern="^(asc|desc)$"),
    page: int = Query(default=1, ge=1, le=MAX_NUMBER),
) -> Response:
    """Which organisation uses which API or dataset: the picture, the table, the counts."""
    everything = _all(request)
    filters = _filters(organisation, kind, service, registry)
    rows = sort_rows(everything.select(filters), sort, descending=order == "desc")
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    return site_of(request).render(
        request, "connections.html", everything=everything, filters=filters, rows=rows,
        shown=rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], page=page, pages=pages,
        sort=sort, order=order, uses=service_uses(rows),
        options={field: everything.options(field)
                 for field in ("organisation", "kind", "service", "registry")},
        organisations=len({row.organisation for row in rows}))


@router.get("/koppelingen.csv", tags=["connections"], response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def connections_csv(
    request: Request, organisation: str = "", kind: str = "", service: str = "",
    registry: str = "", sort: str = Query(default="organisation", pattern=_SORT_PATTERN),
    order: str = Query(default="asc", pattern="^(asc|desc)$"),
) -> Response:
    """Every connection (filtered and sorted as the page's table) as CSV; its first two
    columns load back through PUT /api/koppelingen."""
    rows = sort_rows(_all(request).select(_filters(organisation, kind, service, registry)),
                     sort, descending=order == "desc")
    return Response(_csv(rows), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="koppelingen.csv"'})


def _csv(rows: list[Connection]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow((row.organisation, row.service, row.organisation_label, row.kind_label,
                         row.service_label, row.type, row.provider, row.provider_label,
                         row.registry_label, row.source))
    return out.getvalue()


@router.get("/koppelingen.json", tags=["connections"])
def connections_json(request: Request) -> Response:
    """The picture: nodes `[iri, label, role, group, x, y, page]` placed on rings, and edges
    `uses` (organisation, service) and `offers` (provider, service) as node indexes."""
    site = site_of(request)
    lang = language(request)
    body = site.cached(("connections.json", lang), lambda: json.dumps(
        picture_json(picture(_all(request).rows), site.urls.resource),
        ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return Response(body, media_type="application/json",
                    headers={"Cache-Control": "no-cache", "Vary": "Cookie, Accept-Language"})


@router.put("/api/koppelingen", tags=["connections"], openapi_extra=CSV_OPENAPI)
async def import_connections(request: Request, graph: str = Query(min_length=1)) -> Response:
    """Replace a graph you own with the connections of a CSV file (columns `organisatie`,
    `dienst`): 400 naming the line and column of a bad row, and nothing written. The
    publishing rules hold: you declare the services your own organisation uses."""
    return await write_graph(request, parse_iri(graph, field="graph"), merge=False,
                             convert=_as_ntriples)


def _as_ntriples(body: bytes, organisation: str) -> bytes:
    """The connections of a CSV file as N-Triples; a bad row raises with its line and column,
    and so does a row about an organisation other than the writer's (403)."""
    return serialize(parse_connections(body, name="koppelingen.csv",
                                       owner=lambda iri: in_own_namespace(iri, organisation)),
                     format=RdfFormat.N_TRIPLES) or b""
