"""Federated search through the real app: a second real `catalogue serve` on loopback (it speaks
Skosmos REST), a source that hangs and sources that answer garbage; in chromium, the other
registries' results appear with their source while the hanging one still hangs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.federation import FETCHERS
from catalogue.store import Store
from catalogue.web.app import create_app
from tests.browser import chromium, needs_browser
from tests.conftest import BASE
from tests.loopback import loopback
from tests.web.live import catalogue_serve, serving
from tests.web.test_accessibility import severe_violations
from tests.web.test_front import wait_for

if TYPE_CHECKING:
    from playwright.sync_api import Page

# What the garbage server answers, by the first part of its path (each is one source).
GARBAGE = {
    "html": (200, "text/html", b"<!doctype html><title>Skosmos</title><p>pand</p>"),
    "notjson": (200, "application/json", b"pand pand pand"),
    "shape": (200, "application/json", b'{"results": {"uri": "http://x.test/pand"}}'),
    "huge": (200, "application/json", b'{"results": [' + b'{"x": 1},' * 200_000 + b'{}]}'),
    "error": (500, "application/json", b'{"error": "internal"}'),
}
UNUSABLE = "Bron gaf geen bruikbaar antwoord."


@dataclass
class Hang:
    """A source that answers nothing until released (or a minute has passed)."""

    release: threading.Event = field(default_factory=threading.Event)
    asked: threading.Event = field(default_factory=threading.Event)
    count: int = 0  # requests that have come in
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture(scope="module")
def other_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second real catalogue (the bundled content) on loopback: its Skosmos REST base."""
    with catalogue_serve(tmp_path_factory.mktemp("other") / "store") as (url, _):
        yield url + "/rest/v1"


@pytest.fixture(scope="module")
def garbage() -> Iterator[tuple[str, list[str]]]:
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            status, media_type, body = GARBAGE[self.path.split("/")[1]]
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with loopback(Handler) as url:
        yield url, asked


@pytest.fixture(scope="module")
def hang() -> Iterator[tuple[str, Hang]]:
    with hanging() as (url, state):
        yield url, state


@contextmanager
def hanging() -> Iterator[tuple[str, Hang]]:
    """A source that answers nothing until released: its Skosmos base URL and its state."""
    state = Hang()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with state.lock:
                state.count += 1
            state.asked.set()
            state.release.wait(60)
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"results": []}')
            except OSError:
                pass  # the client stopped waiting long ago: that was the point

        def log_message(self, *args: object) -> None:
            pass

    with loopback(Handler) as url:
        try:
            yield url + "/rest/v1", state
        finally:
            state.release.set()


def federated_app(store: Store, other: str, hang: str, garbage: str, *, timeout: float,
                  allow: bool = True) -> FastAPI:
    sources = " ".join([f"Tweede={other}", f"Traag={hang}",
                        *(f"{name}={garbage}/{name}/rest/v1" for name in GARBAGE)])
    settings = Settings(store=Path(":memory:"), base_iri=BASE, federated_sources=sources,
                        federated_timeout=timeout, federated_allow_private_addresses=allow)
    return create_app(settings, store=store)


@pytest.fixture(scope="module")
def client(store: Store, other_registry: str, hang: tuple[str, Hang],
           garbage: tuple[str, list[str]]) -> Iterator[TestClient]:
    app = federated_app(store, other_registry, hang[0], garbage[0], timeout=1.0)
    with TestClient(app) as test_client:
        yield test_client


def ask(client: TestClient, source: int, q: str = "pand") -> dict[str, object]:
    answer = client.get("/api/federated", params={"q": q, "source": source})
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    result: dict[str, object] = answer.json()
    return result


def test_another_catalogue_answers_with_its_begrippen_marked_with_its_source(
        client: TestClient, other_registry: str) -> None:
    answer = ask(client, 0)
    assert answer["status"] == "ok"
    assert answer["source"] == {"number": 0, "name": "Tweede", "url": other_registry}
    results = answer["results"]
    assert isinstance(results, list)
    pand = [r for r in results if r["label"] == "pand"]
    assert pand and pand[0]["uri"].startswith(other_registry.removesuffix("/rest/v1") + "/id/")
    assert pand[0]["link"] == pand[0]["uri"] and pand[0]["vocabulary"]
    assert pand[0]["definition"].startswith("Kleinste eenheid die bij de bouw")


@pytest.mark.parametrize("number", range(2, 2 + len(GARBAGE)), ids=list(GARBAGE))
def test_a_garbage_answer_is_shown_as_unusable_never_a_500(client: TestClient,
                                                            number: int) -> None:
    answer = ask(client, number)
    assert (answer["status"], answer["message"], answer["results"]) == (
        "unusable", UNUSABLE, [])


def test_a_hanging_source_is_unreachable_once_the_short_timeout_has_passed(
        client: TestClient, hang: tuple[str, Hang]) -> None:
    answer = ask(client, 1)
    assert answer["status"] == "unreachable"
    assert hang[1].asked.is_set() and not hang[1].release.is_set()


def test_no_loopback_source_is_asked_without_the_setting(
        store: Store, other_registry: str, hang: tuple[str, Hang],
        garbage: tuple[str, list[str]]) -> None:
    app = federated_app(store, other_registry, hang[0], garbage[0], timeout=5.0, allow=False)
    before = len(garbage[1])
    with TestClient(app) as strict:
        for number in (0, 2):
            assert ask(strict, number)["status"] == "unreachable"
    assert len(garbage[1]) == before


