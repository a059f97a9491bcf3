"""Publishing over HTTP: the Graph Store Protocol on /store?graph= (Bearer token), and the
history page of a graph with its diff and roll back."""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from catalogue.errors import NotFound, Unauthorized, Unprocessable
from catalogue.fetch import address_policy
from catalogue.iris import parse_iri
from catalogue.limits import MAX_NUMBER
from catalogue.namespaces import PREFIXES
from catalogue.publish import Publishing, publishing_dir
from catalogue.publish.feeds import Changes
from catalogue.publish.pages import history_page
from catalogue.publish.service import PublishResult
from catalogue.publish.webhooks import Webhooks
from catalogue.services.labels import labels_for
from catalogue.store.terms import RdfFormat, serialize
from catalogue.validation import ValidationReport
from catalogue.web.bodies import SOURCE_BODY_OPENAPI, body_syntax, read_body
from catalogue.web.negotiation import RDF_REPRESENTATIONS, choose
from catalogue.web.site import language, site_of
from catalogue.web.work import bounded

router = APIRouter()
_LOCK = Lock()


def publishing_of(request: Request) -> Publishing:
    """The app's one Publishing, made on first use from the site's store and settings."""
    with _LOCK:
        found: Publishing | None = getattr(request.app.state, "publishing", None)
        if found is None:
            site = site_of(request)
            folder = publishing_dir(site.settings)
            found = Publishing(
                site.store, folder, listeners=site.listeners,
                max_bytes=site.settings.max_body_bytes, limits=site.settings.request_limits,
                base=site.settings.base,
            )
            changes = request.app.state.changes = Changes(found.history)
            webhooks = request.app.state.webhooks = Webhooks(folder, changes, policy=address_policy(
                allow_private=site.settings.webhooks_allow_private_addresses))
            found.on_version.append(webhooks.published)
            request.app.state.publishing = found
        return found


@router.get("/store", tags=["publish"])
def read_graph(request: Request, graph: str = Query(min_length=1)) -> Response:
    """The graph's triples (Graph Store Protocol GET), in the syntax Accept asks for."""
    publishing = publishing_of(request)
    graph = parse_iri(graph, field="graph")
    if publishing.owner(graph) is None:
        raise NotFound(f"no graph <{graph}> in the catalogue", subject=graph)
    representation = choose(request.headers.get("accept") or "text/turtle")
    if representation.rdf_format is None:
        representation = RDF_REPRESENTATIONS[0]
    body = serialize(publishing.content(graph), format=representation.rdf_format,
                     prefixes=PREFIXES)
    return Response(body, media_type=representation.media_type)


@router.put("/store", tags=["publish"], status_code=201, openapi_extra=SOURCE_BODY_OPENAPI)
async def put_graph(request: Request, graph: str = Query(min_length=1)) -> Response:
    """Replace a graph you own (or create it); 422 with the report on a Violation."""
    return await write_graph(request, parse_iri(graph, field="graph"), merge=False)


@router.post("/store", tags=["publish"], status_code=201, openapi_extra=SOURCE_BODY_OPENAPI)
async def post_graph(request: Request, graph: str = Query(min_length=1)) -> Response:
    """Add triples to a graph you own (or create it); validated like PUT."""
    return await write_graph(request, parse_iri(graph, field="graph"), merge=True)


@router.delete("/store", tags=["publish"], status_code=204)
async def delete_graph(request: Request, graph: str = Query(min_length=1)) -> Response:
    graph = parse_iri(graph, field="graph")
    publishing = publishing_of(request)
    try:
        publisher = publishing.publishers.authenticate(request.headers.get("authorization"))
    except Unauthorized as exc:
        return _unauthorized(str(exc))
    await run_in_threadpool(publishing.delete, publisher, graph)
    return Response(status_code=204)


@router.post("/store/rollback", tags=["publish"])
async def rollback_graph(
    request: Request, graph: str = Query(min_length=1), version: int = Query(ge=1, le=MAX_NUMBER)
) -> Response:
    """Make an earlier version of a graph you own current again."""
    return await _rollback(request, parse_iri(graph, field="graph"), version,
                           request.headers.get("authorization"))


