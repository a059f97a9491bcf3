"""/sparql: the SPARQL 1.1 Protocol (read-only), its service description, and the query editor.

The hot path stays lean: `catalogue serve` answers GET /sparql?query= before FastAPI's
middleware and routing (`with_fast_sparql`), the format choice is cached per Accept header, and
the bytes pyoxigraph serialised in a query thread go straight into the response."""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from catalogue.errors import (
    CatalogueError,
    Forbidden,
    InputError,
    MethodNotAllowed,
    NotAcceptable,
    UnsupportedMediaType,
)
from catalogue.iris import is_iri, parse_iri
from catalogue.services.sparql_examples import EXAMPLES, service_description
from catalogue.store.endpoint import QueryRequest, SparqlEndpoint, open_endpoint
from catalogue.store.guard import query_form
from catalogue.store.terms import RdfFormat
from catalogue.web.bodies import media_type_of, read_body
from catalogue.web.negotiation import RDF_REPRESENTATIONS, parse_accept
from catalogue.web.security import SECURITY_HEADERS, with_security_headers
from catalogue.web.site import Site, language, site_of

router = APIRouter()

# The largest query a POST may carry (413 past it, in the app and in the front processes).
LARGEST_QUERY = 1 << 20

CORS = {"Access-Control-Allow-Origin": "*", "Vary": "Accept"}
PREFLIGHT = CORS | {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}
# Format keys (the `format` parameter, also used for download links) -> pyoxigraph names.
RESULTS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
GRAPHS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD", "rdf": "RDF_XML"}
_RESULT_TYPES = {
    "application/sparql-results+json": "JSON", "application/json": "JSON",
    "application/sparql-results+xml": "XML", "application/xml": "XML", "text/xml": "XML",
    "text/csv": "CSV", "text/tab-separated-values": "TSV",
}
_GRAPH_TYPES = {
    "text/turtle": "TURTLE", "application/x-turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES",
    "application/ld+json": "JSON_LD", "application/json": "JSON_LD",
    "application/rdf+xml": "RDF_XML", "application/xml": "RDF_XML", "text/xml": "RDF_XML",
}
_FORMAT_ALIASES = {
    "json": ("JSON", "JSON_LD"), "xml": ("XML", "RDF_XML"), "csv": ("CSV", None),
    "tsv": ("TSV", None), "ttl": (None, "TURTLE"), "turtle": (None, "TURTLE"),
    "nt": (None, "N_TRIPLES"), "ntriples": (None, "N_TRIPLES"), "jsonld": (None, "JSON_LD"),
    "json-ld": (None, "JSON_LD"), "rdf": (None, "RDF_XML"), "rdfxml": (None, "RDF_XML"),
}


async def sparql(request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=PREFLIGHT)
    if request.method not in ("GET", "POST"):  # HEAD would run the query for its headers
        failure = _failure(request, MethodNotAllowed(f"{request.method} /sparql: use GET or "
                                                     "POST"))
        failure.headers["Allow"] = "GET, POST, OPTIONS"
        return failure
    try:
        query, defaults, named = await _protocol_request(request)
        if query is None:
            return _no_query(request)
        params = request.query_params
        results, graph = formats_for(params.get("format"), request.headers.get("accept"))
        answer = await _endpoint(request).answer(QueryRequest(
            query, results, graph,
            tuple(parse_iri(g, field="default-graph-uri") for g in defaults),
            tuple(parse_iri(g, field="named-graph-uri") for g in named),
        ))
    except CatalogueError as exc:
        return _failure(request, exc)
    return Response(answer.body, media_type=answer.media_type, headers=CORS)


