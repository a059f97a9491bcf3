"""OpenAPI import: the DataService, its operations and fields, begrip links, ADR score, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.errors import InvalidDocument, SourceSyntaxError
from catalogue.ingest import load_sources
from catalogue.ingest.adr import RULES, AdrReport, Finding
from catalogue.ingest.openapi import is_openapi, parse_openapi
from catalogue.store import EmbeddedStore
from catalogue.store.terms import Literal, NamedNode, Triple
from tests.conftest import BASE, DATA, SHARED, needs_shared

SPECS = DATA / "openapi"
API = f"{BASE}/id/api/adressen"
CAT = "https://w3id.org/catalogue/def#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def _store_with_concepts() -> EmbeddedStore:
    store = EmbeddedStore()
    load_sources(store, [DATA / "registry.ttl"], base=BASE)
    return store


def _objects(store: EmbeddedStore, subject: str, predicate: str) -> set[str]:
    rows = store.select(f"SELECT ?o WHERE {{ <{subject}> <{predicate}> ?o }}")
    return {row["o"].value for row in rows}


def test_spec_maps_to_a_data_service_with_operations_fields_and_begrippen() -> None:
    store = _store_with_concepts()
    publisher = "https://identifier.overheid.nl/tooi/id/zbo/zb000195"
    load_sources(store, [SPECS / "adressen.openapi.yaml"], base=BASE, publisher=publisher)
    assert _objects(store, API, "http://purl.org/dc/terms/title") == {"Adressen API"}
    assert _objects(store, API, "http://www.w3.org/ns/dcat#endpointURL") == {
        "https://api.example.nl/adressen/v1"}
    assert _objects(store, API, "http://purl.org/dc/terms/conformsTo") == {
        "https://spec.openapis.org/oas/v3.0.3"}
    assert _objects(store, API, "http://www.w3.org/ns/dcat#version") == {"1.2.0"}
    assert _objects(store, API, "http://purl.org/dc/terms/publisher") == {publisher}
    assert _objects(store, API, CAT + "authentication") == {"apiKey: API key (header X-Api-Key)"}
    assert _objects(store, f"{API}/contact", "http://www.w3.org/2006/vcard/ns#hasEmail") == {
        "mailto:beheer@example.nl"}
    operations = _objects(store, API, CAT + "operation")
    assert f"{API}/operation/raadpleegpand" in operations
    assert _objects(store, f"{API}/operation/raadpleegpand", CAT + "path") == {"/panden/{id}"}
    # explicit annotation, also through a $ref into a local file
    assert _objects(store, f"{API}/field/pand/bouwjaar", CAT + "concept") == {
        f"{BASE}/id/begrip/bouwjaar"}
    assert _objects(store, f"{API}/field/pand/identificatie", CAT + "concept") == {
        f"{BASE}/id/begrip/pand"}
    # label match against the store's begrip "pand" (altLabel "gebouw"): only a suggestion
    field = f"{API}/field/pand/gebouw"
    assert _objects(store, field, CAT + "concept") == set()
    assert _objects(store, field, CAT + "suggestedConcept") == {f"{BASE}/id/begrip/pand"}
    assert _objects(store, API, CAT + "adrScore") == {"100"}  # the fixture follows every rule


def test_importing_again_replaces_the_api() -> None:
    store = _store_with_concepts()
    spec = SPECS / "adressen.openapi.yaml"
    load_sources(store, [spec], base=BASE)
    first = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value
    load_sources(store, [spec], base=BASE)
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value == first
    assert len(_objects(store, API, "http://purl.org/dc/terms/title")) == 1


@pytest.mark.parametrize(
    ("name", "pointer"),
    [("broken-ref.openapi.yaml",
      "/paths/~1dingen/get/responses/200/content/application~1json/schema/$ref"),
     ("no-version.openapi.json", "/info/version")],
)
def test_invalid_spec_names_the_json_pointer_and_writes_nothing(name: str, pointer: str) -> None:
    store = EmbeddedStore()
    with pytest.raises(InvalidDocument) as caught:
        load_sources(store, [SPECS / name], base=BASE)
    assert caught.value.pointer == pointer
    assert f"#{pointer}:" in str(caught.value)
    assert store.is_empty()


def test_yaml_that_does_not_parse_gives_line_and_column() -> None:
    with pytest.raises(SourceSyntaxError) as caught:
        parse_openapi(b"openapi: 3.0.0\ninfo: [unclosed\n", name="bad.yaml", uri="file:///bad",
                      graph=f"{BASE}/id/graph/bad", base=BASE)
    assert caught.value.line is not None and caught.value.line >= 2


def test_swagger_2_is_refused_with_a_pointer() -> None:
    with pytest.raises(InvalidDocument, match=r"#/swagger: Swagger 2\.0"):
        parse_openapi(b'{"swagger": "2.0", "info": {}}', name="s.json", uri="file:///s",
                      graph=f"{BASE}/id/graph/s", base=BASE)


def test_detection_by_content() -> None:
    assert is_openapi("x.yaml", b"openapi: 3.1.0\n")
    assert is_openapi("x.json", b'{\n  "openapi" : "3.0.0"}')
    assert not is_openapi("x.json", b'{"@context": {}}')
    assert not is_openapi("x.ttl", b"openapi: 3.1.0\n")


def test_adr_score_rounds_half_up() -> None:
    findings = [Finding(rule, passed=i >= 3, message="") for i, rule in enumerate(RULES)]
    assert AdrReport(tuple(findings)).score == 63  # 100 * 5/8 = 62.5
    assert AdrReport(tuple(Finding(r, True, "") for r in RULES)).score == 100


@needs_shared
def test_every_shared_spec_imports() -> None:
    store = EmbeddedStore()
    specs = sorted((SHARED / "apis" / "openapi").iterdir())
    assert len(specs) >= 6
    load_sources(store, specs, base=BASE)
    rows = store.select(
        "SELECT ?api (COUNT(?op) AS ?n) WHERE { ?api a <http://www.w3.org/ns/dcat#DataService> ; "
        f"<{CAT}operation> ?op }} GROUP BY ?api"
    )
    assert len(rows) == len(specs)
    assert all(int(row["n"].value) > 0 for row in rows)
    scores = store.select(f"SELECT ?s WHERE {{ ?api <{CAT}adrScore> ?s }}")
    assert len(scores) == len(specs)


def test_triples_are_plain_rdf() -> None:
    parsed = parse_openapi((SPECS / "adressen.openapi.yaml").read_bytes(), name="a.yaml",
                           uri="file:///a.yaml", graph=f"{BASE}/id/graph/adressen", base=BASE,
                           location=SPECS / "adressen.openapi.yaml")
    triples = parsed.graphs[f"{BASE}/id/graph/adressen"]
    assert Triple(NamedNode(API), NamedNode(CAT + "adrScore"),
                  Literal("100", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
                  ) in triples
    assert Path(SPECS).is_dir()
