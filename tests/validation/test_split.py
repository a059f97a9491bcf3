"""A large graph validated in parts, one per core (catalogue/validation/split.py), gives the
results one run over the whole graph gives: on real exports and generated catalogues with our
profiles, on the W3C SHACL core suite, and on shapes made to read across a cut (sh:class on a
neighbour, a nested shape two hops away, targets on objects). Parts are forced on small graphs
here by lowering the size from which a graph is cut."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from catalogue.errors import TimeLimit
from catalogue.ingest.rdf import parse_source, read_source
from catalogue.limits import Budget
from catalogue.store.terms import Triple
from catalogue.validation import Profile, find_profile, profile_from_files, split, validate
from catalogue.validation.engine import RawResult
from catalogue.validation.fast import FastShapes, _identity
from catalogue.validation.split import Reach, parts, reach_of
from tests.conftest import DATA, SHARED, needs_shared

CORPUS = sorted(p for p in (DATA / "validation-corpus").iterdir() if p.suffix != ".md")
PREFIXES = b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


@pytest.fixture(autouse=True)
def cut_small_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "SMALLEST", 0)


def _triples(text: bytes, name: str = "d.ttl") -> list[Triple]:
    return parse_source(text, name=name, uri="urn:d", graph="g", keep_graphs=False).graphs["g"]


def _file(path: Path) -> list[Triple]:
    return parse_source(read_source(path), name=str(path), uri=path.resolve().as_uri(),
                        graph="g", keep_graphs=False).graphs["g"]


def _shapes(tmp_path: Path, text: bytes) -> FastShapes:
    path = tmp_path / "shapes.ttl"
    path.write_bytes(PREFIXES + text)
    return FastShapes([path], [])


def _in_parts(engine: FastShapes, triples: list[Triple], count: int) -> list[RawResult]:
    size = len(engine.background) + len(triples)
    return engine.run(triples, parts_of=-(-size // count), cores=2)


def _same_in_parts(engine: FastShapes, triples: list[Triple], count: int = 3) -> int:
    """How many parts the graph was cut into; fails unless their results are the whole's."""
    whole = Counter(map(_identity, engine.run(triples, parts_of=10**9)))
    assert Counter(map(_identity, _in_parts(engine, triples, count))) == whole
    assert engine.reach is not None
    cut = parts([*engine.background, *triples], engine.reach, count)
    return len(cut) if cut else 1


@pytest.mark.parametrize("profile", ["dcat-ap-nl", "api"])
def test_real_exports_give_the_same_report_in_parts(profile: str) -> None:
    engine = FastShapes(find_profile(profile).shapes, find_profile(profile).background)
    cut = [_same_in_parts(engine, _file(path), count) for path in CORPUS for count in (2, 5)]
    assert max(cut) >= 4  # the exports were cut, not validated whole


@pytest.mark.parametrize("shape", ["plain", "linked"])
def test_generated_catalogues_give_the_same_report_in_parts(tmp_path: Path, shape: str) -> None:
    from bench.generate import write_catalogue

    path = tmp_path / "c.nt"
    write_catalogue(path, datasets=200, shape=shape)
    cut = {}
    for profile in ("dcat-ap-nl", "api"):
        engine = FastShapes(find_profile(profile).shapes, find_profile(profile).background)
        cut[profile] = _same_in_parts(engine, _file(path), 4)
    assert cut["dcat-ap-nl"] == 4  # it reads each node's own triples: cut anywhere


def _core_cases() -> list[tuple[str, Path, Path]]:
    if not (SHARED / "conformance").is_dir():
        return []
    from tests.validation.test_shacl_suite import CORE

    return [(case.name, case.data, case.shapes) for case in CORE]


@needs_shared
def test_the_w3c_core_suite_gives_the_same_report_in_parts() -> None:
    split_cases = []
    for name, data, shapes in _core_cases():
        profile: Profile = profile_from_files([shapes])
        engine = FastShapes(profile.shapes, profile.background)
        # Shapes a cut could change are validated whole (most cases use sh:targetNode).
        if engine.reach is not None and _same_in_parts(engine, _file(data)) > 1:
            split_cases.append(name)
    assert len(split_cases) >= 20


CLASS_OF_NEIGHBOUR = b"""
ex:S a sh:NodeShape ; sh:targetClass ex:Node ;
  sh:property [ sh:path ex:next ; sh:class ex:Node ] .
"""


def _chain(length: int, *, untyped: set[int]) -> bytes:
    lines = [f"ex:n{i} ex:next ex:n{i + 1} ." for i in range(length)]
    lines += [f"ex:n{i} a ex:Node ." for i in range(length + 1) if i not in untyped]
    return PREFIXES + "\n".join(lines).encode()


def test_a_class_read_on_a_neighbour_in_another_part_is_found(tmp_path: Path) -> None:
    engine = _shapes(tmp_path, CLASS_OF_NEIGHBOUR)
    assert engine.reach == Reach(1, frozenset())
    data = _triples(_chain(40, untyped={20, 33}))
    assert _same_in_parts(engine, data, 4) == 4
    found = _in_parts(engine, data, 4)
    assert sorted(r.focus for r in found) == ["http://example.org/n19", "http://example.org/n32"]
    # Cut without the neighbours' triples, the nodes before each cut would seem wrong: the
    # reach is what keeps them right.
    engine.reach = Reach(0, frozenset())
    assert len(_in_parts(engine, data, 4)) > len(found)


