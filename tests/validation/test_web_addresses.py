"""Our profiles warn (in Dutch and English) on a web address that is not http(s): such a value
is never shown as a link, and a javascript: one is an attack."""

from __future__ import annotations

from catalogue.validation import find_profile, validate_bytes
from tests.conftest import DATA

PROPERTIES = {
    "dcat:landingPage", "dcat:downloadURL", "dcat:accessURL", "vcard:hasURL", "foaf:homepage",
    "dct:source", "skos:exactMatch",
}


def test_a_javascript_url_of_each_property_is_a_warning_in_both_languages() -> None:
    data = (DATA / "hostile" / "javascript-links.ttl").read_bytes()
    report = validate_bytes(data, name="links.ttl", profile=find_profile("default"))
    warned = {r.path_label: r for r in report.results
              if r.severity == "Warning" and "http(s)" in r.message_en}
    assert set(warned) == PROPERTIES
    for result in warned.values():
        assert "geen http(s)-adres" in result.message_nl
        assert result.value is not None and result.value.lower().startswith(
            ("javascript:", "data:"))


def test_http_urls_and_a_text_source_are_not_warned_about() -> None:
    data = b"""
    @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    <https://example.org/d> dcat:landingPage <https://example.org/> .
    <https://example.org/c> a skos:Concept ; skos:prefLabel "c"@nl ; dct:source "Wet BAG, art. 1" ;
      dct:source <https://wetten.overheid.nl/BWBR0023466> ; skos:exactMatch <http://example.org/x> .
    """
    report = validate_bytes(data, name="ok.ttl", profile=find_profile("default"))
    assert not [r for r in report.results if "http(s)" in r.message_en]
