"""The `shacl` package (a SHACL Core engine in Rust) behind the same `run()` as pyshacl: about
fifty times faster on a record, so it runs every profile whose shapes use SHACL Core only;
shapes with SHACL-SPARQL or SHACL-AF stay with pyshacl (engine.py). The only `shacl` importer.

Two things the engine does not hand back, and how we get them:
- Blank-node shapes (most property shapes) come back under the engine's own labels, so the
  shapes are given to it with those nodes named `urn:catalogue:shape:{label}`: a result's
  shape is then found in our copy of the shapes graph, with its messages in each language.
- Blank nodes of the data come back as `_:{graph}_b{n}`, numbered from the shapes' blank
  nodes on in order of first appearance; mapped back to the labels the data had.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from functools import lru_cache
from pathlib import Path

import rdflib
import shacl
from rdflib.namespace import SH

from catalogue.store.terms import (
    BlankNode,
    Literal,
    NamedNode,
    RdfFormat,
    Subject,
    Term,
    Triple,
    serialize,
)
from catalogue.validation.engine import (
    InvalidShapes,
    RawResult,
    ShapeText,
    shape_triples,
)
from catalogue.validation.split import SHAPE_TYPES, Reach, combine, parts, reach_of

SHAPE = "urn:catalogue:shape:"
SHACL = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
# What the Rust engine does not run (SHACL-SPARQL, SHACL-AF): shapes that use any of it go to
# pyshacl whole, rather than be half-checked.
NOT_CORE = {SHACL + name for name in (
    "sparql", "select", "ask", "construct", "update", "rule", "target",
    "validator", "nodeValidator", "propertyValidator", "parameter", "expression", "values",
    "condition", "entailment")}
NOT_CORE_TYPES = {SHACL + name for name in (
    "ConstraintComponent", "SPARQLConstraint", "SPARQLTarget", "SPARQLTargetType", "SPARQLRule",
    "TripleRule", "SPARQLFunction", "SPARQLAskValidator", "SPARQLSelectValidator",
    "JSConstraint", "JSTarget", "JSValidator")}
# Where a shape sits as an object: these nodes are shapes (named so we can find them again).
SHAPE_LINKS = {SHACL + name for name in ("property", "node", "qualifiedValueShape", "not")}
SHAPE_LISTS = {SHACL + name for name in ("and", "or", "xone")}
SHAPE_SUBJECTS = {SHACL + name for name in (
    "path", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")}
# The number of the shapes' blank nodes, and the data's blank-node labels in order.
Blanks = tuple[int, list[str]]
_ENGINE_BLANK = re.compile(r"_:\d+_b(\d+)")
_GENERIC_EN = {
    "MinCountConstraintComponent": "{path} is missing or has too few values.",
    "MaxCountConstraintComponent": "{path} has too many values.",
    "ClassConstraintComponent": "The value of {path} does not have the required class.",
    "NodeKindConstraintComponent": "The value of {path} is of the wrong kind (IRI, blank node "
    "or literal).",
    "DatatypeConstraintComponent": "The value of {path} has the wrong datatype or no language "
    "tag.",
    "InConstraintComponent": "The value of {path} is not on the list of allowed values.",
    "PatternConstraintComponent": "The value of {path} does not have the required form.",
}


def core_only(triples: Iterable[Triple]) -> bool:
    """Whether shapes use SHACL Core only: what the Rust engine runs."""
    return not any(t.predicate.value in NOT_CORE or (
        t.predicate.value == RDF_TYPE and _value(t.object) in NOT_CORE_TYPES) for t in triples)


class FastShapes:
    """A profile's shapes compiled once by the Rust engine; thread-safe, no lock."""

    def __init__(self, shape_files: Sequence[Path], background_files: Sequence[Path]) -> None:
        self._setup([t for path in shape_files for t in shape_triples(path)],
                    [t for path in background_files for t in shape_triples(path)])

    @classmethod
    def from_triples(cls, shapes: Sequence[Triple], background: Sequence[Triple]) -> FastShapes:
        made = cls.__new__(cls)
        made._setup(shapes, background)
        return made

    def _setup(self, shapes: Sequence[Triple], background: Sequence[Triple]) -> None:
        triples = list(shapes)
        self.text = ShapeText(triples)  # messages, names and links, by shape node
        named, self.offset = _name_shapes(triples)
        try:
            self.shapes = shacl.Shapes.from_text(_ntriples(named), format="ntriples")
        except ValueError as exc:
            raise InvalidShapes(f"the shapes cannot be used: {exc}") from None
        # pyshacl's ont_graph: code lists mixed into the data of each run.
        self.background = list(background)
        # How far the shapes read from a focus node: whether a large graph may be validated
        # in parts, one per core (split.py).
        self.reach: Reach | None = reach_of(named)

    def run(self, triples: Iterable[Triple], *, parts_of: int | None = None,
            cores: int | None = None) -> list[RawResult]:
        """The results; a large graph is validated in parts (split.py) of about `parts_of`
        triples (by default split.PART_TRIPLES), on `cores` threads (by default one per core
        this process may use)."""
        data = [*self.background, *triples]
        count = None if parts_of is None else -(-len(data) // parts_of)
        reach = self.reach
        cut = parts(data, reach, count) if reach is not None else None
        if reach is None or cut is None:
            return self._run(data)
        threads = min(len(cut), cores or len(os.sched_getaffinity(0)))
        with ThreadPoolExecutor(threads, thread_name_prefix="shacl") as pool:
            futures = [pool.submit(self._run, part.triples) for part in cut]
            try:
                _wait_for(futures)
            except BaseException:  # stopped (a request's budget): the parts' results are lost
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        return combine([(part, future.result()) for part, future in zip(cut, futures, strict=True)],
                       focus=lambda r: r.focus, key=_identity, reach=reach)

    def _run(self, data: list[Triple]) -> list[RawResult]:
        blanks = (self.offset, _blank_order(data))
        try:
            report = self.shapes.validate_text(_ntriples(data), format="ntriples")
        except ValueError as exc:  # a shape the engine meets only at run time (a bad regex)
            raise InvalidShapes(f"the shapes cannot be used: {exc}") from None
        return [self._result(r, blanks) for r in report.results]

    def _result(self, result: shacl.Result, blanks: Blanks) -> RawResult:
        shape = _term(result.source_shape, (0, []))
        node = _shape_node(shape)
        path = _path(result.path)
        value = _term(result.value, blanks) if result.value is not None else None
        messages = self.text.messages(node, value, _term(result.focus_node, blanks))
        if not messages:
            messages = ({"": result.messages[0]} if result.messages
                        else _generic(result, path))
        return RawResult(
            severity=result.severity_iri,
            focus=_term(result.focus_node, blanks),
            path=path,
            value=value,
            messages=messages,
            shape=shape if shape and not shape.startswith(SHAPE) else None,
            component=result.component_iri,
            see_also=self.text.see_also(node),
            shape_name=self.text.names(node),
        )


def _wait_for(futures: list[Future[list[RawResult]]]) -> None:
    """Wait for every part (raising the first failure) in short waits: a stop of the request's
    budget (limits.interruptible) raises in this thread between two of them."""
    pending = set(futures)
    while pending:
        done, pending = wait(pending, timeout=0.1, return_when=FIRST_EXCEPTION)
        for future in done:
            future.result()


def _identity(result: RawResult) -> tuple[object, ...]:
    return (result.severity, result.focus, result.path, result.value, result.component,
            result.shape, result.see_also, tuple(sorted(result.messages.items())),
            tuple(sorted(result.shape_name.items())))


def _name_shapes(triples: list[Triple]) -> tuple[list[Triple], int]:
    """The shapes with each blank-node shape named, and how many blank nodes are left (the
    engine numbers the data's blank nodes after them)."""
    shapes: set[BlankNode] = set()
    lists: list[Term] = []
    first: dict[Term, Term] = {}
    rest: dict[Term, Term] = {}
    for t in triples:
        predicate, obj = t.predicate.value, t.object
        if isinstance(t.subject, BlankNode) and (predicate in SHAPE_SUBJECTS or (
                predicate == RDF_TYPE and _value(obj) in SHAPE_TYPES)):
            shapes.add(t.subject)
        if isinstance(obj, BlankNode) and predicate in SHAPE_LINKS:
            shapes.add(obj)
        if predicate in SHAPE_LISTS:
            lists.append(obj)
        elif predicate == RDF_FIRST:
            first[t.subject] = obj
        elif predicate == RDF_REST:
            rest[t.subject] = obj
    for node in lists:
        for _ in range(len(first) + 1):  # a cyclic list ends too
            item = first.get(node)
            if isinstance(item, BlankNode):
                shapes.add(item)
            if node not in rest:
                break
            node = rest[node]

    def named(term: Term) -> Term:
        return NamedNode(SHAPE + term.value) if isinstance(term, BlankNode) and term in shapes \
            else term

    out = [Triple(_subject(named(t.subject)), t.predicate, named(t.object)) for t in triples]
    return out, len(_blank_order(out))


def _subject(term: Term) -> Subject:
    assert not isinstance(term, Literal)  # named() keeps a subject a subject
    return term


def _value(term: Term) -> str:
    return "" if isinstance(term, Triple) else term.value


def _blank_order(triples: list[Triple]) -> list[str]:
    """The data's blank nodes in order of first appearance, as the engine numbers them."""
    seen: dict[str, None] = {}
    for t in triples:
        for term in (t.subject, t.object):
            if isinstance(term, BlankNode):
                seen.setdefault(term.value, None)
    return list(seen)


def _ntriples(triples: list[Triple]) -> str:
    text = serialize(triples, format=RdfFormat.N_TRIPLES) if triples else b""
    return text.decode() if text else ""


def _term(text: str | None, blanks: Blanks) -> str:
    """An N-Triples term as RawResult writes it: IRIs bare, blank nodes `_:label` (the data's
    own label where we know it), literals as N-Triples."""
    if not text:
        return ""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    return _blank(text, blanks) if text.startswith("_:") else text


def _blank(text: str, blanks: Blanks) -> str:
    offset, labels = blanks
    match = _ENGINE_BLANK.fullmatch(text)
    if match is None:
        return text
    index = int(match.group(1)) - offset
    return f"_:{labels[index]}" if 0 <= index < len(labels) else text


@lru_cache(maxsize=4096)  # a file's thousands of results name the same few hundred shapes
def _shape_node(shape: str) -> rdflib.term.Node | None:
    if not shape:
        return None
    if shape.startswith(SHAPE):
        return rdflib.BNode(shape.removeprefix(SHAPE))
    return None if shape.startswith("_:") else rdflib.URIRef(shape)


@lru_cache(maxsize=4096)
def _path(text: str | None) -> str | None:
    """The engine's SPARQL property path as pyshacl's reports read: an IRI, `^IRI`, or the
    alternatives joined with " | "; any other path as the engine wrote it."""
    if not text:
        return None
    if re.fullmatch(r"<[^<>]*>", text):
        return text[1:-1]
    if re.fullmatch(r"\^<[^<>]*>", text):
        return "^" + text[2:-1]
    if re.fullmatch(r"\(?<[^<>]*>(\s*\|\s*<[^<>]*>)+\)?", text):
        return " | ".join(re.findall(r"<([^<>]*)>", text))
    return text


def _generic(result: shacl.Result, path: str | None) -> dict[str, str]:
    template = _GENERIC_EN.get(result.component)
    where = path or "the node"
    if template is None:
        return {"en": f"{result.component.removesuffix('ConstraintComponent')} constraint not "
                      f"met at {where}."}
    return {"en": template.format(path=where)}


__all__ = ["SH", "FastShapes", "core_only"]
