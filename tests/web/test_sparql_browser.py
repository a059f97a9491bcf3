"""The query editor in a real browser: run an example query, see linked results, follow one."""

from __future__ import annotations

from fastapi import FastAPI

from tests.browser import chromium, needs_browser
from tests.web.live import serving

pytestmark = needs_browser


def test_run_an_example_and_follow_a_result_link(app: FastAPI) -> None:
    from playwright.sync_api import expect

    with serving(app) as url, chromium() as browser:
        page = browser.new_page()
        external: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(url) else external.append(r.url))
        page.goto(url + "/sparql?lang=en")
        expect(page.locator(".yasqe")).to_be_visible()  # the editor replaced the plain form
        page.get_by_role("link", name="Which APIs serve data about a pand (building)?").click()
        link = page.locator(".yasr table a.iri", has_text="api/bag").first
        expect(link).to_be_visible(timeout=15_000)
        assert link.get_attribute("href") == "/doc/api/bag"
        download = page.locator("a.sparql-download[data-format=csv]")
        assert "pand" in (download.get_attribute("href") or "")
        link.click()
        page.wait_for_url(url + "/doc/api/bag")
        expect(page.locator("h1")).to_have_text("BAG Individuele Bevragingen")
        assert external == []  # everything came from our own server
