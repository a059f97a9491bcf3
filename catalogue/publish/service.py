"""Publishing: a publisher replaces, adds to, deletes or rolls back a graph it owns. Every write
is authorised, validated (nothing written on a Violation), one transaction, and kept in history."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from threading import Lock

from catalogue.config import Settings
from catalogue.content import is_bundled
from catalogue.errors import Forbidden, ForeignSubjects, NotFound, PayloadTooLarge
from catalogue.ingest.formats import Origin, parse_input
from catalogue.ingest.load import Listener, write_sources
from catalogue.ingest.rdf import ParsedSource
from catalogue.ingest.skolem import skolemise
from catalogue.limits import REQUEST_LIMITS, Limits, checkpoint
from catalogue.publish.history import History, Version
from catalogue.publish.publishers import Publisher, Publishers
from catalogue.publish.rules import Claims, check_graph_iri, foreign_subjects, subjects_of
from catalogue.store.base import GraphRecord, Store
from catalogue.store.terms import RdfFormat, Triple
from catalogue.validation import DEFAULT_PROFILE, Profile, ValidationReport, find_profile
from catalogue.validation.check import validation_check

PUBLISHED_SOURCE = "urn:catalogue:published:"


@dataclass(frozen=True)
class PublishResult:
    graph: str
    created: bool
    triples: int
    version: Version
    report: ValidationReport | None


def publishing_dir(settings: Settings) -> Path:
    """Where publishers and history live: the setting, else beside the on-disk store."""
    if settings.publish_dir is not None:
        return settings.publish_dir
    if settings.in_memory:
        return Path(tempfile.mkdtemp(prefix="catalogue-publishing-"))
    return settings.store.with_name(settings.store.name + "-publishing")


class Publishing:
    def __init__(
        self, store: Store, folder: Path, *, profile: Profile | None = None,
        listeners: Sequence[Listener] = (), max_bytes: int = 20 * 1024 * 1024,
        limits: Limits = REQUEST_LIMITS, base: str = "urn:catalogue",
    ) -> None:
        self.store = store
        self.base = base  # what an OpenAPI description's API is minted under
        self.publishers = Publishers(folder)
        self.history = History(folder)
        self.claims = Claims(folder)
        self.profile = profile or find_profile(DEFAULT_PROFILE)
        self.listeners = tuple(listeners)
        self.max_bytes = max_bytes
        self.limits = limits
        self._lock = Lock()  # one write at a time keeps history versions in store order
        # Told of every new version after it is written (webhooks); never raise into a write.
        self.on_version: list[Callable[[str, Version], None]] = []

    def put(self, publisher: Publisher, graph: str, body: bytes, *,
            format: RdfFormat | None = None, media_type: str | None = None) -> PublishResult:
        """Replace the graph's content with the body (Graph Store Protocol PUT): RDF in
        `format` (Turtle by default), or with `media_type` a JSON or YAML type, an OpenAPI
        description (else JSON-LD, by content)."""
        return self._write(publisher, graph, body, format, media_type, merge=False)

    def post(self, publisher: Publisher, graph: str, body: bytes, *,
             format: RdfFormat | None = None, media_type: str | None = None) -> PublishResult:
        """Add the body's triples to the graph (Graph Store Protocol POST); see `put`."""
        return self._write(publisher, graph, body, format, media_type, merge=True)

    def delete(self, publisher: Publisher, graph: str) -> Version:
        with self._lock:
            record = self._authorise(publisher, graph)
            if record is None:
                raise NotFound(f"no graph <{graph}> in the catalogue", subject=graph)
            self._keep_initial(graph, record)
            self.store.drop_graph(graph)
            version = self.history.record(graph, [], at=_now(), by=publisher.organisation,
                                          action="delete")
        self._tell(graph, version)
        return version

    def rollback(self, publisher: Publisher, graph: str, number: int) -> PublishResult:
        """Make an earlier version the current one again (validated like any write)."""
        with self._lock:
            record = self._authorise(publisher, graph)
            triples = self.history.triples(graph, number)
            return self._replace(publisher, graph, triples, record, f"rollback to {number}",
                                 hashlib.sha256(str(number).encode()).hexdigest())

    def content(self, graph: str) -> list[Triple]:
        return self.store.construct(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?graph { ?s ?p ?o } }", {"graph": graph}
        )

    def owner(self, graph: str) -> GraphRecord | None:
        return next((r for r in self.store.graphs() if r.graph == graph), None)

    # ------------------------------------------------------------------ internals

    def _write(self, publisher: Publisher, graph: str, body: bytes, format: RdfFormat | None,
               media_type: str | None, *, merge: bool) -> PublishResult:
        if len(body) > self.max_bytes:
            raise PayloadTooLarge(f"the body has {len(body)} bytes; the limit is {self.max_bytes}")
        check_graph_iri(graph, self.base)
        if media_type is None:
            format = format or RdfFormat.TURTLE
        parsed = parse_input(body, Origin(name="request body", uri=graph, graph=graph,
                                          base=self.base, keep_graphs=False, format=format,
                                          limits=self.limits, media_type=media_type,
                                          publisher=publisher.organisation))
        skolemise(parsed.graphs, self.base)  # records as blank nodes get IRIs (ingest.skolem)
        triples = parsed.graphs.get(graph, [])
        with self._lock:
            checkpoint()  # the wait for the lock counts against the request's time
            record = self._authorise(publisher, graph)
            if merge and record is not None:
                triples = list(dict.fromkeys([*self.content(graph), *triples]))
            return self._replace(publisher, graph, triples, record,
                                 "post" if merge else "put", parsed.content_hash)

    def _replace(self, publisher: Publisher, graph: str, triples: list[Triple],
                 record: GraphRecord | None, action: str, content_hash: str) -> PublishResult:
        subjects = subjects_of(triples)
        foreign = foreign_subjects(self.store, self.claims, subjects,
                                   writer=publisher.organisation, graph=graph)
        if foreign:
            raise ForeignSubjects(graph, foreign)
        reports: list[ValidationReport] = []
        check = validation_check(self.profile, reports)
        source = ParsedSource(name=graph, uri=PUBLISHED_SOURCE + content_hash,
                              content_hash=content_hash, graphs={graph: triples})
        if record is not None:
            self._keep_initial(graph, record)
        # The check raises Unprocessable before the one transaction: nothing is written.
        write_sources(self.store, [source], publisher=publisher.organisation, checks=[check])
        self.claims.claim(subjects, owner=publisher.organisation, graph=graph)
        version = self.history.record(graph, triples, at=_now(), by=publisher.organisation,
                                      action=action, content_hash=content_hash)
        self._tell(graph, version)
        return PublishResult(graph, record is None, len(set(triples)), version,
                             reports[0] if reports else None)

    def _authorise(self, publisher: Publisher, graph: str) -> GraphRecord | None:
        """The graph's record when the publisher may write it; Forbidden otherwise. A deleted
        graph keeps its owner: whoever made its first version (history), so nobody else can
        roll it back or publish to its IRI again."""
        check_graph_iri(graph, self.base)
        record = self.owner(graph)
        if record is None:
            if self.store.ask("ASK WHERE { GRAPH ?graph { ?s ?p ?o } }", {"graph": graph}):
                raise Forbidden(f"<{graph}> exists without an owner; only the registry writes it")
            creator = self.history.creator(graph)
            if creator is not None and creator != publisher.organisation:
                raise Forbidden(f"<{graph}> was deleted, and still belongs to "
                                f"{creator or 'the registry'}, not to {publisher.organisation}")
            # A new graph one slash away from another owner's would pass for it.
            twin = graph[:-1] if graph.endswith("/") else graph + "/"
            other = self.owner(twin)
            if other is not None and other.publisher != publisher.organisation:
                raise Forbidden(f"<{graph}> would pass for <{twin}>, which belongs to "
                                f"{other.publisher or 'the registry'}")
            return None
        if is_bundled(record.source):
            raise Forbidden(f"<{graph}> is bundled content, owned by the registry itself")
        if record.publisher != publisher.organisation:
            raise Forbidden(f"<{graph}> belongs to {record.publisher or 'the registry'}, "
                            f"not to {publisher.organisation}")
        return record

    def _keep_initial(self, graph: str, record: GraphRecord) -> None:
        """A graph loaded before its first publish gets its first version now."""
        if not self.history.versions(graph):
            self.history.record(graph, self.content(graph), at=record.loaded_at.isoformat(),
                                by=record.publisher or "", action="initial",
                                content_hash=record.content_hash)

    def _tell(self, graph: str, version: Version) -> None:
        for listener in self.listeners:
            listener(self.store, [graph])
        for told in self.on_version:
            told(graph, version)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
