"""The same generated catalogue on the embedded store, Oxigraph server and Virtuoso, in one run:
`catalogue load` against each server's own bulk loader, then a dataset page, a list page, a
search and a COUNT per publisher on /sparql (p50/p95 with 4 clients), and how long a second
`catalogue serve` on the same remote store takes to show another instance's write. Prints the
ratios against the goals of issue 15.

    python -m bench.remote_bench --datasets 5000    # a quick run (about a minute here)
    python -m bench --only remote                   # 10k datasets; 100k without --quick

The servers are started as the tests start them (tests/store/servers.py), each in its own temp
folder on free loopback ports; a server that is not installed is left out."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import workspace
from bench.workspace import heading, row
from catalogue.ingest.load import graph_iri_for
from catalogue.publish import Publishers
from tests.store.servers import ISQL, OXIGRAPH, SERVERS, Server, started
from tests.web.test_publish import ORG_A, dataset

BIN = Path(sys.executable).parent
CLIENTS = 4
REQUESTS = 60
WARM_UP = 8
FOLLOW_LIMIT = 60.0
COUNT_PER_PUBLISHER = (
    "SELECT ?publisher (COUNT(?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; "
    "<http://purl.org/dc/terms/publisher> ?publisher } GROUP BY ?publisher")
GOALS = "goals: load >= 0.5x bulk loader; dataset page p95 <= 2x embedded; follow <= 5 s"


@dataclass
class Backend:
    name: str
    load: float = 0.0  # seconds of `catalogue load`
    bulk: float | None = None  # seconds of the server's own loader
    latencies: dict[str, list[float]] | None = None
    follow: float | None = None


def run(*, quick: bool = False) -> None:
    bench_size(workspace.QUICK_SIZES[0] if quick else workspace.FULL_SIZES[-1])


def bench_size(datasets: int) -> list[Backend]:
    path = workspace.catalogue_file(datasets)
    heading(f"remote stores: {datasets:,} datasets ({workspace.triple_count(path):,} triples), "
            f"{REQUESTS} requests per kind, {CLIENTS} clients")
    results = []
    with tempfile.TemporaryDirectory(prefix="remote-bench-") as temp:
        folder = Path(temp)
        results.append(embedded(path, datasets, folder / "embedded"))
        for name in SERVERS:
            results.append(remote(name, path, datasets, folder / name))
    report(results)
    return results


def embedded(path: Path, datasets: int, folder: Path) -> Backend:
    folder.mkdir(parents=True)
    env = {"CATALOGUE_STORE": str(folder / "store"), "CATALOGUE_INDEX": str(folder / "index"),
           "CATALOGUE_PUBLISH_DIR": str(folder / "publishing")}
    result = Backend("embedded", load=catalogue_load(path, env))
    with serving(env) as url:
        result.latencies = measure(url, datasets)
    return result


def remote(name: str, path: Path, datasets: int, folder: Path) -> Backend:
    with started(name, folder) as server:
        result = Backend(name, bulk=bulk_load(server, path, folder))
        env = server.environment(folder)
        result.load = catalogue_load(path, env)
        with serving(env | {"CATALOGUE_INDEX": str(folder / "index-one")}) as one, \
                serving(env | {"CATALOGUE_INDEX": str(folder / "index-two")}) as two:
            result.latencies = measure(one, datasets)
            result.follow = follow(one, two, folder / "publishing")
    return result


def catalogue_load(path: Path, env: dict[str, str]) -> float:
    started_at = time.perf_counter()
    subprocess.run([str(BIN / "catalogue"), "load", str(path)], env=_env(env), check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started_at


def bulk_load(server: Server, path: Path, folder: Path) -> float:
    """The server's own loader on the same file, into a graph dropped afterwards (Oxigraph:
    `oxigraph load` into a store of its own, as it cannot load into a running server)."""
    graph = graph_iri_for(workspace.BASE, path.name)
    started_at = time.perf_counter()
    if server.name == "oxigraph":
        subprocess.run([str(OXIGRAPH), "load", "--location", str(folder / "bulk"), "--file",
                        str(path), "--graph", graph], check=True, capture_output=True)
        return time.perf_counter() - started_at
    assert ISQL is not None
    staged = folder / "bulk"
    staged.mkdir()
    try:
        os.link(path, staged / path.name)
    except OSError:  # another file system
        shutil.copy(path, staged / path.name)
    started_at = time.perf_counter()
    isql(server, f"ld_dir('{staged}', '{path.name}', 'urn:bench:bulk'); rdf_loader_run(); "
                 f"checkpoint;")
    seconds = time.perf_counter() - started_at
    isql(server, "SPARQL CLEAR GRAPH <urn:bench:bulk>; DELETE FROM DB.DBA.LOAD_LIST;")
    return seconds


def isql(server: Server, statements: str) -> None:
    assert ISQL is not None and server.sql_port is not None
    subprocess.run([ISQL, f"127.0.0.1:{server.sql_port}", "dba", "dba", f"exec={statements}"],
                   check=True, capture_output=True, timeout=600)


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    port = workspace.free_port()
    process = subprocess.Popen([str(BIN / "catalogue"), "serve", "--port", str(port)],
                               env=_env(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while not _up(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"catalogue serve did not come up ({process.returncode})")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


def measure(url: str, datasets: int) -> dict[str, list[float]]:
    picks = random.Random(datasets).choices(range(datasets), k=REQUESTS + WARM_UP)
    words = ["water", "gemeente", "register", "kaart", "energie", "verkeer", "data", "bodem"]
    kinds = {
        "dataset page": [f"/doc/dataset/{n}" for n in picks],
        "list page": [f"/datasets?page={1 + n % 20}" for n in picks],
        "search": [f"/search?q={words[n % len(words)]}" for n in picks],
        "/sparql COUNT per publisher": [
            str(httpx.URL("/sparql", params={"query": COUNT_PER_PUBLISHER}))] * len(picks),
    }
    return {kind: timed(url, paths) for kind, paths in kinds.items()}


def timed(url: str, paths: list[str]) -> list[float]:
    with httpx.Client(base_url=url, timeout=120, headers={
            "Accept": "text/html, application/sparql-results+json;q=0.9"}) as client:

        def fetch(path: str) -> float:
            started_at = time.perf_counter()
            answer = client.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"{path} answered {answer.status_code}")
            return time.perf_counter() - started_at

        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(fetch, paths[:WARM_UP]))
            return list(pool.map(fetch, paths[WARM_UP:]))


def follow(one: str, two: str, publishing: Path) -> float:
    """Seconds from a publisher's PUT through one instance until the other's search finds it."""
    token = Publishers(publishing).add(ORG_A)
    title = f"Volgtest{random.randrange(10**6)}"
    graph = f"{workspace.BASE}/id/graph/follow"
    body = dataset(f"{workspace.BASE}/id/dataset/follow", ORG_A, title)
    put = httpx.put(f"{one}/store", params={"graph": graph}, content=body, timeout=120,
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"})
    if put.status_code != 201:
        raise RuntimeError(f"the publisher's PUT answered {put.status_code}: {put.text}")
    written = time.perf_counter()
    while time.perf_counter() - written < FOLLOW_LIMIT:
        if title in httpx.get(f"{two}/search", params={"q": title}, timeout=30).text:
            return time.perf_counter() - written
        time.sleep(0.1)
    return float("inf")


def report(results: list[Backend]) -> None:
    base = results[0]
    assert base.latencies is not None
    row("load", "catalogue s", "bulk s", "bulk/ours", "goal >= 0.5")
    for result in results:
        ratio = result.bulk / result.load if result.bulk else None
        row(result.name, f"{result.load:.1f}", f"{result.bulk:.1f}" if result.bulk else "-",
            f"{ratio:.2f}" if ratio else "-", ("met" if ratio >= 0.5 else "NOT met")
            if ratio else "-")
    for kind in base.latencies:
        row(kind, "p50 ms", "p95 ms", "p95 x embedded")
        embedded_p95 = workspace.percentile(base.latencies[kind], 0.95)
        for result in results:
            assert result.latencies is not None
            seconds = result.latencies[kind]
            p95 = workspace.percentile(seconds, 0.95)
            row(f"  {result.name}", f"{workspace.percentile(seconds, 0.5) * 1000:.1f}",
                f"{p95 * 1000:.1f}", f"{p95 / embedded_p95:.2f}")
    row("second instance sees a write", "seconds", "goal <= 5")
    for result in results[1:]:
        waited = result.follow if result.follow is not None else float("inf")
        row(result.name, f"{waited:.1f}", "met" if waited <= 5 else "NOT met")
    print(f"  {GOALS}", flush=True)


def _up(url: str) -> bool:
    try:
        return httpx.get(url + "/", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def _env(extra: dict[str, str]) -> dict[str, str]:
    return os.environ | {"CATALOGUE_BASE_IRI": workspace.BASE} | extra


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.remote_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=workspace.FULL_SIZES[-1])
    bench_size(parser.parse_args(argv).datasets)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
