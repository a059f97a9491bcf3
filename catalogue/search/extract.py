"""Documents for the index, read from the store: which types are searchable and what of them.

Kinds and their fields are declared here; each page family may add facets by extending
`FACETS` (a predicate path per facet) or `KINDS`."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple, Protocol

from catalogue.namespaces import DCAT, DCT, FOAF, PREFIXES, RDF_TYPE, RDFS, SKOS
from catalogue.search.index import Document
from catalogue.services.labels import LABEL_PROPERTIES, language_rank
from catalogue.store.base import ReadsPatterns, Store
from catalogue.store.terms import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Term,
    Triple,
    Value,
    as_stored,
)

ADMS = PREFIXES["adms"]
ORG = PREFIXES["org"]
VCARD = PREFIXES["vcard"]

# rdf:type -> kind. The first matching type in this order wins.
KINDS: dict[str, str] = {
    SKOS + "Concept": "concept",
    SKOS + "ConceptScheme": "scheme",
    DCAT + "DataService": "api",
    DCAT + "Dataset": "dataset",
    DCAT + "DatasetSeries": "dataset",
    DCAT + "Catalog": "catalogue",
    FOAF + "Organization": "organisation",
    ORG + "Organization": "organisation",
}

PREF = (SKOS + "prefLabel", DCT + "title", FOAF + "name", RDFS + "label", VCARD + "fn")
ALT = (SKOS + "altLabel", DCAT + "keyword")
HIDDEN = (SKOS + "hiddenLabel",)
NOTATION = (SKOS + "notation", DCT + "identifier")
BODY = (SKOS + "definition", RDFS + "comment", SKOS + "scopeNote", DCT + "description",
        SKOS + "example")
MODIFIED = (DCT + "modified", DCT + "issued")

# facet name -> SPARQL property path from the resource to the facet value.
FACETS: dict[str, str] = {
    "scheme": f"<{SKOS}inScheme>|<{SKOS}topConceptOf>",
    # a begrip's broader begrippen (both directions, isothes too): the tree pages read the
    # hierarchy of a 10k-begrip kader from here in milliseconds instead of 0.4 s of SPARQL
    "broader": "|".join(f"<{SKOS}{p}>" for p in ("broader",)) + "|" + "|".join(
        f"<http://purl.org/iso25964/skos-thes#broader{k}>|^<http://purl.org/iso25964/skos-thes#"
        f"narrower{k}>" for k in ("Generic", "Partitive", "Instantial")) + f"|^<{SKOS}narrower>",
    # a begrip has its begrippenkader's publisher
    "publisher": f"<{DCT}publisher>|<{SKOS}inScheme>/<{DCT}publisher>",
    "status": f"<{ADMS}status>",
    "theme": f"<{DCAT}theme>",
    "access": f"<{DCT}accessRights>",
    "licence": f"<{DCT}license>|<{DCAT}distribution>/<{DCT}license>",
    "format": f"<{DCT}format>|<{DCAT}distribution>/<{DCT}format>",
    # the standards a dataset, API or distribution conforms to: the standards register
    # (services/standards.py) counts and lists them from here, and the lists filter by them
    "standard": f"<{DCT}conformsTo>|<{DCAT}distribution>/<{DCT}conformsTo>",
    # dataset / dataset series / data service: the "kind" facet of the dataset and API lists
    "type": f"<{RDF_TYPE}>",
    # the MQA rating band stored by `catalogue quality` (catalogue/quality/dqv.py)
    "quality": f"<{PREFIXES['dqv']}hasQualityMeasurement>/<{DCT}type>",
}

# The first steps of the facet paths above that read a facet through another resource: when
# that resource changes, the documents that reach it this way change too (see `referrers`).
VIA = (SKOS + "inScheme", SKOS + "topConceptOf", DCAT + "distribution",
       PREFIXES["dqv"] + "hasQualityMeasurement")

_BATCH = 500
# The facet value of a blank node with no name or label.
UNNAMED = "(zonder naam)"


def subjects_in_graphs(store: Store, graphs: Sequence[str]) -> set[str]:
    """IRIs of searchable resources typed in the given graphs."""
    found: set[str] = set()
    types = " ".join(f"<{t}>" for t in KINDS)
    for graph in graphs:
        rows = store.select(
            f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s a ?t }} VALUES ?t {{ {types} }} "
            f"FILTER(isIRI(?s)) }}"
        )
        found |= {row["s"].value for row in rows}
    return found


def referrers(store: Store, iris: Iterable[str]) -> set[str]:
    """IRIs of resources that read a facet through one of `iris` (see VIA)."""
    ordered = sorted(iris)
    via = "|".join(f"<{p}>" for p in VIA)
    found: set[str] = set()
    for start in range(0, len(ordered), _BATCH):
        rows = store.select(f"SELECT DISTINCT ?s WHERE {{ ?s {via} ?t FILTER(isIRI(?s)) }}",
                            {"t": [NamedNode(iri) for iri in ordered[start: start + _BATCH]]})
        found |= {row["s"].value for row in rows}
    return found


def all_subjects(store: Store) -> set[str]:
    types = " ".join(f"<{t}>" for t in KINDS)
    rows = store.select(
        f"SELECT DISTINCT ?s WHERE {{ ?s a ?t VALUES ?t {{ {types} }} FILTER(isIRI(?s)) }}"
    )
    return {row["s"].value for row in rows}


def documents(store: Store, uris: Iterable[str]) -> list[Document]:
    """The index documents of these resources, read from the union of all graphs."""
    ordered = sorted(uris)
    if isinstance(store, ReadsPatterns):
        reader = _Patterns(store)
        return [doc for uri in ordered if (doc := reader.document(uri)) is not None]
    return documents_by_query(store, ordered)


def documents_by_query(store: Store, ordered: Sequence[str]) -> list[Document]:
    """`documents` by SPARQL queries, in batches: for stores that answer only queries."""
    result: list[Document] = []
    for start in range(0, len(ordered), _BATCH):
        result += _batch(store, ordered[start : start + _BATCH])
    return result


def _batch(store: Store, uris: Sequence[str]) -> list[Document]:
    values = " ".join(f"<{uri}>" for uri in uris)
    wanted = ", ".join(f"<{p}>" for p in (*PREF, *ALT, *HIDDEN, *NOTATION, *BODY, *MODIFIED))
    props: dict[str, dict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    # FILTER(?p IN ...) rather than a second VALUES: Oxigraph joins two VALUES blocks with
    # ?s ?p ?o by scanning, 20x slower (2 s per batch of 500 begrippen).
    for row in store.select(
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o "
        f"FILTER(?p IN ({wanted}) && isLiteral(?o)) }}"
    ):
        literal = row["o"]
        assert isinstance(literal, Literal)
        props[row["s"].value][row["p"].value].append(literal)
    types: dict[str, set[str]] = defaultdict(set)
    graphs: dict[str, set[str]] = defaultdict(set)
    for row in store.select(
        f"SELECT ?s ?t ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s a ?t }} }}"
    ):
        types[row["s"].value].add(row["t"].value)
        graphs[row["s"].value].add(row["g"].value)
    facets: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, path in FACETS.items():
        for (subject, _), value in _facet_values(store, values, path).items():
            facets[subject][name].append(value)
    documents = []
    for uri in uris:
        kind = next((k for t, k in KINDS.items() if t in types[uri]), None)
        if kind is None:
            continue
        documents.append(_document(uri, kind, sorted(graphs[uri]), props[uri], facets[uri]))
    return documents


def _facet_values(store: Store, values: str, path: str) -> dict[tuple[str, str], str]:
    """(subject, value) -> the facet value to index. A blank node (a CKAN export's
    `dct:publisher [ foaf:name "Gemeente X" ]`) has no name that lasts beyond the store, so it
    is indexed by its label: the same name from several blank nodes is one facet value, and
    pages show it as it is, with no IRI to look up."""
    wanted = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    best: dict[tuple[str, str], tuple[int, int, str]] = {}
    for row in store.select(
        f"SELECT DISTINCT ?s ?v ?p ?l WHERE {{ VALUES ?s {{ {values} }} ?s {path} ?v "
        f"OPTIONAL {{ ?v ?p ?l FILTER(isBlank(?v) && isLiteral(?l) && ?p IN ({wanted})) }} }}"
    ):
        value, label = row["v"], row.get("l")
        key = (row["s"].value, value.value)
        if not isinstance(value, BlankNode):
            best[key] = (0, 0, value.value)
            continue
        rank = (len(LABEL_PROPERTIES), 0, UNNAMED)
        if isinstance(label, Literal):
            rank = (LABEL_PROPERTIES.index(row["p"].value),
                    language_rank(label.language, "nl"), label.value.strip() or UNNAMED)
        if key not in best or rank < best[key]:
            best[key] = rank
    return {key: entry[2] for key, entry in best.items()}


Step = tuple[NamedNode, bool]  # a predicate, and whether it is followed backwards


def _alternatives(path: str) -> list[list[Step]]:
    """A FACETS path (alternatives of sequences of IRIs, some inverse) as steps."""
    alternatives: list[list[Step]] = [[]]
    for inverse, iri, separator in _STEP.findall(path):
        alternatives[-1].append((NamedNode(iri), inverse == "^"))
        if separator == "|":
            alternatives.append([])
    # Only plain paths are read this way: anything else in FACETS must be added here first.
    assert not _STEP.sub("", path) and alternatives[-1], f"not a plain path: {path}"
    return alternatives


_STEP = re.compile(r"(\^?)<([^>]*)>([/|]?)")
_PATHS = {name: _alternatives(path) for name, path in FACETS.items()}
_WANTED = frozenset((*PREF, *ALT, *HIDDEN, *NOTATION, *BODY, *MODIFIED))
_LABELS = {iri: rank for rank, iri in enumerate(LABEL_PROPERTIES)}


class _Patterns:
    """Documents read by triple patterns: the same documents the queries of `_batch` give
    (tests/search/test_extract.py compares them), without a query plan per resource and
    facet. Lookups of other resources (a begrip's kader, a dataset's distributions) are
    kept for the reader's life, one `documents` call."""

    def __init__(self, store: ReadsPatterns | _Source) -> None:
        self.store = store
        self._steps: dict[tuple[str, bool, str, str], list[Value]] = {}

    def document(self, uri: str) -> Document | None:
        subject = NamedNode(uri)
        props: dict[str, list[Literal]] = defaultdict(list)
        out: dict[str, list[Value]] = defaultdict(list)
        types: set[str] = set()
        graphs: set[str] = set()
        for quad in self.store.quads(subject, None, None):
            predicate, value = quad.predicate.value, quad.object
            if isinstance(value, Triple):
                continue
            out[predicate].append(value)
            if predicate == RDF_TYPE and isinstance(quad.graph_name, NamedNode):
                types.add(value.value)
                graphs.add(quad.graph_name.value)
            elif predicate in _WANTED and isinstance(value, Literal):
                props[predicate].append(value)
        kind = next((k for t, k in KINDS.items() if t in types), None)
        if kind is None:
            return None
        facets: dict[str, list[str]] = {}
        for name, alternatives in _PATHS.items():
            values = self._facet(subject, out, alternatives)
            if values:
                facets[name] = values
        return _document(uri, kind, sorted(graphs), props, facets)

    def _facet(self, subject: NamedNode, out: dict[str, list[Value]],
               alternatives: list[list[Step]]) -> list[str]:
        best: dict[str, tuple[int, int, str]] = {}
        for steps in alternatives:
            predicate, inverse = steps[0]
            frontier = self._step(subject, predicate, inverse) if inverse \
                else out.get(predicate.value)
            if not frontier:
                continue
            for predicate, inverse in steps[1:]:
                frontier = [found for node in frontier
                            for found in self._step(node, predicate, inverse)]
            for value in frontier:
                rank = self._rank(value)
                if value.value not in best or rank < best[value.value]:
                    best[value.value] = rank
        return [entry[2] for entry in best.values()]

    def _step(self, node: Value, predicate: NamedNode, inverse: bool) -> list[Value]:
        if isinstance(node, Literal):
            return []
        key = (predicate.value, inverse, type(node).__name__, node.value)
        found = self._steps.get(key)
        if found is None:
            quads = self.store.quads(None, predicate, node) if inverse \
                else self.store.quads(node, predicate, None)
            found = [term for quad in quads
                     if not isinstance(term := quad.subject if inverse else quad.object, Triple)]
            self._steps[key] = found
        return found

    def _rank(self, value: Value) -> tuple[int, int, str]:
        """As `_facet_values` ranks a value: an IRI or literal as itself, a blank node by its
        best label."""
        if not isinstance(value, BlankNode):
            return (0, 0, value.value)
        ranks = [(index, language_rank(label.language, "nl"), label.value.strip() or UNNAMED)
                 for quad in self.store.quads(value, None, None)
                 if (index := _LABELS.get(quad.predicate.value)) is not None
                 and isinstance(label := quad.object, Literal)]
        return min(ranks, default=(len(LABEL_PROPERTIES), 0, UNNAMED))


