"""Every response of the app carries a Content-Security-Policy without inline script, nosniff, a
Referrer-Policy and no framing: pages, errors (the 500 too), static files, APIs, on a real server
as well; and no page has an inline script or event handler that the policy would block."""

from __future__ import annotations

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.store import Store
from catalogue.web.app import create_app
from tests.browser import CHROMIUM, chromium
from tests.web.live import serving

CASES = {
    "page": ("/", {"Accept": "text/html"}, 200),
    "error page": ("/resource?uri=http://nowhere.example/x", {"Accept": "text/html"}, 404),
    "json error": ("/resource?uri=http://nowhere.example/x", {"Accept": "application/json"}, 404),
    "static file": ("/static/site.css", {}, 200),
    "api": ("/rest/v1/vocabularies", {"Accept": "application/json"}, 200),
    "openapi": ("/api/openapi.json", {}, 200),
    "sparql": ("/sparql?query=ASK%7B%7D", {"Accept": "application/sparql-results+json"}, 200),
    "sparql editor": ("/sparql", {"Accept": "text/html"}, 200),
    "unauthorised write": ("/store?graph=http://example.org/g", {}, 401),
}


def assert_secure(headers: httpx.Headers) -> None:
    policy = {d.split()[0]: d.split()[1:] for d in headers["content-security-policy"].split("; ")}
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_kind_of_response_has_the_security_headers(client: TestClient, case: str) -> None:
    path, headers, status = CASES[case]
    method = client.put if case == "unauthorised write" else client.get
    answer = method(path, headers=headers)
    assert answer.status_code == status, answer.text[:300]
    assert_secure(answer.headers)


def test_an_unhandled_error_has_them_too(settings: Settings, store: Store) -> None:
    def boom() -> None:
        raise RuntimeError("boom")

    app = create_app(settings, store=store)
    app.add_api_route("/boom-for-test", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/boom-for-test")
    assert answer.status_code == 500
    assert_secure(answer.headers)


def test_the_api_docs_allow_only_their_own_inline_script_by_hash(client: TestClient) -> None:
    answer = client.get("/api/docs")
    assert answer.status_code == 200
    assert_secure(answer.headers)
    assert "'sha256-" in answer.headers["content-security-policy"]


def test_a_real_server_sends_them(app: FastAPI) -> None:
    with serving(app) as url:
        for path in ("/", "/static/search.js", "/nope"):
            assert_secure(httpx.get(url + path, timeout=30).headers)


@pytest.mark.parametrize("path", ["/", "/sparql", "/begrippen", "/datasets", "/validate",
                                  "/graphs", "/search?q=a"])
def test_no_page_has_inline_script_or_event_handlers(client: TestClient, path: str) -> None:
    page = BeautifulSoup(client.get(path, headers={"Accept": "text/html"}).text, "html.parser")
    for script in page.find_all("script"):
        # JSON-LD is data, never run; everything else comes from a file under /static.
        assert script.get("src") or script.get("type") == "application/ld+json", script
    handlers = [(tag.name, name) for tag in page.find_all(True) for name in tag.attrs
                if name.lower().startswith("on")]
    assert handlers == []
    assert not [a["href"] for a in page.find_all(href=True)
                if a["href"].strip().lower().startswith("javascript:")]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (/usr/bin/chromium)")
def test_a_browser_refuses_a_javascript_link_that_slipped_through(app: FastAPI) -> None:
    """The second line: were a javascript: link ever rendered, the policy stops it running."""
    with serving(app) as url, chromium() as browser:
        page = browser.new_page()
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text)
                if "Content Security Policy" in m.text else None)
        page.on("dialog", lambda d: d.dismiss())
        page.goto(url + "/")
        page.evaluate("""() => { const a = document.createElement('a');
            a.href = 'javascript:document.title = "owned"';
            document.body.append(a); a.click(); }""")
        page.wait_for_timeout(500)
        assert page.title() != "owned"
        assert any("JavaScript URL" in text or "javascript:" in text for text in refused), refused
