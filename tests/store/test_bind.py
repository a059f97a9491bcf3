"""Tests for catalogue/store/bind.py: values bound beside a query give the same answers on the
embedded store and a real remote server, and a value that is
not an IRI or literal never reaches a query."""

from __future__ import annotations

import doctest
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalogue.errors import InvalidIri
from catalogue.ingest import load_sources
from catalogue.store import Store, bind, open_store
from catalogue.store.terms import Literal
from tests.conftest import BASE, DATA
from tests.store.servers import SERVERS, Server

BAG = f"{BASE}/id/dataset/bag"
TITLE = "http://purl.org/dc/terms/title"
QUERIES: list[tuple[str, bind.Bindings]] = [
    (f"SELECT ?iri ?t WHERE {{ ?iri <{TITLE}> ?t }} ORDER BY ?t", {"iri": BAG}),
    (f"SELECT ?s WHERE {{ ?s <{TITLE}> ?t }}",
     {"t": Literal("Basisregistratie Adressen en Gebouwen", language="nl")}),
    (f"SELECT ?s ?t WHERE {{ ?s <{TITLE}> ?t FILTER(lang(?t) = 'nl') }} ORDER BY ?s",
     {"s": [BAG, f"{BASE}/id/dataset/none", f"{BASE}/id/dataset/brk"]}),
    ("SELECT DISTINCT ?iri ?p ?o WHERE { ?iri ?p ?o OPTIONAL { ?o ?q ?r } FILTER(!isBlank(?o)) }"
     " ORDER BY ?p ?o",
     {"iri": BAG}),
    ("SELECT ?s ?p WHERE { ?s ?p ?o } ORDER BY ?s", {"o": []}),
]


def answers(store: Store) -> list[object]:
    # Rows sorted: servers order language-tagged literals differently (Virtuoso by tag
    # first), which SPARQL leaves open.
    found: list[object] = [
        sorted(sorted((k, str(v)) for k, v in row.items())
               for row in store.select(query, bindings))
        for query, bindings in QUERIES
    ]
    found.append(store.ask("ASK WHERE { ?iri ?p ?o }", {"iri": BAG}))
    found.append(store.ask("ASK WHERE { ?iri ?p ?o }", {"iri": "urn:x:absent"}))
    found.append(len(store.construct("DESCRIBE ?iri WHERE {}", {"iri": BAG})))
    found.append(len(store.construct("CONSTRUCT { ?iri ?p ?o } WHERE { ?iri ?p ?o }",
                                     {"iri": BAG})))
    return found


@pytest.fixture
def remote(server: Server, tmp_path: Path) -> Iterator[Store]:
    store = open_store(server.settings(tmp_path))
    load_sources(store, sorted(DATA.glob("*.ttl")), base=BASE)
    yield store
    store.close()


@pytest.mark.skipif(not SERVERS, reason="no oxigraph server and no virtuoso-t")
def test_bound_values_answer_the_same_on_both_stores(store: Store, remote: Store) -> None:
    embedded = answers(store)
    assert embedded[0] and embedded[1] and embedded[3] and embedded[-4] is True
    assert embedded[4] == []
    assert answers(remote) == embedded


@pytest.mark.parametrize("hostile", [
    f"{BAG}> ?p ?o }} #", "urn:x> . ?s ?p ?o", "http://x/\n", "not an iri", "%FF", "",
])
def test_a_value_that_is_not_an_iri_is_refused_before_any_query(store: Store,
                                                                 hostile: str) -> None:
    with pytest.raises(InvalidIri) as caught:
        store.select("SELECT ?iri ?p WHERE { ?iri ?p ?o }", {"iri": hostile})
    assert str(caught.value).startswith("iri=")
    with pytest.raises(InvalidIri):
        bind.as_text("SELECT ?o WHERE { ?s ?p ?o }", {"s": ["urn:ok", hostile]})


def test_a_literal_with_quotes_stays_one_literal(store: Store) -> None:
    sneaky = Literal('x" } ; DROP ALL ; SELECT * { "')
    assert store.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": sneaky}) == []
    text = bind.as_text("SELECT ?s WHERE { ?s ?p ?o }", {"o": sneaky})
    assert text.count("VALUES") == 1 and '\\"' in text


def test_rules_are_enforced() -> None:
    with pytest.raises(ValueError, match="WHERE"):
        bind.as_text("ASK { ?s ?p ?o }", {"s": BAG})
    with pytest.raises(ValueError, match="one variable"):
        bind.split({"a": [BAG], "b": [BAG]})
    with pytest.raises(ValueError, match="variable name"):
        bind.split({"a }": BAG})


def test_docstring_examples() -> None:
    import catalogue.iris

    for module in (bind, catalogue.iris):
        assert doctest.testmod(module).failed == 0
