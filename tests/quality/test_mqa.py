"""The MQA points per indicator on tiny hand-made datasets: each earned and each missed, the 405
total, averaging over distributions, the best distribution for interoperability, rating bands."""

from __future__ import annotations

import re

import pytest

from catalogue.quality import INDICATORS, TOTAL, band, score_dataset, score_publisher
from catalogue.quality.indicators import DIMENSIONS
from tests.quality.conftest import ORG, PERFECT, PERFECT_IRI, PREFIXES, load_turtle


def _without(text: str, *fragments: str) -> str:
    """PERFECT with the lines holding any of the fragments taken out."""
    lines = text.splitlines()
    kept = [line for line in lines if not any(f in line for f in fragments)]
    assert len(kept) < len(lines), fragments
    return "\n".join(kept)


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


# indicator -> how to make PERFECT miss it (a triple taken out, or a value off the list)
MISSES = {
    "keywordAvailability": lambda t: _without(t, "dcat:keyword"),
    "categoryAvailability": lambda t: _without(t, "dcat:theme"),
    "spatialAvailability": lambda t: _without(t, "dct:spatial"),
    "temporalAvailability": lambda t: _without(t, "dct:temporal"),
    "accessUrlStatusCode": lambda t: _replace(t, "dcat:accessURL <https://data.example.nl/perfect>",
                                              "dcat:accessURL <urn:x-nowhere:perfect>"),
    "downloadUrlAvailability": lambda t: _without(t, "dcat:downloadURL"),
    "downloadUrlStatusCode": lambda t: _without(t, "dcat:downloadURL"),
    "formatAvailability": lambda t: _without(t, "dct:format"),
    "mediaTypeAvailability": lambda t: _without(t, "dcat:mediaType"),
    "formatMediaTypeVocabularyAlignment": lambda t: _replace(t, "dct:format ft:CSV",
                                                             'dct:format "CSV"'),
    "formatMediaTypeNonProprietary": lambda t: _replace(
        _without(t, "dcat:mediaType"), "dct:format ft:CSV", "dct:format ft:XLSX"),
    "formatMediaTypeMachineInterpretable": lambda t: _replace(
        _without(t, "dcat:mediaType"), "dct:format ft:CSV", "dct:format ft:PDF"),
    "dcatApCompliance": lambda t: _without(t, "dct:description"),
    "licenceAvailability": lambda t: _without(t, "dct:license"),
    "knownLicence": lambda t: _replace(t, "lic:cc0",
                                       "<http://creativecommons.org/publicdomain/zero/1.0/>"),
    "accessRightsAvailability": lambda t: _without(t, "dct:accessRights"),
    "accessRightsVocabularyAlignment": lambda t: _replace(
        t, "access-right/PUBLIC", "access-right/OPEN_TO_ALL"),
    "contactPointAvailability": lambda t: _without(t, "dcat:contactPoint"),
    "publisherAvailability": lambda t: _without(t, "dct:publisher <"),
    "rightsAvailability": lambda t: _without(t, "dct:rights"),
    "byteSizeAvailability": lambda t: _without(t, "dcat:byteSize"),
    "dateIssuedAvailability": lambda t: _without(t, "dct:issued"),
    "dateModifiedAvailability": lambda t: _without(t, "dct:modified"),
}


def test_the_scheme_has_405_points_in_five_dimensions() -> None:
    assert TOTAL == 405
    assert sum(i.points for i in INDICATORS) == 405
    for name, maximum in DIMENSIONS.items():
        assert sum(i.points for i in INDICATORS if i.dimension == name) == maximum
    assert {i.id for i in INDICATORS} == set(MISSES)
    assert all(i.metric.startswith("https://piveau.eu/ns/voc#") for i in INDICATORS)


def test_a_complete_dataset_earns_every_indicator() -> None:
    score = score_dataset(load_turtle(PERFECT), PERFECT_IRI)
    assert score.total == 405
    assert score.band.id == "excellent"
    for item in score.indicators:
        assert item.earned == item.indicator.points, (item.indicator.id, item.reason("en"))
        assert item.reason("nl") and item.reason("en")
    assert score.dimension("interoperability") == 110


@pytest.mark.parametrize("indicator", sorted(MISSES))
def test_each_indicator_missed(indicator: str) -> None:
    text = MISSES[indicator](PERFECT)
    score = score_dataset(load_turtle(text), PERFECT_IRI)
    item = score.of(indicator)
    assert item.earned == 0, item.reason("en")
    assert score.total <= 405 - item.indicator.points
    assert item.reason("nl") != item.reason("en") or ":" in item.reason("en")


def test_compliance_reason_names_the_violation() -> None:
    score = score_dataset(load_turtle(_without(PERFECT, "dct:description")), PERFECT_IRI)
    reason = score.of("dcatApCompliance").reason("en")
    assert re.search(r"\d+ Violation", reason) and "description" in reason


