"""`catalogue serve`: open the store, seed it when empty, run uvicorn.

On an on-disk embedded store the public socket is served by SPARQL front processes
(web/front.py) that answer /sparql queries themselves and pass every other request to this
process, which then listens on a Unix socket only. In memory or on a remote store, this process
serves the public socket itself."""

from __future__ import annotations

import logging
import signal
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.derived import Follower
from catalogue.search import ensure_built, index_listener, open_index
from catalogue.services.datasets import LIST_FACETS
from catalogue.services.search import FILTERS as SEARCH_FILTERS
from catalogue.store import open_store
from catalogue.store.embedded import EmbeddedStore
from catalogue.store.remote import RemoteStore
from catalogue.store.shared import WriteCounter
from catalogue.web.app import create_app
from catalogue.web.front import Fronts
from catalogue.web.views.sparql import with_fast_sparql

log = logging.getLogger("catalogue")


def serve(settings: Settings) -> None:
    # Uvicorn answers SIGTERM with a graceful shutdown and then raises the signal again, whose
    # default action ends the process at once: the store, the index, the fronts and the
    # private socket folder were never closed. As an exception, the blocks below close them.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    store = open_store(settings)
    index = open_index(settings)
    if store.is_empty():
        results = load_bundled(store, base=settings.base, listeners=[index_listener(index)])
        triples = sum(result.triples for result in results)
        print(f"catalogue: empty store, loaded the bundled content ({triples} triples)")
    elif index.count() == 0:
        print("catalogue: the search index is empty or was made by another version; building it")
        print(f"catalogue: indexed {ensure_built(index, store) or 0} resources")
    if isinstance(store, RemoteStore):
        store.check_union()
        for graph in store.recover():
            print(f"catalogue: dropped {graph}, left by a write that was stopped halfway")
    # The facet bit sets of the list and search pages, now rather than on the first view
    # (0.8 s at 100k datasets), and the word lists of their value search (0.09 s).
    index.facet_sets((*LIST_FACETS, *SEARCH_FILTERS)).prepare_value_search(LIST_FACETS)
    app = kept_alive(with_fast_sparql(create_app(settings, store=store, index=index)))
    # Other instances (and `catalogue load`) may write the same remote store.
    follower = Follower(store, index).start() if isinstance(store, RemoteStore) else None
    try:
        if isinstance(store, EmbeddedStore) and store.path is not None:
            _serve_behind_fronts(app, store, store.path, settings)
        else:
            server = uvicorn.Server(uvicorn.Config(
                app, host=settings.host, port=settings.port, log_level="warning",
                access_log=settings.access_log,
            ))
            # log_level also quiets uvicorn's access logger, which logs at INFO.
            logging.getLogger("uvicorn.access").setLevel(logging.INFO)
            address = _address(settings.host, settings.port)
            threading.Thread(target=_start_when_up, args=(server, address, None),
                             daemon=True).start()
            # A remote store is its endpoint; the store directory is not used then.
            print(f"catalogue: serving {settings.sparql_endpoint or settings.store}")
            server.run()
    finally:
        if follower is not None:
            follower.stop()
        index.close()
        store.close()


def _serve_behind_fronts(app: ASGIApp, store: EmbeddedStore, path: Path,
                         settings: Settings) -> None:
    listener = _listen(settings.host, settings.port)
    port = listener.getsockname()[1]
    writes = WriteCounter()
    store.share_writes(writes)
    with tempfile.TemporaryDirectory(prefix="catalogue-") as private:
        app_socket = Path(private) / "app.sock"
        fronts = Fronts(settings.query_workers, listener=listener, app_socket=app_socket,
                        store=path, writes=writes, timeout=settings.query_timeout,
                        access_log=settings.access_log)
        # The fronts hold the only public socket; the date and server headers are theirs.
        # Uvicorn's own start-up lines would end on the private Unix socket, so it says only
        # warnings and the address to open is the last line printed.
        server = uvicorn.Server(uvicorn.Config(
            app, uds=str(app_socket), log_level="warning", access_log=False,
            forwarded_allow_ips="*", server_header=False, date_header=False,
        ))
        threading.Thread(target=_start_when_up,
                         args=(server, _address(settings.host, port), fronts),
                         daemon=True).start()
        print(f"catalogue: serving {settings.store} "
              f"({settings.query_workers} SPARQL front processes)")
        try:
            server.run()
        finally:
            fronts.stop()
            listener.close()
            writes.close()


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def kept_alive(app: ASGIApp) -> ASGIApp:
    """`app`, whose unexpected failures are answered 500 and logged here instead of raised to
    uvicorn, which would close the connection after the answer (a proxy that reuses it, such
    as a front process, then fails its next request)."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await app(scope, receive, sending)
        except Exception:
            log.exception("failure while answering %s %s", scope.get("method"),
                          scope.get("path"))
            if scope["type"] != "http":
                raise
            if not started:
                await send({"type": "http.response.start", "status": 500,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body",
                            "body": b"internal error: the failure is in the server's log\n"})

    return serve


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener


def _address(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _start_when_up(server: uvicorn.Server, address: str, fronts: Fronts | None) -> None:
    """Once this process answers on its socket: start the fronts (until then the public
    socket holds early connections in its backlog), then print the address to open, as the
    last line a user reads."""
    while not server.started:
        if server.should_exit:
            return
        time.sleep(0.05)
    if fronts is not None:
        fronts.start()
    print(f"catalogue: open {address} (Ctrl+C stops)", flush=True)
