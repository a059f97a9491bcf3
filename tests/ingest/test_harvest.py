"""Harvesting DCAT feeds from a real HTTP server on a loopback port: paging, loops, limits."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from catalogue.cli import main
from catalogue.errors import HarvestError
from catalogue.ingest.harvest import harvest, harvest_graph_iri
from catalogue.store import EmbeddedStore
from tests.conftest import BASE, DATA
from tests.loopback import loopback

FIXTURES = DATA / "harvest"
ROUTES = {
    "/feed?page=1": ("page1.ttl", "text/turtle; charset=utf-8"),
    "/feed?page=2": ("page2.rdf", "application/rdf+xml"),
    "/feed?page=3": ("page3.jsonld", "application/ld+json"),
    "/loop?page=1": ("loop1.ttl", "text/turtle"),
    "/loop?page=2": ("loop2.ttl", "text/turtle"),
    "/garbage": ("page2.rdf", "text/turtle"),
    "/slow": ("page1.ttl", "text/turtle"),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1.0)
        route = ROUTES.get(self.path)
        if route is None:
            self.send_error(404)
            return
        body = (FIXTURES / route[0]).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", route[1])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with loopback(_Handler) as url:
        yield url


def _datasets(store: EmbeddedStore) -> set[str]:
    rows = store.select("SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }")
    return {row["d"].value for row in rows}


def test_three_page_feed_is_harvested_whole(server: str) -> None:
    store = EmbeddedStore()
    result = harvest(store, f"{server}/feed?page=1", base=BASE)
    assert result.pages == [f"{server}/feed?page={n}" for n in (1, 2, 3)]
    assert _datasets(store) == {f"https://data.example.nl/dataset/{n}" for n in (1, 2, 3, 4)}
    kinds = {record.iri: record.kind for record in result.records}
    assert kinds["https://data.example.nl/api/sluizen"] == "DataService"
    assert result.warnings == []
    record = {r.graph: r for r in store.graphs()}[result.graph]
    assert record.source == f"{server}/feed?page=1"


def test_a_feed_that_loops_stops_with_a_warning(server: str) -> None:
    store = EmbeddedStore()
    warnings: list[str] = []
    result = harvest(store, f"{server}/loop?page=1", base=BASE, warn=warnings.append)
    assert result.pages == [f"{server}/loop?page=1", f"{server}/loop?page=2"]
    assert len(warnings) == 1 and "points back to" in warnings[0]
    assert _datasets(store) == {"https://data.example.nl/dataset/a",
                                "https://data.example.nl/dataset/b"}


def test_harvesting_again_replaces_what_the_source_brought(server: str) -> None:
    store = EmbeddedStore()
    url = f"{server}/feed?page=1"
    harvest(store, url, base=BASE)
    count = store.graph_triple_count(harvest_graph_iri(BASE, url))
    harvest(store, url, base=BASE)
    assert store.graph_triple_count(harvest_graph_iri(BASE, url)) == count
    assert len([g for g in store.graphs() if g.source == url]) == 1


def test_size_limit_and_bad_pages_write_nothing(server: str) -> None:
    store = EmbeddedStore()
    with pytest.raises(HarvestError, match="size limit"):
        harvest(store, f"{server}/feed?page=1", base=BASE, max_bytes=600)
    with pytest.raises(HarvestError, match="HTTP 404"):
        harvest(store, f"{server}/nothing", base=BASE)
    with pytest.raises(HarvestError, match="Content-Type text/turtle"):
        harvest(store, f"{server}/garbage", base=BASE)
    with pytest.raises(HarvestError, match="timed out"):
        harvest(store, f"{server}/slow", base=BASE, timeout=0.3)
    assert store.is_empty()


def test_cli_prints_a_summary_per_record(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["harvest", f"{server}/feed?page=1", "--store", ":memory:",
                 "--base-iri", BASE]) == 0
    out = capsys.readouterr().out
    assert "Dataset\t<https://data.example.nl/dataset/3>\tSluizen" in out
    assert "3 pages, 6 records" in out
    assert main(["harvest", f"{server}/nothing", "--store", ":memory:"]) == 2
