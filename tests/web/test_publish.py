"""Publishing over the Graph Store Protocol: tokens, owned graphs only, validation before writing,
history with a per-begrip diff, roll back; against a real server process where it matters."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.publish import Publishers
from catalogue.store import EmbeddedStore
from catalogue.store.terms import RdfFormat, parse
from catalogue.web.app import create_app
from tests.conftest import BASE, SHARED, needs_shared
from tests.web.live import serving

ORG_A = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"
ORG_B = "https://identifier.overheid.nl/tooi/id/gemeente/gm0599"
GRAPH_A = f"{BASE}/id/graph/a-datasets"
GRAPH_B = f"{BASE}/id/graph/b-datasets"

DATASET = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<{iri}> a dcat:Dataset ; dct:title "{title}"@nl ; dct:description "Een dataset."@nl ;
  dct:identifier "{iri}" ; dct:publisher <{org}> ; dct:creator <{org}> ;
  dcat:contactPoint [ a vcard:Kind ; vcard:hasEmail <mailto:info@example.nl> ] ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .
"""
# A dataset without title, publisher, theme... and with a theme that is not an EU theme.
BAD = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
<http://example.org/bad> a dcat:Dataset ; dcat:theme <http://example.org/my-theme> .
"""


def dataset(iri: str, org: str, title: str = "Parkeerplaatsen") -> bytes:
    return DATASET.format(iri=iri, org=org, title=title).encode()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, EmbeddedStore, dict[str, str]]]:
    settings = Settings(store=Path(":memory:"), base_iri=BASE, publish_dir=tmp_path,
                        max_body_bytes=256 * 1024)
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    publishers = Publishers(tmp_path)
    tokens = {"A": publishers.add(ORG_A), "B": publishers.add(ORG_B)}
    with TestClient(create_app(settings, store=store)) as client:
        yield client, store, tokens


def auth(token: str, content_type: str = "text/turtle") -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": content_type,
            "Accept": "application/json"}


def dump(store: EmbeddedStore) -> bytes:
    out = io.BytesIO()
    store.dump(out, format=RdfFormat.N_QUADS)
    return b"\n".join(sorted(out.getvalue().splitlines()))


def test_only_a_hash_of_the_token_is_stored(tmp_path: Path) -> None:
    token = Publishers(tmp_path).add(ORG_A)
    stored = (tmp_path / "publishers.json").read_text()
    assert token not in stored
    assert ORG_A in stored
    assert Publishers(tmp_path).authenticate(f"Bearer {token}").organisation == ORG_A


def test_a_publisher_creates_and_replaces_its_own_graph(site) -> None:  # type: ignore[no-untyped-def]
    client, store, tokens = site
    created = client.put("/store", params={"graph": GRAPH_A},
                         content=dataset(f"{BASE}/id/dataset/p", ORG_A), headers=auth(tokens["A"]))
    assert created.status_code == 201, created.text
    replaced = client.put("/store", params={"graph": GRAPH_A},
                          content=dataset(f"{BASE}/id/dataset/p", ORG_A, "Parkeren"),
                          headers=auth(tokens["A"]))
    assert replaced.status_code == 200
    assert replaced.json()["version"] == 2
    answer = client.get("/store", params={"graph": GRAPH_A}, headers={"Accept": "text/turtle"})
    titles = {q.object.value for q in parse(answer.content, RdfFormat.TURTLE)
              if q.predicate.value.endswith("/title")}
    assert titles == {"Parkeren"}
    record = next(r for r in store.graphs() if r.graph == GRAPH_A)
    assert record.publisher == ORG_A


def test_a_token_cannot_touch_another_publishers_graph_or_the_bundled_content(site) -> None:  # type: ignore[no-untyped-def]
    client, store, tokens = site
    body = dataset(f"{BASE}/id/dataset/b", ORG_B)
    assert client.put("/store", params={"graph": GRAPH_B}, content=body,
                      headers=auth(tokens["B"])).status_code == 201
    bundled = next(r.graph for r in store.graphs() if r.source.startswith("urn:catalogue:bundled:"))
    before = dump(store)
    for graph in (GRAPH_B, bundled):
        assert client.put("/store", params={"graph": graph}, content=body,
                          headers=auth(tokens["A"])).status_code == 403
        assert client.post("/store", params={"graph": graph}, content=body,
                           headers=auth(tokens["A"])).status_code == 403
        assert client.delete("/store", params={"graph": graph},
                             headers=auth(tokens["A"])).status_code == 403
    assert dump(store) == before
    assert client.delete("/store", params={"graph": GRAPH_B},
                         headers=auth(tokens["B"])).status_code == 204
    assert GRAPH_B not in {r.graph for r in store.graphs()}


def test_no_or_unknown_token_is_401(site) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = site
    body = dataset(f"{BASE}/id/dataset/x", ORG_A)
    missing = client.put("/store", params={"graph": GRAPH_A}, content=body,
                         headers={"Content-Type": "text/turtle"})
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert client.put("/store", params={"graph": GRAPH_A}, content=body,
                      headers=auth("not-a-token")).status_code == 401


def test_a_write_with_a_violation_is_422_and_leaves_the_store_unchanged(site) -> None:  # type: ignore[no-untyped-def]
    client, store, tokens = site
    client.put("/store", params={"graph": GRAPH_A}, content=dataset(f"{BASE}/id/dataset/p", ORG_A),
               headers=auth(tokens["A"]))
    before = dump(store)
    for method in (client.put, client.post):
        answer = method("/store", params={"graph": GRAPH_A}, content=BAD.encode(),
                        headers=auth(tokens["A"]))
        assert answer.status_code == 422
        results = answer.json()["report"]["results"]
        theme = next(r for r in results if r["path"] == "http://www.w3.org/ns/dcat#theme")
        assert theme["severity"] == "Violation"
        assert "EU-lijst data-theme" in theme["message_nl"]
        assert "EU data-theme list" in theme["message_en"]
    assert dump(store) == before
    turtle = client.put("/store", params={"graph": GRAPH_A}, content=BAD.encode(),
                        headers={**auth(tokens["A"]), "Accept": "text/turtle"})
    assert turtle.status_code == 422
    types = {q.object.value for q in parse(turtle.content, RdfFormat.TURTLE)}
    assert "http://www.w3.org/ns/shacl#ValidationReport" in types
    assert dump(store) == before


def test_a_body_over_the_limit_is_413(site) -> None:  # type: ignore[no-untyped-def]
    client, store, tokens = site
    big = b"# " + b"x" * (260 * 1024) + b"\n"
    assert client.put("/store", params={"graph": GRAPH_A}, content=big,
                      headers=auth(tokens["A"])).status_code == 413
    assert GRAPH_A not in {r.graph for r in store.graphs()}


def test_a_body_that_does_not_parse_is_400_with_the_line(site) -> None:  # type: ignore[no-untyped-def]
    client, _, tokens = site
    answer = client.put("/store", params={"graph": GRAPH_A}, content=b"<a> <b> .\n",
                        headers=auth(tokens["A"]))
    assert answer.status_code == 400
    assert ":1:" in answer.json()["error"]


ZAKEN_API = b"""openapi: 3.0.3
info:
  title: Zaken van gemeente A
  description: Zaken die de gemeente behandelt, met hun status.
  version: 1.2.0
  contact: {email: zaken@a.example.nl}
