"""A resource and its neighbours, two steps out at most, as a picture: broader, narrower and
related begrippen, mappings to other registers, the kader a begrip is in, the begrippen a dataset
or an API's fields carry, and who publishes what. Drawn as SVG on the server (works without
JavaScript, prints), each node a link, with the same relations as a text list beside it.

Two queries (one per step out) and one for labels and kinds; bounded: at most RING_ONE
neighbours, and RING_TWO_EACH of each of theirs."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from catalogue.namespaces import CAT, DCAT, DCT, RDF_TYPE, SKOS
from catalogue.services.labels import LABEL_PROPERTIES, Labels, fallback_label
from catalogue.store.base import Store
from catalogue.store.terms import Literal, NamedNode

RING_ONE = 16
RING_TWO_EACH = 2
_MATCHES = tuple(SKOS + m for m in
                 ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"))
# What a link is called from the resource at its start (OUTGOING) and at its end (INCOMING).
# skos:inScheme is not followed back: a kader's begrippen are many, and from a kader only its
# top begrippen are drawn (skos:topConceptOf read backwards).
OUTGOING: dict[str, str] = {
    SKOS + "broader": "broader", SKOS + "narrower": "narrower", SKOS + "related": "related",
    **{match: "mapping" for match in _MATCHES},
    SKOS + "topConceptOf": "kader", SKOS + "inScheme": "kader",
    DCAT + "theme": "theme", DCT + "subject": "theme", DCT + "publisher": "publisher",
}
INCOMING: dict[str, str] = {
    SKOS + "broader": "narrower", SKOS + "narrower": "broader", SKOS + "related": "related",
    **{match: "mapping" for match in _MATCHES},
    SKOS + "topConceptOf": "top", DCAT + "theme": "used-by", DCT + "subject": "used-by",
    DCT + "publisher": "publishes",
}
# The begrippen an API's fields carry: an API's operation, its field, the field's begrip.
_CARRIES = f"<{CAT}operation> ?operation . ?operation <{CAT}field> ?field . " \
    f"?field <{CAT}concept>"
_CARRIES_MARK = "urn:catalogue:relation:carries"
KINDS = {SKOS + "Concept": "begrip", SKOS + "ConceptScheme": "kader", DCAT + "Dataset": "dataset",
         DCAT + "DatasetSeries": "dataset", DCAT + "DataService": "api",
         "http://xmlns.com/foaf/0.1/Organization": "organisatie",
         "http://www.w3.org/ns/org#Organization": "organisatie",
         "http://xmlns.com/foaf/0.1/Agent": "organisatie"}
_KIND_ORDER = {kind: n for n, kind in enumerate(dict.fromkeys(KINDS.values()))}
_LABEL_TERMS = tuple(NamedNode(p) for p in LABEL_PROPERTIES)
_TYPE = NamedNode(RDF_TYPE)


@dataclass(frozen=True)
class Node:
    iri: str
    label: str
    kind: str  # begrip, kader, dataset, api, organisatie, other
    ring: int  # 0 (the resource), 1 or 2
    x: float
    y: float


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # as seen from `source`


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def node(self, iri: str) -> Node:
        return next(n for n in self.nodes if n.iri == iri)

    @property
    def centre(self) -> Node:
        return self.nodes[0]

    def neighbours(self) -> list[tuple[str, list[Node]]]:
        """The resource's own relations (ring one), by kind, for the text list."""
        grouped: dict[str, list[Node]] = defaultdict(list)
        for edge in self.edges:
            if edge.source == self.centre.iri:
                grouped[edge.kind].append(self.node(edge.target))
        return sorted(grouped.items())


# Relations that fan out to thousands (an organisation's datasets, a popular begrip's uses) are
# drawn from the resource itself only, not from its neighbours.
_FAN_OUT = {"publishes", "used-by", "carried-by", "top"}


def _query(*, second_step: bool) -> str:
    """Links of the bound ?from nodes, both ways, each row a predicate and a direction named
    in OUTGOING and INCOMING. The predicates come as VALUES with ?from bound, which Oxigraph
    and Virtuoso both answer by index lookups; a UNION of a property path per relation with a
    BIND each took Virtuoso 110 ms a picture (a dataset page 16x the embedded store's), and
    this 4 ms."""
    incoming = [p for p, kind in INCOMING.items() if not (second_step and kind in _FAN_OUT)]
    parts = [
        f"{{ VALUES ?p {{ {' '.join(f'<{p}>' for p in OUTGOING)} }} ?from ?p ?to "
        'BIND("out" AS ?way) }',
        f"{{ VALUES ?p {{ {' '.join(f'<{p}>' for p in incoming)} }} ?to ?p ?from "
        'BIND("in" AS ?way) }',
        f'{{ ?from {_CARRIES} ?to BIND(<{_CARRIES_MARK}> AS ?p) BIND("out" AS ?way) }}',
    ]
    if not second_step:  # carried-by fans out
        parts.append(f'{{ ?to {_CARRIES} ?from BIND(<{_CARRIES_MARK}> AS ?p) '
                     'BIND("in" AS ?way) }')
    # No ORDER BY: with it every row would be found before the LIMIT applies.
    return ("SELECT DISTINCT ?from ?p ?way ?to WHERE { " + " UNION ".join(parts)
            + " FILTER(isIRI(?to) && ?to != ?from) }")


