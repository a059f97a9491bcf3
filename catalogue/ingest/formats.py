"""The one registry of input formats: what kind a source is (an NL-SBB spreadsheet, an OpenAPI
description, an RDF syntax) and how it becomes a ParsedSource. Load, validate (command line and
web) and publish ask here, so that each accepts what the others accept; harvest can adopt it by
calling `parse_input` with the feed's body."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from catalogue.ingest.rdf import ParsedSource, parse_source
from catalogue.limits import REQUEST_LIMITS, Limits
from catalogue.store.terms import RdfFormat, Triple

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


def input_kind(name: str, head: bytes, format: RdfFormat | None = None) -> str:
    """"spreadsheet", "openapi" or "rdf": by extension, and for .json/.yaml by content.
    A caller that names an RDF syntax gets "rdf"."""
    from catalogue.ingest import openapi, spreadsheet  # only who needs them pays for them

    if format is not None:
        return "rdf"
    if spreadsheet.is_spreadsheet(name):
        return "spreadsheet"
    if openapi.is_openapi(name, head):
        return "openapi"
    return "rdf"


def parse_input(data: bytes, origin: Origin) -> ParsedSource:
    """Any input we accept, parsed and mapped to triples. Raises SourceSyntaxError (file, line,
    column), InvalidDocument (JSON pointer), UnknownFormat, SourceOverLimit."""
    from catalogue.ingest import openapi, spreadsheet

    kind = input_kind(origin.name, data, origin.format)
    if kind == "spreadsheet":
        return spreadsheet.parse_spreadsheet(data, name=origin.name, uri=origin.uri,
                                             graph=origin.graph, base=origin.base)
    if kind == "openapi":
        return openapi.parse_openapi(data, name=origin.name, uri=origin.uri, graph=origin.graph,
                                     base=origin.base, publisher=origin.publisher,
                                     location=origin.location, suggest=origin.suggest)
    return parse_source(data, name=origin.name, uri=origin.uri, graph=origin.graph,
                        keep_graphs=origin.keep_graphs, format=origin.format,
                        progress=origin.progress, limits=origin.limits)


def all_triples(parsed: ParsedSource) -> list[Triple]:
    """Every triple of a source, whatever graph it names: what validation looks at."""
    return [triple for triples in parsed.graphs.values() for triple in triples]
