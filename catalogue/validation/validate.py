"""validate(): graphs in, ValidationReport out. Shapes are compiled once per profile and cached."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from catalogue.errors import ClientGone, TimeLimit
from catalogue.i18n import texts
from catalogue.limits import REQUEST_LIMITS, Limits, WorkStopped, checkpoint, interruptible
from catalogue.namespaces import compact
from catalogue.store.terms import RdfFormat, Triple
from catalogue.validation.combined import CombinedShapes, components, sparql_engine
from catalogue.validation.engine import (
    CompiledShapes,
    Engine,
    InvalidShapes,
    RawResult,
    shape_triples,
)
from catalogue.validation.fast import FastShapes, core_only
from catalogue.validation.profiles import Profile
from catalogue.validation.report import ValidationReport, ValidationResult

SH = "http://www.w3.org/ns/shacl#"

# Dutch text for shapes that carry only an English (or no) message, by constraint component.
@lru_cache(maxsize=16)
def compiled(profile: Profile) -> Engine:
    """The profile's shapes, compiled once per process: by the Rust engine when they are SHACL
    Core only (it gives the same results, tests/validation/test_engines.py, about fifty times
    faster), by pyshacl when they use SHACL-SPARQL or SHACL-AF, or the Rust engine refuses
    them (pyshacl then says what is wrong, or runs them); part by part on each, when some
    parts of the shapes graph that share no node are Core only (combined.py)."""
    shapes = [t for path in profile.shapes for t in shape_triples(path)]
    background = [t for path in profile.background for t in shape_triples(path)]
    if core_only(shapes):
        try:
            return FastShapes.from_triples(shapes, background)
        except InvalidShapes:
            return CompiledShapes.from_triples(shapes, background)
    # The parts of the shapes that share no node, each on the engine it needs (combined.py):
    # Core parts need not wait for pyshacl.
    parts = [(part, core_only(part)) for part in components(shapes)]
    core = [t for part, is_core in parts if is_core for t in part]
    rest = [t for part, is_core in parts if not is_core for t in part]
    if core:
        try:
            fast = FastShapes.from_triples(core, background)
        except InvalidShapes:
            return CompiledShapes.from_triples(shapes, background)
        return CombinedShapes([(fast, None), sparql_engine(rest, background)], background)
    return CompiledShapes.from_triples(shapes, background)


def validate(
    graphs: Mapping[str, Sequence[Triple]], profile: Profile
) -> ValidationReport:
    """Validate each graph (a source's own small graph) on its own against the profile.

    >>> from catalogue.validation.profiles import BUILTIN
    >>> validate({}, BUILTIN["nl-sbb"]).conforms
    True
    """
    shapes = compiled(profile)
    results: list[ValidationResult] = []
    triples = 0
    for source, graph in graphs.items():
        triples += len(graph)
        results += [_result(raw, source, profile) for raw in _run(shapes, graph)]
    return ValidationReport.of(profile.name, results, sources=list(graphs), triples=triples)


def _run(shapes: Engine, graph: Sequence[Triple]) -> list[RawResult]:
    """The engine's run, the cost of a validation, stopped at once when the budget is spent."""
    checkpoint()
    try:
        with interruptible():
            return shapes.run(graph)
    except (WorkStopped, TimeLimit, ClientGone):
        # Stopped half way, pyshacl's per-run state in the shapes may be left behind: compile
        # them afresh next time rather than trust it.
        compiled.cache_clear()
        raise


def validate_files(paths: Sequence[Path], profile: Profile, *, limits: Limits = REQUEST_LIMITS,
                   base: str = "urn:catalogue") -> ValidationReport:
    """Validate files of any input format `catalogue load` accepts (RDF, NL-SBB spreadsheet,
    OpenAPI); raises SourceSyntaxError/UnreadableSource/InvalidDocument on bad input."""
    from catalogue.ingest.formats import Origin, all_triples, parse_input
    from catalogue.ingest.rdf import read_source

    graphs: dict[str, list[Triple]] = {}
    for path in paths:
        parsed = parse_input(read_source(path), Origin(
            name=str(path), uri=path.resolve().as_uri(), graph=str(path), base=base,
            keep_graphs=False, limits=limits, location=path))
        graphs[str(path)] = all_triples(parsed)
    return validate(graphs, profile)


def _result(raw: RawResult, source: str, profile: Profile) -> ValidationResult:
    severity = raw.severity.removeprefix(SH)
    path = compact(raw.path) if raw.path else "(node)"
    first = next(iter(raw.messages.values()), "")
    english = raw.messages.get("en") or raw.messages.get("") or first
    dutch = raw.messages.get("nl") or _generic_nl(raw, path) or english
    return ValidationResult(
        severity=severity,
        focus=raw.focus,
        path=raw.path,
        value=raw.value,
        message_nl=dutch,
        message_en=english or dutch,
        shape=raw.shape,
        see_also=raw.see_also or profile.standard or None,
        source=source,
    )


def _generic_nl(raw: RawResult, path: str) -> str:
    """A Dutch message for a result whose shape has none (pyshacl's own are English): the
    catalogues' `shacl.{component}`, for the common constraint components."""
    key = "shacl." + (raw.component or "").rsplit("#", 1)[-1]
    dutch = texts("nl")
    return dutch.gettext(key, path=path) if dutch.has(key) else ""


def validate_bytes(
    data: bytes, *, name: str, profile: Profile, format: RdfFormat | None = None,
    limits: Limits = REQUEST_LIMITS, base: str = "urn:catalogue", media_type: str | None = None,
) -> ValidationReport:
    """Validate one uploaded, pasted or fetched source of any input format (an RDF syntax, by
    `format` or detected; an NL-SBB spreadsheet or OpenAPI description, by name and content);
    raises SourceSyntaxError when it does not parse (SourceOverLimit past `limits`)."""
    from catalogue.ingest.formats import Origin, all_triples, parse_input

    # The name in a base IRI: no space, brace or percent sign of its own ("my data.ttl").
    uri = "urn:catalogue:upload:" + quote(name, safe="")
    parsed = parse_input(data, Origin(name=name, uri=uri, graph=name, base=base,
                                      keep_graphs=False, format=format, limits=limits,
                                      media_type=media_type))
    return validate({name: all_triples(parsed)}, profile)
