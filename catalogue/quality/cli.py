"""`catalogue quality`: score publishers' datasets, print a table, store the scores as DQV."""

from __future__ import annotations

from typing import TextIO

from catalogue.config import Settings
from catalogue.errors import InputError
from catalogue.fetch import PUBLIC_ONLY, AddressPolicy
from catalogue.i18n import texts
from catalogue.quality.dqv import index_scores, quality_graph, store_quality
from catalogue.quality.indicators import TOTAL
from catalogue.quality.mqa import PublisherScore, publishers, score_publisher
from catalogue.quality.urlcheck import UrlChecker
from catalogue.store.base import Store


def quality(
    store: Store, settings: Settings, *, publisher: str | None, check_urls: bool,
    timeout: float, max_urls: int, save: bool, lang: str, out: TextIO,
    policy: AddressPolicy = PUBLIC_ONLY,
) -> list[PublisherScore]:
    chosen = [publisher] if publisher else publishers(store)
    if publisher and not publisher.startswith(("http://", "https://", "urn:")):
        raise InputError(f"--publisher {publisher!r}: give an organisation IRI")
    checker = (UrlChecker(timeout=timeout, max_urls=max_urls, policy=policy) if check_urls
               else None)
    scores = [score_publisher(store, iri, checker=checker) for iri in chosen]
    if publisher and not scores[0].datasets:
        raise InputError(f"--publisher <{publisher}> publishes no datasets in this store")
    for score in scores:
        print_score(score, lang=lang, out=out)
    if save and scores:
        from catalogue.search import index_listener, open_index

        index = open_index(settings)
        try:
            for score in scores:  # one transaction per publisher graph bounds the memory
                store_quality(store, [score], base=settings.base,
                              listeners=[index_listener(index)])
            index_scores(index, store, scores)
        finally:
            index.close()
        for score in scores:
            print(f"stored: <{quality_graph(settings.base, score.publisher)}>", file=out)
    if checker is not None:
        ok = sum(checker.results.values())
        print(f"URLs checked: {len(checker.results)}, {ok} answered 2xx/3xx", file=out)
    return scores


def print_score(score: PublisherScore, *, lang: str, out: TextIO) -> None:
    """A plain-text table: the publisher's average, then each dataset, then the top problems."""
    heading = texts(lang).gettext("quality.publisher").lower()
    print(f"{heading} <{score.publisher}>: {score.total:g}/{TOTAL} {score.band.label(lang)} "
          f"({len(score.datasets)} datasets)", file=out)
    for dataset in sorted(score.datasets, key=lambda d: (d.total, d.iri)):
        print(f"  {dataset.total:>6g}  {dataset.band.label(lang):<12} {dataset.title[:50]:<50} "
              f"<{dataset.iri}>", file=out)
    for problem in score.problems[:5]:
        print(f"  - {problem.indicator.label(lang)}: {problem.datasets} datasets, "
              f"{problem.points_missed:g} pt: {problem.indicator.fix(lang)}", file=out)
