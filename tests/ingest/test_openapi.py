"""OpenAPI import: the DataService, its operations and fields, begrip links, ADR score, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogue.errors import InvalidDocument, SourceSyntaxError
from catalogue.ingest import load_sources
from catalogue.ingest.adr import RULES, AdrReport, Finding
from catalogue.ingest.openapi import is_openapi, parse_openapi, read_document
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


def test_detection_of_a_key_written_after_a_large_components_object() -> None:
    """Generators that sort keys (PDOK's merged OGC API description, Twilio's) write
    `openapi` after `components`, 126 KB into the file there."""
    schemas = {f"S{i}": {"type": "object", "description": "x" * 100} for i in range(1000)}
    late = json.dumps({"components": {"schemas": schemas}, "info": {"title": "t"},
                       "openapi": "3.0.3", "paths": {}}).encode()
    assert late.index(b'"openapi"') > 65536 and is_openapi("x.json", late)
    yaml_late = b"components:\n  schemas:\n" + b"    x: {}\n" * 10000 + b"openapi: 3.1.0\n"
    assert is_openapi("x.yaml", yaml_late)
    # Past the head, only a key with a version for its value: not a word in some text.
    jsonld = b'{"@context": {}, "@graph": [' + b'{"@id": "x"},' * 10000 + \
        b'{"description": "openapi: the format"}]}'
    assert not is_openapi("x.json", jsonld)
    nested = b"a:\n" + b"  b: 1\n" * 20000 + b"  openapi: 3.0.0\n"
    assert not is_openapi("x.yaml", nested)


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


# What developer.overheid.nl's linter gives the real descriptions in ../shared/data/apis/openapi,
# derived by hand from the ADR 2.1 ruleset it runs (adr-rulesets adr-21.ts at da1327df) and its
# scoring (don-tools-api computeAdrScore: failed groups of 8, Math.round), from these facts:
# - BAG v2: openapi 3.0.0, version 2.0.0, servers end in /v2, info.contact has name and url but
#   no email (info-contact-fields-exist fails), 1 of 41 2xx/3xx responses has no API-Version
#   header (version-header fails): 2 failed, 75.
# - developer.overheid.nl API register 1.0.0: every response has API-Version, contact complete,
#   servers /v1, 3.1.0 matches ^3(.\d+){1,2}$: 0 failed, 100.
# - Haal Centraal BRP: its one 2xx response has no headers (version-header), its only server
#   .../haalcentraal/api/brp has no /v<digit> (include-major-version-in-uri), contact has only
#   url (info-contact-fields-exist): 3 failed, round(62.5) = 63.
# - ZGW catalogi 1.3.1, documenten 1.5.0, zaken 1.5.1: contact lacks name, 6, 4 and 9
#   responses lack API-Version; servers .../api/v1 (zaken's trailing slash is on a server,
#   which paths-no-trailing-slash does not look at): 2 failed, 75.
# No description has a path key ending in " /" or containing "description"/"summary", every
# info.version is semver, and all have an openapi property: those groups pass everywhere.
# (Before: every one of them but the register lost openapi-root-exists for lacking a
# /openapi.json path, and zaken lost no-trailing-slash for its server: 63, 50, 63, 63, 50.)
REGISTER_SCORES = {
    "bag-individuele-bevragingen-v2.openapi.yaml": 75,
    "developer-overheid-api-register-1.0.0.json": 100,
    "haal-centraal-brp-bevragen.openapi.yaml": 63,
    "zgw-catalogi-api.openapi.yaml": 75,
    "zgw-documenten-api.openapi.yaml": 75,
    "zgw-zaken-api.openapi.yaml": 75,
}


@needs_shared
@pytest.mark.parametrize(("name", "score"), REGISTER_SCORES.items())
def test_adr_scores_match_developer_overheid_nl(name: str, score: int) -> None:
    path = SHARED / "apis" / "openapi" / name
    parsed = parse_openapi(path.read_bytes(), name=name, uri=path.as_uri(),
                           graph=f"{BASE}/id/graph/x", base=BASE, location=path)
    found = {t.object.value for t in parsed.graphs[f"{BASE}/id/graph/x"]
             if t.predicate.value == CAT + "adrScore"}
    assert found == {str(score)}


@pytest.mark.parametrize(("change", "failed"), [
    ({}, set()),
    ({"openapi": "3.1.0"}, set()),  # 3.1 is version 3 too
    ({"paths": {}}, set()),  # no /openapi.json path: not what openapi-root-exists means
    ({"info": {"title": "t", "version": "1.0.0"}}, set()),  # no contact: nothing to lack fields
    ({"info": {"title": "t", "version": "1.0", "contact": {"name": "n"}}},
     {"semver", "info-contact-fields-exist"}),
    ({"servers": [{"url": "https://api.example.nl/adressen"}]}, {"include-major-version-in-uri"}),
    ({"paths": {"/summary": {"get": {"responses": {}}, "x-y": {}}}}, {"http-methods"}),
    ({"paths": {"/a": {"get": {"responses": {"200": {"description": "OK"}}}}}},
     {"version-header"}),
    # `$..[responses]` finds the responses of webhooks and callbacks too (OpenAPI's own
    # webhook-example.yaml scored 100 here, 88 in the register's linter)
    ({"webhooks": {"newPet": {"post": {"responses": {"200": {"description": "OK"}}}}}},
     {"version-header"}),
    ({"paths": {"/streams": {"post": {
        "responses": {"201": {"description": "OK", "headers": {"API-Version": {}}}},
        "callbacks": {"onData": {"{$request.query.url}/data": {"post": {
            "responses": {"202": {"description": "OK"}}}}}}}}}},
     {"version-header"}),
    ({"webhooks": {"newPet": {"post": {"responses": {"200": {
        "description": "OK", "headers": {"API-Version": {}}}}}}}}, set()),
])
def test_adr_rules_mean_what_the_registers_linter_means(
    change: dict[str, object], failed: set[str]
) -> None:
    from catalogue.ingest.adr import check

    spec: dict[str, object] = {
        "openapi": "3.0.3", "servers": [{"url": "https://api.example.nl/adressen/v1"}],
        "info": {"title": "t", "version": "1.0.0",
                 "contact": {"name": "n", "email": "e@example.nl", "url": "https://e.nl"}},
        "paths": {"/openapi.json": {"get": {"responses": {"200": {
            "description": "OK", "headers": {"API-Version": {"schema": {"type": "string"}}}}}}}},
    }
    spec.update(change)
    report = check(spec, lambda value, pointer: (value, ""))
    assert {f.rule for f in report.findings if not f.passed} == failed


def test_yaml_aliases_that_expand_past_the_bound_are_refused_where_they_are() -> None:
    bomb = (DATA / "hostile" / "alias-bomb.openapi.yaml").read_bytes()
    with pytest.raises(SourceSyntaxError) as raised:
        read_document(bomb, "bomb.yaml")
    assert raised.value.line is not None and raised.value.column is not None
    assert "aliases" in str(raised.value)


def test_yaml_aliases_within_the_bound_read_as_their_values() -> None:
    document = read_document(b"a: &x [1, 2]\nb: *x\nc: {d: *x}\n", "small.yaml")
    assert document == {"a": [1, 2], "b": [1, 2], "c": {"d": [1, 2]}}


def test_refs_in_a_referenced_file_resolve_against_that_file(tmp_path: Path) -> None:
    """As Haal Centraal's multi-file descriptions write them: a path item in paths/, its
    response beside it in shared/, its schema in its own file's components. Each `$ref`
    means its own file (they resolved against the root file, so valid descriptions were
    refused), and one that does not resolve is named in the file that holds it."""
    (tmp_path / "paths").mkdir()
    (tmp_path / "shared").mkdir()
    root = tmp_path / "api.openapi.yaml"
    root.write_text('openapi: 3.0.3\ninfo: {title: Refs, version: 1.0.0}\n'
                    'servers: [{url: "https://api.example.nl/refs/v1"}]\n'
                    'paths:\n  /dingen:\n    $ref: "paths/dingen.yaml"\n')
    (tmp_path / "paths" / "dingen.yaml").write_text(
        'get:\n  operationId: zoekDingen\n  responses:\n'
        '    "200": {$ref: "../shared/ok.yaml"}\n'
        '    "400": {$ref: "#/components/responses/Fout"}\n'
        'components:\n  responses:\n    Fout: {description: Fout}\n')
    (tmp_path / "shared" / "ok.yaml").write_text(
        'description: De dingen\n'
        'headers: {API-Version: {schema: {type: string}}}\n'
        'content:\n  application/json:\n    schema: {$ref: "#/components/schemas/Ding"}\n'
        'components:\n  schemas:\n    Ding:\n      properties:\n        naam: {type: string}\n')
    parsed = parse_openapi(root.read_bytes(), name=str(root), uri=root.as_uri(),
                           graph=f"{BASE}/id/graph/refs", base=BASE, location=root)
    triples = parsed.graphs[f"{BASE}/id/graph/refs"]
    findings = {t.object.value for t in triples if t.predicate.value == CAT + "adrScore"}
    assert findings == {"100"}  # the 200 response's API-Version header was found
    (tmp_path / "shared" / "ok.yaml").write_text(
        'description: De dingen\n'
        'content:\n  application/json:\n    schema: {$ref: "#/components/schemas/Weg"}\n')
    with pytest.raises(InvalidDocument) as caught:
        parse_openapi(root.read_bytes(), name=str(root), uri=root.as_uri(),
                      graph=f"{BASE}/id/graph/refs", base=BASE, location=root)
    assert str(caught.value).startswith(
        "shared/ok.yaml#/content/application~1json/schema/$ref: ")
    assert "'ok.yaml#/components/schemas/Weg' does not resolve" in str(caught.value)
