"""The begrip page at /resource and /doc/: every part the registry promises, parsed as HTML."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.store.terms import RdfFormat, parse

B = "http://catalogue.test/id/begrip/"


def page(client: TestClient, path: str) -> BeautifulSoup:
    client.cookies.clear()  # a ?lang= of an earlier test must not carry over
    response = client.get(path, headers={"accept": "text/html"})
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def test_definition_and_uitleg_are_apart(concepts_client: TestClient) -> None:
    soup = page(concepts_client, "/doc/begrip/gebouw")
    assert soup.h1.get_text(strip=True) == "gebouw"
    definition = soup.select_one("#definition").find_parent("section")
    uitleg = soup.select_one("#uitleg").find_parent("section")
    assert "overdekte ruimte" in definition.get_text()
    assert "muren en een dak" not in definition.get_text()
    assert "muren en een dak" in uitleg.get_text()


def test_source_is_a_link_and_labels_are_listed(concepts_client: TestClient) -> None:
    soup = page(concepts_client, "/doc/begrip/gebouw")
    source = soup.select_one("dd.source a")
    assert source["href"].startswith("https://wetten.overheid.nl/jci1.3:c:BWBR0005537")
    text = soup.select_one("dl.properties").get_text(" ")
    assert "opstal" in text and "gebouwtje" in text
    assert "G-01" in soup.select_one(".iri").get_text()
    other = soup.select_one("#languages").find_parent("section")
    assert other.select_one("dd[lang=en]").get_text() == "building"


def test_english_page_falls_back_to_english_label(concepts_client: TestClient) -> None:
    soup = page(concepts_client, "/doc/begrip/gebouw?lang=en")
    assert soup.h1.get_text(strip=True) == "building"
    assert soup.h1["lang"] == "en"


def test_breadcrumbs_narrower_and_isothes_relations(concepts_client: TestClient) -> None:
    soup = page(concepts_client, "/doc/begrip/woning")
    crumbs = [li.get_text(strip=True) for li in soup.select(".breadcrumbs li")]
    assert crumbs == ["bouwwerk", "gebouw", "woning"]
    gebouw = page(concepts_client, "/doc/begrip/gebouw")
    assert [a.get_text() for a in gebouw.select("ul.narrower a")] == ["woning"]
    related = [dd.get_text(" ", strip=True) for dd in gebouw.select("dl.properties dd")]
    assert any(text.startswith("perceel") for text in related)
    woning_props = soup.select_one("dl.properties").get_text(" ")
    assert "gebouw" in woning_props and "geheel (partitief)" in woning_props


def test_mappings_show_store_labels_and_unknown_targets(concepts_client: TestClient) -> None:
    soup = page(concepts_client, "/doc/begrip/gebouw")
    items = [li.get_text(" ", strip=True) for li in soup.select("ul.mappings li")]
    close = next(text for text in items if text.startswith("nauw"))
    assert "gebouw" in close and "niet in de catalogus" not in close
    exact = next(text for text in items if text.startswith("exact"))
    assert "Pand" in exact and "niet in de catalogus" in exact


def test_deprecated_banner_names_the_replacement(concepts_client: TestClient) -> None:
    soup = page(concepts_client, "/doc/begrip/opstal-oud")
    banner = soup.select_one(".banner")
    assert banner is not None and "vervallen" in banner.get_text()
    assert banner.select_one("a")["href"] == "/doc/begrip/gebouw"
    assert soup.h1.select_one("del") is not None
    assert page(concepts_client, "/doc/begrip/gebouw").select_one(".banner") is None


def test_where_used_lists_dataset_api_field(concepts_client: TestClient) -> None:
    soup = page(concepts_client, "/doc/begrip/gebouw")
    used = [li.get_text(" ", strip=True) for li in soup.select("ul.used-by li")]
    assert any("Gebouwenregister" in u and u.startswith("dataset") for u in used)
    field = next(u for u in used if "bouwjaar" in u)
    assert field.startswith("API-veld") and "Gebouwen-API" in field


def test_compare_finds_the_same_term_in_another_scheme(concepts_client: TestClient) -> None:
    soup = page(concepts_client, "/doc/begrip/gebouw")
    similar = soup.select("ul.similar li")
    assert similar, "expected look-alikes from the Kadaster scheme"
    first = similar[0]
    expected = "/resource?uri=https%3A%2F%2Fkadaster.example%2Fid%2Fbegrip%2Fgebouw"
    assert first.select_one("a")["href"] == expected
    assert "zelfde term" in first.get_text() and "Kadastrale begrippen" in first.get_text()
    # begrippen of the page's own scheme are not offered as look-alikes
    assert all("/doc/begrip/" not in li.select_one("a")["href"] for li in similar)


def test_external_begrip_uses_resource_url_and_content_negotiation(
    concepts_client: TestClient,
) -> None:
    soup = page(concepts_client, "/resource?uri=https://kadaster.example/id/begrip/gebouw")
    assert soup.select_one(".definition") is not None
    response = concepts_client.get("/resource?uri=https://kadaster.example/id/begrip/gebouw",
                                   headers={"accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    triples = list(parse(response.content, RdfFormat.TURTLE))
    assert any(t.object.value == "gebouw" for t in triples)
    suffixed = concepts_client.get("/doc/begrip/gebouw.jsonld")
    assert suffixed.headers["content-type"].startswith("application/ld+json")


def test_non_concepts_keep_the_generic_page(concepts_client: TestClient) -> None:
    soup = page(concepts_client, "/doc/dataset/gebouwenregister")
    assert soup.select_one("table.properties") is not None
    assert soup.select_one(".definition") is None
