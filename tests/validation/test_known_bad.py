"""Our profiles on the known-bad real files: each report names the problem in Dutch and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.cli import main
from catalogue.errors import SourceSyntaxError
from catalogue.store.terms import RdfFormat, parse
from catalogue.validation import find_profile, profile_from_files, validate_bytes, validate_files
from tests.conftest import SHARED, needs_shared

pytestmark = needs_shared
BEGRIPPEN = SHARED / "begrippen"
STANDARDS = SHARED / "standards"


def violations(path: Path, profile: str) -> list[tuple[str, str, str]]:
    report = validate_files([path], find_profile(profile))
    return [(r.path_label, r.message_nl, r.message_en) for r in report.results
            if r.severity == "Violation"]


def test_stelselcatalogus_undeclared_scheme_named_in_both_languages() -> None:
    found = violations(BEGRIPPEN / "stelselcatalogus-thesaurus.ttl", "nl-sbb")
    in_scheme = [v for v in found if v[0] == "skos:inScheme"]
    assert len(in_scheme) == 27
    assert "niet beschreven als skos:ConceptScheme" in in_scheme[0][1]
    assert "not described as a skos:ConceptScheme" in in_scheme[0][2]


def test_official_shapes_allow_warnings_gotcha_we_count_violations_ourselves() -> None:
    official = profile_from_files([STANDARDS / "nl-sbb" / "skos-ap-nl.ttl"])
    report = validate_files([BEGRIPPEN / "stelselcatalogus-thesaurus.ttl"], official)
    assert report.violations == 28
    assert not report.conforms


def test_mim_definition_without_language_tag() -> None:
    [(path, nl, en)] = violations(BEGRIPPEN / "mim-begrippen.ttl", "nl-sbb")
    assert path == "skos:definition"
    assert "taalcode" in nl and "language tag" in en


@pytest.mark.parametrize("version", ["0.2", "0.3"])
def test_aedes_mappings_to_other_registers_are_not_violations(version: str) -> None:
    path = BEGRIPPEN / f"aedes-begrippenkader-corporatiesector-{version}.ttl"
    assert violations(path, "nl-sbb") == []


def test_nl_example_licence_not_on_the_geonovum_list() -> None:
    found = violations(STANDARDS / "dcat-ap-nl-3.0" / "examples" / "example-dcatDistribution.ttl",
                       "dcat-ap-nl")
    licence = [v for v in found if v[0] == "dct:license" and "Geonovum" in v[1]]
    assert licence and "Geonovum licence list" in licence[0][2]


@pytest.mark.parametrize("name,line", [
    ("standards/nl-sbb/voorbeeld-dcat-ap-nl-begrippenkader-imev.ttl", 22),
    ("standards/dcat-ap-hvd-3.0.0/examples/example-bees_wasps_dataset.ttl", None),
    ("standards/dcat-ap-3.0.1/examples/example-bee-population-dataset-series-api.ttl", None),
])
def test_invalid_turtle_is_an_input_error_with_its_position(name: str, line: int | None) -> None:
    with pytest.raises(SourceSyntaxError) as caught:
        validate_files([SHARED / name], find_profile("default"))
    assert caught.value.line is not None
    if line:
        assert caught.value.line == line


def test_eu_vocabulary_membership_is_checked_without_background_files() -> None:
    data = b"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
    @prefix dct: <http://purl.org/dc/terms/> .
    <http://x/d> a dcat:Dataset ;
      dct:accessRights <http://publications.europa.eu/resource/authority/access-right/SENSITIVE> ;
      dcat:theme <http://publications.europa.eu/resource/authority/data-theme/OP_DATPRO> ."""
    report = validate_bytes(data, name="d.ttl", profile=find_profile("dcat-ap-nl"))
    bad = {(r.path_label, r.value) for r in report.results if r.severity == "Violation"}
    assert ("dct:accessRights",
            "http://publications.europa.eu/resource/authority/access-right/SENSITIVE") in bad
    assert ("dcat:theme",
            "http://publications.europa.eu/resource/authority/data-theme/OP_DATPRO") in bad


def test_every_shape_has_a_message_in_dutch_and_english() -> None:
    shapes = Path(__file__).resolve().parents[2] / "shapes"
    sh = "http://www.w3.org/ns/shacl#"
    for name in ("dcat-ap-nl.ttl", "nl-sbb.ttl", "api.ttl"):
        triples = list(parse(path=shapes / name, format=RdfFormat.TURTLE))
        helpers = {q.object for q in triples if q.predicate.value == sh + "node"}
        targeted = {q.subject for q in triples if q.predicate.value.startswith(sh + "target")}
        # What reports a result: each property shape of a targeted shape, each SPARQL constraint,
        # and each targeted shape with its own node-level constraint (sh:or, sh:not).
        reporting = {q.object for q in triples if q.predicate.value == sh + "property"
                     and q.subject in targeted and q.subject not in helpers}
        reporting |= {q.object for q in triples if q.predicate.value == sh + "sparql"}
        reporting |= {q.subject for q in triples if q.subject in targeted
                      and q.predicate.value in (sh + "or", sh + "not")}
        assert len(reporting) >= 5
        for shape in reporting:
            langs = {q.object.language for q in triples
                     if q.subject == shape and q.predicate.value == sh + "message"}
            assert langs >= {"nl", "en"}, (name, shape)


def test_cli_exit_codes_and_formats(capsys: pytest.CaptureFixture[str]) -> None:
    aedes = str(BEGRIPPEN / "aedes-begrippenkader-corporatiesector-0.2.ttl")
    assert main(["validate", aedes, "--profile", "nl-sbb"]) == 0
    assert main(["validate", str(BEGRIPPEN / "mim-begrippen.ttl"), "--profile", "nl-sbb",
                 "--format", "json"]) == 1
    assert '"conforms": false' in capsys.readouterr().out
    assert main(["validate", str(BEGRIPPEN / "mim-begrippen.ttl"), "--format", "ttl"]) == 1
    out = capsys.readouterr().out.encode()
    kinds = {q.object.value for q in parse(out, RdfFormat.TURTLE)}
    assert "http://www.w3.org/ns/shacl#ValidationReport" in kinds
    imev = SHARED / "standards/nl-sbb/voorbeeld-dcat-ap-nl-begrippenkader-imev.ttl"
    assert main(["validate", str(imev)]) == 2
    assert main(["validate", "/no/such/file.ttl"]) == 2