servers: [{url: "https://api.a.example.nl/zaken/v1", description: Productie}]
paths:
  /zaken:
    get:
      operationId: zoekZaken
      summary: Zoekt zaken
      responses: {"200": {description: De gevonden zaken}}
"""
# What DCAT-AP-NL requires of a data service and OpenAPI has no place for.
ZAKEN_FACTS = f"""@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
<{BASE}/id/api/a-zaken>
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
  dct:license <https://definities.geostandaarden.nl/dcat-ap-nl/id/waardelijst/licenties/cc0> ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> .
""".encode()


def test_an_openapi_description_is_published_as_the_api_it_describes(site) -> None:  # type: ignore[no-untyped-def]
    """An OpenAPI description as YAML or JSON (its media types, or application/json), mapped as
    `catalogue load` maps it, validated like any write (a 400 before: not an RDF syntax)."""
    client, store, tokens = site
    graph = f"{BASE}/id/graph/a-zaken"
    alone = client.put("/store", params={"graph": graph}, content=ZAKEN_API,
                       headers=auth(tokens["A"], "application/yaml"))
    assert alone.status_code == 422, alone.text
    missing = {r["path"] for r in alone.json()["report"]["results"]
               if r["severity"] == "Violation"}
    assert missing == {"http://purl.org/dc/terms/accessRights",
                       "http://purl.org/dc/terms/license",
                       "http://www.w3.org/ns/dcat#theme"}
    assert graph not in {r.graph for r in store.graphs()}
    # The facts first (a resource with no type: nothing to hold them to), then the description.
    assert client.put("/store", params={"graph": graph}, content=ZAKEN_FACTS,
                      headers=auth(tokens["A"])).status_code == 201
    merged = client.post("/store", params={"graph": graph}, content=ZAKEN_API,
                         headers=auth(tokens["A"], "application/vnd.oai.openapi"))
    assert merged.status_code == 200, merged.text
    page = BeautifulSoup(client.get("/doc/api/a-zaken", headers={"Accept": "text/html"}).text,
                         "html.parser")
    assert page.h1 is not None and "Zaken van gemeente A" in page.h1.get_text()
    assert "https://api.a.example.nl/zaken/v1" in page.get_text()
    publisher = store.select(f"SELECT ?o WHERE {{ <{BASE}/id/api/a-zaken> "
                             "<http://purl.org/dc/terms/publisher> ?o }")
    assert [row["o"].value for row in publisher] == [ORG_A]
    # Validation takes the same bodies; another media type is refused, naming what is read.
    report = client.post("/api/validate", content=ZAKEN_API,
                         headers={"Content-Type": "application/yaml"})
    assert report.status_code == 200
    assert {r["path"] for r in report.json()["results"] if r["severity"] == "Violation"} == {
        *missing, "http://purl.org/dc/terms/publisher"}  # no token: no publisher
    refused = client.put("/store", params={"graph": graph}, content=ZAKEN_API,
                         headers=auth(tokens["A"], "text/x-unknown"))
    assert refused.status_code == 415  # Unsupported Media Type (a 400 before)
    assert "application/vnd.oai.openapi" in refused.json()["error"]


def test_old_versions_stay_out_of_the_union_graph_and_roll_back_works(site) -> None:  # type: ignore[no-untyped-def]
    client, store, tokens = site
    old, new = f"{BASE}/id/dataset/old", f"{BASE}/id/dataset/new"
    client.put("/store", params={"graph": GRAPH_A}, content=dataset(old, ORG_A),
               headers=auth(tokens["A"]))
    client.put("/store", params={"graph": GRAPH_A}, content=dataset(new, ORG_A),
               headers=auth(tokens["A"]))
    assert not store.ask(f"ASK {{ <{old}> ?p ?o }}")
    assert store.ask(f"ASK {{ <{new}> ?p ?o }}")
    back = client.post("/store/rollback", params={"graph": GRAPH_A, "version": 1},
                       headers=auth(tokens["A"]))
    assert back.status_code == 200, back.text
    assert store.ask(f"ASK {{ <{old}> ?p ?o }}")
    assert not store.ask(f"ASK {{ <{new}> ?p ?o }}")
    assert client.post("/store/rollback", params={"graph": GRAPH_A, "version": 1},
                       headers=auth(tokens["B"])).status_code == 403


@needs_shared
def test_aedes_02_then_03_history_reports_changed_iris_per_begrip(site) -> None:  # type: ignore[no-untyped-def]
    client, _, tokens = site
    graph = f"{BASE}/id/graph/aedes"
    for version in ("0.2", "0.3"):
        data = (SHARED / "begrippen" / f"aedes-begrippenkader-corporatiesector-{version}.ttl")
        answer = client.put("/store", params={"graph": graph}, content=data.read_bytes(),
                            headers=auth(tokens["A"]))
        assert answer.status_code in (200, 201), answer.text
    page = BeautifulSoup(client.get("/history", params={"graph": graph, "lang": "en"}).text,
                         "html.parser")
    rows = [[cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            for row in page.select("table.begrippen tbody tr")]
    changed = {row[1]: (row[2], row[3]) for row in rows if row[0] == "IRI changed"}
    assert changed["Wet betaalbare huur"] == (
        "http://begrippenkader-corporatiesector.aedes.nl/id/begrip/wet-betaalbare-huur",
        "https://begrippenkader-corporatiesector.aedes.nl/id/concept/wet-betaalbare-huur",
    )
    assert len(changed) > 40
    assert {row[0] for row in rows} >= {"IRI changed", "new", "removed"}
    versions = page.select("table.versions tbody tr")
    assert len(versions) == 2
    assert ORG_A in versions[0].get_text()


def test_publishing_against_a_real_server(tmp_path: Path) -> None:
    settings = Settings(store=Path(":memory:"), base_iri=BASE, publish_dir=tmp_path)
    store = EmbeddedStore()
    token = Publishers(tmp_path).add(ORG_A)
    with serving(create_app(settings, store=store)) as url:
        answer = httpx.put(f"{url}/store", params={"graph": GRAPH_A},
                           content=dataset(f"{BASE}/id/dataset/p", ORG_A),
                           headers=auth(token), timeout=30)
        assert answer.status_code == 201, answer.text
        refused = httpx.delete(f"{url}/store", params={"graph": GRAPH_A},
                               headers=auth("wrong"), timeout=30)
        assert refused.status_code == 401
    assert store.ask(f"ASK {{ GRAPH <{GRAPH_A}> {{ ?s ?p ?o }} }}")


def test_a_deleted_graph_cannot_be_taken_over_by_rollback_or_put(site) -> None:  # type: ignore[no-untyped-def]
    client, store, tokens = site
    b_set = f"{BASE}/id/dataset/b"
    assert client.put("/store", params={"graph": GRAPH_B}, content=dataset(b_set, ORG_B),
                      headers=auth(tokens["B"])).status_code == 201
    assert client.delete("/store", params={"graph": GRAPH_B},
                         headers=auth(tokens["B"])).status_code == 204
    before = dump(store)
    back = client.post("/store/rollback", params={"graph": GRAPH_B, "version": 1},
                       headers=auth(tokens["A"]))
    assert back.status_code == 403, back.text
    assert ORG_B in back.json()["error"]
    squat = client.put("/store", params={"graph": GRAPH_B},
                       content=dataset(f"{BASE}/id/dataset/a", ORG_A), headers=auth(tokens["A"]))
    assert squat.status_code == 403, squat.text
    assert dump(store) == before
    assert GRAPH_B not in {r.graph for r in store.graphs()}
    # The owner still can: roll back its own deleted graph, and publish to it again.
    mine = client.post("/store/rollback", params={"graph": GRAPH_B, "version": 1},
                       headers=auth(tokens["B"]))
    assert mine.status_code == 200, mine.text
    assert next(r for r in store.graphs() if r.graph == GRAPH_B).publisher == ORG_B


FOREIGN = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<{b_set}> dcat:landingPage <https://evil.example/landing> ;
  dct:publisher <{org}> ; dcat:distribution <{b_set}/evil> .
<{b_set}/evil> a dcat:Distribution ; dcat:downloadURL <https://evil.example/malware.exe> ;
  dcat:accessURL <https://evil.example/> .
"""


