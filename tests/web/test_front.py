"""The SPARQL front processes of the real `catalogue serve` on an on-disk store: queries answered
in the front, a runaway stopped by replacing its front while others are answered, writes seen
at once, every other request passed on to the app process whole, no front outliving the app."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from catalogue.publish import Publishers
from catalogue.store.terms import QueryResultsFormat, RdfFormat, parse, parse_query_results
from catalogue.store.workers import QueryRequest
from catalogue.web.front import Cost, QueryShapes
from tests.web.live import catalogue_serve
from tests.web.test_publish import ORG_A, dataset
from tests.web.test_sparql import RUNAWAY

DATASET = "urn:example:front-dataset"
ASK_DATASET = f"ASK {{ <{DATASET}> ?p ?o }}"
TIMEOUT = 2


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, str]]:
    """(base URL, app process id, a publisher token) of a server with a 2 s query timeout."""
    folder = tmp_path_factory.mktemp("front")
    token = Publishers(folder / "publishing").add(ORG_A)
    env = {"CATALOGUE_QUERY_TIMEOUT": str(TIMEOUT), "CATALOGUE_QUERY_WORKERS": "2",
           "CATALOGUE_PUBLISH_DIR": str(folder / "publishing")}
    with catalogue_serve(folder / "store", env=env) as (url, proc):
        yield url, proc.pid, token


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def fronts(pid: int) -> set[int]:
    """The app process's front processes (the only children it has before a query is posted)."""
    return {child for child in children(pid)
            if b"catalogue.web.front" in Path(f"/proc/{child}/cmdline").read_bytes()}


def wait_for(condition: object, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.1)
    return False


def ask(url: str, query: str) -> bool:
    answer = httpx.get(url + "/sparql", params={"query": query},
                       headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["boolean"])


