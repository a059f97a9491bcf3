"""SPARQL front processes of `catalogue serve` on an on-disk store. Each accepts connections on
the public socket (shared by fd), answers GET /sparql?query= itself from its own read-only view
of the store, and passes every other request to the app process over a Unix socket.

Why (bench/sparql_bench.py, 2 cores): handing each query to a worker process cost an IPC hop
each way and kept point lookups at 0.35x of `oxigraph serve`; answering in the process that
parsed the request reaches the goal. pyoxigraph cannot interrupt a query, so it runs in a
thread (pyoxigraph releases the GIL) while the event loop serves on; past the timeout the front
answers 503, stops accepting, finishes its other requests and exits, which ends the query, and
the app process starts a new front (`Fronts`).

A query whose shape (its text with IRIs and strings blanked) ran in a thread on under 5 ms of
CPU three times in a row runs on the event loop itself, saving the two thread hand-overs. Should
such a query run past the timeout after all, a watchdog thread answers its 503 and ends the
front, dropping the other requests that front held (`Watchdog`).

Run by `Fronts`, never by hand: `python -m catalogue.web.front --listen-fd N ...`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph
import uvicorn
from starlette.types import Message, Receive, Scope, Send

from catalogue.errors import Forbidden, QueryTimeout
from catalogue.store import query_worker
from catalogue.store.shared import WriteCounter
from catalogue.store.workers import QueryRequest, refuse_service
from catalogue.web.views.sparql import CORS_RAW, fast_get, send_whole

log = logging.getLogger("catalogue.front")

# Headers that belong to one connection, not to the request or response they travel with.
_HOP_BY_HOP = frozenset({
    b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te",
    b"trailer", b"transfer-encoding", b"upgrade",
})
# The front's own server adds these to what it passes back.
_OWN = _HOP_BY_HOP | {b"date", b"server"}
# Query threads per front. With 2 fronts on 2 cores, 4 each kept requests/s of an aggregate
# (COUNT per theme, 16 clients) and brought its p95 from 80-115 ms to 72-82 ms, Oxigraph's
# (87 ms); 2 each queued more; 8 each lost requests/s to switching.
QUERY_THREADS = 4
_QUICK_EXIT = 2.0  # seconds: a front that exits sooner failed to start


class StoreView:
    """A read-only view of the on-disk store, reopened when the writer's count moves (a
    read-only RocksDB instance sees the data as it was when opened)."""

    def __init__(self, path: str, writes: WriteCounter) -> None:
        self.path = path
        self.writes = writes
        self._lock = threading.Lock()
        self._generation = -1
        self._store: pyoxigraph.Store | None = None

    def run(self, request: tuple[object, ...]) -> tuple[str, str, object, Cost]:
        """query_worker.run on the current view (in a query thread or on the event loop), and
        what the query cost (not counting a reopened view)."""
        store = self._current()
        cost = Cost.start()
        try:
            kind, media_type, body = query_worker.run(store, request)
        except OSError:
            # The writer's compactions may have removed files this view still named.
            store = self._current(reopen=True)
            cost = Cost.start()
            kind, media_type, body = query_worker.run(store, request)
        return kind, media_type, body, cost.stop()

    def _current(self, *, reopen: bool = False) -> pyoxigraph.Store:
        generation = self.writes.get()
        store = self._store
        if store is not None and generation == self._generation and not reopen:
            return store
        with self._lock:
            if self._store is None or self._generation != generation or reopen:
                self._store = pyoxigraph.Store.read_only(self.path)
                self._generation = generation
            return self._store


@dataclass(frozen=True)
class Cost:
    """What one query took: CPU seconds of the thread it ran in (pyoxigraph evaluates in the
    calling thread), and wall-clock seconds."""

    cpu: float
    wall: float

    @classmethod
    def start(cls) -> Cost:
        return cls(time.thread_time(), time.perf_counter())

    def stop(self) -> Cost:
        return Cost(time.thread_time() - self.cpu, time.perf_counter() - self.wall)


class QueryShapes:
    """Which queries are cheap enough to run on the event loop: those whose shape ran in a
    thread `proofs` times in a row within `cheap` CPU seconds and `wall` seconds, and never
    past either on the loop.

    CPU time judges the query itself: under load a thread waits its turn for a core, and on
    wall time alone a busy moment would keep (or bar) cheap shapes from the loop. The wall
    bound keeps out what waits on the disk instead."""

    # IRIs and string literals: what changes between the queries of one client's loop.
    _VARYING = re.compile(r"<[^<>\"{}|^`\\\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")

    def __init__(self, *, cheap: float = 0.005, wall: float = 0.05, proofs: int = 3,
                 size: int = 4096) -> None:
        self.cheap = cheap
        self.wall = wall
        self.proofs = proofs
        self.size = size
        self._runs: OrderedDict[tuple[object, ...], int] = OrderedDict()  # -1: never inline

    def key(self, request: QueryRequest) -> tuple[object, ...]:
        return (self._VARYING.sub("<>", request.query), request.results_format,
                request.graph_format, request.default_graphs, request.named_graphs)

    def inline(self, key: tuple[object, ...]) -> bool:
        return self._runs.get(key, 0) >= self.proofs

    def ran(self, key: tuple[object, ...], cost: Cost, *, inline: bool) -> None:
        """Count a cheap run. One past the CPU bound in a thread starts the count again (its
        data may not have been cached yet), and on the event loop bars the shape for good; one
        past the wall bound (a wait, not work) starts the count again wherever it ran."""
        runs = self._runs.get(key, 0)
        if runs >= 0:  # else barred
            if cost.cpu > self.cheap:
                runs = -1 if inline else 0
            elif cost.wall > self.wall:
                runs = 0
            else:
                runs += 1
        self._runs[key] = runs
        self._runs.move_to_end(key)
        if len(self._runs) > self.size:
            self._runs.popitem(last=False)


class Watchdog:
    """Ends the process when a query on the event loop runs past its deadline (the loop is
    stuck in it, so nothing else can), after writing the 503 to that client's connection.
    Arming costs two assignments: the answer is worded only when the watchdog fires."""

    def __init__(self, *, every: float = 0.2) -> None:
        self.deadline = 0.0
        self.request: tuple[Scope, Send, float] | None = None
        self._every = every
        threading.Thread(target=self._watch, name="watchdog", daemon=True).start()

    def arm(self, seconds: float, scope: Scope, send: Send) -> None:
        self.request = (scope, send, seconds)
        self.deadline = time.monotonic() + seconds

    def disarm(self) -> None:
        self.deadline = 0.0

    def _watch(self) -> None:
        while True:
            time.sleep(self._every)
            deadline, request = self.deadline, self.request
            if deadline and request is not None and time.monotonic() > deadline:
                log.warning("front %d: a query on the event loop ran past the timeout; ending "
                            "this front", os.getpid())
                scope, send, seconds = request
                fd = _socket_of(send)
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.write(fd, _timeout_answer(scope, seconds))
                os._exit(3)


class Front:
    """The ASGI app of one front process."""

    def __init__(self, view: StoreView, app_socket: str, *, timeout: float) -> None:
        self.view = view
        self.timeout = timeout
        self.server: uvicorn.Server | None = None
        self.shapes = QueryShapes()
        self._watchdog = Watchdog()
        self._threads = ThreadPoolExecutor(QUERY_THREADS, thread_name_prefix="query")
        self._app = httpx.AsyncClient(
            transport=httpx.AsyncHTTPTransport(uds=app_socket), timeout=None,
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=64),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] == "/sparql" and scope["method"] == "GET":
            request = fast_get(scope)
            if request is not None and await self._answer(request, scope, send):
                return
        await self._pass_on(scope, receive, send)

    async def _answer(self, request: QueryRequest, scope: Scope, send: Send) -> bool:
        """Answer a query from our view; False leaves it to the app (errors are its to word)."""
        try:
            refuse_service(request.query)
        except Forbidden:
            return False
        key = self.shapes.key(request)
        inline = self.shapes.inline(key)
        if inline:
            self._watchdog.arm(self.timeout, scope, send)
            try:
                kind, media_type, body, cost = self.view.run(request.as_tuple())
            finally:
                self._watchdog.disarm()
        else:
            loop = asyncio.get_running_loop()
            work = loop.run_in_executor(self._threads, self.view.run, request.as_tuple())
            try:
                kind, media_type, body, cost = await asyncio.wait_for(work, self.timeout)
            except TimeoutError:
                media, body = _timeout_body(scope, self.timeout)
                await send_whole(send, media, body, status=503)
                self.retire()
                return True
        self.shapes.ran(key, cost, inline=inline)
        if kind != "ok" or not isinstance(body, bytes):
            return False
        await send_whole(send, media_type.encode("latin-1"), body)
        return True

    def retire(self) -> None:
        """Stop accepting, finish the other requests, then exit (which ends a runaway query)."""
        if self.server is not None and not self.server.should_exit:
            log.warning("front %d: a query ran past the timeout; replacing this front", os.getpid())
            self.server.should_exit = True

    async def _pass_on(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The request, sent on to the app process; its answer streamed back."""
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _HOP_BY_HOP]
        client = scope.get("client")
        if client:
            headers.append((b"x-forwarded-for", client[0].encode("latin-1")))
        headers.append((b"x-forwarded-proto", scope.get("scheme", "http").encode("latin-1")))
        target = scope.get("raw_path") or scope["path"].encode("utf-8")
        if scope["query_string"]:
            target += b"?" + scope["query_string"]
        has_body = any(k in (b"content-length", b"transfer-encoding") for k, _ in scope["headers"])
        request = self._app.build_request(
            scope["method"], "http://app" + target.decode("latin-1"), headers=headers,
            content=_body(receive) if has_body else None,
        )
        try:
            response = await self._app.send(request, stream=True)
        except httpx.TransportError as exc:
            message = f"the catalogue's app process did not answer: {exc}\n".encode()
            await send({"type": "http.response.start", "status": 502,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
            await send({"type": "http.response.body", "body": message})
            return
        try:
            await send({"type": "http.response.start", "status": response.status_code,
                        "headers": [(k, v) for k, v in response.headers.raw
                                    if k.lower() not in _OWN]})
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await response.aclose()


async def _body(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message: Message = await receive()
        if message["type"] != "http.request":
            return
        yield message.get("body", b"")
        if not message.get("more_body"):
            return


def _socket_of(send: Send) -> int | None:
    """The client connection's file descriptor, from uvicorn's response cycle, or None."""
    with contextlib.suppress(AttributeError, OSError, TypeError):
        transport = getattr(send, "__self__").transport  # noqa: B009 (typed as a callable)
        return int(transport.get_extra_info("socket").fileno())
    return None


def _timeout_body(scope: Scope, timeout: float) -> tuple[bytes, bytes]:
    """(media type, body) of a 503 for a query stopped at the timeout, worded like the app's
    errors (JSON for JSON clients, else text)."""
    message = str(QueryTimeout.after(timeout))
    accept = next((v for k, v in scope["headers"] if k == b"accept"), b"")
    if b"json" in accept:
        return b"application/json", json.dumps({"error": message, "status": 503}).encode()
    return b"text/plain; charset=utf-8", (message + "\n").encode()


def _timeout_answer(scope: Scope, timeout: float) -> bytes:
    """The whole 503 as bytes on the wire, for the watchdog (the connection then closes)."""
    media, body = _timeout_body(scope, timeout)
    head = [b"HTTP/1.1 503 Service Unavailable", b"content-type: " + media,
            b"content-length: " + str(len(body)).encode(), b"connection: close",
            *(k + b": " + v for k, v in CORS_RAW)]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class Fronts:
    """The front processes, started once the app process listens and restarted when one
    exits (a front retires itself after a timeout) until `stop`."""

    def __init__(self, count: int, *, listener: socket.socket, app_socket: Path, store: Path,
                 writes: WriteCounter, timeout: float, access_log: bool) -> None:
        self.count = count
        self.command = [
            sys.executable, "-m", "catalogue.web.front", "--listen-fd", str(listener.fileno()),
            "--app-socket", str(app_socket), "--store", str(store), "--writes-fd",
            str(writes.fd), "--timeout", str(timeout), "--parent", str(os.getpid()),
            *(["--access-log"] if access_log else []),
        ]
        self._fds = (listener.fileno(), writes.fd)
        self._processes: list[subprocess.Popen[bytes]] = []
        self._stopping = threading.Event()

    def start(self) -> None:
        self._processes = [self._spawn() for _ in range(self.count)]
        threading.Thread(target=self._watch, name="fronts", daemon=True).start()

    def stop(self) -> None:
        self._stopping.set()
        for process in self._processes:
            process.terminate()
        for process in self._processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _spawn(self) -> subprocess.Popen[bytes]:
        # A session of its own: a Ctrl-C at the terminal reaches the app process, which stops
        # the fronts itself (else they would stop first and be started again meanwhile).
        return subprocess.Popen(self.command, pass_fds=self._fds, stdin=subprocess.DEVNULL,
                                start_new_session=True)

    def _watch(self) -> None:
        started = [time.monotonic()] * len(self._processes)
        while not self._stopping.wait(0.1):
            for number, process in enumerate(self._processes):
                if process.poll() is None or self._stopping.is_set():
                    continue
                if process.returncode and time.monotonic() - started[number] < _QUICK_EXIT:
                    # It died on its way up: wait a little rather than start one ten times a second.
                    log.error("a SPARQL front process exited with %s at start", process.returncode)
                    self._stopping.wait(_QUICK_EXIT)
                self._processes[number] = self._spawn()
                started[number] = time.monotonic()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="catalogue.web.front", description=__doc__)
    parser.add_argument("--listen-fd", type=int, required=True)
    parser.add_argument("--app-socket", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--writes-fd", type=int, required=True)
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--parent", type=int, required=True, help="the app process id")
    parser.add_argument("--access-log", action="store_true")
    args = parser.parse_args(argv)
    listener = socket.socket(fileno=args.listen_fd)
    front = Front(StoreView(args.store, WriteCounter(args.writes_fd)), args.app_socket,
                  timeout=args.timeout)
    config = uvicorn.Config(
        front, lifespan="off", log_level="warning", access_log=args.access_log,
        timeout_graceful_shutdown=max(1, int(args.timeout)),
    )
    server = front.server = uvicorn.Server(config)
    threading.Thread(target=_exit_with, args=(args.parent, server), daemon=True).start()
    server.run(sockets=[listener])
    # A runaway query may still hold a thread: leave without waiting for it.
    os._exit(0)


def _exit_with(parent: int, server: uvicorn.Server) -> None:
    """Shut down when the app process is gone (killed: it could not stop us itself)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    server.should_exit = True


if __name__ == "__main__":
    raise SystemExit(main())
