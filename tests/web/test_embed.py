"""Embeddable definitions: the card page any site may frame, its JSON open to every origin,
oEmbed for a begrip's page, and the card script on a plain page served from another loopback
port, in a real browser."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.browser import CHROMIUM, chromium
from tests.conftest import BASE
from tests.loopback import loopback
from tests.web.live import serving

DEFINED = ("SELECT ?c ?label ?definition WHERE { ?c a <http://www.w3.org/2004/02/skos/core#Concept>"
           " ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label ;"
           " <http://www.w3.org/2004/02/skos/core#definition> ?definition "
           "FILTER(lang(?label) = 'nl' && lang(?definition) = 'nl') } ORDER BY ?c LIMIT 1")


@pytest.fixture(scope="module")
def bundled() -> tuple[FastAPI, tuple[str, str, str]]:
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    row = store.select(DEFINED)[0]
    begrip = (row["c"].value, row["label"].value, row["definition"].value)
    return create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store), begrip


@pytest.fixture(scope="module")
def client(bundled: tuple[FastAPI, tuple[str, str, str]]) -> Iterator[TestClient]:
    with TestClient(bundled[0]) as client:
        yield client


def test_the_card_is_a_page_any_site_may_frame(client: TestClient, bundled) -> None:  # type: ignore[no-untyped-def]
    iri, label, definition = bundled[1]
    answer = client.get("/embed/begrip", params={"uri": iri})
    assert answer.status_code == 200
    assert "frame-ancestors *" in answer.headers["content-security-policy"]
    assert "max-age" in answer.headers["cache-control"]
    # cached per language: the card's language comes from the cookie or Accept-Language
    assert set(answer.headers["vary"].split(", ")) >= {"Accept-Language", "Cookie"}
    card = BeautifulSoup(answer.text, "html.parser")
    assert card.find("h1").get_text(strip=True) == label  # type: ignore[union-attr]
    assert card.find(class_="definition").get_text(strip=True) == definition  # type: ignore[union-attr]
    meta = " ".join(card.find(class_="meta").get_text(" ").split())  # type: ignore[union-attr]
    assert "Bron: Catalogus" in meta and "gewijzigd" in meta
    # Every other page stays unframeable.
    assert "frame-ancestors 'none'" in client.get("/").headers["content-security-policy"]
    assert client.get("/embed/begrip", params={"uri": f"{BASE}/id/none"}).status_code == 404
    assert client.get("/embed/begrip", params={"uri": "no iri"}).status_code == 400


def test_json_and_oembed_are_open_to_every_origin(client: TestClient, bundled) -> None:  # type: ignore[no-untyped-def]
    iri, label, definition = bundled[1]
    data = client.get("/embed/begrip.json", params={"uri": iri, "lang": "en"})
    assert data.headers["access-control-allow-origin"] == "*"
    body = data.json()
    assert (body["label"], body["definition"]) == (label, definition)
    assert body["words"]["source"] == "Source"
    page = client.get("/resource", params={"uri": iri}, headers={"Accept": "text/html"})
    discovery = BeautifulSoup(page.text, "html.parser").find(
        "link", attrs={"type": "application/json+oembed"})
    assert discovery is not None
    oembed = client.get(discovery["href"]).json()  # type: ignore[index]
    assert oembed["type"] == "rich" and oembed["title"] == label
    frame = BeautifulSoup(oembed["html"], "html.parser").find("iframe")
    assert frame is not None and "/embed/begrip?" in frame["src"]  # type: ignore[operator]
    by_page_url = client.get("/oembed", params={"url": "http://testserver/resource?"
                                                + f"uri={iri}"}).json()
    assert by_page_url["title"] == label
    bad = client.get("/oembed", params={"url": "no iri"}, headers={"Accept": "application/json"})
    assert bad.status_code == 400 and bad.json()["error"].startswith("url=")  # it said uri=


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (/usr/bin/chromium)")
def test_a_card_appears_on_a_plain_page_of_another_site(
    tmp_path: Path, bundled: tuple[FastAPI, tuple[str, str, str]],
) -> None:
    iri, label, definition = bundled[1]
    with serving(bundled[0]) as registry:
        (tmp_path / "index.html").write_text(
            f'<!doctype html><html lang="nl"><head><title>Elders</title>'
            f'<script src="{registry}/static/begrip-card.js" defer></script></head><body>'
            f'<p>Wij gebruiken het begrip <a id="term" data-begrip="{iri}">{label}</a>.</p>'
            f'<iframe id="framed" title="kaart" src="{registry}/embed/begrip?uri={iri}">'
            f'</iframe></body></html>', encoding="utf-8")
        handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
        with loopback(handler) as elsewhere, chromium() as browser:  # type: ignore[arg-type]
            page = browser.new_page()
            page.goto(elsewhere + "/index.html")
            page.hover("#term")
            popup = page.locator("[role=tooltip]")
            popup.wait_for(timeout=15_000)
            assert definition in popup.inner_text()
            assert "Bron: Catalogus" in popup.inner_text()
            assert page.get_attribute("#term", "aria-describedby") == popup.get_attribute("id")
            assert page.get_attribute("#term", "href").startswith(registry)  # type: ignore[union-attr]
            framed = page.frame_locator("#framed")
            assert framed.locator("h1").inner_text(timeout=15_000) == label
