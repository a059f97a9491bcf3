"""The publishing rules every write obeys, beside "only your own graphs": which graph IRIs a
publisher may create, and which subjects its triples may describe (see README, "Publishing
rules"). Subjects are claimed by the first owner that described them; claims outlive deletion."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from catalogue.content import is_bundled
from catalogue.errors import InvalidGraphIri
from catalogue.namespaces import SYSTEM_GRAPH
from catalogue.store.base import Store
from catalogue.store.terms import NamedNode, Triple

RESERVED = "urn:catalogue:"  # our own graphs and sources (system graph, bundled, quality)
# Graphs the registry derives from others' records (quality scores): they annotate, and claim
# nothing, else a quality run would take every dataset away from its publisher.
ANNOTATION_SOURCES = ("urn:catalogue:quality:",)
_URN = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,30}[a-z0-9]:[^\s]+$", re.IGNORECASE)  # RFC 8141
_LABEL = r"[^\W_]([^\W_]|-)*"
_HOST = re.compile(rf"^{_LABEL}(\.{_LABEL})*\.?$")
_NOT_IN_IRI = set('<>"{}|^`\\')
_BATCH = 500


def check_graph_iri(graph: str, base: str | None = None) -> None:
    """InvalidGraphIri unless `graph` is an http(s) IRI with a host, written in its normal form
    (so that no two spellings name one graph), or a urn:NID:NSS outside our reserved
    urn:catalogue: space; under our own `base`, only a graph of {base}/id/graph/ that is not
    one of the registry's own (bundled content, quality scores)."""
    if any(c in _NOT_IN_IRI or c.isspace() or ord(c) < 0x20 for c in graph):
        raise InvalidGraphIri(f"graph={graph!r} contains characters an IRI cannot hold")
    if graph.lower().startswith(RESERVED) or graph == SYSTEM_GRAPH:
        raise InvalidGraphIri(f"graph={graph!r} is in the catalogue's reserved {RESERVED} space; "
                              "choose an IRI of your own organisation")
    scheme = graph.partition(":")[0].lower()
    if scheme == "urn":
        if not _URN.match(graph):
            raise InvalidGraphIri(f"graph={graph!r} is not a URN: write urn:NAMESPACE:NAME "
                                  "(for example urn:uuid:…)")
        return
    if scheme not in ("http", "https"):
        raise InvalidGraphIri(f"graph={graph!r}: give an absolute http(s) or urn IRI of your own "
                              "graph")
    _check_authority(graph)
    normal = normal_form(graph)
    if normal != graph:
        raise InvalidGraphIri(f"graph={graph!r} is another spelling of {normal!r}: write that "
                              "(lower-case scheme and host, no default port, no ./ or ../, no "
                              "fragment)")
    if base is not None and graph.startswith(base.rstrip("/") + "/"):
        place = graph[len(base.rstrip("/")) + 1:]
        if not place.startswith("id/graph/") or place.startswith(_REGISTRY_GRAPHS):
            raise InvalidGraphIri(f"graph={graph!r} is a place of the registry's own; give a "
                                  f"graph under {base.rstrip('/')}/id/graph/ or of your own "
                                  "organisation")


# Graphs of ours under {base}/: the bundled content, the quality scores.
_REGISTRY_GRAPHS = ("id/graph/bundled-", "id/graph/quality/")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normal_form(graph: str) -> str:
    """An http(s) IRI as RFC 3986 normalises it (scheme and host lower case, default port and
    dot segments and fragment gone); the path, query and their case stay."""
    parts = urlsplit(graph)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port not in (None, _DEFAULT_PORTS.get(scheme)) else ""
    segments: list[str] = []
    for segment in parts.path.split("/")[1:]:
        if segment == "..":
            segments = segments[:-1]
        elif segment != ".":
            segments.append(segment)
    path = "/" + "/".join(segments) if parts.path else ""
    if parts.path.endswith(("/.", "/..")):
        path += "/" if not path.endswith("/") else ""
    query = f"?{parts.query}" if parts.query or graph.endswith("?") else ""
    return _ESCAPE.sub(_normal_escape, f"{scheme}://{host}{port}{path}{query}")


