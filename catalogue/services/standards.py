"""The standards register: every standard in the catalogue (resources typed dct:Standard and
every object of dct:conformsTo), how many datasets and APIs conform to each, and its status on
the Forum Standaardisatie lists where the catalogue states one (cat:listStatus, with the Forum's
page as dct:source); where it states none the status is unknown, not "not on the list".

Counts and the conforming records come from the search index (its "standard" facet), so no page
runs a GROUP BY over the store; the store gives labels, statuses and the typed standards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from catalogue.errors import NotFound
from catalogue.iris import is_iri
from catalogue.namespaces import CAT, DCT, FOAF, RDF_TYPE
from catalogue.search import SearchIndex
from catalogue.services.labels import fallback_label, labels_for
from catalogue.store.base import Store
from catalogue.store.terms import NamedNode

# Standards the register lists at most (a catalogue has tens; a hostile one could mint many).
MAX_STANDARDS = 500
# Conforming datasets and APIs a standard's page lists of each kind; the rest via the lists.
SHOWN = 20
KINDS = ("dataset", "api")
STATUS_SCHEME = "https://w3id.org/catalogue/def/lijststatus"
# The API Design Rules as bundled (content/facilities.ttl): what an API's ADR score measures.
ADR = "https://gitdocumentatie.logius.nl/publicatie/api/adr/"


@dataclass(frozen=True)
class Status:
    iri: str
    label: str
    source: str | None  # the Forum Standaardisatie page that says so


@dataclass(frozen=True)
class Standard:
    iri: str
    label: str
    status: Status | None  # None: unknown
    datasets: int
    apis: int


@dataclass(frozen=True)
class Conforming:
    iri: str
    label: str


@dataclass(frozen=True)
class StandardPage:
    standard: Standard
    identifier: str | None
    description: str | None
    publisher: Conforming | None
    specification: str | None  # foaf:page
    datasets: tuple[Conforming, ...]
    apis: tuple[Conforming, ...]


def standards(store: Store, index: SearchIndex, *, lang: str) -> tuple[Standard, ...]:
    """Every standard, by label: the typed ones and those something conforms to."""
    counts = {kind: index.facet_counts("standard", kind=kind) for kind in KINDS}
    # A third-party export may say dct:conformsTo "NEN 3610" (a text) or a blank node: no
    # standard the register can name or link to, so not listed.
    iris = set(_typed(store)) | {value for found in counts.values() for value in found
                                 if is_iri(value)}
    ordered = sorted(iris)[:MAX_STANDARDS]
    return _summaries(store, ordered, counts, lang)


def standard_page(store: Store, index: SearchIndex, iri: str, *, lang: str) -> StandardPage:
    """One standard with the datasets and APIs that conform to it (the first SHOWN of each).
    NotFound when nothing in the catalogue is or names this standard."""
    counts = {kind: index.facet_counts("standard", kind=kind, values=[iri]) for kind in KINDS}
    typed = bool(store.ask(f"ASK WHERE {{ ?iri <{RDF_TYPE}> <{DCT}Standard> }}", {"iri": iri}))
    if not typed and not any(counts.values()):
        raise NotFound(f"no standard <{iri}> in the catalogue", subject=iri)
    (summary,) = _summaries(store, [iri], counts, lang)
    values = _values(store, iri, (DCT + "identifier", DCT + "description", DCT + "publisher",
                                  FOAF + "page"), lang)
    publisher = values.get(DCT + "publisher")
    names = labels_for(store, [publisher] if publisher else [], lang)
    return StandardPage(
        standard=summary, identifier=values.get(DCT + "identifier"),
        description=values.get(DCT + "description"),
        publisher=Conforming(publisher, names.get(publisher, fallback_label(publisher)))
        if publisher else None,
        specification=values.get(FOAF + "page"),
        datasets=_conforming(index, iri, "dataset", lang),
        apis=_conforming(index, iri, "api", lang))


def _typed(store: Store) -> list[str]:
    rows = store.select(f"SELECT DISTINCT ?s WHERE {{ ?s <{RDF_TYPE}> <{DCT}Standard> "
                        f"FILTER(isIRI(?s)) }} LIMIT {MAX_STANDARDS}")
    return [row["s"].value for row in rows]


def _summaries(store: Store, iris: Sequence[str], counts: dict[str, dict[str, int]],
               lang: str) -> tuple[Standard, ...]:
    labels = labels_for(store, iris, lang)
    statuses = _statuses(store, iris, lang)
    found = [Standard(iri, labels.get(iri, fallback_label(iri)), statuses.get(iri),
                      counts["dataset"].get(iri, 0), counts["api"].get(iri, 0))
             for iri in iris]
    return tuple(sorted(found, key=lambda s: (s.label.casefold(), s.iri)))


def _statuses(store: Store, iris: Sequence[str], lang: str) -> dict[str, Status]:
    """The list status of each standard that has one, with the page that says so. A status
    that is no concept of our scheme (a publisher's own word) is not shown as one."""
    if not iris:
        return {}
    rows = store.select(
        f"SELECT ?s ?status ?source WHERE {{ ?s <{CAT}listStatus> ?status . "
        f"?status <http://www.w3.org/2004/02/skos/core#inScheme> <{STATUS_SCHEME}> "
        f"OPTIONAL {{ ?s <{DCT}source> ?source FILTER(isIRI(?source)) }} }}",
        {"s": [NamedNode(iri) for iri in iris]})
    chosen: dict[str, tuple[str, str | None]] = {}
    for row in rows:
        iri, status = row["s"].value, row["status"].value
        source = row["source"].value if row.get("source") is not None else None
        # one status per standard, stable if a graph states two; a Forum page wins as source
        current = chosen.get(iri)
        if current is None or (status, _rank(source)) < (current[0], _rank(current[1])):
            chosen[iri] = (status, source)
    names = labels_for(store, {status for status, _ in chosen.values()}, lang)
    return {iri: Status(status, names.get(status, fallback_label(status)), source)
            for iri, (status, source) in chosen.items()}


def _rank(source: str | None) -> tuple[int, str]:
    if source is None:
        return (2, "")
    forum = "forumstandaardisatie.nl/" in source
    return (0 if forum else 1, source)


def _values(store: Store, iri: str, predicates: Iterable[str], lang: str) -> dict[str, str]:
    """One value per predicate: a literal in the best language for `lang`, or an IRI."""
    rows = store.select("SELECT ?p ?o WHERE { ?iri ?p ?o }",
                        {"iri": iri, "p": [NamedNode(p) for p in predicates]})
    ranked: dict[str, tuple[int, str]] = {}
    for row in rows:
        value = row["o"]
        language = getattr(value, "language", None)
        rank = 0 if language == lang else 1 if language in (None, "nl", "en") else 2
        key = (rank, value.value)
        predicate = row["p"].value
        if predicate not in ranked or key < ranked[predicate]:
            ranked[predicate] = key
    return {predicate: value for predicate, (_, value) in ranked.items()}


def _conforming(index: SearchIndex, iri: str, kind: str, lang: str) -> tuple[Conforming, ...]:
    found = index.search("", kinds=(kind,), filters={"standard": [iri]}, lang=lang,
                         limit=SHOWN, sort="title")
    return tuple(Conforming(hit.uri, hit.label) for hit in found.hits)
