"""The legacy developer.overheid.nl register maps to DataServices (a mapping test, not content)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogue.errors import InvalidDocument
from catalogue.ingest.legacy_register import entry_triples, legacy_register
from catalogue.ingest.load import write_sources
from catalogue.store import EmbeddedStore
from tests.conftest import BASE, SHARED, needs_shared

LEGACY = SHARED / "apis" / "api-register-legacy"
DCAT = "http://www.w3.org/ns/dcat#"
GRAPH = f"{BASE}/id/graph/legacy-register"


def _values(triples: list, subject: str, predicate: str) -> set[str]:  # type: ignore[type-arg]
    return {t.object.value for t in triples
            if t.subject.value == subject and t.predicate.value == predicate}


def test_one_entry_maps_every_field() -> None:
    entry = {
        "service_name": "BAG API", "description": "Adressen.",
        "organization_name": "Kadaster", "organization_oin": "00000001802327497000",
        "api_type": "rest_json", "api_authentication": "api_key",
        "environments": [
            {"name": "production", "api_url": "https://api.bag.kadaster.nl/v1/",
             "specification_url": "https://api.bag.kadaster.nl/v1/openapi.yaml",
             "documentation_url": "https://www.kadaster.nl/bag"},
            {"name": "acceptance", "api_url": "https://acc.bag.kadaster.nl/v1/",
             "documentation_url": "https://www.kadaster.nl/bag"}],
        "contact": {"email": "bag@kadaster.nl", "phone": "0031 88 183 3400", "url": ""},
        "terms_of_use": {"government_only": True}, "tags": ["adressen"],
    }
    triples = entry_triples(entry, base=BASE, name="bag.json", reference="kadaster-bag")
    api = f"{BASE}/id/api/legacy-kadaster-bag"
    assert _values(triples, api, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == {
        DCAT + "DataService"}
    assert _values(triples, api, DCAT + "endpointURL") == {"https://api.bag.kadaster.nl/v1/"}
    assert _values(triples, api, DCAT + "endpointDescription") == {
        "https://api.bag.kadaster.nl/v1/openapi.yaml"}
    assert _values(triples, api, "http://purl.org/dc/terms/accessRights") == {
        "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"}
    organisation = f"{BASE}/id/organisatie/oin-00000001802327497000"
    assert _values(triples, api, "http://purl.org/dc/terms/publisher") == {organisation}
    assert _values(triples, organisation, "http://xmlns.com/foaf/0.1/name") == {"Kadaster"}
    contact = f"{api}/contact"
    assert _values(triples, contact, "http://www.w3.org/2006/vcard/ns#hasTelephone") == {
        "tel:0031881833400"}
    assert len(_values(triples, api, "https://w3id.org/catalogue/def#server")) == 2


def test_an_entry_without_a_name_is_refused() -> None:
    with pytest.raises(InvalidDocument, match="/service_name"):
        entry_triples({"description": "?"}, base=BASE, name="x.json", reference="x")


@needs_shared
def test_the_whole_register_maps_and_loads(tmp_path: Path) -> None:
    entries = sorted((LEGACY / "apis").glob("*.json"))
    parsed = legacy_register(LEGACY, base=BASE, graph=GRAPH)
    store = EmbeddedStore()
    write_sources(store, [parsed])
    services = store.select(f"SELECT ?s WHERE {{ ?s a <{DCAT}DataService> }}")
    assert len(services) == len(entries) == 93
    oins = {json.loads(p.read_text())["organization_oin"] for p in entries}
    organisations = store.select(
        "SELECT ?o WHERE { ?o a <http://xmlns.com/foaf/0.1/Organization> }")
    assert len(organisations) == len(oins)
    # every service has one publisher and its title
    rows = store.select(
        f"SELECT ?s (COUNT(?p) AS ?n) WHERE {{ ?s a <{DCAT}DataService> ; "
        "<http://purl.org/dc/terms/publisher> ?p ; <http://purl.org/dc/terms/title> ?t } "
        "GROUP BY ?s")
    assert len(rows) == 93 and all(row["n"].value == "1" for row in rows)
