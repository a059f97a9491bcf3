"""URL checks only when asked, against a loopback http.server: 2xx/3xx earn, 4xx and closed
ports do not, HEAD-refusing servers are asked with GET, the number of URLs is bounded, and
loopback is reached only when the operator allows private addresses."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from catalogue.fetch import ANY_ADDRESS
from catalogue.quality import score_dataset
from catalogue.quality.urlcheck import UrlChecker
from tests.loopback import loopback
from tests.quality.conftest import PREFIXES, load_turtle

ASKED: list[tuple[str, str]] = []


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        ASKED.append(("HEAD", self.path))
        status = {"/ok": 200, "/moved": 301, "/no-head": 405}.get(self.path, 404)
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        ASKED.append(("GET", self.path))
        self.send_response(200 if self.path == "/no-head" else 404)
        self.send_header("Content-Length", "1")
        self.end_headers()
        self.wfile.write(b"x")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with loopback(Handler) as url:
        yield url


def _dataset(server: str) -> str:
    return PREFIXES + f"""
ex:dataset\\/urls a dcat:Dataset ; dct:title "URLs"@nl ;
    dcat:distribution ex:distribution\\/a, ex:distribution\\/b .
ex:distribution\\/a a dcat:Distribution ; dcat:accessURL <{server}/ok> ;
    dcat:downloadURL <{server}/missing> .
ex:distribution\\/b a dcat:Distribution ; dcat:accessURL <{server}/moved> ;
    dcat:downloadURL <{server}/no-head> .
"""


def test_offline_scores_well_formed_urls_and_asks_nothing(server: str) -> None:
    ASKED.clear()
    score = score_dataset(load_turtle(_dataset(server)), "http://catalogue.test/id/dataset/urls")
    assert score.of("accessUrlStatusCode").earned == 50
    assert score.of("downloadUrlStatusCode").earned == 30
    assert "not requested" in score.of("downloadUrlStatusCode").reason("en")
    assert ASKED == []


def test_checked_urls_earn_only_when_they_answer(server: str) -> None:
    ASKED.clear()
    checker = UrlChecker(timeout=2, policy=ANY_ADDRESS)
    store = load_turtle(_dataset(server))
    score = score_dataset(store, "http://catalogue.test/id/dataset/urls", checker=checker)
    assert score.of("accessUrlStatusCode").earned == 50  # 200 and 301
    assert score.of("downloadUrlStatusCode").earned == 15  # 404 fails, 405 then GET 200 passes
    assert score.urls_checked
    assert ("GET", "/no-head") in ASKED
    asked = len(ASKED)
    score_dataset(store, "http://catalogue.test/id/dataset/urls", checker=checker)
    assert len(ASKED) == asked  # each URL asked once


def test_closed_port_fails_and_the_bound_holds(server: str) -> None:
    checker = UrlChecker(timeout=1, max_urls=2, policy=ANY_ADDRESS)
    checker.check_all(["http://127.0.0.1:9/closed", f"{server}/ok", f"{server}/moved"])
    assert checker.results == {"http://127.0.0.1:9/closed": False, f"{server}/ok": True}
    assert checker.status(f"{server}/moved") is None  # over the bound: not asked


def test_loopback_urls_are_not_asked_by_default(server: str) -> None:
    ASKED.clear()
    checker = UrlChecker(timeout=2)
    checker.check_all([f"{server}/ok", f"{server}/moved"])
    assert checker.results == {f"{server}/ok": False, f"{server}/moved": False}
    assert ASKED == []
