"""Blank-node distributions (CKAN and udata exports: `dcat:distribution [ dcat:accessURL … ;
dct:format … ]`) are listed on the dataset page like IRI ones: by title, else by format, else by
URL, with their format, links and licences, as text where they have no page."""

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

AFS = "http://example.com/data/test-dataset-1"  # ckanext-dcat's dataset_afs.ttl
BOMEN = "https://data.example.org/dataset/bomen"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = EmbeddedStore()
    load_sources(store, [DATA / "corpus" / "ckanext-dcat_dataset_afs.ttl",
                         DATA / "catalog" / "blank-distributions.ttl"], base=BASE)
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store)
    with TestClient(app) as test_client:
        yield test_client


def _rows(client: TestClient, iri: str) -> list[list[BeautifulSoup]]:
    response = client.get("/resource", params={"uri": iri}, headers={"Accept": "text/html"},
                          follow_redirects=True)
    assert response.status_code == 200, response.text[:300]
    section = BeautifulSoup(response.text, "html.parser").find(
        "section", attrs={"aria-labelledby": "distributions"})
    assert section is not None
    return [row.find_all("td") for row in section.select("tbody tr")]


def test_a_real_ckan_export_shows_its_blank_distributions(client: TestClient) -> None:
    rows = {cells[0].get_text(strip=True): cells for cells in _rows(client, AFS)}
    assert set(rows) == {"Test resource CSV file", "Test resource HTML file"}
    csv = rows["Test resource CSV file"]
    assert csv[0].find("a") is None  # a blank node has no page to link to
    assert "text/csv" in csv[1].get_text()  # dct:format [ a dct:IMT ; rdf:value "text/csv" ]
    # downloadURL written as a literal "http://url.to.csv.file": still the link it means
    assert [a["href"] for a in csv[2].find_all("a")] == ["http://url.to.csv.file"]
    html = rows["Test resource HTML file"]
    assert [a["href"] for a in html[2].find_all("a")] == ["http://url.to.html.page"]


def test_a_blank_distribution_without_title_is_named_by_format_or_url(
        client: TestClient) -> None:
    rows = {cells[0].get_text(strip=True): cells for cells in _rows(client, BOMEN)}
    assert set(rows) == {"CSV", "https://data.example.org/bomen/wms"}
    assert rows["CSV"][1].get_text(strip=True) == "CSV"
    licence = rows["https://data.example.org/bomen/wms"][3]
    assert licence.get_text(strip=True) == "Eigen licentie" and licence.find("a") is None
