"""The site on a remote store (Virtuoso and Oxigraph server, started here): the /sparql gate,
publishing, results past Virtuoso's row cap, large writes in chunks, instances that follow
each other's writes, and a server set up without a union default graph."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.errors import RemoteStoreError
from catalogue.namespaces import DCT, XSD
from catalogue.publish import Publishers
from catalogue.store import EmbeddedStore, GraphRecord, open_store
from catalogue.store.remote import (
    CHUNK_TRIPLES,
    CLAIMS,
    STAGING,
    VIRTUOSO_GRAPHS,
    RemoteStore,
    chunks,
)
from catalogue.store.terms import BlankNode, Literal, NamedNode, RdfFormat, Triple
from catalogue.web.app import create_app
from tests.conftest import BASE
from tests.store.servers import OXIGRAPH, SERVERS, Server, oxigraph, started
from tests.web.live import free_port, wait_until_up
from tests.web.test_publish import BAD, ORG_A, ORG_B, auth, dataset

CATALOGUE = Path(sys.executable).with_name("catalogue")
GRAPH_A = f"{BASE}/id/graph/a-datasets"

pytestmark = pytest.mark.skipif(not SERVERS, reason="no oxigraph server and no virtuoso-t")


@pytest.fixture
def site(
    server: Server, tmp_path: Path
) -> Iterator[tuple[TestClient, RemoteStore, dict[str, str]]]:
    settings = server.settings(tmp_path)
    store = open_store(settings)
    assert isinstance(store, RemoteStore)
    load_bundled(store, base=BASE)
    publishers = Publishers(tmp_path / "publishing")
    tokens = {"A": publishers.add(ORG_A), "B": publishers.add(ORG_B)}
    app = create_app(settings, store=store)
    with TestClient(app) as client:
        yield client, store, tokens
    app.state.site.index.close()
    store.close()


REFUSED = {
    "INSERT": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "CLEAR": "CLEAR ALL",
    "LOAD": "LOAD <http://127.0.0.1:1/x.ttl>",
    "SERVICE": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
}


def test_sparql_refuses_updates_load_and_service(site) -> None:  # type: ignore[no-untyped-def]
    client, store, _ = site
    before = [(r.graph, r.content_hash) for r in store.graphs()]
    for name, query in REFUSED.items():
        for answer in (client.get("/sparql", params={"query": query}),
                       client.post("/sparql", data={"query": query}),
                       client.post("/sparql", data={"update": query}),
                       client.post("/sparql", content=query.encode(),
                                   headers={"Content-Type": "application/sparql-query"})):
            assert answer.status_code == 403, (name, answer.status_code, answer.text)
    assert [(r.graph, r.content_hash) for r in store.graphs()] == before
    assert not store.ask("ASK { <urn:a> <urn:b> <urn:c> }")
    ask = client.get("/sparql", params={"query": "ASK { ?s a ?t }"},
                     headers={"Accept": "application/sparql-results+json"})
    assert ask.json()["boolean"] is True
    blank = client.get("/sparql", params={
        "query": "SELECT ?b WHERE { ?s ?p ?b FILTER(isBlank(?b)) } LIMIT 1"},
        headers={"Accept": "application/sparql-results+json"})
    [cell] = [row["b"] for row in blank.json()["results"]["bindings"]]
    assert cell["type"] == "bnode" and "://" not in cell["value"]


def test_publishing_with_tokens(site) -> None:  # type: ignore[no-untyped-def]
    client, store, tokens = site
    body = dataset(f"{BASE}/id/dataset/p", ORG_A)
    created = client.put("/store", params={"graph": GRAPH_A}, content=body,
                         headers=auth(tokens["A"]))
    assert created.status_code == 201, created.text
    assert client.put("/store", params={"graph": GRAPH_A}, content=body,
                      headers=auth("wrong")).status_code == 401
    assert client.put("/store", params={"graph": GRAPH_A}, content=body,
                      headers=auth(tokens["B"])).status_code == 403
    assert client.put("/store", params={"graph": GRAPH_A}, content=BAD.encode(),
                      headers=auth(tokens["A"])).status_code == 422
    record = next(r for r in store.graphs() if r.graph == GRAPH_A)
    assert record.publisher == ORG_A
    page = client.get("/doc/dataset/p", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Parkeerplaatsen" in page.text
    found = client.get("/search", params={"q": "Parkeerplaatsen"},
                       headers={"Accept": "text/html"})
    assert "/doc/dataset/p" in found.text
    client.put("/store", params={"graph": GRAPH_A}, headers=auth(tokens["A"]),
               content=dataset(f"{BASE}/id/dataset/p", ORG_A, "Parkeren"))
    history = client.get("/history", params={"graph": GRAPH_A}, headers={"Accept": "text/html"})
    assert history.status_code == 200
    assert "Parkeren" in client.get("/doc/dataset/p", headers={"Accept": "text/html"}).text
    exported = client.get("/store", params={"graph": GRAPH_A}, headers={"Accept": "text/turtle"})
    assert exported.status_code == 200 and b"Parkeren" in exported.content
    for path in ("/datasets", "/catalog", "/graphs"):
        assert client.get(path).status_code == 200, path


def test_results_past_virtuosos_row_cap_are_all_read(server: Server, tmp_path: Path) -> None:
    store = open_store(server.settings(tmp_path))
    assert isinstance(store, RemoteStore)
    many = 12_345
    graph = f"{BASE}/id/graph/many"
    triples = [Triple(NamedNode(f"{BASE}/id/thing/{n}"), NamedNode("urn:p:n"), Literal(str(n)))
               for n in range(many)]
    store.replace_graphs({graph: triples}, [])
    rows = store.select(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert len({row["s"] for row in rows}) == many
    store.close()


def test_a_large_graph_with_blank_nodes_is_written_whole(server: Server, tmp_path: Path) -> None:
    store = open_store(server.settings(tmp_path))
    assert isinstance(store, RemoteStore)
    graph = f"{BASE}/id/graph/large"
    triples = []
    for n in range(3 * CHUNK_TRIPLES):
        node = BlankNode()
        triples += [Triple(NamedNode(f"{BASE}/id/thing/{n}"), NamedNode("urn:p:has"), node),
                    Triple(node, NamedNode("urn:p:n"), Literal(str(n)))]
    store.replace_graphs({graph: triples}, [])
    rows = store.select(
        f"SELECT ?s ?n WHERE {{ GRAPH <{graph}> {{ ?s <urn:p:has> ?b . ?b <urn:p:n> ?n }} }}")
    assert len(rows) == 3 * CHUNK_TRIPLES  # each blank node stayed one node
    names = store.graph_names()
    assert names == [graph]  # no staging graph left behind
    store.close()


def test_chunks_keep_each_blank_node_in_one_request() -> None:
    a, b = BlankNode(), BlankNode()
    triples = [Triple(NamedNode(f"urn:s:{n}"), NamedNode("urn:p"), Literal(str(n)))
               for n in range(5)]
    triples += [Triple(NamedNode("urn:x"), NamedNode("urn:p"), a), Triple(a, NamedNode("urn:p"), b),
                Triple(b, NamedNode("urn:p"), Literal("end"))]
    parts = list(chunks(triples, 2))
    assert sorted(map(str, (t for part in parts for t in part))) == sorted(map(str, triples))
    together = [part for part in parts if any(isinstance(t.object, BlankNode) for t in part)]
    assert len(together) == 1 and len(together[0]) == 3


def test_two_instances_see_each_others_writes(server: Server, tmp_path: Path) -> None:
    publishers = Publishers(tmp_path / "publishing")
    token = publishers.add(ORG_A)
    urls, processes = [], []
    try:
        for name in ("one", "two"):
            port = free_port()
            env = os.environ | server.environment(tmp_path) | {
                "CATALOGUE_INDEX": str(tmp_path / f"index-{name}.sqlite"),
                "CATALOGUE_BASE_IRI": BASE}
            processes.append(subprocess.Popen(
                [str(CATALOGUE), "serve", "--port", str(port)], env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            urls.append(f"http://127.0.0.1:{port}")
            # one at a time: the first fills the empty store, the second finds it filled
            wait_until_up(urls[-1] + "/", seconds=120, process=processes[-1])
        one, two = urls
        title = "Fietsenstallingen"
        created = httpx.put(one + "/store", params={"graph": GRAPH_A},
                            content=dataset(f"{BASE}/id/dataset/f", ORG_A, title),
                            headers=auth(token), timeout=60)
        assert created.status_code == 201, created.text
        listed = eventually(lambda: title in page_text(two + "/datasets"))
        found = eventually(lambda: title in page_text(two + "/search?q=" + title))
        assert listed and found
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.skipif(not OXIGRAPH.exists(), reason="no oxigraph server")
def test_serve_refuses_a_server_without_a_union_default_graph(tmp_path: Path) -> None:
    with oxigraph(tmp_path / "oxigraph", union=False) as server:
        env = os.environ | server.environment(tmp_path)
        ran = subprocess.run([str(CATALOGUE), "serve", "--port", str(free_port())], env=env,
                             capture_output=True, text=True, timeout=120)
    assert ran.returncode != 0
    assert "--union-default-graph" in ran.stderr


def page_text(url: str) -> str:
    answer = httpx.get(url, headers={"Accept": "text/html"}, timeout=30)
    assert answer.status_code == 200, (url, answer.status_code)
    return " ".join(BeautifulSoup(answer.text, "html.parser").get_text(" ").split())


def eventually(check: Callable[[], bool], *, seconds: float = 30.0) -> bool:
    """Whether `check` comes true before a generous hang guard (the followers poll every 2 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


WRITER_SCRIPT = """
import sys
from catalogue.store.remote import RemoteStore
from catalogue.store.terms import BlankNode, Literal, NamedNode, Triple
store = RemoteStore(sys.argv[1], update_endpoint=sys.argv[2])
triples = []
for n in range(200_000):
    node = BlankNode()
    triples += [Triple(NamedNode(f"urn:thing:{n}"), NamedNode("urn:p:has"), node),
                Triple(node, NamedNode("urn:p:n"), Literal(str(n)))]
store.replace_graphs({sys.argv[3]: triples}, [])
"""


@pytest.mark.skipif("virtuoso" not in SERVERS, reason="no virtuoso-t")
def test_a_chunked_write_killed_halfway_leaves_the_old_graph(tmp_path: Path) -> None:
    with started("virtuoso", tmp_path / "virtuoso") as server:
        store = open_store(server.settings(tmp_path))
        assert isinstance(store, RemoteStore)
        try:
            killed_writer_leaves_the_old_graph(store, server)
        finally:
            store.close()


def killed_writer_leaves_the_old_graph(store: RemoteStore, server: Server) -> None:
    load_bundled(store, base=BASE)
    graph = store.graphs()[0].graph
    before = store.graphs(), sorted(map(str, store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")))
    writer = subprocess.Popen([sys.executable, "-c", WRITER_SCRIPT, server.query,
                               server.update, graph])
    try:
        assert eventually(lambda: bool(set(staging(store)) - {CLAIMS}), seconds=120), \
            "no chunk arrived"
    finally:
        writer.kill()
        writer.wait(timeout=30)
    after = store.graphs(), sorted(map(str, store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")))
    assert after == before
    assert store.graph_names() == sorted(r.graph for r in before[0])  # not the staging one
    assert store.recover(older_than=3600) == []  # may be a live write
    # The server may still be running the chunk the writer sent just before it was killed, and
    # that chunk lands after a first recovery: recovery (run at every start) clears it then.
    assert eventually(lambda: not store.recover(older_than=-1) and not staging(store),
                      seconds=60), staging(store)
    assert (store.graphs(), sorted(map(str, store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")))) == before


def staging(store: RemoteStore) -> list[str]:
    return store.staging_graphs()


def test_reindex_reads_more_than_ten_thousand_resources(server: Server, tmp_path: Path) -> None:
    store = open_store(server.settings(tmp_path))
    assert isinstance(store, RemoteStore)
    many = 10_500
    dataset_type = NamedNode("http://www.w3.org/ns/dcat#Dataset")
    triples = []
    for n in range(many):
        iri = NamedNode(f"{BASE}/id/dataset/d{n}")
        triples += [Triple(iri, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                           dataset_type),
                    Triple(iri, NamedNode("http://purl.org/dc/terms/title"),
                           Literal(f"Dataset {n}", language="nl"))]
    graph = f"{BASE}/id/graph/many"
    record = GraphRecord(graph, "urn:test:many", None, datetime.now(UTC).replace(microsecond=0),
                         "0" * 64, len(triples))
    store.replace_graphs({graph: triples}, [record])
    store.close()
    env = os.environ | server.environment(tmp_path) | {"CATALOGUE_BASE_IRI": BASE}
    ran = subprocess.run([str(CATALOGUE), "reindex"], env=env, capture_output=True, text=True,
                         timeout=600)
    assert ran.returncode == 0, ran.stderr
    indexed = int(ran.stdout.split("indexed ")[1].split()[0])
    assert indexed >= many


def test_a_slow_query_is_503_and_errors_do_not_show_the_servers_address(
    server: Server, tmp_path: Path
) -> None:
    settings = server.settings(tmp_path).model_copy(update={"query_timeout": 0.5})
    store = open_store(settings)
    load_bundled(store, base=BASE)
    app = create_app(settings, store=store)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with TestClient(app) as client:
        answer = client.get("/sparql", params={"query": slow},
                            headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 503, answer.text
    app.state.site.index.close()
    store.close()
    closed = RemoteStore(f"http://127.0.0.1:{free_port()}/sparql/internal-name")
    with pytest.raises(RemoteStoreError) as failed:
        closed.select("SELECT * WHERE { ?s ?p ?o }")
    assert "internal-name" not in str(failed.value) and "127.0.0.1" not in str(failed.value)
    closed.close()


def test_every_page_family_matches_the_embedded_store(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The bundled content on the remote server and in the embedded store: the same pages,
    lists, facets, Skosmos API and downloads."""
    remote, _, _ = site
    embedded = EmbeddedStore()
    load_bundled(embedded, base=BASE)
    settings = Settings(store=Path(":memory:"), base_iri=BASE, publish_dir=tmp_path / "emb")
    with TestClient(create_app(settings, store=embedded)) as client:
        compare_pages(remote, client)


def compare_pages(remote: TestClient, client: TestClient) -> None:
    vocabularies = client.get("/rest/v1/vocabularies").json()
    assert remote.get("/rest/v1/vocabularies").json() == vocabularies
    vocid = vocabularies["vocabularies"][0]["id"]
    paths = ["/", "/datasets", "/apis", "/begrippen", f"/begrippen/{vocid}",
             f"/begrippen/{vocid}/az", f"/begrippen/{vocid}/boom", "/search?q=gebouw",
             "/catalog", "/koppelingen", "/standaarden", f"/impact?uri={BASE}/id/begrip/pand"]
    for path in paths:
        ours, theirs = remote.get(path, headers={"Accept": "text/html"}), client.get(
            path, headers={"Accept": "text/html"})
        assert ours.status_code == theirs.status_code == 200, path
    for path in (f"/rest/v1/{vocid}/topConcepts", "/rest/v1/search?query=*gebouw*"):
        ours, theirs = remote.get(path), client.get(path)
        assert ours.status_code == theirs.status_code == 200, path
        assert ours.json() == theirs.json(), path
    # the connections map's rows (its query was once refused by Virtuoso for its cost)
    ours, theirs = remote.get("/koppelingen.csv"), client.get("/koppelingen.csv")
    assert ours.status_code == theirs.status_code == 200
    assert ours.text == theirs.text and ours.text.count("\n") > 600
    download = remote.get(f"/begrippen/{vocid}/download.ttl")
    assert download.status_code == 200 and len(download.content) > 100


def test_a_reader_sees_only_the_old_graph_while_a_chunked_write_runs(site) -> None:  # type: ignore[no-untyped-def]
    """Virtuoso's default graph is the union of every graph, staging graphs too: halfway
    through a chunked write, a page and /sparql still show the old graph, and only it."""
    client, store, _ = site
    if not store.virtuoso:
        pytest.skip("a write is one request on Oxigraph server")
    iri = f"{BASE}/id/dataset/p"
    old = [quad.triple for quad in pyoxigraph.parse(dataset(iri, ORG_A), RdfFormat.TURTLE)]
    store.replace_graphs({GRAPH_A: old}, [])
    new = [quad.triple for quad in pyoxigraph.parse(dataset(iri, ORG_A, "Fietsenstallingen"),
                                                    RdfFormat.TURTLE)]
    new += [Triple(NamedNode(f"{BASE}/id/thing/{n}"), NamedNode("urn:p:filler"), Literal(str(n)))
            for n in range(3 * CHUNK_TRIPLES)]
    seen: list[tuple[str, list[str], int]] = []
    fill = store._fill

    def fill_then_read(staging_graph: str, triples: list[Triple]) -> None:
        fill(staging_graph, triples)  # the new graph is in, under its staging name
        page = client.get("/doc/dataset/p", headers={"Accept": "text/html"})
        titles = sparql_column(client, f"SELECT ?t WHERE {{ <{iri}> <{DCT}title> ?t }}")
        fillers = sparql_column(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p:filler> ?o }")
        seen.append((page_text_of(page), titles, int(fillers[0])))

    store._fill = fill_then_read
    try:
        store.replace_graphs({GRAPH_A: new}, [])
    finally:
        store._fill = fill
    [(page, titles, fillers)] = seen
    assert "Parkeerplaatsen" in page and "Fietsenstallingen" not in page
    assert titles == ["Parkeerplaatsen"] and fillers == 0
    assert sparql_column(client, f"SELECT ?t WHERE {{ <{iri}> <{DCT}title> ?t }}") == [
        "Fietsenstallingen"]
    assert "Fietsenstallingen" in page_text_of(
        client.get("/doc/dataset/p", headers={"Accept": "text/html"}))
    assert not staging(store)


def test_sparql_hides_virtuosos_graphs_and_answers_standard_booleans(site) -> None:  # type: ignore[no-untyped-def]
    """/sparql and exports show the catalogue's graphs only, and booleans as true/false
    (Virtuoso writes a stored one as 1/0 and a computed one as an integer)."""
    client, store, _ = site
    graph = f"{BASE}/id/graph/flags"
    store.replace_graphs({graph: [
        Triple(NamedNode("urn:flag:on"), NamedNode("urn:p:flag"), Literal(True)),
        Triple(NamedNode("urn:flag:off"), NamedNode("urn:p:flag"), Literal(False))]}, [])
    graphs = sparql_column(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert graphs and not [g for g in graphs if g in VIRTUOSO_GRAPHS or g.startswith(STAGING)]
    assert sparql_column(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS("
                         "STR(?s), 'http://www.openlinksw.com/')) }") == ["0"]
    exported = io.BytesIO()
    store.dump(exported, format=RdfFormat.N_QUADS)
    assert b"openlinksw" not in exported.getvalue()
    query = ("SELECT ?s ?flag (isIRI(?s) AS ?iri) (?flag && true AS ?both) (1 AS ?one) "
             "WHERE { ?s <urn:p:flag> ?flag } ORDER BY ?s")
    boolean, integer = f"{XSD}boolean", f"{XSD}integer"
    for results in ("application/sparql-results+json", "application/sparql-results+xml"):
        answer = client.get("/sparql", params={"query": query}, headers={"Accept": results})
        assert answer.status_code == 200, answer.text
        kind = pyoxigraph.QueryResultsFormat.from_media_type(results)
        rows = list(pyoxigraph.parse_query_results(answer.content, kind))  # type: ignore[arg-type]
        cells = [[(row[n].value, row[n].datatype.value) for n in ("flag", "iri", "both", "one")]
                 for row in rows]
        assert cells == [
            [("false", boolean), ("true", boolean), ("false", boolean), ("1", integer)],
            [("true", boolean), ("true", boolean), ("true", boolean), ("1", integer)],
        ], results
    [row] = store.select("SELECT ?flag WHERE { <urn:flag:on> <urn:p:flag> ?flag }")
    assert row["flag"] == Literal(True)


def test_construct_answers_rdf_whatever_else_the_client_accepts(site) -> None:  # type: ignore[no-untyped-def]
    """Offered a results format beside Turtle (curl's */*), Virtuoso answered a CONSTRUCT as
    result rows, its blank nodes as IRIs; a results format alone gave 502, not 406. From a
    query with 0 in its answer, rdflib's grammar failing (!!) gave 500."""
    client, _, _ = site
    construct = ("CONSTRUCT { ?d a <http://www.w3.org/ns/dcat#Dataset> } WHERE { "
                 "?d a <http://www.w3.org/ns/dcat#Dataset> } LIMIT 3")
    for accept in ("*/*", "application/sparql-results+json, text/turtle"):
        answer = client.get("/sparql", params={"query": construct}, headers={"Accept": accept})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].split(";")[0] in (
            "text/turtle", "application/n-triples", "application/ld+json")
        media = answer.headers["content-type"].split(";")[0]
        assert len(list(pyoxigraph.parse(answer.content, RdfFormat.from_media_type(media)))) == 3
    refused = client.get("/sparql", params={"query": construct},
                         headers={"Accept": "application/sparql-results+xml"})
    assert refused.status_code == 406
    assert sparql_column(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://x.org/None> "
                                 "FILTER(!!BOUND(?s)) }") == ["0"]


def sparql_column(client: TestClient, query: str) -> list[str]:
    """The values of a /sparql SELECT's first variable, read as JSON results."""
    answer = client.get("/sparql", params={"query": query},
                        headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    name = answer.json()["head"]["vars"][0]
    return [row[name]["value"] for row in answer.json()["results"]["bindings"]]


def page_text_of(answer: httpx.Response) -> str:
    assert answer.status_code == 200, answer.status_code
    return " ".join(BeautifulSoup(answer.text, "html.parser").get_text(" ").split())


def test_a_dataset_page_is_four_requests_and_the_embedded_page(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Two requests find which page an IRI gets (its types), two fetch what the page shows
    (were about 19), four draw its relation picture (two steps out, labels, kinds), and the
    page reads as on the embedded store."""
    remote, store, _ = site
    embedded = EmbeddedStore()
    load_bundled(embedded, base=BASE)
    iris = sorted(row["d"].value for row in embedded.select(
        "SELECT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> FILTER(isIRI(?d)) }"))
    sent: list[str] = []
    send = store._send

    def counted(method: str, url: str, **options: object) -> Any:
        sent.append(str(options.get("data", {}))[:150])
        return send(method, url, **options)

    settings = Settings(store=Path(":memory:"), base_iri=BASE, publish_dir=tmp_path / "emb")
    with TestClient(create_app(settings, store=embedded)) as client:
        for iri in iris:
            path = iri.removeprefix(BASE).replace("/id/", "/doc/", 1)
            sent.clear()
            store._send = counted
            try:
                ours = remote.get(path, headers={"Accept": "text/html"})
            finally:
                store._send = send
            assert len(sent) <= 8, "\n".join(sent)
            theirs = client.get(path, headers={"Accept": "text/html"})
            assert main_text(ours) == main_text(theirs), path


def main_text(answer: Any) -> str:
    assert answer.status_code == 200, answer.status_code
    main = BeautifulSoup(answer.text, "html.parser").find("main")
    assert main is not None
    # Past the limit of 200, which links to a resource are listed is the store's order (BRP and
    # BAG have 684, from every municipality that uses them): only their number must agree.
    for cut in main.select("section[aria-labelledby=inbound]:has(p.note) tbody"):
        cut.replace_with(f"{len(cut.find_all('tr'))} rows")
    return " ".join(main.get_text(" ").split())
