"""RDF sources: format detection, parse errors with positions, graph assignment."""

from __future__ import annotations

import pytest

from catalogue.errors import SourceSyntaxError, UnknownFormat
from catalogue.ingest import detect_format, parse_source
from catalogue.store.terms import RdfFormat


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.ttl", b"", RdfFormat.TURTLE),
        ("a.TRIG", b"", RdfFormat.TRIG),
        ("a.nq", b"", RdfFormat.N_QUADS),
        ("a.jsonld", b"", RdfFormat.JSON_LD),
        ("a.rdf", b"", RdfFormat.RDF_XML),
        ("a.owl", b"", RdfFormat.RDF_XML),
        ("data", b'<?xml version="1.0"?><rdf:RDF>', RdfFormat.RDF_XML),
        ("data", b'{"@context": {}, "@id": "x"}', RdfFormat.JSON_LD),
        ("data", b"@prefix ex: <http://e/> .", RdfFormat.TRIG),
        ("data", b"<http://a> <http://b> <http://c> <http://g> .\n", RdfFormat.N_QUADS),
        ("data", b"<http://a> <http://b> <http://c> .\n", RdfFormat.TRIG),
    ],
)
def test_detect_format(name: str, head: bytes, expected: RdfFormat) -> None:
    assert detect_format(name, head) == expected


def test_json_without_json_ld_keys_is_refused() -> None:
    with pytest.raises(UnknownFormat, match="not JSON-LD"):
        detect_format("spec.json", b'{"openapi": "3.0.0"}')


def test_syntax_error_names_file_line_and_column() -> None:
    data = b"@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a vcard:fn 'x' .\n"
    with pytest.raises(SourceSyntaxError) as caught:
        parse_source(data, name="bad.ttl", uri="file:///bad.ttl", graph="http://g")
    assert (caught.value.line, caught.value.column) == (3, 6)
    assert str(caught.value).startswith("bad.ttl:3:6: ")
    assert "vcard" in str(caught.value)


def test_default_graph_goes_to_the_source_graph_and_named_graphs_are_kept() -> None:
    data = b"<http://e/a> <http://e/p> 1 .\nGRAPH <http://e/g2> { <http://e/b> <http://e/p> 2 . }"
    parsed = parse_source(data, name="x.trig", uri="file:///x.trig", graph="http://e/g1")
    assert {g: len(t) for g, t in parsed.graphs.items()} == {"http://e/g1": 1, "http://e/g2": 1}
    merged = parse_source(
        data, name="x.trig", uri="file:///x.trig", graph="http://e/g1", keep_graphs=False
    )
    assert {g: len(t) for g, t in merged.graphs.items()} == {"http://e/g1": 2}


def test_the_system_graph_cannot_be_written_from_a_file() -> None:
    data = b"GRAPH <urn:catalogue:graph:system> { <http://e/a> <http://e/p> 1 . }"
    with pytest.raises(SourceSyntaxError, match="reserved"):
        parse_source(data, name="x.trig", uri="file:///x.trig", graph="http://e/g")


def test_relative_iris_resolve_against_the_file() -> None:
    parsed = parse_source(b"<a> <b> <c> .", name="x.ttl", uri="file:///data/x.ttl", graph="g:1")
    [triple] = parsed.graphs["g:1"]
    assert triple.subject.value == "file:///data/a"


def test_rdf_xml_with_a_space_in_an_iri_is_refused_with_its_place() -> None:
    data = (b'<?xml version="1.0"?>\n'
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
            b'         xmlns:dct="http://purl.org/dc/terms/">\n'
            b'  <rdf:Description rdf:about="https://data.example.nl/dataset/a b">\n'
            b'    <dct:title>A</dct:title>\n'
            b'  </rdf:Description>\n'
            b'</rdf:RDF>\n')
    with pytest.raises(SourceSyntaxError) as caught:
        parse_source(data, name="bad.rdf", uri="file:///bad.rdf", graph="http://g")
    assert caught.value.line == 4 and caught.value.column is not None
    assert str(caught.value).startswith("bad.rdf:4:")
    assert "a b" in str(caught.value)


def test_xml_that_is_not_rdf_is_refused_at_its_root_element() -> None:
    """IANA's media-types registry as ckanext-dcatapchharvest keeps it: the parser said only
    "XML namespaces are required in RDF/XML", with no place, of a file that declares one."""
    data = (b"<?xml version='1.0' encoding='UTF-8'?>\n"
            b'<?xml-stylesheet type="text/xsl" href="media-types.xsl"?>\n'
            b'<registry xmlns="http://www.iana.org/assignments" id="media-types">\n'
            b"  <title>Media Types</title>\n</registry>\n")
    with pytest.raises(SourceSyntaxError) as caught:
        parse_source(data, name="media.xml", uri="file:///media.xml", graph="http://g",
                     format=RdfFormat.RDF_XML)
    assert (caught.value.line, caught.value.column) == (3, 1)
    assert "root element <registry>" in str(caught.value)


def test_a_remote_json_ld_context_is_named_and_not_fetched() -> None:
    data = (b'{"id": "urn:x:1", "type": "Feature",\n'
            b' "@context": "https://example.org/records/context.jsonld"}\n')
    with pytest.raises(SourceSyntaxError) as caught:
        parse_source(data, name="record.jsonld", uri="file:///record.jsonld", graph="http://g")
    assert (caught.value.line, caught.value.column) == (2, 15)  # the URL
    assert "https://example.org/records/context.jsonld" in str(caught.value)
    assert "not fetched" in str(caught.value)


@pytest.mark.parametrize(("name", "data"), [
    ("bom.ttl", b"<https://e.nl/a> <https://e.nl/p> \"x\" ."),
    ("bom.nt", b"<https://e.nl/a> <https://e.nl/p> \"x\" .\n"),
    ("bom.jsonld", b'{"@id": "https://e.nl/a", "https://e.nl/p": "x"}'),
    ("bom.rdf", b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                b'<rdf:Description rdf:about="https://e.nl/a"><p xmlns="https://e.nl/">x</p>'
                b"</rdf:Description></rdf:RDF>"),
])
def test_a_utf8_byte_order_mark_is_read_past(name: str, data: bytes) -> None:
    """Windows editors start UTF-8 files with one: Turtle was refused ("\\xef\\xbb\\xbf is not
    a valid subject")."""
    parsed = parse_source(b"\xef\xbb\xbf" + data, name=name, uri=f"file:///{name}",
                          graph="http://g")
    assert [t.object.value for t in parsed.graphs["http://g"]] == ["x"]
