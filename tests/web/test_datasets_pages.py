"""Dataset, API and organisation pages and the faceted lists, on a real store and index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.ingest import load_sources
from catalogue.ingest.openapi import read_document
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import BASE, DATA, SHARED, needs_shared

BAG_SPEC = SHARED / "apis" / "openapi" / "bag-individuele-bevragingen-v2.openapi.yaml"
KADASTER = "https://identifier.overheid.nl/tooi/id/zbo/zb000195"
BOUWJAAR = f"{BASE}/id/begrip/bouwjaar"
BAG_API = f"{BASE}/id/api/bag-individuele-bevragingen-v2"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = EmbeddedStore()
    folder = tmp_path_factory.mktemp("specs")
    (folder / "begrippen.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f"<{BOUWJAAR}> a skos:Concept ; skos:prefLabel \"bouwjaar\"@nl ;\n"
        "  skos:definition \"Het jaar waarin een pand gereed is.\"@nl .\n"
        f"<{BASE}/id/dataset/bag> <http://www.w3.org/ns/dcat#theme> "
        "<http://publications.europa.eu/resource/authority/data-theme/REGI> .\n"
        f"<{KADASTER}> <https://w3id.org/catalogue/def#usesService> <{BASE}/id/api/bomen> .\n"
    )
    sources = [DATA / "registry.ttl", DATA / "catalog" / "complete.ttl", folder / "begrippen.ttl"]
    if BAG_SPEC.exists():
        # the real BAG description, with one field annotated by its publisher (x-begrip)
        spec = read_document(BAG_SPEC.read_bytes(), str(BAG_SPEC))
        spec["components"]["schemas"]["Pand"]["properties"]["oorspronkelijkBouwjaar"][
            "x-begrip"] = BOUWJAAR
        spec["x-test"] = "annotated copy"
        path = folder / BAG_SPEC.name
        path.write_text(json.dumps(spec), encoding="utf-8")  # JSON is YAML too
        sources.append(path)
    load_sources(store, sources[:3], base=BASE)
    if len(sources) > 3:
        load_sources(store, sources[3:], base=BASE, publisher=KADASTER)
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store)
    with TestClient(app) as test_client:
        yield test_client


def _soup(client: TestClient, url: str) -> BeautifulSoup:
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


def _hrefs(soup: BeautifulSoup) -> set[str]:
    return {str(a["href"]) for a in soup.find_all("a", href=True)}


@needs_shared
def test_bag_api_page_lists_operations_and_begrippen_and_the_begrip_links_back(
    client: TestClient,
) -> None:
    page = _soup(client, "/doc/api/bag-individuele-bevragingen-v2")
    assert page.h1 is not None and "BAG" in page.h1.get_text()
    rows = page.select("table.operations tbody tr")
    spec = yaml.safe_load(BAG_SPEC.read_text(encoding="utf-8"))
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    expected = sum(1 for item in spec["paths"].values() for key in item if key in methods)
    assert len(rows) == expected > 5
    assert any(r.get_text(" ", strip=True).startswith("GET /panden/{identificatie}")
               for r in rows)
    concept_cells = page.select("table.field-concepts tbody tr")
    annotated = [r for r in concept_cells if "oorspronkelijkBouwjaar" in r.get_text()]
    assert annotated and "suggested" not in (annotated[0].get("class") or [])
    begrip_link = annotated[0].find("a", rel="tag")
    assert begrip_link is not None and begrip_link["href"] == "/doc/begrip/bouwjaar"
    # and back: the begrip's page names the API whose field carries it
    begrip = _soup(client, str(begrip_link["href"]))
    assert "/doc/api/bag-individuele-bevragingen-v2" in _hrefs(begrip)
    # the ADR score and the findings
    assert page.select_one(".adr-score") is not None
    assert "openapi-root-exists" in page.get_text()


def test_dataset_page_shows_distributions_apis_begrippen_and_schema_org(
    client: TestClient,
) -> None:
    page = _soup(client, "/doc/dataset/bomen")
    text = page.get_text(" ", strip=True)
    assert "Bomen als CSV" in text
    hrefs = _hrefs(page)
    assert "/doc/api/bomen" in hrefs  # the API that serves it
    assert "/doc/begrip/pand" in hrefs  # the begrip it is about
    script = page.find("script", type="application/ld+json")
    assert script is not None
    data = json.loads(script.get_text())
    assert data["@type"] == "Dataset" and data["name"] == "Bomen"
    assert data["distribution"][0]["contentUrl"] == "https://data.example.nl/bomen.csv"
    assert data["license"] == "http://creativecommons.org/publicdomain/zero/1.0/deed.nl"


def test_api_page_of_a_hand_made_record(client: TestClient) -> None:
    page = _soup(client, "/doc/api/bomen")
    assert "/doc/dataset/bomen" in _hrefs(page)
    assert "https://api.example.nl/bomen/v1" in page.get_text()
    users = page.find("section", attrs={"aria-labelledby": "users"})
    assert users is not None and "Kadaster" in users.get_text()


def test_organisation_page(client: TestClient) -> None:
    page = _soup(client, "/resource?" + urlencode({"uri": KADASTER}))
    hrefs = _hrefs(page)
    assert "/doc/dataset/bag" in hrefs  # publishes
    assert "/doc/api/bomen" in hrefs  # uses
    if BAG_SPEC.exists():
        assert "/doc/api/bag-individuele-bevragingen-v2" in hrefs  # offers


def test_dataset_list_facets_filter_and_sort(client: TestClient) -> None:
    page = _soup(client, "/datasets")
    titles = [a.get_text() for a in page.select("ol.results li > a")]
    assert titles == sorted(titles, key=str.lower) and "Bomen" in titles
    legends = [legend.get_text() for legend in page.select("fieldset legend")]
    assert "Uitgever" in legends and "Thema" in legends and "Soort" in legends
    kinds = page.find("legend", string="Soort").find_parent("fieldset").get_text()
    assert "Dataset" in kinds
    amsterdam = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"
    filtered = client.get("/datasets", params={"publisher": amsterdam},
                          headers={"Accept": "application/json"}).json()
    assert [item["iri"] for item in filtered["items"]] == [f"{BASE}/id/dataset/bomen"]
    newest = client.get("/datasets", params={"sort": "modified"},
                        headers={"Accept": "application/json"}).json()
    assert newest["items"][0]["iri"] == f"{BASE}/id/dataset/bomen"  # 2026-03-01 is the newest
    searched = client.get("/datasets", params={"q": "bomen"},
                          headers={"Accept": "application/json"}).json()
    assert searched["total"] == 1


def test_api_list_and_nav(client: TestClient) -> None:
    page = _soup(client, "/apis?lang=en")
    labels = [a.get_text() for a in page.select("ol.results li > a")]
    assert "Bomen API" in labels
    nav = _hrefs(page.find("header") or page)
    assert "/datasets" in nav and "/apis" in nav
    assert client.get("/apis", params={"sort": "sideways"}).status_code == 400


def test_a_dataset_page_asks_the_store_the_same_few_times_however_many_links_it_has() -> None:
    """Each query is a round trip on a remote store: the dataset's distributions and every
    label are read in one query each, not one per distribution or per list."""
    from catalogue.ingest import load_sources
    from catalogue.services.datasets import dataset_page
    from catalogue.store import EmbeddedStore
    from catalogue.store.terms import NamedNode, Quad
    from tests.conftest import BASE, DATA

    def asked(store: EmbeddedStore) -> int:
        count = 0
        select = store.select

        def counting(*args: object, **options: object) -> object:
            nonlocal count
            count += 1
            return select(*args, **options)  # type: ignore[arg-type]

        store.select = counting  # type: ignore[method-assign]
        try:
            dataset_page(store, f"{BASE}/id/dataset/bag", lang="nl", page_url="x")
        finally:
            del store.select
        return count

    store = EmbeddedStore()
    load_sources(store, sorted(DATA.glob("*.ttl")), base=BASE)
    dcat, dct = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
    graph = NamedNode(f"{BASE}/id/graph/more")

    def add_distribution(n: int) -> None:
        part = NamedNode(f"{BASE}/id/distribution/extra{n}")
        store.raw_store.extend([
            Quad(NamedNode(f"{BASE}/id/dataset/bag"), NamedNode(dcat + "distribution"), part,
                 graph),
            Quad(part, NamedNode(dct + "format"), NamedNode(f"http://example.org/format/{n}"),
                 graph),
            Quad(part, NamedNode(dct + "license"), NamedNode(f"http://example.org/licence/{n}"),
                 graph),
        ])

    add_distribution(0)
    one = asked(store)
    for n in range(1, 7):
        add_distribution(n)
    # 10 for the page, one for the names of blank-node publishers, themes and licences, and
    # one for the blank-node distributions (read through the dataset, with their values' names).
    assert asked(store) == one <= 12


def test_a_dataset_page_shows_every_keyword_its_languages_frequency_and_documentation(
        tmp_path: Path) -> None:
    """As a GeoNetwork GeoDCAT-AP export of a Danish dataset has them: five Danish keywords
    beside one English one (only the English one showed), and the language, update frequency,
    high-value category and documentation page that no row showed."""
    eu = "http://publications.europa.eu/resource/authority"
    source = tmp_path / "geodcat.ttl"
    source.write_text(f"""
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix dcatap: <http://data.europa.eu/r5r/> .
        <https://geo.example.dk/dataset/1> a dcat:Dataset ; dct:title "Vandløb"@da ;
            dcat:keyword "vandløb"@da, "hydrografi"@da, "natur"@da, "miljø"@da, "vand"@da,
                "National"@en ;
            dct:language <{eu}/language/DAN> ;
            dct:accrualPeriodicity <{eu}/frequency/ANNUAL> ;
            dcatap:hvdCategory <http://data.europa.eu/bna/c_dd313021> ;
            foaf:page <https://geo.example.dk/docs/vandloeb> .
    """, encoding="utf-8")
    store = EmbeddedStore()
    load_sources(store, [source], base=BASE)
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store)
    with TestClient(app) as client:
        rows = {th.get_text(strip=True): th.find_next_sibling("td") for th in _soup(
            client, "/resource?uri=https://geo.example.dk/dataset/1&lang=en").select(
            "table.properties th")}
        assert rows["Keywords"].get_text() == "National, hydrografi, miljø, natur, vand, vandløb"
        assert rows["Language"].a["href"].endswith("language%2FDAN")
        assert rows["Update frequency"].get_text(strip=True) == "ANNUAL"
        assert "c_dd313021" in rows["High-value dataset category"].get_text()
        assert rows["Documentation"].a["href"] == "https://geo.example.dk/docs/vandloeb"
