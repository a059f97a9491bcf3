"""What third-party exports really contain, served: blank-node publishers, themes, licences and
formats (CKAN exports) on the dataset list, its JSON and search."""

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
from tests.conftest import BASE, DATA


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = EmbeddedStore()
    load_sources(store, [DATA / "thirdparty" / "blank-nodes.ttl"], base=BASE)
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _facets(client: TestClient, url: str) -> dict[str, dict[str, int]]:
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text[:500]
    return {facet["name"]: {v["label"]: v["count"] for v in facet["values"]}
            for facet in response.json()["facets"]}


def test_blank_node_facet_values_are_named_from_the_data(client: TestClient) -> None:
    facets = _facets(client, "/datasets")
    assert facets["publisher"] == {"Gemeente X": 2, "(zonder naam)": 1}
    assert facets["theme"] == {"Natuur en milieu": 1}
    assert facets["licence"] == {"CC0 1.0": 1}
    assert facets["format"] == {"CSV": 1}


@pytest.mark.parametrize("url", ["/datasets", "/search?q=Gemeente", "/search?q=bomen",
                                 "/datasets?publisher=Gemeente+X"])
def test_pages_over_blank_node_publishers_answer(client: TestClient, url: str) -> None:
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text[:500]
    text = BeautifulSoup(response.text, "html.parser").get_text(" ")
    assert "Gemeente X" in text


def test_a_chosen_blank_node_publisher_filters_the_list(client: TestClient) -> None:
    response = client.get("/datasets?publisher=Gemeente+X",
                          headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert {item["iri"] for item in response.json()["items"]} == {
        "https://ckan.example.nl/dataset/bomen", "https://ckan.example.nl/dataset/bankjes"}



def test_the_dataset_page_names_blank_node_values_without_linking_them(
    client: TestClient
) -> None:
    response = client.get("/resource", params={"uri": "https://ckan.example.nl/dataset/bomen"},
                          headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text[:500]
    page = BeautifulSoup(response.text, "html.parser")
    rows = {row.th.get_text(strip=True): row.td.get_text(" ", strip=True)
            for row in page.select("tr") if row.th and row.td}
    assert "Gemeente X" in rows.values()
    assert "Natuur en milieu" in rows.values() and "CC0 1.0" in rows.values()
    hrefs = [str(a["href"]) for a in page.find_all("a", href=True)]
    assert not [h for h in hrefs if h.startswith("/resource?uri=") and "%3A" not in h]
