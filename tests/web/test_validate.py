"""The /validate page and POST /api/validate: same validation, report grouped by focus node; a URL
is fetched only from a public address, however the address is spelled or redirected to."""

from __future__ import annotations

import csv
import io
import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.fetch import AddressPolicy
from catalogue.store import EmbeddedStore
from catalogue.store.terms import RdfFormat, parse
from catalogue.web.app import create_app
from tests.conftest import BASE
from tests.loopback import LoopbackPorts, loopback, port_of

BAD = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
<http://example.org/d1> a dcat:Dataset ; dcat:theme <http://example.org/not-eu> .
<http://example.org/d2> a dcat:Dataset .
"""


ASKED: list[str] = []


@pytest.fixture(scope="module")
def rdf_server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            ASKED.append(self.path)
            body = BAD.encode() if self.path == "/bad.ttl" else b"#" * 30_000_000
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with loopback(Handler) as url:
        yield url


def test_the_form_has_labelled_inputs(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/validate").text, "html.parser")
    for name in ("profile", "file", "text", "url"):
        field = page.find(attrs={"name": name})
        assert field is not None
        assert page.find("label", attrs={"for": field["id"]}) is not None


def test_pasted_rdf_gives_a_report_grouped_by_focus_node(client: TestClient) -> None:
    answer = client.post("/validate?lang=en", data={"text": BAD, "profile": "dcat-ap-nl"})
    assert answer.status_code == 200
    page = BeautifulSoup(answer.text, "html.parser")
    groups = [h.get_text(strip=True) for h in page.select("section.focus h3")]
    assert groups == ["http://example.org/d1", "http://example.org/d2"]
    text = page.select_one("section.report").get_text(" ")
    assert "EU data-theme list" in text
    assert page.select_one("a[download]")["href"].startswith("data:text/csv")
    dutch = client.post("/validate?lang=nl", data={"text": BAD, "profile": "dcat-ap-nl"}).text
    assert "EU-lijst data-theme" in dutch


def test_csv_download(client: TestClient) -> None:
    answer = client.post("/validate", data={"text": BAD, "format": "csv"})
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert {row["focus"] for row in rows} == {"http://example.org/d1", "http://example.org/d2"}


def test_syntax_error_is_shown_with_its_line(client: TestClient) -> None:
    answer = client.post("/validate", data={"text": "<a> <b> ."})
    assert answer.status_code == 400
    assert "pasted.ttl:1" in BeautifulSoup(answer.text, "html.parser").get_text()


@pytest.fixture(scope="module")
def redirector(rdf_server: str) -> Iterator[str]:
    """A server that sends every request on to the RDF server (another loopback port)."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", rdf_server + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with loopback(Handler) as url:
        yield url


def _letting_through(policy: AddressPolicy) -> TestClient:
    """The site with its fetch policy replaced (no setting can do this): the stand-in for a
    public server is a loopback port."""
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=EmbeddedStore())
    app.state.site.fetch_policy = policy
    return TestClient(app)


def _error(answer: object) -> str:
    page = BeautifulSoup(answer.text, "html.parser")  # type: ignore[attr-defined]
    return str(page.select_one("div.error p").get_text(strip=True))


def test_a_url_is_fetched_with_a_size_limit(rdf_server: str) -> None:
    with _letting_through(LoopbackPorts(rdf_server)) as client:
        page = client.post("/validate", data={"url": rdf_server + "/bad.ttl"})
        assert page.status_code == 200
        assert "http://example.org/d1" in page.text
        assert client.post("/validate", data={"url": rdf_server + "/huge"}).status_code == 413


@pytest.mark.parametrize("host", [
    "127.0.0.1", "localhost", "[::1]", "2130706433", "0.0.0.0", "127.1", "0x7f.1",
    "[::ffff:127.0.0.1]", "[::]",
])
def test_loopback_in_any_spelling_is_not_fetched(
    client: TestClient, rdf_server: str, host: str
) -> None:
    url = f"http://{host}:{port_of(rdf_server)}/bad.ttl"
    ASKED.clear()
    answer = client.post("/validate", data={"url": url})
    assert answer.status_code == 400
    assert _error(answer) == f"cannot fetch {url}: the address is not public"
    assert ASKED == []


def test_a_redirect_to_loopback_is_not_followed(rdf_server: str, redirector: str) -> None:
    """The first hop is let through (as a public server would be); the hop it redirects to is
    checked the same way and refused."""
    ASKED.clear()
    with _letting_through(LoopbackPorts(redirector)) as client:
        answer = client.post("/validate", data={"url": redirector + "/bad.ttl"})
    assert answer.status_code == 400
    assert _error(answer) == (f"cannot fetch {redirector}/bad.ttl (redirected to "
                              f"{rdf_server}/bad.ttl): the address is not public")
    assert ASKED == []


