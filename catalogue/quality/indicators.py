"""The MQA indicators of data.europa.eu: metric IRI (piveau's `pv:` vocabulary), dimension,
points, where each is checked, and what a publisher does to earn it, in Dutch and English. Points
from gitlab.com/dataeuropa/mqa/score (via fdk-mqa-scoring-service); bands from
piveau-scoring-skos.rdf."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PV = "https://piveau.eu/ns/voc#"
SCORING = "https://piveau.eu/ns/scoring#"
SCORE_METRIC = PV + "score"  # the total, as piveau stores it

Level = Literal["dataset", "distribution", "either"]


@dataclass(frozen=True)
class Indicator:
    """One MQA metric. `level` says where it is checked: on the dataset, averaged over the
    distributions, or `either` (the dataset's own value, else the distributions' average)."""

    id: str
    dimension: str
    points: int
    level: Level
    label_nl: str
    label_en: str
    fix_nl: str  # completes "Voeg ... toe" style advice: what to do, for one dataset
    fix_en: str

    @property
    def metric(self) -> str:
        return PV + self.id

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_nl

    def fix(self, lang: str) -> str:
        return self.fix_en if lang == "en" else self.fix_nl


def _i(id: str, dimension: str, points: int, level: Level, labels: tuple[str, str],
       fixes: tuple[str, str]) -> Indicator:
    return Indicator(id, dimension, points, level, *labels, *fixes)


INDICATORS: tuple[Indicator, ...] = (
    _i("keywordAvailability", "findability", 30, "dataset",
       ("Trefwoorden", "Keywords"),
       ("geef de dataset trefwoorden (dcat:keyword)", "give the dataset keywords (dcat:keyword)")),
    _i("categoryAvailability", "findability", 30, "dataset",
       ("Thema", "Category"),
       ("geef de dataset een thema uit de EU-lijst data-theme (dcat:theme)",
        "give the dataset a theme from the EU data-theme list (dcat:theme)")),
    _i("spatialAvailability", "findability", 20, "dataset",
       ("Geografische dekking", "Spatial coverage"),
       ("geef aan welk gebied de dataset beschrijft (dct:spatial)",
        "state the area the dataset covers (dct:spatial)")),
    _i("temporalAvailability", "findability", 20, "dataset",
       ("Tijdsdekking", "Temporal coverage"),
       ("geef aan welke periode de dataset beschrijft (dct:temporal)",
        "state the period the dataset covers (dct:temporal)")),
    _i("accessUrlStatusCode", "accessibility", 50, "distribution",
       ("Toegangs-URL bereikbaar", "Access URL reachable"),
       ("zorg dat de toegangs-URL (dcat:accessURL) van elke distributie werkt",
        "make the access URL (dcat:accessURL) of every distribution work")),
    _i("downloadUrlAvailability", "accessibility", 20, "distribution",
       ("Download-URL aanwezig", "Download URL given"),
       ("geef elke distributie een download-URL (dcat:downloadURL)",
        "give every distribution a download URL (dcat:downloadURL)")),
    _i("downloadUrlStatusCode", "accessibility", 30, "distribution",
       ("Download-URL bereikbaar", "Download URL reachable"),
       ("zorg dat de download-URL (dcat:downloadURL) van elke distributie werkt",
        "make the download URL (dcat:downloadURL) of every distribution work")),
    _i("formatAvailability", "interoperability", 20, "distribution",
       ("Formaat", "Format"),
       ("geef de distributies een bestandsformaat (dct:format)",
        "give the distributions a file format (dct:format)")),
    _i("mediaTypeAvailability", "interoperability", 10, "distribution",
       ("Mediatype", "Media type"),
       ("geef de distributies een mediatype (dcat:mediaType)",
        "give the distributions a media type (dcat:mediaType)")),
    _i("formatMediaTypeVocabularyAlignment", "interoperability", 10, "distribution",
       ("Formaat uit de EU-lijst of IANA", "Format from the EU list or IANA"),
       ("kies het formaat uit de EU-lijst file-type en het mediatype uit de IANA-lijst",
        "take the format from the EU file-type list and the media type from IANA's list")),
    _i("formatMediaTypeNonProprietary", "interoperability", 20, "distribution",
       ("Open formaat", "Non-proprietary format"),
       ("bied de data ook aan in een open formaat (bijvoorbeeld CSV, JSON of GeoJSON)",
        "also offer the data in a non-proprietary format (for example CSV, JSON or GeoJSON)")),
    _i("formatMediaTypeMachineInterpretable", "interoperability", 20, "distribution",
       ("Machineleesbaar formaat", "Machine-readable format"),
       ("bied de data ook aan in een machineleesbaar formaat (bijvoorbeeld CSV, JSON of XML)",
        "also offer the data in a machine-readable format (for example CSV, JSON or XML)")),
    _i("dcatApCompliance", "interoperability", 30, "dataset",
       ("Voldoet aan DCAT-AP-NL", "DCAT-AP-NL compliant"),
       ("los de overtredingen van het DCAT-AP-NL-profiel op (zie /validate)",
        "fix the Violations of the DCAT-AP-NL profile (see /validate)")),
    _i("licenceAvailability", "reusability", 20, "distribution",
       ("Licentie", "Licence"),
       ("geef elke distributie een licentie (dct:license)",
        "give every distribution a licence (dct:license)")),
    _i("knownLicence", "reusability", 10, "distribution",
       ("Bekende licentie", "Known licence"),
       ("kies de licentie uit de Geonovum- of EU-licentielijst",
        "take the licence from the Geonovum or EU licence list")),
    _i("accessRightsAvailability", "reusability", 10, "dataset",
       ("Toegangsrechten", "Access rights"),
       ("geef de toegangsrechten van de dataset (dct:accessRights)",
        "state the dataset's access rights (dct:accessRights)")),
    _i("accessRightsVocabularyAlignment", "reusability", 5, "dataset",
       ("Toegangsrechten uit de EU-lijst", "Access rights from the EU list"),
       ("kies de toegangsrechten uit de EU-lijst access-right (PUBLIC, RESTRICTED, NON_PUBLIC)",
        "take the access rights from the EU access-right list (PUBLIC, RESTRICTED, NON_PUBLIC)")),
    _i("contactPointAvailability", "reusability", 20, "dataset",
       ("Contactpunt", "Contact point"),
       ("geef de dataset een contactpunt (dcat:contactPoint)",
        "give the dataset a contact point (dcat:contactPoint)")),
    _i("publisherAvailability", "reusability", 10, "dataset",
       ("Uitgever", "Publisher"),
       ("geef de dataset een uitgever (dct:publisher)",
        "give the dataset a publisher (dct:publisher)")),
    _i("rightsAvailability", "contextuality", 5, "distribution",
       ("Rechten", "Rights"),
       ("beschrijf de rechten bij elke distributie (dct:rights)",
        "describe the rights of every distribution (dct:rights)")),
    _i("byteSizeAvailability", "contextuality", 5, "distribution",
       ("Bestandsgrootte", "File size"),
       ("geef de grootte van elke distributie in bytes (dcat:byteSize)",
        "give the size of every distribution in bytes (dcat:byteSize)")),
    _i("dateIssuedAvailability", "contextuality", 5, "either",
       ("Publicatiedatum", "Date issued"),
       ("geef de publicatiedatum (dct:issued)", "give the date of issue (dct:issued)")),
    _i("dateModifiedAvailability", "contextuality", 5, "either",
       ("Wijzigingsdatum", "Date modified"),
       ("geef de datum van de laatste wijziging (dct:modified)",
        "give the date of the last change (dct:modified)")),
)
BY_ID = {indicator.id: indicator for indicator in INDICATORS}

# Dimension id -> (maximum points, label nl, label en), in MQA's order.
DIMENSIONS: dict[str, tuple[int, str, str]] = {
    "findability": (100, "Vindbaarheid", "Findability"),
    "accessibility": (100, "Toegankelijkheid", "Accessibility"),
    "interoperability": (110, "Interoperabiliteit", "Interoperability"),
    "reusability": (75, "Herbruikbaarheid", "Reusability"),
    "contextuality": (20, "Context", "Contextuality"),
}
TOTAL = sum(maximum for maximum, _, _ in DIMENSIONS.values())  # 405


@dataclass(frozen=True)
class Band:
    id: str
    minimum: int  # the lowest (rounded) score in the band
    label_nl: str
    label_en: str

    @property
    def iri(self) -> str:
        return SCORING + self.id

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_nl


# Excellent 351-405, Good 221-350, Sufficient ("enough") 121-220, Bad 0-120.
BANDS: tuple[Band, ...] = (
    Band("excellent", 351, "Uitstekend", "Excellent"),
    Band("good", 221, "Goed", "Good"),
    Band("enough", 121, "Voldoende", "Sufficient"),
    Band("bad", 0, "Onvoldoende", "Bad"),
)


def band(score: float) -> Band:
    """The rating band of a score (rounded to whole points first, as the portal shows them).

    >>> band(405).id, band(350.4).id, band(221).id, band(120).id
    ('excellent', 'good', 'good', 'bad')
    """
    points = round(score)
    return next(b for b in BANDS if points >= b.minimum)


def dimension_label(dimension: str, lang: str) -> str:
    _, nl, en = DIMENSIONS[dimension]
    return en if lang == "en" else nl
