"""Scores stored as DQV: the publisher's graph parses and holds one measurement per dataset and
indicator (and the totals), written through the normal write path with a provenance record."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import UTC, datetime

from catalogue.namespaces import DCT, PREFIXES, PROV, RDF_TYPE
from catalogue.quality import INDICATORS, score_publisher
from catalogue.quality.dqv import quality_graph, store_quality
from catalogue.quality.indicators import PV, SCORE_METRIC, SCORING
from catalogue.search import SearchIndex, rebuild
from catalogue.services.datasets import dataset_page
from catalogue.services.labels import labels_for
from catalogue.store.terms import Literal, NamedNode, RdfFormat, parse
from tests.quality.conftest import BASE, ORG, PERFECT, PERFECT_IRI, load_turtle

DQV = PREFIXES["dqv"]


def _stored() -> tuple[object, str]:
    store = load_turtle(PERFECT)
    bare = PERFECT.replace("perfect", "bare").replace('dcat:keyword "bomen"@nl ;', "")
    load_turtle(bare, store, graph=f"{BASE}/id/graph/bare")
    score = score_publisher(store, ORG)
    store_quality(store, [score], base=BASE, at=datetime(2026, 11, 23, 12, tzinfo=UTC))
    return store, quality_graph(BASE, ORG)


def test_quality_graph_parses_and_has_every_measurement() -> None:
    store, graph = _stored()
    output = io.BytesIO()
    store.dump(output, format=RdfFormat.TURTLE, graph=graph)  # type: ignore[attr-defined]
    quads = list(parse(output.getvalue(), RdfFormat.TURTLE))
    by_subject: dict[str, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for quad in quads:
        by_subject[quad.subject.value][quad.predicate.value].append(quad.object)
    measurements = {s: p for s, p in by_subject.items()
                    if NamedNode(DQV + "QualityMeasurement") in p[RDF_TYPE]}
    on = defaultdict(dict)
    for props in measurements.values():
        (subject,), (metric,), (value,), (when,) = (props[DQV + "computedOn"],
                                                    props[DQV + "isMeasurementOf"],
                                                    props[DQV + "value"],
                                                    props[PROV + "generatedAtTime"])
        assert isinstance(value, Literal) and value.datatype.value.endswith("#decimal")
        assert when.value.startswith("2026-11-23T12:00:00")
        on[subject.value][metric.value] = float(value.value)
    expected = {i.metric for i in INDICATORS} | {SCORE_METRIC}
    assert set(on) == {PERFECT_IRI, f"{BASE}/id/dataset/bare", ORG}
    for subject in on:
        assert set(on[subject]) == expected
    assert on[PERFECT_IRI][SCORE_METRIC] == 405
    assert on[f"{BASE}/id/dataset/bare"][PV + "keywordAvailability"] == 0
    assert on[ORG][SCORE_METRIC] == (405 + 375) / 2
    assert on[ORG][PV + "keywordAvailability"] == 15
    bands = {s.value: p[DCT + "type"] for p in measurements.values() if p[DCT + "type"]
             for s in p[DQV + "computedOn"]}
    assert bands == {ORG: [NamedNode(SCORING + "excellent")],
                     PERFECT_IRI: [NamedNode(SCORING + "excellent")],
                     f"{BASE}/id/dataset/bare": [NamedNode(SCORING + "excellent")]}
    comments = [c for p in measurements.values() for c in p[PREFIXES["rdfs"] + "comment"]]
    assert {c.language for c in comments} == {"nl", "en"}  # type: ignore[attr-defined]


def test_stored_through_the_write_path_and_replaced_on_rerun() -> None:
    store, graph = _stored()
    records = {r.graph: r for r in store.graphs()}
    assert records[graph].publisher is None  # the registry owns it, not the publisher
    assert records[graph].source == f"urn:catalogue:quality:{ORG}"
    before = records[graph].triples
    store_quality(store, [score_publisher(store, ORG)], base=BASE)
    count = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert int(count[0]["n"].value) == before  # replaced, not added to


def test_dataset_page_shows_the_stored_measurements() -> None:
    store, _ = _stored()
    page = dataset_page(store, PERFECT_IRI, lang="en", page_url="/x")
    shown = {m.metric.label: m.value for m in page.quality}
    assert shown["MQA score (of 405)"] == "405"
    assert shown["MQA: Keywords"] == "30"
    assert len(page.quality) == len(INDICATORS) + 1
    assert not [i for i in page.inbound if i.predicate == DQV + "computedOn"]


def test_rating_band_becomes_a_search_facet() -> None:
    store, _ = _stored()
    index = SearchIndex()
    rebuild(index, store)
    found = index.search("", kinds=("dataset",), facets=("quality",), limit=5)
    assert dict(found.facets["quality"]) == {SCORING + "excellent": 2}
    assert index.search("excellent", kinds=("concept",)).total == 0  # not a begrip
    labels = labels_for(store, [SCORING + "excellent"], "en")
    assert labels[SCORING + "excellent"] == "MQA: Excellent"
