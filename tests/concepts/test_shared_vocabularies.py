"""Every real begrippenkader in ../shared/data/begrippen imports, browses and searches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.namespaces import SKOS
from catalogue.services.schemes import vocid_for
from catalogue.web.app import create_app
from tests.concepts.conftest import build
from tests.conftest import BASE, SHARED, needs_shared

pytestmark = [needs_shared, pytest.mark.shared]
BEGRIPPEN = SHARED / "begrippen"
FILES = sorted(BEGRIPPEN.glob("*.ttl")) if BEGRIPPEN.is_dir() else []


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[TestClient, object]]:
    store, index = build(FILES)
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store, index=index)
    with TestClient(app) as client:
        yield client, store


def soup(client: TestClient, path: str) -> BeautifulSoup:
    response = client.get(path, headers={"accept": "text/html"})
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return BeautifulSoup(response.text, "html.parser")


def test_all_six_files_import(shared: tuple[TestClient, object]) -> None:
    assert len(FILES) == 6
    client, _ = shared
    listed = soup(client, "/begrippen").select("table.schemes tbody tr")
    # MIM has 4 schemes; the stelselcatalogus thesaurus names an undeclared one
    assert len(listed) >= 9


def test_every_scheme_browses(shared: tuple[TestClient, object]) -> None:
    client, _ = shared
    for link in soup(client, "/begrippen").select("table.schemes tbody td > a"):
        path = link["href"]
        for view in ("", "/az", "/boom"):
            page = soup(client, path + view)
            assert page.h1 is not None
        assert client.get(path + "/download.ttl").status_code == 200


def test_every_begrip_has_a_page_and_is_found_by_its_label(
    shared: tuple[TestClient, object],
) -> None:
    client, store = shared
    rows = store.select(  # type: ignore[attr-defined]
        f"SELECT ?c (SAMPLE(?l) AS ?label) WHERE {{ ?c a <{SKOS}Concept> ; <{SKOS}prefLabel> ?l "
        f"FILTER(isIRI(?c)) }} GROUP BY ?c"
    )
    assert len(rows) > 800
    for row in rows[::25]:  # a spread over all files, to keep the test fast
        iri, label = row["c"].value, row["label"].value
        page = soup(client, f"/resource?uri={iri}")
        assert page.select_one("article.concept") is not None, iri
        found = client.get("/search", params={"q": label, "kind": "concept"},
                           headers={"accept": "application/json"}).json()
        assert iri in [r["uri"] for r in found["results"]], (iri, label)


def test_imgeo_hierarchy_renders(shared: tuple[TestClient, object]) -> None:
    client, _ = shared
    page = soup(client, f"/begrippen/{vocid_for('http://definities.geostandaarden.nl/imgeo')}/boom")
    tree = page.select_one("ul.tree")
    assert tree is not None
    assert len(tree.select("li")) >= 400
    deepest = max(len(li.find_parents("li")) for li in tree.select("li"))
    assert deepest >= 2


def test_aedes_versions_side_by_side(shared: tuple[TestClient, object]) -> None:
    client, _ = shared
    old = "http://begrippenkader-corporatiesector.aedes.nl/id/scheme/begrippenkader-corporatiesector"
    new = "https://begrippenkader-corporatiesector.aedes.nl/id/scheme"
    rows = {tr.select_one("td a")["href"]: tr("td")[2].get_text(strip=True)
            for tr in soup(client, "/begrippen").select("table.schemes tbody tr")}
    assert rows[f"/begrippen/{vocid_for(old)}"] == "60"
    assert rows[f"/begrippen/{vocid_for(new)}"] == "64"
    hits = client.get("/search", params={"q": "huurder", "kind": "concept"},
                      headers={"accept": "application/json"}).json()["results"]
    schemes = {h["scheme"] for h in hits if h["label"] == "huurder"}
    assert schemes == {old, new}
    # each version's begrip page offers the other version's begrip as a look-alike
    huurder = "https://begrippenkader-corporatiesector.aedes.nl/id/concept/huurder"
    page = soup(client, f"/resource?uri={huurder}")
    similar = [a["href"] for a in page.select("ul.similar a")]
    old_huurder = "begrippenkader-corporatiesector.aedes.nl%2Fid%2Fbegrip%2Fhuurder"
    assert any(old_huurder in href for href in similar)
