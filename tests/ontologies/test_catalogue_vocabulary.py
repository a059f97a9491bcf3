"""ontologies/catalogue.ttl: every term the code uses is defined, with nl/en label and
definition, and the vocabulary is browsable as a SKOS concept scheme."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from catalogue.namespaces import CAT
from catalogue.store.terms import Literal, NamedNode, RdfFormat, parse

ROOT = Path(__file__).resolve().parents[2]
VOCABULARY = ROOT / "ontologies" / "catalogue.ttl"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEME = "https://w3id.org/catalogue/def"


def _terms() -> dict[str, dict[str, list[NamedNode | Literal]]]:
    found: dict[str, dict[str, list[NamedNode | Literal]]] = defaultdict(lambda: defaultdict(list))
    with VOCABULARY.open("rb") as stream:
        for quad in parse(stream, RdfFormat.TURTLE):
            if isinstance(quad.object, NamedNode | Literal):
                found[quad.subject.value][quad.predicate.value].append(quad.object)
    return found


def _used_in_code() -> set[str]:
    used: set[str] = set()
    for path in (ROOT / "catalogue").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'(?<![A-Z])CAT \+ "(\w+)"', text))
        used |= set(re.findall(r"(?<![A-Z])CAT\}(\w+)", text))
    return used


def test_every_term_the_code_uses_is_defined() -> None:
    defined = {iri.removeprefix(CAT) for iri in _terms() if iri.startswith(CAT)}
    used = _used_in_code()
    assert {"operation", "field", "concept", "suggestedConcept", "usesService"} <= used
    assert used - defined == set()


def test_every_term_has_nl_and_en_label_and_definition_and_is_in_the_scheme() -> None:
    for iri, properties in _terms().items():
        if not iri.startswith(CAT):
            continue
        for predicate in (RDFS + "label", SKOS + "prefLabel", SKOS + "definition"):
            languages = {o.language for o in properties[predicate] if isinstance(o, Literal)}
            assert {"nl", "en"} <= languages, f"{iri} lacks {predicate} in nl or en"
        assert NamedNode(SCHEME) in properties[SKOS + "inScheme"], iri
        assert NamedNode(SKOS + "Concept") in properties[
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"], iri


def test_the_scheme_has_top_concepts() -> None:
    scheme = _terms()[SCHEME]
    assert NamedNode(SKOS + "ConceptScheme") in scheme[
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]
    assert len(scheme[SKOS + "hasTopConcept"]) >= 3


def test_list_statuses_are_a_concept_scheme_and_bundled_ones_cite_the_forum() -> None:
    """A standard's status on the Forum Standaardisatie lists is a concept of our lijststatus
    scheme, not free text; every status the bundled content states cites the Forum's page of
    that standard (catalogue/content/facilities.ttl)."""
    terms = _terms()
    scheme = "https://w3id.org/catalogue/def/lijststatus"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert NamedNode(SKOS + "ConceptScheme") in terms[scheme][rdf_type]
    statuses = {o.value for o in terms[scheme][SKOS + "hasTopConcept"]}
    assert statuses == {CAT + "verplicht", CAT + "aanbevolen"}
    for status in statuses:
        assert NamedNode(scheme) in terms[status][SKOS + "inScheme"]
    facilities = ROOT / "catalogue" / "content" / "facilities.ttl"
    stated: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    with facilities.open("rb") as stream:
        for quad in parse(stream, RdfFormat.TURTLE):
            stated[quad.subject.value][quad.predicate.value].append(quad.object.value)
    with_status = {s: p for s, p in stated.items() if p.get(CAT + "listStatus")}
    assert len(with_status) >= 2
    for standard, properties in with_status.items():
        assert set(properties[CAT + "listStatus"]) <= statuses, standard
        assert any(source.startswith("https://www.forumstandaardisatie.nl/open-standaarden/")
                   for source in properties["http://purl.org/dc/terms/source"]), standard
