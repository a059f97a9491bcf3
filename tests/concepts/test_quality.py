"""Quality checks beyond SHACL, on tests/data/concepts/kwaliteit.ttl (one problem of each kind)."""

from __future__ import annotations

from pathlib import Path

from catalogue.services.concept_quality import CHECKS, scheme_quality
from tests.concepts.conftest import SCENARIOS, build

Q = "http://catalogue.test/id/kwaliteit/"


def findings() -> dict[str, list[tuple[list[str], str]]]:
    store, _ = build([SCENARIOS / "kwaliteit.ttl"])
    return {check.name: [([c.iri for c in f.concepts], f.detail) for f in check.findings]
            for check in scheme_quality(store, Q + "kader")}


def test_every_check_reports_exactly_its_problem() -> None:
    found = findings()
    assert tuple(found) == CHECKS
    assert found["cycle"] == [([Q + "a", Q + "b"], "")]
    assert found["no_definition"] == [([Q + "d"], "")]
    assert found["circular_definition"] == [([Q + "c"], "Een cirkel is een ronde cirkel.")]
    assert found["duplicate_label"] == [([Q + "c", Q + "d"], "cirkel @nl")]
    assert found["orphan"] == [([Q + "wees"], "")]
    assert found["undefined_reference"] == [([Q + "d"], Q + "ontbreekt")]


def test_counts_on_a_mostly_clean_scheme() -> None:
    store, _ = build([SCENARIOS / "begrippen.ttl"])
    checks = {c.name: [f.concepts[0].label for f in c.findings] for c in
              scheme_quality(store, "http://catalogue.test/id/begrippenkader/gebouwen")}
    assert checks == {"cycle": [], "no_definition": [], "circular_definition": ["woning"],
                      "duplicate_label": [], "orphan": ["opstalobject"],
                      "undefined_reference": []}


def test_findings_name_begrippen_in_the_page_language_and_labels_as_written(
        tmp_path: Path) -> None:
    """The EU high-value categories in GeoNetwork's thesaurus: a begrip without a definition
    was named in Bulgarian on a Dutch page, and a duplicate Hungarian label was shown folded
    ("a hajout, illetve csatorna hatarai")."""
    kader = tmp_path / "hvd.ttl"
    kader.write_text("""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix : <http://e.eu/hvd/> .
        :s a skos:ConceptScheme .
        :a a skos:Concept ; skos:inScheme :s ; skos:topConceptOf :s ;
            skos:prefLabel "Национални сметки"@bg, "Nationale rekeningen"@nl,
                "National accounts"@en, "A hajóút határai"@hu .
        :b a skos:Concept ; skos:inScheme :s ; skos:topConceptOf :s ;
            skos:definition "B."@en ; skos:prefLabel "Vaarweg"@nl, "A HAJÓÚT HATÁRAI"@hu .
    """, encoding="utf-8")
    store, _ = build([kader])
    dutch = {check.name: check for check in scheme_quality(store, "http://e.eu/hvd/s")}
    assert [f.concepts[0].label for f in dutch["no_definition"].findings] == [
        "Nationale rekeningen"]
    (duplicate,) = dutch["duplicate_label"].findings
    assert duplicate.detail == "A hajóút határai @hu"
    english = {check.name: check for check in scheme_quality(store, "http://e.eu/hvd/s", "en")}
    assert [f.concepts[0].label for f in english["no_definition"].findings] == [
        "National accounts"]
