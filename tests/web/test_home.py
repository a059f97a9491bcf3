"""The home page: counts of what the registry holds, its catalogues, the sources list."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient


def test_home_shows_counts_per_kind(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/").text, "html.parser")
    counts = {s["data-kind"]: s.get_text(strip=True) for s in page.select(".counts strong")}
    assert counts == {"definitions": "1", "datasets": "1", "apis": "1", "organisations": "1"}
    catalogue = page.find("a", string="Testcatalogus")
    assert catalogue is not None and catalogue["href"] == "/doc/catalogus/test"


def test_home_as_json(client: TestClient) -> None:
    data = client.get("/", headers={"Accept": "application/json"}).json()
    assert {c["kind"]: c["number"] for c in data["counts"]}["datasets"] == 1


def test_page_is_accessible_without_javascript(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/?lang=en").text, "html.parser")
    assert page.html["lang"] == "en"
    assert page.find("a", class_="skip")["href"] == "#main"
    assert page.find("main", id="main") is not None
    switch = page.find("nav", class_="languages")
    assert [a.get_text() for a in switch.find_all("a")] == ["NL", "EN"]
    assert switch.find("a", attrs={"aria-current": "true"}).get_text() == "EN"


def test_sources_page_lists_graphs_with_provenance(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/graphs").text, "html.parser")
    rows = page.select("table.graphs tbody tr")
    assert len(rows) == 1
    assert "registry.ttl" in rows[0].get_text()


def test_unknown_route_is_a_404_page(client: TestClient) -> None:
    response = client.get("/nope", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert BeautifulSoup(response.text, "html.parser").h1 is not None


def test_the_site_has_an_icon(client: TestClient) -> None:
    """Every page names its icon; a client that asks /favicon.ico is sent to it (was a 404 on
    every first visit)."""
    page = BeautifulSoup(client.get("/").text, "html.parser")
    icon = page.find("link", rel="icon")
    assert icon is not None and icon["type"] == "image/svg+xml"
    moved = client.get("/favicon.ico", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == icon["href"]
    svg = client.get(icon["href"])
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert BeautifulSoup(svg.text, "html.parser").find("svg") is not None