NEIGHBOURS = _query(second_step=False)
NEAR = _query(second_step=True)


def _kind(predicate: str, way: str) -> str:
    if predicate == _CARRIES_MARK:
        return "carries" if way == "out" else "carried-by"
    return (OUTGOING if way == "out" else INCOMING)[predicate]


def relation_picture(store: Store, iri: str, *, lang: str, nearby: Store | None = None,
                     width: int = 760, height: int = 520) -> Picture | None:
    """The picture of `iri` and its neighbours; None when it has none. `nearby`, a store that
    holds what `iri` links to and what links to it (services/nearby.py, which a dataset page on
    a remote store has read already), is read for the first step in place of `store`: on
    Virtuoso that step was the page's costliest request (22 ms)."""
    first = _neighbours(nearby or store, NEIGHBOURS, [iri], RING_ONE)
    ring_one = list(dict.fromkeys(to for _, _, to in first))
    if not ring_one:
        return None
    second = _neighbours(store, NEAR, ring_one, RING_TWO_EACH * len(ring_one) * 4)
    seen = {iri, *ring_one}
    ring_two: dict[str, str] = {}  # node -> the ring-one node it hangs from
    per_parent: dict[str, int] = defaultdict(int)
    edges = [Edge(iri, to, kind) for _, kind, to in first]
    for source, kind, to in second:
        if to in seen or per_parent[source] >= RING_TWO_EACH:
            if to in seen and to != iri and source != to:
                edges.append(Edge(source, to, kind))
            continue
        per_parent[source] += 1
        ring_two[to] = source
        seen.add(to)
        edges.append(Edge(source, to, kind))
    everything = [iri, *ring_one, *ring_two]
    labels, kinds = _labels_and_kinds(store, everything, lang)
    cx, cy = width / 2, height / 2
    nodes = [Node(iri, labels.get(iri) or fallback_label(iri), kinds.get(iri, "other"), 0, cx, cy)]
    angles: dict[str, float] = {}
    for n, node in enumerate(ring_one):
        angle = 2 * math.pi * n / len(ring_one) - math.pi / 2
        angles[node] = angle
        nodes.append(Node(node, labels.get(node) or fallback_label(node),
                          kinds.get(node, "other"), 1, cx + 0.30 * width * math.cos(angle),
                          cy + 0.30 * height * math.sin(angle)))
    spread = math.pi / max(len(ring_one), 1) * 0.8
    children: dict[str, list[str]] = defaultdict(list)
    for node, parent in ring_two.items():
        children[parent].append(node)
    for parent, nodes_of in children.items():
        for n, node in enumerate(nodes_of):
            offset = (n - (len(nodes_of) - 1) / 2) * spread / max(len(nodes_of) - 1, 1)
            angle = angles[parent] + offset
            nodes.append(Node(node, labels.get(node) or fallback_label(node),
                              kinds.get(node, "other"), 2, cx + 0.38 * width * math.cos(angle),
                              cy + 0.42 * height * math.sin(angle)))
    return Picture(width, height, tuple(nodes), tuple(edges))


def _neighbours(store: Store, query: str, sources: list[str],
                limit: int) -> list[tuple[str, str, str]]:
    # Bound as terms, not strings: these IRIs come from the store, and a string goes through
    # the request IRI parser (tens of microseconds each, a third of a picture's time).
    rows = store.select(query + f" LIMIT {int(limit)}",
                        {"from": [NamedNode(iri) for iri in sources]})
    # a link said both ways (broader here, narrower there) is one relation
    return sorted({(row["from"].value, _kind(row["p"].value, row["way"].value), row["to"].value)
                   for row in rows})


def _labels_and_kinds(store: Store, iris: list[str], lang: str
                      ) -> tuple[dict[str, str], dict[str, str]]:
    """Each node's label (as labels_for chooses it) and kind, in one query: (subject,
    property) pairs bound together, which Oxigraph looks up one by one in its SPO index."""
    nodes = [NamedNode(iri) for iri in iris]  # from the store (and the parsed request IRI)
    pairs = [(node, prop) for node in nodes for prop in (*_LABEL_TERMS, _TYPE)]
    rows = store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {"s p": pairs})
    labels = Labels(lang)
    kinds: dict[str, str] = {}
    for row in rows:
        subject, predicate, value = row["s"].value, row["p"].value, row["o"]
        if predicate == RDF_TYPE:
            kind = KINDS.get(value.value)
            # the first kind in KINDS order wins, whatever order the rows come in
            if kind is not None and (subject not in kinds or _KIND_ORDER[kind]
                                     < _KIND_ORDER[kinds[subject]]):
                kinds[subject] = kind
        elif isinstance(value, Literal):
            labels.offer(subject, predicate, value)
    return labels.chosen(), kinds
