"""The quality pages: the publisher dashboard shows score, band, dimensions, datasets, the top
problem and what to fix first (nl and en); the overview lists publishers and stored scores."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.quality import score_publisher
from catalogue.quality.dqv import store_quality
from catalogue.store.embedded import EmbeddedStore
from catalogue.web.app import create_app
from tests.quality.conftest import BASE, ORG, PERFECT, load_turtle

HTML = {"Accept": "text/html"}


def _catalogue() -> EmbeddedStore:
    """Three datasets: perfect (405), without keywords (375), without keywords and theme (315:
    the theme is mandatory in DCAT-AP-NL, so compliance is lost too); 365 on average."""
    store = load_turtle(PERFECT)
    for name, drop in (("second", ('dcat:keyword "bomen"@nl ;',)),
                       ("third", ('dcat:keyword "bomen"@nl ;', "dcat:theme <http://publications"
                                  ".europa.eu/resource/authority/data-theme/ENVI> ;"))):
        text = PERFECT.replace("perfect", name).replace("Perfecte dataset", f"Dataset {name}")
        for fragment in drop:
            assert fragment in text
            text = text.replace(fragment, "")
        load_turtle(text, store, graph=f"{BASE}/id/graph/{name}")
    return store


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store=_catalogue())) as test_client:
        yield test_client


def _soup(client: TestClient, url: str) -> BeautifulSoup:
    response = client.get(url, headers=HTML)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def test_dashboard_shows_the_top_problem_and_what_to_fix_first(client: TestClient) -> None:
    soup = _soup(client, f"/quality/publisher?uri={ORG}&lang=en")
    assert soup.h1.get_text(strip=True) == "Gemeente Rotterdam"
    score = soup.select_one("p.score").get_text(" ", strip=True)
    assert "Score: 365" in score and "of 405" in score and "Excellent" in score
    rows = soup.select("table.problems tbody tr")
    assert [r["data-indicator"] for r in rows] == [
        "keywordAvailability", "categoryAvailability", "dcatApCompliance"]  # theme is mandatory
    first = [c.get_text(strip=True) for c in rows[0].find_all(["th", "td"])]
    assert first[1:3] == ["2", "60"]  # missing in 2 datasets, 2 x 30 points
    fix = soup.select_one("p.fix-first").get_text(" ", strip=True)
    assert "give the dataset keywords (dcat:keyword)" in fix and "2 of 3 datasets" in fix
    datasets = [r.th.get_text(strip=True) for r in soup.select("table.datasets tbody tr")]
    assert datasets == ["Dataset third", "Dataset second", "Perfecte dataset"]  # worst first
    dimensions = {r["data-dimension"]: r.td.get_text(strip=True)
                  for r in soup.select("table.dimensions tbody tr")}
    assert dimensions["findability"] == "70 / 100"  # (100 + 70 + 40) / 3
    assert soup.find("main") is not None and soup.find("meter") is not None


def test_dashboard_in_dutch_and_as_json(client: TestClient) -> None:
    soup = _soup(client, f"/quality/publisher?uri={ORG}&lang=nl")
    assert soup.select_one("p.fix-first").get_text(" ", strip=True).startswith(
        "Begin hiermee: geef de dataset trefwoorden")
    data = client.get(f"/quality/publisher?uri={ORG}", headers={"Accept": "application/json"})
    assert data.json()["problems"][0]["id"] == "keywordAvailability"
    assert data.json()["total"] == 365


def test_a_publisher_without_datasets_and_a_bad_uri(client: TestClient) -> None:
    soup = _soup(client, "/quality/publisher?uri=https://example.org/nobody&lang=en")
    assert "publishes no datasets" in soup.get_text()
    assert client.get("/quality/publisher?uri=not an iri").status_code == 400


def test_overview_lists_publishers_and_their_stored_scores(settings: Settings) -> None:
    store = _catalogue()
    with TestClient(create_app(settings, store=store)) as client:
        row = _soup(client, "/quality?lang=en").select_one("table.quality-list tbody tr")
        assert row.th.a["href"] == "/quality/publisher?" + urlencode({"uri": ORG})
        assert "not stored yet" in row.get_text()
    store_quality(store, [score_publisher(store, ORG)], base=BASE)
    with TestClient(create_app(settings, store=store)) as client:
        row = _soup(client, "/quality?lang=en").select_one("table.quality-list tbody tr")
        cells = [c.get_text(strip=True) for c in row.find_all(["th", "td"])]
        assert cells[:4] == ["Gemeente Rotterdam", "3", "365", "Excellent"]
        # the rating band is a facet of the dataset list
        legends = {f.legend.get_text(strip=True): f.get_text(" ", strip=True)
                   for f in _soup(client, "/datasets?lang=en").find_all("fieldset")}
        assert "MQA: Excellent (2)" in legends["Quality (MQA)"]
        assert "MQA: Good (1)" in legends["Quality (MQA)"]
        found = client.get("/datasets?quality=https://piveau.eu/ns/scoring%23good",
                           headers={"Accept": "application/json"}).json()
        assert [item["label"] for item in found["items"]] == ["Dataset third"]


def test_organisation_page_links_the_dashboard(client: TestClient) -> None:
    soup = _soup(client, f"/resource?uri={ORG}")
    link = soup.select_one("p.quality-link a")
    assert link is not None and link["href"].startswith("/quality/publisher?uri=")


def test_fix_first_for_compliance_names_the_most_frequent_violation(settings: Settings) -> None:
    store = load_turtle(PERFECT.replace('    dct:description "Een dataset die alle punten haalt."'
                                        '@nl ;\n', ""))
    with TestClient(create_app(settings, store=store)) as client:
        fix = _soup(client, f"/quality/publisher?uri={ORG}&lang=en").select_one("p.fix-first")
    text = fix.get_text(" ", strip=True)
    assert text.startswith("Fix this first: fix the Violations of the DCAT-AP-NL profile")
    assert "Most frequent Violation:" in text and "description" in text
