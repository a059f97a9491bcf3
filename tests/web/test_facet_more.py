"""The list page on the linked data shape (hundreds of themes), served over HTTP: each facet
shows its top values with a "more" link, the "more" view pages through every value by keyset
with the counts the documents give, a value is found by its label, and a chosen value stays
shown (so it can be unchosen) when it is not among the top ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from bs4 import BeautifulSoup

from bench.generate import _LinkedGenerator, write_catalogue
from catalogue.config import Settings
from catalogue.ingest import load_sources
from catalogue.search import SearchIndex, index_listener
from catalogue.services.datasets import FACET_SIZE, MORE_SIZE
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import BASE
from tests.search.test_linked_shape import Expected
from tests.web.live import serving

DATASETS = 600


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Expected]]:
    path = tmp_path_factory.mktemp("linked") / "linked.nt"
    write_catalogue(path, datasets=DATASETS, base=BASE, shape="linked")
    store, index = EmbeddedStore(), SearchIndex()
    load_sources(store, [path], base=BASE, listeners=[index_listener(index)])
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store, index=index)
    with serving(app) as url:
        yield url, Expected(path)


def _values(soup: BeautifulSoup, facet: str) -> list[tuple[str, int]]:
    found = []
    for box in soup.select(f'input[type=checkbox][name="{facet}"]'):
        label = soup.find("label", attrs={"for": box["id"]})
        assert label is not None
        count = re.search(r"\((\d+)\)\s*$", label.get_text())
        assert count, label.get_text()
        found.append((str(box["value"]), int(count.group(1))))
    return found


def _get(url: str) -> BeautifulSoup:
    response = httpx.get(url, headers={"Accept": "text/html"}, timeout=60)
    assert response.status_code == 200, response.text[:300]
    return BeautifulSoup(response.text, "html.parser")


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def test_top_values_then_every_value_by_keyset(site: tuple[str, Expected]) -> None:
    url, expected = site
    want = expected.counts(expected.datasets)["theme"]
    assert len(want) > 2 * MORE_SIZE
    soup = _get(url + "/datasets")
    assert _values(soup, "theme") == _ranked(want)[:FACET_SIZE]
    more = soup.find("a", href=re.compile(r"more=theme"))
    assert more is not None
    seen: list[tuple[str, int]] = []
    link: str | None = urljoin(url + "/datasets", str(more["href"]))
    while link:
        page = _get(link)
        shown = _values(page, "theme")
        assert 0 < len(shown) <= MORE_SIZE
        seen += shown
        following = page.find("a", rel="next", href=re.compile(r"more=theme"))
        link = urljoin(link, str(following["href"])) if following is not None else None
    assert seen == _ranked(want)


def test_a_value_is_found_by_its_label_and_a_chosen_one_stays(
        site: tuple[str, Expected]) -> None:
    url, expected = site
    want = expected.counts(expected.datasets)["publisher"]
    publisher, count = _ranked(want)[-1]  # the last of them: far from the top
    name = _LinkedGenerator.organisation_name(int(publisher.rsplit("/", 1)[-1]))
    found = _get(url + "/datasets?" + str(httpx.QueryParams(
        {"more": "publisher", "more_q": name})))
    assert (publisher, count) in _values(found, "publisher")
    chosen = _get(url + "/datasets?" + str(httpx.QueryParams({"publisher": publisher})))
    boxes = chosen.select('input[name="publisher"][checked]')
    assert [box["value"] for box in boxes] == [publisher]
    shown = expected.chosen({"publisher": [publisher]})
    assert _values(chosen, "theme")[:FACET_SIZE] == \
        _ranked(expected.counts(shown)["theme"])[:FACET_SIZE]


def test_json_says_which_facets_have_more(site: tuple[str, Expected]) -> None:
    url, _ = site
    response = httpx.get(url + "/datasets?more=theme", headers={"Accept": "application/json"},
                         timeout=60)
    assert response.status_code == 200
    facets = {facet["name"]: facet for facet in response.json()["facets"]}
    assert facets["theme"]["expanded"] and facets["theme"]["after"]
    assert len(facets["theme"]["values"]) == MORE_SIZE
    assert facets["publisher"]["more"] and len(facets["publisher"]["values"]) == FACET_SIZE
    assert not facets["format"]["more"]
    bad = httpx.get(url + "/datasets?more=theme&after=many", timeout=60)
    assert bad.status_code in (400, 422)
