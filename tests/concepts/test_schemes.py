"""The list of begrippenkaders, one kader's overview, A-Z index, tree and downloads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.services.schemes import TreeNode, vocid_for
from catalogue.store.terms import RdfFormat, parse
from catalogue.web.app import create_app
from catalogue.web.urls import Urls
from catalogue.web.views.concepts import tree_items
from tests.concepts.conftest import build
from tests.conftest import BASE

KADER = "http://catalogue.test/id/begrippenkader/gebouwen"
VOCID = vocid_for(KADER, base="http://catalogue.test")


def soup_of(client: TestClient, path: str) -> BeautifulSoup:
    client.cookies.clear()
    response = client.get(path)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def test_vocid_is_stable_and_distinct() -> None:
    assert vocid_for(KADER) == vocid_for(KADER)
    assert vocid_for("http://a.example/id/scheme") != vocid_for("https://a.example/id/scheme")
    assert "gebouwen" in vocid_for(KADER)


def test_a_minted_kaders_vocid_stays_when_the_base_iri_changes() -> None:
    assert vocid_for("http://127.0.0.1:8000/id/begrippenkader/gebouwen",
                     base="http://127.0.0.1:8000") == VOCID
    assert "8000" not in VOCID and "catalogue" not in VOCID
    # Not ours: the whole IRI counts.
    assert vocid_for("http://other.example/id/begrippenkader/gebouwen",
                     base="http://catalogue.test") != VOCID


def test_the_address_from_before_is_redirected_to_the_stable_one(
        concepts_client: TestClient) -> None:
    old = vocid_for(KADER)  # the whole IRI hashed, as before
    answer = concepts_client.get(f"/begrippen/{old}/az?letter=G", follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"] == f"/begrippen/{VOCID}/az?letter=G"


def test_list_shows_publisher_count_status(concepts_client: TestClient) -> None:
    soup = soup_of(concepts_client, "/begrippen")
    rows = {tr.select_one("td a").get_text(): [td.get_text(" ", strip=True) for td in tr("td")]
            for tr in soup.select("table.schemes tbody tr")}
    assert rows["Gebouwen en percelen"][1] == "Gemeente Voorbeeld"
    assert rows["Gebouwen en percelen"][2] == "6"
    assert rows["Gebouwen en percelen"][3] == "Completed"
    assert rows["Kadastrale begrippen"][2] == "2"


def test_overview_has_top_concepts_quality_and_downloads(concepts_client: TestClient) -> None:
    soup = soup_of(concepts_client, f"/begrippen/{VOCID}")
    tops = [a.get_text() for a in soup.select("#top + ul a")]
    assert tops == ["bouwwerk", "coöperatie", "perceel"]
    assert soup.select_one("td[data-check=circular_definition]").get_text() == "1"
    links = [a["href"] for a in soup.select("#downloads + ul a")]
    assert links == [f"/begrippen/{VOCID}/download.{s}" for s in ("ttl", "jsonld", "rdf", "csv")]


def test_the_scheme_iri_shows_the_overview(concepts_client: TestClient) -> None:
    soup = soup_of(concepts_client, "/doc/begrippenkader/gebouwen")
    assert soup.h1.get_text() == "Gebouwen en percelen"
    assert soup.select_one("#quality") is not None


def test_az_index_per_language_and_letter(concepts_client: TestClient) -> None:
    soup = soup_of(concepts_client, f"/begrippen/{VOCID}/az?taal=nl&letter=o")
    assert [a.get_text() for a in soup.select("ul.letters a[aria-current]")] == ["nl", "O"]
    entries = [li.get_text(" ", strip=True) for li in soup.select("ul.az li")]
    assert "opstalobject" in entries and any(e.startswith("opstal →") for e in entries)
    english = soup_of(concepts_client, f"/begrippen/{VOCID}/az?taal=en&letter=b")
    assert [a.get_text() for a in english.select("ul.az a")] == ["building"]


def test_tree_is_nested_lists_without_javascript(concepts_client: TestClient) -> None:
    soup = soup_of(concepts_client, f"/begrippen/{VOCID}/boom")
    tree = soup.select_one("ul.tree[data-tree]")
    top = [li.find("a").get_text() for li in tree.find_all("li", recursive=False)]
    assert top == ["bouwwerk", "coöperatie", "opstalobject", "perceel"]
    woning = tree.find("a", string="woning")
    path = [li.find("a").get_text() for li in woning.find_parents("li")]
    assert path == ["woning", "gebouw", "bouwwerk"]
    assert soup.find("script", src="/static/tree.js") is not None


def test_downloads_parse(concepts_client: TestClient) -> None:
    for suffix, rdf_format in (("ttl", RdfFormat.TURTLE), ("jsonld", RdfFormat.JSON_LD),
                               ("rdf", RdfFormat.RDF_XML)):
        response = concepts_client.get(f"/begrippen/{VOCID}/download.{suffix}")
        triples = list(parse(response.content, rdf_format))
        subjects = {t.subject.value for t in triples}
        assert "http://catalogue.test/id/begrip/woning" in subjects
        assert "https://kadaster.example/id/begrip/gebouw" not in subjects
    rows = list(csv.DictReader(io.StringIO(
        concepts_client.get(f"/begrippen/{VOCID}/download.csv").text)))
    gebouw = next(r for r in rows if r["voorkeursterm"] == "gebouw")
    assert gebouw["bovenliggend"] == "http://catalogue.test/id/begrip/bouwwerk"
    assert gebouw["uitleg"].startswith("Een huis")


def test_unknown_vocid_is_404(concepts_client: TestClient) -> None:
    assert concepts_client.get("/begrippen/nope-000000").status_code == 404


def test_tree_items_escape_labels_and_links() -> None:
    urls = Urls("https://data.example.org")
    outside = "https://example.com/begrip?a=1&b=<2>"
    tree = (TreeNode("https://data.example.org/id/begrip/x", 'a < b & "c"', (
        TreeNode(outside, "<script>alert(1)</script>"),)),)
    soup = BeautifulSoup(f"<ul>{tree_items(tree, urls)}</ul>", "html.parser")
    assert soup.find("script") is None
    top = soup.ul.find("li", recursive=False)
    assert top.a.get_text() == 'a < b & "c"' and top.a["href"] == "/doc/begrip/x"
    child = top.ul.li.a
    assert child.get_text() == "<script>alert(1)</script>"
    assert child["href"] == urls.resource(outside)
    assert child["href"].startswith("/resource?uri=https%3A%2F%2Fexample.com")


def test_az_index_lists_alternative_labels_under_their_own_letters_and_languages(
        tmp_path: Path) -> None:
    """IMKA's begrippen: Dutch preferred labels, English alternative ones only ("UHI", "Urban
    Heat Island"), some tagged en-GB. English is a language of the index, U one of its letters
    (before, the letters came from preferred labels only and the tag had to match exactly)."""
    kader = tmp_path / "hitte.ttl"
    kader.write_text("""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix : <http://catalogue.test/id/begrip/> .
        :hitte a skos:ConceptScheme ; skos:prefLabel "Hitte"@nl .
        :eiland a skos:Concept ; skos:inScheme :hitte ; skos:prefLabel "hitte-eilandeffect"@nl ;
            skos:altLabel "UHI"@en, "Urban Heat Island"@en-GB, "warmte-eiland"@nl .
        :tmrt a skos:Concept ; skos:inScheme :hitte ; skos:prefLabel "stralingstemperatuur"@nl ;
            skos:altLabel "Mean radiant temperature"@en .
    """, encoding="utf-8")
    store, index = build([kader])
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store, index=index)
    vocid = vocid_for("http://catalogue.test/id/begrip/hitte", base=BASE)
    with TestClient(app) as client:
        english = soup_of(client, f"/begrippen/{vocid}/az?taal=en&letter=U")
        languages = [a.get_text() for a in english.select("ul.letters a")]
        assert "en" in languages and "nl" in languages
        entries = [li.get_text(" ", strip=True) for li in english.select("ul.az li")]
        assert entries == ["UHI → hitte-eilandeffect", "Urban Heat Island → hitte-eilandeffect"]
        letters = {a.get_text() for a in english.select("ul.letters a")} - {"en", "nl"}
        assert letters == {"M", "U"}
        dutch = soup_of(client, f"/begrippen/{vocid}/az?taal=nl&letter=W")
        assert [li.get_text(" ", strip=True) for li in dutch.select("ul.az li")] == [
            "warmte-eiland → hitte-eilandeffect"]