def test_a_publisher_cannot_write_statements_about_another_publishers_records(site) -> None:  # type: ignore[no-untyped-def]
    client, store, tokens = site
    b_set = f"{BASE}/id/dataset/b"
    assert client.put("/store", params={"graph": GRAPH_B}, content=dataset(b_set, ORG_B),
                      headers=auth(tokens["B"])).status_code == 201
    before = dump(store)
    body = FOREIGN.format(b_set=b_set, org=ORG_A).encode()
    for method in (client.put, client.post):
        answer = method("/store", params={"graph": GRAPH_A}, content=body,
                        headers=auth(tokens["A"]))
        assert answer.status_code == 403, answer.text
        assert f"<{b_set}> belongs to <{ORG_B}>" in answer.json()["error"]
    # Bundled content is the registry's: a catalogue of its own cannot be amended either.
    bundled = client.put("/store", params={"graph": GRAPH_A}, headers=auth(tokens["A"]),
                         content=FOREIGN.format(b_set=f"{BASE}/id/dataset/bag", org=ORG_A).encode())
    assert bundled.status_code == 403
    assert "the registry" in bundled.json()["error"]
    assert dump(store) == before
    # Once B deletes its graph, its records stay B's.
    client.delete("/store", params={"graph": GRAPH_B}, headers=auth(tokens["B"]))
    assert client.put("/store", params={"graph": GRAPH_A}, content=body,
                      headers=auth(tokens["A"])).status_code == 403
    client.post("/store/rollback", params={"graph": GRAPH_B, "version": 1},
                headers=auth(tokens["B"]))
    # A's own records, and IRIs under its organisation IRI, are fine.
    own = dataset(f"{ORG_A}/dataset/parkeren", ORG_A) + dataset(f"{BASE}/id/dataset/a", ORG_A)
    assert client.put("/store", params={"graph": GRAPH_A}, content=own,
                      headers=auth(tokens["A"])).status_code == 201
    page = BeautifulSoup(client.get("/resource", params={"uri": b_set}).text, "html.parser")
    assert "evil.example" not in str(page)
    assert ORG_A not in str(page)
    feed = client.get("/catalog", headers={"Accept": "application/n-triples"})
    assert feed.status_code == 200
    triples = [q for q in parse(feed.content, RdfFormat.N_TRIPLES)]
    assert not [q for q in triples if "evil.example" in str(q)]
    assert not [q for q in triples if q.subject.value == b_set and q.object.value == ORG_A]


