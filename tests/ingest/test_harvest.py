"""Harvesting DCAT feeds from a real HTTP server on a loopback port: paging, loops, limits, and
the address guard (loopback only with the command line's --allow-private-addresses)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from urllib.parse import quote, unquote

import pytest

from catalogue.cli import main
from catalogue.errors import HarvestError
from catalogue.fetch import ANY_ADDRESS
from catalogue.ingest.harvest import harvest, harvest_graph_iri
from catalogue.store import EmbeddedStore
from tests.conftest import BASE, DATA
from tests.loopback import LoopbackPorts, loopback, port_of

FIXTURES = DATA / "harvest"
ROUTES = {
    "/feed?page=1": ("page1.ttl", "text/turtle; charset=utf-8"),
    "/feed?page=2": ("page2.rdf", "application/rdf+xml"),
    "/feed?page=3": ("page3.jsonld", "application/ld+json"),
    "/loop?page=1": ("loop1.ttl", "text/turtle"),
    "/loop?page=2": ("loop2.ttl", "text/turtle"),
    "/garbage": ("page2.rdf", "text/turtle"),
    "/slow": ("page1.ttl", "text/turtle"),
    "/udata?page=1": ("udata1.ttl", "text/turtle"),
    "/udata?page=2": ("udata2.ttl", "text/turtle"),
    "/short": ("short1.ttl", "text/turtle"),
}


TRICKLE_BYTES = 40
asked: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        asked.append(self.path)
        if self.path == "/slow":
            time.sleep(1.0)
        if self.path == "/trickle":
            self._trickle()
            return
        if self.path.startswith("/real/"):
            self._real(self.path.removeprefix("/real/"))
            return
        if self.path.startswith("/drip?page="):
            self._drip(int(self.path.rsplit("=", 1)[1]))
            return
        if self.path.startswith("/next-to?"):
            self._next_to(unquote(self.path.split("?", 1)[1]))
            return
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

    def _next_to(self, target: str) -> None:
        body = (f"@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n"
                f"<https://data.example.nl/dataset/x> a <http://www.w3.org/ns/dcat#Dataset> .\n"
                f"<> hydra:next <{target}> .\n")
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.end_headers()
        self.wfile.write(body.encode())

    def _trickle(self) -> None:
        """A byte a second: every read ends well within any read timeout, the body never."""
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Content-Length", str(TRICKLE_BYTES))
        self.end_headers()
        try:
            for _ in range(TRICKLE_BYTES):
                self.wfile.write(b"#")
                self.wfile.flush()
                time.sleep(1.0)
        except OSError:  # the harvester hung up
            pass

    def _real(self, path: str) -> None:
        """udata's own fixtures of a two-page feed (tests/data/corpus/), their links moved from
        data.test.org to this server; `truncated` is page 1 without its link to page 2."""
        kind, _, page = path.partition("?page=")
        name = {"paged": "paged-collection", "partial": "partial-collection",
                "truncated": "paged-collection"}[kind]
        body = (DATA / "corpus" / f"udata_{name}-{page}.jsonld").read_text(encoding="utf-8")
        here = f"http://127.0.0.1:{self.server.server_address[1]}/real/{kind}"
        body = body.replace("http://data.test.org/catalog.jsonld", here)
        if kind == "truncated":
            body = body.replace("hydra/core#nextPage", "hydra/core#unknownLink")
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(body.encode())

    def _drip(self, page: int) -> None:
        """A whole page in five chunks over about a second, linking to the next of ten: each
        page ends well within the timeout, the feed does not."""
        lines = [b"@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n",
                 f"<https://data.example.nl/dataset/d{page}> a "
                 f"<http://www.w3.org/ns/dcat#Dataset> .\n".encode(),
                 f'<> hydra:next <drip?page={page + 1}> .\n'.encode() if page < 10 else b"",
                 b"# end\n", b"\n"]
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Content-Length", str(sum(map(len, lines))))
        self.end_headers()
        try:
            for line in lines:
                self.wfile.write(line)
                self.wfile.flush()
                time.sleep(0.25)
        except OSError:
            pass

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
    result = harvest(store, f"{server}/feed?page=1", base=BASE, policy=ANY_ADDRESS)
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
    result = harvest(store, f"{server}/loop?page=1", base=BASE, warn=warnings.append,
                     policy=ANY_ADDRESS)
    assert result.pages == [f"{server}/loop?page=1", f"{server}/loop?page=2"]
    assert len(warnings) == 1 and "points back to" in warnings[0]
    assert _datasets(store) == {"https://data.example.nl/dataset/a",
                                "https://data.example.nl/dataset/b"}


def test_harvesting_again_replaces_what_the_source_brought(server: str) -> None:
    store = EmbeddedStore()
    url = f"{server}/feed?page=1"
    harvest(store, url, base=BASE, policy=ANY_ADDRESS)
    count = store.graph_triple_count(harvest_graph_iri(BASE, url))
    harvest(store, url, base=BASE, policy=ANY_ADDRESS)
    assert store.graph_triple_count(harvest_graph_iri(BASE, url)) == count
    assert len([g for g in store.graphs() if g.source == url]) == 1


def test_size_limit_and_bad_pages_write_nothing(server: str) -> None:
    store = EmbeddedStore()
    with pytest.raises(HarvestError, match="size limit"):
        harvest(store, f"{server}/feed?page=1", base=BASE, max_bytes=600, policy=ANY_ADDRESS)
    with pytest.raises(HarvestError, match="HTTP 404"):
        harvest(store, f"{server}/nothing", base=BASE, policy=ANY_ADDRESS)
    with pytest.raises(HarvestError, match="Content-Type text/turtle"):
        harvest(store, f"{server}/garbage", base=BASE, policy=ANY_ADDRESS)
    with pytest.raises(HarvestError, match="could not be fetched"):
        harvest(store, f"{server}/slow", base=BASE, timeout=0.3, policy=ANY_ADDRESS)
    assert store.is_empty()


def test_cli_prints_a_summary_per_record(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["harvest", f"{server}/feed?page=1", "--store", ":memory:",
                 "--base-iri", BASE, "--allow-private-addresses"]) == 0
    out = capsys.readouterr().out
    assert "Dataset\t<https://data.example.nl/dataset/3>\tSluizen" in out
    assert "3 pages, 6 records" in out
    assert main(["harvest", f"{server}/nothing", "--store", ":memory:",
                 "--allow-private-addresses"]) == 2


def test_cli_refuses_loopback_without_the_flag(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    asked.clear()
    assert main(["harvest", f"{server}/feed?page=1", "--store", ":memory:"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"catalogue: cannot fetch {server}/feed?page=1: the address is not public")
    assert asked == []


@pytest.fixture(scope="module")
def inside() -> Iterator[str]:
    """A second server: what a feed's hydra:next must not reach."""
    with loopback(_Handler) as url:
        yield url


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/", "http://localhost:{port}/feed?page=1",
    "http://[::1]:{port}/feed?page=1", "http://2130706433:{port}/feed?page=1",
    "http://10.0.0.1/feed",
])
def test_hydra_next_into_the_network_is_refused_and_nothing_stored(
    server: str, inside: str, target: str
) -> None:
    """The first page's server is let through (as a public one would be); the address its
    hydra:next names is not, and nothing the first page brought is stored."""
    store = EmbeddedStore()
    page = "/next-to?" + quote(target.format(port=port_of(inside)), safe="")
    asked.clear()
    with pytest.raises(HarvestError, match="the address is not public"):
        harvest(store, f"{server}{page}", base=BASE, policy=LoopbackPorts(server))
    assert asked == [page]  # the second server was never asked
    assert store.is_empty()


