"""Pages show labels, not codes: the EU vocabularies' labels for access rights and formats, and
the names of publishers on /graphs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.ingest import load_sources
from catalogue.search import SearchIndex, index_listener
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app

BASE = "http://catalogue.test"
KADASTER = "https://identifier.overheid.nl/tooi/id/zbo/zb000195"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store, index = EmbeddedStore(), SearchIndex()
    load_bundled(store, base=BASE, listeners=[index_listener(index)])
    source = tmp_path_factory.mktemp("src") / "kadaster-extra.ttl"
    source.write_text("<http://example.org/d> <http://purl.org/dc/terms/title> \"d\"@nl .\n")
    load_sources(store, [source], base=BASE, publisher=KADASTER)
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store, index=index)
    with TestClient(app) as test_client:
        yield test_client


def page(client: TestClient, path: str) -> BeautifulSoup:
    client.cookies.clear()
    answer = client.get(path)
    assert answer.status_code == 200, path
    return BeautifulSoup(answer.text, "html.parser")


def test_the_dataset_page_shows_access_rights_and_formats_by_their_labels(
        client: TestClient) -> None:
    text = page(client, "/doc/dataset/bag").get_text(" ")
    assert "openbaar" in text and "PUBLIC" not in text
    assert "WMS" in text and "WMS_SRVC" not in text
    english = page(client, "/doc/dataset/bag?lang=en").get_text(" ")
    assert "public" in english and "PUBLIC" not in english


def test_graphs_name_their_publisher(client: TestClient) -> None:
    links = page(client, "/graphs").select(f"td a[title='{KADASTER}']")
    assert [a.get_text() for a in links] == ["Dienst voor het kadaster en de openbare registers"]
    history = page(client, f"/history?graph={BASE}/id/graph/kadaster-extra")
    assert history.select_one(f"a[title='{KADASTER}']").get_text() == (
        "Dienst voor het kadaster en de openbare registers")


def test_json_ld_answers_are_compacted_with_the_published_context(client: TestClient) -> None:
    import json

    from catalogue.store.terms import RdfFormat, parse

    answer = client.get("/doc/dataset/bag.jsonld")
    document = json.loads(answer.text)
    published = client.get("/context.jsonld").json()["@context"]
    assert document["@context"] == published and published["dct"] == "http://purl.org/dc/terms/"
    (bag,) = [node for node in document["@graph"] if node["@id"].endswith("/id/dataset/bag")]
    assert bag["@type"] == "dcat:Dataset"
    assert {"@value": "Basisregistratie Adressen en Gebouwen (BAG)", "@language": "nl"} in (
        bag["dct:title"] if isinstance(bag["dct:title"], list) else [bag["dct:title"]])
    turtle = client.get("/doc/dataset/bag.ttl").content
    as_jsonld = {str(q.triple) for q in parse(answer.content, RdfFormat.JSON_LD)}
    as_turtle = {str(q.triple) for q in parse(turtle, RdfFormat.TURTLE)}
    assert as_jsonld == as_turtle


def test_a_source_graphs_page_names_its_checksum_terms(client: TestClient) -> None:
    text = page(client, f"/resource?uri={BASE}/id/graph/bundled-begrippen").get_text(" ")
    assert "Algoritme" in text and "spdx:" not in text


def test_an_api_page_shows_its_licence_by_label(client: TestClient) -> None:
    text = page(client, "/doc/api/brp-personen").get_text(" ")
    assert "niet open" in text and "niet_open" not in text
