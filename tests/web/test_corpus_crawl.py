"""The corpus of real third-party exports (tests/data/corpus/, provenance in its README) loads
whole, and every page the site links to over it answers: a breadth-first crawl of the served
store from the home page and the list pages, following every same-origin link the site emits."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup

from catalogue.cli import main
from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.errors import SourceSyntaxError
from catalogue.ingest import load_sources
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import DATA
from tests.web.live import free_port, serving

CORPUS = DATA / "corpus"
FILES = sorted(path for path in CORPUS.iterdir() if path.is_file() and path.name != "README.md")
REFUSED = sorted((CORPUS / "refused").iterdir())
STARTS = ("/", "/datasets", "/apis", "/begrippen")
MAX_PAGES = 2500
# Where links go that are no pages to crawl: a query runner and writes need their own input.
SKIP_PREFIXES = ("/sparql?", "/store", "/api/publish")


def test_every_corpus_file_has_its_provenance() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    missing = [path.name for path in [*FILES, *REFUSED] if f"`{path.name}`" not in readme]
    assert missing == []


def test_the_corpus_loads_whole(tmp_path: Path) -> None:
    assert main(["load", "--store", str(tmp_path / "store"), *map(str, FILES)]) == 0


@pytest.mark.parametrize("path", REFUSED, ids=lambda path: path.name)
def test_refused_exports_get_a_located_message_and_exit_2(
    tmp_path: Path, path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SourceSyntaxError) as caught:
        load_sources(EmbeddedStore(), [path], base="http://x.test")
    assert caught.value.line is not None and caught.value.column is not None
    store = tmp_path / "store"
    assert main(["load", "--store", str(store), str(FILES[0]), str(path)]) == 2
    assert capsys.readouterr().err.startswith(f"catalogue: {path}:{caught.value.line}:")
    assert main(["export", "--store", str(store), "--format", "nq",
                 "--output", str(tmp_path / "out.nq")]) == 0
    assert (tmp_path / "out.nq").read_text() == ""  # nothing written


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    store = EmbeddedStore()
    load_bundled(store, base=base)
    load_sources(store, FILES, base=base)
    app = create_app(Settings(store=Path(":memory:"), base_iri=base), store=store)
    with serving(app, port=port, lifespan="on") as url:
        yield url


def _links(page: str, body: str) -> Iterator[str]:
    soup = BeautifulSoup(body, "html.parser")
    for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for element in soup.find_all(tag):
            target = element.get(attribute)
            if isinstance(target, str) and target.strip():
                yield urldefrag(urljoin(page, target.strip()))[0]


def test_every_page_the_site_links_to_answers(site: str) -> None:
    origin = urlsplit(site).netloc
    queue = deque(site + start for start in STARTS)
    seen = set(queue)
    failures: list[str] = []
    visited = 0
    with httpx.Client(timeout=60.0) as client:
        while queue and visited < MAX_PAGES:
            url = queue.popleft()
            visited += 1
            response = client.get(url, headers={"Accept": "text/html"})
            if response.status_code >= 400:
                failures.append(f"{response.status_code} {url} (linked from {seen_from[url]})"
                                if url in seen_from else f"{response.status_code} {url}")
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            for link in _links(url, response.text):
                parts = urlsplit(link)
                if parts.netloc != origin or link in seen or parts.scheme not in ("http", "https"):
                    continue
                if (parts.path + "?").startswith(SKIP_PREFIXES) or parts.path.startswith(
                        SKIP_PREFIXES):
                    continue
                seen.add(link)
                seen_from[link] = url
                queue.append(link)
    assert failures == [], "\n".join(failures)
    print(f"crawled {visited} pages, {len(queue)} left in the queue")
    assert visited > 200  # the corpus's records, their publishers and the bundled pages


seen_from: dict[str, str] = {}


# data.overheid.nl's own records (DCAT-AP-DONL 2.0, README): owms publishers and themes, a
# relative IRI, a data service and a lone distribution; each has its page with its title.
DONL = {
    "https://data.overheid.nl/dataset/verkiezingsuitslag-tweede-kamer-2021":
        "Verkiezingsuitslag Tweede Kamer 2021",
    "https://data.overheid.nl/dataset/reisdocumenten--registers": "Reisdocumenten, registers",
}


def test_the_data_overheid_records_have_their_pages(site: str) -> None:
    with httpx.Client(timeout=60.0) as client:
        for iri, title in DONL.items():
            response = client.get(site + "/resource", params={"uri": iri},
                                  headers={"Accept": "text/html"}, follow_redirects=True)
            assert response.status_code == 200, iri
            heading = BeautifulSoup(response.text, "html.parser").find("h1")
            assert heading is not None and title in heading.get_text(), iri
        listing = client.get(site + "/datasets", params={"q": "Verkiezingsuitslag"},
                             headers={"Accept": "application/json"})
        assert listing.status_code == 200
        assert next(iter(DONL)) in listing.text


def test_datasets_written_as_blank_nodes_are_listed_searched_and_fed(site: str) -> None:
    """opendata.swiss writes every dataset as a blank node: they were stored, and nothing
    showed them (no list, search, page or /catalog entry). Now each has a Skolem IRI."""
    with httpx.Client(timeout=60.0) as client:
        listing = client.get(site + "/datasets", params={"q": "Jahrbuch"},
                             headers={"Accept": "application/json"})
        assert listing.status_code == 200
        found = [item["iri"] for item in listing.json()["items"]]
        assert len(found) == 2 and all("/.well-known/genid/" in uri for uri in found), found
        page = client.get(site + "/resource", params={"uri": found[0]},
                          headers={"Accept": "text/html"})
        assert page.status_code == 200
        heading = BeautifulSoup(page.text, "html.parser").find("h1")
        assert heading is not None
        assert "Jahrbuch" in heading.get_text() or "Annuaire" in heading.get_text()
        redirect = client.get(found[0], follow_redirects=False)  # the IRI dereferences
        assert redirect.status_code == 303
        assert redirect.headers["location"].startswith("/resource?uri=")
        feed = client.get(site + "/catalog.nt", params={"page": 1})
        pages = [feed.text]
        number = 1
        while "hydra#next" in pages[-1] and number < 50:
            number += 1
            pages.append(client.get(site + "/catalog.nt", params={"page": number}).text)
        assert all(any(f"<{uri}>" in text for text in pages) for uri in found)