def test_a_nested_shape_reads_two_hops_away(tmp_path: Path) -> None:
    engine = _shapes(tmp_path, b"""
ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:next ;
  sh:property [ sh:path ex:next ; sh:node ex:T ] .
ex:T a sh:NodeShape ; sh:property [ sh:path ex:next ; sh:minCount 1 ; sh:class ex:Node ] .
""")
    assert engine.reach == Reach(2, frozenset())
    _same_in_parts(engine, _triples(_chain(60, untyped={10, 30, 45})), 5)


def test_a_sequence_path_reads_the_nodes_along_it(tmp_path: Path) -> None:
    engine = _shapes(tmp_path, b"""
ex:S a sh:NodeShape ; sh:targetClass ex:Node ;
  sh:property [ sh:path ( ex:next ex:next ex:next ) ; sh:minCount 1 ] .
""")
    assert engine.reach == Reach(2, frozenset())
    _same_in_parts(engine, _triples(_chain(50, untyped=set())), 5)


def test_targets_on_objects_are_found_in_the_part_that_points_at_them(tmp_path: Path) -> None:
    engine = _shapes(tmp_path, b"""
ex:S a sh:NodeShape ; sh:targetObjectsOf ex:next ;
  sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:datatype xsd:string ] .
ex:L a sh:NodeShape ; sh:targetObjectsOf ex:label ; sh:datatype xsd:string .
""")
    assert engine.reach == Reach(0, frozenset({"http://example.org/next",
                                               "http://example.org/label"}))
    lines = [f'ex:n{i} ex:next ex:n{i + 1} ; ex:label {"1" if i % 7 else chr(34) + "a" + chr(34)} .'
             for i in range(50)]
    lines.append('ex:m ex:next ex:n3, ex:n40, ex:nowhere ; ex:label "same" .')
    data = _triples(PREFIXES + "\n".join(lines).encode())
    _same_in_parts(engine, data, 4)
    focus = {r.focus for r in _in_parts(engine, data, 4)}
    assert {"http://example.org/n50", "http://example.org/nowhere"} <= focus


def test_a_class_hierarchy_in_every_part_is_validated_once(tmp_path: Path) -> None:
    engine = _shapes(tmp_path, b"""
ex:S a sh:NodeShape ; sh:targetSubjectsOf rdfs:subClassOf ;
  sh:property [ sh:path rdfs:label ; sh:minCount 1 ] .
ex:T a sh:NodeShape ; sh:targetClass ex:Top ;
  sh:property [ sh:path ex:size ; sh:datatype xsd:integer ] .
""")
    assert engine.reach == Reach(0, frozenset())
    lines = ["ex:Mid rdfs:subClassOf ex:Top .",
             "ex:Low rdfs:subClassOf ex:Mid ; rdfs:label 'low' ."]
    lines += [f"ex:n{i} a ex:{('Low', 'Mid', 'Top', 'Other')[i % 4]} ; ex:size "
              f"{i if i % 3 else chr(34) + str(i) + chr(34)} ." for i in range(80)]
    data = _triples(PREFIXES + "\n".join(lines).encode())
    assert _same_in_parts(engine, data, 4) == 4
    found = _in_parts(engine, data, 4)
    assert [r.focus for r in found].count("http://example.org/Mid") == 1
    assert sum(r.focus.startswith("http://example.org/n") for r in found) == 20


@pytest.mark.parametrize("shapes", [
    b"ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
    b"ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ; "
    b"sh:minCount 1 ] .",
    b"ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; "
    b"sh:class ex:C ] .",
    b"ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:S ] .",
], ids=["targetNode", "inverse path", "unbounded path", "a shape nesting itself"])
def test_shapes_a_cut_could_change_are_validated_whole(tmp_path: Path, shapes: bytes) -> None:
    engine = _shapes(tmp_path, shapes)
    assert engine.reach is None
    assert reach_of([]) == Reach(0, frozenset())


def test_shapes_nested_past_the_stack_are_validated_whole() -> None:
    chain = "".join(f"ex:S{n} sh:property [ sh:path ex:p ; sh:node ex:S{n + 1} ] .\n"
                    for n in range(5000))
    text = PREFIXES + b"ex:S0 sh:targetClass ex:C .\n" + chain.encode()
    shapes = parse_source(text, name="s.ttl", uri="urn:s", graph="s").graphs["s"]
    assert reach_of(shapes) is None


def test_small_graphs_and_one_core_are_validated_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "SMALLEST", 20_000)
    data = _file(CORPUS[0])
    reach = Reach(0, frozenset())
    assert parts(data, reach, 2) is None
    monkeypatch.setattr(split, "SMALLEST", 0)
    assert parts(data, reach, 1) is None
    assert parts(data, reach, 2) is not None


def test_a_stop_ends_a_validation_in_parts(tmp_path: Path) -> None:
    from bench.generate import write_catalogue

    caught: list[BaseException] = []
    budget = Budget(None)
    big = tmp_path / "big.nt"
    write_catalogue(big, datasets=3000, shape="linked")
    data = {"big": _file(big)}

    def work() -> None:
        try:
            with budget.applied():
                validate(data, find_profile("dcat-ap-nl"))
        except BaseException as exc:
            caught.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    time.sleep(0.3)
    budget.stop(TimeLimit.after(0.3))
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert [type(exc) for exc in caught] == [TimeLimit]
    assert validate({"small": _file(CORPUS[0])}, find_profile("dcat-ap-nl")).triples > 0


@needs_shared
def test_the_official_dcat_ap_shapes_are_validated_whole() -> None:
    st = SHARED / "standards"
    official = profile_from_files([st / "dcat-ap-nl-3.0/shapes/dcat-ap-nl-SHACL.ttl",
                                   st / "dcat-ap-3.0.1/shacl/shapes.ttl"])
    assert FastShapes(official.shapes, official.background).reach is None  # ^dcat:inSeries

