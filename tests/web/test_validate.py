"""The /validate page and POST /api/validate: same validation, report grouped by focus node."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.store.terms import RdfFormat, parse
from tests.loopback import loopback

BAD = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
<http://example.org/d1> a dcat:Dataset ; dcat:theme <http://example.org/not-eu> .
<http://example.org/d2> a dcat:Dataset .
"""


@pytest.fixture(scope="module")
def rdf_server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
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


def test_a_url_is_fetched_with_a_size_limit(client: TestClient, rdf_server: str) -> None:
    page = client.post("/validate", data={"url": rdf_server + "/bad.ttl"})
    assert page.status_code == 200
    assert "http://example.org/d1" in page.text
    assert client.post("/validate", data={"url": rdf_server + "/huge"}).status_code == 413


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