def new_documents(store: Store, graphs: Mapping[str, Sequence[Triple]]
                  ) -> tuple[list[str], Iterator[Document]]:
    """The documents of the resources typed in graphs that the store does not hold yet, as
    they will be once these are written: read from the triples and from the store's other
    graphs, so a large load needs not read its own triples back from the store (and may make
    them while the store writes those graphs). The URIs first; the documents are made as
    they are read."""
    memory = _Memory(graphs, store if isinstance(store, ReadsPatterns) else None)
    reader = _Patterns(memory)
    uris = sorted(memory.typed())
    return uris, (doc for uri in uris if (doc := reader.document(uri)) is not None)


_INVERSE = frozenset(predicate.value for alternatives in _PATHS.values()
                     for steps in alternatives for predicate, inverse in steps if inverse)


class _Memory:
    """Triple patterns over new graphs' triples (by subject, and by object for the
    predicates facets follow backwards) and the store's own answers."""

    def __init__(self, graphs: Mapping[str, Sequence[Triple]],
                 store: ReadsPatterns | None) -> None:
        self.store = store
        self.graphs = frozenset(graphs)
        self._inverse_predicates: set[str] = set()
        self._predicates: dict[str, bool] = {}
        self.by_subject: dict[tuple[bool, str], list[_Stated]] = defaultdict(list)
        self.by_object: dict[tuple[bool, str], list[_Stated]] = defaultdict(list)
        self._types: set[str] = set()
        kinds = frozenset(KINDS)
        # literals that may be stored otherwise: where each is, and the literal
        typed: list[tuple[list[_Stated], int, Literal]] = []
        for graph, triples in graphs.items():
            name = NamedNode(graph)
            for triple in triples:
                subject, predicate, value = triple.subject, triple.predicate, triple.object
                if isinstance(subject, Triple):
                    continue
                # a tuple, not a pyoxigraph Quad: making 300k of those took seconds
                quad = _Stated(subject, predicate, value, name)
                found = self.by_subject[_key(subject)]
                found.append(quad)
                iri = predicate.value
                if iri in _INVERSE and not isinstance(value, Literal | Triple):
                    self.by_object[_key(value)].append(quad)
                    self._inverse_predicates.add(iri)
                elif (iri == RDF_TYPE and isinstance(subject, NamedNode)
                      and isinstance(value, NamedNode) and value.value in kinds):
                    self._types.add(subject.value)
                elif iri in _WANTED and isinstance(value, Literal) and value.language is None:
                    typed.append((found, len(found) - 1, value))
        # A dct:modified of "…T19:01:24.184120" is "…T19:01:24.18412" once stored: the
        # documents hold values as a rebuild from the store reads them.
        stored = as_stored(literal for _, _, literal in typed)
        for found, at, literal in typed:
            canonical = stored.get(literal)
            if canonical is not None:
                found[at] = found[at]._replace(object=canonical)

    def typed(self) -> set[str]:
        return self._types

    def _used_backwards(self, predicate: NamedNode) -> bool:
        """Whether any triple, new or in the store's other graphs, has this predicate (asked
        once per predicate, not once per resource)."""
        used = self._predicates.get(predicate.value)
        if used is None:
            used = predicate.value in self._inverse_predicates or (
                self.store is not None and next(self._stored(None, predicate, None), None)
                is not None)
            self._predicates[predicate.value] = used
        return used

    def _stored(self, subject: Term | None, predicate: Term | None,
                object: Term | None) -> Iterator[QuadLike]:
        """The store's quads, not of the new graphs themselves, as far as the store holds them
        already: a write of them may be under way."""
        assert self.store is not None
        for stored in self.store.quads(subject, predicate, object):
            name = stored.graph_name
            if not (isinstance(name, NamedNode) and name.value in self.graphs):
                yield stored

    def quads(self, subject: Term | None, predicate: Term | None,
              object: Term | None) -> Iterator[QuadLike]:
        if subject is not None and not isinstance(subject, Literal | Triple):
            found = self.by_subject.get(_key(subject), [])
        elif object is not None and not isinstance(object, Literal | Triple):
            if isinstance(predicate, NamedNode) and not self._used_backwards(predicate):
                return  # most facets' backward steps, for most resources
            found = self.by_object.get(_key(object), [])
        else:
            raise ValueError("a pattern needs a subject, or an object followed backwards")
        for quad in found:
            if ((predicate is None or quad.predicate == predicate)
                    and (object is None or quad.object == object)
                    and (subject is None or quad.subject == subject)):
                yield quad
        if self.store is not None:
            yield from self._stored(subject, predicate, object)


