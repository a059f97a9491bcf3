"""Which representation to answer with: by suffix first, else by the Accept header."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.errors import NotAcceptable
from catalogue.store.terms import RdfFormat


@dataclass(frozen=True)
class Representation:
    suffix: str
    media_type: str
    rdf_format: RdfFormat | None  # None for HTML

    @property
    def is_html(self) -> bool:
        return self.rdf_format is None


HTML = Representation("html", "text/html", None)
RDF_REPRESENTATIONS = (
    Representation("ttl", "text/turtle", RdfFormat.TURTLE),
    Representation("jsonld", "application/ld+json", RdfFormat.JSON_LD),
    Representation("rdf", "application/rdf+xml", RdfFormat.RDF_XML),
    Representation("nt", "application/n-triples", RdfFormat.N_TRIPLES),
)
REPRESENTATIONS = (HTML, *RDF_REPRESENTATIONS)
BY_SUFFIX = {r.suffix: r for r in REPRESENTATIONS}
_ALIASES = {
    "application/xhtml+xml": HTML,
    "application/x-turtle": RDF_REPRESENTATIONS[0],
    "application/json": RDF_REPRESENTATIONS[1],
    "application/rdf+json": RDF_REPRESENTATIONS[1],
    "application/xml": RDF_REPRESENTATIONS[2],
    "text/plain": RDF_REPRESENTATIONS[3],
}
BY_MEDIA_TYPE = {r.media_type: r for r in REPRESENTATIONS} | _ALIASES


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (ties keep header order)."""
    ranges: list[tuple[str, float, int]] = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((fields[0].lower(), quality, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, quality) for media, quality, _ in ranges]


def choose(accept: str | None, suffix: str | None = None) -> Representation:
    """The representation to serve; NotAcceptable when the client accepts none we have."""
    if suffix:
        found = BY_SUFFIX.get(suffix)
        if found is None:
            raise NotAcceptable(f"no representation with suffix .{suffix}; we serve "
                                + ", ".join(f".{r.suffix}" for r in REPRESENTATIONS))
        return found
    if not accept:
        return HTML
    for media, quality in parse_accept(accept):
        if quality <= 0:
            continue
        if media in ("*/*", "text/*"):
            return HTML
        if media == "application/*":
            return RDF_REPRESENTATIONS[1]
        if media in BY_MEDIA_TYPE:
            return BY_MEDIA_TYPE[media]
    raise NotAcceptable(
        f"none of the accepted types ({accept}) is served here; we serve "
        + ", ".join(r.media_type for r in REPRESENTATIONS)
    )


def split_suffix(path: str) -> tuple[str, str | None]:
    """`dataset/brp.ttl` -> (`dataset/brp`, `ttl`) when the suffix names a representation."""
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in BY_SUFFIX and "/" not in suffix:
        return stem, suffix
    return path, None
