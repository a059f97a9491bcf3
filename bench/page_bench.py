"""Resource-page latency: random dataset pages (HTML and Turtle) from the real `catalogue serve`
process, against the same DESCRIBE on `oxigraph serve-read-only` over the same data, both on
loopback with a few concurrent clients. Prints p50/p95 per kind and the ratio to Oxigraph."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import workspace
from bench.workspace import heading, row
from catalogue.ingest.load import graph_iri_for, load_sources
from catalogue.store.embedded import EmbeddedStore

BIN = Path(sys.executable).parent
CONCURRENCY = 4
REQUESTS = 300
WARM_UP = 30
STARTUP_SECONDS = 120.0


@dataclass(frozen=True)
class Latencies:
    name: str
    seconds: list[float]
    wall: float

    @property
    def p50(self) -> float:
        return workspace.percentile(self.seconds, 0.50) * 1000

    @property
    def p95(self) -> float:
        return workspace.percentile(self.seconds, 0.95) * 1000

    @property
    def throughput(self) -> float:
        return len(self.seconds) / self.wall


def run(*, quick: bool = False) -> None:
    for datasets in workspace.QUICK_SIZES if quick else workspace.FULL_SIZES:
        bench_size(datasets)


def bench_size(datasets: int) -> list[Latencies]:
    path = workspace.catalogue_file(datasets)
    ours = catalogue_store(path, datasets)
    reference = oxigraph_store(path, workspace.named(f"oxigraph-{datasets}"))
    picks = random.Random(datasets).choices(range(datasets), k=REQUESTS + WARM_UP)
    iris = [f"{workspace.BASE}/id/dataset/{n}" for n in picks]
    heading(f"pages: {datasets:,} datasets, {REQUESTS} random dataset pages per kind, "
            f"{CONCURRENCY} concurrent clients")
    results: list[Latencies] = []
    port = workspace.free_port()
    with _server("catalogue", [str(BIN / "catalogue"), "serve", "--store", str(ours),
                               "--port", str(port), "--base-iri", workspace.BASE], port,
                 f"/doc/dataset/{picks[0]}"):
        paths = [f"/doc/dataset/{n}" for n in picks]
        results.append(_measure("catalogue HTML page", port, paths, "text/html"))
        results.append(_measure("catalogue Turtle", port, paths, "text/turtle"))
    port = workspace.free_port()
    command = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(reference),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    queries = [str(httpx.URL("/query", params={"query": f"DESCRIBE <{iri}>"})) for iri in iris]
    with _server("oxigraph", command, port, queries[0]):
        results.append(_measure("oxigraph DESCRIBE (Turtle)", port, queries, "text/turtle"))
    reference_p50, reference_p95 = results[-1].p50, results[-1].p95
    row("", "p50 ms", "p95 ms", "requests/s", "p50 x oxigraph", "p95 x oxigraph")
    for result in results:
        row(result.name, f"{result.p50:.1f}", f"{result.p95:.1f}", f"{result.throughput:,.0f}",
            f"{result.p50 / reference_p50:.1f}", f"{result.p95 / reference_p95:.1f}")
    return results


def catalogue_store(path: Path, datasets: int) -> Path:
    """The store load_bench left (loaded by our atomic path), or a new one loaded the same way."""
    directory = workspace.OUT / "stores" / workspace.named(f"catalogue-{datasets}")
    if not workspace.is_complete(directory, path):
        directory = workspace.fresh_dir(workspace.named(f"catalogue-{datasets}"))
        store = EmbeddedStore(directory)
        load_sources(store, [path], base=workspace.BASE)
        store.close()
        del store  # releases the store's lock before the server opens it
        workspace.mark_complete(directory, path)
    return directory


def oxigraph_store(path: Path, name: str) -> Path:
    """`path` loaded by `oxigraph load` into the graph `catalogue load` would use, in the store
    directory `name` (kept while complete, so later runs reuse it)."""
    directory = workspace.OUT / "stores" / name
    if not workspace.is_complete(directory, path):
        directory = workspace.fresh_dir(name)
        subprocess.run(
            [str(BIN / "oxigraph"), "load", "--location", str(directory), "--file", str(path),
             "--graph", graph_iri_for(workspace.BASE, path.name)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        workspace.mark_complete(directory, path)
    return directory


class _server:
    """A server process on a loopback port: started, waited for, and always stopped."""

    def __init__(self, name: str, command: list[str], port: int, probe: str) -> None:
        self.command, self.port, self.probe = command, port, probe
        self.log = workspace.OUT / "logs" / f"{name}.log"

    def __enter__(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_SECONDS
        with httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    self.__exit__()
                    raise RuntimeError(f"{self.command[0]} exited; see {self.log}")
                try:
                    if client.get(self.probe).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"{self.command[0]} not answering after {STARTUP_SECONDS} s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _measure(name: str, port: int, paths: list[str], accept: str) -> Latencies:
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60,
                      headers={"Accept": accept}) as client:

        def fetch(path: str) -> float:
            started = time.perf_counter()
            response = client.get(path)
            seconds = time.perf_counter() - started
            if response.status_code != 200 or not response.content:
                raise RuntimeError(f"{name}: {path} answered {response.status_code}")
            return seconds

        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(fetch, paths[:WARM_UP]))
            started = time.perf_counter()
            seconds = list(pool.map(fetch, paths[WARM_UP:]))
            wall = time.perf_counter() - started
    return Latencies(name, seconds, wall)
