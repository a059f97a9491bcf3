"""create_app: the one route table, the error handler, static files."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from catalogue import __version__
from catalogue.config import Settings
from catalogue.derived import follow_store
from catalogue.errors import CatalogueError
from catalogue.search import SearchIndex, ensure_built, open_index
from catalogue.store import Store, open_store
from catalogue.web.i18n import translate
from catalogue.web.site import Site, language, site_of
from catalogue.web.templating import SITE, environment
from catalogue.web.urls import Urls
from catalogue.web.views import catalog as catalog_views
from catalogue.web.views import concepts, home, resources, sparql
from catalogue.web.views import datasets as dataset_views
from catalogue.web.views import publish as publish_views
from catalogue.web.views import quality as quality_views
from catalogue.web.views import search as search_views
from catalogue.web.views import skosmos as skosmos_views
from catalogue.web.views import validate as validate_views

log = logging.getLogger(__name__)

ROUTERS = (home.router, resources.router, sparql.router, concepts.router, search_views.router,
           skosmos_views.router, catalog_views.router, dataset_views.router, publish_views.router,
           validate_views.router, quality_views.router)


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
    app = FastAPI(
        title="catalogue",
        version=__version__,
        docs_url="/api/docs",
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
    app.add_exception_handler(CatalogueError, _catalogue_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    return app


def _catalogue_error(request: Request, exc: CatalogueError) -> Response:
    return error_response(request, exc.status_code, str(exc))


def _http_error(request: Request, exc: HTTPException) -> Response:
    return error_response(request, exc.status_code, str(exc.detail))


def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
    return error_response(request, 400, problems)


def error_response(request: Request, status: int, message: str) -> Response:
    """One error answer for the whole site: HTML for browsers, JSON or text for the rest."""
    accept = request.headers.get("accept", "")
    if "text/html" in accept:
        lang = language(request)
        title = translate(f"error.{status}", lang)
        if title == f"error.{status}":
            title = translate("error.title", lang)
        return site_of(request).render(
            request, "error.html", status=status, title=title, message=message, code=status
        )
    if "json" in accept:
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return PlainTextResponse(message + "\n", status_code=status)
