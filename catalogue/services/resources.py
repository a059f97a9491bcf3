"""The resource page of any IRI in the store: its description, labels and inbound links."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from catalogue.errors import NotFound
from catalogue.namespaces import RDF_TYPE, SYSTEM_GRAPH, XSD, compact
from catalogue.services.labels import fallback_label, labels_for, language_rank
from catalogue.services.term_labels import term_label
from catalogue.store.base import Store
from catalogue.store.terms import BlankNode, Literal, NamedNode, Term, Triple

INBOUND_LIMIT = 200


@dataclass(frozen=True)
class Value:
    """One value as a page shows it: text, the IRI it links to, or nested properties."""

    text: str
    iri: str | None = None
    language: str | None = None
    datatype: str | None = None
    nested: tuple[PropertyValues, ...] = ()


@dataclass(frozen=True)
class PropertyValues:
    predicate: str
    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Inbound:
    subject: Value
    predicate: str
    label: str


@dataclass(frozen=True)
class ResourcePage:
    iri: str
    label: str
    types: tuple[Value, ...]
    properties: tuple[PropertyValues, ...]
    inbound: tuple[Inbound, ...]
    inbound_truncated: bool
    graphs: tuple[str, ...] = field(default=())


def describe(store: Store, iri: str) -> list[Triple]:
    """The concise bounded description of an IRI (its triples and those of its blank nodes)."""
    return store.construct("DESCRIBE ?iri WHERE {}", {"iri": iri})


def exists(store: Store, iri: str) -> bool:
    return store.ask(
        "ASK WHERE { { ?iri ?p ?o } UNION { ?s ?p ?iri } UNION { ?s ?iri ?o } }", {"iri": iri}
    )


def types_of(store: Store, iri: str) -> set[str]:
    """The rdf:types of an IRI (which pick its page on /resource and /doc/)."""
    return {row["t"].value for row in store.select(
        f"SELECT ?t WHERE {{ ?iri <{RDF_TYPE}> ?t }} LIMIT 50", {"iri": iri})}


def resource_page(store: Store, iri: str, *, lang: str) -> ResourcePage:
    triples = describe(store, iri)
    inbound_rows = store.select(
        f"SELECT ?s ?p WHERE {{ ?s ?p ?iri }} LIMIT {INBOUND_LIMIT + 1}", {"iri": iri}
    )
    if not triples and not inbound_rows and not exists(store, iri):
        raise NotFound(f"no resource <{iri}> in the catalogue", subject=iri)
    truncated = len(inbound_rows) > INBOUND_LIMIT
    # Sorted before the cut, so the same rows give the same page whatever order a store (or
    # the neighbourhood copy of a remote one, services/nearby.py) returned them in.
    inbound_rows = sorted(inbound_rows, key=lambda r: (r["p"].value, r["s"].value)
                          )[:INBOUND_LIMIT]
    iris = {iri} | {t.predicate.value for t in triples}
    iris |= {t.object.value for t in triples if isinstance(t.object, NamedNode)}
    iris |= {row["s"].value for row in inbound_rows if isinstance(row["s"], NamedNode)}
    iris |= {row["p"].value for row in inbound_rows}
    labels = labels_for(store, iris, lang)
    shape = _Shaper(triples, labels, lang)
    own = shape.properties(NamedNode(iri))
    types = next((p.values for p in own if p.predicate == RDF_TYPE), ())
    graphs = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?iri ?p ?o } }", {"iri": iri})
    return ResourcePage(
        iri=iri,
        label=labels.get(iri) or fallback_label(iri),
        types=types,
        properties=tuple(p for p in own if p.predicate != RDF_TYPE),
        inbound=tuple(
            Inbound(shape.value(row["s"]), row["p"].value, shape.predicate_label(row["p"].value))
            for row in sorted(inbound_rows, key=lambda r: (r["p"].value, r["s"].value))
        ),
        inbound_truncated=truncated,
        # The system graph has no page of its own (its records show on /graphs).
        graphs=tuple(sorted(row["g"].value for row in graphs if row["g"].value != SYSTEM_GRAPH)),
    )


class _Shaper:
    """Turns a description's triples into nested plain values, labels resolved."""

    def __init__(self, triples: list[Triple], labels: dict[str, str], lang: str) -> None:
        self.by_subject: dict[Term, list[Triple]] = defaultdict(list)
        for triple in triples:
            self.by_subject[triple.subject].append(triple)
        self.labels = labels
        self.lang = lang

    def properties(self, subject: Term, depth: int = 0) -> tuple[PropertyValues, ...]:
        grouped: dict[str, list[Term]] = defaultdict(list)
        for triple in self.by_subject.get(subject, []):
            grouped[triple.predicate.value].append(triple.object)
        return tuple(
            PropertyValues(
                predicate,
                self.predicate_label(predicate),
                tuple(sorted((self.value(o, depth) for o in objects), key=self._order)),
            )
            for predicate, objects in sorted(grouped.items(), key=lambda kv: _pred_order(kv[0]))
        )

    def value(self, term: Term, depth: int = 0) -> Value:
        if isinstance(term, NamedNode):
            iri = term.value
            text = term_label(iri, self.lang) or self.labels.get(iri) or fallback_label(iri)
            return Value(text, iri=iri)
        if isinstance(term, Literal):
            datatype = term.datatype.value
            shown = None if datatype in (XSD + "string", _LANG_STRING) else compact(datatype)
            return Value(term.value, language=term.language, datatype=shown)
        if isinstance(term, BlankNode) and depth < 4:
            return Value("", nested=self.properties(term, depth + 1))
        return Value(str(term))

    def predicate_label(self, predicate: str) -> str:
        return term_label(predicate, self.lang) or self.labels.get(predicate) or compact(predicate)

    def _order(self, value: Value) -> tuple[int, str]:
        return (language_rank(value.language, self.lang), value.text.casefold())


_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_FIRST = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://purl.org/dc/terms/description",
)


def _pred_order(predicate: str) -> tuple[int, str]:
    rank = _FIRST.index(predicate) if predicate in _FIRST else len(_FIRST)
    return (rank, compact(predicate))