def test_an_ipv6_url_gets_a_plain_message(client: TestClient) -> None:
    # A documentation address: refused before any connection is tried.
    answer = client.post("/validate", data={"url": "http://[2001:db8::1]/feed.ttl"})
    assert answer.status_code == 400
    assert _error(answer) == "cannot fetch http://[2001:db8::1]/feed.ttl: the address is not public"


def test_open_and_closed_ports_answer_alike(client: TestClient, rdf_server: str) -> None:
    """Refused before connecting, so an open port (an HTTP server, a silent listener) and a
    closed one give the same words; and so they do where private addresses are allowed."""
    with socket.socket() as silent, socket.socket() as closed:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        ports = {"http": port_of(rdf_server), "silent": silent.getsockname()[1],
                 "closed": closed.getsockname()[1]}
        urls = {name: f"http://127.0.0.1:{port}/x.ttl" for name, port in ports.items()}
        public = {name: _error(client.post("/validate", data={"url": url}))
                  for name, url in urls.items()}
        assert {text.replace(urls[name], "URL") for name, text in public.items()} == {
            "cannot fetch URL: the address is not public"}
        settings = Settings(store=Path(":memory:"), base_iri=BASE, fetch_timeout=1.0)
        app = create_app(settings, store=EmbeddedStore())
        app.state.site.fetch_policy = LoopbackPorts(urls["silent"], urls["closed"])
        with TestClient(app) as allowing:
            inside = {name: _error(allowing.post("/validate", data={"url": urls[name]}))
                      for name in ("silent", "closed")}
    assert {text.replace(urls[name], "URL") for name, text in inside.items()} == {
        "URL could not be fetched (no connection, or no complete answer within 1 s)"}


def test_api_answers_json_or_a_shacl_report(client: TestClient) -> None:
    headers = {"Content-Type": "text/turtle"}
    answer = client.post("/api/validate?profile=dcat-ap-nl", content=BAD, headers=headers)
    assert answer.status_code == 200
    assert answer.json()["conforms"] is False
    turtle = client.post("/api/validate", content=BAD,
                         headers={**headers, "Accept": "text/turtle"})
    quads = list(parse(turtle.content, RdfFormat.TURTLE))
    assert any(q.object.value == "http://www.w3.org/ns/shacl#ValidationReport" for q in quads)
    assert client.post("/api/validate?profile=nope", content=BAD,
                       headers=headers).status_code == 400


def test_a_large_report_shows_its_problems_by_kind_and_the_first_focus_nodes(
        client: TestClient) -> None:
    from catalogue.web.views.validate import EMBEDDED_CSV_RESULTS, FOCUS_SHOWN

    records = "\n".join(
        f"<http://example.org/d{n}> a dcat:Dataset ; dcat:theme <http://example.org/not-eu> ."
        for n in range(EMBEDDED_CSV_RESULTS))
    text = BAD.split("\n")[0] + "\n" + records
    answer = client.post("/validate?lang=en", data={"text": text, "profile": "dcat-ap-nl"})
    assert answer.status_code == 200
    page = BeautifulSoup(answer.text, "html.parser")
    assert len(page.select("section.focus")) == FOCUS_SHOWN
    note = page.find(string=lambda s: "first 100 of 2000 focus nodes" in s)
    assert note is not None
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")]
            for row in page.select("table.problems tbody tr")]
    theme = next(row for row in rows if row[1] == "dcat:theme")
    assert theme[0] == "violation" and theme[3] == theme[4] == str(EMBEDDED_CSV_RESULTS)
    assert theme[5] == "http://example.org/d0"
    assert [row[0] for row in rows] == sorted((row[0] for row in rows),
                                              key=("violation", "warning", "info").index)
    # Too large to put inside the page: the CSV button gives it.
    assert page.select_one("a[download]") is None
    assert "Validate and download CSV" in page.select_one("section.report").get_text(" ")
    dutch = BeautifulSoup(client.post("/validate?lang=nl", data={
        "text": text, "profile": "dcat-ap-nl"}).text, "html.parser")
    assert dutch.select_one("table.problems th").get_text() == "Ernst"


def test_a_file_name_with_spaces_braces_or_percent_signs_is_validated(
        client: TestClient) -> None:
    """The name is part of the base IRI relative IRIs resolve against: "my data.ttl" was
    refused as an invalid base IRI (400), where `catalogue validate` took the same file."""
    for name in ("my data.ttl", "{x}%20.ttl"):
        upload = client.post("/validate", files={"file": (name, BAD.encode(), "text/turtle")},
                             headers={"Accept": "text/html"})
        assert upload.status_code == 200, upload.text[:300]
        api = client.post("/api/validate", params={"name": name}, content=BAD.encode(),
                          headers={"Content-Type": "text/turtle"})
        assert api.status_code == 200 and api.json()["counts"]["Violation"] > 0
