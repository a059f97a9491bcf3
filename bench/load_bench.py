"""Load throughput: `catalogue load`'s atomic path (load_sources into an on-disk EmbeddedStore)
against pyoxigraph's own `bulk_load` and transactional `load` of the same file, same process.
Our run is split into phases (parse, prepare, serialise to a SPARQL update, run the update)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph  # the reference only: the package itself reaches pyoxigraph via catalogue.store

from bench import workspace
from bench.workspace import heading, row
from catalogue.ingest import load as load_module
from catalogue.ingest.load import graph_iri_for, load_sources
from catalogue.search import SearchIndex, index_listener
from catalogue.store import embedded
from catalogue.store.embedded import EmbeddedStore


@dataclass
class Run:
    name: str
    seconds: float
    triples: int
    disk_bytes: int
    peak_mb: float | None
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.triples / self.seconds


def run(*, quick: bool = False) -> None:
    for datasets in workspace.QUICK_SIZES if quick else workspace.FULL_SIZES:
        bench_size(datasets)


def bench_size(datasets: int) -> list[Run]:
    path = workspace.catalogue_file(datasets)
    triples = workspace.triple_count(path)
    heading(f"load: {datasets:,} datasets, {triples:,} triples, {path.stat().st_size >> 20} MB "
            "N-Triples")
    # The reference first, so every row can print its ratio as soon as it is measured.
    row("", "seconds", "triples/s", "disk MB", "peak RSS MB", "x bulk_load")
    runs: list[Run] = []
    for load in (bulk_load, transactional_load, load_ours):
        runs.append(load(path, triples, datasets))
        _print_run(runs[-1], runs[0])
    if datasets <= REPLACE_UP_TO:
        runs.append(load_ours(path, triples, datasets, replace=True))
        _print_run(runs[-1], runs[0])
    for ours in runs[2:]:
        print(f"  where '{ours.name}' spends its {ours.seconds:.1f} s:")
        for phase, seconds in ours.phases.items():
            print(f"    {phase:<52}{seconds:8.1f} s  {100 * seconds / ours.seconds:5.1f} %")
    return runs


# Replacing a graph is one transaction, whose commit grows faster than the data (about 20
# minutes at 100k datasets): measured at the smaller size only.
REPLACE_UP_TO = 10_000
OUT_STORES = workspace.OUT / "stores"


def _print_run(result: Run, reference: Run) -> None:
    peak = f"{result.peak_mb:,.0f}" if result.peak_mb is not None else "n/a"
    row(result.name, f"{result.seconds:.1f}", f"{result.rate:,.0f}",
        f"{result.disk_bytes / 2**20:,.0f}", peak, f"{result.seconds / reference.seconds:.1f}")


def load_ours(path: Path, triples: int, datasets: int, *, replace: bool = False) -> Run:
    """The path `catalogue load` takes (the CLI holds the store alone: large new graphs take
    the bulk path); with `replace`, loading the file again, which swaps the graph in one
    transaction. The store is kept for page_bench."""
    directory = OUT_STORES / workspace.named(f"catalogue-{datasets}") if replace else \
        workspace.fresh_dir(workspace.named(f"catalogue-{datasets}"))
    workspace.reset_peak_memory()
    timers: dict[str, float] = {}
    started = time.perf_counter()
    store = EmbeddedStore(directory, exclusive=True)
    # The search index sits where `catalogue serve --store DIR` looks for it.
    index = SearchIndex(directory.with_name(directory.name + ".search.sqlite"))
    listener = _timer(index_listener(index), "listener", timers)
    with _timed(load_module, "parse_source", timers), _timed(embedded, "replace_update", timers), \
            _timed_method(store, "replace_graphs", timers):
        load_sources(store, [path], base=workspace.BASE, listeners=[listener])
    store.close()
    index.close()
    seconds = time.perf_counter() - started
    peak = workspace.peak_memory_mb()
    del store
    gc.collect()
    workspace.mark_complete(directory, path)
    write = timers["replace_graphs"]
    phases = {
        "read + parse the file into Triples (parse_source)": timers["parse_source"],
        "group, count, provenance records (write_sources)":
            seconds - timers["parse_source"] - write - timers["listener"],
        "serialise to one SPARQL update (replace_update)": timers.get("replace_update", 0.0),
        "write: bulk path, or run the update": write - timers.get("replace_update", 0.0),
        "update the search index (listener)": timers["listener"],
    }
    name = "catalogue load again (replace)" if replace else "catalogue load (+ search index)"
    return Run(name, seconds, triples, workspace.dir_size(directory), peak, phases)


def bulk_load(path: Path, triples: int, datasets: int) -> Run:
    return _reference("pyoxigraph bulk_load", "bulk_load", path, triples, datasets)


def transactional_load(path: Path, triples: int, datasets: int) -> Run:
    return _reference("pyoxigraph load (transaction)", "load", path, triples, datasets)


def _reference(name: str, method: str, path: Path, triples: int, datasets: int) -> Run:
    directory = workspace.fresh_dir(workspace.named(f"reference-{method}-{datasets}"))
    graph = pyoxigraph.NamedNode(graph_iri_for(workspace.BASE, path.name))
    workspace.reset_peak_memory()
    started = time.perf_counter()
    store = pyoxigraph.Store(str(directory))
    getattr(store, method)(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=graph)
    store.flush()
    seconds = time.perf_counter() - started
    peak = workspace.peak_memory_mb()
    del store
    gc.collect()
    size = workspace.dir_size(directory)
    return Run(name, seconds, triples, size, peak)


@contextmanager
def _timed(module: Any, name: str, timers: dict[str, float]) -> Iterator[None]:
    """Time every call of module.name (looked up by name at call time, so patching works)."""
    original = getattr(module, name)
    setattr(module, name, _timer(original, name, timers))
    try:
        yield
    finally:
        setattr(module, name, original)


@contextmanager
def _timed_method(instance: Any, name: str, timers: dict[str, float]) -> Iterator[None]:
    setattr(instance, name, _timer(getattr(instance, name), name, timers))
    try:
        yield
    finally:
        delattr(instance, name)


def _timer(function: Callable[..., Any], name: str, timers: dict[str, float]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            timers[name] = timers.get(name, 0.0) + time.perf_counter() - started

    return timed
