"""MQA scores as W3C DQV: one dqv:QualityMeasurement per dataset and indicator (its points, with
the reason as rdfs:comment), the total as `pv:score`, the publisher's averages; written through
the normal write path into one graph per publisher, `{base}/id/graph/quality/{slug}`."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime

from catalogue.i18n import LANGUAGES, Message, texts
from catalogue.ingest.load import Listener, LoadResult, write_sources
from catalogue.ingest.rdf import ParsedSource
from catalogue.namespaces import DCT, PREFIXES, PROV, RDF_TYPE, RDFS, SKOS, XSD
from catalogue.quality.indicators import (
    BANDS,
    DIMENSIONS,
    INDICATORS,
    PV,
    SCORE_METRIC,
    TOTAL,
    dimension_label,
)
from catalogue.quality.mqa import DatasetScore, PublisherScore
from catalogue.search import SearchIndex
from catalogue.search.extract import documents
from catalogue.store.base import Store
from catalogue.store.terms import Literal, NamedNode, Triple

DQV = PREFIXES["dqv"]
SOURCE = "urn:catalogue:quality:"


def quality_graph(base: str, publisher: str) -> str:
    return f"{base}/id/graph/quality/{publisher_slug(publisher)}"


def publisher_slug(publisher: str) -> str:
    """A readable, collision-free name: the IRI's last segment plus a short hash of the IRI."""
    last = re.sub(r"[^A-Za-z0-9_-]+", "-", publisher.rstrip("/#").rsplit("/", 1)[-1]).strip("-")
    digest = hashlib.sha256(publisher.encode("utf-8")).hexdigest()[:8]
    return f"{(last or 'publisher').lower()[:40]}-{digest}"


def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


def _decimal(value: float) -> Literal:
    return Literal(f"{value:.2f}".rstrip("0").rstrip("."), datatype=_n(XSD + "decimal"))


def metric_triples() -> list[Triple]:
    """The metrics and dimensions with labels in every language we have, so pages can name
    them."""
    triples: list[Triple] = []
    for name, maximum in DIMENSIONS.items():
        dimension = _n(PV + name)
        triples += [Triple(dimension, _n(RDF_TYPE), _n(DQV + "Dimension")),
                    *_labels(dimension, {lang: dimension_label(name, lang) for lang in LANGUAGES}),
                    Triple(dimension, _n(PV + "trueScore"), Literal(str(maximum),
                                                                     datatype=_n(XSD + "integer")))]
    for indicator in INDICATORS:
        metric = _n(indicator.metric)
        triples += [Triple(metric, _n(RDF_TYPE), _n(DQV + "Metric")),
                    *_labels(metric, {lang: f"MQA: {indicator.label(lang)}" for lang in LANGUAGES}),
                    Triple(metric, _n(DQV + "inDimension"), _n(PV + indicator.dimension)),
                    Triple(metric, _n(PV + "trueScore"),
                           Literal(str(indicator.points), datatype=_n(XSD + "integer")))]
    for rating in BANDS:
        # labels only: typed skos:Concept, the bands would be indexed as begrippen
        triples += _labels(_n(rating.iri),
                           {lang: f"MQA: {rating.label(lang)}" for lang in LANGUAGES})
    score = _n(SCORE_METRIC)
    triples += [Triple(score, _n(RDF_TYPE), _n(DQV + "Metric")),
                *_labels(score, {lang: texts(lang).gettext("mqa.score", n=TOTAL)
                                 for lang in LANGUAGES})]
    return triples


def _labels(node: NamedNode, labels: dict[str, str]) -> list[Triple]:
    return [Triple(node, _n(SKOS + "prefLabel"), Literal(text, language=lang))
            for lang, text in labels.items()]


def _measurement(
    iri: str, subject: str, metric: str, value: float, at: Literal,
    comment: Message | None = None,
) -> list[Triple]:
    node = _n(iri)
    triples = [
        Triple(node, _n(RDF_TYPE), _n(DQV + "QualityMeasurement")),
        Triple(node, _n(DQV + "isMeasurementOf"), _n(metric)),
        Triple(node, _n(DQV + "computedOn"), _n(subject)),
        Triple(node, _n(DQV + "value"), _decimal(value)),
        Triple(node, _n(PROV + "generatedAtTime"), at),
        Triple(_n(subject), _n(DQV + "hasQualityMeasurement"), node),
    ]
    if comment:
        triples += [Triple(node, _n(RDFS + "comment"), Literal(comment.text(lang), language=lang))
                    for lang in LANGUAGES]
    return triples


def dataset_triples(score: DatasetScore, prefix: str, at: Literal) -> list[Triple]:
    own = f"{prefix}/{hashlib.sha256(score.iri.encode('utf-8')).hexdigest()[:12]}"
    triples = _measurement(f"{own}/score", score.iri, SCORE_METRIC, score.total, at)
    # the band on the total: the search index's "quality" facet reads it from here
    triples.append(Triple(_n(f"{own}/score"), _n(DCT + "type"), _n(score.band.iri)))
    for item in score.indicators:
        triples += _measurement(f"{own}/{item.indicator.id}", score.iri, item.indicator.metric,
                                item.earned, at, item.why)
    return triples


def publisher_triples(score: PublisherScore, *, base: str, at: datetime) -> list[Triple]:
    """Everything the publisher's quality graph holds."""
    when = Literal(at.replace(microsecond=0).isoformat(), datatype=_n(XSD + "dateTime"))
    prefix = f"{base}/id/quality/{publisher_slug(score.publisher)}"
    triples = metric_triples()
    triples += _measurement(f"{prefix}/score", score.publisher, SCORE_METRIC, score.total, when)
    triples.append(Triple(_n(f"{prefix}/score"), _n(DCT + "type"), _n(score.band.iri)))
    for indicator in INDICATORS:
        triples += _measurement(f"{prefix}/{indicator.id}", score.publisher, indicator.metric,
                                score.indicator(indicator.id), when)
    for dataset in score.datasets:
        triples += dataset_triples(dataset, prefix, when)
    return triples


def store_quality(
    store: Store, scores: Sequence[PublisherScore], *, base: str,
    listeners: Sequence[Listener] = (), at: datetime | None = None,
) -> list[LoadResult]:
    """Replace each publisher's quality graph, all in one transaction (registry-owned)."""
    moment = at or datetime.now(UTC)
    sources = []
    for score in scores:
        graph = quality_graph(base, score.publisher)
        triples = publisher_triples(score, base=base, at=moment)
        digest = hashlib.sha256("\n".join(sorted(map(str, triples))).encode()).hexdigest()
        sources.append(ParsedSource(name=f"MQA {score.publisher}",
                                    uri=SOURCE + score.publisher, content_hash=digest,
                                    graphs={graph: triples}))
    return write_sources(store, sources, listeners=listeners)


def index_scores(index: SearchIndex, store: Store, scores: Sequence[PublisherScore]) -> int:
    """Re-index the scored datasets and publishers, so the "quality" facet shows their band
    (the quality graph does not type them, so the index's own listener does not see them)."""
    uris = {d.iri for score in scores for d in score.datasets} | {s.publisher for s in scores}
    docs = documents(store, uris)
    index.replace(uris, docs)
    return len(docs)
