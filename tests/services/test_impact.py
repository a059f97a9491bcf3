"""Impact analysis on a small graph whose answer is known by hand (tests/data/impact), on the
bundled content, and the SPARQL example that asks the same question."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.content import load_bundled
from catalogue.errors import InvalidIri, NotFound
from catalogue.ingest import load_sources
from catalogue.services.impact import LIST_LIMIT, example_query, impact
from catalogue.store import EmbeddedStore, Store
from tests.conftest import BASE, DATA

EX = "http://impact.test/id/"


@pytest.fixture(scope="module")
def graph() -> Store:
    store = EmbeddedStore()
    load_sources(store, [DATA / "impact" / "graph.ttl"], base=BASE)
    return store


def answer(store: Store, iri: str) -> dict[str, list[str]]:
    found = impact(store, iri, lang="nl")
    for category in found.categories:
        assert category.count == len(category.items)
    return {c.name: [d.label for d in c.items] for c in found.categories}


def test_what_depends_on_a_begrip(graph: Store) -> None:
    assert answer(graph, EX + "pand") == {
        "concepts": ["gebouw", "hoofdpand", "opstal", "pand"],  # the last: elders.test's, by IRI
        "datasets": ["Gebouwen", "Panden"],
        "apis": ["Gebouwen-API", "Panden-API", "WOZ-API"],
        "fields": ["pand", "pandidentificatie"],
        "organisations": ["Delft", "Utrecht", "Zwolle"],
    }
    assert impact(graph, EX + "pand", lang="nl").total == 14


def test_what_depends_on_an_api(graph: Store) -> None:
    assert answer(graph, EX + "panden-api") == {
        "concepts": ["adres", "pand"], "datasets": ["Panden"],
        "fields": ["adres", "pandidentificatie"], "organisations": ["Utrecht", "Zwolle"]}
    assert answer(graph, EX + "gebouwen-api")["datasets"] == ["Gebouwen"]


def test_what_depends_on_a_dataset(graph: Store) -> None:
    assert answer(graph, EX + "panden") == {
        "concepts": ["pand"], "apis": ["Panden-API"], "fields": ["adres", "pandidentificatie"],
        "organisations": ["Utrecht", "Zwolle"]}
    assert answer(graph, EX + "gebouwen")["organisations"] == ["Zwolle"]


def test_unknown_iris_and_other_kinds_are_not_found(graph: Store) -> None:
    with pytest.raises(NotFound, match="no begrip, API or dataset with IRI"):
        impact(graph, EX + "nergens", lang="nl")
    with pytest.raises(NotFound, match="is not a begrip, API or dataset"):
        impact(graph, EX + "utrecht", lang="nl")
    with pytest.raises(InvalidIri):
        impact(graph, "not an iri", lang="nl")


def test_counts_are_whole_and_lists_are_bounded(tmp_path: Path) -> None:
    many = LIST_LIMIT + 5
    turtle = "".join(f"<{EX}d{n}> a <http://www.w3.org/ns/dcat#Dataset> ; "
                     f"<http://purl.org/dc/terms/subject> <{EX}pand> .\n" for n in range(many))
    source = tmp_path / "many.ttl"
    source.write_text(turtle + f"<{EX}pand> a <http://www.w3.org/2004/02/skos/core#Concept> .\n")
    store = EmbeddedStore()
    load_sources(store, [source], base=BASE)
    (datasets,) = [c for c in impact(store, EX + "pand", lang="nl").categories
                   if c.name == "datasets"]
    assert (datasets.count, len(datasets.items), datasets.more) == (many, LIST_LIMIT, 5)


@pytest.fixture(scope="module")
def bundled() -> Store:
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    return store


def test_on_the_bundled_content_the_sparql_example_counts_what_the_page_shows(
        bundled: Store) -> None:
    found = impact(bundled, BASE + "/id/begrip/pand", lang="nl")
    shown = {c.name: c.count for c in found.categories if c.count}
    assert shown.get("fields", 0) > 0 and shown.get("apis", 0) > 0  # the BAG API's fields
    rows = bundled.select(example_query())
    assert {row["category"].value: int(row["count"].value) for row in rows} == shown


def test_the_sparql_example_counts_on_the_small_graph(graph: Store) -> None:
    rows = graph.select(example_query())
    assert {row["category"].value: int(row["count"].value) for row in rows} == {
        "concepts": 4, "datasets": 2, "apis": 3, "fields": 2, "organisations": 3}
