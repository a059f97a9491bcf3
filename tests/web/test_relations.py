"""Relation pictures: on begrip, kader, dataset, API and organisation pages, an SVG whose every
node links to that node's page (which answers), with the same relations as a text list; drawn
without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.services.relations import relation_picture
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import BASE

SKOS = "http://www.w3.org/2004/02/skos/core#"
DCAT = "http://www.w3.org/ns/dcat#"
FIRST = "SELECT ?x WHERE {{ ?x a <{kind}> {extra} }} ORDER BY ?x LIMIT 1"


@pytest.fixture(scope="module")
def bundled() -> Iterator[tuple[TestClient, EmbeddedStore]]:
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    with TestClient(create_app(Settings(store=Path(":memory:"), base_iri=BASE),
                               store=store)) as client:
        yield client, store


def first(store: EmbeddedStore, kind: str, extra: str = "") -> str:
    return str(store.select(FIRST.format(kind=kind, extra=extra))[0]["x"].value)


@pytest.mark.parametrize(("kind", "extra"), [
    (SKOS + "Concept", f"; <{SKOS}broader> ?b"),
    (SKOS + "ConceptScheme", ""),
    (DCAT + "Dataset", f"; <{DCAT}theme> ?t"),
    (DCAT + "DataService", ""),
    ("http://xmlns.com/foaf/0.1/Organization", ""),
])
def test_a_page_shows_its_relations_as_linked_svg_and_a_list(
    bundled: tuple[TestClient, EmbeddedStore], kind: str, extra: str,
) -> None:
    client, store = bundled
    iri = first(store, kind, extra)
    page = client.get("/resource", params={"uri": iri}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    html = BeautifulSoup(page.text, "html.parser")
    section = html.find("section", class_="relations")
    assert section is not None, f"no relation picture on the page of {iri}"
    svg = section.find("svg")
    assert svg is not None and svg.get("role") == "group"  # of links: not an image
    links = [a.get("href") for a in svg.find_all("a")]
    assert len(links) >= 2  # the resource and at least one neighbour
    listed = [a.get("href") for a in section.find("ul", class_="relation-list").find_all("a")]
    assert listed and set(listed) <= set(links)
    for href in links[:6]:
        assert client.get(href, headers={"Accept": "text/html"}).status_code == 200, href
    assert not svg.find("script")


def test_a_begrip_picture_holds_its_broader_begrip_and_its_kader(
    bundled: tuple[TestClient, EmbeddedStore],
) -> None:
    _, store = bundled
    row = store.select(f"SELECT ?c ?b ?k WHERE {{ ?c <{SKOS}broader> ?b ; <{SKOS}inScheme> ?k }}"
                       " ORDER BY ?c LIMIT 1")[0]
    iri, broader, kader = row["c"].value, row["b"].value, row["k"].value
    picture = relation_picture(store, iri, lang="nl")
    assert picture is not None
    own = {kind: {n.iri for n in nodes} for kind, nodes in picture.neighbours()}
    assert broader in own["broader"]
    assert kader in own["kader"]
    assert all(0 <= n.x <= picture.width and 0 <= n.y <= picture.height for n in picture.nodes)
    assert len({n.iri for n in picture.nodes}) == len(picture.nodes)


def test_a_resource_without_neighbours_has_no_picture(
    bundled: tuple[TestClient, EmbeddedStore],
) -> None:
    assert relation_picture(bundled[1], f"{BASE}/id/nothing-here", lang="nl") is None


def test_the_setting_that_leaves_the_picture_out_leaves_only_the_picture_out(
    bundled: tuple[TestClient, EmbeddedStore],
) -> None:
    """CATALOGUE_RELATION_PICTURES=false (for the benchmark that measures what the picture
    costs): the same page, without the picture."""
    client, store = bundled
    iri = first(store, DCAT + "Dataset", f"; <{DCAT}theme> ?t")
    with TestClient(create_app(Settings(store=Path(":memory:"), base_iri=BASE,
                                        relation_pictures=False), store=store)) as plain:
        without = BeautifulSoup(plain.get("/resource", params={"uri": iri},
                                          headers={"Accept": "text/html"}).text, "html.parser")
    with_picture = BeautifulSoup(client.get("/resource", params={"uri": iri},
                                            headers={"Accept": "text/html"}).text, "html.parser")
    assert with_picture.find("section", class_="relations") is not None
    assert without.find("section", class_="relations") is None
    assert without.find("h1").get_text() == with_picture.find("h1").get_text()
