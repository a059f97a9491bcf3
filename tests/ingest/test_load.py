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
