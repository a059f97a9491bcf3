"""The one registry of input formats: what kind a source is (an NL-SBB spreadsheet, an OpenAPI
description, an RDF syntax) and how it becomes a ParsedSource. Load, validate (command line and
web), publish and harvest ask here, so that each accepts what the others accept. A source is
known by its name (a file name, or a URL whose path ends in an extension), by the media type it
was served with, and else by its first bytes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from catalogue.errors import UnknownFormat
from catalogue.ingest.rdf import ParsedSource, detect_format, parse_source
from catalogue.limits import REQUEST_LIMITS, Limits
from catalogue.store.terms import RdfFormat, Triple

# The RDF syntaxes a Content-Type names for certain (harvested pages, fetched sources).
# application/json and the YAML types are left to the content: JSON-LD or an OpenAPI
# description; text/plain and application/octet-stream to the name and the content.
RDF_MEDIA_TYPES: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/x-turtle": RdfFormat.TURTLE,
    "application/trig": RdfFormat.TRIG,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/n-quads": RdfFormat.N_QUADS,
    "text/n3": RdfFormat.N3,
    "text/rdf+n3": RdfFormat.N3,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/xml": RdfFormat.RDF_XML,
    "text/xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
}
JSON_OR_YAML = {"application/json", "application/yaml", "application/x-yaml", "text/yaml",
                "text/x-yaml", "application/vnd.oai.openapi", "application/vnd.oai.openapi+json"}

# Label matching for OpenAPI fields (see openapi.store_suggestions): words -> concept IRIs.
Suggest = Callable[[set[str]], Mapping[str, list[str]]]


@dataclass(frozen=True)
class Origin:
    """Where a source comes from and where it goes: what every reader needs besides the bytes."""

    name: str  # file name or URL: detection by extension, and errors name it
    uri: str  # the source's own IRI (provenance, base IRI of relative IRIs)
    graph: str  # the graph its triples land in
    base: str = "urn:catalogue"  # the catalogue's base IRI, for things a mapping mints
    keep_graphs: bool = True  # RDF: keep named graphs (False: all into `graph`)
    format: RdfFormat | None = None  # an RDF syntax the caller knows (Content-Type)
    progress: bool = False
    limits: Limits = REQUEST_LIMITS
    publisher: str | None = None
    location: Path | None = None  # an OpenAPI file's place, for its relative $refs
    suggest: Suggest | None = field(default=None, compare=False)
    media_type: str | None = None  # the Content-Type a fetched source came with


def input_kind(name: str, head: bytes, format: RdfFormat | None = None,
               media_type: str | None = None) -> str:
    """"spreadsheet", "openapi" or "rdf": by extension (of a file, or of a URL's path), for
    .json/.yaml and JSON or YAML media types by content. A caller that names an RDF syntax,
    or a source served as one, gets "rdf"."""
    from catalogue.ingest import openapi, spreadsheet  # only who needs them pays for them

    if format is not None or media_type in RDF_MEDIA_TYPES:
        return "rdf"
    name = detection_name(name)
    if spreadsheet.is_spreadsheet(name):
        return "spreadsheet"
    if openapi.is_openapi(name, head) or (
            media_type in JSON_OR_YAML and openapi.has_openapi_key(head)):
        return "openapi"
    return "rdf"


def detection_name(name: str) -> str:
    """The name whose extension tells a format: a URL without its query and fragment
    (`…/catalog.ttl?page=2` is Turtle), a file name as is."""
    parts = urlsplit(name)
    if parts.scheme in ("http", "https") and parts.netloc:
        return parts._replace(query="", fragment="").geturl()
    return name


def rdf_format(data: bytes, origin: Origin) -> RdfFormat:
    """The RDF syntax of a source: named by the caller, by its media type, its extension or
    its first bytes; UnknownFormat (naming the source and its media type) otherwise."""
    if origin.format is not None:
        return origin.format
    served = RDF_MEDIA_TYPES.get(origin.media_type or "")
    if served is not None:
        return served
    try:
        return detect_format(detection_name(origin.name), data)
    except UnknownFormat as exc:
        served_as = f" (served as {origin.media_type})" if origin.media_type else ""
        reason = str(exc).split(": ", 1)[-1]
        raise UnknownFormat(f"{origin.name}{served_as}: {reason}") from None


def parse_input(data: bytes, origin: Origin) -> ParsedSource:
    """Any input we accept, parsed and mapped to triples. Raises SourceSyntaxError (file, line,
    column), InvalidDocument (JSON pointer), UnknownFormat, SourceOverLimit."""
    from catalogue.ingest import openapi, spreadsheet

    kind = input_kind(origin.name, data, origin.format, origin.media_type)
    if kind == "spreadsheet":
        return spreadsheet.parse_spreadsheet(data, name=detection_name(origin.name),
                                             uri=origin.uri, graph=origin.graph,
                                             base=origin.base)
    if kind == "openapi":
        return openapi.parse_openapi(data, name=origin.name, uri=origin.uri, graph=origin.graph,
                                     base=origin.base, publisher=origin.publisher,
                                     location=origin.location, suggest=origin.suggest)
    return parse_source(data, name=origin.name, uri=origin.uri, graph=origin.graph,
                        keep_graphs=origin.keep_graphs, format=rdf_format(data, origin),
                        progress=origin.progress, limits=origin.limits)


def all_triples(parsed: ParsedSource) -> list[Triple]:
    """Every triple of a source, whatever graph it names: what validation looks at."""
    return [triple for triples in parsed.graphs.values() for triple in triples]