def test_a_trickling_server_is_cut_off_at_the_deadline(server: str) -> None:
    store = EmbeddedStore()
    started = time.monotonic()
    with pytest.raises(HarvestError, match="could not be fetched"):
        harvest(store, f"{server}/trickle", base=BASE, timeout=2.0, policy=ANY_ADDRESS)
    assert time.monotonic() - started < 2.0 + 10.0  # a hang guard; the trickle lasts 40 s
    assert store.is_empty()


def test_a_deadline_covers_the_whole_feed_not_each_page(server: str) -> None:
    """Ten pages of about a second each: every page fits in the timeout, the feed does not."""
    store = EmbeddedStore()
    asked.clear()
    with pytest.raises(HarvestError, match=r"could not be fetched|took longer"):
        harvest(store, f"{server}/drip?page=1", base=BASE, timeout=2.5, policy=ANY_ADDRESS)
    assert 1 < len([p for p in asked if p.startswith("/drip")]) < 10
    assert store.is_empty()


def test_literal_hydra_links_are_followed(server: str) -> None:
    store = EmbeddedStore()
    result = harvest(store, f"{server}/udata?page=1", base=BASE, policy=ANY_ADDRESS)
    assert result.pages == [f"{server}/udata?page=1", f"{server}/udata?page=2"]
    assert _datasets(store) == {f"https://data.example.nl/datasets/u{n}" for n in (1, 2, 3, 4)}
    assert (result.total_items, result.items, result.incomplete) == (4, 4, False)
    assert result.warnings == []


def test_a_feed_short_of_its_total_items_warns_and_exits_1(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["harvest", f"{server}/short", "--store", ":memory:", "--base-iri", BASE,
                 "--allow-private-addresses", "--no-validate"]) == 1
    err = capsys.readouterr().err
    assert "2 records arrived in 1 pages, but the feed's hydra:totalItems says 4" in err
    assert main(["harvest", f"{server}/udata?page=1", "--store", ":memory:", "--base-iri", BASE,
                 "--allow-private-addresses", "--no-validate"]) == 0


@pytest.mark.parametrize("kind", ["paged", "partial"])
def test_udatas_own_two_page_feeds_are_harvested_whole(server: str, kind: str) -> None:
    """udata's fixtures: hydra:nextPage on a PagedCollection, hydra:next on a view, both as
    string literals, and hydra:totalItems 4 (as a number and as a string)."""
    store = EmbeddedStore()
    result = harvest(store, f"{server}/real/{kind}?page=1", base=BASE, policy=ANY_ADDRESS)
    assert result.pages == [f"{server}/real/{kind}?page={n}" for n in (1, 2)]
    assert (result.total_items, result.items, result.warnings) == (4, 4, [])
    assert len(_datasets(store)) == 4
    # both pages repeat the catalogue's triples: provenance counts each triple once
    record = {r.graph: r for r in store.graphs()}[result.graph]
    assert record.triples == result.triples == store.graph_triple_count(result.graph)


def test_udatas_feed_cut_after_page_one_warns_and_exits_1(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["harvest", f"{server}/real/truncated?page=1", "--store", ":memory:",
                 "--base-iri", BASE, "--allow-private-addresses", "--no-validate"]) == 1
    assert "3 records arrived in 1 pages, but the feed's hydra:totalItems says 4" in (
        capsys.readouterr().err)
