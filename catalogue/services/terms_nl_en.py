"""Dutch and English names of the standard terms pages show most, so a page never reads as
raw `dct:title` to an architect. Terms not listed fall back to labels in the store."""

from __future__ import annotations

from catalogue.namespaces import PREFIXES

_TERMS: dict[str, tuple[str, str]] = {
    "rdf:type": ("Type", "Type"),
    "rdfs:label": ("Label", "Label"),
    "rdfs:comment": ("Uitleg", "Explanation"),
    "rdfs:seeAlso": ("Zie ook", "See also"),
    "owl:sameAs": ("Zelfde als", "Same as"),
    "skos:prefLabel": ("Voorkeursterm", "Preferred label"),
    "skos:altLabel": ("Alternatieve term", "Alternative label"),
    "skos:hiddenLabel": ("Zoekterm", "Hidden label"),
    "skos:definition": ("Definitie", "Definition"),
    "skos:scopeNote": ("Toelichting", "Scope note"),
    "skos:example": ("Voorbeeld", "Example"),
    "skos:notation": ("Code", "Notation"),
    "skos:broader": ("Bovenliggend begrip", "Broader concept"),
    "skos:narrower": ("Onderliggend begrip", "Narrower concept"),
    "skos:related": ("Gerelateerd begrip", "Related concept"),
    "skos:inScheme": ("In begrippenkader", "In concept scheme"),
    "skos:topConceptOf": ("Topbegrip van", "Top concept of"),
    "skos:hasTopConcept": ("Topbegrip", "Top concept"),
    "skos:exactMatch": ("Komt exact overeen met", "Exact match"),
    "skos:closeMatch": ("Komt nagenoeg overeen met", "Close match"),
    "skos:broadMatch": ("Komt overeen met bredere", "Broad match"),
    "skos:narrowMatch": ("Komt overeen met smallere", "Narrow match"),
    "skos:relatedMatch": ("Komt overeen met gerelateerde", "Related match"),
    "skos:Concept": ("Begrip", "Concept"),
    "skos:ConceptScheme": ("Begrippenkader", "Concept scheme"),
    "skos:Collection": ("Collectie", "Collection"),
    "dct:title": ("Titel", "Title"),
    "dct:description": ("Beschrijving", "Description"),
    "dct:identifier": ("Identificatie", "Identifier"),
    "dct:publisher": ("Uitgever", "Publisher"),
    "dct:creator": ("Maker", "Creator"),
    "dct:source": ("Bron", "Source"),
    "dct:issued": ("Uitgegeven", "Issued"),
    "dct:modified": ("Gewijzigd", "Modified"),
    "dct:license": ("Licentie", "Licence"),
    "dct:accessRights": ("Toegankelijkheid", "Access rights"),
    "dct:language": ("Taal", "Language"),
    "dct:conformsTo": ("Voldoet aan", "Conforms to"),
    "dct:relation": ("Gerelateerd aan", "Related to"),
    "dct:format": ("Formaat", "Format"),
    "dct:spatial": ("Gebied", "Spatial coverage"),
    "dct:temporal": ("Periode", "Temporal coverage"),
    "dct:subject": ("Onderwerp", "Subject"),
    "dct:type": ("Soort", "Type"),
    "dcat:Catalog": ("Catalogus", "Catalogue"),
    "dcat:Dataset": ("Dataset", "Dataset"),
    "dcat:Distribution": ("Distributie", "Distribution"),
    "dcat:DataService": ("Dataservice (API)", "Data service (API)"),
    "dcat:dataset": ("Dataset", "Dataset"),
    "dcat:service": ("Dataservice", "Data service"),
    "dcat:distribution": ("Distributie", "Distribution"),
    "dcat:theme": ("Thema", "Theme"),
    "dcat:keyword": ("Trefwoord", "Keyword"),
    "dcat:contactPoint": ("Contactpunt", "Contact point"),
    "dcat:landingPage": ("Landingspagina", "Landing page"),
    "dcat:accessURL": ("Toegangs-URL", "Access URL"),
    "dcat:downloadURL": ("Download-URL", "Download URL"),
    "dcat:endpointURL": ("Endpoint-URL", "Endpoint URL"),
    "dcat:endpointDescription": ("Endpointbeschrijving", "Endpoint description"),
    "dcat:servesDataset": ("Levert dataset", "Serves dataset"),
    "dcat:accessService": ("Toegangsservice", "Access service"),
    "dcat:mediaType": ("Mediatype", "Media type"),
    "dcatap:applicableLegislation": ("Wettelijke grondslag", "Legal basis"),
    "foaf:Organization": ("Organisatie", "Organisation"),
    "foaf:name": ("Naam", "Name"),
    "foaf:homepage": ("Website", "Homepage"),
    "foaf:page": ("Webpagina", "Web page"),
    "vcard:fn": ("Naam", "Name"),
    "vcard:hasEmail": ("E-mail", "Email"),
    "vcard:hasURL": ("Website", "Website"),
    "vcard:hasTelephone": ("Telefoon", "Telephone"),
    "adms:status": ("Status", "Status"),
    "prov:generatedAtTime": ("Geladen op", "Loaded at"),
    "void:triples": ("Aantal triples", "Triples"),
    "spdx:checksum": ("Controlegetal", "Checksum"),
    "spdx:algorithm": ("Algoritme", "Algorithm"),
    "spdx:checksumValue": ("Waarde", "Value"),
    "spdx:checksumAlgorithm_sha256": ("SHA-256", "SHA-256"),
    "dct:contributor": ("Bijdrager", "Contributor"),
}

_BY_IRI: dict[str, tuple[str, str]] = {
    PREFIXES[key.split(":")[0]] + key.split(":")[1]: labels for key, labels in _TERMS.items()
}


def term_label(iri: str, lang: str) -> str | None:
    """The Dutch or English name of a well-known term, or None."""
    labels = _BY_IRI.get(iri)
    if labels is None:
        return None
    return labels[1] if lang == "en" else labels[0]
