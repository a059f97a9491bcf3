"""The one way a /sparql query runs on the embedded store: in a query thread, with a timeout.

pyoxigraph evaluates in the calling thread with the GIL released, and cannot interrupt a query.
So a query runs in one of a fixed number of daemon threads while the event loop serves on;
past the timeout its client gets QueryTimeout (503) and the runner calls `on_runaway`: a SPARQL
front process (web/front.py) then stops accepting, lets its other requests finish and exits,
which ends the query, and a new front takes its place. Where no process can be given up (a
test client of `create_app`, or an in-memory store), the thread runs the query to its end.

A front reads its own read-only view of the on-disk store (`ReadOnlyView`). Opening one replays
the writer's write-ahead log (9.4 s after two 200k-triple writes); the writer therefore flushes
after every write that readers in other processes must see, and a view opens in milliseconds.
Should one still take long, queries read the previous view (a consistent snapshot a moment old)
rather than wait past a second.
"""

from __future__ import annotations

import asyncio
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph

from catalogue.errors import NotAcceptable, QuerySyntaxError, QueryTimeout
from catalogue.store.guard import refuse_writes_and_service
from catalogue.store.shared import WriteCounter


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """One /sparql query; formats are pyoxigraph format names, one per kind of result
    (None: the client accepts no format for that kind)."""

    query: str
    results_format: str | None = "JSON"
    graph_format: str | None = "TURTLE"
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QueryAnswer:
    media_type: str
    body: bytes


class StoreView(Protocol):
    def current(self) -> pyoxigraph.Store:
        """The store to read now."""
        ...

    def renew(self) -> pyoxigraph.Store:
        """A fresh view, after the current one failed to read (the writer's compactions may
        have removed files it still named)."""
        ...


