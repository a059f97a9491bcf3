"""The standards register (/standaarden): every standard in the catalogue (typed dct:Standard,
or named by dct:conformsTo) with the datasets and APIs that conform to it and its status on the
Forum Standaardisatie lists where the catalogue can cite one, "onbekend" elsewhere; a page per
standard; the API Design Rules score links to its standard. Served over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup, Tag

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.ingest.load import write_sources
from catalogue.ingest.rdf import parse_source
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import BASE
from tests.web.live import serving

DATA = Path(__file__).resolve().parents[1] / "data" / "standards" / "published.ttl"
ADR = "https://gitdocumentatie.logius.nl/publicatie/api/adr/"
OAS30 = "https://spec.openapis.org/oas/v3.0.0"
NLSBB = "https://docs.geostandaarden.nl/nl-sbb/nl-sbb/"
DCATAPNL = "https://docs.geostandaarden.nl/dcat/dcat-ap-nl30/"
UNTYPED = "https://example.org/standaard/parkeren"
OWN_STATUS = "https://example.org/standaard/eigen"
API = f"{BASE}/id/api/parkeren"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    write_sources(store, [parse_source(DATA.read_bytes(), name=DATA.name, uri=DATA.as_uri(),
                                       graph=f"{BASE}/id/graph/standards-test")])
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store)
    with serving(app) as url:
        yield url


def _page(url: str, path: str, **params: str) -> BeautifulSoup:
    answer = httpx.get(url + path, params=params or None, headers=HTML, timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    return BeautifulSoup(answer.text, "html.parser")


def _rows(html: BeautifulSoup) -> dict[str, Tag]:
    """The register's rows by the standard's IRI (from its link to the standard's page)."""
    table = html.find("table", class_="standards")
    assert isinstance(table, Tag)
    found: dict[str, Tag] = {}
    for row in table.find("tbody").find_all("tr"):  # type: ignore[union-attr]
        link = row.find("th").find("a")
        found[httpx.URL(link["href"]).params["uri"]] = row
    return found


def test_the_register_lists_bundled_typed_and_merely_named_standards(site: str) -> None:
    rows = _rows(_page(site, "/standaarden"))
    assert {ADR, OAS30, NLSBB, DCATAPNL, OWN_STATUS} <= rows.keys()  # typed dct:Standard
    assert UNTYPED in rows  # only the object of a dct:conformsTo
    assert rows[ADR].find("th").get_text(strip=True) == "API Design Rules"


def test_a_standard_given_as_text_or_blank_node_is_left_out(site: str) -> None:
    """dct:conformsTo "NEN 3610" (a text) and a blank node name no standard to link to: the
    register leaves them out instead of failing."""
    html = _page(site, "/standaarden")
    rows = _rows(html)
    assert all(iri.startswith(("http://", "https://")) for iri in rows)
    assert "NEN 3610" not in html.get_text()


def test_a_status_is_shown_with_its_forum_page_and_unknown_elsewhere(site: str) -> None:
    rows = _rows(_page(site, "/standaarden"))
    adr = rows[ADR].find_all("td")[0]
    assert adr.find(class_="list-status").get_text(strip=True) == "verplicht (pas toe of leg uit)"
    source = adr.find("a")
    assert source["href"] == ("https://www.forumstandaardisatie.nl/open-standaarden/"
                              "rest-api-design-rules")
    assert rows[OAS30].find(class_="list-status").get_text(strip=True).startswith("verplicht")
    for unknown in (NLSBB, UNTYPED, OWN_STATUS):  # no cited status; a publisher's own word
        cell = rows[unknown].find_all("td")[0]
        assert cell.get_text(strip=True) == "onbekend", unknown
    english = _rows(_page(site, "/standaarden", lang="en"))
    assert english[NLSBB].find_all("td")[0].get_text(strip=True) == "unknown"
    assert english[ADR].find(class_="list-status").get_text(strip=True) == (
        "mandatory (comply or explain)")


def test_counts_link_to_the_list_filtered_by_the_standard(site: str) -> None:
    rows = _rows(_page(site, "/standaarden"))
    datasets, apis = rows[UNTYPED].find_all("td")[1:3]
    assert datasets.get_text(strip=True) == "1" and apis.get_text(strip=True) == "0"
    listed = _items(_page(site, datasets.find("a")["href"]))
    assert listed == {f"{BASE}/id/dataset/parkeervakken"}  # that one, and only that one
    api_count = rows[OAS30].find_all("td")[2]
    apis = _items(_page(site, api_count.find("a")["href"]))
    assert API in apis and len(apis) == int(api_count.get_text(strip=True)) >= 2


def _items(html: BeautifulSoup) -> set[str]:
    """The IRIs a dataset or API list page lists."""
    items = html.find("ol", class_="results") or html.find("ul", class_="results")
    assert isinstance(items, Tag), "no result list"
    return {httpx.URL(a["href"]).params.get("uri") or BASE + "/id/" + a["href"][len("/doc/"):]
            for li in items.find_all("li", recursive=False) for a in li.find_all("a", limit=1)}


def test_a_standard_has_a_page_with_what_conforms_to_it(site: str) -> None:
    html = _page(site, "/standaarden/standaard", uri=DCATAPNL)
    assert html.find("h1").get_text(strip=True) == "DCAT-AP-NL 3.0"
    section = html.find("section", attrs={"aria-labelledby": "conforming-datasets"})
    assert "Parkeervakken" in section.get_text()
    # the resource page of a typed standard is the same page
    same = _page(site, "/resource", uri=ADR)
    assert same.find("h1").get_text(strip=True) == "API Design Rules"
    assert same.find(class_="list-status") is not None
    # a standard known only as a conformsTo object has a page too
    untyped = _page(site, "/standaarden/standaard", uri=UNTYPED)
    assert "Parkeervakken" in untyped.get_text()


def test_a_standard_the_catalogue_does_not_know_is_404_and_a_bad_iri_400(site: str) -> None:
    unknown = httpx.get(site + "/standaarden/standaard", headers=HTML, timeout=30,
                        params={"uri": "https://example.org/geen-standaard"})
    assert unknown.status_code == 404
    bad = httpx.get(site + "/standaarden/standaard", params={"uri": "not an iri"},
                    headers={"Accept": "application/json"}, timeout=30)
    assert bad.status_code == 400
    assert "uri" in bad.json()["error"]


def test_the_register_as_json(site: str) -> None:
    answer = httpx.get(site + "/standaarden", headers={"Accept": "application/json"}, timeout=30)
    assert answer.status_code == 200
    found = {s["iri"]: s for s in answer.json()["standards"]}
    assert found[ADR]["status"]["iri"] == "https://w3id.org/catalogue/def#verplicht"
    assert found[NLSBB]["status"] is None
    assert found[UNTYPED]["datasets"] == 1


def test_the_api_design_rules_score_links_to_its_standard(site: str) -> None:
    html = _page(site, "/resource", uri=API)
    link = html.find("a", class_="adr-standard")
    assert link is not None
    target = _page(site, link["href"])
    assert target.find("h1").get_text(strip=True) == "API Design Rules"


def test_the_navigation_links_to_the_register(site: str) -> None:
    html = _page(site, "/")
    nav = html.find("nav")
    assert "/standaarden" in [a["href"] for a in nav.find_all("a")]
