"""Real HTTP servers for tests on free loopback ports: uvicorn serving an app in a thread, or the
real `catalogue serve` process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: FastAPI, *, port: int | None = None, lifespan: str = "off") -> Iterator[str]:
    """The app served at the yielded base URL until the block ends (on `port`, for an app whose
    base IRI must be its own address, else on a free one)."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/")
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def wait_until_up(url: str, *, seconds: float = 20.0,
                  process: subprocess.Popen[bytes] | None = None) -> None:
    """Until `url` answers (raises past `seconds`, or when `process` exits first)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.TransportError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def catalogue_serve(store: Path, *, env: dict[str, str] | None = None,
                    seconds: float = 60.0) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`catalogue serve --store STORE` as a process on a free port, with these extra
    CATALOGUE_* variables: its base URL and process, once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "catalogue", "serve", "--store", str(store),
               "--port", str(port)]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          env={**os.environ, **(env or {})}) as proc:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url + "/graphs", seconds=seconds, process=proc)
        try:
            yield url, proc
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@contextmanager
def bundled_site() -> Iterator[str]:
    """The bundled content served by the app on a free port whose address is its base IRI (so
    every link it emits can be followed), with its search index built, until the block ends."""
    from catalogue.config import Settings
    from catalogue.content import load_bundled
    from catalogue.search import SearchIndex, index_listener
    from catalogue.store import EmbeddedStore
    from catalogue.web.app import create_app

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    store, index = EmbeddedStore(), SearchIndex()
    load_bundled(store, base=base, listeners=[index_listener(index)])
    app = create_app(Settings(store=Path(":memory:"), base_iri=base), store=store, index=index)
    with serving(app, port=port, lifespan="on") as url:
        yield url