def test_bad_questions_get_clear_errors(client: TestClient) -> None:
    unknown = client.get("/api/federated", params={"q": "pand", "source": 99},
                         headers={"Accept": "application/json"})
    assert unknown.status_code == 404 and "there are 7 federated sources" in unknown.json()["error"]
    assert client.get("/api/federated", params={"source": 0}).status_code == 400
    assert client.get("/api/federated", params={"q": "pand", "source": "x"}).status_code == 400


def test_the_search_page_asks_no_source_itself_and_links_each(
        client: TestClient, garbage: tuple[str, list[str]]) -> None:
    before = len(garbage[1])
    page = BeautifulSoup(client.get("/search", params={"q": "pand"}).text, "html.parser")
    assert len(garbage[1]) == before  # our own results never wait for another registry
    assert page.select_one("ol.results a") is not None  # our own results are on the page
    section = page.select_one("section.federated")
    assert section is not None
    sources = section.select("[data-federated]")
    assert [s.h3.get_text() for s in sources] == ["Tweede", "Traag", *GARBAGE]
    assert sources[1]["data-federated"] == "/api/federated?q=pand&source=1"
    assert section.select_one("a[href='/search/federated?q=pand']") is not None


def test_the_page_without_script_shows_every_source_within_the_timeout(
        client: TestClient) -> None:
    answer = client.get("/search/federated", params={"q": "pand"})
    assert answer.status_code == 200
    page = BeautifulSoup(answer.text, "html.parser")
    items = page.select("main > ul.federated-sources > li")
    status = {li.h2.get_text(): li["data-status"] for li in items}
    assert status == {"Tweede": "ok", "Traag": "unreachable", **dict.fromkeys(GARBAGE, "unusable")}
    assert any(a.get_text() == "pand" for a in items[0].select("ol a"))
    assert "Kleinste eenheid die bij de bouw" in items[0].get_text()
    assert UNUSABLE in items[2].get_text()


def test_no_source_configured_shows_no_federated_section(client: TestClient,
                                                        store: Store) -> None:
    plain = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store)
    with TestClient(plain) as other:
        page = BeautifulSoup(other.get("/search", params={"q": "pand"}).text, "html.parser")
    assert page.select_one("section.federated") is None


def test_many_hanging_requests_leave_our_own_pages_free(
        store: Store, other_registry: str, garbage: tuple[str, list[str]]) -> None:
    """More federated requests than the web server has threads, all to a source that hangs:
    they wait in federated search's own threads, and our search page still answers."""
    with hanging() as (slow, state):
        app = federated_app(store, other_registry, slow, garbage[0], timeout=60.0)
        with serving(app, lifespan="on") as url, ThreadPoolExecutor(50) as clients:
            try:
                pending = [clients.submit(httpx.get, url + "/api/federated",
                                          params={"q": "pand", "source": 1}, timeout=90)
                           for _ in range(50)]
                assert wait_for(lambda: state.count >= FETCHERS)
                # The hang guard is half the federated timeout: before, this page waited
                # for a thread until the hanging requests gave up.
                ours = httpx.get(url + "/search", params={"q": "pand"}, timeout=30)
                assert ours.status_code == 200 and "pand" in ours.text
                assert state.count <= FETCHERS and not state.release.is_set()
            finally:
                state.release.set()
            assert {f.result().json()["status"] for f in pending} <= {"ok", "unreachable"}


@needs_browser[0]
@needs_browser[1]
def test_in_the_browser_results_appear_with_their_source_while_one_still_hangs(
        store: Store, other_registry: str, hang: tuple[str, Hang],
        garbage: tuple[str, list[str]]) -> None:
    # A long timeout: the hanging source must still hang when the others have been shown.
    app = federated_app(store, other_registry, hang[0], garbage[0], timeout=45.0)
    with serving(app, lifespan="on") as url, chromium() as browser:
        context = browser.new_context(bypass_csp=True,  # axe is injected below
                                      locale="nl-NL")
        try:
            page: Page = context.new_page()
            page.goto(url + "/search?q=pand")
            assert page.locator("main ol.results a").first.is_visible()
            other = page.locator("[data-federated]").nth(0)
            page.wait_for_function(
                "() => document.querySelector('[data-federated]').dataset.status === 'ok'",
                timeout=30_000)
            assert other.locator("h3").inner_text() == "Tweede"
            assert other.locator("ol a", has_text="pand").first.is_visible()
            assert "Kleinste eenheid die bij de bouw" in other.inner_text()  # its definition
            page.wait_for_function(
                "() => [...document.querySelectorAll('[data-federated]')].slice(2)"
                ".every(li => li.dataset.status === 'unusable')", timeout=30_000)
            slow = page.locator("[data-federated]").nth(1)
            assert slow.get_attribute("data-status") == "waiting"
            assert not hang[1].release.is_set()
            assert UNUSABLE in page.locator("[data-federated]").nth(2).inner_text()
            assert severe_violations(page) == []
        finally:
            hang[1].release.set()  # lets the app's pending request end before it stops
            context.close()
