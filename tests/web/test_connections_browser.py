"""The connections map in chromium: it draws, filters to one organisation without a round trip,
and its points and links open the right pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from tests.browser import needs_browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = needs_browser
AMSTERDAM = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"




@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 1000})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        assert errors == []
    finally:
        context.close()


def open_map(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#connections-map[data-state=rendered]")


def test_the_map_draws_every_connection(site: str, page: Page) -> None:
    open_map(page, site + "/koppelingen")
    assert page.get_attribute("#connections-map", "data-edges") == "684"
    assert "684 koppelingen tussen 342 organisaties en 2 diensten" in page.inner_text(
        "#map-status")


def test_the_map_filters_to_one_organisation_and_its_points_open_their_pages(
        site: str, page: Page) -> None:
    open_map(page, site + "/koppelingen")
    page.select_option("#filter-organisation", AMSTERDAM)
    assert page.get_attribute("#connections-map", "data-edges") == "2"
    # the address says what the map shows, without a round trip
    assert page.url.endswith("/koppelingen?organisation=" + quote(AMSTERDAM, safe=""))
    assert page.get_attribute("a[download]", "href") == (
        "/koppelingen.csv?organisation=" + quote(AMSTERDAM, safe=""))
    listed = page.locator("#map-nodes a")
    assert sorted(listed.all_inner_texts()) == [
        "Basisregistratie Adressen en Gebouwen (BAG)", "Basisregistratie Personen (BRP)",
        "Dienst voor het kadaster en de openbare registers", "Rijksdienst voor Identiteitsgegevens",
        "gemeente Amsterdam"]
    # a point on the canvas opens its page
    where = page.evaluate(f"window.connectionsMap.position('{site}/id/dataset/brp')")
    assert where is not None
    page.mouse.click(where["x"], where["y"])
    page.wait_for_url(site + "/doc/dataset/brp")
    assert page.inner_text("h1") == "Basisregistratie Personen (BRP)"
    # back on the filtered map (from its address), the listed link opens the organisation
    open_map(page, site + "/koppelingen?organisation=" + quote(AMSTERDAM, safe=""))
    assert page.get_attribute("#connections-map", "data-edges") == "2"
    assert page.evaluate(f"window.connectionsMap.position('{site}/id/dataset/brp')") is not None
    assert page.evaluate("window.connectionsMap.position("
                         "'https://identifier.overheid.nl/tooi/id/gemeente/gm0599')") is None
    page.get_by_role("link", name="gemeente Amsterdam", exact=True).first.click()
    page.wait_for_url("**/resource?uri=*gm0363")
    assert page.inner_text("h1") == "gemeente Amsterdam"


def test_the_table_sorts_by_a_heading_click(site: str, page: Page) -> None:
    open_map(page, site + "/koppelingen")
    page.click("#connections-table thead a:has-text('Organisatie')")  # ascending -> descending
    page.wait_for_url("**order=desc**")
    names = page.locator("#connections-table tbody tr td:first-child").all_inner_texts()
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert page.get_attribute("#connections-table th[aria-sort]", "aria-sort") == "descending"
