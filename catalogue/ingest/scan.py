"""A cheap look at a source's bytes before the parser gets them: XML entity declarations are
refused, and the nesting depth (XML elements, Turtle brackets, JSON arrays and objects) is
bounded, because the parsers' cost grows faster than the depth."""

from __future__ import annotations

import re
from xml.parsers import expat

from catalogue.errors import SourceOverLimit, SourceSyntaxError, UnsafeSource
from catalogue.store.terms import RdfFormat

# Turtle, TriG and N3: what can hold a bracket that does not nest (strings, IRIs, comments, a
# backslash escape in a local name), else an opening or closing bracket. Possessive loops, so a
# long string costs one pass.
_TURTLE = re.compile(
    rb'"""(?:[^"\\]++|\\.|"(?!""))*+(?:"""|\Z)'
    rb"|'''(?:[^'\\]++|\\.|'(?!''))*+(?:'''|\Z)"
    rb'|"(?:[^"\\\n\r]++|\\.)*+"?'
    rb"|'(?:[^'\\\n\r]++|\\.)*+'?"
    rb"|<[^<>\"{}|^`\\\s]*+>"
    rb"|\#[^\n\r]*+"
    rb"|\\."
    rb"|(?P<open>[\[({]|<<)"
    rb"|(?P<close>[\])}]|>>)",
    re.DOTALL,
)
_JSON = re.compile(rb'"(?:[^"\\]++|\\.)*+"?|(?P<open>[\[{])|(?P<close>[\]}])', re.DOTALL)
_SETTING = "CATALOGUE_MAX_NESTING"


def check_structure(data: bytes, rdf_format: RdfFormat, *, name: str,
                    nesting: int | None) -> None:
    """Raise UnsafeSource for XML entity declarations, SourceOverLimit past `nesting` levels."""
    if rdf_format == RdfFormat.RDF_XML:
        _check_xml(data, name, nesting)
    elif nesting is None:
        return
    elif rdf_format in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.N3):
        _check_brackets(_TURTLE, data, name, nesting)
    elif rdf_format == RdfFormat.JSON_LD:
        _check_brackets(_JSON, data, name, nesting)


def _check_brackets(pattern: re.Pattern[bytes], data: bytes, name: str, nesting: int) -> None:
    depth = 0
    for match in pattern.finditer(data):
        if match.group("open") is not None:
            depth += 1
            if depth > nesting:
                line, column = _position(data, match.start())
                raise SourceOverLimit(name, line, column, _deeper(nesting))
        elif match.group("close") is not None:
            depth -= 1


def _check_xml(data: bytes, name: str, nesting: int | None) -> None:
    parser = expat.ParserCreate()
    depth = 0

    def start(tag: str, attributes: object) -> None:
        nonlocal depth
        depth += 1
        if nesting is not None and depth > nesting:
            raise SourceOverLimit(name, parser.CurrentLineNumber,
                                  parser.CurrentColumnNumber + 1, _deeper(nesting))

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1

    def entity(entity_name: str, *rest: object) -> None:
        raise UnsafeSource(name, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1,
                           f"the DOCTYPE declares the entity {entity_name!r}; XML entity "
                           "declarations are refused (they can expand without bound)")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise SourceSyntaxError(name, exc.lineno, exc.offset + 1,
                                f"not well-formed XML: {expat.ErrorString(exc.code)}") from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _deeper(nesting: int) -> str:
    return f"nested deeper than {nesting} levels ({_SETTING} raises the limit)"