class QuadLike(Protocol):
    """What `_Patterns` reads of a quad: a pyoxigraph Quad, or a `_Stated`."""

    @property
    def subject(self) -> NamedNode | BlankNode | Triple: ...
    @property
    def predicate(self) -> NamedNode: ...
    @property
    def object(self) -> NamedNode | BlankNode | Literal | Triple: ...
    @property
    def graph_name(self) -> NamedNode | BlankNode | DefaultGraph: ...


class _Stated(NamedTuple):
    subject: NamedNode | BlankNode
    predicate: NamedNode
    object: NamedNode | BlankNode | Literal | Triple
    graph_name: NamedNode


class _Source(Protocol):
    def quads(self, subject: Term | None, predicate: Term | None,
              object: Term | None) -> Iterator[QuadLike]: ...


def _key(term: NamedNode | BlankNode) -> tuple[bool, str]:
    return isinstance(term, BlankNode), term.value


def _document(
    uri: str,
    kind: str,
    graphs: list[str],
    props: dict[str, list[Literal]],
    facets: dict[str, list[str]],
) -> Document:
    def texts(predicates: Sequence[str]) -> list[Literal]:
        # Each value once, in one order whatever order the store gave them in (and a triple in
        # two graphs once): a rebuild gives the same document as the write did.
        return [literal for p in predicates if (found := props.get(p))
                for literal in _distinct(found)]

    pref = texts(PREF)
    labels: dict[str, str] = {}
    for literal in pref:  # the first property in PREF order wins per language
        labels.setdefault((literal.language or "").split("-")[0], literal.value)
    if not labels:
        labels[""] = uri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
    body = texts(BODY)
    languages = {(lit.language or "").split("-")[0] for lit in pref + body} - {""}
    modified = max((lit.value for lit in texts(MODIFIED)), default=None)
    return Document(
        uri=uri,
        kind=kind,
        graphs=graphs,
        labels=labels,
        pref=[lit.value for lit in pref],
        alt=[lit.value for lit in texts(ALT)],
        hidden=[lit.value for lit in texts(HIDDEN)],
        notation=[lit.value for lit in texts(NOTATION)],
        body=[lit.value for lit in body],
        snippet=_snippet(body),
        facets={**facets, "language": sorted(languages)},
        modified=modified,
    )


def _distinct(literals: list[Literal]) -> list[Literal]:
    found = {(lit.language or "", lit.value, lit.datatype.value): lit for lit in literals}
    return [found[key] for key in sorted(found)]


_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]{1,200}>")


def _snippet(body: list[Literal], size: int = 240) -> str:
    """A short plain text: descriptions from OpenAPI documents are Markdown with HTML in it."""
    preferred = sorted(body, key=lambda lit: (lit.language or "") not in ("nl", ""))
    text = preferred[0].value if preferred else ""
    text = " ".join(_TAG.sub(" ", _MARKDOWN_LINK.sub(r"\1", text)).split())
    return text if len(text) <= size else text[: size - 1].rsplit(" ", 1)[0] + "…"


__all__ = [
    "all_subjects", "documents", "documents_by_query", "new_documents", "referrers",
    "subjects_in_graphs",
]
