"""A profile that mixes SHACL Core and SHACL-SPARQL (here: our DCAT-AP-NL and NL-SBB shapes
with the two SPARQL constraints NL-SBB had before they were written in Core) runs the parts
of its shapes that share no node each on their own engine (catalogue/validation/combined.py),
and reports what one pyshacl run over all of them reports; the SPARQL part is left out where
the data holds no node its shapes target."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from catalogue.store.terms import Triple
from catalogue.validation import Profile, profile_from_files
from catalogue.validation.combined import CombinedShapes, Targets
from catalogue.validation.engine import CompiledShapes
from catalogue.validation.validate import compiled
from tests.conftest import DATA, SHARED, needs_shared
from tests.validation.test_engines import CORPUS, _key, _triples

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
BEGRIPPEN = [DATA / "concepts" / "begrippen.ttl", DATA / "concepts" / "kwaliteit.ttl"]
SHAPES = Path(__file__).resolve().parents[2] / "shapes"


SPARQL = DATA / "validation" / "sparql-relations.ttl"


def _mixed(*names: str) -> Profile:
    return profile_from_files([*(SHAPES / f"{name}.ttl" for name in names), SPARQL])


def _same(triples: list[Triple], profile: Profile | None = None) -> None:
    profile = profile or _mixed("dcat-ap-nl", "nl-sbb")
    combined = compiled(profile)
    whole = CompiledShapes(profile.shapes, profile.background)
    assert Counter(_key(r, True) for r in combined.run(triples)) == \
        Counter(_key(r, True) for r in whole.run(triples))


def test_a_mixed_profile_runs_each_part_on_its_engine() -> None:
    engine = compiled(_mixed("dcat-ap-nl", "nl-sbb"))
    assert isinstance(engine, CombinedShapes)
    assert [type(e).__name__ for e, _ in engine.engines] == ["FastShapes", "CompiledShapes"]


@pytest.mark.parametrize("path", CORPUS[:6] + BEGRIPPEN, ids=lambda p: p.name)
def test_the_report_is_one_pyshacl_run_over_all_shapes(path: Path) -> None:
    _same(_triples(path))


@pytest.mark.parametrize("path", BEGRIPPEN, ids=lambda p: p.name)
def test_nl_sbb_gives_one_pyshacl_run_s_report(path: Path) -> None:
    _same(_triples(path), _mixed("nl-sbb"))


@needs_shared
@pytest.mark.parametrize("name", ["imgeo-begrippen.ttl", "stelselcatalogus-thesaurus.ttl",
                                  "aedes-begrippenkader-corporatiesector-0.3.ttl"])
def test_real_begrippenkaders_give_the_same_report(name: str) -> None:
    _same(_triples(SHARED / "begrippen" / name), _mixed("nl-sbb"))


def test_a_catalogue_without_begrippen_skips_the_sparql_shapes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: CompiledShapes, triples: object) -> list[object]:
        raise AssertionError("pyshacl ran on data its shapes do not target")

    profile = _mixed("dcat-ap-nl", "nl-sbb")
    engine = compiled(profile)
    data = _triples(CORPUS[0])
    expected = Counter(_key(r, True) for r in CompiledShapes(
        profile.shapes, profile.background).run(data))
    monkeypatch.setattr(CompiledShapes, "run", refuse)
    assert Counter(_key(r, True) for r in engine.run(data)) == expected
    assert expected  # the DCAT-AP-NL shapes found something all the same
    with pytest.raises(AssertionError, match="pyshacl ran"):
        engine.run(_triples(BEGRIPPEN[0]))


def _targets(text: str) -> Targets:
    from catalogue.ingest.rdf import parse_source

    shapes = parse_source((PREFIXES + text).encode(), name="s.ttl", uri="urn:s", graph="s")
    return Targets.of(shapes.graphs["s"])


def _data(text: str) -> list[Triple]:
    from catalogue.ingest.rdf import parse_source

    return parse_source((PREFIXES + text).encode(), name="d.ttl", uri="urn:d",
                        graph="d").graphs["d"]


def test_targets_are_found_as_shacl_finds_focus_nodes() -> None:
    by_class = _targets("ex:S sh:targetClass ex:Top .")
    assert not by_class.may_apply(_data("ex:a a ex:Other ; ex:p ex:Top ."))
    assert by_class.may_apply(_data("ex:a a ex:Top ."))
    # An instance of a subclass, however deep, by the data's own rdfs:subClassOf.
    assert by_class.may_apply(_data(
        "ex:a a ex:Low . ex:Low rdfs:subClassOf ex:Mid . ex:Mid rdfs:subClassOf ex:Top ."))
    assert not by_class.may_apply(_data("ex:a a ex:Low . ex:Low rdfs:subClassOf ex:Low ."))
    implicit = _targets("ex:Top a rdfs:Class, sh:NodeShape .")
    assert implicit.may_apply(_data("ex:a a ex:Top ."))
    subjects = _targets("ex:S sh:targetSubjectsOf ex:p .")
    objects = _targets("ex:S sh:targetObjectsOf ex:q .")
    assert subjects.may_apply(_data("ex:a ex:p 1 .")) and not subjects.may_apply(_data(
        "ex:a ex:q 1 ."))
    assert objects.may_apply(_data("ex:a ex:q ex:b .")) and not objects.may_apply(_data(
        "ex:a ex:p ex:b ."))
    assert _targets("ex:S sh:targetNode ex:nowhere .").may_apply([])


def test_shapes_that_refer_to_each_other_run_together(tmp_path: Path) -> None:
    core = tmp_path / "core.ttl"
    core.write_text(PREFIXES + "ex:S sh:targetClass ex:C ; sh:node ex:T .\n")
    sparql = tmp_path / "sparql.ttl"
    sparql.write_text(PREFIXES + """ex:T a sh:NodeShape ; sh:sparql [
      sh:message "found" ; sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
""")
    engine = compiled(profile_from_files([core, sparql]))
    assert isinstance(engine, CompiledShapes)
    found = engine.run(_data("ex:a a ex:C ."))
    assert [r.focus for r in found] == ["http://example.org/a"]


def test_the_sparql_part_s_findings_are_in_the_report() -> None:
    from catalogue.ingest.rdf import parse_source
    from tests.validation.test_nl_sbb_relations import KADERS

    data = parse_source(KADERS.encode(), name="k.ttl", uri="urn:k", graph="k").graphs["k"]
    _same(data, _mixed("nl-sbb"))
    found = {(r.focus, r.value) for r in compiled(_mixed("nl-sbb")).run(data)}
    # The SPARQL constraints name the kader as focus node; the Core ones the begrip.
    assert ("http://example.org/K", "http://example.org/a") in found
    assert ("http://example.org/a", "http://example.org/K") in found


def test_a_custom_constraint_component_keeps_the_shapes_together(tmp_path: Path) -> None:
    # The component applies wherever its parameter is a predicate, with no link between nodes.
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PREFIXES + """ex:Lang a sh:ConstraintComponent ;
  sh:parameter [ sh:path ex:lang ] ;
  sh:validator [ a sh:SPARQLAskValidator ; sh:message "not {$lang}" ;
    sh:ask "ASK { FILTER (langMatches(lang($value), $lang)) }" ] .
ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:label ; ex:lang "en" ] .
""")
    engine = compiled(profile_from_files([shapes]))
    assert isinstance(engine, CompiledShapes)
    found = engine.run(_data('ex:a a ex:C ; ex:label "hallo"@nl .'))
    assert [r.focus for r in found] == ["http://example.org/a"]
