"""Hostile input over HTTP: entity bombs, nesting bombs, too many triples, huge literals, huge
form fields, slow validations and clients that hang up. Against the real `catalogue serve`
process where its memory is the point, else the app in uvicorn."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.publish import Publishers
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import BASE
from tests.web.live import catalogue_serve, serving

ORG = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"
GRAPH = "https://example.org/graph/hostile"

# 838 bytes that expand to 3 GB: ten of each entity in the next, nine levels deep.
_ENTITIES = "".join(
    f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n'
    f'<!DOCTYPE rdf:RDF [<!ENTITY lol0 "lol">{_ENTITIES}]>\n'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="http://example.org/">'
    '<rdf:Description rdf:about="http://example.org/s"><ex:p>&lol9;</ex:p></rdf:Description>'
    "</rdf:RDF>"
).encode()
# A list nested 50,000 deep: 100 KB of brackets.
DEEP_LIST = (b"<http://example.org/s> <http://example.org/p> " + b"(" * 50_000 + b")" * 50_000
             + b" .")
# 3,000 blank nodes in one flat list: over the server's limit of 1,000 triples below.
LONG_LIST = b"<http://example.org/s> <http://example.org/p> (" + b"[] " * 3_000 + b") ."
LONG_LITERAL = b'<http://example.org/s> <http://example.org/p> "' + b"x" * 5_000 + b'" .'
# A profile pySHACL takes minutes on with CONCEPTS: our own profiles are SHACL Core, which the
# Rust engine runs in a fraction of a second.
SLOW_PROFILES = Path(__file__).resolve().parents[1] / "data" / "profiles"
CONCEPTS = "\n".join(
    ["@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix : <http://example.org/> .",
     ":s a skos:ConceptScheme ; skos:prefLabel 's'@nl ."]
    + [f":c{i} a skos:Concept ; skos:prefLabel 'b{i}'@nl ; skos:inScheme :s ."
       for i in range(6_000)]
).encode()


def memory_kib(pid: int) -> int:
    """Resident memory of the process and its children, from /proc."""
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1])
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else []:
        total += memory_kib(int(child))
    return total


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, str]]:
    store = tmp_path_factory.mktemp("hostile") / "store"
    token = Publishers(store.with_name(store.name + "-publishing")).add(ORG)
    env = {"CATALOGUE_MAX_TRIPLES": "1000", "CATALOGUE_MAX_LITERAL_BYTES": "4096"}
    with catalogue_serve(store, env=env) as (url, process):
        yield url, process.pid, token


def put(url: str, token: str, body: bytes, media: str = "text/turtle") -> httpx.Response:
    return httpx.put(url + "/store", params={"graph": GRAPH}, content=body, timeout=120,
                     headers={"Authorization": f"Bearer {token}", "Content-Type": media})


def nothing_written(url: str) -> bool:
    return httpx.get(url + "/store", params={"graph": GRAPH}).status_code == 404


def test_billion_laughs_is_refused_before_it_grows_the_server(
    server: tuple[str, int, str],
) -> None:
    url, pid, token = server
    before = memory_kib(pid)
    answer = httpx.post(url + "/api/validate", content=BILLION_LAUGHS, timeout=120,
                        headers={"Content-Type": "application/rdf+xml"})
    assert answer.status_code == 422
    assert "entity 'lol0'" in answer.text and "body:2:" in answer.text
    stored = put(url, token, BILLION_LAUGHS, "application/rdf+xml")
    assert stored.status_code == 422 and "entity declarations are refused" in stored.text
    assert nothing_written(url)
    assert memory_kib(pid) < before + 200 * 1024
    assert httpx.get(url + "/").status_code == 200


def test_a_nesting_bomb_is_refused_with_its_place(server: tuple[str, int, str]) -> None:
    url, _, token = server
    answer = httpx.post(url + "/api/validate", content=DEEP_LIST,
                        headers={"Content-Type": "text/turtle"}, timeout=120)
    assert answer.status_code == 413
    assert "body:1:147: nested deeper than 100 levels" in answer.text
    assert put(url, token, DEEP_LIST).status_code == 413
    assert nothing_written(url)


def test_too_many_triples_stop_the_parser(server: tuple[str, int, str]) -> None:
    url, _, token = server
    answer = httpx.post(url + "/api/validate", content=LONG_LIST,
                        headers={"Content-Type": "text/turtle"}, timeout=120)
    assert answer.status_code == 413
    assert "more than 1000 triples" in answer.text
    stored = put(url, token, LONG_LIST)
    assert stored.status_code == 413 and "CATALOGUE_MAX_TRIPLES" in stored.text
    assert nothing_written(url)


def test_a_literal_over_the_limit_is_413(server: tuple[str, int, str]) -> None:
    url, _, token = server
    stored = put(url, token, LONG_LITERAL)
    assert stored.status_code == 413
    assert "a literal of 5000 bytes; the limit is 4096" in stored.text
    assert nothing_written(url)


@pytest.fixture
def small_site(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(store=Path(":memory:"), base_iri=BASE, publish_dir=tmp_path,
                        max_body_bytes=8 * 1024, max_request_seconds=1.0)
    with TestClient(create_app(settings, store=EmbeddedStore())) as client:
        yield client


def test_a_form_field_over_the_limit_is_413(small_site: TestClient) -> None:
    text = "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n" * 200
    multipart = small_site.post("/validate", files={"text": (None, text)},
                                headers={"Accept": "text/html"})
    assert multipart.status_code == 413
    urlencoded = small_site.post("/validate", data={"text": text})
    assert urlencoded.status_code == 413


def idle_within(*, seconds: float) -> bool:
    """Whether this process comes to use under a tenth of a core over a second, before
    `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cpu_seconds_while_idle(1.0) < 0.1:
            return True
    return False


def cpu_seconds_while_idle(seconds: float) -> float:
    """CPU time this process (all its threads) spends while the test only waits."""
    start = time.process_time()
    time.sleep(seconds)
    return time.process_time() - start


@pytest.fixture
def live_app() -> Iterator[str]:
    settings = Settings(store=Path(":memory:"), base_iri=BASE, max_request_seconds=2.0,
                        profiles_dir=SLOW_PROFILES)
    with serving(create_app(settings, store=EmbeddedStore())) as url:
        yield url


def test_work_past_the_time_limit_stops(live_app: str) -> None:
    answer = httpx.post(live_app + "/api/validate?profile=slow-sparql", content=CONCEPTS,
                        timeout=120, headers={"Content-Type": "text/turtle"})
    assert answer.status_code == 503
    assert "longer than 2 s" in answer.text
    # The validation (minutes of work) no longer runs: the process is idle.
    assert cpu_seconds_while_idle(2.0) < 1.0
    small = "\n".join(CONCEPTS.decode().splitlines()[:4])
    page = httpx.post(live_app + "/validate", data={"text": small},
                      headers={"Accept": "text/html"}, timeout=120)
    assert page.status_code == 200
    assert BeautifulSoup(page.text, "html.parser").find("main") is not None


def test_work_stops_when_the_client_hangs_up(tmp_path: Path) -> None:
    settings = Settings(store=Path(":memory:"), base_iri=BASE, max_request_seconds=600.0,
                        profiles_dir=SLOW_PROFILES)
    with serving(create_app(settings, store=EmbeddedStore())) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.sendall(
                b"POST /api/validate?profile=slow-sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: text/turtle\r\n"
                + f"Content-Length: {len(CONCEPTS)}\r\n\r\n".encode() + CONCEPTS
            )
            time.sleep(2.0)  # parsed, and deep in validation
            # The work runs while the client waits (on a machine whose cores are busy it gets
            # a share of one: a third of a core at the least with two busy processes beside).
            assert cpu_seconds_while_idle(2.0) > 0.3
        # The watcher looks every 0.2 s; the hang guard is generous for a busy machine.
        assert idle_within(seconds=30), "the validation went on after the client hung up"
