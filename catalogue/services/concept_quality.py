"""Quality checks on one begrippenkader that SHACL does not make: cycles in broader, begrippen
without a definition, circular definitions, duplicate prefLabels, orphans, and references to
undefined begrippen in the scheme's own namespace."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from catalogue.namespaces import SKOS
from catalogue.search.text import fold, tokens
from catalogue.services.concepts import MAPPINGS, RELATED
from catalogue.services.labels import fallback_label, language_rank
from catalogue.services.schemes import BROADER, NARROWER, Link, scheme_structure
from catalogue.store.base import Store
from catalogue.store.terms import Literal

CHECKS = ("cycle", "no_definition", "circular_definition", "duplicate_label", "orphan",
          "undefined_reference")
SHOWN = 50  # findings listed per check; the count is always complete


@dataclass(frozen=True)
class Finding:
    concepts: tuple[Link, ...]
    detail: str = ""


@dataclass(frozen=True)
class Check:
    name: str
    count: int
    findings: tuple[Finding, ...]


def scheme_quality(store: Store, iri: str, lang: str = "nl") -> tuple[Check, ...]:
    """The checks, begrippen named in `lang` (else Dutch, English, ...) as they are written."""
    concepts, parents = scheme_structure(store, iri)
    labels: dict[str, list[Literal]] = defaultdict(list)
    definitions: dict[str, list[str]] = defaultdict(list)
    for row in store.select(
        f"SELECT ?c ?p ?o WHERE {{ ?c <{SKOS}inScheme> ?iri . "
        f"?c ?p ?o FILTER(?p IN (<{SKOS}prefLabel>, <{SKOS}definition>)) }}", {"iri": iri}
    ):
        obj = row["o"]
        if not isinstance(obj, Literal):
            continue
        if row["p"].value == SKOS + "prefLabel":
            labels[row["c"].value].append(obj)
        else:
            definitions[row["c"].value].append(obj.value)

    def link(c: str) -> Link:
        if not labels.get(c):
            return Link(c, fallback_label(c))
        return Link(c, min(labels[c], key=lambda label: (language_rank(label.language, lang),
                                                          label.value)).value)

    def check(name: str, findings: list[Finding]) -> Check:
        return Check(name, len(findings), tuple(findings[:SHOWN]))

    tops = {row["c"].value for row in store.select(
        f"SELECT ?c WHERE {{ {{ ?iri <{SKOS}hasTopConcept> ?c }} UNION "
        f"{{ ?c <{SKOS}topConceptOf> ?iri }} }}", {"iri": iri})}
    has_children = {p for ps in parents.values() for p in ps}
    return (
        check("cycle", [Finding(tuple(link(c) for c in cycle)) for cycle in _cycles(parents)]),
        check("no_definition", [Finding((link(c),)) for c in sorted(concepts)
                                if c not in definitions]),
        check("circular_definition", [
            Finding((link(c),), text) for c in sorted(concepts)
            for text in definitions.get(c, [])[:1]
            if any(_uses_term(label.value, text) for label in labels.get(c, []))
        ]),
        check("duplicate_label", _duplicates(labels, link)),
        check("orphan", [Finding((link(c),)) for c in sorted(concepts)
                         if c not in tops and not (parents.get(c)) and c not in has_children]),
        check("undefined_reference", _undefined(store, iri, link)),
    )


def _uses_term(label: str, definition: str) -> bool:
    """Whether a definition uses the term it defines, as whole words (case and accents aside)."""
    term = tokens(label)
    words = tokens(definition)
    if not term:
        return False
    size = len(term)
    return any(words[i : i + size] == term for i in range(len(words) - size + 1))


def _cycles(parents: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """Each cycle in the broader graph once (rotated to start at its smallest IRI)."""
    found: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(start: str) -> None:
        stack: list[tuple[str, list[str]]] = [(start, sorted(parents.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            node, todo = stack[-1]
            if not todo:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            nxt = todo.pop()
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                pivot = cycle.index(min(cycle))
                found.add(tuple(cycle[pivot:] + cycle[:pivot]))
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, sorted(parents.get(nxt, ()))))

    for node in sorted(parents):
        if node not in state:
            visit(node)
    return sorted(found)


def _duplicates(labels: dict[str, list[Literal]], link: Callable[[str], Link]) -> list[Finding]:
    """Begrippen whose preferred labels in one language are one label, case and accents
    aside; the finding shows the label as the first of them writes it."""
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    written: dict[tuple[str, str], str] = {}
    for concept, literals in sorted(labels.items()):
        for literal in literals:
            key = ((literal.language or "").lower(), fold(literal.value).strip())
            groups[key].add(concept)
            written.setdefault(key, literal.value)
    return [Finding(tuple(link(c) for c in sorted(cs)), written[(language, text)]
                    + (f" @{language}" if language else ""))
            for (language, text), cs in sorted(groups.items()) if len(cs) > 1]


def _namespace(iri: str) -> str:
    return re.sub(r"[^/#]*$", "", iri)


def _undefined(store: Store, iri: str, link: Callable[[str], Link]) -> list[Finding]:
    """Relation targets in a begrip's own namespace that no graph defines as a begrip."""
    predicates = ", ".join(f"<{p}>" for p in (*BROADER, *NARROWER, *RELATED, *MAPPINGS))
    rows = store.select(
        f"SELECT DISTINCT ?c ?o WHERE {{ ?c <{SKOS}inScheme> ?iri . "
        f"?c ?p ?o FILTER(?p IN ({predicates}) && isIRI(?o)) "
        f"FILTER NOT EXISTS {{ ?o a <{SKOS}Concept> }} }} LIMIT 5000", {"iri": iri}
    )
    return [Finding((link(row["c"].value),), row["o"].value) for row in rows
            if _namespace(row["o"].value) == _namespace(row["c"].value)]
