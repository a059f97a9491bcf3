"""The hostile-input corpus against the real `catalogue serve` with a publisher's token: each case
gets its 4xx or 503 with a message that says what is wrong, nothing is written, the server still
answers a page afterwards, and its processes stay within a generous memory bound. Large cases
are generated here; small ones are files in tests/data/hostile/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from catalogue.publish import Publishers
from tests.conftest import DATA
from tests.web.live import catalogue_serve
from tests.web.test_front import children
from tests.web.test_publish import ORG_A
from tests.web.test_sparql import RUNAWAY

HOSTILE = DATA / "hostile"
HANG_GUARD = 60.0  # seconds: a case that takes longer counts as a hang, not as slow
MEMORY_BOUND = 1536 * 1024 * 1024  # bytes the server's processes may grow over the whole corpus
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
TURTLE = {"Content-Type": "text/turtle"}
RDF_XML = {"Content-Type": "application/rdf+xml"}


@dataclass(frozen=True)
class Served:
    url: str
    pid: int
    token: str
    base: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("hostile")
    token = Publishers(folder / "publishing").add(ORG_A)
    env = {"CATALOGUE_QUERY_TIMEOUT": "2", "CATALOGUE_QUERY_WORKERS": "2",
           "CATALOGUE_PUBLISH_DIR": str(folder / "publishing"),
           "CATALOGUE_MAX_REQUEST_SECONDS": "20"}
    with catalogue_serve(folder / "store", env=env) as (url, proc):
        yield Served(url, proc.pid, token, url)


def rss(pid: int) -> int:
    """Resident bytes of the process and its children (the fronts, query workers)."""
    total = 0
    for process in {pid} | children(pid):
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue  # a worker that ended meanwhile
    return total


def graphs(url: str) -> str:
    answer = httpx.get(url + "/sparql", params={"query": GRAPHS}, timeout=HANG_GUARD,
                       headers={"Accept": "text/tab-separated-values"})
    assert answer.status_code == 200, answer.text
    return answer.text


# Generated sources, too large (or too dull) to keep as files.
def blank_node_list(items: int = 1_000_000) -> bytes:
    """A Turtle list of a million blank nodes: 2.9 MB, two million triples."""
    return b"<http://example.org/s> <http://example.org/p> (" + b"[]" * items + b") ."


def deep_rdf_xml(levels: int = 40_000) -> bytes:
    """RDF/XML nested 40,000 levels deep (property and node elements in turn)."""
    opening = ('<rdf:Description><ex:p rdf:parseType="Resource">' * (levels // 2)).encode()
    closing = b"</ex:p></rdf:Description>" * (levels // 2)
    return (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns:ex="http://example.org/">' + opening + closing + b"</rdf:RDF>")


def huge_literal(size: int = 17 * 1024 * 1024) -> bytes:
    return b'<http://example.org/s> <http://example.org/p> "' + b"a" * size + b'" .'


def multipart(field: str, value: bytes) -> tuple[bytes, dict[str, str]]:
    boundary = "hostile-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n".encode()
            + value + f"\r\n--{boundary}--\r\n".encode())
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


Request = Callable[[httpx.Client, Served], httpx.Response]


def put(body: bytes, headers: dict[str, str], graph: str = "") -> Request:
    def send(client: httpx.Client, served: Served) -> httpx.Response:
        name = graph or f"{served.base}/id/graph/hostile"
        return client.put("/store", params={"graph": name}, content=body,
                          headers={**headers, "Authorization": f"Bearer {served.token}"})
    return send


def validate(body: bytes, headers: dict[str, str]) -> Request:
    return lambda client, _: client.post("/api/validate", content=body, headers=headers)


def get(path: str, **params: str) -> Request:
    return lambda client, _: client.get(path, params=params)


def form(data: dict[str, str]) -> Request:
    return lambda client, _: client.post("/validate", data=data)


def sparql(query: str) -> Request:
    return lambda client, _: client.get("/sparql", params={"query": query})


def raw(method: str, path: str, body: bytes, headers: dict[str, str]) -> Request:
    return lambda client, _: client.request(method, path, content=body, headers=headers)


LAUGHS = (HOSTILE / "billion-laughs.rdf").read_bytes()
YAML_BOMB = (HOSTILE / "alias-bomb.openapi.yaml").read_bytes()
SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"

# (name, request, expected status, a phrase the answer must contain)
CASES: list[tuple[str, Request, int, str]] = [
    ("billion laughs to /api/validate", validate(LAUGHS, RDF_XML), 422, "entit"),
    ("billion laughs to PUT /store", put(LAUGHS, RDF_XML), 422, "entit"),
    ("an OpenAPI upload whose YAML aliases expand to 387M values", lambda client, _: client.post(
        "/validate", files={"file": ("api.yaml", YAML_BOMB)}), 400, "aliases"),
    ("a million blank nodes to /api/validate", validate(blank_node_list(), TURTLE), 413,
     "triples"),
    ("a million blank nodes to PUT /store", put(blank_node_list(), TURTLE), 413, "triples"),
    ("RDF/XML 40k levels deep to /api/validate", validate(deep_rdf_xml(), RDF_XML), 413,
     "nest"),
    ("RDF/XML 40k levels deep to PUT /store", put(deep_rdf_xml(), RDF_XML), 413, "nest"),
    ("a literal over 16 MiB to /api/validate", validate(huge_literal(), TURTLE), 413,
     "longer than"),
    ("a literal over 16 MiB to PUT /store", put(huge_literal(), TURTLE), 413, "longer than"),
    ("a literal of 5 MiB to PUT /store", put(huge_literal(5 * 1024 * 1024), TURTLE), 413,
     "literal"),
    ("/resource?uri=%FF", lambda client, _: client.get("/resource?uri=%FF"), 400, "uri"),
    ("/resource?uri= with a space", get("/resource", uri="http://x/a b"), 400, "uri"),
    ("/resource?uri= relative", get("/resource", uri="not an iri"), 400, "uri"),
    ("SERVICE to loopback", sparql(SERVICE), 403, "SERVICE"),
    ("SERVICE behind a comment", sparql(
        "SELECT * WHERE { SERVICE#x\n<http://127.0.0.1:1/> { ?s ?p ?o } }"), 403, "SERVICE"),
    ("SERVICE inside FILTER EXISTS", sparql(
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://localhost:1/> "
        "{ ?s ?p ?o } } }"), 403, "SERVICE"),
    ("SERVICE by POST", raw("POST", "/sparql", SERVICE.encode(),
                            {"Content-Type": "application/sparql-query"}), 403, "SERVICE"),
    ("an update by POST", raw("POST", "/sparql", b"DROP ALL",
                              {"Content-Type": "application/sparql-update"}), 403, "read-only"),
    ("a runaway query", sparql(RUNAWAY), 503, "ran longer than 2 s"),
    *[(f"/validate by URL to {host}", form({"url": f"http://{host}:1/x.ttl"}), 400,
       "not public")
      for host in ("127.0.0.1", "localhost", "[::1]", "2130706433", "0.0.0.0", "127.1")],
    *[(f"look-alike graph {graph}", put(b"", TURTLE, graph), 422, repr(graph))
      for graph in ("urn:catalogue:graph:system/", "urn:", "http://")],
    ("a form text field over the limit", raw(
        "POST", "/validate", *multipart("text", b"a" * (21 * 1024 * 1024))), 413, "limit"),
    ("a body over the limit", put(b"#" * (21 * 1024 * 1024), TURTLE), 413, "limit"),
]


@pytest.fixture(scope="module")
def memory(served: Served) -> Iterator[list[int]]:
    """The RSS before the corpus; after it, asserts the growth stayed within the bound."""
    before = [rss(served.pid)]
    yield before
    grown = rss(served.pid) - before[0]
    assert grown < MEMORY_BOUND, f"the server grew by {grown / 2**20:.0f} MiB"


@pytest.mark.parametrize(("request_of", "status", "phrase"),
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_a_hostile_request_is_refused_and_changes_nothing(
    served: Served, memory: list[int], request_of: Request, status: int, phrase: str,
) -> None:
    before = graphs(served.url)
    with httpx.Client(base_url=served.url, timeout=HANG_GUARD) as client:
        answer = request_of(client, served)
    assert answer.status_code == status, answer.text[:500]
    assert phrase.lower() in answer.text.lower(), answer.text[:500]
    assert graphs(served.url) == before
    page = httpx.get(served.url + "/datasets", timeout=HANG_GUARD)
    assert page.status_code == 200
    assert rss(served.pid) - memory[0] < MEMORY_BOUND


@pytest.mark.parametrize("field", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("how", ["GET", "POST query", "POST form"])
@pytest.mark.parametrize("graph", ["not an iri", "http://x/a b", "urn:x\n", "%FF"])
def test_a_dataset_graph_that_is_no_iri_is_400_naming_its_field(
    served: Served, field: str, how: str, graph: str,
) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    accept = {"Accept": "application/sparql-results+json"}
    with httpx.Client(base_url=served.url, timeout=HANG_GUARD, headers=accept) as client:
        if how == "GET":
            answer = client.get("/sparql", params={"query": query, field: graph})
        elif how == "POST query":
            answer = client.post("/sparql", params={field: graph}, content=query,
                                 headers={"Content-Type": "application/sparql-query"})
        else:
            answer = client.post("/sparql", data={"query": query, field: graph})
    assert answer.status_code == 400, answer.text
    assert f"{field}=" in answer.text
    assert "is not an IRI" in answer.text
