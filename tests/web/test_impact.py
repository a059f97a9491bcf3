"""/impact and /api/impact through the real app: the small graph whose answer is known, the
bundled content (the begrip, API and dataset pages link to it), and clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.ingest import load_sources
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import BASE, DATA

EX = "http://impact.test/id/"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    load_sources(store, [DATA / "impact" / "graph.ttl"], base=BASE)
    with TestClient(create_app(Settings(store=Path(":memory:"), base_iri=BASE),
                               store=store)) as test_client:
        yield test_client


def test_the_page_counts_and_lists_what_depends_on_a_begrip(client: TestClient) -> None:
    answer = client.get("/impact", params={"uri": EX + "pand"})
    assert answer.status_code == 200
    page = BeautifulSoup(answer.text, "html.parser")
    counts = {row.th.get_text(): row.td.get_text() for row in page.select("table.impact-counts tr")}
    assert list(counts.values()) == ["4", "2", "3", "2", "3"]
    assert "14" in page.select_one("table.impact-counts caption").get_text()
    organisations = page.select_one("section[aria-labelledby=impact-organisations]")
    assert [a.get_text() for a in organisations.select("li a")] == ["Delft", "Utrecht", "Zwolle"]
    assert organisations.select_one("a")["href"] == \
        "/resource?uri=http%3A%2F%2Fimpact.test%2Fid%2Fdelft"
    assert page.select_one("link[rel=alternate][type='application/json']")["href"] == \
        "/api/impact?uri=http%3A%2F%2Fimpact.test%2Fid%2Fpand"


def test_json_by_content_negotiation_and_at_the_api(client: TestClient) -> None:
    negotiated = client.get("/impact", params={"uri": EX + "panden-api"},
                            headers={"Accept": "application/json"})
    api = client.get("/api/impact", params={"uri": EX + "panden-api"})
    assert negotiated.json() == api.json()
    data = api.json()
    assert (data["kind"], data["label"], data["total"]) == ("api", "Panden-API", 7)
    assert {name: c["count"] for name, c in data["categories"].items()} == {
        "concepts": 2, "datasets": 1, "fields": 2, "organisations": 2}
    assert data["categories"]["datasets"]["items"] == [
        {"uri": EX + "panden", "label": "Panden",
         "page": "/resource?uri=http%3A%2F%2Fimpact.test%2Fid%2Fpanden"}]


@pytest.mark.parametrize(("uri", "status", "says"), [
    ("not an iri", 400, "uri"),
    ("http://exa mple.test/x", 400, "uri"),
    (EX + "nergens", 404, "no begrip, API or dataset"),
    (EX + "utrecht", 404, "is not a begrip, API or dataset"),
])
def test_bad_and_unknown_iris_get_clear_errors(client: TestClient, uri: str, status: int,
                                               says: str) -> None:
    for path in ("/impact", "/api/impact"):
        answer = client.get(path, params={"uri": uri}, headers={"Accept": "application/json"})
        assert answer.status_code == status, answer.text
        assert says in answer.json()["error"]
    assert client.get("/api/impact").status_code == 400


@pytest.mark.parametrize("page", ["/doc/begrip/pand", "/doc/dataset/bag",
                                  "/doc/api/bag-individuele-bevragingen"])
def test_begrip_dataset_and_api_pages_link_to_their_impact(client: TestClient,
                                                           page: str) -> None:
    html = BeautifulSoup(client.get(page).text, "html.parser")
    link = html.select_one("p.impact-link a")
    assert link is not None
    answer = client.get(link["href"])
    assert answer.status_code == 200
    counted = BeautifulSoup(answer.text, "html.parser").select("table.impact-counts td")
    assert sum(int(td.get_text()) for td in counted) > 0
