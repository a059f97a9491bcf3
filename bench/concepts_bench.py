"""Begrippen at scale: suggestion and full-text search latency over 100k begrippen (against a
plain SPARQL FILTER(CONTAINS) search over the same store as the reference), the begrip page,
and the A-Z and tree pages of a 10k-begrip begrippenkader. Requests go through the whole app
(routing, services, templates) in-process; the store is on disk.

Goals (issue #3): suggestions p95 <= 50 ms, begrip page p95 <= 100 ms, tree <= 300 ms."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from bench import workspace
from bench.generate import WORDS_NL, write_catalogue
from bench.workspace import heading
from catalogue.config import Settings
from catalogue.ingest.load import load_sources
from catalogue.namespaces import SKOS
from catalogue.search import SearchIndex, index_listener
from catalogue.services.schemes import vocid_for
from catalogue.store.embedded import EmbeddedStore
from catalogue.web.app import create_app
from catalogue.web.site import Site

BASE = workspace.BASE
SAMPLES = 300
REFERENCE_SAMPLES = 10


def run(*, quick: bool = False) -> None:
    concepts, schemes = (20_000, 2) if quick else (100_000, 10)
    store, index, loaded = build(concepts, schemes)
    heading(f"concepts: {concepts:,} begrippen in {schemes} begrippenkaders of "
            f"{concepts // schemes:,} (load + index {loaded:.0f} s)")
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store, index=index)
    site: Site = app.state.site
    rng = random.Random(3)
    with TestClient(app) as client:
        suggest = timed(client, [f"/search/suggest?q={_prefix(rng)}" for _ in range(SAMPLES)])
        report("suggestions (/search/suggest)", suggest, goal=50)
        words = [f"{rng.choice(WORDS_NL)}{rng.choice(['', 'en', 's'])}" for _ in range(SAMPLES)]
        fulltext = timed(client, [f"/search?q={w}" for w in words],
                         headers={"accept": "application/json"})
        report("full-text search (/search JSON)", fulltext)
        reference = [_sparql_contains(store, w) for w in words[:REFERENCE_SAMPLES]]
        report("reference: SPARQL FILTER(CONTAINS) on labels+definitions, LIMIT 20", reference)
        print(f"   ratio p50 SPARQL / FTS5: "
              f"{_p(reference, .5) / max(_p(fulltext, .5), 1e-9):.0f}x", flush=True)
        pages = timed(client, [f"/resource?uri={BASE}/id/begrip/{rng.randrange(concepts)}"
                               for _ in range(SAMPLES)])
        report("begrip page (HTML)", pages, goal=100)
        vocid = vocid_for(f"{BASE}/id/begrippenkader/0", base=BASE)
        for name, path, goal in (("A-Z page", f"/begrippen/{vocid}/az?letter=G", None),
                                 ("tree page", f"/begrippen/{vocid}/boom", 300)):
            cold = timed(client, [path] * 5, before=site.changed)
            warm = timed(client, [path] * 20)
            report(f"{name}, {concepts // schemes:,}-begrip kader, uncached", cold, goal=goal)
            report(f"{name}, {concepts // schemes:,}-begrip kader, cached per write", warm)
    index.close()
    store.close()


def build(concepts: int, schemes: int) -> tuple[EmbeddedStore, SearchIndex, float]:
    workspace.OUT.mkdir(parents=True, exist_ok=True)
    data = workspace.OUT / f"concepts-{concepts}.nt"
    if not data.exists():
        write_catalogue(data, datasets=1000, concepts=concepts, schemes=schemes, base=BASE)
    directory = workspace.fresh_dir(f"concepts-{concepts}")
    store = EmbeddedStore(directory, exclusive=True)  # as `catalogue load` opens it
    index = SearchIndex(directory.with_name(directory.name + ".search.sqlite"))
    started = time.perf_counter()
    load_sources(store, [data], base=BASE, listeners=[index_listener(index)])
    return store, index, time.perf_counter() - started


def timed(client: TestClient, paths: list[str], *, headers: dict[str, str] | None = None,
          before: Callable[[], None] | None = None) -> list[float]:
    seconds = []
    for path in paths:
        if before is not None:
            before()
        started = time.perf_counter()
        response = client.get(path, headers=headers or {})
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")
    return seconds


def _prefix(rng: random.Random) -> str:
    word = rng.choice(WORDS_NL)
    return word[: rng.randint(2, len(word))] if rng.random() < 0.6 else \
        f"{word} {rng.randrange(1, 999)}"


def _sparql_contains(store: EmbeddedStore, word: str) -> float:
    started = time.perf_counter()
    store.select(
        f"SELECT DISTINCT ?c WHERE {{ ?c ?p ?l VALUES ?p {{ <{SKOS}prefLabel> <{SKOS}altLabel> "
        f"<{SKOS}definition> }} FILTER(CONTAINS(LCASE(STR(?l)), \"{word.lower()}\")) }} LIMIT 20"
    )
    return time.perf_counter() - started


def _p(values: list[float], fraction: float) -> float:
    return workspace.percentile(values, fraction) * 1000


def report(name: str, seconds: list[float], *, goal: float | None = None) -> None:
    p95 = _p(seconds, .95)
    verdict = "" if goal is None else (f"  goal p95 <= {goal:.0f} ms: "
                                       + ("met" if p95 <= goal else "NOT met"))
    print(f"   {name:<58} n={len(seconds):<4} p50 {_p(seconds, .5):7.1f} ms  "
          f"p95 {p95:7.1f} ms{verdict}", flush=True)
