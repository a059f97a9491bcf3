"""Request bodies: read with a size limit (413), and the RDF syntax their Content-Type names."""

from __future__ import annotations

from fastapi import Request

from catalogue.errors import PayloadTooLarge, UnknownFormat
from catalogue.store.terms import RdfFormat

BODY_FORMATS: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/x-turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/trig": RdfFormat.TRIG,
    "application/n-quads": RdfFormat.N_QUADS,
}


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing (413) as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the body has {declared} bytes; the limit is {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the body passes the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def body_format(content_type: str | None, *, default: RdfFormat | None = None) -> RdfFormat:
    media = (content_type or "").split(";")[0].strip().lower()
    found = BODY_FORMATS.get(media, default if not media else None)
    if found is None:
        raise UnknownFormat(
            f"Content-Type {media or '(none)'} is not an RDF syntax we read; use one of "
            + ", ".join(sorted(BODY_FORMATS))
        )
    return found
