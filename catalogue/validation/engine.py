"""pyshacl behind one function: shapes compiled once per profile, each source validated as its own
small graph, results handed back as plain records of text. The only rdflib/pyshacl importer."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import Any, Protocol

import rdflib
from pyshacl import Validator
from pyshacl.errors import (
    ConstraintLoadError,
    ReportableRuntimeError,
    ShapeLoadError,
)
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib.namespace import OWL, RDF, RDFS, SH

from catalogue.errors import CatalogueError, InputError
from catalogue.store.terms import BlankNode, Literal, NamedNode, RdfFormat, Triple


class InvalidShapes(InputError):
    """Shape files pyshacl refuses (for example a malformed property shape)."""


class UnsupportedShapes(InvalidShapes):
    """Shapes that use a SHACL feature we do not run (names the feature and the shape)."""


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
SWITCHES = {f"http://www.w3.org/ns/shacl#{name}" for name in (
    "closed", "uniqueLang", "deactivated", "qualifiedValueShapesDisjoint")}
# pyshacl runs SHACL Core and SHACL-SPARQL (constraints, constraint components, targets), but
# SHACL-JS only with an optional JavaScript engine we do not install: refused up front.
UNSUPPORTED = {
    "http://www.w3.org/ns/shacl#JSConstraint": "SHACL-JS constraints",
    "http://www.w3.org/ns/shacl#JSTarget": "SHACL-JS targets",
    "http://www.w3.org/ns/shacl#JSValidator": "SHACL-JS constraint components",
}


EUSH_MESSAGE = rdflib.URIRef("https://purl.eu/ns/shacl#message")
_TYPE = NamedNode(str(RDF.type))
_LOG = logging.getLogger("catalogue.validation.pyshacl")
_LOG.setLevel(logging.ERROR)
# rdflib logs a traceback for each ill-typed literal ("2020-1"^^xsd:date) it meets; that is the
# data's fault, which sh:datatype reports in words, and the traceback read like a crash.
logging.getLogger("rdflib.term").setLevel(logging.ERROR)


@dataclass(frozen=True)
class RawResult:
    """One sh:ValidationResult as text: IRIs as is, blank nodes as `_:id`, literals N-Triples."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    messages: dict[str, str]
    shape: str | None
    component: str | None
    see_also: str | None
    shape_name: dict[str, str] = field(default_factory=dict)


class Engine(Protocol):
    """Shapes compiled once, run on each source's triples: pyshacl's (CompiledShapes) or the
    Rust engine's (fast.FastShapes)."""

    def run(self, triples: Iterable[Triple]) -> list[RawResult]: ...


