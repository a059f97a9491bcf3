"""What changed between two versions of a graph: triples added and removed, and for
begrippenkaders, per begrip: new, removed, changed label or definition, and changed IRIs
(a removed begrip and a new one with the same preferred label)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from catalogue.namespaces import RDF_TYPE, SKOS
from catalogue.store.terms import BlankNode, Literal, NamedNode, Triple

_CONCEPT = SKOS + "Concept"
_PREF = SKOS + "prefLabel"
_DEFINITION = SKOS + "definition"


@dataclass(frozen=True)
class Begrip:
    iri: str
    labels: tuple[str, ...]
    definitions: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else self.iri


@dataclass(frozen=True)
class BegripChange:
    """One begrip that changed; `kind` is new | removed | iri-changed | changed."""

    kind: str
    old: Begrip | None
    new: Begrip | None
    label_changed: bool = False
    definition_changed: bool = False


@dataclass(frozen=True)
class GraphDiff:
    added: tuple[str, ...] = ()  # triples in N-Triples, blank nodes written as []
    removed: tuple[str, ...] = ()
    begrippen: tuple[BegripChange, ...] = field(default_factory=tuple)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.begrippen if change.kind == kind)


def diff(old: Sequence[Triple], new: Sequence[Triple], *, limit: int = 2000) -> GraphDiff:
    """Compare two versions; triple lists are cut at `limit` lines each (the counts are exact
    in `GraphDiff.begrippen`; a page shows the first lines)."""
    before, after = _lines(old), _lines(new)
    added = sorted(after - before)
    removed = sorted(before - after)
    return GraphDiff(tuple(added[:limit]), tuple(removed[:limit]), tuple(begrip_changes(old, new)))


def begrip_changes(old: Sequence[Triple], new: Sequence[Triple]) -> list[BegripChange]:
    before, after = _begrippen(old), _begrippen(new)
    gone = {iri: b for iri, b in before.items() if iri not in after}
    fresh = {iri: b for iri, b in after.items() if iri not in before}
    changes: list[BegripChange] = []
    by_label: dict[str, list[Begrip]] = defaultdict(list)
    for begrip in fresh.values():
        for label in begrip.labels:
            by_label[_key(label)].append(begrip)
    matched: set[str] = set()
    for begrip in sorted(gone.values(), key=lambda b: b.label):
        twin = next((c for label in begrip.labels for c in by_label.get(_key(label), [])
                     if c.iri not in matched), None)
        if twin is None:
            changes.append(BegripChange("removed", begrip, None))
            continue
        matched.add(twin.iri)
        changes.append(BegripChange(
            "iri-changed", begrip, twin,
            label_changed=set(begrip.labels) != set(twin.labels),
            definition_changed=set(begrip.definitions) != set(twin.definitions),
        ))
    changes += [BegripChange("new", None, b)
                for iri, b in sorted(fresh.items()) if iri not in matched]
    for iri in sorted(before.keys() & after.keys()):
        relabelled = set(before[iri].labels) != set(after[iri].labels)
        redefined = set(before[iri].definitions) != set(after[iri].definitions)
        if relabelled or redefined:
            changes.append(BegripChange("changed", before[iri], after[iri], relabelled, redefined))
    return changes


def _begrippen(triples: Sequence[Triple]) -> dict[str, Begrip]:
    concepts = {t.subject.value for t in triples
                if t.predicate.value == RDF_TYPE and isinstance(t.object, NamedNode)
                and t.object.value == _CONCEPT and isinstance(t.subject, NamedNode)}
    labels: dict[str, list[str]] = defaultdict(list)
    definitions: dict[str, list[str]] = defaultdict(list)
    for t in triples:
        if not isinstance(t.subject, NamedNode) or t.subject.value not in concepts:
            continue
        if not isinstance(t.object, Literal):
            continue
        if t.predicate.value == _PREF:
            labels[t.subject.value].append(t.object.value)
        elif t.predicate.value == _DEFINITION:
            definitions[t.subject.value].append(t.object.value)
    return {iri: Begrip(iri, tuple(sorted(labels[iri])), tuple(sorted(definitions[iri])))
            for iri in concepts}


def _key(label: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", label).casefold().split())


def _lines(triples: Sequence[Triple]) -> set[str]:
    # Blank node labels change on every parse, so they are compared as anonymous [].
    return {" ".join("[]" if isinstance(term, BlankNode) else str(term)
                     for term in (t.subject, t.predicate, t.object)) + " ."
            for t in triples}
