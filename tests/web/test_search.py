"""GET /search (HTML and JSON), /search/suggest, and the search box on every page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.web.app import create_app
from tests.concepts.conftest import SCENARIOS, build
from tests.conftest import BASE

B = "http://catalogue.test/id/begrip/"
GEBOUWEN = "http://catalogue.test/id/begrippenkader/gebouwen"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store, index = build(sorted(SCENARIOS.glob("*.ttl")))
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store, index=index)
    with TestClient(app) as test_client:
        yield test_client


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/search", params=params, headers={"accept": "application/json"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def uris(body: dict[str, Any]) -> list[str]:
    return [r["uri"] for r in body["results"]]


def test_json_shape(client: TestClient) -> None:
    body = search(client, q="gebouw")
    assert set(body) == {"results", "total"}
    first = body["results"][0]
    assert set(first) == {"uri", "label", "kind", "scheme", "snippet", "score"}
    assert body["total"] >= len(body["results"]) > 0


def test_finds_by_alt_label(client: TestClient) -> None:
    assert uris(search(client, q="kavel"))[0] == B + "perceel"


def test_finds_by_plural_form(client: TestClient) -> None:
    found = uris(search(client, q="gebouwen", kind="concept"))
    assert found[0] in (B + "gebouw", "https://kadaster.example/id/begrip/gebouw")
    assert B + "gebouw" in found[:2]


def test_finds_without_diacritics_and_case(client: TestClient) -> None:
    assert uris(search(client, q="COOPERATIE"))[0] == B + "cooperatie"
    assert uris(search(client, q="coöperatie"))[0] == B + "cooperatie"


def test_prefix_matches(client: TestClient) -> None:
    assert B + "perceel" in uris(search(client, q="perc"))


def test_word_only_in_definition_ranks_below_label_matches(client: TestClient) -> None:
    found = uris(search(client, q="kadastrale", kind="concept"))
    assert found[0] == "https://kadaster.example/id/begrip/kadastrale-aanduiding"
    assert B + "perceel" in found[1:]


def test_label_ranks_above_alt_label_above_definition(client: TestClient) -> None:
    found = uris(search(client, q="opstal", kind="concept"))
    # prefLabel "opstalobject" (a prefix) before altLabel "opstal" of gebouw
    assert found[:2] == [B + "opstal-oud", B + "gebouw"]
    hidden = uris(search(client, q="gebouwtje", kind="concept"))
    assert hidden == [B + "gebouw"]


def test_filters(client: TestClient) -> None:
    in_scheme = uris(search(client, q="gebouw", scheme=GEBOUWEN))
    assert "https://kadaster.example/id/begrip/gebouw" not in in_scheme
    assert B + "gebouw" in in_scheme
    datasets = search(client, q="gebouw", kind="dataset")
    assert {r["kind"] for r in datasets["results"]} == {"dataset"}
    by_publisher = uris(search(client, q="gebouw", kind="concept",
                               publisher="http://catalogue.test/id/organisatie/kadaster"))
    assert by_publisher == ["https://kadaster.example/id/begrip/gebouw"]
    english = uris(search(client, q="building", kind="concept", language="en"))
    assert english == [B + "gebouw"]
    deprecated = uris(search(client, q="", status="http://purl.org/adms/status/Deprecated"))
    assert deprecated == [B + "opstal-oud"]


def test_html_results_and_filters_without_javascript(client: TestClient) -> None:
    response = client.get("/search", params={"q": "gebouwen"}, headers={"accept": "text/html"})
    soup = BeautifulSoup(response.text, "html.parser")
    links = [a.get_text() for a in soup.select("ol.results > li > a")]
    assert "gebouw" in links
    legends = [legend.get_text() for legend in soup.select("fieldset legend")]
    assert "Begrippenkader" in legends and "Soort" in legends
    assert soup.select_one("input[name=scheme]") is not None


def test_search_box_on_every_page(client: TestClient) -> None:
    for path in ("/", "/begrippen", "/doc/begrip/gebouw", "/graphs"):
        soup = BeautifulSoup(client.get(path).text, "html.parser")
        form = soup.select_one("header form[role=search]")
        assert form is not None and form["action"] == "/search", path
        assert form.select_one("label[for=site-search]") is not None


def test_suggest(client: TestClient) -> None:
    body = client.get("/search/suggest", params={"q": "geb"}).json()
    labels = [r["label"] for r in body["results"]]
    assert "gebouw" in labels
    first = body["results"][0]
    assert first["url"].startswith("/doc/") or first["url"].startswith("/resource?")
    assert client.get("/search/suggest", params={"q": ""}).json() == {"results": []}


def test_suggest_ranks_preferred_labels_first_and_matches_later_words(client: TestClient) -> None:
    def suggested(query: str) -> list[str]:
        body = client.get("/search/suggest", params={"q": query}).json()
        return [r["uri"] for r in body["results"]]

    assert suggested("opst")[:2] == [B + "opstal-oud", B + "gebouw"]  # prefLabel, then altLabel
    assert suggested("aandu") == ["https://kadaster.example/id/begrip/kadastrale-aanduiding"]
    assert suggested("COÖP") == [B + "cooperatie"]
    assert suggested("g-01") == [B + "gebouw"]  # notation
