"""History follows the store: at start, versions the store holds but the history missed (a
process stopped between the store's commit and the history's write) are added, marked
`recovered`, from each graph's content hash and time in the system graph."""

from __future__ import annotations

from datetime import UTC, datetime

from catalogue.publish.history import History
from catalogue.publish.service import PUBLISHED_SOURCE
from catalogue.store.base import GraphRecord, Store

RECOVERED = "recovered"


def recover_history(store: Store, history: History) -> list[str]:
    """Add the missing newest version of each published graph, and the missing deletion of
    each graph that is gone from the store; returns the graphs that got one."""
    records = {record.graph: record for record in store.graphs()}
    recovered = [graph for graph, record in records.items() if _recover(store, history, record)]
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    for graph in history.graphs():
        versions = history.versions(graph)
        if graph not in records and versions and versions[-1].action != "delete":
            history.record(graph, [], at=now, by="", action=RECOVERED)
            recovered.append(graph)
    return sorted(recovered)


def _recover(store: Store, history: History, record: GraphRecord) -> bool:
    if not record.source.startswith(PUBLISHED_SOURCE):
        return False  # loaded from a file or feed: history starts at its first publish
    versions = history.versions(record.graph)
    last = versions[-1] if versions else None
    # a version kept before versions had hashes ("") cannot be compared: taken as in step
    if last is not None and last.action != "delete" and last.hash in ("", record.content_hash):
        return False
    content = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?graph { ?s ?p ?o } }",
                              {"graph": record.graph})
    history.record(record.graph, content, at=record.loaded_at.isoformat(),
                   by=record.publisher or "", action=RECOVERED, content_hash=record.content_hash)
    return True
