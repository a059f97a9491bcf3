"""The history page's question: which versions a graph has, and what changed in one of them."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.errors import NotFound
from catalogue.publish.diff import GraphDiff, diff
from catalogue.publish.history import Version
from catalogue.publish.service import Publishing
from catalogue.store.base import GraphRecord


@dataclass(frozen=True)
class HistoryPage:
    graph: str
    record: GraphRecord | None
    versions: tuple[Version, ...]
    shown: Version | None  # the version whose changes are shown
    previous: Version | None
    changes: GraphDiff | None


def history_page(publishing: Publishing, graph: str, version: int | None = None) -> HistoryPage:
    """The versions of `graph`, newest first, and the diff of `version` (default: the newest)
    against the version before it."""
    versions = publishing.history.versions(graph)
    record = publishing.owner(graph)
    if not versions and record is None:
        raise NotFound(f"no graph <{graph}> and no history for it", subject=graph)
    shown = next((v for v in versions if v.number == version), None) if version else (
        versions[-1] if versions else None)
    if version and shown is None:
        raise NotFound(f"graph <{graph}> has no version {version}")
    previous = None
    changes = None
    if shown is not None:
        earlier = [v for v in versions if v.number < shown.number]
        previous = earlier[-1] if earlier else None
        old = publishing.history.triples(graph, previous.number) if previous else []
        changes = diff(old, publishing.history.triples(graph, shown.number), limit=500)
    return HistoryPage(graph, record, tuple(reversed(versions)), shown, previous, changes)
