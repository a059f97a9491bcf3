"""SPARQL front processes of `catalogue serve` on an on-disk store. Each accepts connections on
the public socket (shared by fd), answers /sparql queries (GET, and POST as a query or a form)
from its own read-only view of the store, and passes every other request to the app process
(the one writer) over a Unix socket.

Why (bench/sparql_bench.py, 2 cores): handing each query to a worker process cost an IPC hop
each way and kept point lookups at 0.35x of `oxigraph serve`; answering in the process that
parsed the request reaches the goals. A query runs in a query thread (catalogue.store.queries),
never on the event loop. Past the timeout its client gets 503, and the front stops accepting,
lets its other requests finish (uvicorn's graceful shutdown), tells the app process to start a
replacement, and exits once it is idle, which ends the runaway query.

The proxy keeps no state between requests: it sends each request on a bare transport (no
cookie jar, no redirects), so nothing of one client's answer reaches another's request.

Run by `Fronts`, never by hand: `python -m catalogue.web.front --listen-fd N ...`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import mmap
import os
import select
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import httpx
import uvicorn
from starlette.types import Message, Receive, Scope, Send

from catalogue.errors import CatalogueError, PayloadTooLarge, QueryTimeout
from catalogue.store.queries import QueryRequest, QueryRunner, ReadOnlyView
from catalogue.store.shared import WriteCounter
from catalogue.web.security import SECURITY_HEADERS
from catalogue.web.views.sparql import LARGEST_QUERY, fast_get, posted_query, send_whole

log = logging.getLogger("catalogue.front")

# Headers that belong to one connection, not to the request or response they travel with.
_HOP_BY_HOP = frozenset({
    b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te",
    b"trailer", b"transfer-encoding", b"upgrade",
})
# What a client says about where it is: only the front knows, and adds its own.
_NOT_PASSED_ON = _HOP_BY_HOP | {b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host",
                                b"forwarded"}
# The front's own server adds these to what it passes back.
_OWN = _HOP_BY_HOP | {b"date", b"server"}
# Query threads per front. With 2 fronts on 2 cores, 2 each against 4 each in the same rounds
# (bench/sparql, CATALOGUE_BENCH_BASELINE, three runs): the same requests/s on every query, and
# a lower p95 on the aggregate (COUNT per theme, plain shape: 1.28-1.31x Oxigraph's p95 against
# 1.73-1.80x) and on point lookups (1.70-1.79x against 1.87-1.92x): four threads on two cores
# make four queries share the CPU where two finish. (An earlier measurement, before the fronts
# took connections one at a time, had favoured 4; 8 each lost requests/s to switching.)
QUERY_THREADS = 2
_QUICK_EXIT = 2.0  # seconds: a front that exits sooner failed to start
_LAST_REQUESTS = 2.0  # seconds a retiring front waits for requests on accepted connections
# A kept-alive connection that the app closed fails with one of these before any answer.
_RETRIED = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.ConnectError)
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class Front:
    """The ASGI app of one front process."""

    def __init__(self, runner: QueryRunner, app_socket: str) -> None:
        self.runner = runner
        self.server: uvicorn.Server | None = None
        self.acceptor: Acceptor | None = None
        self.leaving = threading.Event()
        self._app = httpx.AsyncHTTPTransport(
            uds=app_socket, retries=1,
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=64),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body: bytes | None = None
        if scope["path"] == "/sparql" and scope["method"] in ("GET", "POST"):
            request = fast_get(scope) if scope["method"] == "GET" else None
            if scope["method"] == "POST" and _declared_length(scope) <= LARGEST_QUERY:
                # Read here whatever its framing (chunked too): a query the app process read
                # would run there, where no runaway can be stopped.
                body = await _whole_body(receive, LARGEST_QUERY)
                if body is None:
                    media, text = _error_body(scope, PayloadTooLarge(
                        f"the query passes the limit of {LARGEST_QUERY} bytes"))
                    await send_whole(send, media, text, status=413)
                    return
                request = posted_query(scope, body)
            if request is not None and await self._answer(request, scope, send):
                return
        await self._pass_on(scope, receive, send, body)

    async def _answer(self, request: QueryRequest, scope: Scope, send: Send) -> bool:
        """Answer a query from our view; False leaves it to the app (errors are its to word,
        in the page language and format the client asked for)."""
        try:
            answer = await self.runner.answer(request)
        except QueryTimeout as exc:
            media, body = _error_body(scope, exc)
            await send_whole(send, media, body, status=exc.status_code)
            return True
        except CatalogueError:
            return False
        await send_whole(send, answer.media_type.encode("latin-1"), answer.body)
        return True

    def retire(self) -> None:
        """Stop accepting, finish the other requests, then exit (which ends a runaway query)."""
        if self.server is None or self.leaving.is_set():
            return
        log.warning("front %d: a query ran past the timeout; replacing this front", os.getpid())
        self.leaving.set()
        if self.acceptor is not None:  # the other fronts take new connections now
            self.acceptor.stop()
        # A connection accepted a moment ago may not have sent its request yet: a shutdown at
        # once would close it unanswered. Once it has, the shutdown waits for its answer.
        asyncio.get_running_loop().call_later(_LAST_REQUESTS, self._stop)

    def _stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True

    async def _pass_on(self, scope: Scope, receive: Receive, send: Send,
                       body: bytes | None) -> None:
        """The request, sent on to the app process; its answer streamed back."""
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _NOT_PASSED_ON]
        client = scope.get("client")
        if client:
            headers.append((b"x-forwarded-for", client[0].encode("latin-1")))
        headers.append((b"x-forwarded-proto", scope.get("scheme", "http").encode("latin-1")))
        target = scope.get("raw_path") or scope["path"].encode("utf-8")
        if scope["query_string"]:
            target += b"?" + scope["query_string"]
        if body is None and _has_body(scope):
            content: object = _stream(receive)
        else:
            content = body
        url = "http://app" + target.decode("latin-1")
        try:
            response = await self._send(scope["method"], url, headers, content)
        except httpx.TransportError as exc:
            message = f"the catalogue's app process did not answer: {exc}\n".encode()
            await send({"type": "http.response.start", "status": 502, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), *SECURITY_HEADERS]})
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

    async def _send(self, method: str, url: str, headers: list[tuple[bytes, bytes]],
                    content: object) -> httpx.Response:
        """One request on the bare transport. A kept-alive connection the app has just closed
        fails before any answer: an idempotent request whose body we hold whole (or that has
        none) is sent once more, on a new connection."""
        again = method in _IDEMPOTENT and (content is None or isinstance(content, bytes))
        request = httpx.Request(method, url, headers=headers, content=content)  # type: ignore[arg-type]
        try:
            return await self._app.handle_async_request(request)
        except _RETRIED:
            if not again:
                raise
        request = httpx.Request(method, url, headers=headers, content=content)  # type: ignore[arg-type]
        return await self._app.handle_async_request(request)


def _declared_length(scope: Scope) -> int:
    """The Content-Length; 0 without one (chunked, or no body); past the limit when unreadable
    (the app words the error)."""
    for key, value in scope["headers"]:
        if key == b"content-length":
            return int(value) if value.isdigit() else LARGEST_QUERY + 1
    return 0


def _has_body(scope: Scope) -> bool:
    return any(k in (b"content-length", b"transfer-encoding") for k, _ in scope["headers"])


async def _whole_body(receive: Receive, limit: int) -> bytes | None:
    """The body; None once it passes `limit` bytes (the rest is left unread)."""
    parts = []
    size = 0
    async for chunk in _stream(receive):
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
    return b"".join(parts)


async def _stream(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message: Message = await receive()
        if message["type"] != "http.request":
            return
        yield message.get("body", b"")
        if not message.get("more_body"):
            return


def _error_body(scope: Scope, error: CatalogueError) -> tuple[bytes, bytes]:
    """(media type, body) of an error the front words itself, like the app's errors (JSON for
    JSON clients, else text)."""
    message = str(error)
    accept = next((v for k, v in scope["headers"] if k == b"accept"), b"")
    if b"json" in accept:
        body = json.dumps({"error": message, "status": error.status_code}).encode()
        return b"application/json", body
    return b"text/plain; charset=utf-8", (message + "\n").encode()


class ConnectionCounts:
    """How many connections each front holds open, in shared memory (a slot per front, handed
    over by fd like the store's write counter), so that a front can leave a new connection to
    one that holds fewer."""

    SLOTS = 64
    ABSENT = (1 << 64) - 1  # a slot no front is using
    _WORD = struct.Struct("<Q")

    def __init__(self, fd: int | None = None) -> None:
        if fd is None:
            fd = os.memfd_create("catalogue-fronts", os.MFD_CLOEXEC)
            os.ftruncate(fd, self.SLOTS * self._WORD.size)
            self.fd = fd
            self._memory = mmap.mmap(fd, self.SLOTS * self._WORD.size)
            for slot in range(self.SLOTS):
                self.set(slot, self.ABSENT)
        else:
            self.fd = fd
            self._memory = mmap.mmap(fd, self.SLOTS * self._WORD.size)

    def set(self, slot: int, count: int) -> None:
        self._WORD.pack_into(self._memory, slot * self._WORD.size, count)

    def fewest_elsewhere(self, slot: int) -> int | None:
        """The fewest connections another front holds, or None when there is no other."""
        counts = [count for (count,) in self._WORD.iter_unpack(self._memory)]
        others = [count for other, count in enumerate(counts)
                  if other != slot and count != self.ABSENT]
        return min(others) if others else None


class Acceptor:
    """Takes connections from the listening socket that every front shares, one at a time, in a
    thread of its own, and hands each to the front's server.

    Why (measured with wrk, 16 connections opened at once): the event loop's own accept takes
    every connection waiting at a wakeup, so one front took all 16 while the others idled, and
    /sparql ran at one front's rate; a thread that takes one at a time did no better on a busy
    machine (the front that was on a core took them all). So a front that holds more
    connections than another leaves a waiting connection to the others for a moment (they see
    it too), and takes it itself if none has. A retiring front stops taking any, without closing
    the socket: they wait for the others."""

    PUBLISH = 0.05  # seconds between updates of this front's count while no connection comes
    PATIENCE = 0.05  # seconds a connection is left to fronts that hold fewer

    def __init__(self, listener: socket.socket, hand_over: Callable[[socket.socket], None],
                 held: Callable[[], int], counts: ConnectionCounts | None, slot: int) -> None:
        self._listener = listener
        self._hand_over = hand_over
        self._held = held
        self._counts = counts
        self._slot = slot
        self._lock = threading.Lock()
        self._stopped = False
        self._wake_read, self._wake_write = os.pipe()
        # Non-blocking for every front (the flag belongs to the socket they share): the
        # fronts that woke for a connection another took get EAGAIN, not a wait.
        listener.setblocking(False)
        self._thread = threading.Thread(target=self._accept, name="accept", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._counts is not None:
                self._counts.set(self._slot, ConnectionCounts.ABSENT)
        os.write(self._wake_write, b"x")

    def _publish(self) -> int:
        held = self._held()
        with self._lock:
            if self._counts is not None and not self._stopped:
                self._counts.set(self._slot, held)
        return held

    def _ahead(self, held: int) -> bool:
        if self._counts is None:
            return False
        fewest = self._counts.fewest_elsewhere(self._slot)
        return fewest is not None and held > fewest

    def _accept(self) -> None:
        waiting = select.poll()
        waiting.register(self._listener, select.POLLIN)
        waiting.register(self._wake_read, select.POLLIN)
        left_since: float | None = None
        while True:
            held = self._publish()
            # While a connection waits that we leave to others, look again every millisecond.
            timeout = 1 if left_since is not None else int(self.PUBLISH * 1000)
            ready = [fd for fd, _ in waiting.poll(timeout)]
            if self._wake_read in ready:
                return
            if left_since is None and self._listener.fileno() not in ready:
                continue
            if self._ahead(held):
                now = time.monotonic()
                if left_since is None:
                    left_since = now
                if now - left_since < self.PATIENCE:
                    continue
            left_since = None
            try:
                connection, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                continue  # another front took it, or its client gave up
            except OSError as exc:  # out of file descriptors: let the others take them
                log.warning("front %d: cannot accept a connection: %s", os.getpid(), exc)
                time.sleep(0.1)
                continue
            self._hand_over(connection)


class Fronts:
    """The front processes, started once the app process listens. A front that is leaving (it
    says so on a pipe) is replaced at once, one that exits otherwise when it is seen gone;
    until `stop`."""

    def __init__(self, count: int, *, listener: socket.socket, app_socket: Path, store: Path,
                 writes: WriteCounter, timeout: float, access_log: bool) -> None:
        self.count = count
        self._leaving_read, self._leaving_write = os.pipe()
        self.command = [
            sys.executable, "-m", "catalogue.web.front", "--listen-fd", str(listener.fileno()),
            "--app-socket", str(app_socket), "--store", str(store), "--writes-fd",
            str(writes.fd), "--leaving-fd", str(self._leaving_write), "--timeout", str(timeout),
            "--parent", str(os.getpid()), *(["--access-log"] if access_log else []),
        ]
        self.counts = ConnectionCounts()
        self.command += ["--counts-fd", str(self.counts.fd)]
        self._slots: dict[int, int] = {}  # front process id: its slot in the counts
        self._fds = (listener.fileno(), writes.fd, self._leaving_write, self.counts.fd)
        self._serving: dict[int, tuple[subprocess.Popen[bytes], float]] = {}
        self._leaving: list[subprocess.Popen[bytes]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self) -> None:
        for _ in range(self.count):
            self._spawn()
        threading.Thread(target=self._watch, name="fronts", daemon=True).start()
        threading.Thread(target=self._listen_for_leavers, name="fronts-leaving",
                         daemon=True).start()

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            processes = [process for process, _ in self._serving.values()] + self._leaving
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        os.close(self._leaving_write)

    def _spawn(self) -> None:
        # A session of its own: a Ctrl-C at the terminal reaches the app process, which stops
        # the fronts itself (else they would stop first and be started again meanwhile).
        taken = set(self._slots.values())
        slot = next((n for n in range(ConnectionCounts.SLOTS) if n not in taken), -1)
        process = subprocess.Popen([*self.command, "--slot", str(slot)], pass_fds=self._fds,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        self._serving[process.pid] = (process, time.monotonic())
        if slot >= 0:
            self._slots[process.pid] = slot

    def _gone(self, process: subprocess.Popen[bytes]) -> None:
        """Free the slot of a front that has exited (it may not have said it left)."""
        slot = self._slots.pop(process.pid, None)
        if slot is not None:
            self.counts.set(slot, ConnectionCounts.ABSENT)

    def _listen_for_leavers(self) -> None:
        with open(self._leaving_read, "rb", buffering=0) as leavers:
            while not self._stopping.is_set():
                word = leavers.read(4)
                if len(word) < 4:
                    return
                with self._lock:
                    found = self._serving.pop(int.from_bytes(word, "little"), None)
                    if found is not None and not self._stopping.is_set():
                        self._leaving.append(found[0])
                        self._spawn()

    def _watch(self) -> None:
        while not self._stopping.wait(0.1):
            with self._lock:
                for gone in [p for p in self._leaving if p.poll() is not None]:
                    self._leaving.remove(gone)
                    self._gone(gone)
                for pid, (process, started) in list(self._serving.items()):
                    if process.poll() is None or self._stopping.is_set():
                        continue
                    del self._serving[pid]
                    self._gone(process)
                    if process.returncode and time.monotonic() - started < _QUICK_EXIT:
                        # It died on its way up: wait rather than start one ten times a second.
                        log.error("a SPARQL front process exited with %s at start",
                                  process.returncode)
                        self._stopping.wait(_QUICK_EXIT)
                    if not self._stopping.is_set():
                        self._spawn()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="catalogue.web.front", description=__doc__)
    parser.add_argument("--listen-fd", type=int, required=True)
    parser.add_argument("--app-socket", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--writes-fd", type=int, required=True)
    parser.add_argument("--leaving-fd", type=int, required=True)
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--parent", type=int, required=True, help="the app process id")
    parser.add_argument("--access-log", action="store_true")
    parser.add_argument("--counts-fd", type=int, default=-1,
                        help="shared connection counts of the fronts (see ConnectionCounts)")
    parser.add_argument("--slot", type=int, default=-1, help="this front's slot in them")
    args = parser.parse_args(argv)
    listener = socket.socket(fileno=args.listen_fd)
    counts = ConnectionCounts(args.counts_fd) if args.counts_fd >= 0 else None
    view = ReadOnlyView(args.store, WriteCounter(args.writes_fd))
    front: Front
    runner = QueryRunner(view, threads=QUERY_THREADS, timeout=args.timeout,
                         on_runaway=lambda: front.retire())
    front = Front(runner, args.app_socket)
    config = uvicorn.Config(
        front, lifespan="off", log_level="warning", access_log=args.access_log,
        # In-flight requests of other clients get as long as a query may take to finish.
        timeout_graceful_shutdown=max(10, int(args.timeout) * 2),
    )
    server = front.server = uvicorn.Server(config)
    leaving = threading.Thread(target=_say_leaving, args=(front, args.leaving_fd), daemon=True)
    leaving.start()
    threading.Thread(target=_exit_with, args=(args.parent, server), daemon=True).start()
    config.load()
    # What start-up made (modules, the app, the view) lives as long as the process: out of the
    # collector's sight, a full collection no longer walks it between two requests.
    gc.freeze()
    with asyncio.Runner(loop_factory=config.get_loop_factory()) as loop_runner:
        loop_runner.run(_serve(front, server, listener, counts, args.slot))
    # Every request is answered and the server has stopped; a runaway query may still hold
    # a query thread, which only the end of the process stops.
    os._exit(0)


async def _serve(front: Front, server: uvicorn.Server, listener: socket.socket,
                 counts: ConnectionCounts | None, slot: int) -> None:
    """The server, on the connections the front's acceptor takes (it is given no socket to
    listen on: see Acceptor)."""
    loop = asyncio.get_running_loop()
    serving = asyncio.create_task(server.serve(sockets=[]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.01)
    if serving.done():
        return await serving
    config = server.config
    connecting: set[asyncio.Task[object]] = set()

    def protocol() -> asyncio.Protocol:
        # What uvicorn's server makes for each connection on a socket it listens on.
        made: asyncio.Protocol = config.http_protocol_class(  # type: ignore[call-arg]
            config=config, server_state=server.server_state, app_state=server.lifespan.state)
        return made

    def connected(connection: socket.socket) -> None:
        task = loop.create_task(loop.connect_accepted_socket(protocol, connection))
        connecting.add(task)
        task.add_done_callback(connecting.discard)

    handed = [0, 0]  # connections handed over by the acceptor, and taken up by the loop

    def hand_over(connection: socket.socket) -> None:  # called in the acceptor's thread
        handed[0] += 1
        try:
            loop.call_soon_threadsafe(taken_up, connection)
        except RuntimeError:  # the loop has closed: this front has stopped
            connection.close()

    def taken_up(connection: socket.socket) -> None:
        handed[1] += 1
        connected(connection)

    def held() -> int:  # read in the acceptor's thread; a moment stale at worst
        return len(server.server_state.connections) + len(connecting) + handed[0] - handed[1]

    acceptor = front.acceptor = Acceptor(listener, hand_over, held, counts, slot)
    acceptor.start()
    try:
        await serving
    finally:
        acceptor.stop()


def _say_leaving(front: Front, fd: int) -> None:
    """Tell the app process, once this front leaves, to start another in its place."""
    front.leaving.wait()
    os.write(fd, os.getpid().to_bytes(4, "little"))


def _exit_with(parent: int, server: uvicorn.Server) -> None:
    """Shut down when the app process is gone (killed: it could not stop us itself)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    server.should_exit = True


if __name__ == "__main__":
    raise SystemExit(main())
