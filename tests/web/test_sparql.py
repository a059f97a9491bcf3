"""/sparql: the protocol, every format, refusals, errors, the timeout, the service description
and the editor page."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.ingest import load_sources
from catalogue.store import EmbeddedStore
from catalogue.store.terms import (
    NamedNode,
    QueryResultsFormat,
    RdfFormat,
    parse,
    parse_query_results,
)
from catalogue.web.app import create_app
from tests.conftest import BASE, DATA
from tests.web.live import serving

BAG = f"{BASE}/id/dataset/bag"
TITLES = f"SELECT ?title WHERE {{ <{BAG}> <http://purl.org/dc/terms/title> ?title }}"
DESCRIBE = f"DESCRIBE <{BAG}>"
SD = "http://www.w3.org/ns/sparql-service-description#"
# Six unconstrained patterns over the test data: far more rows than any timeout lets finish.
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n2 ?o . ?p ?q ?r }")


def titles_of(body: bytes, results_format: QueryResultsFormat) -> set[str]:
    return {str(solution["title"].value) for solution in parse_query_results(body, results_format)}


@pytest.mark.parametrize(
    ("accept", "results_format"),
    [
        ("application/sparql-results+json", QueryResultsFormat.JSON),
        ("application/sparql-results+xml", QueryResultsFormat.XML),
        ("text/tab-separated-values", QueryResultsFormat.TSV),
    ],
)
def test_select_in_each_format_by_accept(
    client: TestClient, accept: str, results_format: QueryResultsFormat
) -> None:
    response = client.get("/sparql", params={"query": TITLES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert titles_of(response.content, results_format) == {
        "Basisregistratie Adressen en Gebouwen", "Addresses and Buildings Register"
    }


def test_select_as_csv_by_format_parameter(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": TITLES, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0] == "title"
    assert sorted(lines[1:]) == ["Addresses and Buildings Register",
                                 "Basisregistratie Adressen en Gebouwen"]


def test_ask_as_json(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": f"ASK {{ <{BAG}> ?p ?o }}"})
    assert bool(parse_query_results(response.content, QueryResultsFormat.JSON)) is True


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", RdfFormat.N_TRIPLES),
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", RdfFormat.RDF_XML),
    ],
)
def test_describe_of_a_dataset_in_each_rdf_format(
    client: TestClient, accept: str, rdf_format: RdfFormat
) -> None:
    response = client.get("/sparql", params={"query": DESCRIBE}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    triples = {quad.triple for quad in parse(response.content, rdf_format)}
    assert any(
        t.subject == NamedNode(BAG) and t.predicate == NamedNode("http://purl.org/dc/terms/identifier")
        for t in triples
    )


def test_construct_by_format_parameter_json_gives_json_ld(client: TestClient) -> None:
    query = f"CONSTRUCT {{ <{BAG}> ?p ?o }} WHERE {{ <{BAG}> ?p ?o }}"
    response = client.get("/sparql", params={"query": query, "format": "json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert len(list(parse(response.content, RdfFormat.JSON_LD))) > 5


def test_post_query_body_and_post_form(client: TestClient) -> None:
    direct = client.post("/sparql", content=TITLES,
                         headers={"Content-Type": "application/sparql-query"})
    form = client.post("/sparql", data={"query": TITLES})
    assert direct.status_code == form.status_code == 200
    assert titles_of(direct.content, QueryResultsFormat.JSON) == titles_of(
        form.content, QueryResultsFormat.JSON
    )


def test_default_graph_uri_chooses_the_dataset(client: TestClient) -> None:
    graph = f"{BASE}/id/graph/registry"
    inside = client.get("/sparql", params={"query": TITLES, "default-graph-uri": graph})
    elsewhere = client.get("/sparql", params={"query": TITLES, "default-graph-uri": BASE + "/none"})
    assert len(titles_of(inside.content, QueryResultsFormat.JSON)) == 2
    assert titles_of(elsewhere.content, QueryResultsFormat.JSON) == set()
    named = client.post("/sparql", data={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": graph,
    })
    rows = parse_query_results(named.content, QueryResultsFormat.JSON)
    assert [str(row["g"].value) for row in rows] == [graph]


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post("/sparql", content="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                         headers={"Content-Type": "application/sparql-update"}),
        lambda c: c.post("/sparql", data={"update": "DROP ALL"}),
        lambda c: c.get("/sparql", params={"query": "PREFIX x: <urn:x> DELETE WHERE { ?s ?p ?o }"}),
    ],
)
def test_updates_are_refused(client: TestClient, send: object) -> None:
    response = send(client)  # type: ignore[operator]
    assert response.status_code == 403
    assert "read-only" in response.text and "catalogue load" in response.text
    assert client.get("/sparql", params={"query": f"ASK {{ <{BAG}> ?p ?o }}"}).text.find("true") > 0


def test_syntax_error_is_400_with_line_and_column(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    assert "line 3, column" in response.text


def test_service_calls_are_refused(client: TestClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    assert client.get("/sparql", params={"query": query}).status_code == 403


def test_unknown_format_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": TITLES, "format": "yaml"})
    assert response.status_code == 406


def test_cors_is_open_for_reading(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": TITLES}, headers={"Origin": "http://x.test"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options("/sparql", headers={
        "Origin": "http://x.test", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_service_description_for_rdf_clients(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    triples = {quad.triple for quad in parse(response.content, RdfFormat.TURTLE)}
    endpoint = NamedNode(f"{BASE}/sparql")
    assert any(t.subject == endpoint and t.predicate == NamedNode(SD + "endpoint") for t in triples)
    assert any(t.object == NamedNode(SD + "SPARQL11Query") for t in triples)
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert len(list(parse(jsonld.content, RdfFormat.JSON_LD))) == len(triples)


def test_editor_page_for_browsers(client: TestClient) -> None:
    response = client.get("/sparql?lang=en", headers={"Accept": "text/html"})
    page = BeautifulSoup(response.text, "html.parser")
    examples = [a.get_text(strip=True) for a in page.select("a.sparql-example")]
    assert "Which APIs serve data about a pand (building)?" in examples
    assert len(examples) == 4
    assert page.select_one("textarea[name=query]") is not None  # usable without JavaScript
    assert {a["data-format"] for a in page.select("a.sparql-download")} == {
        "json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdf"}
    assert page.select_one("script[src='/static/vendor/yasgui/yasgui.min.js']") is not None
    assert any(a.get_text() == "SPARQL" for a in page.select("header nav a"))
    assert client.get("/static/vendor/yasgui/yasgui.min.js").status_code == 200


def test_example_queries_answer_on_the_test_data(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/sparql", headers={"Accept": "text/html"}).text, "html.parser")
    answers = [
        client.get("/sparql", params={"query": a["data-query"]}).content
        for a in page.select("a.sparql-example")
    ]
    pand, definitions, per_organisation, impact = (
        list(parse_query_results(body, QueryResultsFormat.JSON)) for body in answers
    )
    assert [str(row["api"].value) for row in pand] == [f"{BASE}/id/api/bag"]
    assert any(row["source"] is not None for row in definitions)
    assert per_organisation and str(per_organisation[0]["datasets"].value) == "1"
    assert {str(r["category"].value): str(r["count"].value) for r in impact}["datasets"] == "1"


def test_runaway_query_stops_at_the_timeout_while_others_answer() -> None:
    store = EmbeddedStore()
    load_sources(store, sorted(DATA.glob("*.ttl")), base=BASE)
    settings = Settings(store=Path(":memory:"), base_iri=BASE, query_timeout=2, query_workers=2)
    app = create_app(settings, store=store)
    finished: list[str] = []
    runaway: dict[str, httpx.Response] = {}
    with serving(app) as url:
        def run_away() -> None:
            runaway["response"] = httpx.get(url + "/sparql", params={"query": RUNAWAY}, timeout=60)
            finished.append("runaway")

        thread = threading.Thread(target=run_away)
        thread.start()
        simple = httpx.get(url + "/sparql", params={"query": TITLES}, timeout=60)
        finished.append("simple")
        thread.join()
        after = httpx.get(url + "/sparql", params={"query": TITLES}, timeout=60)
    assert simple.status_code == 200
    assert finished == ["simple", "runaway"]
    assert runaway["response"].status_code == 503
    assert "2 s" in runaway["response"].text
    assert after.status_code == 200  # the killed worker was replaced


def test_on_disk_store_answers_and_sees_later_writes(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load_sources(store, sorted(DATA.glob("*.ttl")), base=BASE)
    settings = Settings(store=tmp_path / "store", base_iri=BASE, index=tmp_path / "index.sqlite")
    app = create_app(settings, store=store)
    ask = {"query": "ASK { GRAPH ?g { <urn:later> ?p ?o } }"}
    with TestClient(app) as client:
        before = client.get("/sparql", params=ask).json()["boolean"]
        later = tmp_path / "later.ttl"
        later.write_text("<urn:later> <urn:p> 1 .\n")
        load_sources(store, [later], base=BASE)
        after = client.get("/sparql", params=ask).json()["boolean"]
    app.state.sparql_endpoint.close()
    app.state.site.index.close()
    store.close()
    assert (before, after) == (False, True)


@pytest.mark.parametrize(
    "query_string",
    [b"query=SELECT+%3Fs+WHERE+%7B%7D&format=json", b"a=%C3%A9t%C3%A9+%2B1&b=&c", b"x=%zz%2",
     b"q=%E2%82%AC%20and%2520", b"&&a=1&"],
)
def test_query_fields_read_like_urllib(query_string: bytes) -> None:
    from urllib.parse import parse_qsl

    from catalogue.web.views.sparql import query_fields

    expected = parse_qsl(query_string.decode("ascii"), keep_blank_values=True)
    assert query_fields(query_string) == expected
