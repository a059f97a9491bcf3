"""What a read-only, public /sparql endpoint refuses before a query reaches any store: SPARQL
Update (INSERT, DELETE, LOAD, CLEAR, ...) and federated queries (SERVICE).

The query is read as the SPARQL 1.1 grammar reads it: codepoint escapes are processed first
(spec section 19.2), then the text is split into the grammar's terminals (IRIs, strings,
comments, prefixed names, variables, keywords). `SERVICE` is a keyword used by one production
only (ServiceGraphPattern), and the update keywords by none of the query forms, so a keyword
token decides, wherever it stands: `SERVICE<http://...>`, `SERVICE#comment` and a SERVICE inside
`FILTER EXISTS` alike, while the same letters inside an IRI, a string, a comment or a prefixed
name (`ex:service`) are not keywords. The engine's own parser then checks the rest of the syntax.

Why a tokenizer and not a parse into algebra: this runs on every request of the endpoint, and
a grammar-level parse in Python (rdflib) costs milliseconds, ten times a point lookup."""

from __future__ import annotations

import re

from catalogue.errors import Forbidden, QueryBeyondBounds, QuerySyntaxError

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_KEYWORDS = frozenset({
    "INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH",
})
_PROLOGUE = frozenset({"BASE", "PREFIX"})

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# The terminals of the SPARQL 1.1 grammar that can hold arbitrary text, then the rest. Order
# matters: long strings before short ones; an IRIREF before '<' as an operator (an IRIREF holds
# no space, brace or quote, so no group graph pattern can hide inside one).
_TOKENS = re.compile(
    r"""
      (?P<space>[ \t\r\n]+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<blank>_:[\w.\-\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    | (?P<name>(?:[^\W\d][\w.\-\u00b7\u0300-\u036f\u203f-\u2040]*)?
               :(?:[\w:\-.\u00b7\u0300-\u036f\u203f-\u2040]|%[0-9A-Fa-f]{2}|\\[^\s])*)
    | (?P<word>[^\W\d][\w]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


# Brackets ({, (, [) a query may nest: the engine's parser recurses once per level, and a few
# thousand levels overflow its stack, which ends the whole process (measured: 2,500 killed a
# front, 5,000 the app). A real query nests a few levels.
MAX_QUERY_NESTING = 100


def unescape_codepoints(query: str) -> str:
    """The query with its \\uXXXX and \\UXXXXXXXX escapes replaced, as the grammar reads it;
    QuerySyntaxError for an escape of no Unicode scalar value (past U+10FFFF, a surrogate)."""
    if "\\u" not in query and "\\U" not in query:
        return query

    def character(escape: re.Match[str]) -> str:
        code = int(escape.group(1) or escape.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            line, column = _place(query, escape.start())
            raise QuerySyntaxError(f"SPARQL syntax error at line {line}, column {column}: "
                                   f"{escape.group()} is no Unicode character")
        return chr(code)

    return _CODEPOINT.sub(character, query)


def _place(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


# What else the engine's parser and planner cannot take, measured on pyoxigraph 0.5 (a query's
# cost in CPU time, before any data is read): OPTIONAL and MINUS groups cost the cube of their
# number (100: 0.12 s, 200: 0.9 s, 400: 7 s), path steps too (100: 0.04 s; 700 took 12 s),
# UNION branches and operator chains (!, &&, +, a list's commas) overflow the parser's stack
# past 10,000 or so (5,000 of each ran, 20,000 ended the process).
_BOUNDS = (
    (frozenset({"OPTIONAL", "MINUS"}), 100, "OPTIONAL and MINUS groups"),
    (frozenset({"UNION"}), 1000, "UNION branches"),
    (frozenset("/|^"), 100, "property path steps (/, |, ^)"),
    (frozenset({"!", "&", "+", "-", "*", "=", "<", ">", ","}), 2000,
     "operators and list items (!, &&, ||, +, -, *, =, <, >, commas)"),
)
# A query shorter than this cannot pass any bound above: a path step takes 3 characters at
# the least (`/:a`), an OPTIONAL group 10.
_SHORT = 300


def refuse_deep_nesting(query: str) -> None:
    """QueryBeyondBounds for a query whose brackets nest deeper than MAX_QUERY_NESTING or that
    passes one of the other bounds (_BOUNDS; outside strings, IRIs and comments), before any
    parser reads it. Counts first: most queries do not hold that many brackets at all."""
    text = unescape_codepoints(query)
    if len(text) > _SHORT:
        _refuse_beyond_bounds(text)
    if text.count("{") + text.count("(") + text.count("[") <= MAX_QUERY_NESTING:
        return
    depth = 0
    for token in _TOKENS.finditer(text):
        if token.lastgroup != "other":
            continue
        if token.group() in "{([":
            depth += 1
            if depth > MAX_QUERY_NESTING:
                line, column = _place(text, token.start())
                raise QueryBeyondBounds(
                    f"the query nests brackets more than {MAX_QUERY_NESTING} deep (at line "
                    f"{line}, column {column})")
        elif token.group() in "})]":
            depth = max(depth - 1, 0)


def keywords(query: str) -> list[str]:
    """The query's keyword tokens (upper case), in order; IRIs, strings, comments, variables
    and prefixed names left out."""
    found = []
    for token in _TOKENS.finditer(unescape_codepoints(query)):
        # A quote that opens no well-formed string stays an `other` token and the rest is read
        # as code: an error for the engine, and never a place where a keyword could hide.
        if token.lastgroup == "word":
            found.append(token.group().upper())
    return found


def names_a_graph(query: str) -> bool:
    """Whether a query reads a named graph it names (`GRAPH <iri>` or `GRAPH ex:g`).

    >>> names_a_graph('SELECT * { GRAPH <urn:g> { ?s ?p ?o } }')
    True
    >>> names_a_graph('ASK { ?graph ?p ?o }')
    False
    """
    if "GRAPH" not in query.upper():
        return False
    after_graph = False
    for token in _TOKENS.finditer(unescape_codepoints(query)):
        kind = token.lastgroup
        if kind in ("space", "comment"):
            continue
        if after_graph and kind in ("iri", "name"):
            return True
        after_graph = kind == "word" and token.group().upper() == "GRAPH"
    return False


def _refuse_beyond_bounds(text: str) -> None:
    counts = [0] * len(_BOUNDS)
    paired = -1  # where the second character of ^^, || or && stands
    for token in _TOKENS.finditer(text):
        kind = token.lastgroup
        if kind not in ("word", "other") or token.start() == paired:
            continue
        value = token.group().upper() if kind == "word" else token.group()
        if value in "^|&" and text.startswith(value, token.end()):
            paired = token.end()
            if value == "^":
                continue  # "1"^^xsd:int: a datatype, no path step
            value = "!"  # || and &&: operators, not path steps
        for number, (members, most, what) in enumerate(_BOUNDS):
            if value in members:
                counts[number] += 1
                if counts[number] > most:
                    line, column = _place(text, token.start())
                    raise QueryBeyondBounds(
                        f"the query has more than {most} {what} (at line {line}, column "
                        f"{column}); the engine cannot plan so many in a bounded time")


def refuse_writes_and_service(query: str) -> None:
    """Forbidden for an update or a query with SERVICE; QuerySyntaxError for a text that is
    not one SPARQL query (or nests too deep for the parser: refuse_deep_nesting). Quick for the
    usual query that never spells either word."""
    refuse_deep_nesting(query)
    upper = unescape_codepoints(query).upper()
    if "SERVICE" not in upper and not any(word in upper for word in UPDATE_KEYWORDS):
        return
    words = keywords(query)
    if "SERVICE" in words:
        raise Forbidden("SERVICE (federated query) is not allowed on this endpoint")
    if any(word in UPDATE_KEYWORDS for word in words):
        raise Forbidden(
            "SPARQL Update is not accepted on /sparql: this endpoint is read-only. Write by "
            "loading sources (`catalogue load`, or the publisher upload API with a token)."
        )


def query_form(query: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the form of a query after its prologue;
    QuerySyntaxError when the text starts with anything else."""
    words = [word for word in keywords(query) if word not in _PROLOGUE]
    if not words or words[0] not in QUERY_FORMS:
        raise QuerySyntaxError(
            "SPARQL syntax error: a query starts with SELECT, CONSTRUCT, DESCRIBE or ASK "
            "(after BASE and PREFIX)"
        )
    return words[0]
