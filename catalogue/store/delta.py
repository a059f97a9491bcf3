"""What changed between a graph in the store and its new content, written as a small SPARQL
update: replacing a 10k-dataset graph in which a few records changed writes those records, not
the whole graph again (one RocksDB write batch of every triple: 30 s and more at 10k datasets).

A graph's content is compared per subject: each IRI subject's triples, with the blank nodes
below it (a contact point, a checksum) written as their shape, since a blank node's name does
not last from one parse to the next. The digest of each subject is kept beside the store after
every write (`Digests`), so the next write compares the new file with that, not with the whole
graph read back from the store (5 s and more at 10k datasets); without valid digests, the graph
is read back once. A subject whose digest changed is deleted (with its blank nodes) and written
again whole; the others are left alone.

Graphs whose blank nodes are not trees hanging from IRIs, at most `MAX_DEPTH` deep, or that
hold RDF-star triple terms, are not compared: `content` answers None and the caller replaces
the whole graph."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from catalogue.store.terms import NamedNode

# Blank nodes nested deeper below an IRI than this make a graph be replaced whole.
MAX_DEPTH = 3
# When more than this share of a graph's subjects changed, DROP and INSERT is as quick.
MAX_SHARE = 0.5


@dataclass(frozen=True)
class Content:
    """A graph's triples as N-Triples lines, per IRI subject (its blank nodes' lines with it),
    and a digest of each subject's triples."""

    lines: Mapping[str, Sequence[str]]
    digests: Mapping[str, str]


@dataclass(frozen=True)
class Delta:
    """The subjects to delete (with their blank nodes) and the lines to insert."""

    gone: tuple[str, ...]  # subjects whose triples in the graph are deleted
    added: tuple[str, ...]  # N-Triples lines of the changed subjects' new triples
    subjects: frozenset[str]  # every subject whose triples changed
    objects: frozenset[str]  # IRIs that are objects of the changed subjects' new triples

    def update(self, graph: str) -> list[str]:
        """SPARQL update operations that turn the old graph into the new one."""
        parts: list[str] = []
        for start in range(0, len(self.gone), 1000):
            values = " ".join(str(NamedNode(s)) for s in self.gone[start: start + 1000])
            parts += [_delete_blank_nodes(graph, values),
                      f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ "
                      f"VALUES ?s {{ {values} }} GRAPH <{graph}> {{ ?s ?p ?o }} }}"]
        if self.added:
            parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(self.added)
                         + "\n} }")
        return parts


def delta(old: Mapping[str, str], new: Content) -> Delta | None:
    """The delta from a graph whose subjects had digests `old` to `new`; None when so much
    changed that replacing the whole graph is as quick."""
    changed = sorted(subject for subject in old.keys() | new.digests.keys()
                     if old.get(subject) != new.digests.get(subject))
    if len(changed) > MAX_SHARE * max(len(new.digests), 1):
        return None
    added = [line for subject in changed for line in new.lines.get(subject, ())]
    objects = {token[1:-1] for line in added
               if (token := _object(line)).startswith("<") and not token.startswith("<<")}
    return Delta(gone=tuple(s for s in changed if s in old), added=tuple(added),
                 subjects=frozenset(changed), objects=frozenset(objects))


def lines_of(data: bytes) -> list[str]:
    """N-Triples lines (split at \\n only: str.splitlines would also split at a U+2028 or a
    form feed that a literal holds unescaped)."""
    return [line for line in data.decode("utf-8").split("\n") if line]


def content(lines: Iterable[str]) -> Content | None:
    """The lines (N-Triples as Oxigraph writes it: single spaces, one triple a line, no empty
    line) per subject, with digests; None for blank nodes that are not trees under IRIs, or
    RDF-star."""
    own: dict[str, list[str]] = defaultdict(list)  # IRI subject -> its lines
    edges: dict[str, list[str]] = defaultdict(list)  # IRI subject -> its lines to blank nodes
    below: dict[str, list[str]] = defaultdict(list)  # blank node -> its lines
    pointed: set[str] = set()
    count = 0
    for line in lines:
        if "_:" not in line and "<<" not in line:  # most lines: IRIs and literals only
            own[line[: line.find(" ")]].append(line)
            continue
        if not line:
            continue
        if line.startswith("<<") or " <<" in line:
            return None
        subject = line[: line.find(" ")]
        blank_subject = subject.startswith("_:")
        if blank_subject:
            below[subject].append(line)
            count += 1
        else:
            own[subject].append(line)
        if "_:" in line and (target := _object(line)).startswith("_:"):
            if target in pointed:
                return None  # a blank node that two triples point at
            pointed.add(target)
            if not blank_subject:
                edges[subject].append(line)
    if any(node not in pointed for node in below):
        return None  # a blank node no triple points at
    try:
        found = _digested(own, edges, below)
    except _NotATree:
        return None
    if found[1] != count:
        return None  # blank nodes in a cycle that no IRI reaches
    return found[0]


