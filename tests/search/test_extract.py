"""What the index keeps of a resource: snippets are plain text."""

from __future__ import annotations

from catalogue.search.extract import documents
from catalogue.store import EmbeddedStore
from catalogue.store.terms import Literal, NamedNode, Triple

DCT = "http://purl.org/dc/terms/"
API = "http://catalogue.test/id/api/x"


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
