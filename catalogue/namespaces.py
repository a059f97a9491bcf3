"""Prefixes and namespace IRIs used across the catalogue, in one place."""

from __future__ import annotations

from functools import lru_cache

PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "isothes": "http://purl.org/iso25964/skos-thes#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatap": "http://data.europa.eu/r5r/",
    "adms": "http://www.w3.org/ns/adms#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dqv": "http://www.w3.org/ns/dqv#",
    "spdx": "http://spdx.org/rdf/terms#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "sh": "http://www.w3.org/ns/shacl#",
    "schema": "https://schema.org/",
    "cat": "https://w3id.org/catalogue/def#",
}

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dct"]
DCAT = PREFIXES["dcat"]
FOAF = PREFIXES["foaf"]
PROV = PREFIXES["prov"]
SPDX = PREFIXES["spdx"]
VOID = PREFIXES["void"]
CAT = PREFIXES["cat"]

RDF_TYPE = RDF + "type"

# Holds one provenance record per named graph. A URN so that it never moves with the base IRI.
SYSTEM_GRAPH = "urn:catalogue:graph:system"

# The IRI prefix that bundled content is written against; the loader rewrites it to {base}/id/.
BUNDLED_BASE = "https://catalogus.example.nl/id/"


def sparql_prefixes(*names: str) -> str:
    """PREFIX lines for the given prefixes (all of them when none are named)."""
    chosen = names or tuple(PREFIXES)
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in chosen)


@lru_cache(maxsize=4096)  # a report's thousands of results name a few hundred properties
def compact(iri: str) -> str:
    """`dct:title` for http://purl.org/dc/terms/title; the IRI itself when no prefix fits."""
    for name, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{name}:{iri[len(namespace):]}"
    return iri
