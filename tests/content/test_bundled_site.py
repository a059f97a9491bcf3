"""The bundled content as a visitor meets it: our ontology is browsable as a begrippenkader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.search import SearchIndex, index_listener
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app

BASE = "http://catalogue.test"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store, index = EmbeddedStore(), SearchIndex()
    load_bundled(store, base=BASE, listeners=[index_listener(index)])
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store, index=index)
    with TestClient(app) as test_client:
        yield test_client


def test_our_ontology_is_listed_and_browsable_as_a_begrippenkader(client: TestClient) -> None:
    listing = BeautifulSoup(client.get("/begrippen").text, "html.parser")
    link = listing.find("a", string=lambda s: s is not None and "Catalogusvocabulaire" in s)
    assert link is not None, "the ontology is not among the begrippenkaders"
    scheme = BeautifulSoup(client.get(link["href"]).text, "html.parser")
    assert "Catalogusvocabulaire" in scheme.h1.get_text()
    assert scheme.find("a", string=lambda s: s is not None and s.strip() == "veld") is not None


def test_home_counts_the_bundled_registry(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/").text, "html.parser")
    counts = {
        s["data-kind"]: int(s.get_text().replace(".", "")) for s in page.select(".counts strong")
    }
    assert counts["organisations"] >= 342 + 12 + 21
    assert counts["datasets"] >= 11


def test_compare_offers_no_begrip_that_only_shares_a_common_word(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/doc/begrip/verblijfsobject").text, "html.parser")
    assert "Kleinste eenheid van gebruik" in page.get_text()
    texts = " ".join(section.get_text(" ") for section in page.find_all("section"))
    for unrelated in ("provincie", "waterschap", "zelfstandig bestuursorgaan"):
        assert unrelated not in texts


def test_a_begrip_page_says_who_maintains_it(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/doc/begrip/pand").text, "html.parser")
    (maintainer,) = page.select("header a.maintainer")
    assert "Binnenlandse Zaken" in maintainer.get_text()
    assert "Beheerd door" in maintainer.parent.get_text()


def test_where_used_lists_a_field_name_once_per_api_with_its_schemas(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/doc/begrip/pand").text, "html.parser")
    entries = [li.get_text(" ", strip=True) for li in page.select("ul.used-by li")]
    named = [entry for entry in entries if entry.startswith("API-veld pandIdentificaties")]
    assert len(named) == 1, entries
    assert all(schema in named[0] for schema in ("AdresIO", "AdresUitgebreid"))
    assert len(entries) == len(set(entries))


def test_each_organisation_is_named_in_one_bundled_graph_only() -> None:
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    twice = store.select(
        "SELECT ?org (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?org "
        "<http://xmlns.com/foaf/0.1/name> ?name } } GROUP BY ?org HAVING (COUNT(DISTINCT ?g) > 1)")
    assert [row["org"].value for row in twice] == []
    rows = store.select(
        "SELECT ?api ?name WHERE { ?api a <http://www.w3.org/ns/dcat#DataService> ; "
        "<http://purl.org/dc/terms/publisher> ?p . ?p <http://xmlns.com/foaf/0.1/name> ?name }")
    pairs = [(row["api"].value, row["name"].value) for row in rows]
    assert pairs and len(pairs) == len(set(pairs))
