"""Request bodies: read with a size limit (413), and the RDF syntax their Content-Type names."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from catalogue.errors import PayloadTooLarge, UnsupportedMediaType
from catalogue.ingest.formats import JSON_OR_YAML
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

# The request body of a route that reads it itself, for the OpenAPI document (FastAPI cannot see
# a body read from the stream): any syntax of BODY_FORMATS, or an OpenAPI description (see
# body_syntax), as text.
SOURCE_BODY_OPENAPI: dict[str, object] = {
    "requestBody": {
        "required": True,
        "content": {media: {"schema": {"type": "string"}}
                    for media in sorted({*BODY_FORMATS, *JSON_OR_YAML})},
    },
}

# Bytes a multipart form may have beyond its largest field: boundaries, headers, other fields.
_FORM_FRAMING = 64 * 1024


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


async def read_form(request: Request, limit: int) -> FormData:
    """The form, refusing (413) a body over `limit` (with room for the multipart framing) and
    any field over `limit` bytes, which Starlette answers with a 400 of its own."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + _FORM_FRAMING:
        raise PayloadTooLarge(f"the form has {declared} bytes; the limit is {limit}")
    try:
        return await request.form(max_part_size=limit)
    except HTTPException as exc:
        if exc.status_code == 400 and "exceeded maximum size" in str(exc.detail):
            raise PayloadTooLarge(f"a form field is larger than the limit of {limit} bytes"
                                  ) from None
        raise


def media_type_of(content_type: str | None) -> str:
    """The media type of a Content-Type, parameters left out, in lower case."""
    return (content_type or "").split(";")[0].strip().lower()


def body_syntax(content_type: str | None) -> tuple[RdfFormat | None, str | None]:
    """(RDF syntax, None) of a body by its Content-Type, or (None, media type) for a JSON or
    YAML type an OpenAPI description comes as (application/yaml, application/vnd.oai.openapi,
    application/json...), which the reader tells from JSON-LD by its content;
    UnsupportedMediaType (415) for any other type."""
    media = media_type_of(content_type)
    if media in JSON_OR_YAML:
        return None, media
    try:
        return body_format(content_type), None
    except UnsupportedMediaType as exc:
        raise UnsupportedMediaType(f"{exc}; or an OpenAPI description as "
                                   + ", ".join(sorted(JSON_OR_YAML - {"application/json"}))
                                   ) from None


def body_format(content_type: str | None, *, default: RdfFormat | None = None) -> RdfFormat:
    media = media_type_of(content_type)
    found = BODY_FORMATS.get(media, default if not media else None)
    if found is None:
        raise UnsupportedMediaType(
            f"Content-Type {media or '(none)'} is not an RDF syntax we read; use one of "
            + ", ".join(sorted(BODY_FORMATS))
        )
    return found
