"""Documents for the index, read from the store: which types are searchable and what of them.

Kinds and their fields are declared here; each page family may add facets by extending
`FACETS` (a predicate path per facet) or `KINDS`."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from catalogue.namespaces import DCAT, DCT, FOAF, PREFIXES, RDF_TYPE, RDFS, SKOS
from catalogue.search.index import Document
from catalogue.services.labels import LABEL_PROPERTIES, language_rank
from catalogue.store.base import Store
from catalogue.store.terms import BlankNode, Literal, NamedNode

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


def _document(
    uri: str,
    kind: str,
    graphs: list[str],
    props: dict[str, list[Literal]],
    facets: dict[str, list[str]],
) -> Document:
    def texts(predicates: Sequence[str]) -> list[Literal]:
        return [literal for p in predicates for literal in props.get(p, [])]

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


_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]{1,200}>")


def _snippet(body: list[Literal], size: int = 240) -> str:
    """A short plain text: descriptions from OpenAPI documents are Markdown with HTML in it."""
    preferred = sorted(body, key=lambda lit: (lit.language or "") not in ("nl", ""))
    text = preferred[0].value if preferred else ""
    text = " ".join(_TAG.sub(" ", _MARKDOWN_LINK.sub(r"\1", text)).split())
    return text if len(text) <= size else text[: size - 1].rsplit(" ", 1)[0] + "…"


__all__ = ["all_subjects", "documents", "referrers", "subjects_in_graphs"]
