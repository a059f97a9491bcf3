"""The questions the quality pages ask: a publisher's dashboard (score, band, dimensions, datasets,
top problems, what to fix first) and the list of publishers with their stored scores."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from catalogue.i18n import texts
from catalogue.namespaces import DCT, PROV
from catalogue.quality.dqv import DQV
from catalogue.quality.indicators import DIMENSIONS, INDICATORS, SCORE_METRIC, TOTAL, band
from catalogue.quality.indicators import dimension_label as _dimension_label
from catalogue.quality.mqa import (
    ON_DEMAND_LIMIT,
    DatasetScore,
    Problem,
    PublisherScore,
    score_publisher,
)
from catalogue.search import SearchIndex
from catalogue.services.labels import fallback_label, labels_for
from catalogue.store.base import Store
from catalogue.store.terms import Literal

TOP_PROBLEMS = 5
_UNSAFE = set('<>" {}|\\^`')


@dataclass(frozen=True)
class DimensionRow:
    id: str
    label: str
    score: float
    maximum: int


@dataclass(frozen=True)
class IndicatorRow:
    id: str
    label: str
    dimension: str
    average: float
    points: int


@dataclass(frozen=True)
class DatasetRow:
    iri: str
    title: str
    total: float
    band: str
    band_label: str
    missed: tuple[str, ...]  # labels of the indicators it misses, most points first


@dataclass(frozen=True)
class ProblemRow:
    id: str
    label: str
    points: int
    datasets: int
    points_missed: float
    advice: str


@dataclass(frozen=True)
class Dashboard:
    publisher: str
    name: str
    total: float
    maximum: int
    band: str
    band_label: str
    dimensions: tuple[DimensionRow, ...]
    indicators: tuple[IndicatorRow, ...]
    datasets: tuple[DatasetRow, ...]
    problems: tuple[ProblemRow, ...]
    fix_first: str | None
    scored: int
    total_datasets: int


def publisher_dashboard(store: Store, publisher: str, *, lang: str) -> Dashboard:
    """Score the publisher's datasets now (offline, bounded) and reshape for the page."""
    return dashboard_of(score_publisher(store, publisher, limit=ON_DEMAND_LIMIT), store,
                        lang=lang)


def dashboard_of(score: PublisherScore, store: Store, *, lang: str) -> Dashboard:
    name = labels_for(store, [score.publisher], lang).get(score.publisher) \
        or fallback_label(score.publisher)
    rating = score.band
    problems = score.problems
    return Dashboard(
        publisher=score.publisher,
        name=name,
        total=score.total,
        maximum=TOTAL,
        band=rating.id,
        band_label=rating.label(lang),
        dimensions=tuple(DimensionRow(d, _dimension_label(d, lang), score.dimension(d), maximum)
                         for d, maximum in DIMENSIONS.items()),
        indicators=tuple(IndicatorRow(i.id, i.label(lang), _dimension_label(i.dimension, lang),
                                      score.indicator(i.id), i.points) for i in INDICATORS),
        datasets=tuple(sorted((_dataset_row(d, lang) for d in score.datasets),
                              key=lambda row: (row.total, row.title.lower()))),
        problems=tuple(_problem_row(p, lang, len(score.datasets))
                       for p in problems[:TOP_PROBLEMS]),
        fix_first=fix_first(problems[0], len(score.datasets), lang,
                            example=_most_common_violation(score, lang)) if problems else None,
        scored=len(score.datasets),
        total_datasets=score.total_datasets,
    )


def _dataset_row(score: DatasetScore, lang: str) -> DatasetRow:
    missed = sorted((i for i in score.indicators if i.missed > 0), key=lambda i: -i.missed)
    rating = score.band
    return DatasetRow(score.iri, score.title, score.total, rating.id, rating.label(lang),
                      tuple(i.indicator.label(lang) for i in missed))


def _problem_row(problem: Problem, lang: str, datasets: int) -> ProblemRow:
    indicator = problem.indicator
    return ProblemRow(indicator.id, indicator.label(lang), indicator.points, problem.datasets,
                      problem.points_missed, indicator.fix(lang))


def fix_first(problem: Problem, datasets: int, lang: str, *, example: str = "") -> str:
    """The concrete advice for the indicator that loses the most points in all datasets (for
    DCAT-AP-NL compliance, with the Violation message met most often)."""
    fix = problem.indicator.fix(lang)
    gain = problem.average_gain
    compliance = problem.indicator.id == "dcatApCompliance" and example
    words = texts(lang)
    advice = words.ngettext("quality.fix_first_text", "quality.fix_first_text.plural", datasets,
                            fix=fix, missing=words.number(problem.datasets),
                            points=words.number(problem.points_missed),
                            gain=words.number(gain))
    if compliance:
        advice += " " + words.gettext("quality.most_frequent", example=example)
    return advice


def _most_common_violation(score: PublisherScore, lang: str) -> str:
    """The first Violation message that most non-compliant datasets share."""
    messages = Counter(
        re.split(r"(?:such as|o\.a\.): ", d.of("dcatApCompliance").reason(lang), maxsplit=1)[-1]
        for d in score.datasets if d.of("dcatApCompliance").missed
    )
    return messages.most_common(1)[0][0] if messages else ""


# -- the list of publishers -----------------------------------------------------------------

@dataclass(frozen=True)
class PublisherRow:
    iri: str
    name: str
    datasets: int
    score: float | None  # the stored score, when `catalogue quality` has run
    band: str | None
    band_label: str | None
    computed: str | None


def publisher_list(store: Store, index: SearchIndex, *, lang: str) -> tuple[PublisherRow, ...]:
    """Publishers of datasets with their counts (from the search index's facet counts) and the
    scores stored as DQV (looked up per publisher, in batches)."""
    counts = {iri: n for iri, n in index.facet_counts("publisher", kind="dataset").items()
              if iri.startswith(("http://", "https://", "urn:")) and not _UNSAFE & set(iri)}
    iris = sorted(counts)
    stored = _stored_scores(store, iris)
    names = labels_for(store, iris, lang)
    rows = []
    for iri in iris:
        score, computed = stored.get(iri, (None, None))
        rating = band(score) if score is not None else None
        rows.append(PublisherRow(iri, names.get(iri) or fallback_label(iri), counts.get(iri, 0),
                                 score, rating.id if rating else None,
                                 rating.label(lang) if rating else None, computed))
    return tuple(sorted(rows, key=lambda r: r.name.lower()))


def _stored_scores(store: Store, publishers: Sequence[str]) -> dict[str, tuple[float, str]]:
    """The latest stored total per publisher: point lookups from the publishers, never a scan
    over every measurement."""
    found: dict[str, tuple[float, str]] = {}
    for start in range(0, len(publishers), 200):
        values = " ".join(f"<{iri}>" for iri in publishers[start:start + 200])
        rows = store.select(
            f"SELECT ?p ?v ?t WHERE {{ VALUES ?p {{ {values} }} "
            f"?m <{DQV}computedOn> ?p ; <{DQV}isMeasurementOf> <{SCORE_METRIC}> ; "
            f"<{DCT}type> ?band ; <{DQV}value> ?v ; <{PROV}generatedAtTime> ?t }}"
        )
        for row in rows:
            value, at = row["v"], row["t"]
            if isinstance(value, Literal) and isinstance(at, Literal):
                previous = found.get(row["p"].value)
                if previous is None or at.value > previous[1]:
                    found[row["p"].value] = (float(value.value), at.value)
    return found
