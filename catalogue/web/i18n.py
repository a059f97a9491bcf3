"""Interface text in Dutch and English; the language comes from ?lang=, a cookie or
Accept-Language."""

from __future__ import annotations

LANGUAGES = ("nl", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    "site.name": ("Catalogus", "Catalogue"),
    "site.tagline": (
        "Begrippen, datasets en API's van de Nederlandse overheid, gekoppeld",
        "Definitions, datasets and APIs of the Dutch public sector, linked",
    ),
    "nav.home": ("Home", "Home"),
    "nav.graphs": ("Bronnen", "Sources"),
    "nav.skip": ("Naar de inhoud", "Skip to content"),
    "nav.language": ("Taal", "Language"),
    "count.definitions": ("begrippen", "definitions"),
    "count.datasets": ("datasets", "datasets"),
    "count.apis": ("API's", "APIs"),
    "count.organisations": ("organisaties", "organisations"),
    "home.counts": ("Wat de catalogus bevat", "What the catalogue holds"),
    "home.catalogues": ("Catalogi", "Catalogues"),
    "home.no_catalogues": ("Nog geen catalogi geladen.", "No catalogues loaded yet."),
    "home.datasets_services": ("{datasets} datasets, {services} dataservices",
                               "{datasets} datasets, {services} data services"),
    "resource.types": ("Soort", "Kind"),
    "resource.properties": ("Eigenschappen", "Properties"),
    "resource.inbound": ("Verwijzingen hierheen", "Links to this resource"),
    "resource.inbound_none": ("Niets verwijst hierheen.", "Nothing links here."),
    "resource.inbound_more": (
        "Alleen de eerste {n} verwijzingen staan hier; vraag de rest op via SPARQL.",
        "Only the first {n} links are shown; query the rest with SPARQL.",
    ),
    "resource.graphs": ("Staat in bron", "Found in source"),
    "resource.downloads": ("Download als", "Download as"),
    "resource.property": ("Eigenschap", "Property"),
    "resource.value": ("Waarde", "Value"),
    "resource.from": ("Van", "From"),
    "resource.via": ("Via", "Via"),
    "graphs.title": ("Bronnen in de catalogus", "Sources in the catalogue"),
    "graphs.graph": ("Graaf", "Graph"),
    "graphs.source": ("Bron", "Source"),
    "graphs.publisher": ("Uitgever", "Publisher"),
    "graphs.loaded": ("Geladen", "Loaded"),
    "graphs.triples": ("Triples", "Triples"),
    "graphs.none": ("De catalogus is leeg.", "The catalogue is empty."),
    "error.title": ("Er ging iets mis", "Something went wrong"),
    "error.404": ("Niet gevonden", "Not found"),
    "error.400": ("Ongeldig verzoek", "Bad request"),
    "error.406": ("Formaat niet beschikbaar", "Format not available"),
    "error.500": ("Interne fout", "Internal error"),
}


def translate(key: str, lang: str, **values: object) -> str:
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def pick_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    for part in (accept_language or "").split(","):
        primary = part.split(";")[0].strip().split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return "nl"
