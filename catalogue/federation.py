"""Federated search: other registries that speak the Skosmos REST API, asked for a term beside our
own results. Their answers are shown, marked with their source, and never stored; a source that
is slow, unreachable or answers nonsense becomes a status on its own answer, never an error."""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

from catalogue.errors import FetchError, PayloadTooLarge, UnusableAnswer
from catalogue.fetch import PUBLIC_ONLY, AddressPolicy, checked_url, fetch

# A search answer of MAX_HITS labels is a few kilobytes; anything near this is not one.
MAX_ANSWER_BYTES = 512 * 1024
MAX_HITS = 10
MAX_TEXT = 300  # characters of a label or vocabulary shown
MAX_DEFINITION = 1000
JSON_TYPES = ("application/json", "application/ld+json", "text/json", "")
# Threads that wait on other registries, for all requests together (see ask_later).
FETCHERS = 16
GRACE = 1.0  # seconds past the fetch's own deadline before its answer is given up

Status = Literal["ok", "unusable", "unreachable"]


@dataclass(frozen=True)
class FederatedSource:
    """Another registry: its number in the setting (from 0), name, and Skosmos REST base URL."""

    number: int
    name: str
    url: str


@dataclass(frozen=True)
class FederatedHit:
    """One begrip another registry has: its IRI (`link` only when it is an http(s) URL, so a
    `javascript:` IRI never becomes a link), label, vocabulary, label language and definition
    (empty when the registry gives none)."""

    uri: str
    label: str
    vocabulary: str
    lang: str
    definition: str = ""

    @property
    def link(self) -> str | None:
        return self.uri if urlsplit(self.uri).scheme in ("http", "https") else None


@dataclass(frozen=True)
class SourceAnswer:
    source: FederatedSource
    status: Status
    hits: tuple[FederatedHit, ...] = ()


def federated_sources(setting: str) -> tuple[FederatedSource, ...]:
    """The sources in the setting: whitespace-separated `URL` or `NAME=URL` items.

    >>> federated_sources("https://a.example/rest/v1 NL-SBB=https://b.example/rest/v1/")[1]
    FederatedSource(number=1, name='NL-SBB', url='https://b.example/rest/v1')
    """
    sources = []
    for number, item in enumerate(setting.split()):
        name, _, url = item.partition("=") if "=" in item.split("://")[0] else ("", "", item)
        try:
            parsed = checked_url(url)
        except FetchError as exc:
            raise ValueError(f"federated source {number + 1} ({item!r}): {exc}") from None
        if parsed.query or parsed.fragment or "#" in url:
            raise ValueError(f"federated source {number + 1} ({item!r}): give the Skosmos REST "
                             "base URL (…/rest/v1), without a query or fragment")
        sources.append(FederatedSource(number, name or parsed.host, url.rstrip("/")))
    return tuple(sources)


def search_url(source: FederatedSource, query: str, *, lang: str = "nl") -> str:
    """Skosmos's /search for labels in any language that start with `query` (its `*` is the
    only wildcard), with their definitions (`fields`), shown in `lang` where there is a choice
    (`labellang`)."""
    term = query.strip() if "*" in query else query.strip() + "*"
    return f"{source.url}/search?" + urlencode({"query": term, "maxhits": MAX_HITS,
                                                "fields": "definition", "labellang": lang})


def ask_source(source: FederatedSource, query: str, *, timeout: float, lang: str = "nl",
               policy: AddressPolicy = PUBLIC_ONLY) -> SourceAnswer:
    """What `source` has for `query`, within `timeout` seconds in all."""
    try:
        answer = fetch(search_url(source, query, lang=lang), timeout=timeout,
                       max_bytes=MAX_ANSWER_BYTES,
                       headers={"Accept": "application/json"}, policy=policy)
        if not 200 <= answer.status < 300 or answer.media_type not in JSON_TYPES:
            raise UnusableAnswer(f"{source.url}: answered {answer.status} {answer.media_type}")
        return SourceAnswer(source, "ok", hits_of(answer.body))
    except (UnusableAnswer, PayloadTooLarge):
        return SourceAnswer(source, "unusable")
    except FetchError:  # no answer in time, no connection, or an address not allowed
        return SourceAnswer(source, "unreachable")


async def ask_later(source: FederatedSource, query: str, *, timeout: float, lang: str = "nl",
                    policy: AddressPolicy = PUBLIC_ONLY) -> SourceAnswer:
    """ask_source in the federated threads, never in the web server's own: however many
    sources hang, they hold FETCHERS threads at most, and every page of ours stays free. An
    answer not begun within the timeout (the threads all busy) is given up as unreachable."""
    future = fetchers().submit(ask_source, source, query, timeout=timeout, lang=lang,
                               policy=policy)
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout + GRACE)
    except TimeoutError:
        future.cancel()
        return SourceAnswer(source, "unreachable")


async def ask_all(sources: Sequence[FederatedSource], query: str, *, timeout: float,
                  lang: str = "nl", policy: AddressPolicy = PUBLIC_ONLY
                  ) -> tuple[SourceAnswer, ...]:
    """Every source asked at once; all answer within about `timeout`."""
    return tuple(await asyncio.gather(*(
        ask_later(s, query, timeout=timeout, lang=lang, policy=policy) for s in sources)))


@functools.cache
def fetchers() -> concurrent.futures.ThreadPoolExecutor:
    return concurrent.futures.ThreadPoolExecutor(FETCHERS, thread_name_prefix="federated")


def hits_of(body: bytes) -> tuple[FederatedHit, ...]:
    """The hits in a Skosmos search answer (`{"results": [{"uri", "prefLabel", "vocab",
    "lang", "definition": [...]}, ...]}`); UnusableAnswer when the body is not one."""
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):
        raise UnusableAnswer("the answer is not JSON") from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise UnusableAnswer("the answer has no list of results")
    hits = [hit for item in results[:MAX_HITS] if (hit := _hit(item)) is not None]
    if results and not hits:
        raise UnusableAnswer("no result has a uri and a label")
    return tuple(hits)


def _hit(item: object) -> FederatedHit | None:
    if not isinstance(item, dict):
        return None
    uri, label = item.get("uri"), item.get("prefLabel") or item.get("label")
    if not (isinstance(uri, str) and uri and isinstance(label, str) and label):
        return None
    return FederatedHit(uri[:2000], label[:MAX_TEXT], _text(item.get("vocab")),
                        _text(item.get("lang"))[:20], _definition(item.get("definition")))


def _definition(value: object) -> str:
    """The first text of Skosmos's `definition` field: a list of strings (a string, or an
    object with a value or label, from other servers)."""
    first = value[0] if isinstance(value, list) and value else value
    if isinstance(first, dict):
        first = first.get("value") or first.get("@value") or first.get("prefLabel")
    return first[:MAX_DEFINITION] if isinstance(first, str) else ""


def _text(value: object) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""
