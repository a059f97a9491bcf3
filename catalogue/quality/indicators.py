"""The MQA indicators of data.europa.eu: metric IRI (piveau's `pv:` vocabulary), dimension,
points, where each is checked; what a publisher does to earn it is in the catalogues. Points
from gitlab.com/dataeuropa/mqa/score (via fdk-mqa-scoring-service); bands from
piveau-scoring-skos.rdf."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from catalogue.i18n import texts

PV = "https://piveau.eu/ns/voc#"
SCORING = "https://piveau.eu/ns/scoring#"
SCORE_METRIC = PV + "score"  # the total, as piveau stores it

Level = Literal["dataset", "distribution", "either"]


@dataclass(frozen=True)
class Indicator:
    """One MQA metric. `level` says where it is checked: on the dataset, averaged over the
    distributions, or `either` (the dataset's own value, else the distributions' average). Its
    name and advice are the catalogues' `mqa.{id}` and `mqa.{id}.fix`."""

    id: str
    dimension: str
    points: int
    level: Level

    @property
    def metric(self) -> str:
        return PV + self.id

    def label(self, lang: str) -> str:
        return texts(lang).gettext(f"mqa.{self.id}")

    def fix(self, lang: str) -> str:
        """What to do, for one dataset (completes "Begin hiermee: ...")."""
        return texts(lang).gettext(f"mqa.{self.id}.fix")


INDICATORS: tuple[Indicator, ...] = (
    Indicator("keywordAvailability", "findability", 30, "dataset"),
    Indicator("categoryAvailability", "findability", 30, "dataset"),
    Indicator("spatialAvailability", "findability", 20, "dataset"),
    Indicator("temporalAvailability", "findability", 20, "dataset"),
    Indicator("accessUrlStatusCode", "accessibility", 50, "distribution"),
    Indicator("downloadUrlAvailability", "accessibility", 20, "distribution"),
    Indicator("downloadUrlStatusCode", "accessibility", 30, "distribution"),
    Indicator("formatAvailability", "interoperability", 20, "distribution"),
    Indicator("mediaTypeAvailability", "interoperability", 10, "distribution"),
    Indicator("formatMediaTypeVocabularyAlignment", "interoperability", 10, "distribution"),
    Indicator("formatMediaTypeNonProprietary", "interoperability", 20, "distribution"),
    Indicator("formatMediaTypeMachineInterpretable", "interoperability", 20, "distribution"),
    Indicator("dcatApCompliance", "interoperability", 30, "dataset"),
    Indicator("licenceAvailability", "reusability", 20, "distribution"),
    Indicator("knownLicence", "reusability", 10, "distribution"),
    Indicator("accessRightsAvailability", "reusability", 10, "dataset"),
    Indicator("accessRightsVocabularyAlignment", "reusability", 5, "dataset"),
    Indicator("contactPointAvailability", "reusability", 20, "dataset"),
    Indicator("publisherAvailability", "reusability", 10, "dataset"),
    Indicator("rightsAvailability", "contextuality", 5, "distribution"),
    Indicator("byteSizeAvailability", "contextuality", 5, "distribution"),
    Indicator("dateIssuedAvailability", "contextuality", 5, "either"),
    Indicator("dateModifiedAvailability", "contextuality", 5, "either"),
)
BY_ID = {indicator.id: indicator for indicator in INDICATORS}

# Dimension id -> maximum points, in MQA's order; names are the catalogues' `mqa.dimension.{id}`.
DIMENSIONS: dict[str, int] = {
    "findability": 100,
    "accessibility": 100,
    "interoperability": 110,
    "reusability": 75,
    "contextuality": 20,
}
TOTAL = sum(DIMENSIONS.values())  # 405


@dataclass(frozen=True)
class Band:
    id: str
    minimum: int  # the lowest (rounded) score in the band

    @property
    def iri(self) -> str:
        return SCORING + self.id

    def label(self, lang: str) -> str:
        return texts(lang).gettext(f"mqa.band.{self.id}")


# Excellent 351-405, Good 221-350, Sufficient ("enough") 121-220, Bad 0-120.
BANDS: tuple[Band, ...] = (
    Band("excellent", 351),
    Band("good", 221),
    Band("enough", 121),
    Band("bad", 0),
)


def band(score: float) -> Band:
    """The rating band of a score (rounded to whole points first, as the portal shows them).

    >>> band(405).id, band(350.4).id, band(221).id, band(120).id
    ('excellent', 'good', 'good', 'bad')
    """
    points = round(score)
    return next(b for b in BANDS if points >= b.minimum)


def dimension_label(dimension: str, lang: str) -> str:
    return texts(lang).gettext(f"mqa.dimension.{dimension}")
