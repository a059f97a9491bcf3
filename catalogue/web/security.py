"""The security headers of every response, wherever it is answered: the app, the fast /sparql
path and the SPARQL front processes."""

from __future__ import annotations

from starlette.types import Message, Send

# No inline script anywhere (our JavaScript is in site/static), so a stored link or an injected
# tag cannot run script on our origin; no framing (clickjacking). Styles may be inline: YASGUI
# sets them, and a style cannot run script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
)


def with_security_headers(send: Send) -> Send:
    """`send`, adding the security headers a response does not set itself."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            message["headers"] = [*message.get("headers", []),
                                  *(h for h in SECURITY_HEADERS if h[0] not in present)]
        await send(message)

    return sending
