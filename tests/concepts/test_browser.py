"""In a real browser: type in the search box, pick a suggestion, land on the begrip page; walk
the begrippen tree with the keyboard."""

from __future__ import annotations

from fastapi import FastAPI

from catalogue.services.schemes import vocid_for
from tests.browser import chromium, needs_browser
from tests.web.live import serving

VOCID = vocid_for("http://catalogue.test/id/begrippenkader/gebouwen", base="http://catalogue.test")

pytestmark = needs_browser


def test_suggestion_then_tree_by_keyboard(concepts_app: FastAPI) -> None:
    from playwright.sync_api import expect

    with serving(concepts_app) as url, chromium() as browser:
        page = browser.new_page()
        external: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(url) else external.append(r.url))
        refused: list[str] = []  # what the Content-Security-Policy blocked, as Chromium logs it
        page.on("console", lambda m: refused.append(m.text)
                if "Content Security Policy" in m.text else None)
        page.goto(url + "/begrippen?lang=nl")
        box = page.get_by_role("combobox", name="Zoeken")
        box.press_sequentially("woni", delay=40)
        option = page.get_by_role("option").filter(has_text="woning").first
        expect(option).to_be_visible(timeout=10_000)
        expect(box).to_have_attribute("aria-expanded", "true")
        box.press("ArrowDown")
        expect(page.get_by_role("option").first).to_have_attribute("aria-selected", "true")
        box.press("Enter")
        page.wait_for_url(url + "/doc/begrip/woning")
        expect(page.locator("h1")).to_have_text("woning")

        page.goto(f"{url}/begrippen/{VOCID}/boom")
        tree = page.get_by_role("tree")
        expect(tree).to_be_visible()
        first = page.get_by_role("treeitem", name="bouwwerk")
        expect(first).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_role("treeitem", name="gebouw")).to_be_hidden()
        first.focus()
        page.keyboard.press("ArrowRight")  # expand bouwwerk
        expect(first).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("ArrowDown")  # to gebouw
        gebouw = page.get_by_role("treeitem", name="gebouw", exact=True)
        expect(gebouw).to_be_focused()
        page.keyboard.press("ArrowRight")  # expand gebouw
        page.keyboard.press("ArrowRight")  # into its first child
        expect(page.get_by_role("treeitem", name="woning")).to_be_focused()
        page.keyboard.press("ArrowLeft")  # back to the parent
        expect(gebouw).to_be_focused()
        page.keyboard.press("ArrowLeft")  # collapse gebouw
        expect(gebouw).to_have_attribute("aria-expanded", "false")
        page.keyboard.press("End")
        expect(page.get_by_role("treeitem", name="perceel")).to_be_focused()
        focused_tabindex = page.evaluate("document.activeElement.tabIndex")
        assert focused_tabindex == 0
        assert page.locator("[role=treeitem][tabindex='0']").count() == 1  # roving tabindex
        page.keyboard.press("Enter")
        page.wait_for_url(url + "/doc/begrip/perceel")
        assert external == []
        assert refused == []