class SparqlApp:
    """/sparql as a plain ASGI app: a GET with a query is answered straight from the scope,
    without Request and Response objects; everything else goes through `sparql`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fast = fast_get(scope) if scope["method"] == "GET" else None
        if fast is None:
            response = await sparql(Request(scope, receive))
            await response(scope, receive, send)
            return
        try:
            answer = await _endpoint_of(scope["app"]).answer(fast)
        except CatalogueError as exc:
            failure = _failure(Request(scope, receive), exc)
            await failure(scope, receive, send)
            return
        await send_whole(send, answer.media_type.encode("latin-1"), answer.body)


SPARQL = SparqlApp()
# A plain Starlette route: its endpoint is an ASGI app, not a FastAPI request handler.
# Every method reaches the handler, which answers all but GET, POST and OPTIONS with 405 (HEAD
# too, which Starlette would otherwise allow beside GET: that GET runs the query).
router.routes.append(Route("/sparql", SPARQL, include_in_schema=False))
CORS_RAW = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in CORS.items()]


async def send_whole(send: Send, media_type: bytes, body: bytes, *, status: int = 200) -> None:
    """A /sparql answer held whole in memory, sent straight on ASGI (open for reading: CORS)."""
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", media_type), (b"content-length", str(len(body)).encode("latin-1")),
        *CORS_RAW, *SECURITY_HEADERS,
    ]})
    await send({"type": "http.response.body", "body": body})


def with_fast_sparql(app: ASGIApp) -> ASGIApp:
    """`app`, with /sparql answered before the framework's middleware and routing (measured:
    they cost more per request than a point lookup in the store). The route in the app stays
    the same handler, for test clients and for anyone mounting the app elsewhere."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/sparql":
            scope["app"] = app
            await SPARQL(scope, receive, with_security_headers(send))
        else:
            await app(scope, receive, send)

    return serve


def fast_get(scope: Scope) -> QueryRequest | None:
    """The request of a plain GET ?query=..., or None to take the general path."""
    return _plain_request(scope, query_fields(scope["query_string"]))


def posted_query(scope: Scope, body: bytes) -> QueryRequest | None:
    """The request of a POST of a query (application/sparql-query) or of a URL-encoded form,
    or None to take the general path (which words what is wrong)."""
    media = next((v for k, v in scope["headers"] if k == b"content-type"), b"")
    media = media.split(b";")[0].strip().lower()
    fields = query_fields(scope["query_string"])
    if media == b"application/sparql-query":
        fields = [*fields, ("query", body.decode("utf-8-sig", errors="replace"))]
    elif media == b"application/x-www-form-urlencoded":
        fields = [*fields, *query_fields(body)]
    else:
        return None
    return _plain_request(scope, fields)


def _plain_request(scope: Scope, fields: list[tuple[str, str]]) -> QueryRequest | None:
    query = format_key = None
    defaults: list[str] = []
    named: list[str] = []
    for name, value in fields:
        if name == "query":
            query = value
        elif name == "format":
            format_key = value
        elif name == "default-graph-uri":
            defaults.append(value)
        elif name == "named-graph-uri":
            named.append(value)
        elif name == "update":
            return None
    if query is None or not all(map(is_iri, defaults + named)):
        return None  # the general path words what is wrong
    accept = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"accept"), None)
    try:
        results, graph = formats_for(format_key, accept)
    except NotAcceptable:
        return None
    return QueryRequest(query, results, graph, tuple(defaults), tuple(named))


_HEX_DIGITS = "0123456789abcdefABCDEF"
_ESCAPES = {
    f"{high}{low}".encode(): bytes([int(high + low, 16)])
    for high in _HEX_DIGITS for low in _HEX_DIGITS
}


def query_fields(query_string: bytes) -> list[tuple[str, str]]:
    """The fields of a URL query string, like urllib's parse_qsl (which was a quarter of the
    server's time per request: its unquoting appends to a list per escape)."""
    fields = []
    for pair in query_string.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            fields.append((_unquote(name), _unquote(value)))
    return fields


def _unquote(data: bytes) -> str:
    data = data.replace(b"+", b" ")
    if b"%" in data:
        first, *rest = data.split(b"%")
        parts = [first]
        for part in rest:
            byte = _ESCAPES.get(part[:2])
            parts.append(byte + part[2:] if byte is not None else b"%" + part)
        data = b"".join(parts)
    return data.decode("utf-8", errors="replace")


def _failure(request: Request, exc: CatalogueError) -> Response:
    from catalogue.web.app import error_response  # app imports the views

    failure = error_response(request, exc.status_code, str(exc))
    failure.headers.update(CORS)
    return failure


