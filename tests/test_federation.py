"""The federated search client's reading of other registries' answers and of its setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from catalogue.config import Settings
from catalogue.errors import UnusableAnswer
from catalogue.federation import (
    MAX_HITS,
    FederatedSource,
    federated_sources,
    hits_of,
    search_url,
)

SKOSMOS = {"@context": {}, "uri": "", "results": [
    {"uri": "http://other.test/id/begrip/pand", "type": ["skos:Concept"], "prefLabel": "pand",
     "lang": "nl", "vocab": "bag"},
]}


def test_a_skosmos_search_answer_gives_its_hits() -> None:
    (hit,) = hits_of(json.dumps(SKOSMOS).encode())
    assert (hit.uri, hit.label, hit.vocabulary, hit.lang) == (
        "http://other.test/id/begrip/pand", "pand", "bag", "nl")
    assert hit.link == hit.uri


@pytest.mark.parametrize("body", [
    b"<!doctype html><html><body>Skosmos</body></html>",  # HTML
    b"\xff\xfe not json",
    b"[1, 2, 3]",  # JSON, not an object
    b'{"results": "pand"}',  # the wrong shape
    b'{"results": [{"uri": 3}, "x", {"prefLabel": "pand"}]}',  # no usable result
    b"[" * 100_000 + b"]" * 100_000,  # deep enough to exhaust a recursive parser
])
def test_what_is_not_a_search_answer_is_unusable(body: bytes) -> None:
    with pytest.raises(UnusableAnswer):
        hits_of(body)


@pytest.mark.parametrize("definition", [
    ["Een gebouw.", "Tweede tekst."],  # Skosmos: a list of strings
    "Een gebouw.",
    [{"value": "Een gebouw."}],
])
def test_the_definition_is_read_from_the_shapes_servers_give(definition: object) -> None:
    body = {"results": [{"uri": "http://o.test/pand", "prefLabel": "pand",
                         "definition": definition}]}
    assert hits_of(json.dumps(body).encode())[0].definition == "Een gebouw."


def test_a_definition_of_another_shape_is_left_out() -> None:
    body = {"results": [{"uri": "http://o.test/pand", "prefLabel": "pand", "definition": [3]}]}
    assert hits_of(json.dumps(body).encode())[0].definition == ""


def test_an_empty_answer_has_no_hits_and_long_answers_are_cut() -> None:
    assert hits_of(b'{"results": []}') == ()
    many = {"results": [{"uri": f"http://o.test/{n}", "prefLabel": "x" * 10_000}
                        for n in range(100)]}
    hits = hits_of(json.dumps(many).encode())
    assert len(hits) == MAX_HITS and all(len(h.label) <= 300 for h in hits)


def test_a_hit_whose_iri_is_not_a_web_address_is_no_link() -> None:
    body = {"results": [{"uri": "javascript:alert(1)", "prefLabel": "pand"}]}
    (hit,) = hits_of(json.dumps(body).encode())
    assert hit.link is None


def test_the_setting_names_sources_and_numbers_them() -> None:
    sources = federated_sources("https://a.test/rest/v1/  Tweede=http://b.test:8080/rest/v1")
    assert sources == (FederatedSource(0, "a.test", "https://a.test/rest/v1"),
                       FederatedSource(1, "Tweede", "http://b.test:8080/rest/v1"))
    assert search_url(sources[0], "pand", lang="en") == (
        "https://a.test/rest/v1/search?query=pand%2A&maxhits=10&fields=definition&labellang=en")
    assert "query=pa%2Ad" in search_url(sources[0], "pa*d")


@pytest.mark.parametrize("setting", ["ftp://a.test/rest/v1", "a.test/rest/v1", "X=http://",
                                     "X=https://a.test/rest/v1?key=1", "https://a.test/#v1"])
def test_a_bad_source_in_the_setting_stops_the_start_saying_which(setting: str) -> None:
    with pytest.raises(ValidationError, match="federated source 1"):
        Settings(store=Path(":memory:"), federated_sources=setting)


def test_the_command_line_names_a_bad_source_setting_and_exits_2(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from catalogue.cli import main

    monkeypatch.setenv("CATALOGUE_FEDERATED_SOURCES", "NL-SBB=ftp://begrippen.test/rest/v1")
    assert main(["graphs", "--store", ":memory:"]) == 2
    error = capsys.readouterr().err
    assert "CATALOGUE_FEDERATED_SOURCES" in error
    assert "federated source 1" in error and "only http:// and https://" in error