class CompiledShapes:
    """A profile's shapes and background graph, parsed and harvested once, reused for every run."""

    def __init__(self, shape_files: Sequence[Path], background_files: Sequence[Path]) -> None:
        self._setup([t for path in shape_files for t in shape_triples(path)],
                    [t for path in background_files for t in shape_triples(path)])

    @classmethod
    def from_triples(cls, shapes: Sequence[Triple],
                     background: Sequence[Triple]) -> CompiledShapes:
        made = cls.__new__(cls)
        made._setup(shapes, background)
        return made

    def _setup(self, shapes: Sequence[Triple], background: Sequence[Triple]) -> None:
        graph = to_rdflib(shapes)
        _follow_prefix_imports(graph)
        self.graph = graph
        self.text = ShapeText(graph)
        self.background: rdflib.Graph | None = to_rdflib(background) if background else None
        self.shapes = ShapesGraph(graph, False, _LOG)
        try:
            _ = self.shapes.shapes  # harvest now, not on the first request
        except (ReportableRuntimeError, ShapeLoadError, ConstraintLoadError) as exc:
            raise InvalidShapes(f"the shapes cannot be used: {exc.message}") from None
        except (ValueError, RecursionError) as exc:  # a list whose rdf:rest loops, say
            raise InvalidShapes(f"the shapes cannot be used: {exc}") from None
        self.lock = Lock()

    def run(self, triples: Iterable[Triple]) -> list[RawResult]:
        data = to_rdflib(triples)
        options: dict[str, Any] = {"advanced": True, "inplace": True, "logger": _LOG}
        with self.lock:  # pyshacl's shape objects cache per run: not safe to share across threads
            validator = Validator(
                DataGraph.from_rdflib(data),
                shacl_graph=self.graph,
                ont_graph=self.background,
                options=options,
            )
            validator.shacl_graph = self.shapes
            try:
                _, report, _ = validator.run()  # type: ignore[no-untyped-call]
            except (ReportableRuntimeError, ShapeLoadError, ConstraintLoadError) as exc:
                raise InvalidShapes(f"the shapes cannot be used: {exc.message}") from None
            except NotImplementedError as exc:
                raise UnsupportedShapes(f"the shapes use a SHACL feature pyshacl does not run: "
                                        f"{exc}") from None
            except CatalogueError:
                raise
            except Exception as exc:
                # A SPARQL query in a user's shape that rdflib cannot prepare (an unknown
                # prefix, say) surfaces mid-run as a bare Exception: still the shapes' fault.
                raise InvalidShapes(f"the shapes cannot be used: {exc}") from None
        return [self._result(report, node) for node in report.objects(None, SH.result)]

    def _result(self, report: rdflib.Graph, node: rdflib.term.Node) -> RawResult:
        shape = report.value(node, SH.sourceShape)
        focus = _text(report.value(node, SH.focusNode)) or ""
        value = _text(report.value(node, SH.value))
        own = self.text.messages(shape, value, focus)
        messages = own | {k: v for k, v in _by_language(
            report.objects(node, SH.resultMessage)).items() if k not in own}
        return RawResult(
            severity=str(report.value(node, SH.resultSeverity)),
            focus=focus,
            path=_path_text(report, report.value(node, SH.resultPath)),
            value=value,
            messages=messages,
            shape=_text(shape) if isinstance(shape, rdflib.URIRef) else None,
            component=_text(report.value(node, SH.sourceConstraintComponent)),
            see_also=self.text.see_also(shape),
            shape_name=self.text.names(shape),
        )


class ShapeText:
    """What a result shows of its shape, read from the shapes graph: messages in each language,
    the shape's name and its link to the standard. Shared by both engines; each shape is read
    once (a file with thousands of results names the same few hundred shapes)."""

    def __init__(self, graph: rdflib.Graph | Iterable[Triple]) -> None:
        self.graph = graph if isinstance(graph, rdflib.Graph) else to_rdflib(graph)
        self._read: dict[rdflib.term.Node, _Shape] = {}

    def messages(self, shape: rdflib.term.Node | None, value: str | None,
                 focus: str) -> dict[str, str]:
        """The shape's own messages: NL shapes put their text in eush:message; pyshacl keeps
        only one language of a SPARQL constraint's sh:message, so those come from here too."""
        if shape is None:
            return {}
        read = self._shape(shape)
        return read.messages | {
            lang: text.replace("{?value}", _plain(value)).replace("{$this}", focus)
            for lang, text in read.sparql.items()}

    def names(self, shape: rdflib.term.Node | None) -> dict[str, str]:
        return dict(self._shape(shape).names) if shape is not None else {}

    def see_also(self, shape: rdflib.term.Node | None) -> str | None:
        return self._shape(shape).see_also if shape is not None else None

    def _shape(self, shape: rdflib.term.Node) -> _Shape:
        read = self._read.get(shape)
        if read is None:
            read = self._read[shape] = self._read_shape(shape)
        return read

    def _read_shape(self, shape: rdflib.term.Node) -> _Shape:
        graph = self.graph
        messages = _by_language(graph.objects(shape, SH.message))
        messages |= _by_language(graph.objects(shape, EUSH_MESSAGE))
        sparql: dict[str, str] = {}
        for constraint in graph.objects(shape, SH.sparql):
            sparql |= _by_language(graph.objects(constraint, SH.message))
        link = graph.value(shape, RDFS.seeAlso)
        if link is None:
            parent = graph.value(None, SH.property, shape) or graph.value(None, SH.sparql, shape)
            link = graph.value(parent, RDFS.seeAlso) if parent is not None else None
        return _Shape(messages, sparql, _by_language(graph.objects(shape, SH.name)),
                      str(link) if link is not None else None)


@dataclass(frozen=True)
class _Shape:
    messages: dict[str, str]
    sparql: dict[str, str]  # templates with {?value} and {$this}
    names: dict[str, str]
    see_also: str | None


