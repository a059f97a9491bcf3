"""Every page kind rendered in Dutch and English by a real server over the bundled content: no
msgid (a missing translation), no message of the other language, nothing logged as missing."""

from __future__ import annotations

import json
import logging
import re
import threading
from urllib.parse import urlencode

import httpx
import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from catalogue.i18n import LANGUAGES, catalogue_file, texts

# A Turtle dataset with Violations and Warnings, for a validation report page.
BROKEN = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://example.org/ds/1> a dcat:Dataset ; dct:title "Een dataset"@nl .
<http://example.org/ds/2> a dcat:Dataset .
"""



def _messages(lang: str) -> dict[str, str]:
    """Every msgid of a catalogue and its text (each plural form on its own)."""
    with catalogue_file(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    found: dict[str, str] = {}
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for n, msgid in enumerate(ids):
            found[msgid] = strings[min(n, len(strings) - 1)]
    return found


KEYS = {key for lang in LANGUAGES for key in _messages(lang)}
# Dotted words that start like our keys (`resource.inbound`, `kind.concept`): a key that reached
# a page because no catalogue translates it.
PREFIXES = "|".join(sorted({key.split(".")[0] for key in KEYS}))
KEY_SHAPE = re.compile(
    rf"(?<![\w./:#-])(?:{PREFIXES})\.[a-z][A-Za-z_-]*(?:\.[A-Za-z_-]+)*(?![\w/-])")


def _other_language_sentences(lang: str, other: str) -> set[str]:
    """Texts of the other language that differ from this language's text for the same key and
    are long enough not to be a shared word (Dataset, API, Status)."""
    own, theirs = _messages(lang), _messages(other)
    return {
        re.sub(r"%\(\w+\)s", "", text).strip()
        for key, text in theirs.items()
        if text != own.get(key) and len(text) >= 14 and " " in text and "%(" not in text[:6]
    }


def _first_link(client: httpx.Client, url: str, selector: str) -> str:
    page = BeautifulSoup(client.get(url).text, "html.parser")
    link = page.select_one(selector)
    assert link is not None, f"no {selector} on {url}"
    return str(link["href"])


def _pages(site: str) -> dict[str, tuple[str, str, dict[str, str] | None]]:
    """Each page kind: (method, path, form)."""
    with httpx.Client(base_url=site) as client:
        kaders = BeautifulSoup(client.get("/begrippen").text, "html.parser").select(
            "table a[href^='/begrippen/']")
        kader, begrip = next(
            (str(a["href"]), str(top["href"])) for a in kaders
            if (top := BeautifulSoup(client.get(str(a["href"])).text, "html.parser").select_one(
                "section[aria-labelledby=top] ul a[href]")) is not None)
        dataset = _first_link(client, "/datasets", "ol.results a[href]")
        api = _first_link(client, "/apis", "ol.results a[href]")
        quality = _first_link(client, "/quality", "main table a[href^='/quality/']")
        graph = BeautifulSoup(client.get("/graphs").text, "html.parser").select_one(
            "table.graphs tbody tr td").get_text(strip=True)
        organisation = _first_link(client, dataset, "table.properties a[href]")
    return {
        "home": ("GET", "/", None),
        "begrippen list": ("GET", "/begrippen", None),
        "kader": ("GET", kader, None),
        "kader a-z": ("GET", kader + "/az", None),
        "kader tree": ("GET", kader + "/boom", None),
        "begrip": ("GET", begrip, None),
        "datasets list": ("GET", "/datasets", None),
        "dataset": ("GET", dataset, None),
        "apis list": ("GET", "/apis", None),
        "api": ("GET", api, None),
        "organisation": ("GET", organisation, None),
        "graphs": ("GET", "/graphs", None),
        "history": ("GET", "/history?" + urlencode({"graph": graph}), None),
        "search": ("GET", "/search?q=gebouw", None),
        "search nothing": ("GET", "/search?q=zzzqqq", None),
        "sparql": ("GET", "/sparql", None),
        "validate": ("GET", "/validate", None),
        "validate report": ("POST", "/validate", {"text": BROKEN, "profile": "dcat-ap-nl"}),
        "validate nothing filled in": ("POST", "/validate", {"text": "", "url": ""}),
        "quality": ("GET", "/quality", None),
        "quality publisher": ("GET", quality, None),
        "404 route": ("GET", "/nope", None),
        "404 resource": ("GET", "/resource?" + urlencode({"uri": "http://example.org/none"}),
                         None),
        "error": ("GET", "/resource?" + urlencode({"uri": "not an iri"}), None),
    }


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_kind_speaks_one_language(site: str, lang: str,
                                             caplog: pytest.LogCaptureFixture) -> None:
    other = "en" if lang == "nl" else "nl"
    foreign = _other_language_sentences(lang, other)
    problems: list[str] = []
    with caplog.at_level(logging.WARNING, logger="catalogue.i18n"), \
            httpx.Client(base_url=site, timeout=120) as client:
        for kind, (method, path, form) in _pages(site).items():
            joiner = "&" if "?" in path else "?"
            response = client.request(method, f"{path}{joiner}lang={lang}", data=form,
                                      headers={"Accept": "text/html"})
            assert response.status_code < 500 or kind == "error", (kind, response.status_code)
            page = BeautifulSoup(response.text, "html.parser")
            assert page.html is not None and page.html["lang"] == lang, kind
            for script in page(["script", "style"]):
                script.decompose()
            text = " ".join(page.get_text(" ").split())
            text += " " + " ".join(str(v) for tag in page.find_all(True)
                                   for a, v in tag.attrs.items()
                                   if a in ("title", "aria-label", "placeholder", "value"))
            problems += [f"{kind}: key {key!r}" for key in KEY_SHAPE.findall(text)]
            problems += [f"{kind}: {other} text {sentence!r}"
                         for sentence in foreign if sentence in text]
    problems += [f"logged: {r.getMessage()}" for r in caplog.records if "translation" in
                 r.getMessage()]
    assert not problems, "\n".join(problems)


def test_dutch_pages_carry_none_of_the_english_seen_before(site: str) -> None:
    """The defects seen in the Dutch interface, one by one."""
    with httpx.Client(base_url=site, headers={"Accept": "text/html"}) as client:
        missing = client.get("/resource?" + urlencode({"uri": "http://example.org/none"}))
        assert missing.status_code == 404
        text = BeautifulSoup(missing.text, "html.parser").main.get_text(" ")
        assert "in the catalogue" not in text and "http://example.org/none" in text
        route = BeautifulSoup(client.get("/nope").text, "html.parser").main.get_text(" ")
        assert "Not Found" not in route
        empty = client.post("/validate", data={"text": ""})
        assert empty.status_code == 400
        alert = BeautifulSoup(empty.text, "html.parser").find(attrs={"role": "alert"})
        assert "choose a file" not in alert.get_text() and "bestand" in alert.get_text()
        report = BeautifulSoup(client.post("/validate", data={"text": BROKEN}).text,
                               "html.parser").find(class_="verdict").get_text(" ")
        assert re.search(r"\d+ fouten?, \d+ waarschuwing", " ".join(report.split())), report
        kinds = {r["kind_label"] for r in client.get(
            "/search/suggest?q=a", headers={"Accept": "application/json"}).json()["results"]}
        assert kinds and not kinds & {"concept", "api", "dataset-series"}, kinds
        editor = BeautifulSoup(client.get("/sparql").text, "html.parser").find(id="yasgui")
        assert json.loads(editor["data-labels"])["Run query"] == "Vraag uitvoeren"


def test_english_calls_a_begrip_a_concept(site: str) -> None:
    assert texts("en").gettext("kind.concept") == "concept"
    assert "definition" not in texts("en").gettext("count.definitions").lower()
    with httpx.Client(base_url=site) as client:
        home = BeautifulSoup(client.get("/?lang=en").text, "html.parser")
    counts = home.find(class_="counts").get_text(" ")
    assert "concepts" in counts and "definitions" not in counts


def test_requests_in_two_languages_at_once_each_get_their_own(site: str) -> None:
    """Nothing is installed globally: concurrent nl and en renders never mix."""
    wrong: list[str] = []

    def fetch(lang: str) -> None:
        with httpx.Client(base_url=site) as client:
            for _ in range(15):
                page = BeautifulSoup(client.get(f"/?lang={lang}").text, "html.parser")
                heading = page.find("h2", id="counts").get_text(strip=True)
                if heading != texts(lang).gettext("home.counts"):
                    wrong.append(f"{lang}: {heading}")

    threads = [threading.Thread(target=fetch, args=(lang,)) for lang in ("nl", "en") * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not wrong
