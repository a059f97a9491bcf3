"""A plain HTTP server on a free loopback port, for tests that fetch over the network."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from catalogue.fetch import AddressPolicy, IPAddress


@contextmanager
def loopback(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 in a thread; yields the base URL, stops on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class LoopbackPorts(AddressPolicy):
    """An address policy for tests: fetches may reach these ports on loopback and nothing else
    (not even public addresses), so a test can let exactly one server through."""

    def __init__(self, *urls: str) -> None:
        self.ports = {port_of(url) for url in urls}

    def allows(self, address: IPAddress, port: int) -> bool:
        return address.is_loopback and port in self.ports


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None, url
    return port
