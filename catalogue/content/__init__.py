"""The bundled default content: loaded into an empty store on first `catalogue serve`."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from catalogue.ingest.load import Listener, LoadResult, graph_iri_for, write_sources
from catalogue.ingest.rdf import parse_source
from catalogue.namespaces import BUNDLED_BASE
from catalogue.store.base import Store

# Bundled graphs have a source IRI under this prefix; the registry itself owns them.
BUNDLED_SOURCE = "urn:catalogue:bundled:"


def bundled_files() -> list[Path]:
    folder = resources.files("catalogue.content")
    return sorted(
        Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith((".ttl", ".trig"))
    )


def load_bundled(
    store: Store, *, base: str, listeners: Sequence[Listener] = ()
) -> list[LoadResult]:
    """Load every bundled file into its own graph, with our IRIs rewritten to `base`."""
    sources = [
        parse_source(
            path.read_bytes().replace(BUNDLED_BASE.encode(), f"{base}/id/".encode()),
            name=path.name,
            uri=BUNDLED_SOURCE + path.name,
            graph=graph_iri_for(base, "bundled-" + path.name),
        )
        for path in bundled_files()
    ]
    return write_sources(store, sources, listeners=listeners)


def is_bundled(source: str) -> bool:
    return source.startswith(BUNDLED_SOURCE)
