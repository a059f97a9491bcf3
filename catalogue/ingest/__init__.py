"""Sources in, graphs out: parse and map each source, check it, write it in one transaction."""

from catalogue.ingest.load import LoadResult, load_sources
from catalogue.ingest.rdf import ParsedSource, detect_format, parse_source

__all__ = ["LoadResult", "ParsedSource", "detect_format", "load_sources", "parse_source"]
