"""What a relation picture draws around a resource, on a small graph with every kind of
relation, said one way or the other (tests/data/relations/graph.ttl)."""

from __future__ import annotations

import pytest

from catalogue.ingest import load_sources
from catalogue.services.relations import relation_picture
from catalogue.store import EmbeddedStore, Store
from tests.conftest import BASE, DATA

EX = "http://relations.test/id/"


@pytest.fixture(scope="module")
def graph() -> Store:
    store = EmbeddedStore()
    load_sources(store, [DATA / "relations" / "graph.ttl"], base=BASE)
    return store


def own(store: Store, iri: str) -> dict[str, list[str]]:
    picture = relation_picture(store, iri, lang="nl")
    assert picture is not None
    return {kind: sorted(node.label for node in nodes) for kind, nodes in picture.neighbours()}


def test_a_begrip_with_every_kind_of_neighbour(graph: Store) -> None:
    assert own(graph, EX + "pand") == {
        "broader": ["Bouwwerk", "Opstal"],  # skos:broader here, skos:narrower there
        "narrower": ["Hoofdpand"],
        "related": ["Verblijfsobject"],
        "mapping": ["pand"],  # another register's, named by its IRI
        "kader": ["Kader"],
        "used-by": ["Gebouwen", "Panden"],  # dcat:theme and dct:subject
        "carried-by": ["Panden-API"],  # a field of one of its operations
    }


def test_the_other_ends_see_the_same_relations_backwards(graph: Store) -> None:
    assert own(graph, EX + "api") == {"carries": ["Pand"]}
    assert own(graph, EX + "delft") == {"publishes": ["Panden"]}
    assert own(graph, EX + "panden") == {"theme": ["Pand"], "publisher": ["Delft"]}
    assert own(graph, EX + "kader") == {"top": ["Top"]}  # its top begrippen only
    assert own(graph, EX + "opstal") == {"narrower": ["Pand"]}


def test_the_second_step_leaves_out_what_fans_out(graph: Store) -> None:
    """From the API: its begrip, then that begrip's own neighbours, but not the other
    datasets and APIs that use it (they could be thousands)."""
    picture = relation_picture(graph, EX + "api", lang="nl")
    assert picture is not None
    second = {node.label for node in picture.nodes if node.ring == 2}
    assert second and second <= {"Bouwwerk", "Opstal", "Hoofdpand", "Verblijfsobject", "pand",
                                 "Kader"}
