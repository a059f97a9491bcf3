"""Fetch a source to validate from a URL: http(s) only, with a time limit and a size limit."""

from __future__ import annotations

import urllib.error
import urllib.request

from catalogue.errors import InputError, PayloadTooLarge, UnreadableSource

ACCEPT = "text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8, */*;q=0.1"


def fetch(url: str, *, timeout: float, max_bytes: int) -> tuple[bytes, str]:
    """The body and media type at `url`; UnreadableSource when it cannot be fetched in time."""
    if not url.startswith(("http://", "https://")):
        raise InputError(f"{url!r}: only http:// and https:// URLs can be fetched")
    request = urllib.request.Request(url, headers={"Accept": ACCEPT,
                                                   "User-Agent": "catalogue-validator"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read(max_bytes + 1)
            media_type = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise UnreadableSource(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UnreadableSource(f"{url}: cannot be fetched ({reason})") from None
    if len(body) > max_bytes:
        raise PayloadTooLarge(f"{url}: larger than the limit of {max_bytes} bytes")
    return body, media_type
