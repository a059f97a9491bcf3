"""The scale run: one command that generates N datasets (1M by default: about 40M triples in
the linked shape), loads them embedded with `catalogue load` (store and search index), and
prints the load time, store and index size, peak memory of the load, and p95 with one client
of the list page, a facet filter, dataset search, the dataset page and a /sparql point lookup.

The load goes as a registry of that size is filled: one graph per harvested portal, each its own
`catalogue load` (its own transaction), here parts of PART datasets (10,000) cut from the
generated file, the begrippen and organisations first. One `catalogue load` of the whole file
would hold it parsed in memory (about 9 GB per 100k datasets of the linked shape), more than
this machine has at 1M; a part needs about a tenth of that.

    make bench-scale                                  # 1M datasets, linked shape
    python -m bench.scale --datasets 20000 --shape plain

Files go to BENCH_OUT (default bench/out): the 1M run needs about 15 GB of N-Triples and
store there. The generated file and the loaded store are kept and reused (delete them, or
pass --reload, to load again)."""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench import workspace
from bench.generate import SHAPES, THEMES, WORDS_NL
from bench.page_bench import _server
from bench.workspace import heading, row

BIN = Path(sys.executable).parent
REQUESTS = 100
GOAL_MS = 300
PART = 10_000  # datasets per loaded graph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=1_000_000)
    parser.add_argument("--shape", choices=SHAPES, default="linked")
    parser.add_argument("--requests", type=int, default=REQUESTS, help="per kind of request")
    parser.add_argument("--reload", action="store_true", help="load again into a new store")
    parser.add_argument("--part", type=int, default=PART,
                        help="datasets per graph, each loaded by its own `catalogue load`")
    args = parser.parse_args(argv)
    workspace.use_shape(args.shape)
    started = time.perf_counter()
    path = workspace.catalogue_file(args.datasets)
    triples = workspace.triple_count(path)
    heading(f"scale: {args.datasets:,} datasets, {triples:,} triples, "
            f"{path.stat().st_size >> 20:,} MB N-Triples (generated or reused in "
            f"{time.perf_counter() - started:.0f} s)")
    store = workspace.OUT / "stores" / workspace.named(f"scale-{args.datasets}")
    index = store.with_name(store.name + ".search.sqlite")
    if args.reload or not workspace.is_complete(store, path):
        load(path, split(path, args.part), store, triples)
    else:
        row("load", "kept from an earlier run (--reload to load again)")
    row("store size", f"{workspace.dir_size(store) / 2**20:,.0f} MB")
    index_bytes = sum(f.stat().st_size for f in index.parent.glob(index.name + "*"))
    row("search index size", f"{index_bytes / 2**20:,.0f} MB")
    serve(store, args.datasets, args.requests)
    return 0


def split(path: Path, part: int) -> list[Path]:
    """The generated file cut into parts of `part` datasets (kept beside it and reused), the
    part with the begrippen and organisations first. A cut falls only before a dataset's first
    line (`<catalogus> dcat:dataset <dataset>`), so a dataset's blank nodes stay in its part."""
    folder = path.with_name(f"{path.stem}.parts-{part}")
    done = folder / "complete"
    if done.exists():
        return sorted(folder.glob("*.nt"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    catalog = f"<{workspace.BASE}/id/catalogus/".encode()
    vocabulary = (f"<{workspace.BASE}/id/begrip".encode(),
                  f"<{workspace.BASE}/id/organisatie/".encode())
    number, seen = 0, 0
    out = (folder / "datasets-0000.nt").open("wb")
    rest = (folder / "0-begrippen-en-organisaties.nt").open("wb")
    with path.open("rb") as lines:
        for line in lines:
            if line.startswith(vocabulary):
                rest.write(line)
                continue
            if line.startswith(catalog) and b"dcat#dataset>" in line:
                if seen == part:
                    out.close()
                    number, seen = number + 1, 0
                    out = (folder / f"datasets-{number:04d}.nt").open("wb")
                seen += 1
            out.write(line)
    out.close()
    rest.close()
    done.write_text(path.name)
    return sorted(folder.glob("*.nt"))


def load(source: Path, parts: list[Path], store: Path, triples: int) -> None:
    """`catalogue load` of each part into a new store, as an operator would run a harvest per
    portal; the peak memory of the largest from the kernel's count for finished children."""
    store = workspace.fresh_dir(store.name)
    started = time.perf_counter()
    seconds: list[float] = []
    for part in parts:
        began = time.perf_counter()
        subprocess.run([str(BIN / "catalogue"), "load", "--store", str(store), str(part)],
                       check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "CATALOGUE_BASE_IRI": workspace.BASE})
        seconds.append(time.perf_counter() - began)
        if len(seconds) in (1, 2) or len(seconds) % 10 == 0 or len(seconds) == len(parts):
            row(f"  part {len(seconds)} of {len(parts)} ({part.name})", f"{seconds[-1]:,.1f} s",
                f"total {time.perf_counter() - started:,.0f} s")
    total = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    workspace.mark_complete(store, source)
    row("catalogue load (store + search index)", f"{total:,.0f} s",
        f"{triples / total:,.0f} triples/s", f"peak RSS {peak_mb:,.0f} MB")
    if len(seconds) > 2:
        datasets = seconds[1:]
        row("  a part of datasets: first, last", f"{datasets[0]:,.1f} s", f"{datasets[-1]:,.1f} s")


def serve(store: Path, datasets: int, requests: int) -> None:
    """p50 and p95 of each kind of request, one client, against `catalogue serve`."""
    rng = random.Random(datasets)
    linked = workspace.SHAPE == "linked"
    theme = (lambda: f"{workspace.BASE}/id/begrip/{rng.randrange(datasets // 2)}") if linked \
        else (lambda: f"http://publications.europa.eu/resource/authority/data-theme/"
                      f"{rng.choice(THEMES)}")
    sparql = "SELECT ?p ?o WHERE {{ <{}/id/dataset/{}> ?p ?o }}"
    kinds = {
        "list page": lambda: f"/datasets?page={rng.randint(1, 500)}",
        "facet filter": lambda: f"/datasets?theme={theme()}",
        "dataset search": lambda: f"/datasets?q={rng.choice(WORDS_NL)}+{rng.choice(WORDS_NL)}",
        "dataset page": lambda: f"/doc/dataset/{rng.randrange(datasets)}",
        "/sparql point lookup": lambda: str(httpx.URL("/sparql", params={
            "query": sparql.format(workspace.BASE, rng.randrange(datasets))})),
    }
    port = workspace.free_port()
    command = [str(BIN / "catalogue"), "serve", "--store", str(store), "--port", str(port),
               "--base-iri", workspace.BASE]
    started = time.perf_counter()
    with _server("catalogue-scale", command, port, "/datasets"), \
            httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
        row("server start (first answer)", f"{time.perf_counter() - started:.1f} s")
        row("", "p50 ms", "p95 ms", "goal p95 ms (1 client)")
        for name, make in kinds.items():
            accept = "application/sparql-results+json" if "sparql" in name else "text/html"
            times = []
            for number in range(requests + 5):
                path = make()
                began = time.perf_counter()
                response = client.get(path, headers={"Accept": accept})
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}")
                if number >= 5:  # the first few warm caches
                    times.append(time.perf_counter() - began)
            row(name, f"{workspace.percentile(times, 0.5) * 1000:.1f}",
                f"{workspace.percentile(times, 0.95) * 1000:.1f}", str(GOAL_MS))


if __name__ == "__main__":
    raise SystemExit(main())
