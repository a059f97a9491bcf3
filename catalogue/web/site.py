"""What every view needs: the store, settings, URL builder, renderer and a per-write cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Lock
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from catalogue import __version__
from catalogue.config import Settings
from catalogue.fetch import PUBLIC_ONLY, AddressPolicy
from catalogue.i18n import LANGUAGES, pick_language, texts
from catalogue.ingest.load import Listener
from catalogue.search import SearchIndex, index_listener
from catalogue.services.ahead import soon
from catalogue.services.relations import Picture, relation_picture
from catalogue.store.base import Store
from catalogue.web.templating import gettext_context
from catalogue.web.urls import Urls

T = TypeVar("T")


@dataclass
class Site:
    settings: Settings
    store: Store
    index: SearchIndex
    urls: Urls
    templates: Environment
    # Outgoing fetches (validate by URL) reach public addresses only. No setting changes this;
    # tests replace it to let one loopback port through.
    fetch_policy: AddressPolicy = PUBLIC_ONLY
    generation: int = 0
    _cache: dict[tuple[object, ...], object] = field(default_factory=dict)
    _lock: Lock = field(default_factory=Lock)

    def cached(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """A value computed once per write generation (the store changes only by our writes)."""
        full = (self.generation, self.index.version, *key)
        with self._lock:
            if full in self._cache:
                return cast(T, self._cache[full])
        value = compute()
        with self._lock:
            if len(self._cache) > 512:
                self._cache.clear()
            self._cache[full] = value
        return value

    def changed(self, *_: object) -> None:
        """Listener for writes: drop every cached answer."""
        with self._lock:
            self.generation += 1
            self._cache.clear()

    @property
    def listeners(self) -> list[Listener]:
        """What every write through the site must tell: the search index, then the caches."""
        return [index_listener(self.index), self.changed]

    def picture(self, iri: str, lang: str, *, nearby: Store | None = None) -> Picture | None:
        if not self.settings.relation_pictures:
            return None
        return relation_picture(self.store, iri, lang=lang, nearby=nearby)

    def picture_ahead(self, iri: str, lang: str) -> Callable[[str], Picture | None]:
        """For `render(relation_picture=...)`: the picture of `iri` started now, beside the
        page's own reads (on a remote store, where its three requests would otherwise follow
        the page's; services/ahead.py)."""
        ready = soon(self.store, lambda: self.picture(iri, lang))
        return lambda other: ready() if other == iri else self.picture(other, lang)

    def render(
        self, request: Request, template: str, *, status: int = 200, **context: Any
    ) -> HTMLResponse:
        lang = language(request)
        pictures = context.pop("relation_picture", None) or (
            lambda iri: self.picture(iri, lang))
        html = self.templates.get_template(template).render(
            lang=lang,
            languages=LANGUAGES,
            **gettext_context(texts(lang)),
            urls=self.urls,
            request_path=_path_without_lang(request),
            version=__version__,
            # A page asks for its relation picture by IRI (templates/_relations.html).
            relation_picture=pictures,
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
        response.headers["Content-Language"] = lang
        return response


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def language(request: Request) -> str:
    return pick_language(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
    )


def _path_without_lang(request: Request) -> str:
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
    return request.url.path + (f"?{query}" if query else "")
