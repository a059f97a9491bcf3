"""What a relation picture costs a page (issue 17: at most 20 ms on a page's p95): begrip,
dataset, API and organisation pages from two real `catalogue serve` processes on copies of one
generated catalogue (with the bundled content, for its APIs), one drawing the picture and one
not (CATALOGUE_RELATION_PICTURES=false), each page asked of both one right after the other, so
that both meet the same load on a shared machine; then the picture's own service call on the
same store, in process. Prints p50/p95 per kind, and the added milliseconds and the ratio
against the pages without the picture."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench import workspace
from bench.page_bench import STARTUP_SECONDS
from bench.workspace import heading, row
from catalogue.content import load_bundled
from catalogue.ingest.load import load_sources
from catalogue.namespaces import DCAT, FOAF, SKOS
from catalogue.services.relations import relation_picture
from catalogue.store.embedded import EmbeddedStore
from catalogue.web.urls import Urls

BIN = Path(sys.executable).parent
DATASETS = 10_000  # both runs: the picture's cost does not grow with the catalogue (bounded)
PAGES_PER_KIND = 80
WARM_UP = 8
KINDS = {"begrip": SKOS + "Concept", "dataset": DCAT + "Dataset", "API": DCAT + "DataService",
         "organisation": FOAF + "Organization"}
BUDGET_MS = 20.0


def run(*, quick: bool = False) -> None:
    path = workspace.catalogue_file(DATASETS)
    directory = _store(path)
    twin = _copy(directory)
    picks = _picks(directory)
    heading(f"relations: {DATASETS:,} datasets + bundled content, {PAGES_PER_KIND} pages per "
            f"kind, each asked of two servers side by side (the same store, one drawing the "
            f"relation picture and one not), alternately first, one request at a time")
    with _serving(directory, pictures=True) as on, _serving(twin, pictures=False) as off:
        with_picture, without = _measure(on, off, picks)
    service = _service(directory, picks)
    row("", "p50 ms", "p95 ms", "no pic p50", "no pic p95", "+p95 ms", "p95 ratio", "picture p95")
    for kind in KINDS:
        a, b = with_picture[kind], without[kind]
        p95, base95 = _ms(a, 0.95), _ms(b, 0.95)
        row(f"{kind} page", f"{_ms(a, 0.5):.1f}", f"{p95:.1f}", f"{_ms(b, 0.5):.1f}",
            f"{base95:.1f}", f"{p95 - base95:+.1f}", f"{p95 / base95:.2f}",
            f"{_ms(service[kind], 0.95):.1f}")
    worst = max(_ms(with_picture[k], 0.95) - _ms(without[k], 0.95) for k in KINDS)
    print(f"  largest p95 added by the picture: {worst:+.1f} ms "
          f"({'within' if worst <= BUDGET_MS else 'OVER'} the {BUDGET_MS:.0f} ms budget)",
          flush=True)


def _store(path: Path) -> Path:
    """The generated catalogue and the bundled content in one store, made once and reused."""
    name = workspace.named(f"relations-{DATASETS}")
    directory = workspace.OUT / "stores" / name
    if not workspace.is_complete(directory, path):
        directory = workspace.fresh_dir(name)
        store = EmbeddedStore(directory)
        load_sources(store, [path], base=workspace.BASE)
        load_bundled(store, base=workspace.BASE)
        store.close()
        del store  # releases the store's lock before the server opens it
        workspace.mark_complete(directory, path)
    return directory


def _picks(directory: Path) -> dict[str, list[str]]:
    """PAGES_PER_KIND + WARM_UP IRIs of each kind, drawn with a fixed seed (with repeats where
    a kind has fewer: the bundled content has two APIs)."""
    store = EmbeddedStore(directory)
    try:
        found = {}
        for kind, type_iri in KINDS.items():
            rows = store.select(f"SELECT ?s WHERE {{ ?s a <{type_iri}> FILTER(isIRI(?s)) }} "
                                f"LIMIT 5000")
            iris = sorted(r["s"].value for r in rows)
            found[kind] = random.Random(kind).choices(iris, k=PAGES_PER_KIND + WARM_UP)
        return found
    finally:
        store.close()


def _copy(directory: Path) -> Path:
    """A second copy of the store (and its search index), for the server without pictures:
    one embedded store opens in one process only."""
    twin = directory.with_name(directory.name + "-twin")
    if not workspace.is_complete(twin, directory):
        shutil.rmtree(twin, ignore_errors=True)
        shutil.copytree(directory, twin)
        for index in directory.parent.glob(f"{directory.name}.search.sqlite*"):
            shutil.copy(index, twin.parent / index.name.replace(directory.name, twin.name, 1))
        workspace.mark_complete(twin, directory)
    return twin


@contextmanager
def _serving(directory: Path, *, pictures: bool) -> Iterator[httpx.Client]:
    """`catalogue serve` on the store, with or without relation pictures: a client for it."""
    port = workspace.free_port()
    env = {**os.environ, "CATALOGUE_RELATION_PICTURES": "true" if pictures else "false"}
    log = workspace.OUT / "logs" / f"relations-serve-{'on' if pictures else 'off'}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [str(BIN / "catalogue"), "serve", "--store", str(directory), "--port", str(port),
               "--base-iri", workspace.BASE]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60,
                          headers={"Accept": "text/html"}) as client:
            _wait(client, process, log)
            yield client
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(client: httpx.Client, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"catalogue serve exited; see {log}")
        try:
            if client.get("/graphs").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"catalogue serve not answering after {STARTUP_SECONDS} s")


def _measure(on: httpx.Client, off: httpx.Client, picks: dict[str, list[str]]
             ) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Seconds per page with and without the picture: each page asked of both servers one
    right after the other (who goes first alternates), so both meet the same load."""
    urls = Urls(workspace.BASE)
    with_picture: dict[str, list[float]] = {}
    without: dict[str, list[float]] = {}
    for kind, iris in picks.items():
        with_picture[kind], without[kind] = [], []
        drawn = 0
        for n, iri in enumerate(iris):
            path = urls.resource(iri)
            order = ((on, with_picture), (off, without)) if n % 2 else \
                ((off, without), (on, with_picture))
            for client, found in order:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}")
                if n >= WARM_UP:
                    found[kind].append(elapsed)
                    drawn += client is on and 'class="relations"' in response.text
                elif client is off and 'class="relations"' in response.text:
                    raise RuntimeError("the server without pictures drew one")
        print(f"  {kind}: {drawn} of {len(iris) - WARM_UP} pages have a picture", flush=True)
    return with_picture, without


def _service(directory: Path, picks: dict[str, list[str]]) -> dict[str, list[float]]:
    """The picture's service call alone (its queries and layout), on the same store."""
    store = EmbeddedStore(directory)
    try:
        found = {}
        for kind, iris in picks.items():
            seconds = []
            for n, iri in enumerate(iris):
                started = time.perf_counter()
                relation_picture(store, iri, lang="nl")
                if n >= WARM_UP:
                    seconds.append(time.perf_counter() - started)
            found[kind] = seconds
        return found
    finally:
        store.close()


def _ms(seconds: list[float], fraction: float) -> float:
    return workspace.percentile(seconds, fraction) * 1000
