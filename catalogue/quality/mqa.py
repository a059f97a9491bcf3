"""Score datasets on MQA's 405 points from the store, with the reason for every indicator, and
publishers as the average of their datasets. Offline by default: the status-code indicators then
score a well-formed http(s) URL; with a UrlChecker they score a 2xx/3xx answer to HEAD."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from catalogue.i18n import Message, translatable, translatable_plural
from catalogue.namespaces import DCAT, DCT, PREFIXES, RDF_TYPE
from catalogue.quality import vocabularies as voc
from catalogue.quality.indicators import (
    DIMENSIONS,
    INDICATORS,
    TOTAL,
    Band,
    Indicator,
    band,
)
from catalogue.quality.urlcheck import UrlChecker
from catalogue.store.base import Store
from catalogue.store.terms import BlankNode, Literal, NamedNode, Triple
from catalogue.validation import ValidationReport, find_profile, validate

COMPLIANCE_PROFILE = "dcat-ap-nl"
ON_DEMAND_LIMIT = 300  # datasets a page scores on demand; `catalogue quality` scores them all
_LINKED = (DCAT + "distribution", DCAT + "contactPoint")


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    earned: float
    why: Message  # the reason, in whichever language it is shown or stored

    @property
    def missed(self) -> float:
        return self.indicator.points - self.earned

    def reason(self, lang: str) -> str:
        return self.why.text(lang)


@dataclass(frozen=True)
class DatasetScore:
    iri: str
    title: str
    indicators: tuple[IndicatorScore, ...]
    urls_checked: bool = False

    @property
    def total(self) -> float:
        return round(sum(i.earned for i in self.indicators), 1)

    @property
    def band(self) -> Band:
        return band(self.total)

    def dimension(self, name: str) -> float:
        return round(sum(i.earned for i in self.indicators if i.indicator.dimension == name), 1)

    def of(self, indicator_id: str) -> IndicatorScore:
        return next(i for i in self.indicators if i.indicator.id == indicator_id)


@dataclass(frozen=True)
class Problem:
    """An indicator the publisher's datasets miss: in how many, and the points lost in all."""

    indicator: Indicator
    datasets: int
    points_missed: float

    @property
    def average_gain(self) -> float:
        return round(self.points_missed / self.datasets, 1) if self.datasets else 0.0


@dataclass(frozen=True)
class PublisherScore:
    publisher: str
    datasets: tuple[DatasetScore, ...]
    total_datasets: int  # may exceed len(datasets) when scoring was bounded

    @property
    def truncated(self) -> bool:
        return self.total_datasets > len(self.datasets)

    @property
    def total(self) -> float:
        return _mean([d.total for d in self.datasets])

    @property
    def band(self) -> Band:
        return band(self.total)

    def dimension(self, name: str) -> float:
        return _mean([d.dimension(name) for d in self.datasets])

    def indicator(self, indicator_id: str) -> float:
        return _mean([d.of(indicator_id).earned for d in self.datasets])

    @cached_property
    def problems(self) -> tuple[Problem, ...]:
        """Indicators missed anywhere, the most points lost (points x datasets) first."""
        found = []
        for indicator in INDICATORS:
            missed = [d.of(indicator.id).missed for d in self.datasets]
            lost = round(sum(missed), 1)
            if lost > 0:
                found.append(Problem(indicator, sum(1 for m in missed if m > 0), lost))
        return tuple(sorted(found, key=lambda p: (-p.points_missed, p.indicator.id)))


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 1) if values else 0.0


# -- reading a dataset's own record ----------------------------------------------------------

def dataset_record(store: Store, iri: str) -> list[Triple]:
    """The dataset's own small graph: its triples, its distributions' and contact points', and
    the blank nodes under them (two levels: a dct:temporal period and its dates)."""
    linked = ", ".join(f"<{p}>" for p in _LINKED)
    return store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ "
        f"{{ VALUES ?s {{ <{iri}> }} ?s ?p ?o }} UNION "
        f"{{ <{iri}> ?l ?s . FILTER(isBlank(?s) || ?l IN ({linked})) ?s ?p ?o }} UNION "
        f"{{ <{iri}> ?l ?x . ?x ?m ?s . FILTER(isBlank(?s)) "
        f"FILTER(isBlank(?x) || ?l IN ({linked})) ?s ?p ?o }} }}"
    )


