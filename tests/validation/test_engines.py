"""The two engines behind validate() give the same reports: the Rust engine (fast.py, the
default for SHACL Core shapes) and pyshacl (engine.py), on the real exports of the validation
corpus with our dcat-ap-nl profile and the official DCAT-AP-NL shapes, and on the W3C SHACL
core suite. Every field of every result is compared (blank nodes under the data's own labels),
messages wherever the shape has its own."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from catalogue.ingest.rdf import parse_source, read_source
from catalogue.store.terms import Triple
from catalogue.validation import Profile, find_profile, profile_from_files, validate
from catalogue.validation.combined import CombinedShapes
from catalogue.validation.engine import CompiledShapes, RawResult
from catalogue.validation.fast import FastShapes
from catalogue.validation.validate import compiled
from tests.conftest import DATA, SHARED, needs_shared

CORPUS = sorted(p for p in (DATA / "validation-corpus").iterdir() if p.suffix != ".md")
ST = SHARED / "standards"


def _triples(path: Path) -> list[Triple]:
    parsed = parse_source(read_source(path), name=str(path), uri=path.resolve().as_uri(),
                          graph="g", keep_graphs=False)
    return parsed.graphs["g"]


def _key(result: RawResult, with_messages: bool) -> tuple[object, ...]:
    # A sequence or repeated path: pyshacl names its blank node, the Rust engine writes it out.
    path = result.path
    if path and (path.startswith("_:") or "<" in path):
        path = "(a complex path)"
    return (result.severity, result.focus, path, result.value, result.component,
            result.shape, result.see_also, tuple(sorted(result.shape_name.items())),
            tuple(sorted(result.messages.items())) if with_messages else ())


def _same(profile: Profile, triples: list[Triple], *, messages: bool) -> None:
    fast = FastShapes(profile.shapes, profile.background).run(triples)
    slow = CompiledShapes(profile.shapes, profile.background).run(triples)
    assert Counter(_key(r, messages) for r in fast) == Counter(_key(r, messages) for r in slow)


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_both_engines_agree_on_our_profile_over_real_exports(path: Path) -> None:
    _same(find_profile("dcat-ap-nl"), _triples(path), messages=True)


@needs_shared
@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_both_engines_agree_on_the_official_shapes_over_real_exports(path: Path) -> None:
    official = profile_from_files([ST / "dcat-ap-nl-3.0/shapes/dcat-ap-nl-SHACL.ttl",
                                   ST / "dcat-ap-3.0.1/shacl/shapes.ttl"])
    _same(official, _triples(path), messages=False)  # eush:message: ours, in each language


def _core() -> list[tuple[str, Path, Path]]:
    from tests.validation.test_shacl_suite import CORE

    return [(case.name, case.data, case.shapes) for case in CORE]


CORE = _core() if (SHARED / "conformance").is_dir() else []


@needs_shared
@pytest.mark.parametrize("name,data,shapes", CORE, ids=[c[0] for c in CORE])
def test_both_engines_agree_on_the_w3c_core_suite(name: str, data: Path, shapes: Path) -> None:
    # pyshacl writes its own message where a shape has none; the Rust engine does not.
    _same(profile_from_files([shapes]), _triples(data), messages=False)


def test_core_shapes_run_on_the_rust_engine_and_sparql_on_pyshacl() -> None:
    assert isinstance(compiled(find_profile("dcat-ap-nl")), FastShapes)
    assert isinstance(compiled(find_profile("api")), FastShapes)
    assert isinstance(compiled(find_profile("nl-sbb")), FastShapes)
    sparql = profile_from_files([DATA / "validation" / "sparql-relations.ttl"])
    assert isinstance(compiled(sparql), CompiledShapes)  # sh:sparql only
    mixed = compiled(profile_from_files([*find_profile("nl-sbb").shapes,
                                         DATA / "validation" / "sparql-relations.ttl"]))
    assert isinstance(mixed, CombinedShapes)
    assert [type(engine) for engine, _ in mixed.engines] == [FastShapes, CompiledShapes]


def test_a_blank_node_keeps_its_label_in_the_report(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
                    "<urn:ds> a dcat:Dataset ; dcat:distribution _:first .\n"
                    "_:first a dcat:Distribution .\n")
    triples = _triples(data)
    label = next(t.subject.value for t in triples if t.subject.value != "urn:ds")
    report = validate({"d": triples}, find_profile("dcat-ap-nl"))
    assert f"_:{label}" in {r.focus for r in report.results}
