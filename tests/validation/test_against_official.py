"""Our profiles against the official shapes on the official examples and the real files: every
difference in Violations (focus node, property) is listed below as intended, or the test fails.

Intended differences (the full table with reasons is shapes/DIFFERENCES.md):
- NL DataService and Distribution examples: only ours flags dct:license (creativecommons.org
  IRIs are not on the Geonovum licence list we check with sh:in).
- NL CatalogRecord example: only the official shapes flag foaf:primaryTopic (a closed-world
  class range: the topic is not typed locally; we require 1..1 but no local rdf:type).
- Aedes: only the official shapes flag skos:closeMatch targets and "semantic relations only
  between concepts" (a mapping to a begrip in another register; we only require an IRI).

Not compared here: imgeo-begrippen.ttl and netbeheer-nederland-begrippenkader.ttl (the official
NL-SBB shapes take 55-80 s each in pyshacl; on both files neither side reports a Violation,
checked by hand with scripts recorded in shapes/DIFFERENCES.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.ingest.rdf import parse_source, read_source
from catalogue.store.terms import Triple
from catalogue.validation import Profile, find_profile, profile_from_files, validate_files
from catalogue.validation.engine import RawResult
from catalogue.validation.validate import compiled
from tests.conftest import SHARED, needs_shared

pytestmark = needs_shared
ST = SHARED / "standards"
EXAMPLES = ST / "dcat-ap-nl-3.0" / "examples"
BUNDLED = Path(__file__).resolve().parents[2] / "catalogue" / "content" / "basisregistraties.ttl"
DCT, SKOS, FOAF = ("http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#",
                   "http://xmlns.com/foaf/0.1/")

# (file, profile) -> (properties only the official shapes flag, properties only ours flag)
INTENDED: dict[str, tuple[set[str], set[str]]] = {
    "example-dcatCatalog.ttl": (set(), set()),
    "example-dcatCatalogRecord.ttl": ({FOAF + "primaryTopic"}, set()),
    "example-dcatDataService.ttl": (set(), {DCT + "license"}),
    "example-dcatDataset.ttl": (set(), set()),
    "example-dcatDatasetSeries.ttl": (set(), set()),
    "example-dcatDistribution.ttl": (set(), {DCT + "license"}),
    "basisregistraties.ttl": (set(), set()),
    "aedes-begrippenkader-corporatiesector-0.2.ttl": ({SKOS + "closeMatch", ""}, set()),
    "mim-begrippen.ttl": (set(), set()),
    "stelselcatalogus-thesaurus.ttl": (set(), set()),
}


def official_dcat() -> Profile:
    return profile_from_files([ST / "dcat-ap-nl-3.0/shapes/dcat-ap-nl-SHACL.ttl",
                               ST / "dcat-ap-3.0.1/shacl/shapes.ttl"])


CASES = [(path, "dcat") for path in sorted(EXAMPLES.glob("*.ttl"))] + [(BUNDLED, "dcat")] + [
    (SHARED / "begrippen" / name, "sbb") for name in (
        "aedes-begrippenkader-corporatiesector-0.2.ttl", "mim-begrippen.ttl",
        "stelselcatalogus-thesaurus.ttl")]


@pytest.mark.parametrize("path,kind", CASES, ids=[c[0].name for c in CASES])
def test_differences_with_the_official_shapes_are_the_intended_ones(path: Path, kind: str) -> None:
    if kind == "dcat":
        official, ours = official_dcat(), find_profile("dcat-ap-nl")
    else:
        official = profile_from_files([ST / "nl-sbb" / "skos-ap-nl.ttl"])
        ours = find_profile("nl-sbb")
    theirs = {(r.focus, r.path or "") for r in validate_files([path], official).results
              if r.severity == "Violation"}
    mine = {(r.focus, r.path or "") for r in validate_files([path], ours).results
            if r.severity == "Violation"}
    only_official = {p for _, p in theirs - mine}
    only_ours = {p for _, p in mine - theirs}
    assert (only_official, only_ours) == INTENDED[path.name]


# ---------------------------------------------------------------- the corpus of real exports
CORPUS = Path(__file__).resolve().parents[1] / "data" / "validation-corpus"
SH = "http://www.w3.org/ns/shacl#"
# The documented differences (shapes/DIFFERENCES.md), as rules on each side's results: only
# the official shapes check class ranges (_official_only); only ours check value lists (sh:in:
# licences, themes, access rights).
OURS_ONLY = {SH + "InConstraintComponent"}


def _official_only(path: str, result: RawResult) -> bool:
    """A difference DIFFERENCES.md lists: a class range, or a dcat:byteSize as a non-negative
    xsd:integer (what the store makes of xsd:nonNegativeInteger)."""
    if result.component == SH + "ClassConstraintComponent":
        return True
    if result.component == SH + "NodeConstraintComponent":
        return path == FOAF + "primaryTopic"
    return (path == "http://www.w3.org/ns/dcat#byteSize"
            and (result.value or "").endswith("^^<http://www.w3.org/2001/XMLSchema#integer>")
            and not (result.value or "").startswith('"-'))


def _violations(profile: Profile, triples: list[Triple]) -> dict[tuple[str, str], RawResult]:
    return {(r.focus, r.path or ""): r for r in compiled(profile).run(triples)
            if r.severity == SH + "Violation"}


def _triples(path: Path) -> list[Triple]:
    parsed = parse_source(read_source(path), name=str(path), uri=path.resolve().as_uri(),
                          graph="g", keep_graphs=False)
    return parsed.graphs["g"]


REAL = sorted(p for p in CORPUS.iterdir() if p.suffix != ".md") + sorted(EXAMPLES.glob("*.ttl"))


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_our_dcat_profile_finds_every_official_violation_in_real_exports(path: Path) -> None:
    # One parse for both sides, so that blank nodes are the same nodes in both reports.
    triples = _triples(path)
    theirs = _violations(official_dcat(), triples)
    mine = _violations(find_profile("dcat-ap-nl"), triples)
    missed = {key: r for key, r in theirs.items() if key not in mine}
    extra = {key: r for key, r in mine.items() if key not in theirs}
    assert [(k, r.component, r.value) for k, r in missed.items()
            if not _official_only(k[1], r)] == []
    assert [(k, r.component, r.value) for k, r in extra.items()
            if r.component not in OURS_ONLY] == []


def test_the_corpus_holds_the_mistakes_the_issue_names() -> None:
    """The corpus is worth something only if the official shapes find these in it."""
    found: set[tuple[str, str]] = set()
    for path in REAL:
        found |= {(r.path or "", (r.component or "").removeprefix(SH))
                  for r in compiled(official_dcat()).run(_triples(path))
                  if r.severity == SH + "Violation"}
    dcat = "http://www.w3.org/ns/dcat#"
    for prop in (DCT + "format", DCT + "language", dcat + "landingPage", FOAF + "homepage",
                 DCT + "conformsTo", DCT + "accrualPeriodicity"):
        assert (prop, "NodeKindConstraintComponent") in found, prop
    assert (dcat + "byteSize", "DatatypeConstraintComponent") in found
    assert (DCT + "format", "MaxCountConstraintComponent") in found
    assert (DCT + "modified", "MaxCountConstraintComponent") in found


def test_a_begrip_used_but_not_typed_is_a_violation_on_both_sides() -> None:
    path = Path(__file__).resolve().parents[1] / "data" / "validation" / "nl-sbb-untyped-begrip.ttl"
    official = profile_from_files([ST / "nl-sbb" / "skos-ap-nl.ttl"])
    woning = "https://example.org/begrippen/woning"
    for profile in (official, find_profile("nl-sbb"), find_profile("default")):
        report = validate_files([path], profile)
        assert woning in {r.focus for r in report.results if r.severity == "Violation"}, profile
    ours = [r for r in validate_files([path], find_profile("nl-sbb")).results
            if r.focus == woning]
    assert "skos:Concept" in ours[0].message_nl and "skos:Concept" in ours[0].message_en
