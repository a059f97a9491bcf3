"""The write path every source takes: parse all, check all, then one transaction for all."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from catalogue.errors import GraphClash, WrittenWithoutIndex
from catalogue.ingest.formats import Origin, parse_input
from catalogue.ingest.rdf import EXTENSIONS, ParsedSource, read_source
from catalogue.ingest.skolem import skolemise
from catalogue.limits import FILE_LIMITS, Limits
from catalogue.store.base import GraphRecord, Store
from catalogue.store.terms import Triple

# A check run on the parsed graphs before anything is written; it raises to stop the write.
Check = Callable[[Mapping[str, Sequence[Triple]]], None]
# Told about every graph after it is written (the search index listens here).
Listener = Callable[[Store, Sequence[str]], None]


@runtime_checkable
class Prepares(Protocol):
    """A listener that does its work before the write, from the new triples and the store as
    it was, and returns the listener that finishes it after the write (nothing of it is kept
    when the write fails)."""

    def prepare(self, store: Store, graphs: Mapping[str, Sequence[Triple]]) -> Listener: ...


@runtime_checkable
class WorksAlongside(Protocol):
    """A prepared listener (see Prepares) with work to do while the store writes: the work
    reads only what the store held before, and nothing of it shows until the listener is
    called after the write. The write runs on a thread of its own meanwhile (a bulk load
    leaves Python's lock free, so both run at once)."""

    def alongside(self) -> None: ...

    def abandon(self) -> None:
        """The write failed: drop what `alongside` did."""


@dataclass(frozen=True)
class LoadResult:
    source: str
    graphs: tuple[str, ...]
    triples: int


# The suffixes that say a file's format: only the last one is left out of its graph name.
FORMAT_SUFFIXES = frozenset({*EXTENSIONS, ".yaml", ".yml", ".json", ".xml", ".csv", ".xlsx"})
# "adressen.openapi.yaml": the kind of document before the format, left out too (the API's IRI
# is minted from the graph name).
KIND_SUFFIXES = frozenset({".openapi", ".swagger", ".oas"})
# The suffixes the site's documents take for their representations (catalogue/web/negotiation).
_DOCUMENT_SUFFIX = re.compile(r"\.(html|ttl|jsonld|rdf|nt)$")


def graph_iri_for(base: str, name: str) -> str:
    """The graph a file lands in by default: {base}/id/graph/{file name without its format
    suffix}. The rest of the name stays, so "begrippen.v1.ttl" and "begrippen.v2.ttl", or
    "kader-0.2.ttl" and "kader-0.3.ttl", are two sources in two graphs.

    >>> graph_iri_for("https://x.nl", "Begrippen.v1.ttl")
    'https://x.nl/id/graph/begrippen.v1'
    >>> graph_iri_for("https://x.nl", "record.rdf.xml")
    'https://x.nl/id/graph/record-rdf'
    >>> graph_iri_for("https://x.nl", "adressen.openapi.yaml")
    'https://x.nl/id/graph/adressen'
    """
    path = Path(name)
    if path.suffix.lower() in FORMAT_SUFFIXES:
        path = Path(path.stem)
        if path.suffix.lower() in KIND_SUFFIXES:
            path = Path(path.stem)
    stem = path.name
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.").lower()
    # A name ending like a representation ("record.rdf" of "record.rdf.xml") would have its
    # document at /doc/graph/record.rdf, which the site reads as /doc/graph/record in RDF/XML.
    slug = _DOCUMENT_SUFFIX.sub(r"-\1", slug)
    return f"{base}/id/graph/{slug or 'source'}"


# File names that say what a file is, not which: Haal Centraal's repositories all keep their
# description as specificatie/openapi.yaml.
GENERIC_NAMES = frozenset({"openapi", "swagger", "oas", "api", "spec", "specification",
                           "index", "main", "schema", "definition"})


def default_graph(base: str, path: Path) -> str:
    """The graph a file lands in without --graph: by its name (graph_iri_for), or for an
    OpenAPI description with a name every description may have, by its title."""
    graph = graph_iri_for(base, path.name)
    if graph.rsplit("/", 1)[-1] not in GENERIC_NAMES:
        return graph
    from catalogue.ingest.openapi import is_openapi, title_of

    try:
        data = read_source(path)
    except OSError:
        return graph  # the load itself says what is wrong with it
    title = title_of(data, str(path)) if is_openapi(path.name, data) else None
    return graph_iri_for(base, f"{title}{path.suffix}") if title else graph


def _refuse_clashes(graphs: Mapping[Path, str]) -> None:
    """Two files of one load whose names give one graph would silently replace each other."""
    seen: dict[str, Path] = {}
    for path, graph in graphs.items():
        if graph in seen and seen[graph].resolve() != path.resolve():
            raise GraphClash(f"{seen[graph]} and {path} would both land in graph <{graph}>; "
                             "rename one, or load them one at a time with --graph")
        seen[graph] = path


def load_sources(
    store: Store,
    paths: Iterable[Path],
    *,
    base: str,
    graph: str | None = None,
    publisher: str | None = None,
    progress: bool = False,
    checks: Sequence[Check] = (),
    listeners: Sequence[Listener] = (),
    limits: Limits = FILE_LIMITS,
) -> list[LoadResult]:
    """Load files, each into its own graph (or all into `graph`), replacing what was there.

    Every file is parsed and checked before the first triple is written, and the write is one
    transaction: a bad file, a failed check or a kill leaves the store as it was."""
    paths = list(paths)
    # Each file's graph, once: a generic name's reads the file for its title.
    graphs = {path: graph or default_graph(base, path) for path in paths}
    if graph is None:
        _refuse_clashes(graphs)
    with without_cycle_collection():
        parsed = [
            _parse(store, path, base=base, graph=graphs[path], keep_graphs=graph is None,
                   publisher=publisher, progress=progress, limits=limits)
            for path in paths
        ]
        return write_sources(store, parsed, publisher=publisher, checks=checks,
                             listeners=listeners)


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """A load makes millions of objects (terms, rows, documents) that form no cycles; Python's
    cyclic collector would scan them over and over as they pile up (a third of the time it
    took to read the documents of a 10k-dataset load). Plain reference counting still frees
    them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(
    store: Store, path: Path, *, base: str, graph: str, keep_graphs: bool,
    publisher: str | None, progress: bool, limits: Limits,
) -> ParsedSource:
    """A file of any input format the registry knows (RDF, NL-SBB spreadsheet, OpenAPI)."""
    from catalogue.ingest.openapi import store_suggestions  # only loads pay for PyYAML

    parsed = parse_input(read_source(path), Origin(
        name=str(path), uri=path.resolve().as_uri(), graph=graph, base=base,
        keep_graphs=keep_graphs, progress=progress, limits=limits,
        publisher=publisher, location=path, suggest=store_suggestions(store)))
    skolemise(parsed.graphs, base)
    return parsed


def write_sources(
    store: Store,
    sources: Sequence[ParsedSource],
    *,
    publisher: str | None = None,
    checks: Sequence[Check] = (),
    listeners: Sequence[Listener] = (),
) -> list[LoadResult]:
    graphs: dict[str, list[Triple]] = {}
    owners: dict[str, ParsedSource] = {}
    shared: set[str] = set()
    for source in sources:
        for name, triples in source.graphs.items():
            if name in graphs:
                shared.add(name)
            graphs.setdefault(name, []).extend(triples)
            owners.setdefault(name, source)
    for name in shared:  # several sources in one graph: the record counts distinct triples
        graphs[name] = list(dict.fromkeys(graphs[name]))
    _refuse_described_elsewhere(store, sources)
    for check in checks:
        check(graphs)
    now = datetime.now(UTC).replace(microsecond=0)
    records = [
        GraphRecord(
            graph=name,
            source=owners[name].uri,
            publisher=publisher,
            loaded_at=now,
            content_hash=owners[name].content_hash,
            # As parsed: a source that repeats a triple counts it twice. (Deduplicating
            # here hashed every pyoxigraph Triple: 80 s of a 100k-dataset load.)
            triples=len(triples),
        )
        for name, triples in graphs.items()
    ]
    ready = [listener.prepare(store, graphs) if isinstance(listener, Prepares) else listener
             for listener in listeners]
    busy: list[WorksAlongside] = []
    for listener in ready:
        if isinstance(listener, WorksAlongside):
            busy.append(listener)
    _write_alongside(store, graphs, records, busy)
    for listener in ready:
        listener(store, list(graphs))
    return [
        LoadResult(source.name, tuple(source.graphs), source.triple_count) for source in sources
    ]


def _refuse_described_elsewhere(store: Store, sources: Sequence[ParsedSource]) -> None:
    """A resource we mint (an API from its OpenAPI description) that another graph types as
    well: two descriptions of one API would merge on its page (two versions, two addresses).
    Facts another graph adds about it (a licence, a theme) are no second description."""
    for source in sources:
        for iri in source.minted:
            for row in store.select(
                    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?iri a ?type } }", {"iri": iri}):
                other = row["g"].value
                if other not in source.graphs:
                    raise GraphClash(
                        f"{source.name}: <{iri}> is described already, in graph <{other}>; "
                        "this one would merge with it on one page. Name the file after its "
                        "own API, or write it into that graph to replace it "
                        "(catalogue load --graph, or PUT /store?graph=)")


def _write_alongside(store: Store, graphs: Mapping[str, Sequence[Triple]],
                     records: Sequence[GraphRecord], busy: Sequence[WorksAlongside]) -> None:
    """Write the graphs, doing the listeners' work meanwhile. The store's write is atomic by
    itself; should it fail, nothing of the listeners' work is kept. Should their work fail
    (or be interrupted), the write cannot stop halfway: it ends whole, and the failure is
    reported as such (WrittenWithoutIndex)."""
    if not busy:
        store.replace_graphs(graphs, records)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="write") as pool:
        writing = pool.submit(store.replace_graphs, graphs, records)
        done: list[WorksAlongside] = []
        try:
            for listener in busy:
                done.append(listener)
                listener.alongside()
        except BaseException as stopped:
            wait([writing])
            for listener in done:
                listener.abandon()
            writing.result()  # the write's own failure, if it failed too
            raise WrittenWithoutIndex(list(graphs), stopped) from stopped
        try:
            writing.result()
        except BaseException:
            for listener in done:
                listener.abandon()
            raise