@pytest.mark.parametrize("graph", [
    "urn:catalogue:graph:system/", "urn:catalogue:graph:system", "URN:Catalogue:mine", "urn:",
    "urn:x", "urn:nl:", "http://", "https://", "http:///path", "http://user@evil.example/g",
    "http://host:99999/g", "file:///etc/passwd", "javascript:alert(1)", "mine",
    # other spellings of one IRI, and places of the registry's own (all were 201)
    "HTTP://catalogue.test/id/graph/a-datasets", "http://CATALOGUE.test/id/graph/x",
    "http://catalogue.test/id/graph/./bundled-facilities",
    "http://catalogue.test:80/id/graph/x", "http://catalogue.test/id/graph/x#y",
    "http://data.example.nl:0/g", f"{BASE}/id/graph/quality/x",
    f"{BASE}/id/graph/%62undled-facilities", f"{BASE}/id/graph/a%2fb",
    f"{BASE}/id/graph/bundled-facilities", f"{BASE}/catalog",
])
def test_a_look_alike_graph_iri_is_refused_with_422(site, graph: str) -> None:  # type: ignore[no-untyped-def]
    """A look-alike IRI is 422; a text that is no IRI at all is a malformed request, 400 (as
    for every IRI parameter)."""
    client, store, tokens = site
    before = dump(store)
    answer = client.put("/store", params={"graph": graph}, headers=auth(tokens["A"]),
                        content=dataset(f"{BASE}/id/dataset/a", ORG_A))
    assert answer.status_code == (400 if graph == "mine" else 422), answer.text
    assert repr(graph) in answer.json()["error"]
    assert dump(store) == before


def test_a_graph_one_slash_from_another_owners_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    client, store, tokens = site
    assert client.put("/store", params={"graph": GRAPH_B}, content=dataset(
        f"{BASE}/id/dataset/b", ORG_B), headers=auth(tokens["B"])).status_code == 201
    before = dump(store)
    twin = client.put("/store", params={"graph": GRAPH_B + "/"}, headers=auth(tokens["A"]),
                      content=dataset(f"{BASE}/id/dataset/a", ORG_A))
    assert twin.status_code == 403 and ORG_B in twin.json()["error"]
    assert dump(store) == before


def test_a_urn_graph_of_ones_own_is_accepted(site) -> None:  # type: ignore[no-untyped-def]
    client, _, tokens = site
    graph = "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"
    assert client.put("/store", params={"graph": graph}, headers=auth(tokens["A"]),
                      content=dataset(f"{BASE}/id/dataset/a", ORG_A)).status_code == 201
