"""Atom change feeds (RFC 4287): /feeds/changes.atom for the whole registry, and with
?publisher=, ?kader= or ?resource= (a begrip, a dataset, an API) for one of them. Pages link
theirs with <link rel="alternate" type="application/atom+xml">."""

from __future__ import annotations

import threading
from datetime import datetime

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from feedgen.feed import FeedGenerator
from starlette.concurrency import run_in_threadpool

from catalogue.iris import parse_iri
from catalogue.publish.feeds import Change, Changes
from catalogue.services.labels import labels_for
from catalogue.web.i18n import translate
from catalogue.web.site import language, site_of
from catalogue.web.views.publish import publishing_of

router = APIRouter()
ATOM = "application/atom+xml"
ENTRIES = 30
_LOCK = threading.Lock()


def changes_of(request: Request) -> Changes:
    """The app's one Changes (its cache of diffs lives as long as the app)."""
    publishing = publishing_of(request)
    with _LOCK:
        found: Changes | None = getattr(request.app.state, "changes", None)
        if found is None or found.history is not publishing.history:
            found = request.app.state.changes = Changes(publishing.history)
        return found


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
    return Response(body, media_type=ATOM, headers={"Cache-Control": "public, max-age=60"})


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
    title = translate("feed.title", lang)
    if subject is not None:
        title = translate("feed.title_of", lang, name=names.get(subject, subject))
    feed.title(title)
    feed.subtitle(translate("feed.subtitle", lang))
    feed.link(href=self_url, rel="self", type=ATOM)
    feed.link(href=root + "/", rel="alternate", type="text/html")
    feed.language(lang)
    feed.author({"name": translate("site.name", lang), "uri": root + "/"})
    latest = max((c.version.at for c in found), default=None)
    feed.updated(_moment(latest) if latest else datetime.fromisoformat("2000-01-01T00:00:00+00:00"))
    for change in reversed(found):  # feedgen lists the entry added last first
        version = change.version
        page = root + site.urls.history(change.graph, version.number)
        entry = feed.add_entry()
        entry.id(page)
        entry.link(href=page, rel="alternate", type="text/html")
        entry.title(translate(f"feed.action.{version.action}", lang, graph=change.graph,
                              number=version.number))
        entry.updated(_moment(version.at))
        entry.published(_moment(version.at))
        who = version.by
        entry.author({"name": names.get(who, who) if who else translate("feed.registry", lang),
                      **({"uri": who} if who else {})})
        entry.content(_summary(change, lang), type="text")
    return bytes(feed.atom_str(pretty=True))


def _summary(change: Change, lang: str) -> str:
    lines = [translate("feed.triples", lang, added=change.added, removed=change.removed)]
    for kind in ("new", "changed", "iri-changed", "removed"):
        begrippen = [c for c in change.begrippen if c.kind == kind]
        if begrippen:
            shown = ", ".join((c.new or c.old).label for c in begrippen[:20]  # type: ignore[union-attr]
                              ) + (" …" if len(begrippen) > 20 else "")
            lines.append(translate(f"feed.begrippen.{kind}", lang, n=len(begrippen),
                                   names=shown))
    return "\n".join(lines)


def _moment(at: str) -> datetime:
    moment = datetime.fromisoformat(at)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.now().astimezone().tzinfo)