def test_queries_are_answered_by_the_fronts(served: tuple[str, int, str]) -> None:
    url, pid, _ = served
    assert len(fronts(pid)) == 2
    answer = httpx.get(url + "/sparql", params={
        "query": "SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 3"},
        headers={"Accept": "text/tab-separated-values"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/tab-separated-values")
    assert answer.headers["access-control-allow-origin"] == "*"
    rows = list(parse_query_results(answer.content, QueryResultsFormat.TSV))
    assert len(rows) == 3


@pytest.mark.parametrize("rdf_format", [RdfFormat.TURTLE, RdfFormat.JSON_LD, RdfFormat.RDF_XML,
                                        RdfFormat.N_TRIPLES])
def test_describe_of_a_dataset_parses_in_each_format(
    served: tuple[str, int, str], rdf_format: RdfFormat,
) -> None:
    url, _, _ = served
    dataset = httpx.get(url + "/sparql", params={
        "query": "SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 1"},
        headers={"Accept": "application/sparql-results+json"}).json()
    iri = dataset["results"]["bindings"][0]["d"]["value"]
    answer = httpx.get(url + "/sparql", params={"query": f"DESCRIBE <{iri}>"},
                       headers={"Accept": rdf_format.media_type})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(rdf_format.media_type)
    triples = parse(answer.content, rdf_format)
    assert any(t.subject.value == iri for t in triples)


def test_a_runaway_query_is_stopped_while_others_are_answered(
    served: tuple[str, int, str],
) -> None:
    url, pid, _ = served
    before = fronts(pid)
    runaway: dict[str, object] = {}

    def run_away() -> None:
        started = time.monotonic()
        runaway["response"] = httpx.get(url + "/sparql", params={"query": RUNAWAY},
                                        headers={"Accept": "application/json"}, timeout=60)
        runaway["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_away)
    thread.start()
    answered = []
    while thread.is_alive():  # other clients, on new connections, while it runs
        started = time.monotonic()
        answered.append((ask(url, "ASK { ?s ?p ?o }"), time.monotonic() - started))
        time.sleep(0.2)
    thread.join()
    response = runaway["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert response.json()["error"].startswith(f"the query ran longer than {TIMEOUT} s")
    assert TIMEOUT <= float(str(runaway["seconds"])) < TIMEOUT + 3
    assert len(answered) >= 5 and all(found and seconds < 1.5 for found, seconds in answered)
    # The front that ran it leaves (ending the query) and a new one takes its place.
    assert wait_for(lambda: len(fronts(pid)) == 2 and fronts(pid) != before)
    assert len(before - fronts(pid)) == 1
    assert ask(url, "ASK { ?s ?p ?o }")


def test_a_cheap_shape_that_runs_away_on_the_event_loop_is_stopped_too(
    served: tuple[str, int, str],
) -> None:
    """A shape that ran fast three times runs on the front's event loop; when the same shape
    then runs away, the watchdog answers 503 at the timeout and the front is replaced."""
    url, pid, _ = served
    # Nothing to do for an IRI with no triples; the product of three scans for one with some.
    shape = ("SELECT (COUNT(*) AS ?n) WHERE {{ <{}> ?p ?o . "
             "{{ SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} }} }}")
    before = fronts(pid)
    with httpx.Client(base_url=url, headers={"Accept": "application/json"}, timeout=60) as one:
        # One keep-alive connection: one front learns the shape (absent IRIs match nothing).
        for number in range(4):
            fast = one.get("/sparql", params={"query": shape.format(f"urn:nothing:{number}")})
            assert fast.status_code == 200 and fast.elapsed.total_seconds() < 1
        others: list[tuple[bool, float]] = []
        done = threading.Event()

        def other_clients() -> None:  # new connections, while the query holds its front
            while not done.wait(0.3):
                began = time.monotonic()
                others.append((ask(url, "ASK { ?s ?p ?o }"), time.monotonic() - began))

        thread = threading.Thread(target=other_clients)
        thread.start()
        started = time.monotonic()
        stopped = one.get("/sparql", params={"query": shape.format(ORG_A)})
        seconds = time.monotonic() - started
        done.set()
        thread.join()
    assert stopped.status_code == 503
    assert stopped.headers["connection"] == "close"  # written by the watchdog
    assert stopped.json()["error"].startswith(f"the query ran longer than {TIMEOUT} s")
    assert TIMEOUT <= seconds < TIMEOUT + 3
    assert len(others) >= 4 and all(found and took < 1.5 for found, took in others)
    assert wait_for(lambda: len(fronts(pid)) == 2 and len(before - fronts(pid)) == 1)


def test_a_publisher_write_shows_in_the_next_answer(served: tuple[str, int, str]) -> None:
    url, _, token = served
    assert not ask(url, ASK_DATASET)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/turtle",
               "Accept": "application/json"}
    graph = {"graph": "urn:example:front-graph"}
    created = httpx.put(url + "/store", params=graph, content=dataset(DATASET, ORG_A),
                        headers=headers)
    assert created.status_code == 201, created.text
    assert all(ask(url, ASK_DATASET) for _ in range(6))  # on each front
    assert httpx.delete(url + "/store", params=graph, headers=headers).status_code == 204
    assert not any(ask(url, ASK_DATASET) for _ in range(6))


def test_other_requests_pass_through_whole(served: tuple[str, int, str]) -> None:
    url, _, _ = served
    home = httpx.get(url + "/", headers={"Accept-Language": "en"})
    assert home.status_code == 200
    assert home.headers["content-type"].startswith("text/html")
    assert len(home.headers.get_list("date")) == 1
    assert BeautifulSoup(home.text, "html.parser").find("html")["lang"] == "en"
    editor = httpx.get(url + "/sparql", headers={"Accept": "text/html"})
    assert BeautifulSoup(editor.text, "html.parser").find("textarea") is not None
    posted = httpx.post(url + "/sparql", data={"query": "ASK { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"})
    assert posted.json()["boolean"] is True
    wrong = httpx.get(url + "/sparql", params={"query": "SELECT ?x WHERE {"},
                      headers={"Accept": "application/json"})
    assert wrong.status_code == 400
    assert "line 1, column" in wrong.json()["error"]
    update = httpx.get(url + "/sparql", params={"query": "INSERT DATA { <a:b> <a:c> <a:d> }"})
    assert update.status_code == 403
    missing = httpx.get(url + "/doc/dataset/no-such-dataset", headers={"Accept": "text/html"})
    assert missing.status_code == 404
    turtle = httpx.get(url + "/catalog.ttl")
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")


def test_fronts_leave_when_the_app_process_is_killed(tmp_path: Path) -> None:
    with catalogue_serve(tmp_path / "store") as (url, proc):
        port = int(url.rsplit(":", 1)[1])
        running = fronts(proc.pid)
        assert len(running) == 2
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert wait_for(lambda: not any(Path(f"/proc/{p}").exists() for p in running))
        with socket.socket() as sock:  # the port is free again
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))


def test_a_shape_runs_on_the_loop_after_three_cheap_runs_in_a_row() -> None:
    shapes = QueryShapes(cheap=0.005, wall=0.05, proofs=3)
    first = shapes.key(QueryRequest('SELECT * WHERE { <urn:a:1> ?p "x" } LIMIT 5'))
    assert first == shapes.key(QueryRequest('SELECT * WHERE { <urn:b:2> ?p "y z" } LIMIT 5'))
    assert first != shapes.key(QueryRequest('SELECT * WHERE { <urn:b:2> ?p "y" } LIMIT 500'))
    cheap = Cost(cpu=0.001, wall=0.001)
    # Waiting for a core (wall time) is not the query's cost; CPU past 5 ms or a wait past
    # 50 ms (the disk) starts the count again.
    for cost in (cheap, Cost(cpu=0.001, wall=0.02), Cost(cpu=0.009, wall=0.009), cheap, cheap,
                 Cost(cpu=0.001, wall=0.09), cheap, cheap):
        shapes.ran(first, cost, inline=False)
        assert not shapes.inline(first)
    shapes.ran(first, cheap, inline=False)
    assert shapes.inline(first)
    shapes.ran(first, Cost(cpu=0.001, wall=0.09), inline=True)  # a wait on the loop: back to
    assert not shapes.inline(first)                              # threads until proven again
    for _ in range(3):
        shapes.ran(first, cheap, inline=False)
    assert shapes.inline(first)
    shapes.ran(first, Cost(cpu=0.2, wall=0.2), inline=True)  # costly on the loop: never again
    for _ in range(5):
        shapes.ran(first, cheap, inline=False)
    assert not shapes.inline(first)
