"""An API's endpoint is its production server: read from the server descriptions as well as the
URLs; with only test, acceptance or mock servers the page says so. Operations without a summary
show their description."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.ingest import load_sources
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import BASE


def _spec(servers: list[dict[str, str]]) -> dict[str, object]:
    return {
        "openapi": "3.0.3", "info": {"title": "Kadastraal Onroerende Zaken", "version": "2.0.0"},
        "servers": servers,
        "paths": {"/kadastraalonroerendezaken": {"get": {
            "operationId": "GetKadastraalOnroerendeZaken", "summary": "",
            "description": "Zoekt kadastraal onroerende zaken op adres.",
            "responses": {"200": {"description": "OK"}}}}},
    }


SPECS = {
    # BRK-Bevragen as it is described: two TEST servers first, then PRODUCTIE
    "brk": [{"url": f"https://api.brk.kadaster.nl/{path}/bevragen/v2", "description": kind}
            for path, kind in (("esd-eto-apikey", "TEST"), ("esd-eto-oauth", "TEST"),
                               ("esd", "PRODUCTIE"))],
    "mock": [{"url": "https://virtserver.swaggerhub.com/kadaster/brk/2.0.0",
              "description": "SwaggerHub API Auto Mocking"},
             {"url": "https://api.example.nl/sandbox/v1", "description": "Sandbox"}],
    # the Objects API's licence is a name only, one that is an SPDX identifier
    "objects": [{"url": "https://objecten.example.nl/api/v2", "description": "Productie"}],
    # developer.overheid.nl's own tools API: "developer" in a host is no development server
    "don-tools": [{"url": "https://api.developer.overheid.nl/tools/v1",
                   "description": "Production"},
                  {"url": "https://api.test.developer.overheid.nl/tools/v1",
                   "description": "Test"}],
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("specs")
    for name, servers in SPECS.items():
        spec = _spec(servers)
        if name == "objects":
            spec["info"] = {"title": "Objects API", "version": "2.4.0",
                            "license": {"name": "EUPL-1.2"},
                            "contact": {"name": "Maykin Media", "email": "info@example.nl",
                                        "url": "https://www.example.nl"}}
        (folder / f"{name}.openapi.json").write_text(json.dumps(spec))
    store = EmbeddedStore()
    load_sources(store, sorted(folder.iterdir()), base=BASE)
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store)
    with TestClient(app) as test_client:
        yield test_client


def _page(client: TestClient, name: str) -> BeautifulSoup:
    response = client.get(f"/doc/api/{name}", headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text[:300]
    return BeautifulSoup(response.text, "html.parser")


def test_the_production_server_is_the_endpoint_though_test_ones_come_first(
    client: TestClient
) -> None:
    page = _page(client, "brk")
    assert page.select("table code")[0].get_text() == (
        "https://api.brk.kadaster.nl/esd/bevragen/v2")
    assert page.select(".no-production") == []


def test_with_only_mock_and_sandbox_servers_the_page_says_there_is_no_production_one(
    client: TestClient
) -> None:
    page = _page(client, "mock")
    assert "Geen productieserver" in page.select_one(".no-production").get_text()
    assert len(page.select("table li code")) == 2  # both still listed as servers


def test_an_operation_without_summary_shows_its_description(client: TestClient) -> None:
    rows = _page(client, "brk").select("table.operations tr")
    assert any("Zoekt kadastraal onroerende zaken op adres." in row.get_text() for row in rows)


def test_a_developer_portal_host_is_not_a_development_server(client: TestClient) -> None:
    page = _page(client, "don-tools")
    assert page.select("table code")[0].get_text() == "https://api.developer.overheid.nl/tools/v1"
    assert page.select(".no-production") == []


def test_a_licence_named_by_its_spdx_identifier_and_a_contact_in_parts(
        client: TestClient) -> None:
    page = _page(client, "objects")
    rows = {th.get_text(strip=True): th.find_next_sibling("td") for th in page.select("th")}
    licence = next(td for label, td in rows.items() if label in ("Licentie", "Licence"))
    assert licence.a["href"] == "/resource?uri=https%3A%2F%2Fspdx.org%2Flicenses%2FEUPL-1.2"
    contact = next(td for label, td in rows.items() if label in ("Contactpunt", "Contact"))
    assert contact.get_text(" ", strip=True) == (
        "Maykin Media · info@example.nl · https://www.example.nl")