@router.get("/history", include_in_schema=False)
def history(request: Request, graph: str = Query(min_length=1),
            version: int | None = Query(default=None, ge=1, le=MAX_NUMBER)) -> Response:
    page = history_page(publishing_of(request), parse_iri(graph, field="graph"), version)
    site = site_of(request)
    publisher = page.record.publisher if page.record else None
    names = labels_for(site.store, [publisher] if publisher else [], language(request))
    return site.render(request, "history.html", page=page, names=names)


@router.post("/history/rollback", include_in_schema=False)
async def history_rollback(
    request: Request, graph: str = Form(min_length=1), version: int = Form(ge=1, le=MAX_NUMBER),
    token: str = Form(min_length=1),
) -> Response:
    graph = parse_iri(graph, field="graph")
    answer = await _rollback(request, graph, version, f"Bearer {token}")
    if answer.status_code >= 300:
        return answer
    return RedirectResponse(site_of(request).urls.history(graph), status_code=303)


async def write_graph(request: Request, graph: str, *, merge: bool,
                      convert: Callable[[bytes, str], bytes] | None = None) -> Response:
    """Write the request's body into `graph` (replace, or `merge`) for the publisher its token
    names. `convert` turns a body of another kind (a CSV of connections) into N-Triples, in
    the same bounded work as the write, knowing the writer's organisation; without it the
    Content-Type says the RDF syntax, or that the body is an OpenAPI description (see
    body_syntax)."""
    publishing = publishing_of(request)
    try:
        publisher = publishing.publishers.authenticate(request.headers.get("authorization"))
    except Unauthorized as exc:
        return _unauthorized(str(exc))
    body = await read_body(request, publishing.max_bytes)
    rdf_format, media_type = (RdfFormat.N_TRIPLES, None) if convert is not None else \
        body_syntax(request.headers.get("content-type"))
    method = publishing.post if merge else publishing.put

    def write() -> PublishResult:
        return method(publisher, graph,
                      body if convert is None else convert(body, publisher.organisation),
                      format=rdf_format, media_type=media_type)

    seconds = site_of(request).settings.max_request_seconds
    try:
        result = await bounded(request, seconds, write)
    except Unprocessable as exc:
        return report_response(request, exc, 422)
    return JSONResponse(
        {"graph": result.graph, "created": result.created, "triples": result.triples,
         "version": result.version.number,
         "history": site_of(request).urls.history(result.graph),
         "report": result.report.to_json() if result.report else None},
        status_code=201 if result.created else 200,
    )


async def _rollback(request: Request, graph: str, version: int, authorization: str | None
                    ) -> Response:
    publishing = publishing_of(request)
    try:
        publisher = publishing.publishers.authenticate(authorization)
    except Unauthorized as exc:
        return _unauthorized(str(exc))
    try:
        result = await bounded(request, site_of(request).settings.max_request_seconds,
                               publishing.rollback, publisher, graph, version)
    except Unprocessable as exc:
        return report_response(request, exc, 422)
    return JSONResponse({"graph": graph, "version": result.version.number,
                         "rolled_back_to": version, "triples": result.triples})


def report_response(request: Request, exc: Unprocessable, status: int) -> Response:
    """A refused write: the validation report as JSON, or as sh:ValidationReport when asked."""
    report = exc.report
    assert isinstance(report, ValidationReport)
    accept = request.headers.get("accept", "")
    for representation in RDF_REPRESENTATIONS[:3]:
        if representation.media_type in accept and representation.rdf_format is not None:
            return Response(report.to_rdf(representation.rdf_format), status_code=status,
                            media_type=representation.media_type)
    return JSONResponse({"error": str(exc), "status": status, "report": report.to_json()},
                        status_code=status)


def _unauthorized(message: str) -> Response:
    return JSONResponse({"error": message, "status": 401}, status_code=401,
                        headers={"WWW-Authenticate": 'Bearer realm="catalogue"'})
