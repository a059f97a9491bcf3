"""The look before parsing: entity declarations refused, nesting measured only where it nests."""

from __future__ import annotations

import pytest

from catalogue.errors import SourceOverLimit, SourceSyntaxError, UnsafeSource
from catalogue.ingest.rdf import parse_source
from catalogue.ingest.scan import check_structure
from catalogue.limits import Limits
from catalogue.store.terms import RdfFormat

RDF_XML = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           b'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/s">'
           b"<ex:p>%s</ex:p></rdf:Description></rdf:RDF>")


def test_an_entity_declaration_is_refused_before_it_expands() -> None:
    source = b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY a "x">]>\n' + RDF_XML % b"&a;"
    with pytest.raises(UnsafeSource, match=r"^x.rdf:2:\d+: the DOCTYPE declares the entity 'a'"):
        check_structure(source, RdfFormat.RDF_XML, name="x.rdf", nesting=None)


def test_a_doctype_without_entities_parses() -> None:
    source = b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF>\n' + RDF_XML % b"o"
    parsed = parse_source(source, name="x.rdf", uri="urn:x", graph="urn:g")
    assert parsed.triple_count == 1


def test_xml_that_is_not_well_formed_says_where() -> None:
    with pytest.raises(SourceSyntaxError, match=r"^x.rdf:1:\d+: not well-formed XML"):
        check_structure(b"<a><b></a>", RdfFormat.RDF_XML, name="x.rdf", nesting=None)


def test_xml_nesting_is_counted_in_elements() -> None:
    deep = b"<a>" * 11 + b"</a>" * 11
    check_structure(deep, RdfFormat.RDF_XML, name="x.rdf", nesting=11)
    with pytest.raises(SourceOverLimit, match=r"^x.rdf:1:31: nested deeper than 10 levels"):
        check_structure(deep, RdfFormat.RDF_XML, name="x.rdf", nesting=10)


def test_brackets_in_strings_iris_comments_and_escapes_do_not_nest() -> None:
    turtle = (b'@prefix : <http://example.org/> .\n'
              b':a :b "[[((", """ [[[\n ((( """, \'((\', <http://example.org/x?q=a(b)> ;\n'
              b'   :c :d\\(e # ((((\n .\n'
              b':s :p [ :q ( 1 2 ) ] .\n')
    check_structure(turtle, RdfFormat.TURTLE, name="x.ttl", nesting=2)
    with pytest.raises(SourceOverLimit, match=r"^x.ttl:6:12: nested deeper than 1 levels"):
        check_structure(turtle, RdfFormat.TURTLE, name="x.ttl", nesting=1)
    assert parse_source(turtle, name="x.ttl", uri="urn:x", graph="urn:g").triple_count == 11


def test_json_ld_nesting_skips_strings() -> None:
    document = b'{"@id": "http://example.org/a", "http://example.org/b": [{"@value": "[[{{"}]}'
    check_structure(document, RdfFormat.JSON_LD, name="x.jsonld", nesting=3)
    with pytest.raises(SourceOverLimit, match=r"^x.jsonld:1:58: nested deeper than 2 levels"):
        check_structure(document, RdfFormat.JSON_LD, name="x.jsonld", nesting=2)


def test_limits_none_lets_anything_but_entities_through() -> None:
    turtle = b"<http://example.org/s> <http://example.org/p> " + b"(" * 500 + b")" * 500 + b" ."
    parsed = parse_source(turtle, name="x.ttl", uri="urn:x", graph="urn:g",
                          limits=Limits.none())
    assert parsed.triple_count == 999