class _Record:
    """The record's triples by subject and predicate (blank nodes keyed as `_:id`)."""

    def __init__(self, iri: str, triples: Sequence[Triple]) -> None:
        self.iri = iri
        self.triples = list(triples)
        self.values: dict[str, dict[str, list[NamedNode | BlankNode | Literal]]] = \
            defaultdict(lambda: defaultdict(list))
        for triple in triples:
            obj = triple.object
            if isinstance(obj, NamedNode | BlankNode | Literal):
                self.values[_key(triple.subject)][triple.predicate.value].append(obj)

    def get(self, node: str, predicate: str) -> list[str]:
        return [_key(v) for v in self.values.get(node, {}).get(predicate, [])]

    def has(self, node: str, predicate: str) -> bool:
        return bool(self.values.get(node, {}).get(predicate))

    def title(self) -> str:
        titles = self.values.get(self.iri, {}).get(DCT + "title", [])
        ranked = sorted((t for t in titles if isinstance(t, Literal)),
                        key=lambda t: {"nl": 0, "en": 1}.get(t.language or "", 2))
        return ranked[0].value if ranked else self.iri.rstrip("/").rsplit("/", 1)[-1]

    def distributions(self) -> list[str]:
        return sorted(self.get(self.iri, DCAT + "distribution"))


def _key(term: object) -> str:
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return str(getattr(term, "value", term))


# -- scoring ----------------------------------------------------------------------------------

def score_dataset(store: Store, iri: str, *, checker: UrlChecker | None = None) -> DatasetScore:
    """One dataset's MQA score from the store."""
    return score_record(iri, dataset_record(store, iri), checker=checker)


def score_record(
    iri: str, triples: Sequence[Triple], *, checker: UrlChecker | None = None
) -> DatasetScore:
    """Score a dataset given its own record (as `dataset_record` reads it)."""
    record = _Record(iri, triples)
    distributions = record.distributions()
    if checker is not None:
        checker.check_all(u for d in distributions
                          for p in (DCAT + "accessURL", DCAT + "downloadURL")
                          for u in record.get(d, p))
    scored: list[IndicatorScore] = []
    best = _best_interoperable(record, distributions)
    for indicator in INDICATORS:
        if indicator.dimension == "interoperability" and indicator.level == "distribution":
            scored.append(_interoperability(indicator, record, best))
        elif indicator.id == "dcatApCompliance":
            scored.append(_compliance(indicator, record))
        elif indicator.level == "dataset":
            scored.append(_on_dataset(indicator, record))
        else:
            scored.append(_on_distributions(indicator, record, distributions, checker))
    return DatasetScore(iri, record.title(), tuple(scored), urls_checked=checker is not None)


# Dataset-level presence (and vocabulary) tests: indicator id -> (predicate, test of a value).
_DATASET_TESTS: dict[str, tuple[str, Callable[[str], bool]]] = {
    "keywordAvailability": (DCAT + "keyword", bool),
    "categoryAvailability": (DCAT + "theme", bool),
    "spatialAvailability": (DCT + "spatial", bool),
    "temporalAvailability": (DCT + "temporal", bool),
    "accessRightsAvailability": (DCT + "accessRights", bool),
    "accessRightsVocabularyAlignment": (DCT + "accessRights", voc.ACCESS_RIGHTS.__contains__),
    "contactPointAvailability": (DCAT + "contactPoint", bool),
    "publisherAvailability": (DCT + "publisher", bool),
    "dateIssuedAvailability": (DCT + "issued", bool),
    "dateModifiedAvailability": (DCT + "modified", bool),
}


