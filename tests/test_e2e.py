"""End to end: the real `catalogue serve` process on a free port, fetched over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from catalogue.store.terms import RdfFormat, parse
from tests.web.live import catalogue_serve


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with catalogue_serve(tmp_path_factory.mktemp("e2e") / "store") as (url, _):
        yield url


def test_first_run_serves_the_bundled_content(server: str) -> None:
    page = BeautifulSoup(httpx.get(server + "/").text, "html.parser")
    counts = {
        s["data-kind"]: int(s.get_text().replace(".", "")) for s in page.select(".counts strong")
    }
    assert counts["datasets"] >= 11
    assert page.find("a", string="Stelsel van basisregistraties") is not None


def test_resource_as_turtle_over_http(server: str) -> None:
    base = server
    iri = f"{base}/id/dataset/bag"
    response = httpx.get(server + "/resource", params={"uri": iri},
                         headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    triples = list(parse(response.content, RdfFormat.TURTLE))
    assert any(t.subject.value == iri for t in triples)
    redirect = httpx.get(iri, follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/doc/dataset/bag"


def test_the_store_directory_is_created(server: str, tmp_path: Path) -> None:
    assert httpx.get(server + "/graphs", headers={"Accept": "application/json"}).json()
