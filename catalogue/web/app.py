"""create_app: the one route table, the error handler, static files, and the security headers
every response of the app carries."""

from __future__ import annotations

import base64
import hashlib
import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive, Scope, Send

from catalogue import __version__
from catalogue.config import Settings
from catalogue.derived import follow_store
from catalogue.errors import CatalogueError, NotFound
from catalogue.i18n import texts
from catalogue.search import SearchIndex, ensure_built, open_index
from catalogue.store import Store, open_store
from catalogue.web.security import CONTENT_SECURITY_POLICY, with_security_headers
from catalogue.web.site import Site, language, site_of
from catalogue.web.templating import SITE, environment
from catalogue.web.urls import Urls
from catalogue.web.views import catalog as catalog_views
from catalogue.web.views import concepts, home, resources, sparql
from catalogue.web.views import connections as connection_views
from catalogue.web.views import datasets as dataset_views
from catalogue.web.views import embed as embed_views
from catalogue.web.views import federated as federated_views
from catalogue.web.views import feeds as feed_views
from catalogue.web.views import impact as impact_views
from catalogue.web.views import publish as publish_views
from catalogue.web.views import quality as quality_views
from catalogue.web.views import search as search_views
from catalogue.web.views import skosmos as skosmos_views
from catalogue.web.views import standards as standard_views
from catalogue.web.views import validate as validate_views

log = logging.getLogger(__name__)

ROUTERS = (home.router, resources.router, sparql.router, concepts.router, search_views.router,
           skosmos_views.router, catalog_views.router, dataset_views.router, publish_views.router,
           validate_views.router, quality_views.router, feed_views.router, embed_views.router,
           federated_views.router, impact_views.router, standard_views.router,
           connection_views.router)


# The API docs page is FastAPI's Swagger UI: its scripts come from a CDN, and one is inline.
_SWAGGER_CDN = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


class CatalogueApp(FastAPI):
    """FastAPI with the security headers added to every response on the way out, errors from
    Starlette's outermost layer (500) included, which a middleware added with add_middleware
    would miss. A header a response sets itself (the docs page's own policy) is kept."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        if scope["method"] == "HEAD" and scope["path"] != "/sparql":
            # HEAD is GET without the body (RFC 9110): its headers, Content-Length included.
            # Not on /sparql, whose GET runs a query (it answers HEAD with 405).
            scope = {**scope, "method": "GET"}
            send = _without_body(send)
        await super().__call__(scope, receive, with_security_headers(send))


def _without_body(send: Send) -> Send:
    async def headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return headers_only


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    index: SearchIndex | None = None,
) -> FastAPI:
    settings = settings or Settings()
    store = store if store is not None else open_store(settings)
    if index is None:
        index = open_index(settings)
        ensure_built(index, store)
    follow_store(store, index, settings)
    app = CatalogueApp(
        title="catalogue",
        version=__version__,
        docs_url=None,  # served by api_docs, with a policy that lets Swagger UI run
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.site = Site(
        settings=settings,
        store=store,
        index=index,
        urls=Urls(settings.base),
        templates=environment(),
    )
    app.mount("/static", StaticFiles(directory=SITE / "static"), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.add_api_route("/api/docs", api_docs, include_in_schema=False)
    app.add_api_route("/favicon.ico", favicon, include_in_schema=False)
    app.add_exception_handler(CatalogueError, _catalogue_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    return app


def favicon() -> Response:
    """Clients that do not read the page's <link rel="icon"> ask for /favicon.ico."""
    return RedirectResponse("/static/favicon.svg", status_code=301)


def api_docs() -> Response:
    """Swagger UI, allowed its CDN and, by hash, its one inline script: nothing else inline."""
    page = get_swagger_ui_html(openapi_url="/api/openapi.json", title="catalogue - Swagger UI")
    body = bytes(page.body).decode("utf-8")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode("utf-8")).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.findall(body))
    policy = CONTENT_SECURITY_POLICY.replace(
        "script-src 'self'", f"script-src 'self' {_SWAGGER_CDN} {hashes}"
    ).replace("style-src 'self'", f"style-src 'self' {_SWAGGER_CDN}").replace(
        "img-src 'self'", "img-src 'self' https://fastapi.tiangolo.com")
    return HTMLResponse(body, headers={"Content-Security-Policy": policy})


def _catalogue_error(request: Request, exc: CatalogueError) -> Response:
    subject = exc.subject if isinstance(exc, NotFound) else None
    return error_response(request, exc.status_code, str(exc), subject=subject)


def _http_error(request: Request, exc: HTTPException) -> Response:
    response = error_response(request, exc.status_code, str(exc.detail))
    for name, value in (exc.headers or {}).items():  # a 405's Allow
        response.headers[name] = value
    return response


def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
    return error_response(request, 400, problems)


def error_response(request: Request, status: int, message: str, *,
                   subject: str | None = None) -> Response:
    """One error answer for the whole site: HTML for browsers, JSON or text for the rest.
    `message` is English (logs, JSON, the command line); the HTML page says what happened in
    the page language and keeps `message` as the technical details (a 404 needs none)."""
    accept = request.headers.get("accept", "")
    if "text/html" in accept:
        words = texts(language(request))
        title = words.gettext(f"error.{status}" if words.has(f"error.{status}") else "error.title")
        if subject is not None:
            explanation = words.gettext("error.404.subject", iri=subject)
        elif words.has(f"error.{status}.text"):
            explanation = words.gettext(f"error.{status}.text")
        else:
            explanation = words.gettext("error.other.text")
        return site_of(request).render(
            request, "error.html", status=status, title=title, message=explanation,
            details="" if status == 404 else message, code=status)
    if "json" in accept:
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return PlainTextResponse(message + "\n", status_code=status)
