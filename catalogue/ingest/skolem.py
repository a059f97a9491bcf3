"""Datasets, data services, catalogues and begrippen written as blank nodes get an IRI of their
own (a Skolem IRI, RDF 1.1 Concepts 3.5): as blank nodes they were stored, yet no list, search,
page or /catalog feed could name them (opendata.swiss's DCAT-AP-CH exports write every dataset
so). The IRI is `{base}/.well-known/genid/{digest}`, the digest of the graph and the node's own
statements: the same record loaded again gets the same IRI, so its page stays where it was.
Other blank nodes (contact points, a CKAN publisher, checksums) stay blank nodes."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import MutableMapping

from catalogue.namespaces import DCAT, RDF_TYPE, SKOS
from catalogue.store.terms import BlankNode, NamedNode, Triple

# The kinds a list, a search or a page shows (catalogue.search.extract.KINDS) that a record
# stands for; organisations stay out (a CKAN export's blank-node publisher per dataset would
# become as many organisations).
RECORD_TYPES = frozenset({DCAT + "Dataset", DCAT + "DatasetSeries", DCAT + "DataService",
                          DCAT + "Catalog", SKOS + "Concept", SKOS + "ConceptScheme"})


def skolemise(graphs: MutableMapping[str, list[Triple]], base: str) -> None:
    """Give each blank node typed as a record in `graphs` its Skolem IRI, in place."""
    for graph, triples in graphs.items():
        records = {t.subject for t in triples if isinstance(t.subject, BlankNode)
                   and t.predicate.value == RDF_TYPE and isinstance(t.object, NamedNode)
                   and t.object.value in RECORD_TYPES}
        if not records:
            continue
        own: dict[BlankNode, list[str]] = defaultdict(list)
        for t in triples:
            if isinstance(t.subject, BlankNode) and t.subject in records:
                value = "_:" if isinstance(t.object, BlankNode) else str(t.object)
                own[t.subject].append(f"{t.predicate} {value}")
        iris = {node: NamedNode(f"{base.rstrip('/')}/.well-known/genid/" + hashlib.sha256(
                    "\n".join([graph, *sorted(lines)]).encode("utf-8")).hexdigest()[:24])
                for node, lines in own.items()}
        triples[:] = [_renamed(t, iris) for t in triples]


def _renamed(triple: Triple, iris: dict[BlankNode, NamedNode]) -> Triple:
    subject, value = triple.subject, triple.object
    named = iris.get(subject, subject) if isinstance(subject, BlankNode) else subject
    named_value = iris.get(value, value) if isinstance(value, BlankNode) else value
    if named is subject and named_value is value:
        return triple
    return Triple(named, triple.predicate, named_value)
