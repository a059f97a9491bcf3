"""The SPARQL front processes of the real `catalogue serve` on an on-disk store: queries answered
in the front, a runaway stopped by replacing its front while others are answered, writes seen
at once, every other request passed on to the app process whole, no front outliving the app."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from pyoxigraph import Store
from starlette.types import Receive, Scope, Send

from catalogue.publish import Publishers
from catalogue.store.queries import QueryRunner, SameStore
from catalogue.store.terms import QueryResultsFormat, RdfFormat, parse, parse_query_results
from catalogue.web.front import Front
from catalogue.web.server import kept_alive
from tests.loopback import loopback
from tests.web.live import catalogue_serve, serving
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
    found = set()
    for child in children(pid):
        try:
            if b"catalogue.web.front" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(child)
        except OSError:  # it ended since the listing
            continue
    return found


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
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    editor = httpx.get(url + "/sparql", headers={"Accept": "text/html"})
    assert "frame-ancestors 'none'" in editor.headers["content-security-policy"]
    rows = list(parse_query_results(answer.content, QueryResultsFormat.TSV))
    assert len(rows) == 3


def test_connections_opened_at_once_spread_over_the_fronts(
    served: tuple[str, int, str],
) -> None:
    """A client pool that opens its connections at once (as wrk, or any pool at start-up) is
    served by every front, not by the one that woke first."""
    url, pid, _ = served
    port = int(url.rsplit(":", 1)[1])
    request = (b"GET /sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               b"Accept: application/sparql-results+json\r\n\r\n")
    opened = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(16)]
    try:
        for connection in opened:
            connection.sendall(request)
        for connection in opened:  # every one answered, and still open (kept alive)
            assert connection.recv(65536).startswith(b"HTTP/1.1 200")
        held = {front: len(established(front, port)) for front in fronts(pid)}
    finally:
        for connection in opened:
            connection.close()
    assert sum(held.values()) == 16, held
    assert min(held.values()) >= 6, held  # 8 each, give or take a moment's imbalance


def established(pid: int, port: int) -> set[int]:
    """The socket inodes of process `pid` in TCP connections accepted on `port` (from /proc)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":  # ESTABLISHED
            inodes.add(int(fields[9]))
    mine = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and int(target[8:-1]) in inodes:
            mine.add(int(target[8:-1]))
    return mine


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
    """Other clients keep asking, on both fronts, while a runaway query holds one: every one is
    answered, the runaway gets 503, and its front is replaced once its requests are done."""
    url, pid, _ = served
    before = fronts(pid)
    runaway: dict[str, object] = {}

    def run_away() -> None:
        runaway["response"] = httpx.get(url + "/sparql", params={"query": RUNAWAY},
                                        headers={"Accept": "application/json"}, timeout=120)

    answers = others_while(run_away, clients=4)
    response = runaway["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert response.json()["error"].startswith(f"the query ran longer than {TIMEOUT} s")
    assert len(answers) >= 8 and all(answers), answers
    # The front that ran it leaves (ending the query) and a new one takes its place.
    assert wait_for(lambda: len(fronts(pid)) == 2 and len(before - fronts(pid)) == 1, 60)
    assert ask(url, "ASK { ?s ?p ?o }")


def others_while(work: Callable[[], None], *, clients: int) -> list[bool]:
    """Run `work` in a thread while `clients` threads query (each on new connections, so both
    fronts take some) until it is done and one more round after: whether each was answered."""
    answers: list[bool] = []
    thread = threading.Thread(target=work)
    thread.start()

    def client() -> None:
        last_round = False
        while not last_round:
            last_round = not thread.is_alive()
            try:
                answer = httpx.get(url_of[0] + "/sparql", params={"query": TITLES},
                                   headers={"Accept": "application/sparql-results+json"},
                                   timeout=120)
                answers.append(answer.status_code == 200 and len(answer.json()["results"]
                                                                   ["bindings"]) > 0)
            except httpx.HTTPError as exc:
                answers.append(False)
                print("failed:", exc)
            time.sleep(0.05)

    workers = [threading.Thread(target=client) for _ in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    thread.join(timeout=300)
    return answers


TITLES = ("SELECT ?d ?t WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; "
          "<http://purl.org/dc/terms/title> ?t } LIMIT 20")
url_of: list[str] = []  # the served URL, for others_while


@pytest.fixture(autouse=True)
def _remember_url(served: tuple[str, int, str]) -> None:
    url_of[:] = [served[0]]


def test_a_stall_that_looks_cheap_costs_other_clients_nothing(
    served: tuple[str, int, str],
) -> None:
    """The same shape, nothing to do for an absent IRI and a product of three scans for one
    that is there: it never runs anywhere but a query thread, so other clients are answered
    while the stalls are stopped one by one."""
    url, _, _ = served
    shape = ("SELECT (COUNT(*) AS ?n) WHERE {{ ?x ?k ?v FILTER(STR(?v) = \"{}\") "
             "{{ SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} }} }}")
    stops: list[int] = []

    def attack() -> None:
        with httpx.Client(base_url=url, headers={"Accept": "application/json"},
                          timeout=120) as attacker:
            for number in range(4):  # cheap, on one kept-alive connection
                assert attacker.get("/sparql", params={
                    "query": shape.format(f"absent {number}")}).status_code == 200
            for _ in range(2):
                stops.append(attacker.get("/sparql", params={
                    "query": shape.format("KVK Zoeken API")}).status_code)

    answers = others_while(attack, clients=3)
    assert stops == [503, 503]
    assert len(answers) >= 8 and all(answers), answers


def test_one_visitors_language_never_reaches_another(served: tuple[str, int, str]) -> None:
    """The fronts pass requests on without keeping anything of an answer (a cookie jar kept
    the app's `lang=en` cookie and sent it with every later request)."""
    url, _, _ = served
    search = {"q": "adres"}
    json = {"Accept": "application/json"}
    dutch_hits, english_hits = (
        httpx.get(url + "/search", params=search, headers={**json, "Cookie": f"lang={lang}"})
        .json() for lang in ("nl", "en"))
    assert dutch_hits != english_hits
    seen: list[tuple[str, bool]] = []
    with httpx.Client(base_url=url) as english, httpx.Client(base_url=url) as dutch:
        for _ in range(6):
            chose = english.get("/", params={"lang": "en"})
            assert chose.cookies.get("lang") == "en"
            english.get("/search", params=search, headers={**json, "Accept-Language": "en"})
            page = dutch.get("/")
            found = dutch.get("/search", params=search, headers=json)
            seen.append((_page_language(page), found.json() == dutch_hits))
        assert not dutch.cookies
    assert seen == [("nl", True)] * 6


def _page_language(page: httpx.Response) -> str:
    return str(BeautifulSoup(page.text, "html.parser").find("html")["lang"])


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


def test_a_terminated_server_closes_what_it_opened(tmp_path: Path) -> None:
    """SIGTERM (what systemd, docker stop and kill send): the fronts leave, the private socket
    folder is removed and the store closes (uvicorn raised the signal again after its graceful
    shutdown, whose default action ended the process before any of that)."""
    private = tmp_path / "tmp"
    private.mkdir()
    with catalogue_serve(tmp_path / "store", env={"TMPDIR": str(private)}) as (_, proc):
        running = fronts(proc.pid)
        assert len(running) == 2 and list(private.glob("catalogue-*"))
        proc.terminate()
        assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    assert not list(private.glob("catalogue-*"))
    assert wait_for(lambda: not any(Path(f"/proc/{p}").exists() for p in running))
    reopened = Store(str(tmp_path / "store"))  # the lock was let go
    assert len(reopened) > 0


def test_service_and_updates_are_refused_before_any_request_leaves(
    served: tuple[str, int, str],
) -> None:
    """SERVICE in any spelling, by GET, POSTed query and form: 403, and the local server it
    names never hears from us."""
    heard: list[str] = []

    class Listener(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            heard.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    url, _, _ = served
    with loopback(Listener) as target:
        queries = [
            f"SELECT * WHERE {{ SERVICE<{target}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE#x\n<{target}/sparql> {{ ?s ?p ?o }} }}",
            f"ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{target}/sparql> {{ ?s ?p ?o }} }} }}",
            f"LOAD <{target}/data.ttl>",
            "CLEAR ALL",
        ]
        answers = []
        for query in queries:
            answers.append(httpx.get(url + "/sparql", params={"query": query}))
            answers.append(httpx.post(url + "/sparql", data={"query": query}))
            answers.append(httpx.post(url + "/sparql", content=query.encode(),
                                      headers={"Content-Type": "application/sparql-query"}))
    assert [answer.status_code for answer in answers] == [403] * len(answers)
    assert heard == []


def test_a_failure_in_the_app_keeps_the_connection_open() -> None:
    """An unexpected failure is answered 500 and the connection stays usable: uvicorn closes
    it after a failure that reaches it, and a proxy reusing it then fails its next request."""

    async def failing(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raise ValueError("a bug")

    app = FastAPI()
    app.add_route("/", failing)  # type: ignore[arg-type]
    with serving(kept_alive(app)) as url, httpx.Client(base_url=url) as client:  # type: ignore[arg-type]
        first = client.get("/")
        second = client.get("/")
    assert (first.status_code, second.status_code) == (500, 500)
    assert "connection" not in first.headers


# httpcore drops (rather than closes) a connection that failed this way; the garbage
# collector closes its socket.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_proxy_sends_a_request_again_when_the_app_closed_the_connection(
    tmp_path: Path,
) -> None:
    """An app that closes every kept-alive connection right after its answer: each next request
    on the front finds its connection gone before any answer, and is sent again on a new one."""
    app_socket = str(tmp_path / "app.sock")

    async def answer_and_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
        await writer.drain()
        await asyncio.sleep(0.2)  # a request sent meanwhile is never read
        writer.close()
        await writer.wait_closed()

    async def app_process(started: threading.Event, stop: asyncio.Event) -> None:
        server = await asyncio.start_unix_server(answer_and_close, app_socket)
        started.set()
        async with server:
            await stop.wait()
            await asyncio.sleep(0.5)  # the last connections are closed

    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    started = threading.Event()
    thread = threading.Thread(target=loop.run_until_complete, args=(app_process(started, stop),))
    thread.start()
    started.wait(10)
    front = Front(QueryRunner(SameStore(Store()), threads=1, timeout=5), app_socket)
    try:
        with (serving(front, lifespan="on") as url,  # type: ignore[arg-type]
              httpx.Client(base_url=url) as client):
            statuses = []
            for _ in range(20):  # each next request finds the connection about to close
                statuses.append(client.get("/doc/anything").status_code)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()
    assert statuses == [200] * 20


def test_reads_stay_available_through_large_writes(tmp_path: Path) -> None:
    """Two 200k-triple PUTs while a client keeps querying: no query fails meanwhile, and the
    first query after each write sees it within a second (a view of the store reopened after
    a large write used to replay the whole write-ahead log: every query answered 503)."""
    token = Publishers(tmp_path / "publishing").add(ORG_A)
    env = {"CATALOGUE_PUBLISH_DIR": str(tmp_path / "publishing"),
           "CATALOGUE_MAX_BODY_BYTES": str(64 * 1024 * 1024),
           "CATALOGUE_MAX_REQUEST_SECONDS": "1200"}  # a busy machine: not what is tested here
    failures: list[object] = []
    reads = 0
    with catalogue_serve(tmp_path / "store", env=env) as (url, _):
        done = threading.Event()

        def reader() -> None:
            nonlocal reads
            while not done.wait(0.05):
                try:
                    answer = httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                                       headers={"Accept": "application/json"}, timeout=120)
                    if answer.status_code != 200:
                        failures.append(answer.status_code)
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))
                reads += 1

        thread = threading.Thread(target=reader)
        thread.start()
        firsts = []
        try:
            for number in range(2):
                graph = f"{ORG_A}/graph/large-{number}"
                body = "".join(f'<{ORG_A}/large/{number}/{i}> <http://purl.org/dc/terms/title> '
                               f'"titel {i}" .\n' for i in range(200_000)).encode()
                written = httpx.put(url + "/store", params={"graph": graph}, content=body,
                                    headers={"Authorization": f"Bearer {token}",
                                             "Content-Type": "application/n-triples"},
                                    timeout=1200)
                assert written.status_code == 201, written.text
                started = time.monotonic()
                count = httpx.get(url + "/sparql", params={
                    "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
                    headers={"Accept": "application/sparql-results+json"}, timeout=120)
                firsts.append(time.monotonic() - started)
                assert count.json()["results"]["bindings"][0]["n"]["value"] == "200000"
        finally:
            done.set()
            thread.join(timeout=130)
    assert failures == []
    assert reads > 20
    assert all(seconds < 1 for seconds in firsts), firsts


def _chunked(data: bytes) -> Iterator[bytes]:
    """A body httpx sends chunked (no Content-Length), as curl's `Transfer-Encoding: chunked`."""
    yield data


def test_hostile_queries_get_their_error_and_every_process_stays(
    served: tuple[str, int, str],
) -> None:
    """Brackets nested thousands deep overflowed the engine parser's stack: a GET killed a
    front, a chunked POST the app process and with it the whole service. An escape of no
    character and a multipart form answered 500."""
    url, pid, _ = served
    before = fronts(pid)
    deep = "SELECT * WHERE {" + "{" * 5000 + "}" * 5000 + "}"
    sparql_query = {"Content-Type": "application/sparql-query", "Accept": "application/json"}
    answers = [
        httpx.get(url + "/sparql", params={"query": deep[:2500 + 16] + "}" * 2500 + "}"},
                  headers={"Accept": "application/json"}, timeout=60),
        httpx.post(url + "/sparql", content=_chunked(deep.encode()), headers=sparql_query,
                   timeout=60),
        httpx.post(url + "/sparql", content=b'SELECT * WHERE { ?s ?p "\\U00110000" }',
                   headers=sparql_query, timeout=60),
    ]
    answers += [  # chains without brackets overflowed the parser as well (a GET killed a front)
        httpx.get(url + "/sparql", params={"query": "SELECT * WHERE { FILTER(" + "!" * 20000
                                           + "true) }"}, timeout=60),
        httpx.post(url + "/sparql", content=_chunked(("SELECT * WHERE { " + " UNION ".join(
            ["{?s ?p ?o}"] * 20000) + " }").encode()), headers=sparql_query, timeout=60),
    ]
    assert [a.status_code for a in answers] == [400] * 5, [a.text for a in answers]
    assert "more than 100 deep" in answers[1].json()["error"]
    assert "line 1, column 25" in answers[2].json()["error"]
    for content_type in ("multipart/form-data; boundary=x", "multipart/form-data"):
        form = httpx.post(url + "/sparql", headers={"Content-Type": content_type},
                          content=b'--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n'
                                  b"ASK { ?s ?p ?o }\r\n--x--\r\n", timeout=60)
        assert form.status_code == 415, form.text
        assert "application/x-www-form-urlencoded" in form.text
        assert form.headers["x-content-type-options"] == "nosniff"
    too_large = httpx.post(url + "/sparql", content=_chunked(b"#" * (2 << 20)),
                           headers=sparql_query, timeout=60)
    assert too_large.status_code == 413
    assert ask(url, "ASK { ?s ?p ?o }")
    assert fronts(pid) == before  # no front died (and the app answered: it is alive)


def test_a_runaway_query_sent_chunked_is_stopped_in_a_front(
    served: tuple[str, int, str],
) -> None:
    """A chunked POST went on to the app process, which answered 503 at the timeout but went
    on running the query (93% of a core 50 s later): now a front reads it, and the front
    that ran it is replaced, which ends the query."""
    url, pid, _ = served
    before = fronts(pid)
    response = httpx.post(url + "/sparql", content=_chunked(RUNAWAY.encode()),
                          headers={"Content-Type": "application/sparql-query",
                                   "Accept": "application/json"}, timeout=120)
    assert response.status_code == 503
    assert wait_for(lambda: len(fronts(pid)) == 2 and len(before - fronts(pid)) == 1, 60)
    assert ask(url, "ASK { ?s ?p ?o }")
