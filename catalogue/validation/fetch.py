"""Fetch a source to validate from a URL, through the one outgoing client (catalogue.fetch):
public addresses only unless the caller's policy says otherwise, a deadline and a size limit."""

from __future__ import annotations

from catalogue.errors import FetchError
from catalogue.fetch import PUBLIC_ONLY, AddressPolicy, fetch

ACCEPT = "text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8, */*;q=0.1"


def fetch_source(
    url: str, *, timeout: float, max_bytes: int, policy: AddressPolicy = PUBLIC_ONLY
) -> tuple[bytes, str]:
    """The body and media type at `url`; FetchError when it cannot be fetched in time or the
    server answers an error, AddressNotPublic for a private address, PayloadTooLarge."""
    answer = fetch(url, timeout=timeout, max_bytes=max_bytes, policy=policy,
                   headers={"Accept": ACCEPT, "User-Agent": "catalogue-validator"})
    if answer.status >= 300:
        raise FetchError(f"{url}: the server answered {answer.status}")
    return answer.body, answer.media_type