def _on_dataset(indicator: Indicator, record: _Record) -> IndicatorScore:
    predicate, test = _DATASET_TESTS[indicator.id]
    values = record.get(record.iri, predicate)
    good = [v for v in values if test(v)]
    name = _compact(predicate)
    if good:
        shown = _shown(good[0])
        return IndicatorScore(indicator, indicator.points,
                              translatable("mqa.reason.value", name=name, value=shown))
    if values:
        shown = _shown(values[0])
        return IndicatorScore(indicator, 0,
                              translatable("mqa.reason.not_listed", name=name, value=shown))
    return IndicatorScore(indicator, 0, translatable("mqa.reason.missing", name=name))


def _shown(value: str) -> str:
    return "(blank node)" if value.startswith("_:") else value[:120]


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


# Distribution-level tests: what a passing distribution has is the catalogues' `mqa.has.{id}`.
_DISTRIBUTION_TESTS = frozenset({
    "accessUrlStatusCode", "downloadUrlAvailability", "downloadUrlStatusCode",
    "licenceAvailability", "knownLicence", "rightsAvailability", "byteSizeAvailability",
    "dateIssuedAvailability", "dateModifiedAvailability",
})


def _on_distributions(
    indicator: Indicator, record: _Record, distributions: list[str], checker: UrlChecker | None
) -> IndicatorScore:
    """Averaged over the distributions (MQA's rule); an `either` indicator is earned in full
    by the dataset's own value."""
    if indicator.level == "either":
        own = _on_dataset(indicator, record)
        if own.earned:
            return own
    assert indicator.id in _DISTRIBUTION_TESTS, indicator.id
    if not distributions:
        return IndicatorScore(indicator, 0, translatable("mqa.reason.no_distributions"))
    passing = sum(_distribution_passes(indicator.id, record, d, checker) for d in distributions)
    earned = round(indicator.points * passing / len(distributions), 2)
    n = len(distributions)
    what = translatable(f"mqa.has.{indicator.id}")
    if indicator.id.endswith("StatusCode") and checker is None:
        what = translatable("mqa.reason.not_requested", what=what)
    return IndicatorScore(indicator, earned, translatable_plural(
        "mqa.reason.distributions", "mqa.reason.distributions.plural", n,
        passing=passing, what=what))


def _distribution_passes(
    indicator_id: str, record: _Record, distribution: str, checker: UrlChecker | None
) -> bool:
    if indicator_id in ("accessUrlStatusCode", "downloadUrlStatusCode"):
        prop = DCAT + ("accessURL" if indicator_id.startswith("access") else "downloadURL")
        return any(_reachable(url, checker) for url in record.get(distribution, prop))
    if indicator_id == "knownLicence":
        return any(voc.known_licence(v) for v in record.get(distribution, DCT + "license"))
    predicate = {
        "downloadUrlAvailability": DCAT + "downloadURL",
        "licenceAvailability": DCT + "license",
        "rightsAvailability": DCT + "rights",
        "byteSizeAvailability": DCAT + "byteSize",
        "dateIssuedAvailability": DCT + "issued",
        "dateModifiedAvailability": DCT + "modified",
    }[indicator_id]
    return record.has(distribution, predicate)


def _reachable(url: str, checker: UrlChecker | None) -> bool:
    wellformed = url.startswith(("http://", "https://")) and len(url) > len("https://")
    if checker is None or not wellformed:
        return wellformed
    status = checker.status(url)
    return wellformed if status is None else status  # None: over the bound, not asked


# -- interoperability: the best distribution counts ---------------------------------------------

def _interoperable(record: _Record, distribution: str) -> dict[str, bool]:
    formats = record.get(distribution, DCT + "format")
    media_types = record.get(distribution, DCAT + "mediaType")
    codes = voc.format_codes(formats, media_types)
    given = formats + media_types
    aligned = bool(given) and all(voc.file_type_code(f) for f in formats) and \
        all(voc.media_type(m) for m in media_types)
    return {
        "formatAvailability": bool(formats),
        "mediaTypeAvailability": bool(media_types),
        "formatMediaTypeVocabularyAlignment": aligned,
        "formatMediaTypeNonProprietary": bool(codes & voc.NON_PROPRIETARY),
        "formatMediaTypeMachineInterpretable": bool(codes & voc.MACHINE_READABLE),
    }


