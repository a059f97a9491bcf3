"""Provenance records of named graphs, as triples in the system graph (PROV, DCTERMS, SPDX,
VoID)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from catalogue.namespaces import CAT, DCT, PROV, RDF_TYPE, SPDX, SYSTEM_GRAPH, VOID, XSD
from catalogue.store.base import GraphRecord, Row
from catalogue.store.terms import BlankNode, Literal, NamedNode, Triple

if TYPE_CHECKING:
    from catalogue.store.base import Store

_SHA256 = NamedNode(SPDX + "checksumAlgorithm_sha256")


def record_triples(records: Iterable[GraphRecord]) -> list[Triple]:
    """The triples that describe each graph's provenance."""
    triples: list[Triple] = []
    for record in records:
        graph = NamedNode(record.graph)
        checksum = BlankNode()
        triples += [
            Triple(graph, NamedNode(RDF_TYPE), NamedNode(CAT + "SourceGraph")),
            Triple(graph, NamedNode(DCT + "source"), NamedNode(record.source)),
            Triple(
                graph,
                NamedNode(PROV + "generatedAtTime"),
                Literal(record.loaded_at.isoformat(), datatype=NamedNode(XSD + "dateTime")),
            ),
            Triple(
                graph,
                NamedNode(VOID + "triples"),
                Literal(str(record.triples), datatype=NamedNode(XSD + "integer")),
            ),
            Triple(graph, NamedNode(SPDX + "checksum"), checksum),
            Triple(checksum, NamedNode(SPDX + "algorithm"), _SHA256),
            Triple(checksum, NamedNode(SPDX + "checksumValue"), Literal(record.content_hash)),
        ]
        if record.publisher:
            triples.append(Triple(graph, NamedNode(DCT + "publisher"), NamedNode(record.publisher)))
    return triples


def delete_record_update(graph: str) -> str:
    """SPARQL update operations that remove one graph's provenance record."""
    return (
        f"DELETE WHERE {{ GRAPH <{SYSTEM_GRAPH}> "
        f"{{ <{graph}> <{SPDX}checksum> ?c . ?c ?cp ?co }} }} ;\n"
        f"DELETE WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ <{graph}> ?p ?o }} }}"
    )


RECORDS_QUERY = f"""
SELECT ?graph ?source ?publisher ?at ?hash ?triples WHERE {{
  GRAPH <{SYSTEM_GRAPH}> {{
    ?graph a <{CAT}SourceGraph> ; <{DCT}source> ?source ; <{PROV}generatedAtTime> ?at ;
           <{VOID}triples> ?triples ; <{SPDX}checksum>/<{SPDX}checksumValue> ?hash .
    OPTIONAL {{ ?graph <{DCT}publisher> ?publisher }}
  }}
}} ORDER BY ?graph
"""


def read_records(store: Store) -> list[GraphRecord]:
    return [_record(row) for row in store.select(RECORDS_QUERY)]


def _record(row: Row) -> GraphRecord:
    publisher = row.get("publisher")
    return GraphRecord(
        graph=_value(row["graph"]),
        source=_value(row["source"]),
        publisher=_value(publisher) if publisher is not None else None,
        loaded_at=datetime.fromisoformat(_value(row["at"])),
        content_hash=_value(row["hash"]),
        triples=int(_value(row["triples"])),
    )


def _value(term: object) -> str:
    return str(getattr(term, "value", term))
