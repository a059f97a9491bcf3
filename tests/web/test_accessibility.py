"""axe-core in a real browser over every kind of page of the bundled site, the SPARQL editor
and the open suggestion list included: no critical and no serious violation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from tests.browser import needs_browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = needs_browser

# One page of each kind (and each language for the home page).
PAGES = (
    "/", "/?lang=en", "/begrippen", "/doc/begrip/pand", "/search?q=pand", "/datasets",
    "/doc/dataset/bag", "/apis", "/doc/api/bag-individuele-bevragingen",
    "/resource?uri=https%3A%2F%2Fidentifier.overheid.nl%2Ftooi%2Fid%2Fzbo%2Fzb000195",
    "/graphs", "/validate", "/quality", "/doc/nope", "/search/federated?q=pand",
    # issue 17: the standards register, a standard's page (by its own route and as the resource
    # page of a typed standard); the relation pictures are on the begrip, dataset, API and
    # organisation pages above (and see
    # test_the_embedded_card_and_a_relation_picture_have_no_severe_violations)
    "/standaarden", "/standaarden?lang=en",
    "/standaarden/standaard?uri=https%3A%2F%2Fgitdocumentatie.logius.nl%2Fpublicatie%2Fapi%2Fadr%2F",
    "/resource?uri=https%3A%2F%2Fspec.openapis.org%2Foas%2Fv3.0.0",
    "/koppelingen",
    "/koppelingen?organisation=https%3A%2F%2Fidentifier.overheid.nl%2Ftooi%2Fid%2Fgemeente%2Fgm0363",
)
SEVERE = ("critical", "serious")




@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # axe is injected by the test, which the page's Content-Security-Policy would refuse.
    context = browser.new_context(bypass_csp=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def severe_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results: dict[str, Any] = Axe().run(page).response
    return [
        f"{v['impact']} {v['id']}: {node['target']} {node.get('failureSummary', '')[:200]}"
        for v in results["violations"] if v["impact"] in SEVERE for node in v["nodes"]
    ]


def test_the_pages_have_no_severe_violations(site: str, page: Page) -> None:
    found: list[str] = []
    for path in PAGES:
        answer = page.goto(site + path)
        # an error page would pass axe in place of the page meant
        assert answer is not None and (answer.ok or path == "/doc/nope"), path
        found += [f"{path}: {violation}" for violation in severe_violations(page)]
    assert found == [], "\n".join(found)


def test_the_embedded_card_and_a_relation_picture_have_no_severe_violations(
        site: str, page: Page) -> None:
    """Issue 17's pages built so far: the embeddable card (its own small page, for an iframe)
    and a page with a relation picture, checked with the picture on it."""
    found: list[str] = []
    for path in ("/embed/begrip?uri=" + quote(site + "/id/begrip/pand", safe=""),
                 "/embed/begrip?lang=en&uri=" + quote(site + "/id/begrip/pand", safe=""),
                 "/doc/dataset/bag"):
        answer = page.goto(site + path)
        assert answer is not None and answer.ok, path
        assert page.locator(".begrip-card, section.relations svg").count() >= 1, path
        found += [f"{path}: {violation}" for violation in severe_violations(page)]
    assert found == [], "\n".join(found)


def test_the_begrippenkader_pages_have_no_severe_violations(site: str, page: Page) -> None:
    page.goto(site + "/begrippen")
    kader = page.locator("main a[href^='/begrippen/']").first.get_attribute("href")
    found: list[str] = []
    for view in ("", "/az", "/boom"):
        page.goto(f"{site}{kader}{view}")
        found += [f"{kader}{view}: {violation}" for violation in severe_violations(page)]
    assert found == [], "\n".join(found)


def test_the_sparql_editor_with_results_has_no_severe_violations(site: str, page: Page
                                                                 ) -> None:
    from playwright.sync_api import expect

    page.goto(site + "/sparql")
    expect(page.locator(".yasqe")).to_be_visible()
    found = severe_violations(page)
    assert found == [], "\n".join(found)
    page.locator("a.sparql-example").first.click()
    expect(page.locator(".yasr table").first).to_be_visible(timeout=15_000)
    found = severe_violations(page)
    assert found == [], "\n".join(found)


def test_the_open_suggestion_list_has_no_severe_violations(site: str, page: Page) -> None:
    from playwright.sync_api import expect

    page.goto(site + "/")
    page.locator("#site-search").fill("gebouw")
    expect(page.locator("#site-search-list [role=option]").first).to_be_visible()
    found = severe_violations(page)
    assert found == [], "\n".join(found)


def test_the_impact_pages_have_no_severe_violations(site: str, page: Page) -> None:
    found: list[str] = []
    for path in ("/doc/begrip/pand", "/doc/api/bag-individuele-bevragingen"):
        page.goto(site + path)
        page.locator("p.impact-link a").click()
        page.wait_for_selector("table.impact-counts")
        found += [f"{page.url}: {violation}" for violation in severe_violations(page)]
    assert found == [], "\n".join(found)


def test_the_drawn_connections_map_has_no_severe_violations(site: str, page: Page) -> None:
    # The map, its status and its list of links appear only once the script has drawn it.
    page.goto(site + "/koppelingen?organisation="
              "https%3A%2F%2Fidentifier.overheid.nl%2Ftooi%2Fid%2Fgemeente%2Fgm0363")
    page.wait_for_selector("#connections-map[data-state=rendered]")
    assert severe_violations(page) == []
