"""/catalog: DCAT-AP-NL conformance (official shapes, pyshacl), Hydra paging, modified_since."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.ingest import load_sources
from catalogue.ingest.harvest import harvest
from catalogue.ingest.load import write_sources
from catalogue.ingest.rdf import parse_source
from catalogue.store import EmbeddedStore
from catalogue.store.terms import NamedNode, RdfFormat, parse
from catalogue.web.app import create_app
from tests.conftest import BASE, DATA, SHARED, needs_shared
from tests.loopback import LoopbackPorts
from tests.web.live import free_port, serving

DCAT = "http://www.w3.org/ns/dcat#"
HYDRA = "http://www.w3.org/ns/hydra/core#"
SHAPES = SHARED / "standards" / "dcat-ap-nl-3.0" / "shapes"
VOCABULARIES = SHARED / "standards" / "vocabularies"


def _store(*sources: Path, extra: str = "") -> EmbeddedStore:
    store = EmbeddedStore()
    load_sources(store, list(sources), base=BASE)
    if extra:
        write_sources(store, [parse_source(extra.encode(), name="extra.ttl", uri="urn:x",
                                           graph=f"{BASE}/id/graph/extra")])
    return store


def _client(*sources: Path, extra: str = "") -> TestClient:
    settings = Settings(store=Path(":memory:"), base_iri=BASE)
    return TestClient(create_app(settings, store=_store(*sources, extra=extra)))


@pytest.fixture(scope="module")
def complete() -> Iterator[TestClient]:
    with _client(DATA / "catalog" / "complete.ttl") as client:
        yield client


def _objects(body: bytes, fmt: RdfFormat, subject: str, predicate: str) -> set[str]:
    return {q.object.value for q in parse(body, fmt, base_iri=BASE)
            if q.subject == NamedNode(subject) and q.predicate == NamedNode(predicate)}


@needs_shared
def test_feed_conforms_to_the_official_dcat_ap_nl_shapes(complete: TestClient) -> None:
    rdflib = pytest.importorskip("rdflib")
    pyshacl = pytest.importorskip("pyshacl")
    response = complete.get("/catalog.ttl")
    assert response.status_code == 200
    data = rdflib.Graph().parse(data=response.text, format="turtle")
    # the records themselves are in the feed, not only links to them
    assert (rdflib.URIRef(f"{BASE}/id/dataset/bomen"), rdflib.RDF.type,
            rdflib.URIRef(DCAT + "Dataset")) in data
    shapes = rdflib.Graph()
    for name in ("dcat-ap-nl-SHACL.ttl", "dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl",
                 "dcat-ap-nl-SHACL-klassebereik.ttl"):
        shapes.parse(SHAPES / name)
    # the code lists the range shapes look values up in ("with background knowledge")
    data.parse(VOCABULARIES / "eu-data-theme-skos.rdf")
    data.parse(VOCABULARIES / "eu-subset-access-right-sparql-result.ttl")
    _, report, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True,
                                       allow_warnings=True)
    violations = list(report.subjects(rdflib.URIRef("http://www.w3.org/ns/shacl#resultSeverity"),
                                      rdflib.URIRef("http://www.w3.org/ns/shacl#Violation")))
    assert violations == [], text


def test_every_data_service_is_a_dcat_service(complete: TestClient) -> None:
    body = complete.get("/catalog.ttl").content
    catalog = f"{BASE}/catalog"
    assert _objects(body, RdfFormat.TURTLE, catalog, DCAT + "service") == {f"{BASE}/id/api/bomen"}
    assert _objects(body, RdfFormat.TURTLE, catalog, DCAT + "dataset") == {
        f"{BASE}/id/dataset/bomen"}


@pytest.mark.parametrize(("suffix", "fmt", "media"), [
    ("ttl", RdfFormat.TURTLE, "text/turtle"), ("jsonld", RdfFormat.JSON_LD, "application/ld+json"),
    ("rdf", RdfFormat.RDF_XML, "application/rdf+xml")])
def test_suffixes_and_accept(complete: TestClient, suffix: str, fmt: RdfFormat, media: str) -> None:
    for response in (complete.get(f"/catalog.{suffix}"),
                     complete.get("/catalog", headers={"Accept": media})):
        assert response.headers["content-type"].startswith(media)
        assert _objects(response.content, fmt, f"{BASE}/catalog", DCAT + "service")


MANY = "".join(
    f"<{BASE}/id/dataset/d{n:03}> a <{DCAT}Dataset> ; <http://purl.org/dc/terms/title> "
    f'"Dataset {n:03}"@nl ; <http://purl.org/dc/terms/modified> "2025-{1 + n % 12:02}-01" .\n'
    for n in range(250)
)


def test_hydra_paging_and_modified_since() -> None:
    with _client(extra=MANY) as client:
        first = client.get("/catalog.ttl").content
        view = f"{BASE}/catalog.ttl?page=1"
        assert _objects(first, RdfFormat.TURTLE, view, HYDRA + "totalItems") == {"250"}
        assert _objects(first, RdfFormat.TURTLE, view, HYDRA + "next") == {
            f"{BASE}/catalog.ttl?page=2"}
        assert _objects(first, RdfFormat.TURTLE, view, HYDRA + "last") == {
            f"{BASE}/catalog.ttl?page=3"}
        assert len(_objects(first, RdfFormat.TURTLE, f"{BASE}/catalog", DCAT + "dataset")) == 100
        last = client.get("/catalog.ttl?page=3").content
        assert len(_objects(last, RdfFormat.TURTLE, f"{BASE}/catalog", DCAT + "dataset")) == 50
        assert not _objects(last, RdfFormat.TURTLE, f"{BASE}/catalog.ttl?page=3", HYDRA + "next")
        recent = client.get("/catalog.ttl?modified_since=2025-12-01").content
        # December only: n % 12 == 11 for n in 11, 23, ..., 239: 20 of 250
        assert _objects(recent, RdfFormat.TURTLE,
                        f"{BASE}/catalog.ttl?page=1&modified_since=2025-12-01",
                        HYDRA + "totalItems") == {"20"}
        assert client.get("/catalog?modified_since=yesterday").status_code == 400
        # dates that do not exist, and a page past the last (200 and empty, with a previous
        # link a harvester walking back would follow for millions of pages)
        for date in ("2024-13-45", "2024-01-31T25:99"):
            assert client.get("/catalog", params={"modified_since": date}).status_code == 400
        past = client.get("/catalog.ttl?page=4")
        assert past.status_code == 404 and "last page of the catalogue (3)" in past.text
        assert client.get("/catalog.ttl?page=1&modified_since=2999-01-01").status_code == 200


def test_our_own_feed_is_harvested_whole_through_its_paging() -> None:
    """Served for real at the address its base IRI names, so its hydra:next links lead back."""
    port = free_port()
    settings = Settings(store=Path(":memory:"), base_iri=f"http://127.0.0.1:{port}")
    with serving(create_app(settings, store=_store(extra=MANY)), port=port) as url:
        result = harvest(EmbeddedStore(), f"{url}/catalog.ttl", base="http://other.test",
                         policy=LoopbackPorts(url))
    assert len(result.pages) == 3
    assert len([r for r in result.records if r.kind == "Dataset"]) == 250


@pytest.mark.parametrize("path", ["/catalog?page=26239811641559734026240",
                                  "/catalog.ttl?page=9223372036854775808",
                                  "/rest/v1/search?query=a*&offset=9223372036854775808"])
def test_a_number_past_any_catalogue_is_refused_not_a_server_error(
    client: TestClient, path: str,
) -> None:
    # Found by tests/web/test_fuzz.py: the page went to SQLite, which holds no such integer.
    answer = client.get(path)
    assert answer.status_code == 400
    assert "1000000000" in answer.text
