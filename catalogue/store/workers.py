"""/sparql queries on the embedded store, run in worker processes so a runaway query can be
killed at its timeout (pyoxigraph cannot interrupt a query from Python) while the other workers
keep answering. Workers (query_worker.py) hand back bytes that pyoxigraph serialised itself.

Each worker holds its own view of the store: the on-disk store opened read-only (reopened after
every write, since a read-only RocksDB instance sees the data as it was when opened), or for an
in-memory store a copy loaded from an N-Quads snapshot.
"""

from __future__ import annotations

import asyncio
import io
import pickle
import re
import socket
import struct
import subprocess
import sys
import threading
import weakref
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph

from catalogue.errors import Forbidden, NotAcceptable, QuerySyntaxError, QueryTimeout

if TYPE_CHECKING:
    from catalogue.store.embedded import EmbeddedStore

_HEADER = struct.Struct(">I")
# Run by path, not as a module of the package: it imports only pyoxigraph, so a worker
# starts in a tenth of the time.
_WORKER = Path(__file__).with_name("query_worker.py")


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """One /sparql query; formats are pyoxigraph format names, one per kind of result
    (None: the client accepts no format for that kind)."""

    query: str
    results_format: str | None = "JSON"
    graph_format: str | None = "TURTLE"
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def as_tuple(self) -> tuple[object, ...]:
        """What a worker process receives (it imports nothing of ours to unpickle it)."""
        return (self.query, self.results_format, self.graph_format, self.default_graphs,
                self.named_graphs)


@dataclass(frozen=True, slots=True)
class QueryAnswer:
    media_type: str
    body: bytes


class QueryPool:
    """Worker processes (a fixed number per event loop); `answer` runs a query on an idle one.

    Each worker is a Unix socket to a child process, driven by an asyncio Protocol: a request
    costs one write, one callback and one timer, with no task or thread per query."""

    def __init__(self, store: EmbeddedStore, *, workers: int, timeout: float) -> None:
        self.store = store
        self.timeout = timeout
        self.size = workers
        self._lock = threading.Lock()
        self._crews: dict[asyncio.AbstractEventLoop, _Crew] = {}
        self._workers: set[_Worker] = set()
        self._snapshot: tuple[int, bytes] | None = None
        weakref.finalize(self, _retire_all, self._workers)

    async def answer(self, request: QueryRequest) -> QueryAnswer:
        """The serialised result; QueryTimeout when it runs past the timeout (the worker is
        killed and replaced), QuerySyntaxError, NotAcceptable or Forbidden for bad queries."""
        # pyoxigraph runs SERVICE calls to any URL: on a public endpoint that would let
        # anyone make our server fetch internal addresses.
        refuse_service(request.query)
        loop = asyncio.get_running_loop()
        crew = self._crews.get(loop) or self._start_crew(loop)
        worker = crew.idle.pop() if crew.idle else await crew.wait()
        generation = self.store.writes
        snapshot = self._snapshot_for(generation) if worker.generation != generation else None
        reply = loop.create_future()
        worker.connection.reply = reply
        timer = loop.call_later(self.timeout, _expire, reply, self.timeout)
        try:
            message = (generation, snapshot, request.as_tuple())
            await worker.connection.send(pickle.dumps(message, 5))
            answer = await reply
        except BaseException:
            # Timed out, cancelled or broken mid-exchange: its state is unknown, replace it.
            timer.cancel()
            crew.everyone.discard(worker)
            _retire(worker, self._workers)
            crew.release(self._spawn(loop))
            raise
        timer.cancel()
        worker.generation = generation
        crew.release(worker)
        return _answer_from(pickle.loads(answer))

    def close(self) -> None:
        _retire_all(self._workers)

    def _start_crew(self, loop: asyncio.AbstractEventLoop) -> _Crew:
        for old, crew in list(self._crews.items()):
            if old.is_closed():  # a test client's loop that is gone: its workers go too
                for worker in crew.everyone:
                    _retire(worker, self._workers)
                del self._crews[old]
        crew = _Crew()
        self._crews[loop] = crew
        for _ in range(self.size):
            crew.release(self._spawn(loop))
        return crew

    def _snapshot_for(self, generation: int) -> bytes | None:
        """N-Quads of an in-memory store for workers that hold an older copy (None on disk)."""
        if self.store.path is not None:
            return None
        with self._lock:
            if self._snapshot is None or self._snapshot[0] != generation:
                buffer = io.BytesIO()
                self.store.raw_store.dump(buffer, pyoxigraph.RdfFormat.N_QUADS)
                self._snapshot = (generation, buffer.getvalue())
            return self._snapshot[1]

    def _spawn(self, loop: asyncio.AbstractEventLoop) -> _Worker:
        ours, theirs = socket.socketpair()
        path = str(self.store.path) if self.store.path is not None else ""
        process = subprocess.Popen(
            [sys.executable, str(_WORKER), str(theirs.fileno()), path],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        worker = _Worker(process, _Connection(ours, loop))
        self._workers.add(worker)
        return worker


class _Connection:
    """Length-prefixed frames to and from one worker, read by a callback on its event loop.
    Plain socket calls (no asyncio transport), so a connection whose loop is gone (a test
    client's) can still be closed."""

    def __init__(self, sock: socket.socket, loop: asyncio.AbstractEventLoop) -> None:
        self.sock = sock
        self.loop = loop
        self.buffer = bytearray()
        self.reply: asyncio.Future[bytes] | None = None
        sock.setblocking(False)
        loop.add_reader(sock.fileno(), self._readable)

    async def send(self, payload: bytes) -> None:
        frame = _HEADER.pack(len(payload)) + payload
        try:
            sent = self.sock.send(frame)
        except BlockingIOError:
            sent = 0
        if sent < len(frame):  # only large snapshots fill the socket buffer
            await self.loop.sock_sendall(self.sock, frame[sent:])

    def close(self) -> None:
        if not self.loop.is_closed():
            self.loop.remove_reader(self.sock.fileno())
        self.sock.close()
        self._settle(None, ConnectionError("the query worker was stopped"))

    def _readable(self) -> None:
        try:
            data = self.sock.recv(1 << 20)
        except BlockingIOError:
            return
        except OSError:
            data = b""  # a reset socket: the worker is gone
        if not data:
            self.loop.remove_reader(self.sock.fileno())
            self._settle(None, ConnectionError("a query worker died"))
            return
        self.buffer += data
        if len(self.buffer) < _HEADER.size:
            return
        size = _HEADER.unpack_from(self.buffer)[0]
        if len(self.buffer) < _HEADER.size + size:
            return
        payload = bytes(self.buffer[_HEADER.size : _HEADER.size + size])
        del self.buffer[: _HEADER.size + size]
        self._settle(payload, None)

    def _settle(self, payload: bytes | None, error: Exception | None) -> None:
        reply, self.reply = self.reply, None
        if reply is None or reply.done():
            return
        if error is not None:
            reply.set_exception(error)
        else:
            reply.set_result(payload or b"")


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes], connection: _Connection) -> None:
        self.process = process
        self.connection = connection
        self.generation = -1


