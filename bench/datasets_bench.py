"""Datasets and APIs: list page, facet filter, dataset search, a facet's "more" view and value
search, and the dataset page, p50/p95 from the real `catalogue serve` (facets and sort keys
from the search index), against the same list page answered by SPARQL aggregates on the same
store; harvest throughput from a loopback feed server against a local load of the same
triples; import time of the largest shared OpenAPI description against a bare YAML parse of
it."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench import page_bench, workspace
from bench.generate import FORMATS, THEMES, WORDS_NL, organisations
from bench.workspace import heading, row
from catalogue.ingest.harvest import harvest
from catalogue.ingest.load import load_sources, write_sources
from catalogue.ingest.openapi import parse_openapi, read_document
from catalogue.search import SearchIndex, index_listener
from catalogue.store.embedded import EmbeddedStore

BIN = Path(sys.executable).parent
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
# Requests per kind of page (BENCH_REQUESTS: fewer for a quick look on a busy machine).
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
HARVEST_DATASETS = 10_000
PAGE_RECORDS = 100
SPARQL_REPEATS = 5


def run(*, quick: bool = False) -> None:
    for datasets in workspace.QUICK_SIZES if quick else workspace.FULL_SIZES:
        list_pages(datasets)
    harvest_throughput()
    openapi_import()


# -- list and search pages --------------------------------------------------------------------

def list_pages(datasets: int) -> None:
    path = workspace.catalogue_file(datasets)
    heading(f"datasets: {datasets:,} datasets, {REQUESTS} requests per kind, "
            f"{page_bench.CONCURRENCY} concurrent clients")
    store_dir = _own_store(path, datasets)
    index_path = store_dir.with_name(f"{store_dir.name}.search.sqlite")
    if not index_path.exists():
        started = time.perf_counter()
        subprocess.run([str(BIN / "catalogue"), "reindex", "--store", str(store_dir)],
                       check=True, env=_env(index_path), stdout=subprocess.DEVNULL)
        row("search index build (once)", f"{time.perf_counter() - started:.1f} s")
    rng = random.Random(datasets)
    pages = max(1, datasets // 20)
    count = REQUESTS + page_bench.WARM_UP
    lists = [f"/datasets?page={rng.randint(1, min(pages, 500))}" for _ in range(count)]
    filtered = [_filter_path(rng, datasets) for _ in range(count)]
    searches = [f"/datasets?q={rng.choice(WORDS_NL)}+{rng.choice(WORDS_NL)}"
                for _ in range(count)]
    more = [f"/datasets?more={rng.choice(('theme', 'publisher'))}" +
            (f"&more_q={rng.choice(WORDS_NL)[:4]}" if rng.random() < 0.5 else "")
            for _ in range(count)]
    records = [f"/doc/dataset/{rng.randrange(datasets)}" for _ in range(count)]
    port = workspace.free_port()
    results = []
    with _Served(store_dir, index_path, port):
        for name, paths, accept in (
            ("list page (HTML)", lists, "text/html"),
            ("facet filter (HTML)", filtered, "text/html"),
            ("dataset search (HTML)", searches, "text/html"),
            ("list, filter, search (JSON)", [*lists[:count // 3], *filtered[:count // 3],
                                             *searches[:count - 2 * (count // 3)]],
             "application/json"),
            ("facet more / value search (HTML)", more, "text/html"),
            ("dataset page (HTML)", records, "text/html"),
        ):
            results.append(page_bench._measure(name, port, paths, accept))
    reference = _sparql_list(store_dir)
    row("", "p50 ms", "p95 ms", "requests/s", "p95 goal ms", "x SPARQL page")
    for result in results:
        row(result.name, f"{result.p50:.1f}", f"{result.p95:.1f}", f"{result.throughput:,.0f}",
            "100", f"{result.p95 / reference:.3f}")
    row("same page by SPARQL aggregates", f"{reference:.0f}", "", "", "", "1.000")


def _own_store(path: Path, datasets: int) -> Path:
    """A store of our own (others' benchmarks rebuild theirs while we run), loaded once by
    the product's atomic path."""
    name = workspace.named(f"datasets-{datasets}")
    directory = workspace.OUT / "stores" / name
    if not workspace.is_complete(directory, path):
        directory = workspace.fresh_dir(name)
        directory.with_name(f"{name}.search.sqlite").unlink(missing_ok=True)
        started = time.perf_counter()
        store = EmbeddedStore(directory)
        load_sources(store, [path], base=workspace.BASE)
        store.close()
        del store  # releases the lock before the server opens it
        workspace.mark_complete(directory, path)
        row("store load (once)", f"{time.perf_counter() - started:.1f} s")
    return directory


def _filter_path(rng: random.Random, datasets: int) -> str:
    """A list with one facet value chosen, as people ask for it (in the linked shape: a begrip
    among N/2 as theme, a publisher among N/30)."""
    linked = workspace.SHAPE == "linked"
    choice = rng.random()
    if choice < 0.45:
        theme = f"{workspace.BASE}/id/begrip/{rng.randrange(max(1, datasets // 2))}" \
            if linked and rng.random() < 0.5 else \
            f"http://publications.europa.eu/resource/authority/data-theme/{rng.choice(THEMES)}"
        return f"/datasets?theme={theme}&sort=modified"
    if choice < 0.75:
        fmt = rng.choice(FORMATS)[0]
        return f"/datasets?format=http://publications.europa.eu/resource/authority/file-type/{fmt}"
    if linked:
        return f"/datasets?publisher={workspace.BASE}/id/organisatie/" \
               f"{rng.randrange(max(1, datasets // 30))}"
    return f"/datasets?publisher={rng.choice(organisations())}"


def _env(index_path: Path) -> dict[str, str]:
    return {**os.environ, "CATALOGUE_INDEX": str(index_path),
            "CATALOGUE_BASE_IRI": workspace.BASE}


class _Served(page_bench._server):
    def __init__(self, store_dir: Path, index_path: Path, port: int) -> None:
        super().__init__("catalogue-datasets", [
            str(BIN / "catalogue"), "serve", "--store", str(store_dir), "--port", str(port),
            "--base-iri", workspace.BASE], port, "/datasets")
        self.env = _env(index_path)

    def __enter__(self) -> None:
        # page_bench's server inherits the environment: set the index path for the child only.
        saved = os.environ.get("CATALOGUE_INDEX")
        os.environ["CATALOGUE_INDEX"] = self.env["CATALOGUE_INDEX"]
        try:
            super().__enter__()
        finally:
            if saved is None:
                os.environ.pop("CATALOGUE_INDEX", None)
            else:
                os.environ["CATALOGUE_INDEX"] = saved


def _sparql_list(store_dir: Path) -> float:
    """The reference: one list page as SPARQL would answer it (sorted page + publisher and
    theme counts), median ms, on the same store in this process."""
    store = EmbeddedStore(store_dir)
    dcat, dct = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
    queries = [
        f"SELECT ?d ?t WHERE {{ ?d a <{dcat}Dataset> ; <{dct}title> ?t }} ORDER BY ?t LIMIT 20",
        f"SELECT ?p (COUNT(?d) AS ?n) WHERE {{ ?d a <{dcat}Dataset> ; <{dct}publisher> ?p }} "
        f"GROUP BY ?p ORDER BY DESC(?n) LIMIT 50",
        f"SELECT ?v (COUNT(?d) AS ?n) WHERE {{ ?d a <{dcat}Dataset> ; <{dcat}theme> ?v }} "
        f"GROUP BY ?v ORDER BY DESC(?n) LIMIT 50",
    ]
    times = []
    try:
        for _ in range(SPARQL_REPEATS):
            started = time.perf_counter()
            for query in queries:
                store.select(query)
            times.append(time.perf_counter() - started)
    finally:
        store.close()
        del store
    return workspace.median(times) * 1000


# -- harvest ----------------------------------------------------------------------------------

def harvest_throughput() -> None:
    source = workspace.catalogue_file(HARVEST_DATASETS)
    pages = _feed_pages(source)
    heading(f"harvest: {HARVEST_DATASETS:,} datasets in {len(pages)} Turtle pages of "
            f"{PAGE_RECORDS} from a loopback server")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(pages))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        store, index = EmbeddedStore(), SearchIndex()
        started = time.perf_counter()
        result = harvest(store, f"http://127.0.0.1:{server.server_address[1]}/feed/1",
                         base=workspace.BASE, listeners=[index_listener(index)],
                         timeout=3600, max_bytes=2 * 1024**3)
        harvest_seconds = time.perf_counter() - started
    finally:
        server.shutdown()
        server.server_close()
    records = len([r for r in result.records if r.kind == "Dataset"])
    local = EmbeddedStore()
    local_index = SearchIndex()
    started = time.perf_counter()
    load_sources(local, [source], base=workspace.BASE, listeners=[index_listener(local_index)])
    local_seconds = time.perf_counter() - started
    row("", "seconds", "records/s", "x local load")
    row("harvest (HTTP, 100 pages, indexed)", f"{harvest_seconds:.1f}",
        f"{records / harvest_seconds:,.0f}", f"{harvest_seconds / local_seconds:.2f}")
    row("local load of the same file", f"{local_seconds:.1f}",
        f"{HARVEST_DATASETS / local_seconds:,.0f}", "1.00")


