"""The bundled site has no dead ends: a breadth-first crawl from the home page follows every
same-origin link the site itself emits (pages, downloads, static files, the SPARQL editor's
example queries) and finds no answer of 400 or more."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
import yaml
from bs4 import BeautifulSoup

# A guard against a crawl that never ends (pages that link to ever new pages), far above the
# bundled site's size.
MAX_PAGES = 20000
# Links that are forms to fill in rather than pages: writes need a token and a body.
SKIP_PREFIXES = ("/store", "/api/publish")
# The sorted variants of the connections table (every column, both ways, for every filter) link
# the same pages as the table in its default order, which is crawled; sorting has its own tests.
SORTED_VARIANTS = ("/koppelingen",)



def links(page: str, body: str) -> Iterator[str]:
    """Every address a page's HTML offers (links, stylesheets, scripts, images; not those
    inside a hidden element), resolved against the page, fragment dropped."""
    soup = BeautifulSoup(body, "html.parser")
    for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for element in soup.find_all(tag):
            if element.find_parent(hidden=True) is not None:
                continue  # not offered: the page shows it only when it applies
            target = element.get(attribute)
            if isinstance(target, str) and target.strip():
                yield urldefrag(urljoin(page, target.strip()))[0]


def crawl(site: str, *, starts: tuple[str, ...] = ("/",)) -> tuple[int, list[str]]:
    """Pages visited and the failures met ("status url (linked from page)")."""
    origin = urlsplit(site).netloc
    queue = deque(site + start for start in starts)
    linked_from = {url: "(start)" for url in queue}
    failures: list[str] = []
    visited = 0
    # No cookies: the language a ?lang= link chooses must not leak into later pages.
    with httpx.Client(timeout=60.0, cookies=None) as client:
        while queue and visited < MAX_PAGES:
            url = queue.popleft()
            visited += 1
            client.cookies.clear()
            response = client.get(url, headers={"Accept": "text/html"})
            if response.status_code >= 400:
                failures.append(f"{response.status_code} {url} (linked from {linked_from[url]})")
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            for link in links(url, response.text):
                parts = urlsplit(link)
                if parts.netloc != origin or link in linked_from:
                    continue
                if parts.path.startswith(SKIP_PREFIXES):
                    continue
                if parts.path.startswith(SORTED_VARIANTS) and "sort=" in parts.query:
                    continue
                linked_from[link] = url
                queue.append(link)
    assert not queue, f"the crawl stopped at {MAX_PAGES} pages"
    return visited, failures


def test_every_link_the_bundled_site_emits_answers(site: str) -> None:
    visited, failures = crawl(site)
    assert failures == [], "\n".join(failures)
    assert visited > 500  # the registries, their keepers, begrippen, APIs and their fields


def _page(site: str, path: str) -> BeautifulSoup:
    answer = httpx.get(site + path, headers={"Accept": "text/html"}, timeout=60)
    assert answer.status_code == 200, path
    return BeautifulSoup(answer.text, "html.parser")


def test_the_home_count_cards_open_the_list_pages(site: str) -> None:
    cards = {tag["data-kind"]: tag.find_parent("a")["href"]
             for tag in _page(site, "/").select(".counts strong")}
    assert (cards["definitions"], cards["datasets"], cards["apis"]) == (
        "/begrippen", "/datasets", "/apis")


def test_an_api_page_links_its_bundled_openapi_document_which_is_served(site: str) -> None:
    (link,) = _page(site, "/doc/api/brp-personen").select("a[type='application/yaml']")
    answer = httpx.get(site + str(link["href"]), timeout=60)
    assert answer.status_code == 200
    assert yaml.safe_load(answer.text)["openapi"].startswith("3.")


def test_the_sparql_page_offers_only_downloads_the_initial_select_has(site: str) -> None:
    offered = [link["data-format"] for link in _page(site, "/sparql").select("a.sparql-download")
               if link.find_parent(hidden=True) is None]
    assert offered == ["json", "xml", "csv", "tsv"]
