"""Harvest reads pages through the registry of input formats (catalogue/ingest/formats.py), as
load does: every RDF syntax by its Content-Type, or by the URL's extension and the content when
the server sends a generic type, and an OpenAPI description or NL-SBB spreadsheet by URL. A page
that is none of these is refused with the URL and its Content-Type, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import pytest

from catalogue.errors import HarvestError
from catalogue.fetch import ANY_ADDRESS
from catalogue.ingest.harvest import harvest
from catalogue.store import EmbeddedStore
from catalogue.store.terms import NamedNode, Quad, RdfFormat, parse, serialize
from tests.conftest import BASE, DATA
from tests.loopback import loopback

DCAT = "http://www.w3.org/ns/dcat#"
# The catalogue and two datasets of a feed's first page, without its paging: one page each.
QUADS = [Quad(q.subject, q.predicate, q.object, NamedNode("https://data.example.nl/graph"))
         for q in parse((DATA / "harvest" / "page1.ttl").read_bytes(), format=RdfFormat.TURTLE,
                        base_iri="http://x.test/feed")
         if "hydra" not in q.predicate.value + q.object.value]
TRIPLES = [q.triple for q in QUADS]
TURTLE = serialize(TRIPLES, format=RdfFormat.TURTLE, prefixes={"dcat": DCAT})
BODIES = {
    "ttl": TURTLE,
    "n3": TURTLE,  # Turtle is N3
    "trig": serialize(QUADS, format=RdfFormat.TRIG),
    "nt": serialize(TRIPLES, format=RdfFormat.N_TRIPLES),
    "nq": serialize(QUADS, format=RdfFormat.N_QUADS),
    "rdf": serialize(TRIPLES, format=RdfFormat.RDF_XML),
    "jsonld": serialize(TRIPLES, format=RdfFormat.JSON_LD),
    # Full IRIs after a comment: nothing in the first bytes says Turtle, the URL does.
    "bare.ttl": b"# exported 2026-01-01\n" + serialize(TRIPLES, format=RdfFormat.N_TRIPLES),
    "openapi": json.dumps({
        "openapi": "3.0.3", "info": {"title": "Bomen API", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.nl/bomen/v1"}],
        "paths": {"/bomen": {"get": {"summary": "Bomen opvragen",
                                     "responses": {"200": {"description": "bomen"}}}}},
    }).encode(),
    "csv": (DATA / "begrippen-voorbeeld.csv").read_bytes(),
}
MEDIA = {"ttl": "text/turtle", "n3": "text/n3", "trig": "application/trig",
         "nt": "application/n-triples", "nq": "application/n-quads",
         "rdf": "application/rdf+xml", "jsonld": "application/ld+json"}


class _Handler(BaseHTTPRequestHandler):
    """/page.{name}?type={Content-Type} serves BODIES[name] with that type ("" sends none)."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        body = BODIES.get(parts.path.removeprefix("/page.").removesuffix(".x"))
        if body is None:
            self.send_error(404)
            return
        media = parse_qs(parts.query).get("type", [""])[0]
        self.send_response(200)
        if media:
            self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with loopback(_Handler) as url:
        yield url


def _harvest(store: EmbeddedStore, url: str) -> set[str]:
    harvest(store, url, base=BASE, policy=ANY_ADDRESS, timeout=30)
    return {row["s"].value for row in store.select(
        "SELECT ?s WHERE { ?s a ?t FILTER(?t IN (<http://www.w3.org/ns/dcat#Dataset>, "
        "<http://www.w3.org/ns/dcat#DataService>)) }")}


@pytest.mark.parametrize("name", sorted(MEDIA))
def test_every_rdf_syntax_by_its_content_type(server: str, name: str) -> None:
    found = _harvest_page(server, name, MEDIA[name])
    assert found == {"https://data.example.nl/dataset/1", "https://data.example.nl/dataset/2"}


@pytest.mark.parametrize("media", ["text/plain", "application/octet-stream", ""])
@pytest.mark.parametrize("name", ["ttl", "nt", "rdf", "jsonld", "bare.ttl"])
def test_a_generic_content_type_is_read_by_url_and_content(
        server: str, name: str, media: str) -> None:
    found = _harvest_page(server, name, media)
    assert found == {"https://data.example.nl/dataset/1", "https://data.example.nl/dataset/2"}


def test_an_openapi_description_served_as_json(server: str) -> None:
    store = EmbeddedStore()
    found = _harvest(store, f"{server}/page.openapi.x?type=application/json")
    assert len(found) == 1 and store.ask(
        f"ASK {{ ?s a <{DCAT}DataService> ; <{DCAT}endpointURL> "
        "<https://api.example.nl/bomen/v1> }")


def test_an_nl_sbb_spreadsheet_by_its_url(server: str) -> None:
    store = EmbeddedStore()
    harvest(store, f"{server}/page.csv?type=text/csv", base=BASE, policy=ANY_ADDRESS)
    assert store.ask("ASK { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> "
                     "\"voertuig\"@nl }")


def test_a_page_of_no_known_format_is_refused_and_nothing_written(server: str) -> None:
    store = EmbeddedStore()
    url = f"{server}/page.openapi.x?type=text/plain"  # JSON, neither JSON-LD nor by URL OpenAPI
    with pytest.raises(HarvestError) as caught:
        harvest(store, url, base=BASE, policy=ANY_ADDRESS)
    assert url in str(caught.value) and "text/plain" in str(caught.value)
    assert not store.ask("ASK { ?s ?p ?o }")


def _harvest_page(server: str, name: str, media: str) -> set[str]:
    store = EmbeddedStore()
    suffix = name.rsplit(".", 1)[-1]
    url = f"{server}/page.{name}?type={media}&n=1"
    assert url.split("?")[0].endswith("." + suffix)
    return _harvest(store, url)