def to_rdflib(triples: Iterable[Triple]) -> rdflib.Graph:
    """Our triples as an rdflib graph, term by term (no serialise-and-parse round trip)."""
    graph = rdflib.Graph()
    add = graph.add
    for triple in triples:
        add((_node(triple.subject), _node(triple.predicate), _node(triple.object)))
    return graph


def _node(term: object) -> Any:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        # As written, never normalised ("1"^^xsd:boolean is not "true"^^xsd:boolean in SHACL);
        # an xsd:string as rdflib's plain literal, the one form rdflib compares equal to "x"
        # in a shape's sh:in or sh:hasValue.
        if term.language:
            return rdflib.Literal(term.value, lang=term.language, normalize=False)
        if term.datatype.value == XSD_STRING:
            return rdflib.Literal(term.value, normalize=False)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value),
                              normalize=False)
    raise ValueError(f"RDF-star triple terms cannot be validated: {term}")


def shape_triples(path: Path) -> list[Triple]:
    """A shapes (or background) file parsed by the same parser as the data (rdflib's would
    normalise literals), without non-canonical boolean switches; refuses SHACL-JS."""
    from catalogue.ingest.rdf import parse_source, read_source
    from catalogue.limits import FILE_LIMITS  # files the operator names: no triple limit

    parsed = parse_source(read_source(path), name=str(path), uri=path.resolve().as_uri(),
                          graph="", keep_graphs=False, format=_shapes_format(path),
                          limits=FILE_LIMITS)
    triples = [t for graph in parsed.graphs.values() for t in _only_true_switches(graph)]
    _refuse_unsupported(triples, path)
    return triples


def _only_true_switches(triples: list[Triple]) -> list[Triple]:
    """Without a boolean switch (sh:closed, sh:uniqueLang, ...) written other than "true" or
    "false": SHACL turns a feature on only for the term `true`, but rdflib reads "1" as True."""
    return [t for t in triples if not (
        t.predicate.value in SWITCHES and isinstance(t.object, Literal)
        and t.object.datatype.value == XSD_BOOLEAN and t.object.value not in ("true", "false"))]


def _follow_prefix_imports(graph: rdflib.Graph) -> None:
    """SHACL-SPARQL's prefixes are sh:prefixes/owl:imports*/sh:declare; pyshacl reads only
    sh:prefixes/sh:declare, so the imported ontologies' declarations are copied to the first."""
    for holder in set(graph.objects(None, SH.prefixes)):
        for imported in graph.transitive_objects(holder, OWL.imports):
            if imported != holder:
                for declaration in list(graph.objects(imported, SH.declare)):
                    graph.add((holder, SH.declare, declaration))


def _shapes_format(path: Path) -> RdfFormat:
    from catalogue.ingest.rdf import EXTENSIONS

    return EXTENSIONS.get(path.suffix.lower(), RdfFormat.TURTLE)


def _refuse_unsupported(triples: list[Triple], path: Path) -> None:
    for triple in triples:
        feature = (UNSUPPORTED.get(triple.object.value) if triple.predicate == _TYPE
                   and not isinstance(triple.object, Triple) else None)
        if feature is not None:
            raise UnsupportedShapes(f"{path}: {_text(_node(triple.subject))} uses {feature}, a "
                                    "SHACL feature catalogue does not run; remove it or "
                                    "validate elsewhere")


def _text(term: rdflib.term.Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    if isinstance(term, rdflib.Literal):
        if term.language:
            return str(Literal(str(term), language=term.language))
        datatype = term.datatype or rdflib.XSD.string
        return str(Literal(str(term), datatype=NamedNode(str(datatype))))
    return str(term)


def _plain(value: str | None) -> str:
    """A literal's lexical form (for messages), an IRI as is."""
    if value and value.startswith('"'):
        return value[1 : value.rfind('"')]
    return value or ""


def _path_text(report: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return str(path)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        items = rdflib.collection.Collection(report, alternatives)
        return " | ".join(str(item) for item in items)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{inverse}"
    return _text(path)


def _by_language(literals: Iterable[rdflib.term.Node]) -> dict[str, str]:
    found: dict[str, str] = {}
    for literal in literals:
        if isinstance(literal, rdflib.Literal):
            found.setdefault(literal.language or "", str(literal))
    return found


__all__ = ["RDF", "CompiledShapes", "Engine", "RawResult", "ShapeText", "shape_triples",
           "to_rdflib"]
