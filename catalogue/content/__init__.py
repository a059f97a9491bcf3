"""The bundled default content: loaded into an empty store on first `catalogue serve`."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from catalogue.ingest.load import Listener, LoadResult, graph_iri_for, write_sources
from catalogue.ingest.openapi import parse_openapi
from catalogue.ingest.rdf import ParsedSource, parse_source
from catalogue.namespaces import BUNDLED_BASE
from catalogue.store.base import Store
from catalogue.store.terms import RdfFormat, Triple, parse

# Bundled graphs have a source IRI under this prefix; the registry itself owns them.
BUNDLED_SOURCE = "urn:catalogue:bundled:"


# Bundled OpenAPI documents (content/openapi/, made by build_openapi.py): file -> (graph name,
# publisher). The graph name fixes the API's IRI ({base}/id/api/{name}). Beside each document a
# Turtle file with the same stem (`x.openapi.yaml` -> `x.ttl`) adds what an OpenAPI document cannot
# say (the dataset it serves, access rights, theme, the DCAT-AP-NL licence); it goes into the
# API's own graph, and for a subject and property it states, it replaces what the importer derived.
OPENAPI: dict[str, tuple[str, str]] = {
    "bag-individuele-bevragingen-v2.openapi.yaml": (
        "bag-individuele-bevragingen",
        "https://identifier.overheid.nl/tooi/id/zbo/zb000195",  # Kadaster
    ),
    "haal-centraal-brp-bevragen.openapi.yaml": (
        "brp-personen",
        "https://identifier.overheid.nl/tooi/id/oorg/oorg10103",  # RvIG
    ),
}


# Our own vocabulary (ontologies/ at the top of the checkout, installed as the package
# catalogue._ontologies) is bundled too, browsable as a begrippenkader.
ONTOLOGIES = Path(str(resources.files("catalogue._ontologies")))


def bundled_files() -> list[Path]:
    folder = resources.files("catalogue.content")
    content = [
        Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith((".ttl", ".trig"))
    ]
    return sorted(content) + sorted(ONTOLOGIES.glob("*.ttl"))


def load_bundled(
    store: Store, *, base: str, listeners: Sequence[Listener] = ()
) -> list[LoadResult]:
    """Load every bundled file into its own graph, with our IRIs rewritten to `base`; the
    OpenAPI documents go through the OpenAPI importer."""
    sources: list[ParsedSource] = [
        parse_source(
            path.read_bytes().replace(BUNDLED_BASE.encode(), f"{base}/id/".encode()),
            name=path.name,
            uri=BUNDLED_SOURCE + path.name,
            graph=graph_iri_for(base, "bundled-" + path.name),
        )
        for path in bundled_files()
    ]
    folder = Path(str(resources.files("catalogue.content"))) / "openapi"
    for name, (graph, publisher) in OPENAPI.items():
        parsed = parse_openapi(
            _rebased(folder / name, base),
            name=name,
            uri=BUNDLED_SOURCE + "openapi/" + name,
            graph=f"{base}/id/graph/{graph}",
            base=base,
            publisher=publisher,
        )
        extra = folder / (name.split(".")[0] + ".ttl")
        if extra.is_file():
            for triples in parsed.graphs.values():
                _overlay(triples, _rebased(extra, base))
        sources.append(parsed)
    return write_sources(store, sources, listeners=listeners)


def _rebased(path: Path, base: str) -> bytes:
    return path.read_bytes().replace(BUNDLED_BASE.encode(), f"{base}/id/".encode())


def _overlay(triples: list[Triple], turtle: bytes) -> None:
    """Add our own triples to an imported graph; a (subject, property) we state replaces the
    importer's values for it."""
    ours = [quad.triple for quad in parse(turtle, RdfFormat.TURTLE)]
    stated = {(t.subject, t.predicate) for t in ours}
    triples[:] = [t for t in triples if (t.subject, t.predicate) not in stated] + ours


def bundled_document(name: str, *, base: str) -> bytes | None:
    """A bundled OpenAPI document as the catalogue loaded it (our IRIs under `base`), by its
    file name; None for any other name."""
    if name not in OPENAPI:
        return None
    return _rebased(Path(str(resources.files("catalogue.content"))) / "openapi" / name, base)


def is_bundled(source: str) -> bool:
    return source.startswith(BUNDLED_SOURCE)
