"""The W3C SHACL test suite through `catalogue validate --shapes`: each test's data and shapes
graphs go through the command line as a user would pass them, and the JSON report must match the
expected sh:ValidationReport (conforms, the number of results, and each result's focus node,
path, value and severity where they are IRIs or literals). Core: all 98 tests. SHACL-SPARQL is an
unsupported feature of `--shapes`: exit 2 and a clear message, never a traceback."""

from __future__ import annotations

import io
import json
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from catalogue.cli import main
from catalogue.store.terms import Literal, NamedNode
from tests.conftest import SHARED, needs_shared

pytestmark = needs_shared
SUITE = SHARED / "conformance" / "shacl" / "tests"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")


@dataclass(frozen=True)
class Case:
    name: str
    data: Path
    shapes: Path
    conforms: bool | None  # None: the shapes are ill-formed, validation must fail (sht:Failure)
    results: tuple[tuple[str, str, str, str], ...]  # focus, path, value, severity ("" = any)


def _text(term: rdflib.term.Node | None) -> str:
    """A term as our JSON report writes it; "" for blank nodes and absent terms (not compared)."""
    if term is None or isinstance(term, rdflib.BNode):
        return ""
    if isinstance(term, rdflib.Literal):
        if term.language:
            return str(Literal(str(term), language=term.language))
        return str(Literal(str(term), datatype=NamedNode(term.datatype or rdflib.XSD.string)))
    return str(term)


def _parse(path: Path) -> rdflib.Graph:
    """The manifest as written: rdflib would otherwise rewrite "1"^^xsd:boolean to "true"."""
    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        return rdflib.Graph().parse(path, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = normalize


def _cases(folder: str) -> list[Case]:
    found: list[Case] = []
    for path in sorted((SUITE / folder).rglob("*.ttl")):
        if path.name == "manifest.ttl":
            continue
        graph = _parse(path)
        for test in graph.subjects(RDF.type, SHT.Validate):
            action, expected = graph.value(test, MF.action), graph.value(test, MF.result)
            data = Path(str(graph.value(action, SHT.dataGraph)).removeprefix("file://"))
            shapes = Path(str(graph.value(action, SHT.shapesGraph)).removeprefix("file://"))
            results = tuple(sorted(
                (_text(graph.value(r, SH.focusNode)), _text(graph.value(r, SH.resultPath)),
                 _text(graph.value(r, SH.value)),
                 str(graph.value(r, SH.resultSeverity)).removeprefix(str(SH)))
                for r in graph.objects(expected, SH.result)))
            conforms = graph.value(expected, SH.conforms) if expected != SHT.Failure else None
            found.append(Case(str(path.relative_to(SUITE)), data, shapes,
                              None if conforms is None else bool(conforms.toPython()), results))
    return found


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def _matches(expected: tuple[str, ...], got: tuple[str, ...]) -> bool:
    return all(e == "" or e == g for e, g in zip(expected, got, strict=True))


CORE = _cases("core") if SUITE.is_dir() else []


def test_the_core_suite_has_its_98_tests() -> None:
    assert len(CORE) == 98


@pytest.mark.parametrize("case", CORE, ids=[c.name for c in CORE])
def test_core_suite_through_validate_shapes(case: Case) -> None:
    code, out, err = _cli("validate", "--shapes", str(case.shapes), "--format", "json",
                          str(case.data))
    # Our rule, unlike SHACL's sh:conforms: only a Violation fails a source (a Warning alone
    # leaves it conforming), so the exit status follows the expected Violations.
    violations = any(r[3] == "Violation" for r in case.results)
    assert code == (1 if violations else 0), err
    assert case.conforms or case.results
    report = json.loads(out)
    got = sorted((r["focus"] if not r["focus"].startswith("_:") else "", r["path"] or "",
                  r["value"] or "", r["severity"]) for r in report["results"])
    assert len(got) == len(case.results)
    unmatched = Counter(got)
    # Most specific first, so a wildcard ("" = blank node) does not take another's match.
    for want in sorted(case.results, key=lambda r: r.count("")):
        hit = next((g for g in unmatched if unmatched[g] and _matches(want, g)), None)
        assert hit is not None, f"expected result {want} not in {got}"
        unmatched[hit] -= 1


# Tests pySHACL itself cannot run (it raises NotImplementedError): a clear refusal, exit 2.
PYSHACL_CANNOT = {"sparql/pre-binding/shapesGraph-001.ttl"}  # $shapesGraph in a query
SPARQL = _cases("sparql") if SUITE.is_dir() else []


@pytest.mark.parametrize("case", SPARQL, ids=[c.name for c in SPARQL])
def test_sparql_suite_through_validate_shapes(case: Case) -> None:
    code, out, err = _cli("validate", "--shapes", str(case.shapes), "--format", "json",
                          str(case.data))
    if case.conforms is None or case.name in PYSHACL_CANNOT:
        assert (code, out) == (2, ""), out
        assert err.startswith("catalogue: ") and "Traceback" not in err
        return
    assert code in (0, 1), err
    violations = any(r[3] == "Violation" for r in case.results)
    assert code == (1 if violations else 0), err
    assert len(json.loads(out)["results"]) == len(case.results)


def test_an_ill_typed_literal_is_a_result_not_a_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "dates.ttl"
    data.write_text('<urn:x> <urn:date> "2020-1"^^<http://www.w3.org/2001/XMLSchema#date> .\n')
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "[] sh:targetNode <urn:x> ; sh:property [ sh:path <urn:date> ; "
                      "sh:datatype <http://www.w3.org/2001/XMLSchema#date> ] .\n")
    code, out, err = _cli("validate", "--shapes", str(shapes), "--format", "json", str(data))
    assert (code, err) == (1, "")
    assert [r["value"] for r in json.loads(out)["results"]] == [
        '"2020-1"^^<http://www.w3.org/2001/XMLSchema#date>']
    assert not [r for r in caplog.records if r.name.startswith("rdflib")]


def test_shapes_with_a_list_that_loops_are_refused_plainly(tmp_path: Path) -> None:
    shapes = tmp_path / "loop.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
                      "<urn:S> sh:targetClass <urn:C> ; sh:or _:l .\n"
                      "_:l rdf:first [ sh:path <urn:p> ; sh:minCount 1 ] ; rdf:rest _:l .\n")
    data = tmp_path / "data.nt"
    data.write_text("<urn:x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:C> .\n")
    code, out, err = _cli("validate", "--shapes", str(shapes), str(data))
    assert (code, out) == (2, "")
    assert err.startswith("catalogue: the shapes cannot be used: ") and "rdf:rest" in err
    assert "Traceback" not in err
