"""The query editor in a real browser: run an example query, see linked results, follow one."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from tests.browser import chromium, needs_browser
from tests.web.live import catalogue_serve, serving

pytestmark = needs_browser


def test_run_an_example_and_follow_a_result_link(app: FastAPI) -> None:
    from playwright.sync_api import expect

    with serving(app) as url, chromium() as browser:
        page = browser.new_page()
        external: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(url) else external.append(r.url))
        refused: list[str] = []  # what the Content-Security-Policy blocked, as Chromium logs it
        page.on("console", lambda m: refused.append(m.text)
                if "Content Security Policy" in m.text else None)
        page.goto(url + "/sparql?lang=en")
        expect(page.locator(".yasqe")).to_be_visible()  # the editor replaced the plain form
        page.get_by_role("link", name="Which APIs serve data about a pand (building)?").click()
        link = page.locator(".yasr table a.iri", has_text="api/bag").first
        expect(link).to_be_visible(timeout=15_000)
        assert link.get_attribute("href") == "/doc/api/bag"
        download = page.locator("a.sparql-download[data-format=csv]")
        assert "pand" in (download.get_attribute("href") or "")
        # A SELECT has no Turtle answer: that download is not offered.
        expect(download).to_be_visible()
        expect(page.locator("a.sparql-download[data-format=ttl]")).to_be_hidden()
        link.click()
        page.wait_for_url(url + "/doc/api/bag")
        expect(page.locator("h1")).to_have_text("BAG Individuele Bevragingen")
        assert external == []  # everything came from our own server
        assert refused == []


def test_the_editor_through_the_real_server_and_its_front_processes(tmp_path: Path) -> None:
    """The same, on `catalogue serve` with its bundled content: pages, static files and the
    editor's queries go through the SPARQL front processes."""
    from playwright.sync_api import expect

    with catalogue_serve(tmp_path / "store") as (url, _), chromium() as browser:
        page = browser.new_page()
        page.goto(url + "/sparql?lang=en")
        expect(page.locator(".yasqe")).to_be_visible()
        page.get_by_role("link", name="Which APIs serve data about a pand (building)?").click()
        link = page.locator(".yasr table a.iri", has_text="api/bag").first
        expect(link).to_be_visible(timeout=15_000)
        href = link.get_attribute("href") or ""
        assert href.startswith("/doc/api/bag")
        # YASR shows a long IRI cut off: a first click on the cell opens it, then it links.
        page.locator(".yasr table .expandable",
                     has=page.locator("a.iri", has_text="api/bag")).first.click()
        link.click()
        page.wait_for_url(url + href)
        expect(page.locator("h1")).to_contain_text("BAG")


def test_the_editors_own_controls_speak_dutch(app: FastAPI) -> None:
    """YASGUI writes its buttons in English; on a Dutch page they carry the page's words."""
    from playwright.sync_api import expect

    with serving(app) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url + "/sparql?lang=nl")
        expect(page.locator(".yasqe")).to_be_visible()
        run = page.locator(".yasqe_queryButton")
        expect(run).to_have_attribute("aria-label", "Vraag uitvoeren")
        expect(run).to_have_attribute("title", "Vraag uitvoeren")
        expect(page.locator(".yasqe_share")).to_have_attribute("aria-label", "Vraag delen")
        expect(page.locator(".yasr")).to_contain_text("Tabel")
