"""The read-only guard of /sparql: SERVICE and updates found as the grammar reads the query,
whatever the spelling; the same letters inside IRIs, strings, comments and names left alone."""

from __future__ import annotations

import pytest

from catalogue.errors import Forbidden, QueryBeyondBounds, QuerySyntaxError
from catalogue.store.guard import query_form, refuse_writes_and_service
from catalogue.store.queries import check_syntax

LOCAL = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize("query", [
    f"SELECT * WHERE {{ SERVICE <{LOCAL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICE<{LOCAL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICE#x\n<{LOCAL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ service silent <{LOCAL}>{{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{LOCAL}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE { BIND(<" + LOCAL + "> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    f"SELECT * WHERE {{ \\u0053ERVICE <{LOCAL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERV\\u0049CE <{LOCAL}> {{ ?s ?p ?o }} }}",
    f"PREFIX e: <urn:e:>\nSELECT * WHERE {{ ?s e:p 'it''s' . SERVICE <{LOCAL}> {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_in_every_spelling(query: str) -> None:
    with pytest.raises(Forbidden, match="SERVICE"):
        refuse_writes_and_service(query)


@pytest.mark.parametrize("query", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "insert data { <urn:a> <urn:b> <urn:c> }",
    "PREFIX x: <urn:x:>\n# a comment\nDELETE WHERE { ?s ?p ?o }",
    "CLEAR GRAPH <urn:g>",
    "CLEAR ALL",
    "DROP SILENT GRAPH <urn:g>",
    f"LOAD <{LOCAL}>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "\\u0049NSERT DATA { <urn:a> <urn:b> <urn:c> }",
])
def test_updates_are_refused(query: str) -> None:
    with pytest.raises(Forbidden, match="read-only"):
        refuse_writes_and_service(query)


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service a <http://www.w3.org/ns/sparql-service-description#S> }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1/> { }" }',
    "SELECT * WHERE { ?s ?p '''INSERT DATA { <a:b> <a:c> <a:d> }''' }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE/insert> ?o } # SERVICE <x> { }",
    "PREFIX service: <urn:s:>\nSELECT * WHERE { ?s service:load service:SERVICE }",
    "PREFIX e: <urn:e:>\nSELECT * WHERE { ?s e:SERVICE ?o ; e:clear ?c ; e:add ?a }",
    "SELECT * WHERE { ?address <urn:within> ?copyright }",
    "ASK { ?s ?p ?o FILTER(?o < 5 && ?o > 1) }",
])
def test_the_same_letters_elsewhere_pass(query: str) -> None:
    refuse_writes_and_service(query)
    check_syntax(query)


def test_the_form_follows_the_prologue() -> None:
    assert query_form("BASE <urn:b>\nPREFIX e: <urn:e:>\n# select\nconstruct WHERE {}") == \
        "CONSTRUCT"
    with pytest.raises(QuerySyntaxError, match="starts with SELECT"):
        query_form("DEFINE sql:log-enable 3 SELECT * WHERE {}")


def test_the_engine_reads_the_rest_with_line_and_column() -> None:
    with pytest.raises(QuerySyntaxError, match="line 2, column"):
        check_syntax("SELECT ?s\nWHERE { ?s ?p }")


def test_brackets_nested_past_the_bound_are_refused_before_any_parser() -> None:
    """Thousands of levels overflowed the engine parser's stack, which ended the process."""
    from catalogue.store.guard import MAX_QUERY_NESTING

    fine = "SELECT * WHERE {" + "{" * (MAX_QUERY_NESTING - 1) + "}" * MAX_QUERY_NESTING
    refuse_writes_and_service(fine)
    for deep in ("SELECT * WHERE {" + "{" * 5000 + "}" * 5001,
                 "SELECT * WHERE { FILTER(" + "(" * 200 + "1" + ")" * 201 + " }",
                 "SELECT * WHERE {" + "\\u007B" * 200 + "}"):  # escapes are brackets too
        with pytest.raises(QueryBeyondBounds, match="more than 100 deep"):
            refuse_writes_and_service(deep)
    # brackets inside strings, IRIs and comments are no nesting
    refuse_writes_and_service('SELECT * WHERE { ?s ?p "' + "{" * 500 + '" } # ' + "(" * 500)


@pytest.mark.parametrize("escape", ["\\U00110000", "\\uD800", "\\UFFFFFFFF"])
def test_an_escape_of_no_character_is_a_syntax_error_with_its_place(escape: str) -> None:
    with pytest.raises(QuerySyntaxError, match=r"line 2, column 16: .* is no Unicode character"):
        refuse_writes_and_service('SELECT *\nWHERE { ?s ?p "' + escape + '" }')


@pytest.mark.parametrize(("query", "what"), [
    # each ended the process that parsed it (the parser's stack), or took seconds to minutes
    ("SELECT * WHERE { FILTER(" + "!" * 20000 + "true) }", "operators"),
    ("SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 20000) + " }", "UNION"),
    ("SELECT * WHERE { FILTER(?x IN (" + ",".join(["1"] * 20000) + ")) }", "operators"),
    ("SELECT * WHERE { ?s " + "/".join(["<http://p>"] * 700) + " ?o }", "path steps"),
    ("SELECT * WHERE { ?s ?p ?o " + " ".join(["OPTIONAL { ?s ?p ?o }"] * 150) + " }",
     "OPTIONAL"),
])
def test_queries_past_the_parser_and_planner_bounds_are_refused(query: str, what: str) -> None:
    with pytest.raises(QueryBeyondBounds, match=what):
        refuse_writes_and_service(query)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { VALUES ?x { " + " ".join(
        ['"1"^^<http://www.w3.org/2001/XMLSchema#int>'] * 300) + " } }",  # ^^ is no path step
    "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 300) + ") }",  # nor ||
    "SELECT * WHERE { VALUES (?a ?b) { " + " ".join(
        f"(<http://x/{n}> <http://y>)" for n in range(5000)) + " } }",
])
def test_large_queries_within_the_bounds_pass(query: str) -> None:
    refuse_writes_and_service(query)