def subject_digests(data: bytes) -> dict[str, str] | None:
    """The digests of a graph's subjects from its N-Triples as Oxigraph writes them (see
    `content`); None when the graph is not fit for comparing."""
    found = content(lines_of(data))
    return dict(found.digests) if found is not None else None


class _NotATree(Exception):
    pass


def _digested(own: Mapping[str, list[str]], edges: Mapping[str, list[str]],
              below: Mapping[str, list[str]]) -> tuple[Content, int]:
    """Digests per subject, and how many blank-node lines the subjects reached."""
    lines: dict[str, list[str]] = {}
    digests: dict[str, str] = {}
    reached = 0
    for token, subject_lines in own.items():
        parts = subject_lines
        collected: list[str] = []
        if token in edges:
            leading = set(edges[token])
            parts = [line for line in subject_lines if line not in leading]
            for line in edges[token]:
                predicate = line.split(" ", 2)[1]
                parts.append(f"{predicate} {_shape(_object(line), below, collected, 1)}")
            reached += len(collected)
        subject = token[1:-1]
        lines[subject] = subject_lines + collected
        digests[subject] = hashlib.blake2b("\n".join(sorted(parts)).encode("utf-8"),
                                           digest_size=12).hexdigest()
    return Content(lines, digests), reached


def _shape(node: str, below: Mapping[str, list[str]], collected: list[str], depth: int) -> str:
    """The tree below a blank node as text: its predicates and objects, nested, sorted."""
    if depth > MAX_DEPTH:
        raise _NotATree
    parts = []
    for line in below.get(node, ()):
        collected.append(line)
        _, predicate, rest = line.split(" ", 2)
        target = rest[:-2]
        if target.startswith("_:"):
            target = _shape(target, below, collected, depth + 1)
        parts.append(f"{predicate} {target}")
    parts.sort()
    return "[" + " ; ".join(parts) + "]"


def _object(line: str) -> str:
    """The object of an N-Triples line `S P O .` as written (a literal may hold spaces)."""
    _, _, rest = line.split(" ", 2)
    return rest[:-2]


def _delete_blank_nodes(graph: str, values: str) -> str:
    """Delete the blank nodes below these subjects in the graph (MAX_DEPTH levels deep)."""
    template = ["?s ?p0 ?b1 .", "?b1 ?p1 ?o1 ."]
    template += [f"?o{depth - 1} ?p{depth} ?o{depth} ." for depth in range(2, MAX_DEPTH + 1)]
    optional = ""
    for depth in range(MAX_DEPTH, 1, -1):
        optional = (f" OPTIONAL {{ ?o{depth - 1} ?p{depth} ?o{depth} . "
                    f"FILTER(isBlank(?o{depth - 1})){optional} }}")
    return (f"DELETE {{ GRAPH <{graph}> {{ {' '.join(template)} }} }} WHERE {{ "
            f"VALUES ?s {{ {values} }} GRAPH <{graph}> {{ ?s ?p0 ?b1 . FILTER(isBlank(?b1)) "
            f"?b1 ?p1 ?o1 .{optional} }} }}")


class Digests:
    """Each large graph's subject digests as of its last write, with that write's state
    (content hash and time): in a folder beside an on-disk store, else in memory. Digests
    whose state is not the graph's state now are not used."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, tuple[str, dict[str, str]]] = {}

    def get(self, graph: str, state: str) -> dict[str, str] | None:
        if self.folder is None:
            kept = self._memory.get(graph)
            return kept[1] if kept is not None and kept[0] == state else None
        try:
            data = json.loads(self._file(graph).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("graph") != graph or data.get("state") != state:
            return None
        return dict(data["digests"])

    def put(self, graph: str, state: str, digests: Mapping[str, str]) -> None:
        if self.folder is None:
            self._memory[graph] = (state, dict(digests))
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"graph": graph, "state": state, "digests": digests})
        handle, partial = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(body)
        os.replace(partial, self._file(graph))

    def forget(self, graph: str) -> None:
        self._memory.pop(graph, None)
        if self.folder is not None:
            self._file(graph).unlink(missing_ok=True)

    def _file(self, graph: str) -> Path:
        assert self.folder is not None
        return self.folder / (hashlib.sha256(graph.encode("utf-8")).hexdigest()[:32] + ".json")
