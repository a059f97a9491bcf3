"""RDF terms, formats and parsers: the rest of the package imports them from here, never from
pyoxigraph directly, so the RDF library sits behind `catalogue.store`."""

from __future__ import annotations

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

Term = NamedNode | BlankNode | Literal | Triple
# A term as a SELECT row holds it (RDF-star triple terms are left out of rows).
Value = NamedNode | BlankNode | Literal
Subject = NamedNode | BlankNode | Triple

__all__ = [
    "BlankNode",
    "DefaultGraph",
    "Literal",
    "NamedNode",
    "Quad",
    "QueryResultsFormat",
    "RdfFormat",
    "Subject",
    "Term",
    "Triple",
    "Value",
    "parse",
    "parse_query_results",
    "serialize",
]


def truth(term: Value) -> bool:
    """An xsd:boolean as any store answers it: "true", or 1 from Virtuoso, which keeps
    booleans as integers."""
    return str(term.value).lower() in ("true", "1")
