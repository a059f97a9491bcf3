"""Load throughput: `catalogue load`'s path (load_sources into an on-disk EmbeddedStore, search
index included) against pyoxigraph's own `bulk_load` (and, in a full run, its transactional
`load`) of the same file, same process; then replacing that graph with a copy of the file in
which 1% of the datasets changed (`catalogue.store.delta` writes only those). Our run is split
into phases. Figures from one run on a shared machine: compare the ratios, not the seconds."""

from __future__ import annotations

import gc
import re
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
from catalogue.ingest.load import Listener, WorksAlongside, graph_iri_for, load_sources
from catalogue.search import SearchIndex, index_listener
from catalogue.search.updater import IndexListener
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


def run(*, quick: bool = False, sizes: tuple[int, ...] | None = None) -> None:
    for datasets in sizes or (workspace.QUICK_SIZES if quick else workspace.FULL_SIZES):
        bench_size(datasets, quick=quick)


def bench_size(datasets: int, *, quick: bool = False) -> list[Run]:
    path = workspace.catalogue_file(datasets)
    triples = workspace.triple_count(path)
    heading(f"load: {datasets:,} datasets, {triples:,} triples, {path.stat().st_size >> 20} MB "
            "N-Triples")
    # The reference first, so every row can print its ratio as soon as it is measured.
    row("", "seconds", "triples/s", "disk MB", "peak RSS MB", "x bulk_load")
    runs: list[Run] = []
    references = (bulk_load,) if quick else (bulk_load, transactional_load)
    for load in (*references, load_ours):
        runs.append(load(path, triples, datasets))
        _print_run(runs[-1], runs[0])
    changed = changed_copy(path, every=100)
    for source, name in ((changed, "replace, 1% of datasets changed"),
                         (path, "replace back to the file")):
        runs.append(load_ours(source, triples, datasets, replace=name))
        _print_run(runs[-1], runs[0])
    workspace.mark_complete(OUT_STORES / f"catalogue-{datasets}", path)
    for ours in runs[len(references):]:
        print(f"  where '{ours.name}' spends its {ours.seconds:.1f} s:")
        for phase, seconds in ours.phases.items():
            print(f"    {phase:<52}{seconds:8.1f} s  {100 * seconds / ours.seconds:5.1f} %")
    ours = runs[len(references)]
    print(f"  catalogue load: {runs[0].seconds / ours.seconds:.2f}x the speed of bulk_load "
          "(goal: at least 0.5x)")
    print(f"  replace with 1% changed: {runs[-2].seconds:.1f} s (goal: at most 5 s at 10k "
          "datasets)", flush=True)
    return runs


# Lines of the generated N-Triples that a changed dataset gets new values in: its Dutch title,
# its contact point's e-mail (a blank node) and its distribution's format (a facet read through
# another resource).
_CHANGED = re.compile(
    r'^(?P<title><[^>]*/id/dataset/(?P<t>\d+)> <http://purl.org/dc/terms/title> "[^"]*)"@nl|'
    r"^(?P<email>_:contact(?P<e>\d+) <http://www.w3.org/2006/vcard/ns#hasEmail> )<|"
    r"^(?P<format><[^>]*/id/distributie/(?P<f>\d+)> <http://purl.org/dc/terms/format> "
    r"<[^>]*/file-type/)")


def changed_copy(path: Path, *, every: int) -> Path:
    """A copy of the file (same name, so the same graph) in which every `every`th dataset has
    a new title, contact e-mail and distribution format."""
    target = workspace.OUT / "changed" / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            found = _CHANGED.match(line)
            number = found and (found["t"] or found["e"] or found["f"])
            if found is not None and number and int(number) % every == 0:
                if found["title"]:
                    line = found["title"] + ' (gewijzigd)"@nl .\n'
                    count += 1
                elif found["email"]:
                    line = found["email"] + "<mailto:gewijzigd@example.nl> .\n"
                else:
                    line = found["format"] + "ODS> .\n"
            out.write(line)
    print(f"  {count:,} datasets changed in {target}", flush=True)
    return target


