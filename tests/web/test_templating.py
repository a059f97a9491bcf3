"""Stored IRIs become links only for http, https and mailto: a javascript: IRI in someone's
metadata is shown as text on every page that shows it (parsed, not pattern-matched)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.ingest import load_sources
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from catalogue.web.templating import external_link, linkable
from tests.conftest import BASE, DATA

DATASET = f"{BASE}/id/dataset/xss"
PAGES = {  # the page that shows each property, by the IRI it is about
    "landingPage": DATASET, "hasURL": DATASET, "downloadURL": DATASET, "accessURL": DATASET,
    "homepage": f"{BASE}/id/organisatie/xss", "source": f"{BASE}/id/begrip/xss",
    "exactMatch": f"{BASE}/id/begrip/xss",
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = EmbeddedStore()
    load_sources(store, [DATA / "hostile" / "javascript-links.ttl"], base=BASE)
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store)
    with TestClient(app) as test_client:
        yield test_client


def _page(client: TestClient, iri: str, lang: str = "nl") -> BeautifulSoup:
    answer = client.get("/resource", params={"uri": iri, "lang": lang},
                        headers={"Accept": "text/html"})
    assert answer.status_code == 200, answer.text[:300]
    return BeautifulSoup(answer.text, "html.parser")


def _script_links(page: BeautifulSoup) -> list[str]:
    # Browsers drop whitespace and control characters before they read the scheme.
    hrefs = ("".join(c for c in str(a["href"]) if c > " ").lower()
             for a in page.find_all(href=True))
    return [h for h in hrefs if not h.startswith(("http:", "https:", "mailto:", "/", "#", "?"))]


@pytest.mark.parametrize("prop", sorted(PAGES))
def test_a_javascript_iri_of_each_property_is_shown_as_text_not_a_link(
    client: TestClient, prop: str
) -> None:
    for lang in ("nl", "en"):
        page = _page(client, PAGES[prop], lang)
        assert _script_links(page) == []
        shown = [c.get_text() for c in page.select("code.unlinked")]
        assert any(text.endswith(f"//{prop}") for text in shown), shown


@pytest.mark.parametrize("iri", [
    f"{BASE}/id/distribution/xss", f"{BASE}/id/dataset/xss", f"{BASE}/id/organisatie/xss",
    f"{BASE}/id/begrip/xss",
])
def test_no_page_links_to_a_script_iri(client: TestClient, iri: str) -> None:
    assert _script_links(_page(client, iri)) == []


@pytest.mark.parametrize(("iri", "expected"), [
    ("https://example.org/a", True), ("HTTP://example.org", True), ("mailto:a@example.org", True),
    ("javascript:alert(1)", False), (" javascript:x", False), ("data:text/html,x", False),
    ("vbscript:x", False), ("http:", False), ("urn:isbn:1", False), ("", False),
])
def test_only_http_https_and_mailto_are_linkable(iri: str, expected: bool) -> None:
    assert linkable(iri) is expected
    html = str(external_link(iri, "<b>tekst</b>"))
    assert html.startswith("<a ") is expected
    assert "<b>" not in html  # text and IRI are escaped either way