def _best_interoperable(record: _Record, distributions: list[str]) -> tuple[str, dict[str, bool]]:
    """The distribution earning the most interoperability points (MQA: identical content)."""
    points = {i.id: i.points for i in INDICATORS}
    best: tuple[str, dict[str, bool]] = ("", {})
    best_points = -1
    for distribution in distributions:
        tests = _interoperable(record, distribution)
        earned = sum(points[k] for k, ok in tests.items() if ok)
        if earned > best_points:
            best, best_points = (distribution, tests), earned
    return best


def _interoperability(
    indicator: Indicator, record: _Record, best: tuple[str, dict[str, bool]]
) -> IndicatorScore:
    distribution, tests = best
    if not distribution:
        return IndicatorScore(indicator, 0, translatable("mqa.reason.no_distributions"))
    ok = tests[indicator.id]
    name = _shown(distribution)
    formats = ", ".join(_shown(v).rsplit("/", 1)[-1] for v in
                        record.get(distribution, DCT + "format")
                        + record.get(distribution, DCAT + "mediaType")) or "-"
    if ok:
        return IndicatorScore(indicator, indicator.points,
                              translatable("mqa.reason.best", name=name, formats=formats))
    return IndicatorScore(indicator, 0,
                          translatable("mqa.reason.not_best", name=name, formats=formats))


def _compliance(indicator: Indicator, record: _Record) -> IndicatorScore:
    """Pass/fail, as on the portal: no Violation of our DCAT-AP-NL profile in the record."""
    report = compliance_report(record.iri, record.triples)
    if report.conforms:
        return IndicatorScore(indicator, indicator.points, translatable("mqa.reason.conforms"))
    first = next(r for r in report.results if r.severity == "Violation")
    return IndicatorScore(indicator, 0, translatable_plural(
        "mqa.reason.violations", "mqa.reason.violations.plural", report.violations,
        example=first.messages))


def compliance_report(iri: str, triples: Sequence[Triple]) -> ValidationReport:
    return validate({iri: list(triples)}, find_profile(COMPLIANCE_PROFILE))


# -- publishers -------------------------------------------------------------------------------

def datasets_of(store: Store, publisher: str, *, limit: int | None = None) -> tuple[list[str], int]:
    """The publisher's datasets (IRIs, sorted; at most `limit`) and how many there are."""
    rows = store.select(
        f"SELECT DISTINCT ?d WHERE {{ ?d <{DCT}publisher> <{publisher}> ; <{RDF_TYPE}> ?t . "
        f"FILTER(?t IN (<{DCAT}Dataset>, <{DCAT}DatasetSeries>)) FILTER(isIRI(?d)) }}"
    )
    found = sorted(row["d"].value for row in rows)
    return (found if limit is None else found[:limit]), len(found)


def publishers(store: Store, *, limit: int = 1000) -> list[str]:
    """IRIs of the organisations that publish datasets (bounded)."""
    rows = store.select(
        f"SELECT DISTINCT ?p WHERE {{ ?d <{DCT}publisher> ?p ; <{RDF_TYPE}> <{DCAT}Dataset> "
        f"FILTER(isIRI(?p)) }} LIMIT {int(limit)}"
    )
    return sorted(row["p"].value for row in rows)


def score_publisher(
    store: Store, publisher: str, *, checker: UrlChecker | None = None,
    limit: int | None = None,
) -> PublisherScore:
    """The publisher's datasets scored (the first `limit` by IRI when bounded)."""
    chosen, total = datasets_of(store, publisher, limit=limit)
    scores = tuple(score_dataset(store, iri, checker=checker) for iri in chosen)
    return PublisherScore(publisher, scores, total)


__all__ = [
    "DIMENSIONS",
    "TOTAL",
    "DatasetScore",
    "IndicatorScore",
    "Problem",
    "PublisherScore",
    "dataset_record",
    "datasets_of",
    "publishers",
    "score_dataset",
    "score_publisher",
    "score_record",
]
