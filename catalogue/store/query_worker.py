"""A /sparql query worker process, started by catalogue.store.workers.QueryPool (never by
hand): `python query_worker.py FD PATH`. It reads length-prefixed pickled requests from the
socket FD, runs each on its own view of the store (PATH opened read-only, or a copy loaded from
the snapshot it is sent for an in-memory store) and answers with pyoxigraph's serialised bytes.
It imports nothing but pyoxigraph, so that it starts fast.
"""

from __future__ import annotations

import contextlib
import pickle
import socket
import struct
import sys
from collections.abc import Iterator, Sequence

import pyoxigraph

_HEADER = struct.Struct(">I")
Reply = tuple[str, str, object]


def run(store: pyoxigraph.Store, request: tuple[object, ...]) -> Reply:
    """('ok', media type, bytes), ('syntax', message, query) or ('unacceptable', why, None)."""
    query, results_name, graph_name, default_graphs, named_graphs = request
    options: dict[str, object] = {}
    if default_graphs or named_graphs:
        options["default_graph"] = [pyoxigraph.NamedNode(g) for g in default_graphs]  # type: ignore[attr-defined]
        if named_graphs:
            options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in named_graphs]  # type: ignore[attr-defined]
    else:
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(query, **options)  # type: ignore[arg-type]
    except SyntaxError as exc:
        return ("syntax", str(exc), query)
    if isinstance(result, pyoxigraph.QueryTriples):
        if graph_name is None:
            return ("unacceptable", "no accepted RDF format for a CONSTRUCT or DESCRIBE", None)
        graph_format: pyoxigraph.RdfFormat = getattr(pyoxigraph.RdfFormat, str(graph_name))
        return ("ok", graph_format.media_type, result.serialize(format=graph_format))
    if results_name is None:
        return ("unacceptable", "no accepted results format for a SELECT or ASK", None)
    results_format: pyoxigraph.QueryResultsFormat = getattr(
        pyoxigraph.QueryResultsFormat, str(results_name)
    )
    return ("ok", results_format.media_type, result.serialize(format=results_format))


def serve(sock: socket.socket, path: str) -> None:
    store: pyoxigraph.Store | None = None
    generation = -1
    for message in _frames(sock):
        wanted, snapshot, request = pickle.loads(message)
        if store is None or wanted != generation:
            if snapshot is not None:
                store = pyoxigraph.Store()
                store.load(snapshot, pyoxigraph.RdfFormat.N_QUADS)
            else:
                # A read-only instance sees the store as it was when opened: reopen per write.
                store = pyoxigraph.Store.read_only(path)
            generation = wanted
        try:
            try:
                reply = run(store, request)
            except OSError:
                if snapshot is not None or not path:
                    raise
                # The server's compactions may have removed files this read-only view still
                # named: open a fresh view and try once more.
                store = pyoxigraph.Store.read_only(path)
                reply = run(store, request)
        except (OSError, ValueError, RuntimeError) as exc:
            reply = ("error", f"{type(exc).__name__}: {exc}", None)
        payload = pickle.dumps(reply, 5)
        sock.sendall(_HEADER.pack(len(payload)) + payload)


def _frames(sock: socket.socket) -> Iterator[bytes]:
    """Each length-prefixed message, with one recv per message when it is small (the usual)."""
    buffer = bytearray()
    while True:
        while len(buffer) < _HEADER.size or len(buffer) < _HEADER.size + _size(buffer):
            chunk = sock.recv(1 << 16)
            if not chunk:
                return  # the server closed our socket: it stopped or replaced us
            buffer += chunk
        end = _HEADER.size + _size(buffer)
        yield bytes(buffer[_HEADER.size : end])
        del buffer[:end]


def _size(buffer: bytearray) -> int:
    return int(_HEADER.unpack_from(buffer)[0]) if len(buffer) >= _HEADER.size else 0


def main(argv: Sequence[str]) -> int:
    with (
        socket.socket(fileno=int(argv[0])) as sock,
        contextlib.suppress(BrokenPipeError, ConnectionResetError, KeyboardInterrupt),
    ):
        serve(sock, argv[1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
