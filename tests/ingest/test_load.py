"""Loading files: one graph per file named after the whole file name, clashes refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.cli import main
from catalogue.errors import GraphClash
from catalogue.ingest import load_sources
from catalogue.ingest.load import graph_iri_for
from catalogue.store import EmbeddedStore
from tests.conftest import BASE

TURTLE = "<https://e.nl/{0}> <http://purl.org/dc/terms/title> \"{0}\" .\n"
RDF_XML = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
           ' xmlns:dct="http://purl.org/dc/terms/">\n<rdf:Description rdf:about="https://e.nl/{0}">'
           '<dct:title>{0}</dct:title></rdf:Description>\n</rdf:RDF>\n')


@pytest.mark.parametrize(("names", "graphs"), [
    (("begrippen.v1.ttl", "begrippen.v2.ttl"), ("begrippen.v1", "begrippen.v2")),
    (("record.rdf.xml", "record.ttl"), ("record-rdf", "record")),
    (("kader-0.2.ttl", "kader-0.3.ttl"), ("kader-0.2", "kader-0.3")),
])
def test_files_whose_names_differ_after_the_first_dot_get_their_own_graphs(
    tmp_path: Path, names: tuple[str, str], graphs: tuple[str, str]
) -> None:
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_text((RDF_XML if "xml" in name else TURTLE).format(name))
        paths.append(path)
    store = EmbeddedStore()
    load_sources(store, paths, base=BASE)
    found = {record.graph: record.triples for record in store.graphs()}
    assert found == {f"{BASE}/id/graph/{graph}": 1 for graph in graphs}
    assert {graph_iri_for(BASE, name) for name in names} == set(found)


def test_two_files_that_would_share_a_graph_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a b.ttl").write_text(TURTLE.format("x"))
    (tmp_path / "a-b.ttl").write_text(TURTLE.format("y"))
    with pytest.raises(GraphClash, match="would both land in graph"):
        load_sources(EmbeddedStore(), [tmp_path / "a b.ttl", tmp_path / "a-b.ttl"], base=BASE)
    store = tmp_path / "store"
    assert main(["load", "--store", str(store), str(tmp_path / "a b.ttl"),
                 str(tmp_path / "a-b.ttl")]) == 2
    assert "a-b.ttl would both land in graph" in capsys.readouterr().err
    assert main(["load", "--store", str(store), "--graph", f"{BASE}/id/graph/ab",
                 str(tmp_path / "a b.ttl"), str(tmp_path / "a-b.ttl")]) == 0


def _description(title: str, version: str = "1.0.0") -> str:
    return (f'openapi: 3.0.3\ninfo: {{title: "{title}", version: {version}}}\n'
            'paths:\n  /a:\n    get:\n      responses: {"200": {description: OK}}\n')


def test_descriptions_with_a_name_every_description_has_get_graphs_by_their_titles(
    tmp_path: Path
) -> None:
    """Haal Centraal keeps each API's description as specificatie/openapi.yaml: by file name
    both were graph .../openapi and API .../openapi, and the second load replaced the first."""
    for folder, title in (("bewoning", "BRP bewoning"), ("reis", "Reisdocumenten bevragen")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "openapi.yaml").write_text(_description(title))
    store = EmbeddedStore()
    load_sources(store, [tmp_path / "bewoning" / "openapi.yaml"], base=BASE)
    load_sources(store, [tmp_path / "reis" / "openapi.yaml"], base=BASE)
    assert {record.graph for record in store.graphs()} == {
        f"{BASE}/id/graph/brp-bewoning", f"{BASE}/id/graph/reisdocumenten-bevragen"}
    apis = {row["a"].value for row in store.select(
        "SELECT ?a WHERE { ?a a <http://www.w3.org/ns/dcat#DataService> }")}
    assert apis == {f"{BASE}/id/api/brp-bewoning", f"{BASE}/id/api/reisdocumenten-bevragen"}


def test_a_description_of_an_api_another_graph_describes_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A BRK 2.0 description named brk-bevragen.openapi.yaml beside the bundled BRK 1.3 record
    of the same IRI: the page showed both versions and both addresses."""
    (tmp_path / "apis.ttl").write_text(
        f"<{BASE}/id/api/brk-bevragen> a <http://www.w3.org/ns/dcat#DataService> ;\n"
        '  <http://www.w3.org/ns/dcat#version> "1.3.0" .\n')
    (tmp_path / "brk-bevragen.openapi.yaml").write_text(_description("BRK bevragen", "2.0.0"))
    store_dir = tmp_path / "store"
    assert main(["load", "--store", str(store_dir), "--base-iri", BASE,
                 str(tmp_path / "apis.ttl")]) == 0
    assert main(["load", "--store", str(store_dir), "--base-iri", BASE,
                 str(tmp_path / "brk-bevragen.openapi.yaml")]) == 2
    error = capsys.readouterr().err
    assert f"<{BASE}/id/api/brk-bevragen> is described already" in error
    assert f"<{BASE}/id/graph/apis>" in error
    store = EmbeddedStore(store_dir)
    versions = store.select(f'SELECT ?v WHERE {{ <{BASE}/id/api/brk-bevragen> '
                            '<http://www.w3.org/ns/dcat#version> ?v }')
    assert [row["v"].value for row in versions] == ["1.3.0"]  # nothing written
    store.close()


def test_records_written_as_blank_nodes_get_the_same_iri_each_load(tmp_path: Path) -> None:
    """A dataset and a begrip as blank nodes get Skolem IRIs, the same on every load of the
    same content; a contact point and a blank publisher stay blank nodes."""
    source = tmp_path / "blank.ttl"
    source.write_text("""
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix foaf: <http://xmlns.com/foaf/0.1/> .
        [] a dcat:Catalog ; dcat:dataset [ a dcat:Dataset ; dct:title "Jaarboek 1894"@nl ;
            dct:publisher [ a foaf:Organization ; foaf:name "Bureau" ] ;
            dcat:contactPoint [ <http://www.w3.org/2006/vcard/ns#fn> "Balie" ] ] .
        [] a skos:Concept ; skos:prefLabel "jaarboek"@nl .
    """, encoding="utf-8")

    def subjects() -> tuple[set[str], int]:
        store = EmbeddedStore()
        load_sources(store, [source], base=BASE)
        named = {row["s"].value for row in store.select(
            "SELECT DISTINCT ?s WHERE { ?s a ?t FILTER(isIRI(?s)) }")}
        blank = len(store.select(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{BASE}/id/graph/blank> "
                                 "{ ?s ?p ?o FILTER(isBlank(?s)) } }"))
        return named, blank

    first, blank = subjects()
    first -= {f"{BASE}/id/graph/blank"}  # typed by its provenance record
    assert len(first) == 3 and all(s.startswith(f"{BASE}/.well-known/genid/") for s in first)
    assert blank == 2  # the publisher and the contact point
    assert subjects()[0] - {f"{BASE}/id/graph/blank"} == first
