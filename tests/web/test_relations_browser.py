"""A relation picture in the browser: its nodes are links that open the neighbour's page."""

from __future__ import annotations

import pytest

from tests.browser import chromium, needs_browser
from tests.web.live import bundled_site

pytestmark = needs_browser


@pytest.mark.parametrize("path", ["/doc/begrip/pand", "/doc/dataset/bag"])
def test_a_node_of_the_picture_opens_its_page(path: str) -> None:
    with bundled_site() as site, chromium() as browser:
        page = browser.new_page()
        page.goto(site + path)
        nodes = page.locator("svg.relation-picture a.ring-1")
        assert nodes.count() >= 1
        node = nodes.first
        label = node.locator("title").text_content() or ""
        name = label.rsplit(" (", 1)[0]  # "Gebouw (begrip)"
        href = node.get_attribute("href")
        assert name and href
        node.locator("circle").click()
        page.wait_for_url(lambda url: url != site + path)
        assert page.url.endswith(href) or href in page.url
        assert name in (page.locator("h1").text_content() or "")
