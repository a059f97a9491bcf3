"""Every IRI that arrives in a request goes through the one IRI parser: a malformed one is a
400 that names the parameter and says what is wrong, never a 500 (issue 12)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

BAD = {
    "not UTF-8": "%FF",
    "space": quote("https://example.org/a b"),
    "less-than": quote("https://example.org/a<b"),
    "greater-than": quote("https://example.org/a>b"),
    "newline": quote("https://example.org/a\nb"),
    "brace": quote("https://example.org/{a}"),
    "relative": "begrip/a",
    "bad percent": quote("https://example.org/%zz"),
    "quote": quote('https://example.org/a"b'),
}
ENDPOINTS = [
    ("GET", "/resource?uri={}", "uri"),
    ("GET", "/resource.ttl?uri={}", "uri"),
    ("GET", "/rest/v1/any/data?uri={}", "uri"),
    ("GET", "/rest/v1/any/label?uri={}", "uri"),
    ("GET", "/rest/v1/any/hierarchy?uri={}", "uri"),
    ("GET", "/quality/publisher?uri={}", "uri"),
    ("GET", "/history?graph={}", "graph"),
    ("GET", "/store?graph={}", "graph"),
    ("PUT", "/store?graph={}", "graph"),
    ("DELETE", "/store?graph={}", "graph"),
    ("POST", "/store/rollback?version=1&graph={}", "graph"),
]


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize(("method", "url", "field"), ENDPOINTS,
                         ids=[f"{m} {u.split('?')[0]}" for m, u, _ in ENDPOINTS])
def test_a_malformed_iri_is_a_400_naming_the_field(
    client: TestClient, method: str, url: str, field: str, bad: str
) -> None:
    response = client.request(method, url.format(bad), headers={"Accept": "application/json"})
    assert response.status_code == 400, response.text
    message = response.json()["error"]
    assert message.startswith(f"{field}=") and "is not an IRI" in message


@pytest.mark.parametrize("path", ["/doc/%FF", "/doc/a%20b", "/doc/x%3E", "/doc/x%7Cy"])
def test_a_minted_path_that_makes_no_iri_is_a_400(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert "path=" in response.text and "is not an IRI" in response.text


def test_a_valid_iri_that_is_not_in_the_store_is_a_404(client: TestClient) -> None:
    response = client.get("/resource", params={"uri": "https://example.org/nothing"},
                          headers={"Accept": "application/json"})
    assert response.status_code == 404


def test_a_malformed_graph_in_the_rollback_form_is_a_400(client: TestClient) -> None:
    response = client.post("/history/rollback", data={"graph": "a b", "version": "1",
                                                      "token": "x"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("graph='a b' is not an IRI")
