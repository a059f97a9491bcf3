"""A large data graph validated in parts, at once on every core, with the results the whole
graph gives.

The Rust engine releases the GIL, so parts validated in threads run in parallel (measured: 1.8x
on two cores). A focus node's results depend only on what the shapes read from it, and a look
at the shapes says how far that is: `Reach.hops` hops of objects beyond the focus node's own
triples (sh:class reads its values' types, sh:node and nested shapes read further, a sequence
path reads the nodes along it). Each part *owns* some subjects and holds their triples, the
triples of every node up to that many hops from them, and every rdfs:subClassOf triple (targets
and sh:class follow the class hierarchy). A result is kept from the part that owns its focus
node, where everything it reads is present; a node that is held only as a neighbour may lack
some of what it reads, so its results there are dropped.

Shapes whose results a part could change are never split: inverse paths and unbounded paths
(which read towards or past any boundary), sh:targetNode (its node is a focus in every part,
holding triples or not), qualified value shapes with disjoint siblings, and shapes that nest
themselves. sh:targetObjectsOf targets a node in the part holding the pointing triple: a part
also validates the objects of its owners' triples by those predicates (with their reach), and
a result found in several parts is counted as often as one part finds it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import TypeVar

from catalogue.namespaces import PREFIXES, RDF, RDFS
from catalogue.store.terms import BlankNode, Literal, NamedNode, Term, Triple

SH = PREFIXES["sh"]
SUBCLASS = RDFS + "subClassOf"
_TARGETS = {SH + name for name in ("targetClass", "targetSubjectsOf", "targetObjectsOf")}
SHAPE_TYPES = {SH + "NodeShape", SH + "PropertyShape"}
# Shapes that a shape applies to the same node (a node shape) or to its value nodes (a
# property shape); lists of them for the logical constraints.
_MEMBERS = {SH + name for name in ("node", "not", "property", "qualifiedValueShape")}
_MEMBER_LISTS = {SH + name for name in ("and", "or", "xone")}
# Anything that reads beyond a bounded distance from the focus node, or makes a node a focus
# wherever it is mentioned.
_UNSPLITTABLE = {SH + name for name in (
    "targetNode", "inversePath", "zeroOrMorePath", "oneOrMorePath",
    "qualifiedValueShapesDisjoint")}
# Parts are made only from graphs at least this large: below it, one run costs less than
# cutting the graph (measured: a 36-triple record validates in 0.5 ms).
SMALLEST = 20_000
# The engine's time grows faster than the graph: a 10k-dataset file (0.44M triples) took 4.7 s
# in 2 parts on 2 threads, 3.7 s in 8 parts and 2.2 s in 32 parts of 14k triples, 64 parts no
# less. So a part holds about this many triples, whatever the number of cores.
PART_TRIPLES = 10_000
# Holding more than this many times the whole graph's triples in the parts together (a reach
# of several hops in densely linked data) costs more than the parallel runs save.
MOST_COPIED = 1.5


R = TypeVar("R")


class Unsplittable(Exception):
    """The shapes read something a part could cut off."""


@dataclass(frozen=True)
class Reach:
    """How far the shapes read from a focus node: `hops` hops of objects beyond its own
    triples, and the predicates whose objects are targeted (sh:targetObjectsOf)."""

    hops: int
    objects_of: frozenset[str]


def reach_of(shapes: Sequence[Triple]) -> Reach | None:
    """The reach of these shapes, or None when validating in parts could change a result."""
    graph: dict[Term, dict[str, list[Term]]] = {}
    for t in shapes:
        if t.predicate.value in _UNSPLITTABLE:
            return None
        graph.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
    objects_of = frozenset(o.value for values in graph.values()
                           for o in values.get(SH + "targetObjectsOf", ())
                           if isinstance(o, NamedNode))
    roots = [node for node, props in graph.items()
             if _TARGETS & props.keys() or SH + "path" in props
             or any(isinstance(kind, NamedNode) and kind.value in SHAPE_TYPES
                    for kind in props.get(RDF + "type", ()))]
    try:
        hops = max((_shape_reach(graph, node, ()) for node in roots), default=0)
        hops = max(hops, 0)  # a target reads the focus node's own triples
    except (Unsplittable, RecursionError):  # shapes nested deeper than Python's stack
        return None
    return Reach(hops, objects_of)


def _shape_reach(graph: dict[Term, dict[str, list[Term]]], shape: Term,
                 within: tuple[Term, ...]) -> int:
    """Hops beyond the node a shape is applied to whose triples the shape reads (0: its own
    triples; -1: none, only the node itself, as sh:datatype or sh:in read it)."""
    if shape in within:
        raise Unsplittable("a shape nests itself")
    props = graph.get(shape, {})
    members = [m for name in _MEMBERS for m in props.get(name, ())]
    members += [m for name in _MEMBER_LISTS for head in props.get(name, ())
                for m in _list(graph, head)]
    inner = max((_shape_reach(graph, m, (*within, shape)) for m in members), default=-1)
    paths = props.get(SH + "path", ())
    if not paths:  # a node shape: its members apply to the same node
        reads_own = SH + "class" in props or SH + "closed" in props
        return max(0 if reads_own else -1, inner)
    length = max(_path_length(graph, path, ()) for path in paths)
    # The nodes along the path are read; its values' own triples only by sh:class (their
    # types) or by shapes applied to them.
    hops = length - 1
    if SH + "class" in props:
        hops = max(hops, length)
    if inner >= 0:
        hops = max(hops, length + inner)
    return hops


def _path_length(graph: dict[Term, dict[str, list[Term]]], path: Term,
                 within: tuple[Term, ...]) -> int:
    if isinstance(path, NamedNode):
        return 1
    if path in within or not isinstance(path, BlankNode):
        raise Unsplittable("a path that cannot be read")
    props = graph.get(path, {})
    if RDF + "first" in props:  # a sequence
        return sum(_path_length(graph, step, (*within, path)) for step in _list(graph, path))
    for name in ("alternativePath", "zeroOrOnePath"):
        for inner in props.get(SH + name, ()):
            steps = _list(graph, inner) if name == "alternativePath" else [inner]
            return max(_path_length(graph, step, (*within, path)) for step in steps)
    raise Unsplittable("a path that cannot be read")


def _list(graph: dict[Term, dict[str, list[Term]]], head: Term) -> list[Term]:
    items: list[Term] = []
    seen: set[Term] = set()
    while head in graph and head not in seen:
        seen.add(head)
        props = graph[head]
        items += props.get(RDF + "first", [])
        rests = props.get(RDF + "rest", [])
        if not rests:
            break
        head = rests[0]
    return items


@dataclass(frozen=True)
class Part:
    """The triples one run validates, and the focus nodes whose results it keeps (as the
    results name them: IRIs bare, blank nodes `_:label`; a literal focus is always kept).
    None keeps every result: the part holds no node it does not own."""

    triples: list[Triple]
    keeps: frozenset[str] | None


def parts(data: Sequence[Triple], reach: Reach, count: int | None = None) -> list[Part] | None:
    """`data` cut into at most `count` parts of about equal size (by default, parts of about
    PART_TRIPLES), or None when that is not worth it (a small graph, or parts that would copy
    too much of it)."""
    if count is None:
        count = -(-len(data) // PART_TRIPLES)
    if count < 2 or len(data) < SMALLEST:
        return None
    if reach.hops == 0 and not reach.objects_of:
        quick = _own_triples_only(data, count)
        if quick is not None:
            return quick
    own: dict[Term, list[Triple]] = {}
    pointed: dict[Term, list[Triple]] = {}  # a node: the triples whose object targets it
    classes: list[Triple] = []
    for t in data:
        own.setdefault(t.subject, []).append(t)
        if t.predicate.value == SUBCLASS:
            classes.append(t)
        if t.predicate.value in reach.objects_of:
            pointed.setdefault(t.object, []).append(t)
    share = len(data) / count
    out: list[Part] = []
    owners: list[Term] = []
    size = 0
    for subject, triples in own.items():
        owners.append(subject)
        size += len(triples)
        if size >= share and len(out) < count - 1:
            out.append(_part(owners, own, pointed, classes, reach))
            owners, size = [], 0
    if owners:
        out.append(_part(owners, own, pointed, classes, reach))
    if sum(len(part.triples) for part in out) > MOST_COPIED * len(data):
        return None
    return out


def _own_triples_only(data: Sequence[Triple], count: int) -> list[Part] | None:
    """Parts for shapes that read only a focus node's own triples: each subject's triples in
    one part, and every result kept. A file lists a subject's triples together as a rule, so
    a subject is looked up once per run of its triples, not once per triple. None for a graph
    with a class hierarchy: its triples go to every part, and so their subjects would be
    found there too (the general path keeps only the owner's results)."""
    buckets: list[list[Triple]] = [[] for _ in range(count)]
    owner: dict[Term, int] = {}
    share = len(data) / count
    current = 0
    for subject, run in groupby(data, key=attrgetter("subject")):
        triples = list(run)
        if any(t.predicate.value == SUBCLASS for t in triples):
            return None
        index = owner.get(subject)
        if index is None:
            if len(buckets[current]) >= share and current < count - 1:
                current += 1
            index = owner[subject] = current
        buckets[index] += triples
    return [Part(bucket, None) for bucket in buckets if bucket]


def _part(owners: list[Term], own: dict[Term, list[Triple]], pointed: dict[Term, list[Triple]],
          classes: list[Triple], reach: Reach) -> Part:
    focus = list(owners)
    if reach.objects_of:
        focus += [t.object for subject in owners for t in own[subject]
                  if t.predicate.value in reach.objects_of]
    held: dict[Term, None] = dict.fromkeys(focus)
    level = list(held)
    for _ in range(reach.hops):
        level = [t.object for node in level for t in own.get(node, ())
                 if not isinstance(t.object, Literal) and t.object not in held]
        held.update(dict.fromkeys(level))
    triples: dict[Triple, None] = {}
    for node in held:
        triples.update(dict.fromkeys(own.get(node, ())))
        triples.update(dict.fromkeys(pointed.get(node, ())))
    triples.update(dict.fromkeys(classes))
    return Part(list(triples), frozenset(_name(node) for node in focus))


def _name(node: Term) -> str:
    if isinstance(node, BlankNode):
        return f"_:{node.value}"
    return node.value if isinstance(node, NamedNode) else str(node)


def combine(found: Sequence[tuple[Part, list[R]]], focus: Callable[[R], str],
            key: Callable[[R], object], *, reach: Reach) -> list[R]:
    """The results of the parts as the whole graph gives them: each from a part that keeps its
    focus node. Only targets on objects find one result in several parts: there each counts
    as often as the part that finds it most often."""
    kept = [results if part.keeps is None else
            [r for r in results if (name := focus(r)) in part.keeps or name.startswith('"')]
            for part, results in found]
    if not reach.objects_of:  # a node is a focus only in the part that owns it
        return [r for results in kept for r in results]
    most: Counter[object] = Counter()
    first: dict[object, R] = {}
    for results in kept:
        here = Counter(key(r) for r in results)
        for r in results:
            first.setdefault(key(r), r)
        for k, n in here.items():
            most[k] = max(most[k], n)
    return [first[k] for k, n in most.items() for _ in range(n)]