def test_issued_and_modified_count_on_the_dataset_or_its_distributions() -> None:
    on_dataset = ('    dct:issued "2024-01-01"^^xsd:date ;\n'
                  '    dct:modified "2026-01-01"^^xsd:date ;\n')
    only_distribution = _replace(PERFECT, on_dataset + "    dcat:distribution",
                                 "    dcat:distribution")
    score = score_dataset(load_turtle(only_distribution), PERFECT_IRI)
    assert score.of("dateIssuedAvailability").earned == 5
    assert "1 of 1 distribution has" in score.of("dateIssuedAvailability").reason("en")


TWO_DISTRIBUTIONS = PREFIXES + """
ex:dataset\\/two a dcat:Dataset ;
    dct:title "Twee"@nl ;
    dcat:distribution ex:distribution\\/pdf, ex:distribution\\/csv .
ex:distribution\\/pdf a dcat:Distribution ;
    dcat:accessURL <https://data.example.nl/two.pdf> ;
    dct:format ft:PDF ;
    dct:license lic:cc0 .
ex:distribution\\/csv a dcat:Distribution ;
    dcat:accessURL <https://data.example.nl/two> ;
    dcat:downloadURL <https://data.example.nl/two.csv> ;
    dct:format ft:CSV ;
    dcat:mediaType iana:text\\/csv .
"""


def test_distribution_indicators_are_averaged_over_distributions() -> None:
    score = score_dataset(load_turtle(TWO_DISTRIBUTIONS), "http://catalogue.test/id/dataset/two")
    assert score.of("downloadUrlAvailability").earned == 10  # 1 of 2 x 20
    assert score.of("downloadUrlStatusCode").earned == 15  # 1 of 2 x 30
    assert score.of("licenceAvailability").earned == 10
    assert score.of("knownLicence").earned == 5
    assert score.of("accessUrlStatusCode").earned == 50
    assert "1 of 2 distributions" in score.of("licenceAvailability").reason("en")


def test_interoperability_counts_the_best_distribution() -> None:
    score = score_dataset(load_turtle(TWO_DISTRIBUTIONS), "http://catalogue.test/id/dataset/two")
    interoperable = [i for i in score.indicators
                     if i.indicator.dimension == "interoperability"
                     and i.indicator.id != "dcatApCompliance"]
    assert sum(i.earned for i in interoperable) == 80  # all of the CSV's, none averaged
    assert all("distribution/csv" in i.reason("en") for i in interoperable)
    pdf_only = PREFIXES + """
ex:dataset\\/two a dcat:Dataset ; dct:title "PDF"@nl ; dcat:distribution ex:distribution\\/pdf .
ex:distribution\\/pdf a dcat:Distribution ; dcat:accessURL <https://data.example.nl/two.pdf> ;
    dct:format ft:PDF .
"""
    pdf = score_dataset(load_turtle(pdf_only), "http://catalogue.test/id/dataset/two")
    assert pdf.of("formatMediaTypeNonProprietary").earned == 0
    assert pdf.of("formatMediaTypeMachineInterpretable").earned == 0
    assert pdf.of("formatAvailability").earned == 20


def test_no_distributions_earn_no_distribution_points() -> None:
    text = PREFIXES + 'ex:dataset\\/bare a dcat:Dataset ; dct:title "Kaal"@nl .'
    score = score_dataset(load_turtle(text), "http://catalogue.test/id/dataset/bare")
    assert score.total == 0
    assert score.band.id == "bad"
    assert "no distributions" in score.of("formatAvailability").reason("en")


@pytest.mark.parametrize(("points", "expected"), [
    (405, "excellent"), (351, "excellent"), (350.4, "good"), (350, "good"), (221, "good"),
    (220, "enough"), (121, "enough"), (120, "bad"), (0, "bad"),
])
def test_rating_bands(points: float, expected: str) -> None:
    assert band(points).id == expected


def test_publisher_score_is_the_average_and_problems_rank_by_points_lost() -> None:
    store = load_turtle(PERFECT)
    worse = _without(PERFECT.replace("perfect", "second"), "dcat:keyword", "dct:spatial")
    load_turtle(worse, store, graph="http://catalogue.test/id/graph/second")
    score = score_publisher(store, ORG)
    assert [d.total for d in sorted(score.datasets, key=lambda d: d.total)] == [355, 405]
    assert score.total == 380
    assert score.band.id == "excellent"
    assert [(p.indicator.id, p.datasets, p.points_missed) for p in score.problems] == [
        ("keywordAvailability", 1, 30), ("spatialAvailability", 1, 20)]
    assert score.dimension("findability") == 75
