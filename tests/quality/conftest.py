"""Tiny hand-made datasets for the MQA tests: one that earns all 405 points, and a helper that
loads Turtle into a fresh in-memory store."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from catalogue.ingest.load import write_sources
from catalogue.ingest.rdf import parse_source
from catalogue.store.embedded import EmbeddedStore

BASE = "http://catalogue.test"
ORG = "https://identifier.overheid.nl/tooi/id/gemeente/gm0599"
PREFIXES = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
@prefix iana: <https://www.iana.org/assignments/media-types/> .
@prefix lic: <https://definities.geostandaarden.nl/dcat-ap-nl/id/waardelijst/licenties/> .
@prefix ex: <http://catalogue.test/id/> .
"""

# Every indicator earned: the keyword line, the theme line, ... are what the tests take away.
PERFECT = PREFIXES + f"""
ex:dataset\\/perfect a dcat:Dataset ;
    dct:title "Perfecte dataset"@nl ;
    dct:description "Een dataset die alle punten haalt."@nl ;
    dct:identifier "http://catalogue.test/id/dataset/perfect" ;
    dct:publisher <{ORG}> ;
    dct:creator <{ORG}> ;
    dcat:contactPoint ex:contact\\/perfect ;
    dcat:keyword "bomen"@nl ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
    dct:spatial <http://publications.europa.eu/resource/authority/country/NLD> ;
    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2020-01-01"^^xsd:date ] ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
    dct:issued "2024-01-01"^^xsd:date ;
    dct:modified "2026-01-01"^^xsd:date ;
    dcat:distribution ex:distribution\\/perfect-csv .

ex:contact\\/perfect a vcard:Organization ;
    vcard:fn "Team data"@nl ;
    vcard:hasEmail <mailto:data@example.nl> .

ex:distribution\\/perfect-csv a dcat:Distribution ;
    dcat:accessURL <https://data.example.nl/perfect> ;
    dcat:downloadURL <https://data.example.nl/perfect.csv> ;
    dct:format ft:CSV ;
    dcat:mediaType iana:text\\/csv ;
    dct:license lic:cc0 ;
    dct:rights [ a dct:RightsStatement ; dct:description "Vrij te gebruiken."@nl ] ;
    dcat:byteSize "1024"^^xsd:nonNegativeInteger ;
    dct:issued "2024-01-01"^^xsd:date ;
    dct:modified "2026-01-01"^^xsd:date ;
    dct:title "CSV"@nl .

<{ORG}> a foaf:Organization ; foaf:name "Gemeente Rotterdam"@nl .
"""
PERFECT_IRI = f"{BASE}/id/dataset/perfect"

Loader = Callable[[str], EmbeddedStore]


def load_turtle(text: str, store: EmbeddedStore | None = None, *,
                graph: str = f"{BASE}/id/graph/test") -> EmbeddedStore:
    target = store if store is not None else EmbeddedStore()
    source = parse_source(text.encode("utf-8"), name="test.ttl", uri="urn:test:" + graph,
                          graph=graph, keep_graphs=False)
    write_sources(target, [source])
    return target


@pytest.fixture
def loaded() -> Loader:
    return load_turtle
