"""Every outgoing fetch (validate by URL, harvest, URL checks, federated search): http and https
only, to public addresses only on every redirect hop, within one total deadline and a size limit.

The host is resolved here, every address it resolves to is checked, and the connection goes to
an address that was checked (no second lookup a rebinding DNS server could answer differently);
the Host header and TLS server name stay those of the URL.
"""

from __future__ import annotations

import concurrent.futures
import functools
import socket
import ssl
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address, ip_address

import httpcore
import httpx

from catalogue.errors import AddressNotPublic, FetchError, PayloadTooLarge

IPAddress = IPv4Address | IPv6Address
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
# What goes wrong on the wire. Reported in one wording, so that an answer cannot tell an open
# port from a closed one, or a refused connection from a silent one.
FAILURES = (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError,
            httpcore.UnsupportedProtocol, OSError, UnicodeError)


def is_public(address: IPAddress) -> bool:
    """A global unicast address, and so is every IPv4 address it carries (6to4, Teredo).

    >>> [is_public(ip_address(a)) for a in ("8.8.8.8", "127.0.0.1", "::ffff:127.0.0.1", "::")]
    [True, False, False, False]
    """
    if not address.is_global or address.is_multicast or address.is_reserved:
        return False
    if isinstance(address, IPv6Address):
        return all(is_public(inner) for inner in _embedded(address))
    return True


def _embedded(address: IPv6Address) -> Iterator[IPv4Address]:
    # Mapped (::ffff:a.b.c.d) and NAT64 addresses are reserved or not global already.
    if address.sixtofour is not None:
        yield address.sixtofour
    if address.teredo is not None:
        yield from address.teredo


class AddressPolicy:
    """Which addresses a fetch may connect to: public ones. The web always uses this one."""

    def allows(self, address: IPAddress, port: int) -> bool:
        return is_public(address)


class AnyAddress(AddressPolicy):
    """Private, loopback and link-local addresses too: the command line's
    `--allow-private-addresses`, for an operator harvesting inside their own network."""

    def allows(self, address: IPAddress, port: int) -> bool:
        return not (address.is_unspecified or address.is_multicast)


PUBLIC_ONLY = AddressPolicy()
ANY_ADDRESS = AnyAddress()


def address_policy(*, allow_private: bool) -> AddressPolicy:
    return ANY_ADDRESS if allow_private else PUBLIC_ONLY


@dataclass(frozen=True)
class Fetched:
    """An answer: where it came from after redirects, its status, headers (names in lower
    case) and body (empty unless a 2xx answer was read)."""

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def fetch(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    follow_redirects: bool = True,
    read_body: bool = True,
    policy: AddressPolicy = PUBLIC_ONLY,
    content: bytes | None = None,
) -> Fetched:
    """The answer at `url` within `timeout` seconds in all (redirects and body included).

    Raises FetchError when the URL is not http(s), no answer comes in time or the connection
    fails; AddressNotPublic when a hop's host resolves to an address `policy` refuses;
    PayloadTooLarge when the body is larger than `max_bytes`."""
    deadline = time.monotonic() + timeout
    backend = _GuardedBackend(policy, deadline)
    with httpcore.ConnectionPool(ssl_context=_ssl_context(), network_backend=backend) as pool:
        target = _checked_url(url)
        for _ in range(MAX_REDIRECTS + 1):
            try:
                answer = _request(pool, method, target, headers or {}, deadline,
                                  max_bytes if read_body else None, content)
            except _Refused:
                hop = "" if str(target) == url else f" (redirected to {target})"
                raise AddressNotPublic(f"cannot fetch {url}{hop}: the address is not public"
                                       ) from None
            except FAILURES:
                raise FetchError(f"{url} could not be fetched (no connection, or no complete "
                                 f"answer within {timeout:.3g} s)") from None
            location = answer.headers.get("location")
            if not (follow_redirects and answer.status in REDIRECTS and location):
                return answer
            target = _checked_url(location, base=target, origin=url)
            if answer.status == 303 and method != "HEAD":
                method = "GET"
    raise FetchError(f"{url} could not be fetched (more than {MAX_REDIRECTS} redirects)")