async def _protocol_request(request: Request) -> tuple[str | None, list[str], list[str]]:
    """The query and the dataset (default-graph-uri, named-graph-uri) of a protocol request."""
    params = request.query_params
    defaults, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    if request.method == "GET":
        if "update" in params:
            _refuse_update()
        return params.get("query"), defaults, named
    content_type = media_type_of(request.headers.get("content-type"))
    if content_type == "application/sparql-update":
        _refuse_update()
    if content_type not in ("application/sparql-query", "application/x-www-form-urlencoded"):
        # The two the SPARQL 1.1 Protocol defines (a multipart form is none of them).
        raise UnsupportedMediaType(
            f"POST /sparql with Content-Type {content_type or '(none)'}: send "
            "application/sparql-query or application/x-www-form-urlencoded")
    body = await read_body(request, LARGEST_QUERY)
    if content_type == "application/sparql-query":
        return body.decode("utf-8-sig", errors="replace"), defaults, named
    fields = query_fields(body)  # as the front processes read it
    if any(name == "update" for name, _ in fields):
        _refuse_update()
    query = next((value for name, value in reversed(fields) if name == "query"), None)
    if query is None:
        raise InputError("a POSTed form needs a `query` field")
    defaults += [v for k, v in fields if k == "default-graph-uri"]
    named += [v for k, v in fields if k == "named-graph-uri"]
    return query, defaults, named


def _refuse_update() -> None:
    raise Forbidden(
        "SPARQL Update is not accepted on /sparql: this endpoint is read-only. Write by "
        "loading sources (`catalogue load`, or the publisher upload API with a token)."
    )


@lru_cache(maxsize=256)
def formats_for(format_key: str | None, accept: str | None) -> tuple[str | None, str | None]:
    """(results format, graph format) as pyoxigraph names, from `format` or else `Accept`;
    None for a kind the client accepts no format of."""
    if format_key:
        key = format_key.strip().lower()
        if key in _FORMAT_ALIASES:
            return _FORMAT_ALIASES[key]
        accept = key  # a media type given as the format
        if key not in _RESULT_TYPES and key not in _GRAPH_TYPES:
            raise NotAcceptable(
                f"unknown format {format_key!r}; use one of "
                + ", ".join(sorted({*RESULTS, *GRAPHS}))
            )
    if not accept:
        return "JSON", "TURTLE"
    results: str | None = None
    graph: str | None = None
    for media, quality in parse_accept(accept):
        if quality <= 0:
            continue
        if media in ("*/*", "application/*"):
            results, graph = results or "JSON", graph or "TURTLE"
        elif media == "text/*":
            results, graph = results or "CSV", graph or "TURTLE"
        results = results or _RESULT_TYPES.get(media)
        graph = graph or _GRAPH_TYPES.get(media)
        if results and graph:
            break
    if results is None and graph is None:
        raise NotAcceptable(f"none of the accepted types ({accept}) is a SPARQL result format")
    return results, graph


def _endpoint(request: Request) -> SparqlEndpoint:
    return _endpoint_of(request.app)


def _endpoint_of(app: FastAPI) -> SparqlEndpoint:
    state = app.state
    endpoint: SparqlEndpoint | None = getattr(state, "sparql_endpoint", None)
    if endpoint is None:
        site: Site = state.site
        endpoint = state.sparql_endpoint = open_endpoint(site.store, site.settings)
    return endpoint


def _no_query(request: Request) -> Response:
    """The query editor for browsers, the service description for RDF clients."""
    site = site_of(request)
    rdf_format = _description_format(request.headers.get("accept"))
    if rdf_format is None:
        return _editor(request, site)
    body = site.cached(
        ("sparql-sd", rdf_format), lambda: service_description(site.urls, rdf_format)
    )
    return Response(body, media_type=rdf_format.media_type, headers=CORS)


def _description_format(accept: str | None) -> RdfFormat | None:
    """None for HTML; Turtle for clients that accept anything."""
    for media, quality in parse_accept(accept or "*/*"):
        if quality <= 0:
            continue
        if media in ("text/html", "application/xhtml+xml"):
            return None
        if media in ("*/*", "text/*"):
            return RdfFormat.TURTLE
        for representation in RDF_REPRESENTATIONS:
            if media == representation.media_type:
                return representation.rdf_format
    raise NotAcceptable(f"none of the accepted types ({accept}) is served at /sparql")


def _editor(request: Request, site: Site) -> Response:
    lang = language(request)
    examples = [(example.title(lang), example.query) for example in EXAMPLES]
    return site.render(
        request, "sparql.html", examples=examples, initial=examples[0][1],
        initial_is_graph=query_form(examples[0][1]) in {"CONSTRUCT", "DESCRIBE"},
        results=RESULTS, graphs=GRAPHS,
    )