class _Crew:
    """The workers of one event loop: idle ones, and requests waiting for one."""

    def __init__(self) -> None:
        self.idle: list[_Worker] = []
        self.everyone: set[_Worker] = set()
        self.waiting: deque[asyncio.Future[_Worker]] = deque()

    async def wait(self) -> _Worker:
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self.waiting.append(waiter)
        return await waiter

    def release(self, worker: _Worker) -> None:
        self.everyone.add(worker)
        while self.waiting:
            waiter = self.waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self.idle.append(worker)


def _expire(reply: asyncio.Future[bytes], timeout: float) -> None:
    if not reply.done():
        reply.set_exception(QueryTimeout.after(timeout))


def _retire(worker: _Worker, workers: set[_Worker]) -> None:
    worker.connection.close()
    worker.process.kill()
    worker.process.wait(timeout=10)
    workers.discard(worker)


def _retire_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        _retire(worker, workers)


def _answer_from(reply: object) -> QueryAnswer:
    kind, first, second = cast(tuple[str, str, Any], reply)
    if kind == "ok":
        return QueryAnswer(media_type=first, body=second)
    if kind == "syntax":
        refuse_update(second)
        raise QuerySyntaxError(syntax_message(first))
    if kind == "unacceptable":
        raise NotAcceptable(first)
    raise RuntimeError(f"query worker: {first}")


_UPDATE_START = (
    r"^\s*(?:(?:#[^\n]*\n|BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>)\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b"
)
_SERVICE = r"(?<![\w:?$])SERVICE\s+(?:SILENT\s+)?(?:<|[?$]|[\w.-]*:)"


def syntax_message(parser_message: str) -> str:
    """'error at 3:14: expected ...' -> 'SPARQL syntax error at line 3, column 14: expected ...'"""
    found = re.match(r"error at (\d+):(\d+): (.*)", parser_message, re.DOTALL)
    if found is None:
        return f"SPARQL syntax error: {parser_message}"
    line, column, message = found.groups()
    return f"SPARQL syntax error at line {line}, column {column}: {message}"


def refuse_update(text: str) -> None:
    """Forbidden when the text is a SPARQL Update (checked only after it failed as a query)."""
    if re.match(_UPDATE_START, text, re.IGNORECASE):
        raise Forbidden(
            "SPARQL Update is not accepted on /sparql: this endpoint is read-only. Write by "
            "loading sources (`catalogue load`, or the publisher upload API with a token)."
        )


def refuse_service(query: str) -> None:
    if re.search(_SERVICE, query, re.IGNORECASE):
        raise Forbidden("SERVICE (federated query) is not allowed on this endpoint")
