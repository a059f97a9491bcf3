"""Atom change feeds (RFC 4287): /feeds/changes.atom for the whole registry, and with
?publisher=, ?kader= or ?resource= (a begrip, a dataset, an API) for one of them. Pages link
theirs with <link rel="alternate" type="application/atom+xml">."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from feedgen.feed import FeedGenerator
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from catalogue.i18n import texts
from catalogue.iris import parse_iri
from catalogue.publish.feeds import Change, Changes
from catalogue.publish.webhooks import Webhooks
from catalogue.services.labels import labels_for
from catalogue.web.site import language, site_of
from catalogue.web.views.publish import publishing_of

router = APIRouter()
ATOM = "application/atom+xml"
ENTRIES = 30


def changes_of(request: Request) -> Changes:
    """The app's one Changes, made with its Publishing (its cache of diffs lives as long)."""
    publishing_of(request)
    changes: Changes = request.app.state.changes
    return changes


def webhooks_of(request: Request) -> Webhooks:
    publishing_of(request)
    webhooks: Webhooks = request.app.state.webhooks
    return webhooks


@router.get("/feeds/changes.atom", tags=["feeds"], response_class=Response,
            responses={200: {"content": {ATOM: {}}}})
async def changes_feed(
    request: Request,
    publisher: str | None = Query(default=None, description="an organisation's IRI"),
    kader: str | None = Query(default=None, description="a begrippenkader's IRI"),
    resource: str | None = Query(default=None,
                                 description="a begrip's, dataset's or API's IRI"),
) -> Response:
    """What changed in the registry, newest first (30 entries): every publish, delete and
    roll back, with who, when, how many triples, and the begrippen that changed."""
    chosen = {name: parse_iri(value, field=name) for name, value in
              (("publisher", publisher), ("kader", kader), ("resource", resource)) if value}
    changes = changes_of(request)
    found = await run_in_threadpool(
        changes.newest, limit=ENTRIES, by=chosen.get("publisher"),
        scheme=chosen.get("kader"), touching=chosen.get("resource"))
    body = await run_in_threadpool(_atom, request, found, chosen)
    # Its titles are in the page language (?lang, cookie, Accept-Language): a cache keeps one
    # answer per language.
    return Response(body, media_type=ATOM, headers={"Cache-Control": "public, max-age=60",
                                                    "Vary": "Accept-Language, Cookie"})


def _atom(request: Request, found: list[Change], chosen: dict[str, str]) -> bytes:
    site = site_of(request)
    lang = language(request)
    root = str(request.base_url).rstrip("/")
    names = labels_for(site.store, {*chosen.values(), *(c.version.by for c in found if
                                                          c.version.by)}, lang)
    subject = next(iter(chosen.values()), None)
    feed = FeedGenerator()
    self_url = root + site.urls.feed(**chosen)
    feed.id(self_url)
    title = texts(lang).gettext("feed.title")
    if subject is not None:
        title = texts(lang).gettext("feed.title_of", name=names.get(subject, subject))
    feed.title(title)
    feed.subtitle(texts(lang).gettext("feed.subtitle"))
    feed.link(href=self_url, rel="self", type=ATOM)
    feed.link(href=root + "/", rel="alternate", type="text/html")
    feed.language(lang)
    feed.author({"name": texts(lang).gettext("site.name"), "uri": root + "/"})
    latest = max((c.version.at for c in found), default=None)
    feed.updated(_moment(latest) if latest else datetime.fromisoformat("2000-01-01T00:00:00+00:00"))
    for change in reversed(found):  # feedgen lists the entry added last first
        version = change.version
        page = root + site.urls.history(change.graph, version.number)
        entry = feed.add_entry()
        entry.id(page)
        entry.link(href=page, rel="alternate", type="text/html")
        entry.title(texts(lang).gettext(f"feed.action.{version.action.split()[0]}",
                                        graph=change.graph, number=version.number))
        entry.updated(_moment(version.at))
        entry.published(_moment(version.at))
        who = version.by
        entry.author({"name": names.get(who, who) if who
                      else texts(lang).gettext("feed.registry"),
                      **({"uri": who} if who else {})})
        entry.content(_summary(change, lang), type="text")
    return bytes(feed.atom_str(pretty=True))


def _summary(change: Change, lang: str) -> str:
    lines = [texts(lang).gettext("feed.triples", added=change.added, removed=change.removed)]
    for kind in ("new", "changed", "iri-changed", "removed"):
        begrippen = [c for c in change.begrippen if c.kind == kind]
        if begrippen:
            shown = ", ".join((c.new or c.old).label for c in begrippen[:20]  # type: ignore[union-attr]
                              ) + (" …" if len(begrippen) > 20 else "")
            lines.append(texts(lang).gettext(f"feed.begrippen.{kind}", n=len(begrippen),
                                   names=shown))
    return "\n".join(lines)


def _moment(at: str) -> datetime:
    moment = datetime.fromisoformat(at)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.now().astimezone().tzinfo)


class WebhookRequest(BaseModel):
    url: str = Field(description="where each change event is POSTed (http or https)")
    secret: str | None = Field(default=None, min_length=16, max_length=200,
                               description="the HMAC-SHA256 key of X-Catalogue-Signature; "
                               "made for you (and shown once) when left out")
    publisher: str | None = Field(default=None, description="only changes by this organisation")
    kader: str | None = Field(default=None, description="only changes within this kader")
    resource: str | None = Field(default=None, description="only changes touching this IRI")


@router.post("/api/webhooks", tags=["feeds"], status_code=201)
def add_webhook(request: Request, hook: WebhookRequest) -> JSONResponse:
    """Register a webhook (a publisher's Bearer token): every new version of a graph that
    matches is POSTed to `url` as JSON, signed `X-Catalogue-Signature: sha256=<HMAC of the
    body>`, retried with back-off (5 s, 30 s, 2 min, 10 min) until it answers 2xx."""
    owner = publishing_of(request).publishers.authenticate(
        request.headers.get("authorization")).organisation
    about = {name: parse_iri(value, field=name) for name, value in
             (("publisher", hook.publisher), ("kader", hook.kader),
              ("resource", hook.resource)) if value}
    made = webhooks_of(request).add(owner, hook.url, secret=hook.secret, about=about)
    return JSONResponse({**made.public(), **({} if hook.secret else {"secret": made.secret})},
                        status_code=201)


@router.get("/api/webhooks", tags=["feeds"])
def list_webhooks(request: Request) -> JSONResponse:
    """Your webhooks (their secrets are never shown again)."""
    owner = publishing_of(request).publishers.authenticate(
        request.headers.get("authorization")).organisation
    return JSONResponse([hook.public() for hook in webhooks_of(request).of(owner)])


@router.delete("/api/webhooks/{hook_id}", tags=["feeds"], status_code=204)
def remove_webhook(request: Request, hook_id: str) -> Response:
    owner = publishing_of(request).publishers.authenticate(
        request.headers.get("authorization")).organisation
    webhooks_of(request).remove(owner, hook_id)
    return Response(status_code=204)
