"""The connections service on a real store: rows with provider, kind and basisregistratie,
filters, counts, the ring layout, and the bundled facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.content import load_bundled
from catalogue.ingest import load_sources
from catalogue.services.connections import (
    Connections,
    Filters,
    connections,
    picture,
    service_uses,
    sort_rows,
)
from catalogue.store import EmbeddedStore
from tests.conftest import BASE

SCENARIO = Path(__file__).parents[1] / "data" / "connections" / "scenario.ttl"
UTRECHT = "https://identifier.overheid.nl/tooi/id/gemeente/gm0344"
PROVINCE = "https://identifier.overheid.nl/tooi/id/provincie/pv26"
KVK = "https://identifier.overheid.nl/tooi/id/zbo/zb000184"
KVK_API = f"{BASE}/id/api/kvk-zoeken"
PARKING = f"{BASE}/id/api/parkeren"


@pytest.fixture(scope="module")
def found() -> Connections:
    store = EmbeddedStore()
    load_sources(store, [SCENARIO], base=BASE)
    return connections(store, base=BASE, lang="nl")


def test_each_use_is_a_row_with_its_provider_kind_and_basisregistratie(found: Connections
                                                                      ) -> None:
    by_pair = {(r.organisation, r.service): r for r in found.rows}
    assert set(by_pair) == {(UTRECHT, KVK_API), (UTRECHT, PARKING), (PROVINCE, KVK_API)}
    row = by_pair[(PROVINCE, KVK_API)]
    assert (row.organisation_label, row.kind_label, row.service_label, row.type) == (
        "provincie Utrecht", "provincie", "KVK Zoeken API", "api")
    assert (row.provider, row.provider_label) == (KVK, "Kamer van Koophandel")
    assert (row.registry, row.registry_label) == (f"{BASE}/id/dataset/hr", "Handelsregister")
    assert by_pair[(UTRECHT, PARKING)].registry == ""  # an API that serves no basisregistratie


def test_filters_combine_and_options_count_connections(found: Connections) -> None:
    assert {r.service for r in found.select(Filters(organisation=UTRECHT))} == {KVK_API, PARKING}
    assert [r.organisation for r in found.select(
        Filters(kind=f"{BASE}/id/organisatiesoort/provincie"))] == [PROVINCE]
    assert {r.organisation for r in found.select(
        Filters(registry=f"{BASE}/id/dataset/hr"))} == {UTRECHT, PROVINCE}
    assert found.select(Filters(organisation=PROVINCE, service=PARKING)) == []
    assert [(o.label, o.count) for o in found.options("service")] == [
        ("KVK Zoeken API", 2), ("Parkeren API", 1)]


def test_counts_say_how_many_organisations_use_each_service(found: Connections) -> None:
    assert [(u.label, u.users) for u in service_uses(list(found.rows))] == [
        ("KVK Zoeken API", 2), ("Parkeren API", 1)]


def test_rows_sort_by_any_column_both_ways(found: Connections) -> None:
    names = [r.service_label for r in sort_rows(found.rows, "service", descending=True)]
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert sort_rows(found.rows, "kind")[0].organisation_label == "gemeente Utrecht"
    # an unknown column sorts by organisation rather than failing
    assert sort_rows(found.rows, "nope") == sort_rows(found.rows, "organisation")


def test_the_picture_places_organisations_outside_and_links_by_index(found: Connections) -> None:
    shown = picture(list(found.rows))
    roles = {n.iri: n.role for n in shown.nodes}
    # KvK offers but uses nothing: the provider ring; Utrecht offers and uses: an organisation
    assert roles == {UTRECHT: "organisation", PROVINCE: "organisation", KVK_API: "api",
                     PARKING: "api", KVK: "provider"}
    radius = {n.iri: round((n.x ** 2 + n.y ** 2) ** 0.5, 2) for n in shown.nodes}
    assert radius[UTRECHT] == 1.0 and radius[KVK_API] == 0.45 and radius[KVK] == 0.12
    iris = [n.iri for n in shown.nodes]
    assert {(iris[a], iris[b]) for a, b in shown.uses} == {
        (r.organisation, r.service) for r in found.rows}
    assert {(iris[a], iris[b]) for a, b in shown.offers} == {
        (KVK, KVK_API), (UTRECHT, PARKING)}


def test_the_bundled_content_says_every_municipality_uses_brp_and_bag_by_law() -> None:
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    rows = connections(store, base=BASE, lang="nl").rows
    municipalities = {r.organisation for r in rows}
    assert len(municipalities) == 342
    assert all(r.kind_label == "gemeente" for r in rows)
    by_service = {r.service: r for r in rows}
    assert set(by_service) == {f"{BASE}/id/dataset/brp", f"{BASE}/id/dataset/bag"}
    brp, bag = by_service[f"{BASE}/id/dataset/brp"], by_service[f"{BASE}/id/dataset/bag"]
    assert brp.provider == "https://identifier.overheid.nl/tooi/id/oorg/oorg10103"  # RvIG
    assert bag.provider == "https://identifier.overheid.nl/tooi/id/zbo/zb000195"  # Kadaster
    assert {r.source for r in rows if r.service == brp.service} == {
        "https://wetten.overheid.nl/BWBR0033715"}
    assert {r.source for r in rows if r.service == bag.service} == {
        "https://wetten.overheid.nl/BWBR0023466"}
    assert brp.registry == brp.service  # a basisregistratie itself