def _feed_pages(source: Path) -> list[bytes]:
    """The N-Triples file cut into Turtle pages of PAGE_RECORDS datasets, Hydra-linked (the
    generator writes each dataset's triples together)."""
    marker = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>"
    chunks: list[list[str]] = [[]]
    seen = 0
    for line in source.read_text(encoding="utf-8").splitlines():
        if marker in line:
            if seen and seen % PAGE_RECORDS == 0:
                chunks.append([])
            seen += 1
        chunks[-1].append(line)
    pages = []
    for number, lines in enumerate(chunks, start=1):
        if number < len(chunks):
            lines.append(f"<{number}> <http://www.w3.org/ns/hydra/core#next> <{number + 1}> .")
        pages.append("\n".join(lines).encode())
    return pages


def _handler(pages: list[bytes]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            number = int(self.path.rsplit("/", 1)[-1]) - 1
            body = pages[number]
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


# -- OpenAPI import ---------------------------------------------------------------------------

def openapi_import() -> None:
    specs = sorted((SHARED / "apis" / "openapi").glob("*"), key=lambda p: p.stat().st_size)
    if not specs:
        print("  (no shared OpenAPI specs: skipped)")
        return
    largest = specs[-1]
    data = largest.read_bytes()
    heading(f"OpenAPI import: {largest.name} ({len(data) / 1024:.0f} KB)")
    yaml_seconds = _best(lambda: read_document(data, largest.name))

    def full() -> None:
        store = EmbeddedStore()
        parsed = parse_openapi(data, name=largest.name, uri=largest.as_uri(),
                               graph=f"{workspace.BASE}/id/graph/spec", base=workspace.BASE,
                               location=largest)
        write_sources(store, [parsed], listeners=[index_listener(SearchIndex())])

    import_seconds = _best(full)
    row("", "seconds", "x YAML parse")
    row("import (parse, map, ADR, write, index)", f"{import_seconds:.2f}",
        f"{import_seconds / yaml_seconds:.2f}")
    row("YAML parse alone", f"{yaml_seconds:.2f}", "1.00")


def _best(function: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)
