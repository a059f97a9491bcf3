"""What the index keeps of a resource: snippets are plain text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bench.generate import write_catalogue
from catalogue.content import load_bundled
from catalogue.ingest.load import load_sources
from catalogue.search import Document
from catalogue.search.extract import all_subjects, documents, documents_by_query
from catalogue.store import EmbeddedStore
from catalogue.store.terms import Literal, NamedNode, Triple

DCT = "http://purl.org/dc/terms/"
API = "http://catalogue.test/id/api/x"
DATA = Path(__file__).resolve().parents[1] / "data"


def test_snippets_of_markdown_descriptions_are_plain_text() -> None:
    store = EmbeddedStore()
    description = "De [BAG API](https://example.org/bag) levert <br/> adressen.\n\nMeer tekst."
    store.replace_graphs({"http://g": [
        Triple(NamedNode(API), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
               NamedNode("http://www.w3.org/ns/dcat#DataService")),
        Triple(NamedNode(API), NamedNode(DCT + "description"), Literal(description, language="nl")),
    ]}, [])
    [document] = documents(store, [API])
    assert document.snippet == "De BAG API levert adressen. Meer tekst."


def test_patterns_and_queries_give_the_same_documents(tmp_path: Path) -> None:
    """The embedded store's documents come from triple patterns, a remote store's from
    queries: the same documents, on the bundled content (begrippen with kaders, broader
    both ways, APIs, organisations) and a generated catalogue (blank-node contact points,
    facets through distributions), and third-party data with blank-node publishers."""
    store = EmbeddedStore()
    load_bundled(store, base="http://catalogue.test")
    write_catalogue(tmp_path / "generated.nt", datasets=30, concepts=20)
    load_sources(store, [tmp_path / "generated.nt", DATA / "thirdparty" / "blank-nodes.ttl",
                         DATA / "concepts" / "begrippen.ttl", DATA / "concepts" / "kwaliteit.ttl",
                         DATA / "catalog" / "complete.ttl"], base="http://catalogue.test")
    uris = all_subjects(store)
    by_patterns = documents(store, uris)
    by_queries = documents_by_query(store, sorted(uris))
    assert len(by_patterns) > 300
    assert [normal(d) for d in by_patterns] == [normal(d) for d in by_queries]


def normal(document: Document) -> Document:
    """Facet values in a fixed order (the index keeps them as a set)."""
    return replace(document, facets={name: sorted(values)
                                     for name, values in sorted(document.facets.items())})
