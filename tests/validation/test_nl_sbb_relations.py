"""NL-SBB's checks across begrippen, in SHACL Core so that the Rust engine runs them: a
harmonisatierelatie (mapping) to a begrip in the begrip's own kader, and a topbegrip whose
broader begrip is in the kader it is the top of. Both engines find them alike."""

from __future__ import annotations

import pytest

from catalogue.ingest.rdf import parse_source
from catalogue.validation import find_profile, validate
from catalogue.validation.engine import CompiledShapes
from catalogue.validation.fast import FastShapes
from catalogue.validation.validate import compiled

KADERS = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/> .
ex:K a skos:ConceptScheme ; skos:prefLabel "K"@nl .
ex:L a skos:ConceptScheme ; skos:prefLabel "L"@nl .
ex:a a skos:Concept ; skos:prefLabel "a"@nl ; skos:definition "A."@nl ; skos:inScheme ex:K ;
  skos:topConceptOf ex:K ; skos:broader ex:b ; skos:exactMatch ex:c .
ex:b a skos:Concept ; skos:prefLabel "b"@nl ; skos:definition "B."@nl ; skos:inScheme ex:K ;
  skos:topConceptOf ex:K .
ex:c a skos:Concept ; skos:prefLabel "c"@nl ; skos:definition "C."@nl ; skos:inScheme ex:K ;
  skos:broader ex:b .
ex:d a skos:Concept ; skos:prefLabel "d"@nl ; skos:definition "D."@nl ; skos:inScheme ex:L ;
  skos:topConceptOf ex:L ; skos:closeMatch ex:c ; skos:broader ex:b .
"""
SKOS = "http://www.w3.org/2004/02/skos/core#"


def _graphs() -> dict[str, list]:  # type: ignore[type-arg]
    return dict(parse_source(KADERS.encode(), name="k.ttl", uri="urn:k", graph="k").graphs)


def test_the_nl_sbb_profile_runs_on_the_rust_engine() -> None:
    assert isinstance(compiled(find_profile("nl-sbb")), FastShapes)


def test_a_mapping_inside_the_kader_and_a_top_begrip_under_its_own_kader_are_found() -> None:
    report = validate(_graphs(), find_profile("nl-sbb"))
    found = sorted((r.severity, r.focus, r.path_label, r.value) for r in report.results)
    assert found == [
        ("Violation", "http://example.org/a",
         "((skos:closeMatch | skos:exactMatch | skos:broadMatch | skos:narrowMatch | "
         "skos:relatedMatch)/skos:inScheme)", "http://example.org/K"),
        ("Warning", "http://example.org/a", "(skos:broader/skos:inScheme)",
         "http://example.org/K"),
    ]  # d maps to c and sits under b, but in kader L: nothing to say
    violation = next(r for r in report.results if r.severity == "Violation")
    assert "eigen begrippenkader" in violation.message("nl")
    assert "own concept scheme" in violation.message("en")


@pytest.mark.parametrize("engine", [FastShapes, CompiledShapes])
def test_both_engines_find_them(engine: type[FastShapes] | type[CompiledShapes]) -> None:
    profile = find_profile("nl-sbb")
    found = engine(profile.shapes, profile.background).run(_graphs()["k"])
    assert sorted((r.severity.rsplit("#")[-1], r.focus, r.value) for r in found) == [
        ("Violation", "http://example.org/a", "http://example.org/K"),
        ("Warning", "http://example.org/a", "http://example.org/K"),
    ]