class SameStore:
    """The process's own store (in memory, or the writer's on-disk store)."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    def current(self) -> pyoxigraph.Store:
        return self.store

    def renew(self) -> pyoxigraph.Store:
        return self.store


class ReadOnlyView:
    """A read-only view of the on-disk store at `path`, renewed when the writer's count moves
    (a read-only RocksDB instance sees the data as it was when opened).

    A new view is opened in a thread of its own; a query waits up to `patience` seconds for it
    (so a client reads its own write), then reads the previous view rather than wait longer."""

    def __init__(self, path: str, writes: WriteCounter, *, patience: float = 1.0) -> None:
        self.path = path
        self.writes = writes
        self.patience = patience
        self._lock = threading.Lock()
        self._store: pyoxigraph.Store | None = None
        self._generation = -1
        self._opening: threading.Event | None = None

    def current(self) -> pyoxigraph.Store:
        generation = self.writes.get()
        store = self._store
        if store is not None and generation == self._generation:
            return store
        with self._lock:
            opening = self._opening
            if opening is None:
                opening = self._opening = threading.Event()
                threading.Thread(target=self._open_later, args=(generation, opening),
                                 name="view", daemon=True).start()
        opening.wait(None if store is None else self.patience)
        return self._store or self._open(generation)

    def renew(self) -> pyoxigraph.Store:
        return self._open(self.writes.get())

    def _open(self, generation: int) -> pyoxigraph.Store:
        store = _open_read_only(self.path)
        with self._lock:
            if generation >= self._generation:
                self._store, self._generation = store, generation
            return self._store or store

    def _open_later(self, generation: int, opening: threading.Event) -> None:
        try:
            self._open(generation)
        finally:
            with self._lock:
                self._opening = None
            opening.set()


def _open_read_only(path: str, *, tries: int = 50) -> pyoxigraph.Store:
    """A read-only instance of the store at `path`. The writer's compactions (which follow its
    flushes) delete files that the manifest being read may still name: RocksDB then reports
    corruption or a missing file, and a second try a moment later reads the next manifest."""
    for _ in range(tries - 1):
        try:
            return pyoxigraph.Store.read_only(path)
        except (OSError, RuntimeError):
            time.sleep(0.02)
    return pyoxigraph.Store.read_only(path)


class QueryRunner:
    """Runs /sparql queries on a view in `threads` daemon threads, each bounded by `timeout`
    seconds (waiting for a thread included)."""

    def __init__(self, view: StoreView, *, threads: int, timeout: float,
                 on_runaway: Callable[[], None] | None = None) -> None:
        self.view = view
        self.timeout = timeout
        self.on_runaway = on_runaway
        self._work: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads = threads
        for number in range(threads):
            threading.Thread(target=self._serve, name=f"query-{number}", daemon=True).start()

    def close(self) -> None:
        """Let the query threads end once the queries they run have ended."""
        for _ in range(self._threads):
            self._work.put(None)

    async def answer(self, request: QueryRequest) -> QueryAnswer:
        """The serialised result; Forbidden for updates and SERVICE, QuerySyntaxError,
        NotAcceptable, or QueryTimeout past the timeout."""
        refuse_writes_and_service(request.query)
        loop = asyncio.get_running_loop()
        done: asyncio.Future[QueryAnswer] = loop.create_future()
        self._work.put(_Job(request, loop, done))
        # A timer on the future itself: lighter than asyncio.wait_for, which wraps it.
        timer = loop.call_later(self.timeout, _expire, done, self.timeout)
        try:
            return await done
        except QueryTimeout:
            if self.on_runaway is not None:
                self.on_runaway()
            raise
        finally:
            timer.cancel()

    def _serve(self) -> None:
        while (job := self._work.get()) is not None:
            if job.done.cancelled():  # its client gave up while it waited for a thread
                continue
            try:
                outcome: QueryAnswer | BaseException = self._run(job.request)
            except Exception as exc:  # handed to the waiting request, which raises it
                outcome = exc
            job.loop.call_soon_threadsafe(_settle, job.done, outcome)

    def _run(self, request: QueryRequest) -> QueryAnswer:
        try:
            return run(self.view.current(), request)
        except (OSError, RuntimeError):
            # The writer's compactions removed files this view still named.
            return run(self.view.renew(), request)


@dataclass(frozen=True, slots=True)
class _Job:
    request: QueryRequest
    loop: asyncio.AbstractEventLoop
    done: asyncio.Future[QueryAnswer]


def _expire(done: asyncio.Future[QueryAnswer], timeout: float) -> None:
    if not done.done():
        done.set_exception(QueryTimeout.after(timeout))


def _settle(done: asyncio.Future[QueryAnswer], outcome: QueryAnswer | BaseException) -> None:
    if done.done():
        return
    if isinstance(outcome, BaseException):
        done.set_exception(outcome)
    else:
        done.set_result(outcome)


def run(store: pyoxigraph.Store, request: QueryRequest) -> QueryAnswer:
    """The query's result, serialised by pyoxigraph in the request's format."""
    options: dict[str, object] = {}
    if request.default_graphs or request.named_graphs:
        options["default_graph"] = [pyoxigraph.NamedNode(g) for g in request.default_graphs]
        if request.named_graphs:
            options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in request.named_graphs]
    else:
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(request.query, **options)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise QuerySyntaxError(syntax_message(str(exc))) from None
    if isinstance(result, pyoxigraph.QueryTriples):
        if request.graph_format is None:
            # The result is dropped here, in its thread: the error goes to the event loop's,
            # where pyoxigraph would refuse to drop it (a traceback in the log each time).
            del result
            raise NotAcceptable("no accepted RDF format for a CONSTRUCT or DESCRIBE")
        graph_format: pyoxigraph.RdfFormat = getattr(pyoxigraph.RdfFormat, request.graph_format)
        return QueryAnswer(graph_format.media_type, result.serialize(format=graph_format) or b"")
    if request.results_format is None:
        del result
        raise NotAcceptable("no accepted results format for a SELECT or ASK")
    results_format: pyoxigraph.QueryResultsFormat = getattr(
        pyoxigraph.QueryResultsFormat, request.results_format
    )
    return QueryAnswer(results_format.media_type,
                       result.serialize(format=results_format) or b"")


def check_syntax(query: str) -> None:
    """QuerySyntaxError (with line and column) unless `query` is one SPARQL 1.1 query, read by
    the engine's own parser; for stores whose server would read other dialects."""
    refuse_writes_and_service(query)
    try:
        # Parsing needs a store; an empty one evaluates nothing of note (SERVICE is refused).
        pyoxigraph.Store().query(query)
    except SyntaxError as exc:
        raise QuerySyntaxError(syntax_message(str(exc))) from None


def syntax_message(parser_message: str) -> str:
    """'error at 3:14: expected ...' -> 'SPARQL syntax error at line 3, column 14: expected ...'"""
    found = re.match(r"error at (\d+):(\d+): (.*)", parser_message, re.DOTALL)
    if found is None:
        return f"SPARQL syntax error: {parser_message}"
    line, column, message = found.groups()
    return f"SPARQL syntax error at line {line}, column {column}: {message}"
