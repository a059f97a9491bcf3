"""Versions of published graphs, kept outside the store so that no query ever sees them: one
gzipped N-Triples snapshot per version and a JSON index per graph, both written atomically."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from threading import Lock

from catalogue.errors import NotFound
from catalogue.publish.files import write_atomically
from catalogue.store.terms import RdfFormat, Triple, parse, serialize


@dataclass(frozen=True)
class Version:
    """One state of a graph: who made it, when, how (put, post, delete, rollback, initial, or
    recovered: found in the store at start, written there by a process that stopped before
    it kept the version here), and the content hash the system graph holds for it."""

    number: int
    at: str
    by: str
    action: str
    triples: int
    file: str
    hash: str = ""  # "" in versions kept before hashes were


class History:
    """Snapshots under `folder/history/{sha256 of graph IRI}/`."""

    def __init__(self, folder: Path) -> None:
        self.root = folder / "history"
        self._lock = Lock()

    def versions(self, graph: str) -> list[Version]:
        try:
            data = json.loads((self._dir(graph) / "index.json").read_text("utf-8"))
        except FileNotFoundError:
            return []
        return [Version(**entry) for entry in data["versions"]]

    def creator(self, graph: str) -> str | None:
        """Who made the graph's first version ("" for the registry), None if it has none."""
        versions = self.versions(graph)
        return versions[0].by if versions else None

    def graphs(self) -> list[str]:
        """Every graph with a history."""
        found = []
        for index in sorted(self.root.glob("*/index.json")):
            found.append(str(json.loads(index.read_text("utf-8"))["graph"]))
        return found

    def record(
        self, graph: str, triples: Sequence[Triple], *, at: str, by: str, action: str,
        content_hash: str = "",
    ) -> Version:
        """Keep `triples` as the newest version of `graph`."""
        with self._lock:
            folder = self._dir(graph)
            folder.mkdir(parents=True, exist_ok=True)
            versions = self.versions(graph)
            number = versions[-1].number + 1 if versions else 1
            name = f"{number:06d}.nt.gz"
            body = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"") if triples else b""
            write_atomically(folder / name, gzip.compress(body, mtime=0))
            version = Version(number, at, by, action, len(triples), name, content_hash)
            index = {"graph": graph, "versions": [asdict(v) for v in [*versions, version]]}
            write_atomically(folder / "index.json", json.dumps(index, indent=1).encode("utf-8"))
            return version

    def triples(self, graph: str, number: int) -> list[Triple]:
        for version in self.versions(graph):
            if version.number == number:
                data = gzip.decompress((self._dir(graph) / version.file).read_bytes())
                return [quad.triple for quad in parse(data, RdfFormat.N_TRIPLES)]
        raise NotFound(f"graph <{graph}> has no version {number}")

    def _dir(self, graph: str) -> Path:
        return self.root / hashlib.sha256(graph.encode("utf-8")).hexdigest()[:32]

