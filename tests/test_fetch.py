"""The one outgoing client: which addresses are public, every redirect hop checked, one lookup
per connection, a total deadline, and the same words for every connection failure."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from ipaddress import ip_address
from typing import Any

import pytest

from catalogue.errors import AddressNotPublic, FetchError, PayloadTooLarge
from catalogue.fetch import ANY_ADDRESS, fetch, is_public
from tests.loopback import LoopbackPorts, loopback, port_of

hosts: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        hosts.append(self.headers["Host"])
        if self.path.startswith("/to?"):
            self._redirect(self.path.split("?", 1)[1])
        elif self.path == "/loop":
            self._redirect("/loop")
        elif self.path == "/trickle":
            self._trickle()
        else:
            self._send(b"<a> <b> <c> .\n")

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _trickle(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "40")
        self.end_headers()
        try:
            for _ in range(40):
                self.wfile.write(b"#")
                self.wfile.flush()
                time.sleep(1.0)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with loopback(Handler) as url:
        yield url


@pytest.fixture(scope="module")
def other() -> Iterator[str]:
    with loopback(Handler) as url:
        yield url


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("2606:4700::1111", True),
    ("127.0.0.1", False), ("0.0.0.0", False), ("10.1.2.3", False), ("172.16.0.1", False),
    ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
    ("224.0.0.1", False), ("255.255.255.255", False), ("198.18.0.1", False),
    ("::1", False), ("::", False), ("fe80::1", False), ("fc00::1", False), ("ff02::1", False),
    ("2001:db8::1", False), ("::ffff:127.0.0.1", False), ("::ffff:8.8.8.8", False),
    ("::127.0.0.1", False), ("64:ff9b::7f00:1", False), ("2002:7f00:1::", False),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
])
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(ip_address(address)) is public


def test_the_host_header_stays_the_name(server: str) -> None:
    hosts.clear()
    url = f"http://localhost:{port_of(server)}/x.ttl"
    answer = fetch(url, timeout=5, max_bytes=100, policy=ANY_ADDRESS)
    assert (answer.status, answer.media_type, answer.body) == (200, "text/turtle",
                                                               b"<a> <b> <c> .\n")
    assert hosts == [f"localhost:{port_of(server)}"]


def test_one_lookup_and_the_connection_goes_to_the_checked_address(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebinding DNS server answers loopback first and something else after: there is no
    second lookup of the name to answer."""
    lookups: list[str] = []
    real = socket.getaddrinfo

    def rebinding(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.test":
            lookups.append(host)
            # a second answer (loopback too, so a failing test sends nothing elsewhere) where
            # nothing listens: a connection to it would fail the fetch
            host = "127.0.0.1" if len(lookups) == 1 else "127.0.0.2"
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    answer = fetch(f"http://rebind.test:{port_of(server)}/x.ttl", timeout=5, max_bytes=100,
                   policy=LoopbackPorts(server))
    assert answer.status == 200
    assert lookups == ["rebind.test"]


def test_a_name_with_any_refused_address_is_refused(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first address would be let through; the second is not, so neither is tried."""
    hosts.clear()
    real = socket.getaddrinfo

    def mixed(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        assert host == "mixed.test"
        return [*real("127.0.0.1", port, *args, **kwargs),
                *real("10.0.0.1", port, *args, **kwargs)]

    monkeypatch.setattr(socket, "getaddrinfo", mixed)
    url = f"http://mixed.test:{port_of(server)}/"
    with pytest.raises(AddressNotPublic, match=re.escape(f"cannot fetch {url}: the address")):
        fetch(url, timeout=5, max_bytes=100, policy=LoopbackPorts(server))
    assert hosts == []


def test_every_redirect_hop_is_checked(server: str, other: str) -> None:
    hosts.clear()
    with pytest.raises(AddressNotPublic, match=r"\(redirected to http://127.0.0.1:\d+/x\)"):
        fetch(f"{server}/to?{other}/x", timeout=5, max_bytes=100, policy=LoopbackPorts(server))
    assert hosts == [f"127.0.0.1:{port_of(server)}"]
    answer = fetch(f"{server}/to?{other}/x", timeout=5, max_bytes=100,
                   policy=LoopbackPorts(server, other))
    assert answer.url == f"{other}/x" and answer.status == 200


def test_redirects_stay_on_http_and_are_bounded(server: str) -> None:
    with pytest.raises(FetchError, match="only http:// and https://"):
        fetch(f"{server}/to?file:///etc/passwd", timeout=5, max_bytes=100, policy=ANY_ADDRESS)
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(f"{server}/loop", timeout=5, max_bytes=100, policy=ANY_ADDRESS)
    answer = fetch(f"{server}/loop", timeout=5, max_bytes=100, policy=ANY_ADDRESS,
                   follow_redirects=False)
    assert answer.status == 302


def test_the_deadline_holds_for_a_trickling_body(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="could not be fetched"):
        fetch(f"{server}/trickle", timeout=2, max_bytes=100, policy=ANY_ADDRESS)
    assert time.monotonic() - started < 2 + 10  # a hang guard: the trickle lasts 40 s


def test_the_size_limit_and_unfetchable_urls(server: str) -> None:
    with pytest.raises(PayloadTooLarge, match="larger than the limit of 5 bytes"):
        fetch(f"{server}/x.ttl", timeout=5, max_bytes=5, policy=ANY_ADDRESS)
    for url, words in [("ftp://example.org/x", "only http:// and https://"),
                       ("http://[::1/", "not a valid URL"),
                       ("http://0177.0.0.1/", "not a valid URL"),
                       ("http:///path", "no host")]:
        with pytest.raises(FetchError, match=words):
            fetch(url, timeout=5, max_bytes=100)