_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _normal_escape(escape: re.Match[str]) -> str:
    """An escape of an unreserved character is the character (%62 is b); others in upper case."""
    character = chr(int(escape.group(1), 16))
    return character if character in _UNRESERVED else escape.group().upper()


def _check_authority(graph: str) -> None:
    parts = urlsplit(graph)
    problem = ""
    if not graph.lower().startswith(("http://", "https://")) or not parts.netloc:
        problem = "has no host (write http(s)://HOST/PATH)"
    elif "@" in parts.netloc:
        problem = "has a user name before its host, which only makes it look like another host"
    else:
        try:
            port = parts.port
        except ValueError:
            port = 0
        if port == 0 or parts.netloc.endswith(":"):
            problem = "has a port that is not a number from 1 to 65535"
        host = parts.hostname or ""
        if not problem and not (_HOST.match(host) or _is_ipv6(parts.netloc)):
            problem = f"has a host {host!r} that is not a host name"
    if problem:
        raise InvalidGraphIri(f"graph={graph!r} {problem}")


def _is_ipv6(netloc: str) -> bool:
    return netloc.startswith("[") and "]" in netloc


def in_own_namespace(subject: str, organisation: str) -> bool:
    """The organisation's own IRI, and IRIs under it, are always its to describe."""
    return subject == organisation or subject.startswith((organisation + "/", organisation + "#"))


class Claims:
    """Who described each subject first through publishing, in `folder/claims.sqlite`. Kept
    apart from history so that a deleted graph's subjects stay its owner's."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "claims.sqlite"

    def owners(self, subjects: Sequence[str]) -> dict[str, str]:
        if not self.path.exists():
            return {}
        found: dict[str, str] = {}
        with self._db() as db:
            for batch in _batches(subjects):
                marks = ",".join("?" * len(batch))
                found.update(db.execute(
                    f"SELECT subject, owner FROM claim WHERE subject IN ({marks})", batch))
        return found

    def claim(self, subjects: Iterable[str], *, owner: str, graph: str) -> None:
        """Record `owner` for each subject nobody claimed yet."""
        with self._db() as db:
            db.executemany("INSERT OR IGNORE INTO claim VALUES (?, ?, ?)",
                           ((s, owner, graph) for s in subjects))

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30)) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS claim (subject TEXT PRIMARY KEY, "
                       "owner TEXT NOT NULL, graph TEXT NOT NULL)")
            yield db


def subjects_of(triples: Iterable[Triple]) -> list[str]:
    """The named subjects (blank nodes are local to their graph and belong to it)."""
    return sorted({t.subject.value for t in triples if isinstance(t.subject, NamedNode)})


def foreign_subjects(store: Store, claims: Claims, subjects: Sequence[str], *, writer: str,
                     graph: str) -> dict[str, str]:
    """Each subject that belongs to an owner other than `writer`, with that owner ("" is the
    registry): claimed first through publishing, or described now in another owner's graph."""
    mine = [s for s in subjects if not in_own_namespace(s, writer)]
    found = {s: o for s, o in claims.owners(mine).items() if o != writer}
    owners = _graph_owners(store)
    for batch in _batches(mine):
        rows = store.select("SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                            {"s": batch})
        for row in rows:
            subject, where = _value(row["s"]), _value(row["g"])
            owner = owners.get(where, "")  # a graph without a record: the registry's
            if where == SYSTEM_GRAPH and (subject == graph or owners.get(subject) == writer):
                continue  # the provenance record of the writer's own graph
            if owner is not None and owner != writer:
                found.setdefault(subject, owner)
    return found


def _graph_owners(store: Store) -> dict[str, str | None]:
    """Each graph's owner: its publisher, "" for the registry, None for annotation graphs."""
    owners: dict[str, str | None] = {SYSTEM_GRAPH: ""}
    for record in store.graphs():
        if record.source.startswith(ANNOTATION_SOURCES):
            owners[record.graph] = None
        elif is_bundled(record.source) or not record.publisher:
            owners[record.graph] = ""
        else:
            owners[record.graph] = record.publisher
    return owners


def _batches(items: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _BATCH):
        yield list(items[start:start + _BATCH])


def _value(term: object) -> str:
    return str(getattr(term, "value", term))
