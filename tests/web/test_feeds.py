"""Atom change feeds: a publish shows in the next request's feed, as valid Atom (parsed by
feedparser), with who, when and which begrippen changed; feeds per publisher, kader and
resource hold only theirs; pages link their feed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.publish import Publishers
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import BASE
from tests.web.test_publish import ORG_A, ORG_B, auth, dataset

KADER_GRAPH = f"{BASE}/id/graph/a-begrippen"
KADER = f"{BASE}/id/kader/parkeren"
PARKEERPLAATS = f"{BASE}/id/begrip/parkeerplaats"
VERGUNNING = f"{BASE}/id/begrip/parkeervergunning"


def kader(definition: str) -> bytes:
    return f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dct: <http://purl.org/dc/terms/> .
<{KADER}> a skos:ConceptScheme ; skos:prefLabel "Parkeren"@nl ; dct:publisher <{ORG_A}> .
<{PARKEERPLAATS}> a skos:Concept ; skos:inScheme <{KADER}> ; skos:topConceptOf <{KADER}> ;
  skos:prefLabel "parkeerplaats"@nl ; skos:definition "{definition}"@nl .
<{VERGUNNING}> a skos:Concept ; skos:inScheme <{KADER}> ; skos:topConceptOf <{KADER}> ;
  skos:prefLabel "parkeervergunning"@nl ;
  skos:definition "Toestemming om op een plek te parkeren."@nl .
""".encode()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = Settings(store=Path(":memory:"), base_iri=BASE, publish_dir=tmp_path)
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    publishers = Publishers(tmp_path)
    tokens = {"A": publishers.add(ORG_A), "B": publishers.add(ORG_B)}
    with TestClient(create_app(settings, store=store)) as client:
        yield client, tokens


def feed(client: TestClient, **about: str) -> feedparser.FeedParserDict:
    answer = client.get("/feeds/changes.atom", params=about)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_a_publish_shows_in_the_next_feed_with_who_and_what(site) -> None:  # type: ignore[no-untyped-def]
    client, tokens = site
    assert feed(client).entries == []
    put = client.put("/store", params={"graph": KADER_GRAPH}, content=kader("Een plek."),
                     headers=auth(tokens["A"]))
    assert put.status_code in (200, 201), put.text
    entries = feed(client).entries
    assert len(entries) == 1
    assert KADER_GRAPH in entries[0].title
    assert entries[0].author_detail.href == ORG_A
    assert "parkeerplaats" in entries[0].content[0].value
    assert entries[0].link.endswith("version=1")

    changed = client.put("/store", params={"graph": KADER_GRAPH},
                         content=kader("Een plek om een voertuig neer te zetten."),
                         headers=auth(tokens["A"]))
    assert changed.status_code in (200, 201), changed.text
    entries = feed(client).entries
    assert [e.link.rsplit("=", 1)[1] for e in entries] == ["2", "1"]  # newest first
    summary = entries[0].content[0].value
    assert "Gewijzigde begrippen (1): parkeerplaats" in summary
    english = feedparser.parse(client.get("/feeds/changes.atom", params={"lang": "en"}).content)
    assert "Changed concepts (1): parkeerplaats" in english.entries[0].content[0].value


def test_feeds_of_one_publisher_kader_or_resource_hold_only_theirs(site) -> None:  # type: ignore[no-untyped-def]
    client, tokens = site
    client.put("/store", params={"graph": KADER_GRAPH}, content=kader("Een plek."),
               headers=auth(tokens["A"]))
    client.put("/store", params={"graph": KADER_GRAPH}, content=kader("Een andere plek."),
               headers=auth(tokens["A"]))
    graph_b = f"{BASE}/id/graph/b-datasets"
    other = client.put("/store", params={"graph": graph_b},
                       content=dataset(f"{BASE}/id/dataset/b1", ORG_B), headers=auth(tokens["B"]))
    assert other.status_code in (200, 201), other.text
    assert len(feed(client).entries) == 3
    assert [e.author_detail.href for e in feed(client, publisher=ORG_B).entries] == [ORG_B]
    assert len(feed(client, kader=KADER).entries) == 2
    # Only the first version touched the parkeervergunning (the second changed another begrip).
    assert [e.link.rsplit("=", 1)[1] for e in feed(client, resource=VERGUNNING).entries] == ["1"]
    assert len(feed(client, resource=PARKEERPLAATS).entries) == 2
    assert feed(client, resource=f"{BASE}/id/dataset/b1").entries[0].author_detail.href == ORG_B
    assert client.get("/feeds/changes.atom", params={"resource": "not an iri"}).status_code == 400


def test_pages_link_their_feed(site) -> None:  # type: ignore[no-untyped-def]
    client, tokens = site
    client.put("/store", params={"graph": KADER_GRAPH}, content=kader("Een plek."),
               headers=auth(tokens["A"]))
    page = client.get("/resource", params={"uri": PARKEERPLAATS}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    links = [link["href"] for link in BeautifulSoup(page.text, "html.parser").find_all(
        "link", attrs={"type": "application/atom+xml"})]
    assert "/feeds/changes.atom" in links
    own = [href for href in links if "resource=" in href]
    assert len(own) == 1
    assert len(feed(client, resource=PARKEERPLAATS).entries) == 1
    answer = client.get(own[0])
    assert answer.status_code == 200
    assert set(answer.headers["vary"].split(", ")) >= {"Accept-Language", "Cookie"}