OUT_STORES = workspace.OUT / "stores"


def _print_run(result: Run, reference: Run) -> None:
    peak = f"{result.peak_mb:,.0f}" if result.peak_mb is not None else "n/a"
    row(result.name, f"{result.seconds:.1f}", f"{result.rate:,.0f}",
        f"{result.disk_bytes / 2**20:,.0f}", peak, f"{result.seconds / reference.seconds:.1f}")


def load_ours(path: Path, triples: int, datasets: int, *, replace: str | None = None) -> Run:
    """The path `catalogue load` takes (the CLI holds the store alone: large new graphs take
    the bulk path); with `replace` (the run's name), loading a file of the same name again
    into the store that the load left. The store is kept for page_bench."""
    directory = OUT_STORES / workspace.named(f"catalogue-{datasets}") if replace else \
        workspace.fresh_dir(workspace.named(f"catalogue-{datasets}"))
    workspace.reset_peak_memory()
    timers: dict[str, float] = {}
    started = time.perf_counter()
    store = EmbeddedStore(directory, exclusive=True)
    # The search index sits where `catalogue serve --store DIR` looks for it.
    index = SearchIndex(directory.with_name(directory.name + ".search.sqlite"))
    listener = _TimedListener(index_listener(index), timers)
    with _timed(load_module, "_parse", timers), _timed(embedded, "replace_update", timers), \
            _timed_method(store, "replace_graphs", timers):
        load_sources(store, [path], base=workspace.BASE, listeners=[listener])
    store.close()
    index.close()
    seconds = time.perf_counter() - started
    peak = workspace.peak_memory_mb()
    del store
    gc.collect()
    write = timers["replace_graphs"]
    index_seconds = timers.get("prepare", 0.0) + timers.get("listener", 0.0)
    phases = {
        "read + parse the file into Triples (_parse)": timers["_parse"],
        "group, count, provenance records (write_sources)":
            seconds - timers["_parse"] - max(write, timers.get("alongside", 0.0))
            - index_seconds,
        "serialise the update (replace_update)": timers.get("replace_update", 0.0),
        "write: bulk path, delta, or the update": write - timers.get("replace_update", 0.0),
        "search index: documents before the write": timers.get("prepare", 0.0),
        "search index: documents and rows during the write (overlaps it)":
            timers.get("alongside", 0.0),
        "search index: written after the write": timers.get("listener", 0.0),
    }
    name = replace or "catalogue load (+ search index)"
    return Run(name, seconds, triples, workspace.dir_size(directory), peak, phases)


class _TimedListener:
    """The index listener, both of its steps timed (a plain wrapper would hide `prepare`)."""

    def __init__(self, listener: IndexListener, timers: dict[str, float]) -> None:
        self.listener, self.timers = listener, timers

    def __call__(self, store: Any, graphs: Any) -> None:
        _timer(self.listener, "listener", self.timers)(store, graphs)

    def prepare(self, store: Any, graphs: Any) -> Listener:
        finish = _timer(self.listener.prepare, "prepare", self.timers)(store, graphs)
        if isinstance(finish, WorksAlongside):
            return _TimedAlongside(finish, self.timers)
        return _timer(finish, "listener", self.timers)


class _TimedAlongside:
    """A prepared listener that works while the store writes: that work is timed apart."""

    def __init__(self, listener: WorksAlongside, timers: dict[str, float]) -> None:
        self.listener, self.timers = listener, timers

    def alongside(self) -> None:
        _timer(self.listener.alongside, "alongside", self.timers)()

    def abandon(self) -> None:
        self.listener.abandon()

    def __call__(self, store: Any, graphs: Any) -> None:
        _timer(self.listener, "listener", self.timers)(store, graphs)


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


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.load_bench", description=__doc__)
    parser.add_argument("--datasets", type=int, default=10_000, help="N (default 10,000)")
    parser.add_argument("--full", action="store_true",
                        help="also pyoxigraph's transactional load (minutes at 10k)")
    args = parser.parse_args(argv)
    bench_size(args.datasets, quick=not args.full)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
