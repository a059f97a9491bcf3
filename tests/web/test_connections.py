"""The connections map over HTTP on a real server: the table sorts, filters work as a plain GET
form, the CSV parses and matches the table, pages link to the filtered map, and publishers
declare the services they use (CSV import, or RDF through the Graph Store API) under the
publishing rules, a bad CSV row refused whole."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup, Tag

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.publish import Publishers
from catalogue.store import EmbeddedStore
from catalogue.store.terms import RdfFormat
from catalogue.web.app import create_app
from tests.conftest import BASE
from tests.web.live import serving

AMSTERDAM = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"
ROTTERDAM = "https://identifier.overheid.nl/tooi/id/gemeente/gm0599"
BRP = f"{BASE}/id/dataset/brp"
BRP_API = f"{BASE}/id/api/brp-personen"
BAG_API = f"{BASE}/id/api/bag-individuele-bevragingen"
GRAPH = "https://data.amsterdam.nl/id/graph/koppelingen"
NL = {"Accept-Language": "nl"}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, EmbeddedStore, str]]:
    """The bundled content on a real server, with a publisher token for Amsterdam."""
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    token = Publishers(tmp_path).add(AMSTERDAM)
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE, publish_dir=tmp_path),
                     store=store)
    with serving(app) as url:
        yield url, store, token


def table(html: str) -> list[list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    found = soup.find("table", id="connections-table")
    assert isinstance(found, Tag)
    return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            for row in found.find_all("tr") if row.find("td")]


def whole_table(url: str, path: str) -> list[list[str]]:
    """Every row of the table, following its pages."""
    rows: list[list[str]] = []
    while path:
        html = httpx.get(url + path, headers=NL).text
        rows += table(html)
        following = BeautifulSoup(html, "html.parser").find("a", rel="next")
        path = str(following["href"]) if isinstance(following, Tag) else ""
    return rows


def dump(store: EmbeddedStore) -> bytes:
    out = io.BytesIO()
    store.dump(out, format=RdfFormat.N_QUADS)
    return out.getvalue()


def test_the_table_sorts_by_each_column_both_ways(site: tuple[str, EmbeddedStore, str]) -> None:
    url, _, _ = site
    for key, column in (("organisation", 0), ("service", 2)):
        for order in ("asc", "desc"):
            html = httpx.get(f"{url}/koppelingen?sort={key}&order={order}", headers=NL).text
            values = [row[column].casefold() for row in table(html)]
            assert values == sorted(values, reverse=order == "desc"), (key, order)
            heading = BeautifulSoup(html, "html.parser").find("th", attrs={"aria-sort": True})
            assert isinstance(heading, Tag)
            assert heading["aria-sort"] == ("ascending" if order == "asc" else "descending")
            # the heading's link sorts the other way
            link = heading.find("a")
            assert isinstance(link, Tag)
            query = parse_qs(urlsplit(str(link["href"])).query)
            assert query["sort"] == [key] and query["order"] == [
                "desc" if order == "asc" else "asc"]


def test_the_csv_parses_and_matches_the_table(site: tuple[str, EmbeddedStore, str]) -> None:
    url, _, _ = site
    shown = whole_table(url, f"/koppelingen?registry={BRP}&sort=organisation&order=desc")
    answer = httpx.get(f"{url}/koppelingen.csv",
                       params={"registry": BRP, "sort": "organisation", "order": "desc"},
                       headers=NL)
    assert answer.headers["content-type"].startswith("text/csv")
    records = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(records) == len(shown) == 342
    assert [[r["organisatie_naam"], r["soort"], r["dienst_naam"], r["dienst_type"],
             r["aanbieder_naam"], r["basisregistratie"], r["bron"]] for r in records] == shown
    assert {r["dienst"] for r in records} == {BRP}
    assert AMSTERDAM in {r["organisatie"] for r in records}


def test_filters_work_as_a_plain_get_form(site: tuple[str, EmbeddedStore, str]) -> None:
    url, _, _ = site
    html = httpx.get(f"{url}/koppelingen", params={"organisation": AMSTERDAM, "kind": "",
                                                   "service": "", "registry": ""},
                     headers=NL).text
    rows = table(html)
    assert sorted(row[2] for row in rows) == ["Basisregistratie Adressen en Gebouwen (BAG)",
                                              "Basisregistratie Personen (BRP)"]
    assert {row[0] for row in rows} == {"gemeente Amsterdam"}
    soup = BeautifulSoup(html, "html.parser")
    chosen = soup.select_one("#filter-organisation option[selected]")
    assert chosen is not None and chosen["value"] == AMSTERDAM
    # the download link carries the same filter
    download = soup.find("a", attrs={"download": True})
    assert isinstance(download, Tag)
    assert parse_qs(urlsplit(str(download["href"])).query)["organisation"] == [AMSTERDAM]


def test_a_filter_that_is_not_an_iri_is_a_clear_400(site: tuple[str, EmbeddedStore, str]
                                                    ) -> None:
    url, _, _ = site
    answer = httpx.get(f"{url}/koppelingen.csv?service=brp")
    assert answer.status_code == 400
    assert "service='brp' is not an IRI" in answer.text
    for path in ("/koppelingen", "/koppelingen.csv"):  # an unknown sort column was ignored
        unknown = httpx.get(f"{url}{path}", params={"sort": "zz"})
        assert unknown.status_code == 400 and "sort" in unknown.text


def test_pages_link_to_the_map_filtered_to_them(site: tuple[str, EmbeddedStore, str]) -> None:
    url, _, _ = site
    dataset = BeautifulSoup(httpx.get(f"{url}/doc/dataset/brp", headers=NL).text, "html.parser")
    link = dataset.select_one(".used-by a")
    assert link is not None and link.get_text() == "Wie gebruikt deze dataset? Zie de koppelingen"
    assert len(whole_table(url, str(link["href"]))) == 342
    organisation = BeautifulSoup(httpx.get(f"{url}/resource", params={"uri": AMSTERDAM},
                                           headers=NL).text, "html.parser")
    uses = [a for a in organisation.find_all("a") if a.get_text().startswith("Gebruikt 2")]
    assert len(uses) == 1
    assert parse_qs(urlsplit(str(uses[0]["href"])).query) == {"organisation": [AMSTERDAM]}
    home = BeautifulSoup(httpx.get(url + "/", headers=NL).text, "html.parser")
    assert home.select_one('header nav a[href="/koppelingen"]') is not None


def test_a_publisher_imports_the_services_it_uses_as_csv(site: tuple[str, EmbeddedStore, str]
                                                         ) -> None:
    url, _, token = site
    body = f"organisatie,dienst\n{AMSTERDAM},{BRP_API}\n{AMSTERDAM},{BAG_API}\n"
    answer = httpx.put(f"{url}/api/koppelingen", params={"graph": GRAPH}, content=body,
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["triples"] == 2
    rows = table(httpx.get(f"{url}/koppelingen", params={"organisation": AMSTERDAM},
                           headers=NL).text)
    assert len(rows) == 4
    api_row = next(r for r in rows if r[2] == "BRP API Personen")
    assert api_row[:4] == ["gemeente Amsterdam", "gemeente", "BRP API Personen", "API"]
    api = BeautifulSoup(httpx.get(f"{url}/doc/api/brp-personen", headers=NL).text,
                        "html.parser")
    assert any(a.get_text() == "Gebruikt door 1 organisaties" for a in api.find_all("a"))


def test_a_csv_with_one_bad_row_is_refused_whole(site: tuple[str, EmbeddedStore, str]) -> None:
    url, store, token = site
    before = dump(store)
    body = f"organisatie,dienst\n{AMSTERDAM},{BRP_API}\n{AMSTERDAM},BAG bevragen\n"
    answer = httpx.put(f"{url}/api/koppelingen", params={"graph": GRAPH}, content=body,
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv",
                                "Accept": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"].startswith(
        "koppelingen.csv:3:2: column 'service' 'BAG bevragen' is not an IRI")
    assert dump(store) == before


def test_a_publisher_declares_only_what_its_own_organisation_uses(
        site: tuple[str, EmbeddedStore, str]) -> None:
    url, store, token = site
    before = dump(store)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    answer = httpx.put(f"{url}/api/koppelingen", params={"graph": GRAPH},
                       content=f"organisatie,dienst\n{ROTTERDAM},{BRP_API}\n",
                       headers={**headers, "Content-Type": "text/csv"})
    assert answer.status_code == 403
    assert ROTTERDAM in answer.text
    assert dump(store) == before
    # An organisation nothing describes yet (the registry's own, another publisher's that has
    # published nothing) was not protected by the subject rule: it was accepted with 201.
    for other in (f"{BASE}/id/organisatie/catalogus",
                  "https://identifier.overheid.nl/tooi/id/gemeente/gm9999"):
        answer = httpx.put(f"{url}/api/koppelingen", params={"graph": GRAPH},
                           content=f"organisatie,dienst\n{AMSTERDAM},{BRP_API}\n"
                                   f"{other},{BRP_API}\n",
                           headers={**headers, "Content-Type": "text/csv"})
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"].startswith(
            f"koppelingen.csv:3:1: <{other}> is not your organisation")
        assert dump(store) == before
    # A cell past the csv module's field limit: 400 with its line, not 500.
    huge = httpx.put(f"{url}/api/koppelingen", params={"graph": GRAPH},
                     content=f"organisatie,dienst\n{AMSTERDAM},http://x/{'a' * 140000}\n",
                     headers={**headers, "Content-Type": "text/csv"})
    assert huge.status_code == 400 and "koppelingen.csv:2" in huge.json()["error"]
    # The same rule through the Graph Store API: its own organisation, yes; another, no.
    uses = "<{}> <https://w3id.org/catalogue/def#usesService> <{}> ."
    refused = httpx.put(f"{url}/store", params={"graph": GRAPH},
                        content=uses.format(ROTTERDAM, BRP_API),
                        headers={**headers, "Content-Type": "text/turtle"})
    assert refused.status_code == 403
    made = httpx.put(f"{url}/store", params={"graph": GRAPH},
                     content=uses.format(AMSTERDAM, BRP_API),
                     headers={**headers, "Content-Type": "text/turtle"})
    assert made.status_code == 201, made.text
    assert len(table(httpx.get(f"{url}/koppelingen", params={"organisation": AMSTERDAM}).text)) == 3


def test_the_import_needs_a_token(site: tuple[str, EmbeddedStore, str]) -> None:
    url, _, _ = site
    answer = httpx.put(f"{url}/api/koppelingen", params={"graph": GRAPH},
                       content=f"organisatie,dienst\n{AMSTERDAM},{BRP_API}\n")
    assert answer.status_code == 401