def checked_url(url: str) -> httpx.URL:
    """`url` parsed, when it is an http(s) URL with a host; FetchError (what is wrong) if not."""
    return _checked_url(url)


def _checked_url(url: str, *, base: httpx.URL | None = None, origin: str = "") -> httpx.URL:
    where = f"{origin} redirects to {url!r}" if origin else repr(url)
    try:
        parsed = base.join(url) if base is not None else httpx.URL(url)
    except (httpx.InvalidURL, UnicodeError, TypeError, ValueError) as exc:
        raise FetchError(f"{where}: not a valid URL ({exc})") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"{where}: only http:// and https:// URLs can be fetched")
    if not parsed.host:
        raise FetchError(f"{where}: the URL has no host")
    return parsed


def _request(
    pool: httpcore.ConnectionPool, method: str, url: httpx.URL, headers: Mapping[str, str],
    deadline: float, max_bytes: int | None, content: bytes | None = None,
) -> Fetched:
    core_url = httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port,
                            target=url.raw_path)
    # Set here because httpcore would write an IPv6 host without its brackets.
    sent = [(b"Host", url.netloc), *((k.encode(), v.encode()) for k, v in headers.items())]
    left = max(deadline - time.monotonic(), 0.001)
    limits = {"connect": left, "read": left, "write": left, "pool": left}
    if content is not None:
        sent.append((b"Content-Length", str(len(content)).encode()))
    with pool.stream(method, core_url, headers=sent, content=content,
                     extensions={"timeout": limits}) as response:
        answer = Fetched(url=str(url), status=response.status, headers={
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers})
        if max_bytes is None or not 200 <= response.status < 300:
            return answer
        body = _body(response.iter_stream(), answer, max_bytes)
    return Fetched(url=answer.url, status=answer.status, headers=answer.headers, body=body)


def _body(chunks: Iterable[bytes], answer: Fetched, max_bytes: int) -> bytes:
    declared = answer.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"{answer.url}: larger than the limit of {max_bytes} bytes")
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"{answer.url}: larger than the limit of {max_bytes} bytes")
        parts.append(chunk)
    return b"".join(parts)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Made once: loading the certificate store costs more than a fetch to a near server.
    return httpcore.default_ssl_context()


class _Refused(Exception):
    """A host that resolves to an address the policy refuses (turned into AddressNotPublic)."""


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to checked addresses, and bounds every socket wait by the fetch's deadline,
    so a server that trickles a byte a second cannot stretch it."""

    def __init__(self, policy: AddressPolicy, deadline: float) -> None:
        self._policy = policy
        self._deadline = deadline
        self._plain = httpcore.SyncBackend()

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port, self._deadline)
        if not addresses or not all(self._policy.allows(a, port) for a in addresses):
            raise _Refused(host)
        failure: Exception = httpcore.ConnectError(host)
        for address in addresses:
            try:
                stream = self._plain.connect_tcp(
                    str(address), port, timeout=_within(timeout, self._deadline),
                    local_address=local_address, socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return _BoundedStream(stream, self._deadline)
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise _Refused(path)

    def sleep(self, seconds: float) -> None:
        self._plain.sleep(min(seconds, max(self._deadline - time.monotonic(), 0)))


def _resolve(host: str, port: int, deadline: float) -> list[IPAddress]:
    """Every address `host` resolves to, in the resolver's order (any spelling: 2130706433,
    0x7f.1 and 127.1 are 127.0.0.1 here, as they would be to connect). getaddrinfo has no
    timeout of its own, so it runs in a thread the fetch stops waiting for at the deadline."""
    lookup = _resolvers().submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        found = lookup.result(timeout=_within(None, deadline))
    except concurrent.futures.TimeoutError:
        raise httpcore.ConnectTimeout(host) from None
    return list(dict.fromkeys(ip_address(info[4][0]) for info in found))


@functools.cache
def _resolvers() -> concurrent.futures.ThreadPoolExecutor:
    return concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="resolve")


def _within(timeout: float | None, deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("past the deadline")
    return left if timeout is None else min(timeout, left)


class _BoundedStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _within(timeout, self._deadline))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _within(timeout, self._deadline))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self._inner.start_tls(ssl_context, server_hostname,
                                    _within(timeout, self._deadline))
        return _BoundedStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)
