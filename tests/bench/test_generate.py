"""The benchmark generator writes catalogues that parse, with the counts it promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.generate import TRIPLES_PER_DATASET, write_catalogue
from catalogue.store.terms import NamedNode, RdfFormat, parse

BASE = "http://gen.test"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _parse(path: Path) -> set[tuple[str, str, str]]:
    rdf_format = RdfFormat.TURTLE if path.suffix == ".ttl" else RdfFormat.N_TRIPLES
    return {
        (quad.subject.value, quad.predicate.value, str(quad.object))
        for quad in parse(path=path, format=rdf_format)
    }


def _typed(triples: set[tuple[str, str, str]], type_iri: str) -> set[str]:
    return {s for s, p, o in triples if p == RDF_TYPE and o == str(NamedNode(type_iri))}


@pytest.mark.parametrize("name", ["tiny.nt", "tiny.ttl"])
def test_counts_and_parses(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    counts = write_catalogue(path, datasets=7, concepts=11, schemes=3, base=BASE)
    triples = _parse(path)
    assert counts.triples == len(triples)
    assert len(_typed(triples, "http://www.w3.org/ns/dcat#Dataset")) == 7
    assert len(_typed(triples, "http://www.w3.org/ns/dcat#Distribution")) == 7
    assert len(_typed(triples, "http://www.w3.org/2004/02/skos/core#Concept")) == 11
    assert len(_typed(triples, "http://www.w3.org/2004/02/skos/core#ConceptScheme")) == 3
    dataset = f"{BASE}/id/dataset/3"
    described = {(s, p) for s, p, _ in triples if s == dataset}
    assert len(described) >= 10
    minted = {s for s, _, _ in triples if s.startswith(f"{BASE}/id/")}
    assert {f"{BASE}/id/dataset/{n}" for n in range(7)} <= minted


def test_about_32_triples_per_dataset(tmp_path: Path) -> None:
    small = write_catalogue(tmp_path / "a.nt", datasets=10, base=BASE)
    large = write_catalogue(tmp_path / "b.nt", datasets=20, base=BASE)
    assert (large.triples - small.triples) / 10 == TRIPLES_PER_DATASET


def test_hierarchy_stays_in_its_scheme(tmp_path: Path) -> None:
    path = tmp_path / "concepts.nt"
    write_catalogue(path, datasets=0, concepts=40, schemes=4, base=BASE)
    triples = _parse(path)
    scheme = {s: o for s, p, o in triples if p.endswith("#inScheme")}
    broader = [(s, o.strip("<>")) for s, p, o in triples if p.endswith("#broader")]
    tops = {s for s, p, _ in triples if p.endswith("#topConceptOf")}
    assert len(tops) == 4 and len(broader) == 36
    assert all(scheme[child] == scheme[parent] for child, parent in broader)


def test_deterministic_per_seed(tmp_path: Path) -> None:
    write_catalogue(tmp_path / "a.nt", datasets=5, concepts=5, seed=3)
    write_catalogue(tmp_path / "b.nt", datasets=5, concepts=5, seed=3)
    write_catalogue(tmp_path / "c.nt", datasets=5, concepts=5, seed=4)
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
    assert (tmp_path / "a.nt").read_bytes() != (tmp_path / "c.nt").read_bytes()


def test_rejects_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        write_catalogue(tmp_path / "x.nt", datasets=1, format="rdfxml")
