"""The controlled vocabularies MQA checks against, bundled as constants (no download at run time).

- EU file types: membership of the NAL is judged by the IRI form (the authority prefix and an
  upper-case code); the lists of non-proprietary and machine-readable codes are a short,
  hand-picked selection of the common ones (data.europa.eu keeps longer lists).
- IANA media types: the IANA assignments IRI with a type/subtype.
- Licences: the EU licence NAL, and the Geonovum licence list DCAT-AP-NL requires (each entry
  maps to an EU licence, so MQA's `knownLicence` counts it as known).
- Access rights: the EU access-right NAL.
"""

from __future__ import annotations

import re

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LICENCE = "http://publications.europa.eu/resource/authority/licence/"
ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
GEONOVUM_LICENCE = "https://definities.geostandaarden.nl/dcat-ap-nl/id/waardelijst/licenties/"
IANA = re.compile(r"^https?://www\.iana\.org/assignments/media-types/([a-z]+/[A-Za-z0-9.+_-]+)$")
_FILE_TYPE_CODE = re.compile(r"^[A-Z0-9_]+$")

ACCESS_RIGHTS = frozenset(
    ACCESS_RIGHT + code
    for code in ("PUBLIC", "RESTRICTED", "NON_PUBLIC", "CONFIDENTIAL", "SENSITIVE", "NORMAL",
                 "OP_DATPRO")
)

# EU file-type codes of open (non-proprietary) formats.
NON_PROPRIETARY = frozenset({
    "CSV", "TSV", "JSON", "JSON_LD", "GEOJSON", "XML", "RDF", "RDF_XML", "RDF_TURTLE",
    "RDF_N_TRIPLES", "RDF_N_QUADS", "RDF_TRIG", "N3", "TXT", "HTML", "ODS", "ODT", "ODF", "PDFA1A",
    "GML", "GPKG", "KML", "KMZ", "WMS_SRVC", "WFS_SRVC", "ATOM", "RSS", "YAML", "PARQUET", "PNG",
    "SVG", "GTFS", "NETCDF", "ZIP", "GZIP", "TAR", "JPEG2000", "TIFF", "GEOTIFF", "SPARQLQ",
    "OWL", "SKOS_XML", "MAP_SRVC",
})
# EU file-type codes a program can read the content of without a human (not PDF, not images).
MACHINE_READABLE = frozenset({
    "CSV", "TSV", "JSON", "JSON_LD", "GEOJSON", "XML", "RDF", "RDF_XML", "RDF_TURTLE",
    "RDF_N_TRIPLES", "RDF_N_QUADS", "RDF_TRIG", "N3", "ODS", "XLS", "XLSX", "GML", "GPKG", "KML",
    "KMZ", "SHP", "WMS_SRVC", "WFS_SRVC", "ATOM", "RSS", "YAML", "PARQUET", "GTFS", "NETCDF",
    "SPARQLQ", "OWL", "SKOS_XML", "DBF", "MDB", "GEOTIFF",
})
# IANA media types, as EU file-type codes, for distributions that give only a media type.
MEDIA_TYPE_CODES = {
    "text/csv": "CSV", "text/tab-separated-values": "TSV", "application/json": "JSON",
    "application/ld+json": "JSON_LD", "application/geo+json": "GEOJSON",
    "application/vnd.geo+json": "GEOJSON", "application/xml": "XML", "text/xml": "XML",
    "application/rdf+xml": "RDF_XML", "text/turtle": "RDF_TURTLE",
    "application/n-triples": "RDF_N_TRIPLES", "application/n-quads": "RDF_N_QUADS",
    "application/trig": "RDF_TRIG", "text/plain": "TXT", "text/html": "HTML",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS", "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/gml+xml": "GML", "application/geopackage+sqlite3": "GPKG",
    "application/vnd.google-earth.kml+xml": "KML", "application/yaml": "YAML",
    "application/vnd.apache.parquet": "PARQUET", "application/zip": "ZIP",
    "application/pdf": "PDF", "image/png": "PNG", "image/tiff": "TIFF",
    "application/atom+xml": "ATOM", "application/rss+xml": "RSS",
}


def file_type_code(value: str) -> str | None:
    """The EU file-type code of a dct:format IRI in the NAL ('CSV'), else None."""
    if value.startswith(FILE_TYPE):
        code = value[len(FILE_TYPE):]
        return code if _FILE_TYPE_CODE.match(code) else None
    return None


def media_type(value: str) -> str | None:
    """'text/csv' for an IANA media-type IRI, else None."""
    found = IANA.match(value)
    return found.group(1).lower() if found else None


def format_codes(formats: list[str], media_types: list[str]) -> set[str]:
    """EU file-type codes a distribution is in, from its formats (IRI or a plain code such as
    'CSV') and its media types (IRI or plain 'text/csv')."""
    codes = set()
    for value in formats:
        code = file_type_code(value) or value.rsplit("/", 1)[-1].upper().replace("-", "_")
        codes.add(code)
    for value in media_types:
        plain = media_type(value) or value.strip().lower()
        if plain in MEDIA_TYPE_CODES:
            codes.add(MEDIA_TYPE_CODES[plain])
    return codes


def known_licence(value: str) -> bool:
    return (value.startswith(LICENCE) or value.startswith(GEONOVUM_LICENCE)) \
        and len(value.rsplit("/", 1)[-1]) > 0
