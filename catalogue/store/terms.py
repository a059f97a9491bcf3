"""RDF terms, formats and parsers: the rest of the package imports them from here, never from
pyoxigraph directly, so the RDF library sits behind `catalogue.store`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)
from pyoxigraph import serialize as _serialize

from catalogue.namespaces import RDF, XSD

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
    "as_stored",
    "parse",
    "parse_query_results",
    "serialize",
]


def truth(term: Value) -> bool:
    """An xsd:boolean as any store answers it: "true", or 1 from Virtuoso, which keeps
    booleans as integers."""
    return str(term.value).lower() in ("true", "1")


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def serialize(input: Iterable[Triple] | Iterable[Quad], output: Any = None,
              format: RdfFormat | None = None, *, prefixes: Mapping[str, str] | None = None,
              base_iri: str | None = None) -> bytes | None:
    """pyoxigraph's serialize, except that JSON-LD of triples with prefixes is compacted with
    those prefixes as its @context (pyoxigraph writes expanded JSON-LD, which nobody reads)."""
    if format == RdfFormat.JSON_LD and output is None and prefixes:
        items: list[Triple | Quad] = list(input)
        if all(isinstance(item, Triple) or isinstance(item.graph_name, DefaultGraph)
               for item in items):
            return compact_jsonld(items, prefixes)
        input = items  # type: ignore[assignment]  # quads in named graphs: as pyoxigraph writes
    return _serialize(input, output, format, prefixes=dict(prefixes) if prefixes else None,
                      base_iri=base_iri)


def compact_jsonld(triples: Iterable[Triple | Quad], prefixes: Mapping[str, str]
                   ) -> bytes:
    """Compacted JSON-LD: one node object per subject under @graph, properties and types as
    prefixed names of `prefixes` (the @context, as published at /context.jsonld), one value
    without a list, strings without @type."""
    nodes: dict[str, dict[str, Any]] = {}
    for triple in triples:
        subject = _node_id(triple.subject)
        node = nodes.setdefault(subject, {"@id": subject})
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, NamedNode):
            _add(node, "@type", _compact(triple.object.value, prefixes))
        else:
            _add(node, _compact(triple.predicate.value, prefixes),
                 _value(triple.object, prefixes))
    document = {"@context": dict(prefixes), "@graph": list(nodes.values())}
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _node_id(term: Any) -> str:
    return f"_:{term.value}" if isinstance(term, BlankNode) else str(term.value)


def _compact(iri: str, prefixes: Mapping[str, str]) -> str:
    for prefix, namespace in prefixes.items():
        local = iri[len(namespace):]
        if iri.startswith(namespace) and local and not local.startswith("//"):
            return f"{prefix}:{local}"
    return iri


def _value(term: Any, prefixes: Mapping[str, str]) -> Any:
    if isinstance(term, Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": _compact(term.datatype.value, prefixes)}
    return {"@id": _node_id(term)}


def _add(node: dict[str, Any], key: str, value: Any) -> None:
    if key not in node:
        node[key] = value
    elif isinstance(node[key], list):
        node[key].append(value)
    else:
        node[key] = [node[key], value]


_PLAIN = frozenset({XSD + "string", RDF + "langString"})


def as_stored(literals: Iterable[Literal]) -> dict[Literal, Literal]:
    """Each typed literal as the store gives it back once written: Oxigraph keeps values of
    the XSD types it knows and writes them in canonical form ("…24.184120" as "…24.18412",
    "+00:00" as "Z", "012"^^xsd:integer as "12"). Plain and language-tagged strings stay as
    they are and are left out."""
    wanted = list(dict.fromkeys(lit for lit in literals if lit.datatype.value not in _PLAIN))
    if not wanted:
        return {}
    store = Store()
    store.extend(Quad(NamedNode(f"urn:n:{n}"), NamedNode("urn:p"), literal)
                 for n, literal in enumerate(wanted))
    found: dict[Literal, Literal] = {}
    for quad in store:
        literal = quad.object
        assert isinstance(literal, Literal)
        found[wanted[int(quad.subject.value[6:])]] = literal
    return found
