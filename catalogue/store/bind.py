"""Values bound to a query's variables: the one way a value from outside (a request, a file,
the store itself) reaches a query. Callers write a constant query with `?name` variables and
pass the values beside it; no caller splices a value into query text.

The values become a `VALUES` block at the start of the query's WHERE group, written from
terms that the IRI parser (IRIs) or the N-Triples serialiser (literals) made safe: nothing a
client sends can close a term and add to the query. Both stores take this same text. Not
Oxigraph's `substitutions`: pyoxigraph 0.5 refuses to substitute a variable that the SELECT
does not project, and one way for both stores means the tests, which run on the embedded
store, also test the answers a remote store gives.

Two rules for queries with bindings:
- say `WHERE {` (also `ASK WHERE {`, `DESCRIBE ?x WHERE {}`): the block goes after it;
- a bound variable occurs in a triple pattern or a filter of the outer group, not only in a
  filter of a nested group (which the block does not reach)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from catalogue.iris import iri_term
from catalogue.store.terms import Literal, NamedNode

# A plain str is an IRI (checked by the IRI parser); literals are passed as Literal.
# {"s": x} binds ?s to x; {"s": [x, y]} to each of x and y; {"s p": [(x, y), ...]} binds
# ?s and ?p together, row by row (Oxigraph then looks each pair up in one index).
Bindable = str | NamedNode | Literal
Bindings = Mapping[str, Bindable | Collection[Bindable] | Collection[tuple[Bindable, ...]]]
Row = tuple[NamedNode | Literal, ...]

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def term(value: Bindable, *, name: str) -> NamedNode | Literal:
    """The value as a term; a str goes through the IRI parser (InvalidIri names `name`)."""
    if isinstance(value, NamedNode | Literal):
        return value
    if isinstance(value, str):
        return iri_term(value, field=name)
    raise TypeError(f"?{name}: bind an IRI (str or NamedNode) or a Literal, not {value!r}")


def split(bindings: Bindings | None) -> tuple[dict[str, NamedNode | Literal],
                                               dict[str, list[Row]]]:
    """The bindings as single values and rows of values, every one checked."""
    single: dict[str, NamedNode | Literal] = {}
    many: dict[str, list[Row]] = {}
    for key, value in (bindings or {}).items():
        names = key.split(" ")
        if not all(_NAME.fullmatch(name) for name in names):
            raise ValueError(f"{key!r} is not a SPARQL variable name (or names)")
        if isinstance(value, str | NamedNode | Literal) and len(names) == 1:
            single[key] = term(value, name=key)
        elif isinstance(value, str | NamedNode | Literal):
            raise ValueError(f"bind ?{' ?'.join(names)} to rows of {len(names)} values")
        else:
            many[key] = [_row(v, names) for v in value]
    if len(many) > 1:
        raise ValueError("bind a list of values to one variable per query, not "
                         + ", ".join(f"?{n}" for n in many))
    return single, many


def _row(value: object, names: list[str]) -> Row:
    values = value if isinstance(value, tuple) else (value,)
    if len(values) != len(names):
        raise ValueError(f"a row of {len(values)} values for ?{' ?'.join(names)}")
    return tuple(term(v, name=name) for v, name in zip(values, names, strict=True))


def with_values(query: str, single: Mapping[str, NamedNode | Literal],
                many: Mapping[str, Collection[Row]]) -> str:
    """The query with VALUES blocks of these checked terms at the start of its WHERE group:
    one row for the single values, one block for the list.

    >>> with_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": NamedNode("http://x/a")}, {})
    'SELECT ?o WHERE { VALUES (?s) { (<http://x/a>) } ?s ?p ?o }'
    """
    blocks = []
    if single:
        names = " ".join(f"?{name}" for name in single)
        blocks.append(f"VALUES ({names}) {{ ({' '.join(str(v) for v in single.values())}) }}")
    blocks += [f"VALUES ({' '.join('?' + n for n in key.split(' '))}) {{ "
               + " ".join(f"({' '.join(str(v) for v in row)})" for row in rows) + " }"
               for key, rows in many.items()]
    if not blocks:
        return query
    found = _WHERE.search(query)
    if found is None:
        raise ValueError("a query with bound values must say WHERE { (see catalogue.store.bind)")
    return f"{query[: found.end()]} {' '.join(blocks)}{query[found.end():]}"


def as_text(query: str, bindings: Bindings | None) -> str:
    """The query with its bindings as VALUES blocks, every value checked."""
    return with_values(query, *split(bindings))
