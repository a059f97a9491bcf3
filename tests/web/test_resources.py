"""Resource pages: labels, properties, inbound links, /id/ -> /doc/, content negotiation."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.store.terms import NamedNode, RdfFormat, parse

DATASET = "http://catalogue.test/id/dataset/bag"
KADASTER = "https://identifier.overheid.nl/tooi/id/zbo/zb000195"


def html(response_text: str) -> BeautifulSoup:
    return BeautifulSoup(response_text, "html.parser")


def property_rows(page: BeautifulSoup) -> dict[str, str]:
    table = page.find("table", class_="properties")
    assert table is not None
    return {
        row.th.get_text(strip=True): row.td.get_text(" ", strip=True)
        for row in table.find("tbody").find_all("tr")
    }


def test_minted_iri_redirects_to_its_document(client: TestClient) -> None:
    response = client.get("/id/dataset/bag", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/dataset/bag"


def test_document_page_shows_label_types_properties_and_inbound_links(client: TestClient) -> None:
    page = html(client.get("/doc/dataset/bag").text)
    assert page.h1.get_text(strip=True) == "Basisregistratie Adressen en Gebouwen"
    assert "Dataset" in page.find(class_="types").get_text()
    rows = property_rows(page)
    assert rows["Identificator"] == "BAG"
    assert "Kadaster" in rows["Uitgever"]
    assert "Kadaster klantenservice" in rows["Contactpunt"]
    publisher_link = page.find("a", string="Kadaster")
    assert publisher_link["href"] == "/resource?uri=" + KADASTER.replace(":", "%3A").replace(
        "/", "%2F"
    )
    inbound = page.find("table", class_="inbound").get_text(" ", strip=True)
    assert "Testcatalogus" in inbound and "BAG Individuele Bevragingen" in inbound


def test_english_page_uses_english_labels(client: TestClient) -> None:
    response = client.get("/doc/dataset/bag?lang=en")
    page = html(response.text)
    assert page.html["lang"] == "en"
    assert page.h1.get_text(strip=True) == "Addresses and Buildings Register"
    assert "Publisher" in property_rows(page)
    assert response.cookies.get("lang") == "en"


def test_any_iri_has_a_page(client: TestClient) -> None:
    response = client.get("/resource", params={"uri": KADASTER})
    assert response.status_code == 200
    page = html(response.text)
    assert page.h1.get_text(strip=True) == "Kadaster"


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", RdfFormat.RDF_XML),
        ("application/n-triples", RdfFormat.N_TRIPLES),
    ],
)
def test_content_negotiation_by_accept(
    client: TestClient, accept: str, rdf_format: RdfFormat
) -> None:
    for url in ("/doc/dataset/bag", f"/resource?uri={DATASET}"):
        response = client.get(url, headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(accept)
        triples = list(parse(response.content, rdf_format, base_iri="http://x/"))
        subjects = {t.subject for t in triples}
        assert NamedNode(DATASET) in subjects
        # the contact point's blank node comes along (concise bounded description)
        assert any(t.object.value == "Kadaster klantenservice" for t in triples)


@pytest.mark.parametrize("suffix", ["ttl", "jsonld", "rdf", "nt"])
def test_content_negotiation_by_suffix(client: TestClient, suffix: str) -> None:
    response = client.get(f"/doc/dataset/bag.{suffix}")
    assert response.status_code == 200
    rdf_format = RdfFormat.from_extension(suffix)
    assert rdf_format is not None
    triples = list(parse(response.content, rdf_format, base_iri="http://x/"))
    assert len(triples) >= 10
    resource = client.get(f"/resource.{suffix}", params={"uri": DATASET})
    assert resource.content == response.content


def test_alternate_links_in_header_and_page(client: TestClient) -> None:
    response = client.get("/doc/dataset/bag")
    assert '</doc/dataset/bag.ttl>; rel="alternate"; type="text/turtle"' in response.headers["link"]
    assert response.headers["vary"] == "Accept"
    page = html(response.text)
    types = {link["type"] for link in page.find_all("link", rel="alternate")}
    assert {"text/turtle", "application/ld+json", "application/rdf+xml"} <= types


def test_accept_with_q_values_picks_the_best(client: TestClient) -> None:
    response = client.get(
        "/doc/dataset/bag", headers={"Accept": "text/html;q=0.5, text/turtle;q=0.9"}
    )
    assert response.headers["content-type"].startswith("text/turtle")


def test_unknown_iri_is_404_in_every_representation(client: TestClient) -> None:
    assert client.get("/doc/dataset/nope").status_code == 404
    assert client.get("/doc/dataset/nope.ttl").status_code == 404
    response = client.get("/resource?uri=http://nope.example/x", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "http://nope.example/x" in html(response.text).find(class_="error-message").get_text()


def test_format_we_do_not_serve_is_406(client: TestClient) -> None:
    response = client.get("/doc/dataset/bag", headers={"Accept": "application/pdf"})
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_missing_or_malformed_uri_is_400(client: TestClient) -> None:
    assert client.get("/resource").status_code == 400
    response = client.get("/resource", params={"uri": "http://bad iri>"})
    assert response.status_code == 400
    assert "uri='http://bad iri>' is not an IRI" in response.text


def test_head_gives_the_headers_of_get_and_no_body(client: TestClient) -> None:
    """HEAD answered 405 on every page (RFC 9110 wants it wherever GET is)."""
    for path in ("/", "/doc/dataset/bag", "/datasets", "/static/favicon.svg"):
        got = client.get(path, headers={"Accept": "text/html"})
        head = client.head(path, headers={"Accept": "text/html"})
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-length"] == str(len(got.content))
        assert head.headers["x-content-type-options"] == "nosniff"


def test_a_method_a_route_does_not_take_is_405_with_allow(client: TestClient) -> None:
    refused = client.delete("/datasets")
    assert refused.status_code == 405 and "GET" in refused.headers["allow"]
    # /sparql answers HEAD with 405 too: its GET would run the query for the headers
    for method in ("HEAD", "PUT", "PATCH"):
        answer = client.request(method, "/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert answer.status_code == 405, method
        assert set(answer.headers["allow"].split(", ")) == {"GET", "POST", "OPTIONS"}


def test_the_redirect_of_a_minted_iri_keeps_what_its_path_holds(client: TestClient) -> None:
    """/id/a%3Fb=1 was sent to /doc/a?b=1, which showed the IRI …/id/a."""
    for raw, location in (("a%3Fb=1", "/doc/a%3Fb=1"), ("x%23y", "/doc/x%23y"),
                          ("a%25b", "/doc/a%25b"), ("dataset/bag", "/doc/dataset/bag")):
        redirect = client.get(f"/id/{raw}", follow_redirects=False)
        assert redirect.status_code == 303
        assert redirect.headers["location"] == location
    missing = client.get("/doc/a%3Fb=1", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "/id/a?b=1" in missing.text
